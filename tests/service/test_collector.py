"""The garbage collector is held while commits come big (a burst) and let go when the burst has
passed, after MOST_S at the latest, or when the service closes."""

from __future__ import annotations

import asyncio
import gc

from proctor import collector
from proctor.collector import BURST_CHANGES, CollectorHold
from tests.factories import START, make_package, opened_service
from tests.waiting import until


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


def test_a_burst_holds_the_collector_until_a_quiet_commit(monkeypatch):
    async def main():
        hold = CollectorHold()
        hold.committed(BURST_CHANGES - 1)
        assert gc.isenabled() and not hold.held
        hold.committed(BURST_CHANGES)
        assert not gc.isenabled() and hold.held
        monkeypatch.setattr(collector, "QUIET_S", 60.0)
        hold.committed(1)  # a small commit within the burst: still held
        assert not gc.isenabled()
        monkeypatch.setattr(collector, "QUIET_S", 0.0)
        hold.committed(1)  # no big commit for QUIET_S: the burst has passed
        assert gc.isenabled() and not hold.held

    run(main())


def test_the_collector_is_let_go_after_most_s_and_not_held_again_in_that_burst(monkeypatch):
    async def main():
        monkeypatch.setattr(collector, "MOST_S", 0.05)
        monkeypatch.setattr(collector, "QUIET_S", 60.0)
        hold = CollectorHold()
        hold.committed(50)
        assert not gc.isenabled()
        await until(gc.isenabled, "the collector let go after MOST_S, with no commit to tell it")
        hold.committed(50)  # the same burst goes on: it collects as it goes
        assert gc.isenabled() and not hold.held
        monkeypatch.setattr(collector, "QUIET_S", 0.0)
        hold.committed(1)  # the burst has passed
        hold.committed(50)  # the next one is held again
        assert not gc.isenabled()
        hold.release()
        assert gc.isenabled()

    run(main())


def test_a_collector_disabled_by_someone_else_stays_disabled():
    async def main():
        gc.disable()
        hold = CollectorHold()
        hold.committed(50)
        assert not hold.held
        hold.release()
        assert not gc.isenabled()

    run(main())


def test_a_burst_of_saves_holds_the_collector_and_closing_the_service_lets_it_go(tmp_path):
    async def main():
        pkg = make_package(candidates=BURST_CHANGES, machines=BURST_CHANGES + 2)
        svc = await opened_service(pkg, tmp_path / "room.db", START + 60)
        for c in pkg.candidates:
            await svc.machine_connected(c.seat)
            await svc.login(c.seat, c.ticket, c.id_number)
        assert gc.isenabled()
        await asyncio.gather(*(svc.save(c.seat, c.ticket, 1, {"1": "A"}, 1) for c in pkg.candidates))
        assert not gc.isenabled()  # the saves came in one commit: a burst
        await svc.close()
        assert gc.isenabled()
        svc.log.close()

    run(main())
