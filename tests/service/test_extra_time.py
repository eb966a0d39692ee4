"""Extra time and authorization codes over a real socket: a grant reaches every console and the
candidate's exam machine; refusals say the rule in words; codes for other minutes, another
candidate, used before or guessed too often are refused; `proctor authcode issue` answers the
console's request; an exam machine's credential cannot grant."""

import asyncio
import json
import subprocess
import sys
import time

import pytest

from proctor.domain import authcode
from proctor.domain.events import AuthorizationCodeRejected, ExtraTimeGranted
from proctor.host import RoomOptions, start_room
from proctor.link.auth import Credential
from proctor.link.console_client import CommandRefused, ConsoleClient
from proctor.package.demo import DEMO_AUTHCODE_MASTER
from tests import wire
from tests.waiting import until

PROCTORS = ("林𠮷祥", "阿依古丽·买买提")


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


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
        return self

    async def answering(self, i):
        c = self.package.candidates[i]
        ws, welcome = await wire.machine(self.room.url, self.package, c.seat)
        assert welcome["t"] == "welcome"
        assert (await wire.login(ws, c))["t"] == "login_ok"
        self.machines.append(ws)
        return ws, c

    def office(self, request, minutes, tickets):
        room = authcode.room_id(self.package.site, self.package.room)
        key = authcode.room_code_key(DEMO_AUTHCODE_MASTER, room)
        return authcode.authorization_code(key, room, request, "extra_time", minutes, tickets)

    async def __aexit__(self, *exc):
        for ws in self.machines:
            await ws.close()
        await self.client.stop()
        await self.room.stop()


async def refused(coro) -> CommandRefused:
    with pytest.raises(CommandRefused) as no:
        await coro
    return no.value


