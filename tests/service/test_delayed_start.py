"""Delayed start over a real socket: the new start reaches every console, the exam machines logged
in before the start and those that connect after; the provincial code is asked for, checked and
used once; hostile input (bad minutes, long names, unknown fields, a code for other minutes or used
before, no proctors signed in, an exam machine's credential) is refused and changes nothing."""

import asyncio
import json
import subprocess
import sys
import time

import pytest

from proctor.domain import authcode
from proctor.domain.events import AuthorizationCodeRejected, StartDelayed
from proctor.domain.start import code_subject
from proctor.link.auth import Credential
from proctor.link.console_client import CommandRefused, ConsoleClient
from proctor.package.demo import DEMO_AUTHCODE_MASTER
from tests import wire
from tests.waiting import until

PROCTORS = ("林𠮷祥", "阿依古丽·买买提")
MIN = 60.0


class Room:
    """A served room whose sitting starts `starts_in` seconds from now, a console signed in."""

    def __init__(self, package, tmp_path, starts_in=600.0):
        self.package, self.tmp_path, self.starts_in = package, tmp_path, starts_in

    async def __aenter__(self):
        self.served = wire.served(self.package, self.tmp_path, first_start_at=time.time() + self.starts_in)
        self.room = await self.served.__aenter__()
        self.client = ConsoleClient(self.room.url, Credential.console(self.package.room_key))
        self.client.start()
        await until(lambda: self.client.view.connected, "the console to connect")
        await self.client.sign_in(PROCTORS)
        self.machines = []
        return self

    @property
    def service(self):
        return self.room.service

    def sitting(self):
        return self.service.room.sittings[0]

    async def logged_in(self, i):
        c = self.package.candidates[i]
        ws, welcome = await wire.machine(self.room.url, self.package, c.seat)
        assert welcome["t"] == "welcome"
        ok = await wire.login(ws, c)
        assert ok["t"] == "login_ok" and ok["state"] == "logged_in"
        self.machines.append(ws)
        return ws, c

    def office(self, request, minutes):
        room = authcode.room_id(self.package.site, self.package.room)
        key = authcode.room_code_key(DEMO_AUTHCODE_MASTER, room)
        return authcode.authorization_code(key, room, request, "delayed_start", minutes, code_subject(1))

    async def __aexit__(self, *exc):
        for ws in self.machines:
            await ws.close()
        await self.client.stop()
        await self.served.__aexit__(*exc)


async def refused(coro) -> CommandRefused:
    with pytest.raises(CommandRefused) as no:
        await coro
    return no.value


def delays(r):
    return [se.event for se in r.service.log.replay() if isinstance(se.event, StartDelayed)]


