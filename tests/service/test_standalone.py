"""The standalone exam over real sockets: the package goes to the proctors' folder and the
candidate is fenced from every online machine; the result comes back once; and hostile input —
huge, garbage, not base64, another room's package, a second import, a package for a result —
gets a clear refusal and changes nothing. A console may send a result-sized request; an exam
machine may not."""

import asyncio
import base64
import json
import os
import time

import pytest
from websockets.exceptions import ConnectionClosed

from proctor import standalone as files
from proctor.domain.commands import RESULT_MAX_BYTES
from proctor.host import RoomOptions, start_room
from proctor.link import messages as m
from proctor.link.auth import Credential
from proctor.link.console_client import CommandRefused, ConsoleClient, FileProblem
from proctor.package import load_package
from proctor.package.demo import write_demo
from proctor.sim.standalone import run_offline
from tests import wire
from tests.waiting import until

PROCTORS = ("林𠮷祥", "阿依古丽·买买提")


class Room:
    def __init__(self, package, tmp_path):
        self.package, self.tmp_path = package, tmp_path

    async def __aenter__(self):
        self.room = await start_room(
            self.package, RoomOptions(db=self.tmp_path / "room.db", first_start_at=time.time() - 60)
        )
        self.client = ConsoleClient(self.room.url, Credential.console(self.package.room_key))
        self.client.start()
        await until(lambda: self.client.view.connected, "the console to connect")
        await self.client.sign_in(PROCTORS)
        self.machines = []
        self.stick = self.tmp_path / "stick"
        self.stick.mkdir(exist_ok=True)
        return self

    async def answering(self, i, saves=2):
        c = self.package.candidates[i]
        ws, welcome = await wire.machine(self.room.url, self.package, c.seat)
        assert (await wire.login(ws, c))["t"] == "login_ok"
        for seq in range(1, saves + 1):
            await wire.send(ws, {"t": "save", "id": 10 + seq, "ticket": c.ticket, "seq": seq, "answers": {"1": seq}})
            assert (await wire.recv(ws))["t"] == "ack"
        self.machines.append(ws)
        return ws, c

    async def export(self, c, machine):
        return await self.client.export_standalone(
            c.ticket, machine, "周主考", "重置、更换考试机均无法继续", self.stick
        )

    async def __aexit__(self, *exc):
        for ws in self.machines:
            await ws.close()
        await self.client.stop()
        await self.room.stop()


def spare(package):
    return next(mc.id for mc in package.machines if mc.spare)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


async def refused(coro) -> CommandRefused:
    with pytest.raises(CommandRefused) as no:
        await coro
    return no.value