def test_a_grant_moves_the_end_on_every_console_and_on_the_exam_machine(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            ws, c = await r.answering(0)
            watcher = ConsoleClient(r.room.url, Credential.console(package.room_key))
            watcher.start()
            try:
                await until(lambda: watcher.view.connected, "the second console")
                end = watcher.view.candidates[c.ticket]["end"]
                done = await r.client.grant_extra_time([c.ticket], 7, "power", note="A01 断电")
                assert done["extra_min"] == {c.ticket: 7} and done["ends"][c.ticket] == end + 420
                await until(lambda: watcher.view.candidates[c.ticket]["end"] == end + 420, "the new end")
                row = watcher.view.candidates[c.ticket]
                assert row["extra_min"] == 7 and "extra_time" in row["flags"]
                pushed = await wire.recv(ws)
                assert pushed == {"t": "state", "ticket": c.ticket, "state": "answering", "end": end + 420}
                [g] = [se.event for se in r.room.service.log.replay() if isinstance(se.event, ExtraTimeGranted)]
                assert (g.by, g.minutes, g.note, g.reason.value) == (PROCTORS, 7, "A01 断电", "power")
            finally:
                await watcher.stop()

    run(main())


def test_refusals_name_the_rule_and_what_would_allow_it(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            other = package.candidates[1]  # not logged in
            no = await refused(r.client.grant_extra_time([c.ticket], 25, "machine_fault"))
            assert (no.code, no.rule) == ("code_required", "R20")
            assert no.message_zh == "补时累计 25 分钟，超过 10 分钟需省级授权码" and "申请码" in no.allow_zh
            no = await refused(r.client.grant_extra_time([c.ticket], 61, "machine_fault"))
            assert (no.code, no.rule) == ("ministry_only", "R21") and "人社部" in no.message_zh
            no = await refused(r.client.grant_extra_time([c.ticket], 5, "candidate_error"))
            assert (no.code, no.rule) == ("own_error", "R22") and no.allow_zh
            no = await refused(r.client.grant_extra_time([c.ticket, other.ticket], 5, "network"))
            assert (no.code, no.rule) == ("not_answering", "R19") and other.ticket in no.message_zh
            assert r.room.service.room.sitting.candidates[c.ticket].extra_min == 0  # the group: nothing

    run(main())


def test_codes_for_other_minutes_another_candidate_used_before_or_guessed_too_often(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            _, a = await r.answering(0)
            _, b = await r.answering(1)
            asked = await r.client.request_authorization([a.ticket], 25)
            rq = asked["request"]
            assert authcode.well_formed(rq) and asked["tries_left"] == 5 and asked["status"] == "open"
            for code in (r.office(rq, 30, [a.ticket]), r.office(rq, 25, [b.ticket])):
                no = await refused(r.client.grant_extra_time([a.ticket], 25, "software", request=rq, code=code))
                assert (no.code, no.rule) == ("code_wrong", "R20") and "还可输入" in no.message_zh
            assert no.data["tries_left"] == 3
            code = r.office(rq, 25, [a.ticket])
            await r.client.grant_extra_time([a.ticket], 25, "software", request=rq, code=code)
            no = await refused(r.client.grant_extra_time([a.ticket], 25, "software", request=rq, code=code))
            assert no.code == "code_used" and "重复使用" in no.message_zh

            asked = await r.client.request_authorization([b.ticket], 15)
            rq = asked["request"]
            for i in range(5):
                guess = f"{12345670 + i}"
                guess += authcode.check_digit(guess)
                no = await refused(r.client.grant_extra_time([b.ticket], 15, "network", request=rq, code=guess))
                assert no.code == "code_wrong"
            assert no.data["tries_left"] == 0 and "已锁定" in no.message_zh
            await until(lambda: any(rq in a["detail"] for a in r.client.view.alerts.values()), "the alert")
            right = r.office(rq, 15, [b.ticket])
            no = await refused(r.client.grant_extra_time([b.ticket], 15, "network", request=rq, code=right))
            assert no.code == "request_locked"
            rejected = [
                se.event for se in r.room.service.log.replay() if isinstance(se.event, AuthorizationCodeRejected)
            ]
            assert [e.attempt for e in rejected] == [1, 2, 1, 2, 3, 4, 5] and all(e.by == PROCTORS for e in rejected)
            s = r.room.service.room.sitting
            assert (s.candidates[a.ticket].extra_min, s.candidates[b.ticket].extra_min) == (25, 0)

    run(main())


def test_the_offices_command_line_answers_the_consoles_request(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            _, a = await r.answering(0)
            _, b = await r.answering(1)
            tickets = [b.ticket, a.ticket]
            asked = await r.client.request_authorization(tickets, 25)
            master = tmp_path / "province.key"
            master.write_text(DEMO_AUTHCODE_MASTER.hex() + "\n", encoding="ascii")
            room = authcode.room_id(package.site, package.room)
            args = ["--key-file", str(master), "--room", room, "--request", asked["request"]]
            args += ["--op", "extra_time", "--minutes", "25", "--tickets", ",".join(tickets)]
            out = await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", "proctor.cli", "authcode", "issue", *args],
                capture_output=True,
                text=True,
                timeout=30,
            )
            assert out.returncode == 0, out.stderr
            issued = json.loads(out.stdout)
            assert len(issued["code"]) == 9 and issued["tickets"] == sorted(tickets)
            done = await r.client.grant_extra_time(
                [a.ticket, b.ticket], 25, "machine_fault", request=asked["request"], code=issued["code"]
            )
            assert done["extra_min"] == {a.ticket: 25, b.ticket: 25}

            key = await asyncio.to_thread(
                subprocess.run,
                [
                    sys.executable,
                    "-m",
                    "proctor.cli",
                    "authcode",
                    "room-key",
                    "--key-file",
                    str(master),
                    "--room",
                    room,
                ],
                capture_output=True,
                text=True,
                timeout=30,
            )
            assert json.loads(key.stdout)["authcode_key"] == package.authcode_key
            # A misheard request code is caught by its check digit, before any code is issued.
            typo = asked["request"][:-1] + str((int(asked["request"][-1]) + 1) % 10)
            bad = args[:5] + [typo] + args[6:]
            out = subprocess.run(
                [sys.executable, "-m", "proctor.cli", "authcode", "issue", *bad], capture_output=True, text=True
            )
            assert out.returncode != 0 and "check digit" in out.stderr

    run(main())


@pytest.mark.parametrize(
    "cmd",
    [
        {"c": "grant_extra_time", "tickets": ["1"], "minutes": 5, "reason": "power"},
        {"c": "request_authorization", "tickets": ["1"], "minutes": 25},
    ],
)
def test_an_exam_machines_credential_cannot_grant(package, tmp_path, cmd):
    async def main():
        async with Room(package, tmp_path) as r:
            ws, c = await r.answering(0)
            before = r.room.service.log.last_seq
            await wire.send(ws, {"t": "request", "id": 9, "cmd": {**cmd, "tickets": [c.ticket]}, "by": list(PROCTORS)})
            reply = await wire.recv(ws)
            assert (reply["t"], reply["code"], reply["id"]) == ("error", "bad_message", 9)
            assert r.room.service.log.last_seq == before
            assert r.room.service.room.sitting.candidates[c.ticket].extra_min == 0

    run(main())


@pytest.mark.parametrize(
    "fields",
    [
        ("grant_extra_time", {"minutes": 10.5}),
        ("grant_extra_time", {"minutes": 0}),
        ("grant_extra_time", {"minutes": -5}),
        ("grant_extra_time", {"minutes": 100000}),
        ("grant_extra_time", {"minutes": 2**63}),
        ("grant_extra_time", {"tickets": []}),
        ("grant_extra_time", {"tickets": ["9" * 33]}),
        ("grant_extra_time", {"tickets": [str(273303001000 + i) for i in range(5000)]}),
        ("grant_extra_time", {"tickets": [[["273303001001"]]]}),
        ("grant_extra_time", {"reason": "bored"}),
        ("grant_extra_time", {"reason": {"a": {"b": {"c": {}}}}}),
        ("grant_extra_time", {"code": "1" * 17}),
        ("grant_extra_time", {"note": "长" * 201}),
        ("request_authorization", {"minutes": -1}),
        ("request_authorization", {"minutes": 2**53 + 1}),
        ("request_authorization", {"tickets": [str(273303001000 + i) for i in range(5000)]}),
        ("request_authorization", {"op": "start_now"}),
        ("request_authorization", {"reason": "power"}),  # a field it does not have
    ],
)
def test_a_hostile_grant_is_refused_with_a_clear_code_and_changes_nothing(package, tmp_path, fields):
    kind, fields = fields

    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            before = r.room.service.log.last_seq
            ws, _ = await wire.console(r.room.url, package)
            base = {"tickets": [c.ticket], "minutes": 5}
            if kind == "grant_extra_time":
                base["reason"] = "power"
            cmd = {"c": kind, **base, **fields}
            await wire.send(ws, {"t": "request", "id": 3, "cmd": cmd, "by": list(PROCTORS)})
            reply = await wire.recv(ws)
            while reply["t"] != "error":  # the snapshot and updates come first
                reply = await wire.recv(ws)
            assert (reply["code"], reply["id"]) == ("bad_message", 3)
            await ws.close()
            assert r.room.service.log.last_seq == before

    run(main())


def test_a_grant_needs_signed_in_proctors(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            r.client.proctors = ()
            no = await refused(r.client.grant_extra_time([c.ticket], 5, "power"))
            assert no.code == "not_signed_in"
            r.client.proctors = ("冒名者",)
            assert (await refused(r.client.grant_extra_time([c.ticket], 5, "power"))).code == "not_signed_in"

    run(main())


def test_a_grant_or_a_request_for_a_ticket_not_in_this_room_changes_nothing(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            _, c = await r.answering(0)
            client = ConsoleClient(r.room.url, Credential.console(package.room_key))
            client.start()
            try:
                await until(lambda: client.view.connected, "the console")
                await client.sign_in(PROCTORS)
                before = r.room.service.log.last_seq
                stranger = "999999999999"  # another room's candidate
                for work in (
                    client.grant_extra_time([c.ticket, stranger], 5, "power"),
                    client.request_authorization([stranger], 25),
                ):
                    no = await refused(work)
                    assert no.code and no.message_zh
                assert r.room.service.log.last_seq == before
                assert r.room.service.room.sitting.candidates[c.ticket].extra_min == 0
            finally:
                await client.stop()

    run(main())
