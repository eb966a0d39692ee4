"""Revealing a candidate's ID number over a real socket: the reply to the proctors who asked
carries the whole number, the log records who asked and when, and nothing else anywhere (the
log, another console, an exam machine) gets the number. Tried as an attacker too."""

import asyncio
import json

import pytest

from proctor.domain.events import IdNumberRevealed
from proctor.link.auth import Credential
from proctor.link.console_client import CommandRefused
from tests import wire

PROCTORS = ("林𠮷祥", "阿依古丽·买买提")


run, _served = wire.run, wire.served


_console = wire.console_client


def _revealed(room) -> list[tuple[int, IdNumberRevealed]]:
    return [(se.seq, se.event) for se in room.service.log.replay() if isinstance(se.event, IdNumberRevealed)]


def _logged_bytes(room, tmp_path) -> bytes:
    """Every event as the log holds it, and the database's files as they are on disk."""
    rows = room.service.log.history(0, 100_000, None)
    files = [p.read_bytes() for p in tmp_path.glob("room.db*")]
    return b"\n".join([*(bytes(data) for _, data in rows), *files])


def test_the_reply_carries_the_number_and_only_the_reply(package, tmp_path):
    async def main():
        c = package.candidates[4]
        async with _served(package, tmp_path) as room, _console(room, package) as client:
            await client.sign_in(PROCTORS)
            # A second console, read raw: every frame it gets is kept.
            other, snapshot = await wire.console(room.url, package)
            frames: list[str] = [json.dumps(snapshot, ensure_ascii=False)]
            async with other:
                number = await client.reveal_id_number(c.ticket)
                assert number == c.id_number

                [(seq, e)] = _revealed(room)
                assert (e.ticket, e.by, e.sitting) == (c.ticket, PROCTORS, 1)
                logged = _logged_bytes(room, tmp_path)
                assert b"IdNumberRevealed" in logged and c.id_number.encode() not in logged

                while True:  # the other console sees that it happened, with the names
                    frames.append(await asyncio.wait_for(other.recv(), 10))
                    msg = json.loads(frames[-1])
                    if msg["t"] == "changed" and any(ev["kind"] == "IdNumberRevealed" for ev in msg["events"]):
                        break
                [ev] = [ev for ev in msg["events"] if ev["kind"] == "IdNumberRevealed"]
                assert ev["ticket"] == c.ticket and ev["by"] == list(PROCTORS)
                assert [row["ticket"] for row in msg["candidates"]] == [c.ticket]
                assert msg["candidates"][0]["id_masked"].endswith(c.id_number[-4:])
                assert not any(c.id_number in f for f in frames)
                # Its own view of the room never held the number either.
                assert c.id_number not in json.dumps(client.view.candidates, ensure_ascii=False)
                assert client.view.seq >= seq

    run(main())


def test_refused_before_the_proctors_sign_in_and_for_a_ticket_not_in_the_room(package, tmp_path):
    async def main():
        async with _served(package, tmp_path) as room, _console(room, package) as client:
            before = room.service.log.last_seq
            with pytest.raises(CommandRefused) as unsigned:
                await client.reveal_id_number(package.candidates[0].ticket)
            assert unsigned.value.code == "not_signed_in" and "签到" in unsigned.value.allow_zh
            assert room.service.log.last_seq == before

            await client.sign_in(PROCTORS)
            with pytest.raises(CommandRefused) as unknown:
                await client.reveal_id_number("999999999999")
            assert unknown.value.code == "unknown_candidate" and "准考证号" in unknown.value.message_zh
            assert _revealed(room) == []

    run(main())


def test_an_exam_machines_credential_cannot_reveal(package, tmp_path):
    async def main():
        c = package.candidates[0]
        async with _served(package, tmp_path) as room, _console(room, package) as client:
            await client.sign_in(PROCTORS)
            # On its own connection the machine may not give console commands at all.
            ws, welcome = await wire.machine(room.url, package, c.seat)
            assert welcome["t"] == "welcome"
            await wire.send(
                ws,
                {"t": "request", "id": 5, "by": list(PROCTORS), "cmd": {"c": "reveal_id_number", "ticket": c.ticket}},
            )
            reply = await wire.recv(ws)
            assert (reply["t"], reply["code"], reply["id"]) == ("error", "bad_message", 5)
            assert c.id_number not in json.dumps(reply, ensure_ascii=False)
            await ws.close()
            # Nor does its key open a console connection.
            ws, challenge = await wire.opened(room.url)
            await wire.send(
                ws, {**wire.hello(Credential.machine(package.room_key, c.seat), challenge), "role": "console"}
            )
            assert (await wire.recv(ws))["code"] == "bad_proof"
            await ws.close()
            assert _revealed(room) == []

    run(main())


@pytest.mark.parametrize(
    "cmd",
    [
        {"c": "reveal_id_number"},
        {"c": "reveal_id_number", "ticket": ""},
        {"c": "reveal_id_number", "ticket": "1" * 33},
        {"c": "reveal_id_number", "ticket": 273303001001},
        {"c": "reveal_id_number", "ticket": "273303001001", "id_number": "x"},
    ],
)
def test_a_malformed_reveal_is_refused_and_nothing_is_recorded(package, tmp_path, cmd):
    async def main():
        async with _served(package, tmp_path) as room, _console(room, package) as client:
            await client.sign_in(PROCTORS)
            ws, _ = await wire.console(room.url, package)
            async with ws:
                await wire.send(ws, {"t": "request", "id": 9, "by": list(PROCTORS), "cmd": cmd})
                while (reply := await wire.recv(ws))["t"] not in ("error", "reply"):
                    pass
                assert (reply["t"], reply["code"], reply["id"]) == ("error", "bad_message", 9)
                assert reply["message_zh"]
            assert _revealed(room) == []

    run(main())
