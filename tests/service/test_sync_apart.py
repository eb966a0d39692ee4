"""A serving room syncs its WAL in a process of its own (`proctor.store.walsync`): a save is
acknowledged once the sync asked after its commit has returned, and never before; the loop
reads the next messages meanwhile, and replies still go out in the order their requests came.
A sync that fails stops the service; nothing it did not sync is acknowledged."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import select
import signal
import socket

import pytest
from websockets.exceptions import ConnectionClosed

from proctor.clock import SimulatedClock
from proctor.domain.events import AnswerSaved
from proctor.link import transport
from proctor.service import QUIET_DISK_S, RoomService
from proctor.store import EventLog
from proctor.store.walsync import SyncFailed
from tests import wire
from tests.factories import START, make_package, national_policy
from tests.waiting import until

QUIET_S = 0.3  # for what must not come meanwhile
run = wire.run


@contextlib.contextmanager
def _held(log: EventLog):
    """The disk does not come back from the sync (its process stopped) until the block ends."""
    assert log.syncer is not None
    os.kill(log.syncer.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(log.syncer.pid, signal.SIGCONT)


_answering = wire.answering


async def _written(log: EventLog, before: int) -> None:
    await until(lambda: log.last_seq > before, "the save to be written to the log")


async def _sent_and_written(ws, room, c, seq: int, id: int) -> EventLog:
    """A save sent over the socket and written to the room's log (its sync may not be done)."""
    log = room.service.log
    before = log.last_seq
    await wire.send(ws, _save(c, seq, id))
    await _written(log, before)
    return log


def _save(c, seq: int, id: int) -> dict:
    return {"t": "save", "id": id, "ticket": c.ticket, "seq": seq, "answers": {"1": "AB"[seq % 2]}}


async def _service(tmp_path):
    pkg = make_package(candidates=3, machines=5)
    svc = RoomService(
        pkg, national_policy(), EventLog(tmp_path / "room.db", sync_apart=True), SimulatedClock(START + 60)
    )
    await svc.open()
    for c in pkg.candidates:
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    return svc, pkg


def test_a_save_is_acknowledged_once_its_sync_has_returned_not_when_written(tmp_path):
    async def main():
        svc, pkg = await _service(tmp_path)
        c = pkg.candidates[0]
        before = svc.log.last_seq
        with _held(svc.log):
            saving = asyncio.ensure_future(svc.save(c.seat, c.ticket, 1, {"1": "A"}, 1))
            await asyncio.sleep(QUIET_S)
            assert svc.log.last_seq == before + 1  # written to the log
            assert not saving.done()  # and not acknowledged
        assert await asyncio.wait_for(saving, 10) is False
        slow = svc.commit_times.figures()["latest"]
        assert slow and slow[-1][1] >= QUIET_S * 1000  # the wait is the commit's, as measured
        await svc.close()
        svc.log.close()

    run(main())


def test_on_a_quiet_disk_a_save_commits_in_its_own_turn_and_is_acknowledged_between_two_messages(tmp_path):
    async def main():
        svc, pkg = await _service(tmp_path)
        a, b = pkg.candidates[:2]
        await asyncio.sleep(2 * QUIET_DISK_S)  # the logins' syncs are a while ago
        before = svc.log.last_seq
        told: list[BaseException | None] = []
        assert await svc.save(a.seat, a.ticket, 1, {"1": "A"}, 1, then=told.append) is None
        assert svc.log.last_seq == before + 1  # written, and its sync asked, before any turn
        assert svc.log.syncer is not None
        assert select.select([svc.log.syncer.fileno()], [], [], 10)[0]  # the disk has synced it
        assert told == []  # the loop has not had a turn to read the answer
        seen = svc.machine_seen(b.seat)  # another machine's heartbeat, handled without a turn
        with pytest.raises(StopIteration):
            seen.send(None)
        assert told == [None]  # acknowledged as the next message was handled
        await svc.close()
        svc.log.close()

    run(main())


def test_a_failed_sync_stops_the_service_and_acknowledges_nothing_it_did_not_sync(tmp_path):
    async def main():
        svc, pkg = await _service(tmp_path)
        a, b = pkg.candidates[:2]
        with _held(svc.log):
            before = svc.log.last_seq
            first = asyncio.ensure_future(svc.save(a.seat, a.ticket, 1, {"1": "A"}, 1))
            await _written(svc.log, before)
            told = []
            assert await svc.save(b.seat, b.ticket, 1, {"1": "B"}, 1, then=told.append) is None
            assert svc.log.syncer is not None
            os.kill(svc.log.syncer.pid, signal.SIGKILL)
        with pytest.raises(SyncFailed):
            await asyncio.wait_for(first, 10)
        assert len(told) == 1 and isinstance(told[0], SyncFailed)
        assert svc.failed_event.is_set() and isinstance(svc.failed, SyncFailed)
        with pytest.raises(RuntimeError, match="restart"):
            await svc.save(a.seat, a.ticket, 2, {"1": "C"}, 1)
        await svc.close()
        svc.log.close()

    run(main())


