"""The room service tried as an attacker or a faulty client would, over a real socket on loopback:
each input gets an answer, the service stays up, and nothing acknowledged is lost or taken over."""

import json
import logging
import sqlite3
import threading
import time

import pytest
from websockets.exceptions import ConnectionClosed

from proctor.domain.events import AlertKind, AlertRaised, AnswerSaved, CandidateSubmitted, SavesMissing
from proctor.link import server
from proctor.link.auth import Credential, LinkError, open_link
from proctor.link.console_client import ConsoleClient
from proctor.store import EventLog
from tests import wire
from tests.waiting import until

run, _served = wire.run, wire.served


def _alerts(room) -> list[tuple[AlertKind, str | None, str]]:
    return [
        (se.event.alert_kind, se.event.machine, se.event.detail)
        for se in room.service.log.replay()
        if isinstance(se.event, AlertRaised)
    ]


async def _save(ws, c, seq, answers, id=10):
    await wire.send(ws, {"t": "save", "id": id, "ticket": c.ticket, "seq": seq, "answers": answers})
    return await wire.recv(ws)


_answering = wire.answering


# -- one save must not stop the room ----------------------------------------------------------------


@pytest.mark.parametrize("seq", [2**63, 2**64 + 5, 2**53 + 1, 0, -1, 1.5, "1"])
def test_a_save_with_a_seq_out_of_range_is_refused_and_the_room_goes_on(package, tmp_path, seq):
    async def main():
        async with _served(package, tmp_path) as room:
            ws, c, _ = await _answering(room, package)
            reply = await _save(ws, c, seq, {"1": "A"}, id=7)
            assert (reply["t"], reply["code"], reply["id"]) == ("error", "bad_message", 7)
            assert (await _save(ws, c, 1, {"1": "A"}, id=8)) == {"t": "ack", "id": 8, "seq": 1}
            await ws.close()
            assert room.service.failed is None

    run(main())


@pytest.mark.parametrize("depth", [5, 980, 5000])
def test_deeply_nested_answers_are_refused_and_the_candidate_can_still_log_in(package, tmp_path, depth):
    async def main():
        async with _served(package, tmp_path) as room:
            ws, c, _ = await _answering(room, package)
            deep = "[" * depth + "]" * depth
            raw = f'{{"t":"save","id":7,"ticket":"{c.ticket}","seq":1,"answers":{{"1":{deep}}}}}'
            await ws.send(raw)
            reply = await wire.recv(ws)
            assert (reply["t"], reply["code"], reply["id"]) == ("error", "bad_message", 7)
            await ws.close()
            # Logging in again (the same machine, after a reconnect) still works.
            ws, _ = await wire.machine(room.url, package, c.seat)
            assert (await wire.login(ws, c))["t"] == "login_ok"
            await ws.close()

    run(main())


