"""Reset (重置) over real sockets: the machine left behind is told, its saves, submissions and
resumes are refused (已重置) and raised once; the spare gets the last acknowledged answers and
goes on; hostile or mistaken commands and logins are refused and record nothing (R24)."""

import asyncio
import dataclasses
import random
import time
from datetime import datetime

import pytest

from proctor.domain.events import AlertKind, AlertRaised, CandidateReset
from proctor.link.auth import Credential
from proctor.link.console_client import CommandRefused, ConsoleClient
from proctor.package import load_package
from proctor.package.demo import write_demo
from proctor.sim.machines import Plan, SimMachine, Tally
from tests import wire
from tests.waiting import until

run = wire.run
PROCTORS = ("林𠮷祥", "阿依古丽·买买提")
SPARES = ("D05", "D06")


@pytest.fixture
def package(tmp_path):
    """16 candidates at A01…, 30 machines of which D05 and D06 are spares."""
    out = tmp_path / "pkg"
    write_demo(out, candidates=16, machines=30, start=datetime.now().astimezone(), seed=7)
    pkg = load_package(out)
    assert tuple(m.id for m in pkg.machines if m.spare) == SPARES
    return pkg


class Room:
    """A served room, its sitting started a minute ago, two proctors signed in at a console,
    the first candidate answering on their own machine and both spares on."""

    def __init__(self, package, tmp_path):
        self.package, self.tmp_path = package, tmp_path
        self.conns = []

    async def __aenter__(self):
        self._served = wire.served(self.package, self.tmp_path)
        self.room = await self._served.__aenter__()
        self.client = ConsoleClient(self.room.url, Credential.console(self.package.room_key))
        self.client.start()
        await until(lambda: self.client.view.connected, "the console to connect")
        await self.client.sign_in(PROCTORS)
        self.c = self.package.candidates[0]
        self.old, welcome = await self.machine(self.c.seat)
        ok = await wire.login(self.old, self.c)
        assert ok["t"] == "login_ok", ok
        self.spares = {m: (await self.machine(m))[0] for m in SPARES}
        await until(lambda: all(self.client.view.machines[m]["free_spare"] for m in SPARES), "both spares free")
        return self

    async def machine(self, name, **fields):
        ws, welcome = await wire.machine(self.room.url, self.package, name, **fields)
        assert welcome["t"] == "welcome", welcome
        self.conns.append(ws)
        return ws, welcome

    @property
    def seq(self):
        return self.room.service.log.last_seq

    def alerts(self, kind):
        return [
            (se.event.ticket, se.event.machine, se.event.detail)
            for se in self.room.service.log.replay()
            if isinstance(se.event, AlertRaised) and se.event.alert_kind is kind
        ]

    async def __aexit__(self, *exc):
        for ws in self.conns:
            await ws.close()
        await self.client.stop()
        await self._served.__aexit__(*exc)


async def save(ws, c, seq, answers, id):
    await wire.send(ws, {"t": "save", "id": id, "ticket": c.ticket, "seq": seq, "answers": answers})
    return await reply_to(ws, id)


async def reply_to(ws, id):
    """The reply with this `id`, after any pushes."""
    while True:
        msg = await wire.recv(ws)
        if msg.get("id") == id:
            return msg


async def push(ws):
    while True:
        msg = await wire.recv(ws)
        if msg["t"] == "state":
            return msg


async def refused(coro) -> CommandRefused:
    with pytest.raises(CommandRefused) as no:
        await coro
    return no.value