def test_replies_go_out_in_the_order_the_requests_came(package, tmp_path):
    """A refusal is ready at once, an acknowledgement only after the disk: the refusal of the
    request after a save still comes after the save's ack."""

    async def main():
        async with wire.served(package, tmp_path) as room:
            ws, c, _ = await _answering(room, package)
            with _held(room.service.log):
                await wire.send(ws, _save(c, 1, id=5))
                await wire.send(ws, {"t": "submit", "id": 6, "ticket": package.candidates[1].ticket})  # not theirs
                with pytest.raises(TimeoutError):
                    await wire.recv(ws, timeout=QUIET_S)
            first, second = await wire.recv(ws), await wire.recv(ws)
            assert (first["t"], first["id"]) == ("ack", 5)
            assert (second["t"], second["id"], second["code"]) == ("error", 6, "not_logged_in")
            await ws.close()

    run(main())


def test_a_machine_whose_save_cannot_be_synced_is_disconnected_unacknowledged(package, tmp_path):
    async def main():
        async with wire.served(package, tmp_path) as room:
            ws, c, _ = await _answering(room, package)
            with _held(room.service.log):
                log = await _sent_and_written(ws, room, c, 1, id=5)
                assert log.syncer is not None
                os.kill(log.syncer.pid, signal.SIGKILL)
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    msg = await wire.recv(ws)
                    assert msg["t"] != "ack", msg  # the machine keeps the save and resends it
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1011
            assert isinstance(room.service.failed, SyncFailed)

    run(main())


def test_a_console_is_not_sent_again_a_save_its_snapshot_already_holds(package, tmp_path):
    async def main():
        async with wire.served(package, tmp_path) as room:
            ws, c, _ = await _answering(room, package)
            with _held(room.service.log):
                log = await _sent_and_written(ws, room, c, 1, id=5)
                written = log.last_seq
                console, snapshot = await wire.console(room.url, package)
                assert snapshot["t"] == "snapshot" and snapshot["seq"] == written
            assert (await wire.recv(ws))["t"] == "ack"
            await wire.send(ws, _save(c, 2, id=6))
            assert (await wire.recv(ws))["t"] == "ack"
            changed = await wire.recv(console)
            assert changed["t"] == "changed" and changed["seq"] == written + 1  # the next save's, not the first's
            await console.close()
            await ws.close()

    run(main())


# -- the save path as a hostile client would use it: pipelined, out of range, for others, a flood --


def test_saves_pipelined_with_hostile_ones_are_each_answered_in_order(package, tmp_path):
    """While a save waits for the disk, the same connection sends saves a hostile client would:
    seq out of range either way, answers nested past any bound, someone else's ticket, a resend
    that differs from the save still waiting. Each gets its reply, in order, after the ack due
    before it; the valid saves are acknowledged, and nothing else is recorded."""

    async def main():
        async with wire.served(package, tmp_path) as room:
            ws, c, _ = await _answering(room, package)
            other = package.candidates[1]
            deep = json.dumps(_save(c, 2, id=13)).replace('"A"', "[" * 2000 + '"A"' + "]" * 2000)
            hostile = [
                json.dumps(_save(c, 2**63, id=11)),
                json.dumps(_save(c, -1, id=12)),
                deep,  # answers nested 2000 deep
                json.dumps(_save(other, 1, id=14)),
                json.dumps({**_save(c, 1, id=15), "answers": {"1": "D"}}),  # the waiting save's seq, other answers
            ]
            with _held(room.service.log):
                log = await _sent_and_written(ws, room, c, 1, id=10)
                held = log.last_seq
                for text in hostile:
                    await ws.send(text)
                await wire.send(ws, _save(c, 2, id=16))
                with pytest.raises(TimeoutError):
                    await wire.recv(ws, timeout=QUIET_S)  # nothing overtakes the ack due first
            replies = [await wire.recv(ws) for _ in range(7)]
            assert [r["id"] for r in replies] == [10, 11, 12, 13, 14, 15, 16]
            assert replies[0]["t"] == "ack" and replies[-1]["t"] == "ack" and not replies[-1].get("dup")
            codes = [r.get("code") for r in replies[1:-1]]
            assert all(r["t"] == "error" for r in replies[1:-1]) and "internal" not in codes, replies
            assert codes[3] == "not_logged_in" and codes[4] == "resend_differs", codes
            saved = [se.event for se in log.replay() if se.seq > held and isinstance(se.event, AnswerSaved)]
            assert [(e.ticket, e.seq) for e in saved] == [(c.ticket, 2)]
            await ws.close()

    run(main())