def test_a_delay_reaches_every_console_and_the_exam_machines(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            ws, c = await r.logged_in(0)
            scheduled = r.sitting().start
            watcher = ConsoleClient(r.room.url, Credential.console(package.room_key))
            watcher.start()
            try:
                await until(lambda: watcher.view.connected, "the second console")
                done = await r.client.delay_start(20, "power", consent="张主任（市考试院）", note="配电房跳闸")
                new = scheduled + 20 * MIN
                assert (done["start"], done["scheduled_start"]) == (new, scheduled)
                await until(lambda: watcher.view.header["sittings"][0]["start"] == new, "the new start")
                header = watcher.view.header["sittings"][0]
                assert (header["scheduled_start"], header["delay_min"]) == (scheduled, 20)
                assert {d["kind"]: d["at"] for d in header["deadlines"]}["sign_in_closes"] == new + 30 * MIN
                pushed = await wire.recv(ws)
                assert pushed == {
                    "t": "state",
                    "ticket": c.ticket,
                    "state": "logged_in",
                    "end": done["end"],
                    "start": new,
                }
                # A machine that connects after the delay reads it in its welcome and its login.
                other = package.candidates[1]
                ws2, welcome = await wire.machine(r.room.url, package, other.seat)
                r.machines.append(ws2)
                assert (welcome["sitting"]["start"], welcome["sitting"]["end"]) == (new, done["end"])
                ok = await wire.login(ws2, other)
                assert (ok["start"], ok["end"]) == (new, done["end"])
                [d] = delays(r)
                assert (d.by, d.consent, d.minutes, d.reason.value, d.note) == (
                    PROCTORS,
                    "张主任（市考试院）",
                    20,
                    "power",
                    "配电房跳闸",
                )
            finally:
                await watcher.stop()

    wire.run(main())


def test_the_code_tier_a_code_for_other_minutes_and_a_used_code(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            scheduled = r.sitting().start
            no = await refused(r.client.delay_start(45, "network", consent="张主任"))
            assert (no.code, no.rule) == ("code_required", "R17") and "申请授权码" in no.message_zh
            asked = await r.client.request_delayed_start_code(45)
            rq = asked["request"]
            assert authcode.well_formed(rq) and (asked["op"], asked["minutes"], asked["tickets"]) == (
                "delayed_start",
                45,
                [],
            )
            # The office's code for 50 minutes does not answer a request for 45: a wrong code, counted.
            no = await refused(r.client.delay_start(45, "network", request=rq, code=r.office(rq, 50)))
            assert (no.code, no.rule) == ("code_wrong", "R17") and no.data["tries_left"] == 4
            # The right code for 45 offered for 50: not what was asked, not counted.
            no = await refused(r.client.delay_start(50, "network", request=rq, code=r.office(rq, 45)))
            assert no.code == "request_differs"
            assert r.sitting().start == scheduled and delays(r) == []
            await r.client.delay_start(45, "network", request=rq, code=r.office(rq, 45))
            assert r.sitting().start == scheduled + 45 * MIN
            before = r.service.log.last_seq
            no = await refused(r.client.delay_start(40, "network", request=rq, code=r.office(rq, 40)))
            assert (no.code, no.rule) == ("code_used", "R17")
            no = await refused(r.client.delay_start(61, "network", consent="张主任"))
            assert (no.code, no.rule) == ("ministry_only", "R18") and "部中心" in no.message_zh
            assert r.service.log.last_seq == before
            rejected = [se.event for se in r.service.log.replay() if isinstance(se.event, AuthorizationCodeRejected)]
            assert [(e.attempt, e.by, e.candidates) for e in rejected] == [(1, PROCTORS, ())]

    wire.run(main())


def test_the_offices_command_line_answers_a_delayed_start_request(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            asked = await r.client.request_delayed_start_code(35)
            master = tmp_path / "province.key"
            master.write_text(DEMO_AUTHCODE_MASTER.hex() + "\n", encoding="ascii")
            room = authcode.room_id(package.site, package.room)
            args = ["authcode", "issue", "--key-file", str(master), "--room", room, "--request", asked["request"]]
            args += ["--op", "delayed_start", "--minutes", "35", "--sitting", "1"]
            out = await asyncio.to_thread(
                subprocess.run, [sys.executable, "-m", "proctor.cli", *args], capture_output=True, text=True
            )
            assert out.returncode == 0, out.stderr
            issued = json.loads(out.stdout)
            assert issued["sitting"] == 1 and "tickets" not in issued
            await r.client.delay_start(35, "power", request=asked["request"], code=issued["code"])
            assert r.sitting().delay_min == 35
            out = await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", "proctor.cli", *args[:-2], "--tickets", "1"],
                capture_output=True,
                text=True,
            )
            assert out.returncode != 0 and "--sitting" in out.stderr

    wire.run(main())


def test_after_the_start_a_delay_is_refused_with_what_applies_instead(package, tmp_path):
    async def main():
        async with Room(package, tmp_path, starts_in=-60) as r:
            await until(lambda: r.sitting().phase.value != "scheduled", "the start")
            before = r.service.log.last_seq
            no = await refused(r.client.delay_start(20, "power", consent="张主任"))
            assert (no.code, no.rule) == ("already_started", "R16")
            assert "补时" in no.message_zh and "R19" in no.allow_zh
            no = await refused(r.client.request_delayed_start_code(45))
            assert no.code == "already_started"
            assert r.service.log.last_seq == before

    wire.run(main())


@pytest.mark.parametrize(
    "fields",
    [
        {"minutes": -5},
        {"minutes": 0},
        {"minutes": 10.5},
        {"minutes": "20"},
        {"minutes": 100000},
        {"minutes": 2**63},
        {"consent": "长" * 33},
        {"consent": {"a": {"b": {}}}},
        {"note": "长" * 201},
        {"reason": "bored"},
        {"reason": ["power"]},
        {"request": "1" * 17},
        {"code": "1" * 17},
        {"sitting": 2},  # a field it does not have
        {"start": 1.0},
    ],
)
def test_a_hostile_delay_is_refused_with_a_clear_code_and_changes_nothing(package, tmp_path, fields):
    async def main():
        async with Room(package, tmp_path) as r:
            before, start = r.service.log.last_seq, r.sitting().start
            ws, _ = await wire.console(r.room.url, package)
            cmd = {"c": "delay_start", "minutes": 20, "reason": "power", "consent": "张主任", **fields}
            await wire.send(ws, {"t": "request", "id": 3, "cmd": cmd, "by": list(PROCTORS)})
            reply = await wire.recv(ws)
            while reply["t"] != "error":  # the snapshot comes first
                reply = await wire.recv(ws)
            assert (reply["code"], reply["id"]) == ("bad_message", 3)
            await ws.close()
            assert (r.service.log.last_seq, r.sitting().start) == (before, start)

    wire.run(main())


@pytest.mark.parametrize(
    "cmd",
    [
        {"c": "request_authorization", "op": "delayed_start", "minutes": -1},
        {"c": "request_authorization", "op": "delayed_start", "minutes": 2**53 + 1},
        {"c": "request_authorization", "op": "delayed_start", "minutes": 45, "sitting": 1},
        {"c": "request_authorization", "op": "start_now", "minutes": 45},
    ],
)
def test_a_hostile_request_is_refused_and_changes_nothing(package, tmp_path, cmd):
    async def main():
        async with Room(package, tmp_path) as r:
            before = r.service.log.last_seq
            ws, _ = await wire.console(r.room.url, package)
            await wire.send(ws, {"t": "request", "id": 4, "cmd": cmd, "by": list(PROCTORS)})
            reply = await wire.recv(ws)
            while reply["t"] != "error":
                reply = await wire.recv(ws)
            assert (reply["code"], reply["id"]) == ("bad_message", 4)
            await ws.close()
            assert r.service.log.last_seq == before

    wire.run(main())


def test_refusals_in_the_rules_change_nothing(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            before, start = r.service.log.last_seq, r.sitting().start
            for work, code in (
                (r.client.delay_start(30, "power"), "consent_required"),
                (r.client.delay_start(30, "power", consent="   "), "consent_required"),
                (r.client.delay_start(20, "other", consent="张主任"), "reason_unnamed"),
                (r.client.delay_start(61, "power", consent="张主任"), "ministry_only"),
                (r.client.delay_start(45, "power", request="123456782", code="017059188"), "unknown_request"),
                (r.client.delay_start(45, "power", code="017059188"), "code_incomplete"),
                (r.client.request_delayed_start_code(30), "code_not_needed"),
                (r.client.request_authorization([package.candidates[0].ticket], 45), "not_answering"),
            ):
                no = await refused(work)
                assert no.code == code and no.message_zh, (code, no.code)
            assert (r.service.log.last_seq, r.sitting().start) == (before, start)

    wire.run(main())


def test_a_delay_needs_signed_in_proctors_and_a_consoles_credential(package, tmp_path):
    async def main():
        async with Room(package, tmp_path) as r:
            ws, c = await r.logged_in(0)
            before = r.service.log.last_seq
            r.client.proctors = ()
            assert (await refused(r.client.delay_start(20, "power", consent="张主任"))).code == "not_signed_in"
            r.client.proctors = ("冒名者",)
            assert (await refused(r.client.delay_start(20, "power", consent="张主任"))).code == "not_signed_in"
            assert (await refused(r.client.request_delayed_start_code(45))).code == "not_signed_in"
            cmd = {"c": "delay_start", "minutes": 20, "reason": "power", "consent": "张主任"}
            await wire.send(ws, {"t": "request", "id": 9, "cmd": cmd, "by": list(PROCTORS)})
            reply = await wire.recv(ws)
            assert (reply["t"], reply["code"], reply["id"]) == ("error", "bad_message", 9)
            assert r.service.log.last_seq == before and delays(r) == []

    wire.run(main())
