"""Console commands over a real socket: applied, recorded with the proctors' names, published;
refused with the rule that refuses them; and no hostile request harms the room."""

import asyncio
import json
import time

import pytest

from proctor.domain.commands import AcknowledgeAlert, History, SignInProctors
from proctor.domain.events import AlertAcknowledged, AlertKind, AlertRaised, ProctorsSignedIn
from proctor.host import RoomOptions, start_room
from proctor.link.auth import Credential
from proctor.link.console_client import CommandRefused, ConsoleClient
from tests import wire

PROCTORS = ("林𠮷祥", "阿依古丽·买买提")


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


async def until(condition, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def _room(package, tmp_path):
    return await start_room(package, RoomOptions(db=tmp_path / "room.db", first_start_at=time.time() - 60))


async def _console(room, package) -> ConsoleClient:
    client = ConsoleClient(room.url, Credential.console(package.room_key))
    client.start()
    await until(lambda: client.view.connected, what="the console to connect")
    return client


async def _machine(room, package, machine, **kw):
    return await wire.machine(room.url, package, machine, **kw)


def test_a_command_is_applied_recorded_with_the_proctors_names_and_published(package, tmp_path):
    async def main():
        room = await _room(package, tmp_path)
        client = await _console(room, package)
        watcher = await _console(room, package)  # a second console sees what the first did
        c = package.candidates[0]
        try:
            result = await client.sign_in(PROCTORS)
            assert result["names"] == list(PROCTORS) and client.proctors == PROCTORS
            await until(
                lambda: watcher.view.header.get("proctors") == list(PROCTORS), what="the sign-in to be published"
            )

            # A candidate's machine drops: an alert, published to every console.
            ws, _ = await _machine(room, package, c.seat)
            await ws.send(json.dumps({"t": "login", "id": 1, "ticket": c.ticket, "id_number": c.id_number}))
            assert json.loads(await ws.recv())["t"] == "login_ok"
            await ws.close()
            await until(
                lambda: any(a["kind"] == "machine_offline" for a in watcher.view.alerts.values()), what="the alert"
            )
            [alert] = [a for a in watcher.view.alerts.values() if a["kind"] == "machine_offline"]
            assert (alert["machine"], alert["ticket"]) == (c.seat, c.ticket)
            assert "alert" in watcher.view.candidates[c.ticket]["flags"]

            done = await client.request(AcknowledgeAlert(alert=alert["id"]))
            await until(lambda: alert["id"] not in watcher.view.alerts, what="the acknowledgement to be published")
            assert "alert" not in watcher.view.candidates[c.ticket]["flags"]
            [ack] = [se for se in room.service.log.replay() if isinstance(se.event, AlertAcknowledged)]
            assert ack.seq == done["seq"] and ack.event.by == PROCTORS and ack.event.alert == alert["id"]
        finally:
            await client.stop()
            await watcher.stop()
            await room.stop()

    run(main())


def test_a_refused_command_names_its_rule_and_what_would_allow_it(package, tmp_path):
    async def main():
        room = await _room(package, tmp_path)
        client = await _console(room, package)
        try:
            with pytest.raises(CommandRefused) as one:
                await client.sign_in(["王芳"])
            assert (one.value.code, one.value.rule) == ("too_few_proctors", "R02")
            assert "两名监考员" in one.value.message_zh and one.value.allow_zh

            # Nobody signed in: an operation is refused, saying who must sign in first.
            with pytest.raises(CommandRefused) as unsigned:
                await client.request(AcknowledgeAlert(alert=1))
            assert unsigned.value.code == "not_signed_in" and "签到" in unsigned.value.allow_zh

            await client.sign_in(PROCTORS)
            with pytest.raises(CommandRefused) as unknown:
                await client.request(AcknowledgeAlert(alert=99))
            assert unknown.value.code == "unknown_alert"
            # Nothing refused reached the log.
            kinds = [se.event.kind for se in room.service.log.replay()]
            assert "AlertAcknowledged" not in kinds and kinds.count("ProctorsSignedIn") == 1
        finally:
            await client.stop()
            await room.stop()

    run(main())


def test_too_few_proctors_for_the_rooms_size_are_accepted_and_raised(package, tmp_path):
    async def main():  # R02: 2 per 25 candidates; the fixture room has 16, so 2 suffice
        room = await _room(package, tmp_path)
        try:
            assert room.service.room.proctors_required() == 2
            await room.service.execute(SignInProctors(names=PROCTORS), ())
            assert not any(a.kind is AlertKind.PROCTORS_SHORT for a in room.service.room.alerts.values())
        finally:
            await room.stop()

    run(main())


def test_history_pages_the_room_and_a_candidates_timeline(package, tmp_path):
    async def main():
        room = await _room(package, tmp_path)
        client = await _console(room, package)
        c = package.candidates[1]
        try:
            ws, _ = await _machine(room, package, c.seat)
            await ws.send(json.dumps({"t": "login", "id": 1, "ticket": c.ticket, "id_number": c.id_number}))
            await ws.recv()
            for seq in (1, 2, 3):
                await ws.send(
                    json.dumps({"t": "save", "id": 1 + seq, "ticket": c.ticket, "seq": seq, "answers": {"q": seq}})
                )
                await ws.recv()
            await ws.close()
            await until(lambda: room.service.room.alerts, what="the offline alert")
            pages, after = [], 0
            while True:
                events, after = await client.history(after=after, limit=3)
                pages.append(events)
                if after is None:
                    break
            everything = [e for page in pages for e in page]
            assert len(everything) == room.service.log.last_seq and all(len(p) <= 3 for p in pages)
            assert everything == [se.event for se in room.service.log.replay()]
            timeline, more = await client.history(ticket=c.ticket)
            assert more is None
            kinds = ["CandidateLoggedIn", "AnswerSaved", "AnswerSaved", "AnswerSaved", "MachineOffline", "AlertRaised"]
            assert [e.kind for e in timeline] == kinds
            assert all(c.ticket in e.tickets for e in timeline)
            with pytest.raises(CommandRefused) as nobody:
                await client.request(History(ticket="999999999999"))
            assert nobody.value.code == "unknown_candidate"
        finally:
            await client.stop()
            await room.stop()

    run(main())


@pytest.mark.parametrize(
    "request_",
    [
        {"t": "request", "id": 1, "cmd": {"c": "acknowledge_alert", "alert": 2**70}},
        {"t": "request", "id": 1, "cmd": {"c": "acknowledge_alert", "alert": -1}},
        {"t": "request", "id": -5, "cmd": {"c": "history"}},
        {"t": "request", "id": 1, "cmd": {"c": "history", "after": 2**64}},
        {"t": "request", "id": 1, "cmd": {"c": "history", "limit": 10**6}},
        {"t": "request", "id": 1, "cmd": {"c": "drop_tables"}},
        {"t": "request", "id": 1, "cmd": {"c": "sign_in_proctors", "names": ["x" * 33, "y"]}},
        {"t": "request", "id": 1, "cmd": {"c": "sign_in_proctors", "names": [f"p{i}" for i in range(13)]}},
        {"t": "request", "id": 1, "by": ["x" * 5000], "cmd": {"c": "history"}},
        {"t": "request", "id": 1, "cmd": {"c": "history", "extra": 1}},
        {
            "t": "request",
            "id": 1,
            "cmd": {
                "c": "history",
                "ticket": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
            },
        },
    ],
)
def test_a_hostile_request_is_refused_and_the_room_carries_on(package, tmp_path, request_):
    async def main():
        room = await _room(package, tmp_path)
        try:
            ws, snapshot = await wire.console(room.url, package)
            async with ws:
                assert snapshot["t"] == "snapshot"
                before = room.service.log.last_seq
                await ws.send(json.dumps(request_))
                reply = await wire.answer(ws)
                assert reply["t"] == "error" and reply["code"] == "bad_message" and reply["message_zh"]
                assert room.service.log.last_seq == before
                # The same connection still works.
                await ws.send(json.dumps({"t": "request", "id": 2, "cmd": {"c": "history", "limit": 1}}))
                reply = await wire.answer(ws)
                assert reply["t"] == "reply" and reply["id"] == 2 and len(reply["result"]["events"]) == 1
        finally:
            await room.stop()

    run(main())


def test_an_exam_machine_cannot_give_console_commands(package, tmp_path):
    async def main():
        room = await _room(package, tmp_path)
        try:
            ws, welcome = await _machine(room, package, package.candidates[0].seat)
            assert welcome["t"] == "welcome"
            for cmd in ({"c": "sign_in_proctors", "names": list(PROCTORS)}, {"c": "history"}):
                await ws.send(json.dumps({"t": "request", "id": 3, "cmd": cmd}))
                reply = json.loads(await ws.recv())
                assert (reply["t"], reply["code"], reply["id"]) == ("error", "bad_message", 3)
            assert not any(isinstance(se.event, ProctorsSignedIn) for se in room.service.log.replay())
            await ws.close()
        finally:
            await room.stop()

    run(main())


def test_an_unknown_machine_knocking_is_an_alert_once(package, tmp_path):
    async def main():
        room = await _room(package, tmp_path)
        try:
            for _ in range(3):
                ws, challenge = await wire.opened(room.url)
                forged = Credential.machine(package.room_key, "Z99")  # even with a key made for it
                await wire.send(ws, wire.hello(forged, challenge))
                assert (await wire.recv(ws))["code"] == "unknown_machine"
                await ws.close()
            alerts = [se.event for se in room.service.log.replay() if isinstance(se.event, AlertRaised)]
            assert [(a.alert_kind, a.machine) for a in alerts] == [(AlertKind.UNKNOWN_MACHINE, "Z99")]
            assert alerts[0].detail == "127.0.0.1"
        finally:
            await room.stop()

    run(main())


def test_every_command_has_a_handler_and_a_command_line_door(package, tmp_path):
    from proctor.cli import build_parser
    from proctor.domain.commands import COMMAND_TYPES, command_name
    from tests.factories import room_service

    svc = room_service(package, tmp_path / "r.db", time.time())
    svc.log.close()  # only its table of handlers is looked at
    assert set(svc.commands) == set(COMMAND_TYPES)
    doors = build_parser()._subparsers._group_actions[0].choices["do"]._subparsers._group_actions[0].choices
    assert set(doors) == {command_name(t).replace("_", "-") for t in COMMAND_TYPES}


def test_names_not_signed_in_cannot_give_a_command(package, tmp_path):
    async def main():
        room = await _room(package, tmp_path)
        client = await _console(room, package)
        try:
            await client.sign_in(PROCTORS)
            client.proctors = ("冒名者", PROCTORS[0])  # a console claiming someone who did not sign in
            with pytest.raises(CommandRefused) as refused:
                await client.request(AcknowledgeAlert(alert=1))
            assert refused.value.code == "not_signed_in" and refused.value.data["signed_in"] == sorted(PROCTORS)
        finally:
            await client.stop()
            await room.stop()

    run(main())


def test_a_flood_of_console_requests_does_not_stop_the_saves(package, tmp_path):
    async def main():
        room = await _room(package, tmp_path)
        c = package.candidates[0]
        try:
            console, _ = await wire.console(room.url, package)
            async with console:
                for i in range(300):  # unread replies pile up on the console's side only
                    await console.send(json.dumps({"t": "request", "id": i, "cmd": {"c": "history", "limit": 1000}}))
                ws, _ = await _machine(room, package, c.seat)
                await ws.send(json.dumps({"t": "login", "id": 1, "ticket": c.ticket, "id_number": c.id_number}))
                assert json.loads(await ws.recv())["t"] == "login_ok"
                await ws.send(json.dumps({"t": "save", "id": 2, "ticket": c.ticket, "seq": 1, "answers": {"q": 1}}))
                assert json.loads(await asyncio.wait_for(ws.recv(), 10)) == {"t": "ack", "id": 2, "seq": 1}
                await ws.close()
                # Read late, the console gets every answer: a reply, or past its burst too_fast.
                answers = [json.loads(await asyncio.wait_for(console.recv(), 10)) for _ in range(300)]
                answers = [a for a in answers if a["t"] in ("reply", "error")]
                while len(answers) < 300:
                    a = json.loads(await asyncio.wait_for(console.recv(), 10))
                    if a["t"] in ("reply", "error"):
                        answers.append(a)
                assert [a["id"] for a in answers] == list(range(300))
                assert {a["t"] for a in answers} == {"reply", "error"}
        finally:
            await room.stop()

    run(main())