def test_a_resend_of_a_save_still_waiting_for_the_disk_waits_for_it_and_holds_the_next_behind_it(package, tmp_path):
    """A machine's handler that has to wait (here, for the commit of the save it resends) goes
    on as a task, and the machine's messages after it wait for it: nothing is answered before
    the disk returns, then the save, its resend and the next save, in that order."""

    async def main():
        async with wire.served(package, tmp_path) as room:
            ws, c, _ = await _answering(room, package)
            with _held(room.service.log):
                log = await _sent_and_written(ws, room, c, 1, id=10)
                held = log.last_seq
                await wire.send(ws, _save(c, 1, id=11))  # the same save again
                await wire.send(ws, _save(c, 2, id=12))
                with pytest.raises(TimeoutError):
                    await wire.recv(ws, timeout=QUIET_S)
                assert log.last_seq == held  # the next save waits behind the resend, undecided
            replies = [await wire.recv(ws) for _ in range(3)]
            assert [(r["t"], r["id"], bool(r.get("dup"))) for r in replies] == [
                ("ack", 10, False),
                ("ack", 11, True),
                ("ack", 12, False),
            ]
            await ws.close()

    run(main())


def test_a_hostile_flood_behind_a_handler_that_waits_is_not_read_on_and_each_gets_its_answer_in_order(
    package, tmp_path
):
    """While one of a machine's handlers waits (its resend of a save the disk has not synced),
    the same connection floods what a hostile client would send: seq 2^63 and -1, answers nested
    2000 deep, someone else's ticket, a hello for another machine, a console's request. What
    the service holds of it meanwhile is the queue and one read's worth, not the flood; another
    machine is answered meanwhile. Once the disk returns every request gets its answer, in the
    order sent, none an internal error, and the log holds the one save."""

    async def main():
        async with wire.served(package, tmp_path) as room:
            ws, c, _ = await _answering(room, package)
            honest, h, _ = await _answering(room, package, 1)
            other = package.candidates[2]
            deep = json.dumps(_save(c, 2, id=0)).replace('"A"', "[" * 2000 + '"A"' + "]" * 2000)
            kinds = [
                lambda i: json.dumps(_save(c, 2**63, id=i)),
                lambda i: json.dumps(_save(c, -1, id=i)),
                lambda i: deep.replace('"id": 0', f'"id": {i}'),
                lambda i: json.dumps(_save(other, 1, id=i)),
                lambda i: json.dumps({"t": "hello", "id": i, "v": 2, "role": "machine", "machine": other.seat}),
                lambda i: json.dumps({"t": "holdings", "id": i}),
            ]
            n = 600
            with _held(room.service.log):
                log = await _sent_and_written(ws, room, c, 1, id=10)
                held = log.last_seq
                await wire.send(ws, _save(c, 1, id=11))  # its handler waits for the disk

                async def flood() -> None:
                    for i in range(100, 100 + n):
                        await ws.send(kinds[i % len(kinds)](i))

                sending = asyncio.ensure_future(flood())
                await asyncio.sleep(QUIET_S)
                conn = room.link.machines[c.seat].ws
                assert len(conn._inbox) <= transport.MAX_QUEUE + 32 * 1024 // 100 + 1, len(conn._inbox)
                await wire.send(honest, {**_save(h, -1, id=7)})  # answered without the disk
                reply = await wire.recv(honest)
                assert (reply["t"], reply["id"], reply["code"]) == ("error", 7, "bad_message"), reply
                with pytest.raises(TimeoutError):
                    await wire.recv(ws, timeout=0.05)  # nothing for the flood before the ack due
                assert log.last_seq == held
            replies = [await wire.recv(ws) for _ in range(2 + n)]
            await asyncio.wait_for(sending, 30)
            assert [(r["t"], r["id"]) for r in replies[:2]] == [("ack", 10), ("ack", 11)] and replies[1].get("dup")
            assert [r["id"] for r in replies[2:]] == list(range(100, 100 + n))
            assert all(r["t"] == "error" and r["code"] != "internal" for r in replies[2:]), replies
            assert room.service.failed is None
            saved = [se.event for se in log.replay() if se.seq > held and isinstance(se.event, AnswerSaved)]
            assert saved == []  # seq 1 is the one save: held before the flood began
            await ws.close()
            await honest.close()

    run(main())