def test_the_old_machine_is_told_and_fenced_and_the_spare_goes_on_from_the_last_save(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            c = r.c
            for seq in (1, 2, 3):
                assert (await save(r.old, c, seq, {"1": "ABC"[seq - 1], "2": "第二题"}, id=10 + seq))["t"] == "ack"
            end = r.client.view.candidates[c.ticket]["end"]
            done = await r.client.reset_candidate(c.ticket, "resume", "D06", "machine_fault")
            assert (done["to"], done["end"], done["last_seq"]) == ("D06", end, 3)
            told = await push(r.old)
            assert told == {"t": "state", "ticket": c.ticket, "state": "reset", "end": end, "continue_on": "D06"}
            await until(lambda: r.client.view.candidates[c.ticket]["state"] == "reset", "the console to show it")
            assert not r.client.view.machines["D06"]["free_spare"] and r.client.view.machines["D05"]["free_spare"]
            # Each try from the old machine is refused in words; the proctors hear of it once.
            for seq, id in ((4, 21), (4, 22)):
                no = await save(r.old, c, seq, {"1": "Z"}, id=id)
                assert (no["t"], no["code"], no["rule"]) == ("error", "reset", "R24") and "已重置" in no["message_zh"]
            await wire.send(r.old, {"t": "submit", "id": 23, "ticket": c.ticket})
            assert (await reply_to(r.old, 23))["code"] == "reset"
            assert r.alerts(AlertKind.RESET_MACHINE) == [(c.ticket, c.seat, "D06")]
            await until(
                lambda: any(a["kind"] == "reset_machine" for a in r.client.view.alerts.values()),
                "the alert on the console",
            )
            # The spare gets exactly the acknowledged answers, the same end, and saves on from 4.
            ok = await wire.login(r.spares["D06"], c, id=30)
            assert (ok["t"], ok["answers"], ok["last_seq"], ok["end"]) == (
                "login_ok",
                {"1": "C", "2": "第二题"},
                3,
                end,
            )
            assert (await save(r.spares["D06"], c, 4, {"1": "D"}, id=31)) == {"t": "ack", "id": 31, "seq": 4}
            assert (await save(r.old, c, 5, {"1": "Z"}, id=32))["code"] == "reset"  # still fenced

    run(main())


def test_the_old_machines_token_no_longer_resumes_the_candidate(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            c = r.c
            await wire.send(r.old, {"t": "login", "id": 2, "ticket": c.ticket, "id_number": c.id_number})
            token = (await reply_to(r.old, 2))["session"]
            await r.client.reset_candidate(c.ticket, "resume", "D05", "network")
            await r.old.close()
            await until(lambda: not r.client.view.machines[c.seat]["online"], "the old machine gone")
            again, welcome = await r.machine(c.seat, resume={"ticket": c.ticket, "session": token, "acked": 0})
            assert welcome.get("resume") is None
            assert r.alerts(AlertKind.RESET_MACHINE) == [(c.ticket, c.seat, "D05")]
            no = await save(again, c, 1, {"1": "A"}, id=3)
            assert no["code"] == "not_logged_in"

    run(main())


def test_the_candidate_logs_in_only_where_they_were_sent_even_with_another_machines_key(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            c = r.c
            await r.client.reset_candidate(c.ticket, "resume", "D06", "peripheral")
            before = r.seq
            # A laptop holding the other spare's key logs the candidate in there: refused, named.
            no = await wire.login(r.spares["D05"], c, id=5)
            assert (no["code"], no["rule"]) == ("reset_elsewhere", "R24") and "D06" in no["message_zh"]
            # A free seat's key (a machine nobody sits at) is no better.
            free_seat, _ = await r.machine("C01")
            before = r.seq
            no = await wire.login(free_seat, c, id=6)
            assert no["code"] == "reset_elsewhere" and r.seq == before
            # The old machine trying to log them in again is refused and raised.
            await wire.send(r.old, {"t": "login", "id": 7, "ticket": c.ticket, "id_number": c.id_number})
            no = await reply_to(r.old, 7)  # after the push that told it of the reset
            assert no["code"] == "reset_elsewhere"
            assert r.alerts(AlertKind.RESET_MACHINE) == [(c.ticket, c.seat, "D06")]

    run(main())


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"machine": "A02"}, "not_spare"),  # another candidate's machine
        ({"machine": "Z99"}, "unknown_machine"),  # another room's machine
        ({"machine": "A01"}, "same_machine"),
        ({"kind": "restart", "machine": "D05"}, "restart_elsewhere"),
        ({"reason": "other", "note": " "}, "reason_unnamed"),
        ({"ticket": "999999999999"}, "unknown_candidate"),
    ],
)
def test_a_reset_the_rules_refuse_records_nothing(package, tmp_path, fields, code):
    async def main():
        async with Room(package, tmp_path) as r:
            before = r.seq
            args = {"ticket": r.c.ticket, "kind": "resume", "machine": "D05", "reason": "machine_fault", **fields}
            no = await refused(
                r.client.reset_candidate(
                    args["ticket"], args["kind"], args["machine"], args["reason"], note=args.get("note", "")
                )
            )
            assert no.code == code and no.message_zh
            assert r.seq == before
            assert r.client.view.candidates[r.c.ticket]["state"] == "answering"

    run(main())


