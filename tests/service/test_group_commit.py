"""Group commit: on a log that syncs in its commits, saves that keep arriving turn after turn
share one commit (one fsync), within the bounds `GROUP_COMMIT_WAIT_S` and `GROUP_COMMIT_MAX`; a
lone save is committed at once. On a log synced apart (`proctor serve`'s), each turn's saves
commit at the next turn, without waiting for more: their syncs are what is shared; and a save
that comes when the disk has been idle a while commits in its own turn."""

from __future__ import annotations

import asyncio
import time

import pytest

from proctor import service as service_module
from tests import wire
from tests.factories import START, make_package, opened_service

MIN = 60.0
TURNS = 5  # the burst arrives over this many turns of the loop
PER_TURN = 4


async def _burst(tmp_path, *, wait_s: float, most: int, sync_apart: bool = False) -> list[int]:
    """The number of changes in each commit while 20 candidates save over five turns."""
    pkg = make_package(candidates=TURNS * PER_TURN, machines=TURNS * PER_TURN + 2)
    svc = await opened_service(pkg, tmp_path / "room.db", START + MIN, sync_apart=sync_apart)
    for c in pkg.candidates:
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    sizes: list[int] = []
    append = svc.log.append

    def counted(events, answers=None, **kw):
        sizes.append(len(events))
        return append(events, answers, **kw)

    svc.log.append = counted

    async def save_after(turns: int, c) -> bool:
        for _ in range(turns):
            await asyncio.sleep(0)
        return await svc.save(c.seat, c.ticket, 1, {"1": "A"}, 1)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(service_module, "GROUP_COMMIT_WAIT_S", wait_s)
        mp.setattr(service_module, "GROUP_COMMIT_MAX", most)
        dups = await asyncio.gather(*(save_after(i // PER_TURN, c) for i, c in enumerate(pkg.candidates)))
    assert dups == [False] * len(pkg.candidates)  # every save acknowledged, as a new one
    assert sum(sizes) == len(pkg.candidates)
    assert {t: n for t, (n, _) in svc.log.holdings()["1"].items()} == {c.ticket: 1 for c in pkg.candidates}
    await svc.close()
    svc.log.close()
    return sizes


def test_saves_that_keep_arriving_share_one_commit(tmp_path):
    assert asyncio.run(_burst(tmp_path, wait_s=60.0, most=256)) == [TURNS * PER_TURN]


def test_without_waiting_each_turn_commits_its_own(tmp_path):
    assert len(asyncio.run(_burst(tmp_path, wait_s=0.0, most=256))) >= TURNS


def test_a_batch_that_reaches_the_bound_commits_without_waiting_more(tmp_path):
    sizes = asyncio.run(_burst(tmp_path, wait_s=60.0, most=2 * PER_TURN))
    assert len(sizes) > 1 and max(sizes) <= 2 * PER_TURN


def test_on_a_log_synced_apart_each_turn_commits_its_own_however_long_a_batch_may_wait(tmp_path, monkeypatch):
    monkeypatch.setattr(service_module, "QUIET_DISK_S", 60.0)  # never idle long enough to commit at once
    assert asyncio.run(_burst(tmp_path, wait_s=60.0, most=256, sync_apart=True)) == [PER_TURN] * TURNS


def test_on_a_log_synced_apart_a_save_on_a_quiet_disk_commits_at_once(tmp_path, monkeypatch):
    # The logins' syncs are over when the first save comes; against the test above, the same
    # saves: the first commits alone, in its own turn, and the rest of its turn at the next.
    monkeypatch.setattr(service_module, "QUIET_DISK_S", 0.0)
    sizes = asyncio.run(_burst(tmp_path, wait_s=60.0, most=256, sync_apart=True))
    assert sizes[0] == 1 and len(sizes) > TURNS


def test_a_lone_save_is_committed_within_two_turns(tmp_path):
    async def main():
        pkg = make_package(candidates=1, machines=3)
        svc = await opened_service(pkg, tmp_path / "room.db", START + MIN)
        c = pkg.candidates[0]
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
        before = svc.log.last_seq
        save = asyncio.ensure_future(svc.save(c.seat, c.ticket, 1, {"1": "A"}, 1))
        for _ in range(4):  # the save's own turn, the flush, the turn it waits, the ack
            await asyncio.sleep(0)
        assert save.done() and svc.log.last_seq == before + 1
        await svc.close()
        svc.log.close()

    asyncio.run(main())


def test_commit_times_count_the_slow_ones_and_keep_the_latest():
    times = service_module.CommitTimes()
    times.add(1.0, 0.00999, 0.0001, 3)  # just under SLOW_COMMIT_MS
    times.add(2.0, 0.010, 0.0001, 4)  # at it
    assert (times.commits, times.slow) == (2, 1)
    for i in range(30):
        times.add(10.0 + i, 0.5 - i / 100, 0.0002, 1, 0.4 - i / 100)  # the slowest first: the latest are kept
    figures = times.figures()
    assert figures["commits"] == 32 and figures["slow"] == 31 and figures["slow_ms"] == 10.0
    kept = figures["latest"]
    assert [c[0] for c in kept] == [10.0 + i for i in range(10, 30)]
    assert kept[-1] == [39.0, 210.0, 0.2, 1, 110.0]  # at, wall ms, cpu ms, changes, sync ms


def test_a_commit_held_up_by_the_disk_is_timed_with_its_size(tmp_path):
    async def main():
        pkg = make_package(candidates=3, machines=5)
        svc = await opened_service(pkg, tmp_path / "room.db", START + MIN)
        append = svc.log.append

        sizes = []

        def slow_sync(events, answers=None, **kw):  # the disk takes its time to sync; the CPU does not
            sizes.append(len(events))
            time.sleep(service_module.SLOW_COMMIT_MS / 1000 + 0.002)
            return append(events, answers, **kw)

        before = svc.commit_times.commits
        svc.log.append = slow_sync
        await asyncio.gather(*(svc.machine_connected(c.seat) for c in pkg.candidates))
        svc.log.append = append
        figures = svc.commit_times.figures()
        assert figures["commits"] == before + 1 and figures["slow"] == 1
        [(at, wall, cpu, changes, _)] = figures["latest"]
        assert wall >= service_module.SLOW_COMMIT_MS and cpu < wall / 2 and [changes] == sizes and changes >= 3
        assert abs(at - time.monotonic()) < 5  # the machine's monotonic clock, which other processes share
        await svc.close()
        svc.log.close()

    asyncio.run(main())


def test_a_console_asking_what_the_log_holds_gets_the_commit_times_too(package, tmp_path):
    async def main():
        async with wire.served(package, tmp_path) as room:
            ws, _ = await wire.console(room.url, package)
            await wire.send(ws, {"t": "holdings?", "id": 7})
            reply = await wire.answer(ws)
            await ws.close()
            assert (reply["t"], reply["id"]) == ("holdings", 7) and reply["sittings"] == {}
            assert reply["commits"]["commits"] == room.service.commit_times.commits >= 1
            assert set(reply["commits"]) == {"commits", "slow_ms", "slow", "latest"}

    wire.run(main())