def test_a_machine_that_floods_saves_and_reads_no_acks_holds_nothing_up(package, tmp_path):
    """Acknowledgements are written by the commit without waiting for the peer: a machine that
    sends saves as fast as it can and reads none of the answers must not grow the service's
    write buffer without bound, nor hold up another machine's save. Once it reads, its answers
    come in the order of its saves."""

    async def main():
        async with wire.served(package, tmp_path) as room:
            # A small receive window, as a client that reads nothing would soon have anyway:
            # what the service sends it piles up on the service's side, not in the kernel's.
            small = socket.socket()
            small.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            small.connect(("127.0.0.1", room.port))
            small.setblocking(False)
            ws, c, _ = await _answering(room, package, sock=small)
            honest, h, _ = await _answering(room, package, 1)
            ws.transport.pause_reading()
            n = 40_000

            async def flood() -> None:
                for seq in range(1, n + 1):
                    await wire.send(ws, _save(c, seq, id=seq))

            sending = asyncio.ensure_future(flood())
            tls = room.link.machines[c.seat].ws._transport
            tcp = tls._ssl_protocol._transport  # what TLS has framed and the socket has not taken
            biggest = 0
            for seq in range(1, 6):  # the honest machine saves on meanwhile
                await asyncio.sleep(0.3)
                biggest = max(biggest, tls.get_write_buffer_size() + tcp.get_write_buffer_size())
                await wire.send(honest, _save(h, seq, id=seq))
                assert (await wire.recv(honest))["t"] == "ack"
            assert biggest < 1 << 20, biggest
            ws.transport.resume_reading()
            ids = []
            while len(ids) < n:
                reply = await wire.recv(ws)
                assert reply["t"] in ("ack", "error") and reply.get("code") != "internal", reply
                ids.append(reply["id"])
            assert ids == sorted(ids)
            await asyncio.wait_for(sending, 30)
            await ws.close()
            await honest.close()

    run(main())


def test_another_machines_messages_neither_hurry_an_ack_nor_take_it(package, tmp_path):
    """Every machine message now looks whether a sync has returned and acknowledges what it
    covered. A hostile machine's flood of them (heartbeats past its burst, clocks out of range,
    saves out of range or nested past any bound or for another's ticket, a console's request)
    while an honest machine's save waits for the disk: the honest save is not acknowledged before
    the disk has it, its ack goes to the honest machine only, and nothing hostile is recorded."""

    async def main():
        async with wire.served(package, tmp_path) as room:
            ws, c, _ = await _answering(room, package)
            bad, b, _ = await _answering(room, package, 1)
            deep = json.dumps(_save(b, 1, id=23)).replace('"B"', "[" * 2000 + '"B"' + "]" * 2000)
            hostile = [
                json.dumps({"t": "hb", "clock": 2.0**40}),
                json.dumps({"t": "hb", "clock": -1}),
                json.dumps(_save(b, 2**63, id=21)),
                json.dumps(_save(b, -1, id=22)),
                deep,
                json.dumps(_save(c, 1, id=24)),  # the honest machine's candidate, the waiting save's seq
                json.dumps({"t": "holdings", "id": 25}),  # a console's request
            ]
            with _held(room.service.log):
                log = await _sent_and_written(ws, room, c, 1, id=5)
                held = log.last_seq
                for text in hostile:
                    await bad.send(text)
                for _ in range(300):  # then heartbeats past the connection's burst
                    await wire.send(bad, {"t": "hb"})
                replies = [await wire.recv(bad) for _ in range(7)]
                assert all(r["t"] == "error" for r in replies), replies
                assert [(r.get("id"), r["code"]) for r in replies] == [
                    (None, "bad_message"),
                    (None, "bad_message"),
                    (21, "bad_message"),
                    (22, "bad_message"),
                    (23, "bad_message"),
                    (24, "not_logged_in"),
                    (25, "bad_message"),
                ]
                with pytest.raises(TimeoutError):
                    await wire.recv(ws, timeout=QUIET_S)  # the disk has not synced it: no ack
            await wire.send(bad, {"t": "hb"})
            ack = await wire.recv(ws)
            assert (ack["t"], ack["id"], ack["seq"]) == ("ack", 5, 1) and not ack.get("dup")
            with pytest.raises(TimeoutError):
                await wire.recv(bad, timeout=QUIET_S)  # nothing of the honest machine's reaches it
            saved = [se.event for se in log.replay() if se.seq > held - 1 and isinstance(se.event, AnswerSaved)]
            assert [(e.ticket, e.seq) for e in saved] == [(c.ticket, 1)]
            assert room.service.failed is None
            await ws.close()
            await bad.close()

    run(main())