def test_a_spare_in_use_or_off_is_refused(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            b = package.candidates[1]
            ws, _ = await r.machine(b.seat)
            assert (await wire.login(ws, b))["t"] == "login_ok"
            await r.client.reset_candidate(b.ticket, "resume", "D05", "machine_fault")
            assert (await wire.login(r.spares["D05"], b, id=9))["t"] == "login_ok"
            before = r.seq
            no = await refused(r.client.reset_candidate(r.c.ticket, "resume", "D05", "machine_fault"))
            assert (no.code, no.rule) == ("machine_in_use", "R24") and "D05" in no.message_zh
            await r.spares["D06"].close()
            await until(lambda: not r.client.view.machines["D06"]["free_spare"], "D06 no longer free")
            before = r.seq
            no = await refused(r.client.reset_candidate(r.c.ticket, "resume", "D06", "machine_fault"))
            assert no.code == "machine_offline" and r.seq == before

    run(main())


@pytest.mark.parametrize(
    "cmd",
    [
        {"c": "reset_candidate", "ticket": "1" * 5000, "machine": "D05", "reason": "network"},
        {"c": "reset_candidate", "ticket": "1", "machine": "D" * 33, "reason": "network"},
        {"c": "reset_candidate", "ticket": "1", "machine": "D05", "reason": "bored"},
        {"c": "reset_candidate", "ticket": "1", "kind": "fresh", "machine": "D05", "reason": "network"},
        {"c": "reset_candidate", "ticket": "1", "machine": "D05", "reason": "other", "note": "x" * 201},
        {"c": "reset_candidate", "ticket": "1", "machine": ["D05"], "reason": "network"},
        {"c": "reset_candidate", "ticket": "1", "machine": {"id": "D05"}, "reason": "network"},
        {"c": "reset_candidate", "ticket": "1", "machine": "D05", "reason": "network", "answers": {"1": "A"}},
        {"c": "reset_candidate", "ticket": "1", "machine": "D05"},
    ],
    ids=[
        "huge-ticket",
        "long-machine",
        "bad-reason",
        "fresh-start",
        "long-note",
        "list",
        "object",
        "unknown",
        "no-reason",
    ],
)
def test_malformed_reset_commands_are_refused_as_messages_and_record_nothing(package, tmp_path, cmd):
    async def main():
        async with Room(package, tmp_path) as r:
            ws, snap = await wire.console(r.room.url, package)
            r.conns.append(ws)
            before = r.seq
            await wire.send(ws, {"t": "request", "id": 41, "cmd": cmd, "by": list(PROCTORS)})
            reply = await reply_to(ws, 41)
            assert (reply["t"], reply["code"]) == ("error", "bad_message")
            assert r.seq == before

    run(main())


def test_a_console_without_signed_in_proctors_or_a_machine_cannot_reset(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            ws, _ = await wire.console(r.room.url, package)
            r.conns.append(ws)
            before = r.seq
            cmd = {"c": "reset_candidate", "ticket": r.c.ticket, "machine": "D05", "reason": "network"}
            for id, by in ((50, []), (51, ["冒名者", "王芳"])):
                await wire.send(ws, {"t": "request", "id": id, "cmd": cmd, "by": by})
                assert (await reply_to(ws, id))["code"] == "not_signed_in"
            # An exam machine has no command door.
            await wire.send(r.spares["D05"], {"t": "request", "id": 52, "cmd": cmd, "by": list(PROCTORS)})
            assert (await reply_to(r.spares["D05"], 52))["t"] == "error"
            assert r.seq == before
            assert not [se for se in r.room.service.log.replay() if isinstance(se.event, CandidateReset)]

    run(main())


def test_in_a_cloud_room_a_dropped_machine_resets_its_candidate_at_once(package, tmp_path):
    """R54: no proctor acts; the candidate logs in again on any free machine with their answers."""

    async def main():
        async with Room(dataclasses.replace(package, cloud=True), tmp_path) as r:
            c = r.c
            assert (await save(r.old, c, 1, {"1": "B"}, id=2))["t"] == "ack"
            await r.old.close()
            await until(lambda: r.client.view.candidates[c.ticket]["state"] == "reset", "the reset at once")
            [reset] = [se.event for se in r.room.service.log.replay() if isinstance(se.event, CandidateReset)]
            assert (reset.rule, reset.by, reset.to) == ("R54", (), None)
            ws, _ = await r.machine("C02")
            ok = await wire.login(ws, c)
            assert (ok["t"], ok["answers"], ok["last_seq"]) == ("login_ok", {"1": "B"}, 1)

    run(main())


def test_a_simulated_exam_machine_told_of_a_reset_stops_acting_for_the_candidate(package, tmp_path):
    """proctor/sim takes the push: it stops saving for the candidate and knows where they went."""

    async def main():
        async with Room(package, tmp_path) as r:
            b = package.candidates[1]
            plan = Plan(login_after_s=0.0, submit_after_s=None, save_every_s=0.05, answer_bytes=64)
            sim = SimMachine(r.room.url, package, b.seat, b, plan, Tally(), random.Random(1))
            started = time.monotonic()
            task = asyncio.create_task(sim.run(started, started + 30))
            await until(lambda: sim.acked >= 2, "the simulated machine saving")
            await r.client.reset_candidate(b.ticket, "resume", "D05", "machine_fault")
            await asyncio.wait_for(task, 10)  # it stops, well before its deadline
            assert (sim.state, sim.reset_to, sim.unacked) == ("reset", "D05", {})
            held = r.room.service.log.holdings()["1"][b.ticket][0]
            assert held == sim.acked  # nothing acknowledged is missing

    run(main())