def test_export_writes_the_package_and_fences_the_candidate_then_the_result_comes_back_once(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            ws, c = await r.answering(0)
            machine = spare(package)
            done = await r.export(c, machine)
            path = r.stick / done["file_name"]
            assert done["path"] == str(path) and path.read_bytes().startswith(b"PSTA")
            assert not list(r.stick.glob("*.part"))
            await until(lambda: r.client.view.candidates[c.ticket]["state"] == "standalone", "the console to see it")
            (out,) = r.client.view.header["standalone"]
            assert (out["ticket"], out["machine"], out["status"], out["last_seq"]) == (
                c.ticket,
                machine,
                "outstanding",
                2,
            )
            # Fenced: the candidate's own machine is told, and can no longer save for them.
            told = await wire.recv(ws)
            assert (told["t"], told["ticket"], told["state"]) == ("state", c.ticket, "standalone")
            await wire.send(ws, {"t": "save", "id": 50, "ticket": c.ticket, "seq": 3, "answers": {"1": 3}})
            assert (await wire.recv(ws))["code"] == "not_logged_in"

            offline = run_offline(Credential.machine(package.room_key, machine), path.read_bytes(), saves=3)
            result = r.stick / offline.file_name
            result.write_bytes(offline.result)
            back = await r.client.import_standalone(result)
            assert (back["already"], back["saves"], back["last_seq"]) == (False, 3, 5)
            await until(lambda: r.client.view.candidates[c.ticket]["state"] == "submitted", "the recovery")
            assert r.client.view.header["standalone"][0]["status"] == "recovered"
            assert r.room.service.log.latest_answer(1, c.ticket).answers == offline.last_answers
            seq = r.room.service.log.last_seq
            again = await r.client.import_standalone(result)
            assert again["already"] is True and r.room.service.log.last_seq == seq
            # Another result for the same package (made again offline): refused, nothing changes.
            other = run_offline(Credential.machine(package.room_key, machine), path.read_bytes(), saves=1)
            result.write_bytes(other.result)
            no = await refused(r.client.import_standalone(result))
            assert no.code == "recovered_already" and no.rule == "R26"
            assert r.room.service.log.last_seq == seq

    run(main())


def test_a_folder_that_cannot_take_the_package_records_nothing(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            seq = r.room.service.log.last_seq
            with pytest.raises(FileProblem) as no:
                await r.client.export_standalone(c.ticket, spare(package), "周主考", "x", tmp_path / "no-stick")
            assert "不存在" in no.value.zh
            if os.geteuid() != 0:  # root writes anywhere
                locked = tmp_path / "locked"
                locked.mkdir(mode=0o500)
                with pytest.raises(FileProblem):
                    await r.client.export_standalone(c.ticket, spare(package), "周主考", "x", locked)
            assert r.room.service.log.last_seq == seq
            assert r.room.service.room.sitting.candidates[c.ticket].state.value == "answering"

    run(main())


def test_refusals_say_the_rule_and_change_nothing(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            _, d = await r.answering(1)
            seq = r.room.service.log.last_seq
            no = await refused(r.client.export_standalone(c.ticket, spare(package), " ", "x", r.stick))
            assert (no.code, no.rule) == ("consent_missing", "R25") and "主考" in no.message_zh
            no = await refused(r.client.export_standalone(c.ticket, d.seat, "周主考", "x", r.stick))
            assert no.code == "machine_occupied"
            no = await refused(r.client.export_standalone(c.ticket, "ZZ99", "周主考", "x", r.stick))
            assert no.code == "unknown_machine"
            assert r.room.service.log.last_seq == seq and not list(r.stick.iterdir())
            done = await r.export(c, spare(package))
            # A write-off needs two proctors, each signed in.
            no = await refused(r.client.write_off_standalone(done["package_id"], "U盘丢失", PROCTORS[:1]))
            assert no.code == "two_proctors"
            no = await refused(r.client.write_off_standalone(done["package_id"], "U盘丢失", (PROCTORS[0], "冒名")))
            assert no.code == "not_signed_in"
            await r.client.write_off_standalone(done["package_id"], "U盘丢失", PROCTORS)
            await until(lambda: r.client.view.header["standalone"][0]["status"] == "written_off", "the write-off")

    run(main())


async def raw_import(ws, data_field, rid):
    await wire.send(
        ws,
        {
            "t": "request",
            "id": rid,
            "cmd": {"c": "import_standalone_result", "result": data_field},
            "by": list(PROCTORS),
        },
    )
    while True:
        reply = await wire.recv(ws)
        if reply.get("id") == rid:
            return reply


def test_hostile_results_over_the_wire_are_refused_and_change_nothing(package, tmp_path):
    other_dir = tmp_path / "other"
    write_demo(other_dir, candidates=4, machines=6, seed=99)
    other = load_package(other_dir)

    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            machine = spare(package)
            done = await r.export(c, machine)
            pkg_file = (r.stick / done["file_name"]).read_bytes()
            ws, first = await wire.console(r.room.url, package)
            assert first["t"] == "snapshot"
            seq = r.room.service.log.last_seq
            b64 = lambda data: base64.b64encode(data).decode()  # noqa: E731
            cases = {
                "not base64": ("@@@@ not base64 @@@@", "bad_message"),
                "empty": ("", "bad_message"),
                "above the bound": (b64(b"\0" * (RESULT_MAX_BYTES + 1)), "bad_message"),
                "garbage": (b64(os.urandom(5000)), "not_standalone"),
                "the package itself": (b64(pkg_file), "package_not_result"),
                "cut short": (b64(pkg_file[:40].replace(b"PSTA\x01P", b"PSTA\x01R")), "damaged"),
                "a number": (12, "bad_message"),
                "nested": ({"a": [[[[["x"]]]]]}, "bad_message"),
            }
            for i, (name, (field, code)) in enumerate(cases.items()):
                reply = await raw_import(ws, field, 100 + i)
                assert reply["t"] == "error" and reply["code"] == code, name
                assert reply["message_zh"], name
            # Another room's package, sealed for a machine of that name there: refused as such.
            forged = run_offline(
                Credential.machine(other.room_key, "A01"),
                files.seal_package(
                    other,
                    sitting=1,
                    ticket=other.candidates[0].ticket,
                    machine="A01",
                    package_id=done["package_id"],
                    exported_at=0.0,
                    remaining_s=60.0,
                    last_seq=2,
                    answers={},
                ),
            ).result
            reply = await raw_import(ws, b64(forged), 200)
            assert (reply["code"], reply["rule"]) == ("another_room", "R26")
            # The right result with one bit flipped.
            good = run_offline(Credential.machine(package.room_key, machine), pkg_file, saves=2).result
            flipped = bytearray(good)
            flipped[len(good) // 2] ^= 0x10
            reply = await raw_import(ws, b64(bytes(flipped)), 201)
            assert reply["code"] == "damaged" and "校验失败" in reply["message_zh"]
            assert r.room.service.log.last_seq == seq
            assert r.room.service.room.standalone[done["package_id"]].status.value == "outstanding"
            # The connection went on through all of it, and the good result still goes in.
            reply = await raw_import(ws, b64(good), 202)
            assert reply["t"] == "reply" and reply["result"]["saves"] == 2
            await ws.close()

    run(main())


def test_only_a_console_may_send_a_result_sized_message(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            ws, _ = await wire.console(r.room.url, package)
            big = base64.b64encode(b"\0" * (2 * 1024 * 1024)).decode()  # 2.7 MB on the wire
            reply = await raw_import(ws, big, 1)
            assert reply["code"] == "not_standalone"  # read and refused, connection kept
            huge = "x" * (m.CONSOLE_MAX_MESSAGE_BYTES + 1)
            await ws.send(json.dumps({"t": "request", "id": 2, "cmd": {"c": "history"}, "pad": huge}))
            with pytest.raises(ConnectionClosed) as closed:
                await wire.recv(ws)
            assert closed.value.rcvd.code == 1009  # past the console's bound: too big
            machine, _ = await wire.machine(r.room.url, package, package.candidates[0].seat)
            await machine.send(json.dumps({"t": "hb", "pad": "x" * (m.MAX_MESSAGE_BYTES + 1)}))
            with pytest.raises(ConnectionClosed) as closed:
                await wire.recv(machine)
            assert closed.value.rcvd.code == 1009  # a machine keeps the small bound

    run(main())