def test_binary_frames_get_an_error_and_broken_utf8_closes_only_that_connection(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            ws, c, ok = await _answering(room, package)
            other, c2, _ = await _answering(room, package, 1)
            await ws.send(json.dumps({"t": "save", "id": 3, "ticket": c.ticket, "seq": 1, "answers": {}}).encode())
            reply = await wire.recv(ws)
            assert (reply["code"], reply["id"]) == ("text_only", 3)
            assert (await _save(ws, c, 1, {"1": "A"}, id=5))["t"] == "ack"
            # Not UTF-8 in a text frame: the WebSocket layer fails the connection with 1007 and
            # says why (RFC 6455 8.1), not an internal error; the machine reconnects and resumes.
            await ws.send(b'{"t":"save","id":4,"answers":"\xff\xfe"}', text=True)
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
            assert closed.value.rcvd.code == 1007 and "invalid start byte" in closed.value.rcvd.reason
            assert (await _save(other, c2, 1, {"1": "B"}))["t"] == "ack"  # nobody else noticed
            resume = {"ticket": c.ticket, "session": ok["session"], "acked": 1}
            back, welcome = await wire.machine(room.url, package, c.seat, resume=resume)
            assert welcome["resume"]["last_seq"] == 1
            await back.close()
            await other.close()

    run(main())


def test_a_flood_of_bad_messages_is_logged_once_and_others_are_not_slowed(package, tmp_path, caplog):
    async def main():
        async with _served(package, tmp_path) as room:
            flood, _ = await wire.machine(room.url, package, package.candidates[1].seat)
            ws, c, _ = await _answering(room, package)
            for i in range(400):
                await flood.send(f'{{"t":"nope","id":{i}}}')
            replies = [await wire.recv(flood) for _ in range(400)]
            assert {r["code"] for r in replies} <= {"bad_message", "too_fast"}
            assert "too_fast" in {r["code"] for r in replies}  # past the burst: slowed down
            assert (await _save(ws, c, 1, {"1": "A"}))["t"] == "ack"
            await flood.close()
            await ws.close()
            await wire_closed(room, package.candidates[1].seat)

    with caplog.at_level(logging.WARNING, logger="proctor.link"):
        run(main())
    firsts = [r for r in caplog.records if r.getMessage().startswith("bad_message from")]
    assert len(firsts) == 1
    assert any("repeated" in r.getMessage() for r in caplog.records)


async def wire_closed(room, machine):
    await until(lambda: machine not in room.link.machines, f"the service to see {machine}'s connection closed")


# -- saves: what was acknowledged stands -----------------------------------------------------------


def test_a_resend_with_other_answers_is_refused_and_recorded_and_the_acknowledged_save_stands(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            ws, c, _ = await _answering(room, package)
            assert (await _save(ws, c, 1, {"1": "A"}))["t"] == "ack"
            assert (await _save(ws, c, 1, {"1": "A"})) == {"t": "ack", "id": 10, "seq": 1, "dup": True}
            reply = await _save(ws, c, 1, {"1": "B"})
            assert (reply["code"], reply["data"]["seq"]) == ("resend_differs", 1)
            assert room.service.log.latest_answer(1, c.ticket)[1] == {"1": "A"}
            assert (AlertKind.SAVE_CONFLICT, c.seat, "1") in _alerts(room)
            await ws.close()

    run(main())


def test_after_a_restart_the_acknowledged_saves_stand_against_resends_that_differ_and_other_machines(package, tmp_path):
    """The log finds a candidate's saves through an index it rebuilds when it opens: what a
    hostile resend is compared with, and what a login gives back, come from it."""

    async def main():
        c, d = package.candidates[0], package.candidates[1]
        async with _served(package, tmp_path) as room:
            ws, _, _ = await _answering(room, package)
            assert (await _save(ws, c, 1, {"1": "A"}))["t"] == "ack"
            assert (await _save(ws, c, 2, {"1": "B"}))["t"] == "ack"
            await ws.close()
        async with _served(package, tmp_path) as room:
            ws, _, ok = await _answering(room, package)
            assert (ok["last_seq"], ok["answers"]) == (2, {"1": "B"})
            other, _, _ = await _answering(room, package, 1)
            for seq, answers, id, code in [
                (2, {"1": "X"}, 11, "resend_differs"),
                (1, {"1": "X" * 1000}, 12, "resend_differs"),
                (2**63, {"1": "X"}, 13, "bad_message"),
                (-1, {"1": "X"}, 14, "bad_message"),
            ]:
                reply = await _save(ws, c, seq, answers, id=id)
                assert (reply["t"], reply["code"], reply["id"]) == ("error", code, id), reply
            assert (await _save(ws, c, 1, {"1": "A"}, id=15)) == {"t": "ack", "id": 15, "seq": 1, "dup": True}
            reply = await _save(other, c, 3, {"1": "Y"}, id=16)  # someone else's ticket
            assert (reply["code"], reply["id"]) == ("not_logged_in", 16)
            assert (await _save(other, d, 1, {"1": "D"}))["t"] == "ack"
            console, _ = await wire.console(room.url, package)
            async with console:
                await wire.send(console, {"t": "request", "id": 3, "cmd": {"c": "history", "ticket": c.ticket}})
                timeline = (await wire.answer(console))["result"]["events"]
            assert [e["seq"] for e in timeline if e["kind"] == "AnswerSaved"] == [1, 2]  # each once
            log = room.service.log
            assert log.latest_answer(1, c.ticket)[:2] == (2, {"1": "B"})
            assert log.latest_answer(1, d.ticket)[:2] == (1, {"1": "D"})
            await ws.close()
            await other.close()
            assert room.service.failed is None

    run(main())


def test_a_save_that_skips_seqs_is_refused(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            ws, c, _ = await _answering(room, package)
            reply = await _save(ws, c, 2**40, {"1": "A"})
            assert (reply["code"], reply["data"]["expected"]) == ("seq_gap", 1)
            assert (await _save(ws, c, 1, {"1": "B"}))["t"] == "ack"  # later saves are not thrown away
            assert (await _save(ws, c, 2, {"1": "C"}))["t"] == "ack"
            await ws.close()

    run(main())


def test_saves_the_machine_had_acknowledged_and_the_log_lacks_raise_an_alarm(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            ws, c, ok = await _answering(room, package)
            assert (await _save(ws, c, 1, {"1": "A"}))["t"] == "ack"
            await ws.close()
            # The machine had saves up to 5 acknowledged (the log was restored from an older copy).
            resume = {"ticket": c.ticket, "session": ok["session"], "acked": 5}
            ws, welcome = await wire.machine(room.url, package, c.seat, resume=resume)
            assert welcome["resume"]["last_seq"] == 5
            assert (await _save(ws, c, 6, {"1": "F"}))["t"] == "ack"  # it goes on, not refused as a gap
            await ws.close()
            missing = [se.event for se in room.service.log.replay() if isinstance(se.event, SavesMissing)]
            assert [(e.held, e.acked) for e in missing] == [(1, 5)]
            assert (AlertKind.SAVES_MISSING, c.seat, "1/5") in _alerts(room)

    run(main())


# -- who may connect ---------------------------------------------------------------------------------


def test_a_laptop_with_a_ticket_number_but_not_the_machines_key_is_refused_and_raised(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            real, c, ok = await _answering(room, package)
            # v1's shared room key, or any other key: not the machine's own.
            laptop = Credential("machine", c.seat, b"the room key from v1 is not enough", Credential.console("x").pin)
            ws, challenge = await wire.opened(room.url)
            await wire.send(ws, wire.hello(laptop, challenge, resume={"ticket": c.ticket, "session": "guess"}))
            reply = await wire.recv(ws)
            assert reply["code"] == "bad_proof"
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            assert (AlertKind.BAD_PROOF, c.seat, "127.0.0.1") in _alerts(room)
            assert (await _save(real, c, 1, {"1": "A"}))["t"] == "ack"  # the real machine carries on
            await real.close()

    run(main())


def test_a_recorded_proof_cannot_be_replayed_on_a_new_challenge(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            cred = Credential.machine(package.room_key, "A05")
            ws, challenge = await wire.opened(room.url)
            recorded = wire.hello(cred, challenge)
            await ws.close()
            ws, fresh = await wire.opened(room.url)
            assert fresh["nonce"] != challenge["nonce"]
            await wire.send(ws, recorded)
            assert (await wire.recv(ws))["code"] == "bad_proof"
            await ws.close()

    run(main())


def test_a_copied_machine_key_cannot_push_the_real_machine_off(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            real, c, ok = await _answering(room, package)
            clone, reply = await wire.machine(room.url, package, c.seat, resume={"ticket": c.ticket, "session": "x"})
            assert reply["code"] == "machine_connected"
            await clone.close()
            assert (AlertKind.MACHINE_CLASH, c.seat, "127.0.0.1") in _alerts(room)
            assert (await _save(real, c, 1, {"1": "A"}))["t"] == "ack"  # not replaced
            await real.close()

    run(main())


def test_a_copied_machine_key_without_the_login_token_cannot_act_for_the_candidate(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            real, c, ok = await _answering(room, package)
            assert (await _save(real, c, 1, {"1": "A"}))["t"] == "ack"
            await real.close()
            await wire_closed(room, c.seat)
            # The real machine is off; a copy of its key connects, names the candidate, guesses.
            clone, welcome = await wire.machine(room.url, package, c.seat, resume={"ticket": c.ticket, "session": "x"})
            assert welcome["t"] == "welcome" and welcome.get("resume") is None
            reply = await _save(clone, c, 2, {"1": "forged"})
            assert reply["code"] == "not_logged_in"
            await wire.send(clone, {"t": "submit", "id": 11, "ticket": c.ticket})
            assert (await wire.recv(clone))["code"] == "not_logged_in"
            await clone.close()
            kinds = [se.event for se in room.service.log.replay()]
            assert not any(isinstance(e, CandidateSubmitted) for e in kinds)
            assert [e.seq for e in kinds if isinstance(e, AnswerSaved)] == [1]
            # The real machine, with its token, resumes.
            resume = {"ticket": c.ticket, "session": ok["session"], "acked": 1}
            back, welcome = await wire.machine(room.url, package, c.seat, resume=resume)
            assert welcome["resume"]["last_seq"] == 1
            assert (await _save(back, c, 2, {"1": "B"}))["t"] == "ack"
            await back.close()

    run(main())


def test_an_exam_machines_key_does_not_open_the_console(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            machine_key = Credential.machine(package.room_key, "A01")
            ws, challenge = await wire.opened(room.url)
            await wire.send(ws, {**wire.hello(machine_key, challenge), "role": "console"})
            assert (await wire.recv(ws))["code"] == "bad_proof"
            await ws.close()
            assert (AlertKind.BAD_PROOF, None, "127.0.0.1") in _alerts(room)

    run(main())


def test_a_client_does_not_talk_to_a_service_that_lacks_the_rooms_key(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            other_room = Credential.machine("0" * 32, "A01")  # another room's credential
            with pytest.raises(LinkError, match="not the room's service"):
                async with open_link(room.url, other_room):
                    pass
            # A console given another room's package says so to the proctor, in Chinese.
            client = ConsoleClient(room.url, Credential.console("0" * 32))
            client.start()
            try:
                await until(lambda: client.last_error is not None, "the console to give up on it")
            finally:
                await client.stop()
            assert "不是本考场的考场服务器" in client.last_error and not client.view.connected

    run(main())


# -- consoles ------------------------------------------------------------------------------------


def test_consoles_are_limited(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            room.link.max_consoles = 3
            consoles = [await wire.console(room.url, package) for _ in range(3)]
            assert all(first["t"] == "snapshot" for _, first in consoles)
            extra, reply = await wire.console(room.url, package)
            assert reply["code"] == "too_many_consoles" and "3" in reply["message_zh"]
            await extra.close()
            await consoles[0][0].close()
            await until(lambda: len(room.link._consoles) == 2, "the service to let the closed console go")
            again, first = await wire.console(room.url, package)  # a place is free again
            await again.close()
            assert first["t"] == "snapshot"
            for ws, _ in consoles[1:]:
                await ws.close()

    run(main())


def test_a_console_that_falls_behind_gets_one_snapshot_not_an_endless_queue():
    console = server._Console()
    console.catch_up("snapshot", 10)
    for i in range(server.CONSOLE_BACKLOG * 10):
        console.update(f"changed {i}", 11 + i)
        if i == 5:
            console.reply("reply 1")
    assert console.behind and console.updates == 0
    assert [text for _, text in console.items] == ["reply 1"]  # replies are kept, in order


def test_a_console_is_not_sent_again_what_its_snapshot_holds():
    """A batch written before a console's snapshot and made durable after it is in the snapshot:
    its update is not sent, and the updates after it are, in order."""
    console = server._Console()
    console.catch_up("snapshot at 10", 10)
    for seq in (9, 10, 11, 12):
        console.update(f"changed {seq}", seq)
    assert [text for _, text in console.items] == ["snapshot at 10", "changed 11", "changed 12"]


def test_a_machine_whose_old_connection_died_silently_gets_back_in_at_once(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            dead, c, ok = await _answering(room, package)
            assert (await _save(dead, c, 1, {"1": "A"}))["t"] == "ack"
            dead.transport.pause_reading()  # a pulled cable: no close, no pong
            resume = {"ticket": c.ticket, "session": ok["session"], "acked": 1}
            t = time.monotonic()
            back, welcome = await wire.machine(room.url, package, c.seat, resume=resume)
            assert welcome["resume"]["last_seq"] == 1 and time.monotonic() - t < server.CLASH_PING_S + 2
            assert (await _save(back, c, 2, {"1": "B"}))["t"] == "ack"
            assert not any(kind is AlertKind.MACHINE_CLASH for kind, _, _ in _alerts(room))
            await back.close()
            dead.transport.abort()

    run(main())


def test_a_flood_of_connections_with_bad_proofs_is_one_log_line_and_one_alert(package, tmp_path, caplog):
    async def main():
        async with _served(package, tmp_path) as room:
            laptop = Credential("machine", "A03", b"guessed", Credential.console(package.room_key).pin)
            for _ in range(30):
                ws, challenge = await wire.opened(room.url)
                await wire.send(ws, wire.hello(laptop, challenge))
                assert (await wire.recv(ws))["code"] == "bad_proof"
                await ws.close()
            assert _alerts(room) == [(AlertKind.BAD_PROOF, "A03", "127.0.0.1")]

    with caplog.at_level(logging.WARNING, logger="proctor.link"):
        run(main())
    assert len([r for r in caplog.records if r.getMessage().startswith("bad_proof from")]) == 1


def test_answers_edited_on_disk_are_not_given_back_and_are_raised(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            ws, c, _ = await _answering(room, package)
            assert (await _save(ws, c, 1, {"1": "A"}, id=1))["t"] == "ack"
            assert (await _save(ws, c, 2, {"1": "B"}, id=2))["t"] == "ack"
            await ws.close()
            with sqlite3.connect(tmp_path / "room.db") as db:  # someone at the proctor machine's disk
                db.execute(
                    "UPDATE answers SET answers = ? WHERE event = (SELECT seq FROM events"
                    " WHERE kind = 'AnswerSaved' AND json_extract(data, '$.seq') = 2)",
                    ('{"1":"Z"}',),
                )
            db.close()
            ws, _ = await wire.machine(room.url, package, c.seat)
            ok = await wire.login(ws, c)
            assert ok["answers"] == {"1": "A"} and ok["last_seq"] == 2
            await ws.close()
            assert (AlertKind.ANSWERS_DAMAGED, c.seat, "2") in _alerts(room)

    run(main())


def test_a_machine_with_its_clock_off_and_removable_media_is_admitted_and_raised(package, tmp_path):  # R59, R60
    async def main():
        async with _served(package, tmp_path) as room:
            checks = {"internet": False, "removable_media": True}
            ws, welcome = await wire.machine(room.url, package, "A04", clock=time.time() + 95, checks=checks)
            assert welcome["t"] == "welcome"
            await ws.close()
            kinds = [(kind, machine) for kind, machine, _ in _alerts(room)]
            assert kinds == [(AlertKind.MACHINE_CLOCK, "A04"), (AlertKind.MACHINE_UNSEALED, "A04")]

    run(main())


@pytest.mark.parametrize(
    "fields",
    [
        {"clock": -1},
        {"clock": 1e308},
        {"clock": "now"},
        {"checks": {"internet": "no", "removable_media": False}},
        {"checks": {"internet": False}},
        {"resume": {"ticket": "x" * 33, "session": "s"}},
        {"resume": {"ticket": "1", "session": "s" * 65}},
        {"resume": {"ticket": "1", "session": "s", "acked": -1}},
        {"resume": {"ticket": "1", "session": "s", "acked": 2**63}},
        {"proof": "0" * 63},
        {"proof": "G" * 64},
        {"role": "proctor"},
        {"machine": ""},
    ],
)
def test_a_hello_with_a_field_out_of_bounds_is_refused_in_words(package, tmp_path, fields):
    async def main():
        async with _served(package, tmp_path) as room:
            ws, challenge = await wire.opened(room.url)
            await wire.send(ws, {**wire.hello(Credential.machine(package.room_key, "A01"), challenge), **fields})
            reply = await wire.recv(ws)
            assert (reply["t"], reply["code"]) == ("error", "bad_message") and reply["message_zh"]
            await ws.wait_closed()
            assert not room.service.room.machines["A01"].online

    run(main())


@pytest.mark.parametrize("acked", [-1, 2**53 + 1, 2**64, "5"])
def test_a_login_with_acked_out_of_range_is_refused_with_its_id(package, tmp_path, acked):
    async def main():
        async with _served(package, tmp_path) as room:
            c = package.candidates[0]
            ws, _ = await wire.machine(room.url, package, c.seat)
            reply = await wire.login(ws, c, id=9, acked=acked)
            assert (reply["code"], reply["id"]) == ("bad_message", 9)
            await ws.close()

    run(main())


def test_an_acked_beyond_any_exam_leaves_the_candidate_untouched(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            c = package.candidates[0]
            ws, _ = await wire.machine(room.url, package, c.seat)
            reply = await wire.login(ws, c, acked=2**53)  # would leave no seq to save with
            assert (reply["code"], reply["data"]["held"]) == ("acked_implausible", 0)
            ok = await wire.login(ws, c, id=2)
            assert ok["t"] == "login_ok" and ok.get("last_seq", 0) == 0
            assert (await _save(ws, c, 1, {"1": "A"}))["t"] == "ack"
            await ws.close()
            resume = {"ticket": c.ticket, "session": ok["session"], "acked": 2**52}
            ws, reply = await wire.machine(room.url, package, c.seat, resume=resume)
            assert reply["code"] == "acked_implausible"
            await ws.close()
            assert not any(isinstance(se.event, SavesMissing) for se in room.service.log.replay())

    run(main())


@pytest.mark.parametrize(
    "msg",
    [
        {"t": "login", "id": 4, "ticket": "1", "id_number": "2"},
        {"t": "save", "id": 4, "ticket": "1", "seq": 1, "answers": {}},
        {"t": "submit", "id": 4, "ticket": "1"},
        {"t": "hello", "id": 4, "v": 2, "role": "machine", "proof": "0" * 64},
    ],
)
def test_a_console_cannot_speak_as_an_exam_machine(package, tmp_path, msg):
    async def main():
        async with _served(package, tmp_path) as room:
            before = room.service.log.last_seq
            ws, _ = await wire.console(room.url, package)
            await wire.send(ws, msg)
            reply = await wire.recv(ws)
            assert (reply["t"], reply["code"], reply["id"]) == ("error", "bad_message", 4)
            await ws.close()
            assert room.service.log.last_seq == before

    run(main())


def test_a_machine_cannot_act_for_a_candidate_logged_in_elsewhere(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            mine, c, _ = await _answering(room, package, 0)
            theirs, c2, ok2 = await _answering(room, package, 1)
            reply = await _save(mine, c2, 1, {"1": "forged"})  # someone else's ticket
            assert reply["code"] == "not_logged_in"
            await wire.send(mine, {"t": "submit", "id": 11, "ticket": c2.ticket})
            assert (await wire.recv(mine))["code"] == "not_logged_in"
            await mine.close()
            # Their token on my machine resumes nobody.
            resume = {"ticket": c2.ticket, "session": ok2["session"]}
            ws, welcome = await wire.machine(room.url, package, c.seat, resume=resume)
            assert welcome["t"] == "welcome" and welcome.get("resume") is None
            assert (await _save(ws, c2, 1, {"1": "forged"}))["code"] == "not_logged_in"
            await ws.close()
            assert (await _save(theirs, c2, 1, {"1": "B"}))["t"] == "ack"
            await theirs.close()

    run(main())


# -- holdings?: what the log holds and how its commits went, to consoles only ---------------------


def test_an_exam_machine_asking_what_the_log_holds_is_refused_and_learns_nothing(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            ws, c, _ = await _answering(room, package)
            assert (await _save(ws, c, 1, {"1": "A"}, id=1))["t"] == "ack"
            await wire.send(ws, {"t": "holdings?", "id": 9})
            reply = await wire.recv(ws)
            assert (reply["t"], reply["code"], reply["id"]) == ("error", "bad_message", 9)
            assert "sittings" not in reply and "commits" not in reply
            assert (await _save(ws, c, 2, {"1": "B"}, id=2))["t"] == "ack"  # and it goes on
            await ws.close()

    run(main())


@pytest.mark.parametrize(
    "msg, code, id",
    [
        ({"t": "holdings?", "id": 2**53 + 1}, "bad_message", None),
        ({"t": "holdings?", "id": -1}, "bad_message", None),
        ({"t": "holdings?", "id": 1.5}, "bad_message", None),
        ({"t": "holdings?", "id": [[[[[[[[1]]]]]]]]}, "bad_message", None),
        ({"t": "holdings?", "id": 3, "commits": {"slow": 10**30}}, "bad_message", 3),
        ({"t": "holdings?", "id": 3, "sittings": {"1": {"x": [-1, 2**64]}}}, "bad_message", 3),
    ],
)
def test_a_console_asking_what_the_log_holds_out_of_bounds_gets_an_error_and_the_room_goes_on(
    package, tmp_path, msg, code, id
):
    async def main():
        async with _served(package, tmp_path) as room:
            ws, _ = await wire.console(room.url, package)
            await wire.send(ws, msg)
            reply = await wire.answer(ws)  # after the console's snapshot
            assert (reply["t"], reply["code"], reply.get("id")) == ("error", code, id)
            await wire.send(ws, {"t": "holdings?", "id": 4})  # the same connection still gets its answer
            reply = await wire.answer(ws)
            assert (reply["t"], reply["id"]) == ("holdings", 4) and reply["commits"]["commits"] > 0
            await ws.close()

    run(main())


def test_a_console_flooding_holdings_is_slowed_and_exam_machines_are_not(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room:
            machine_ws, c, _ = await _answering(room, package)
            ws, _ = await wire.console(room.url, package)
            for i in range(400):
                await ws.send(f'{{"t":"holdings?","id":{i}}}')
            codes = []
            while len(codes) < 400:
                reply = await wire.recv(ws)
                if reply["t"] in ("holdings", "error"):
                    codes.append(reply.get("code", "holdings"))
            assert "too_fast" in codes and set(codes) <= {"holdings", "too_fast"}
            assert (await _save(machine_ws, c, 1, {"1": "A"}, id=1))["t"] == "ack"
            await ws.close()
            await machine_ws.close()

    run(main())


def test_what_the_log_holds_is_read_off_the_loop_and_saves_go_on_meanwhile(package, tmp_path, monkeypatch):
    reading = threading.Event()
    go_on = threading.Event()
    read = EventLog.holdings

    def slow_read(self):  # a log of a whole exam: the scan takes its time
        reading.set()
        go_on.wait(10)
        return read(self)

    monkeypatch.setattr(EventLog, "holdings", slow_read)

    async def main():
        async with _served(package, tmp_path) as room:
            machine_ws, c, _ = await _answering(room, package)
            ws, _ = await wire.console(room.url, package)
            await wire.send(ws, {"t": "holdings?", "id": 5})
            await until(reading.is_set, "the read to begin")
            assert (await _save(machine_ws, c, 1, {"1": "A"}, id=1))["t"] == "ack"  # not waiting on the read
            go_on.set()
            reply = await wire.answer(ws)
            assert (reply["t"], reply["id"]) == ("holdings", 5) and reply["sittings"]["1"][c.ticket] == [1, 1]
            await ws.close()
            await machine_ws.close()

    run(main())
