"""Exam time does not follow the wall clock: a step of the proctor machine's clock is recorded
and raised, nobody's remaining time moves, and a restart continues the exam clock."""

import asyncio

import pytest

from proctor.clock import SimulatedClock
from proctor.domain.events import AlertKind, AlertRaised, ClockStepped
from proctor.service import RoomService
from proctor.store import EventLog
from tests.factories import START, make_package, national_policy

MIN = 60.0


def remaining(svc: RoomService) -> dict[str, float]:
    s = svc.room.sitting
    return {t: s.end_of(c) - svc.now() for t, c in s.candidates.items()}


@pytest.mark.parametrize("step", [-10 * MIN, 2 * 3600.0])
def test_a_wall_clock_step_mid_exam_moves_no_remaining_time_and_is_recorded_and_raised(tmp_path, step):
    asyncio.run(_wall_step(tmp_path, step))


async def _wall_step(tmp_path, step):
    pkg = make_package(candidates=4, machines=5)
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, national_policy(), EventLog(tmp_path / "room.db"), clock)
    await svc.open()
    for c in pkg.candidates:
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    await clock.advance(40 * MIN)  # T+30: answering, sign-in just closed
    before = remaining(svc)

    clock.step_wall(step)  # NTP, or a person at the proctor machine
    await clock.advance(3)  # the service looks every heartbeat interval
    after = remaining(svc)
    assert all(abs(before[t] - after[t] - 3) < 1e-6 for t in before), (before, after)

    stepped = [se.event for se in svc.log.replay() if isinstance(se.event, ClockStepped)]
    assert len(stepped) == 1 and abs(stepped[0].by_s - step) < 2
    alerts = [a for a in svc.room.open_alerts() if a.kind is AlertKind.CLOCK_STEPPED]
    assert len(alerts) == 1 and alerts[0].detail.endswith(f"{abs(step):.0f} s")

    # The schedule keeps exam time too: everyone is submitted at their own end, not 10 min
    # early or 2 h late.
    await clock.advance(90 * MIN - 3 - 1)
    assert svc.room.sitting is not None
    await clock.advance(1)
    assert svc.room.sitting is None
    submitted = [se.event for se in svc.log.replay() if se.event.kind == "CandidateSubmitted"]
    assert {e.at for e in submitted} == {START + 120 * MIN}
    await svc.close()
    svc.log.close()


def test_a_restart_of_a_rehearsal_continues_its_clock(tmp_path):
    asyncio.run(_rehearsal_restart(tmp_path))


async def _rehearsal_restart(tmp_path):
    """×20: 30 real seconds are 10 exam minutes. Down for 6 real seconds = 2 exam minutes."""
    pkg = make_package(candidates=2, machines=3)
    clock = SimulatedClock(START - 3600)
    first_start = START - 3600 + 5 * MIN
    svc = RoomService(pkg, national_policy(), EventLog(tmp_path / "r.db"), clock, scale=20, first_start_at=first_start)
    await svc.open()
    exam0 = svc.now()
    await clock.advance(30)
    assert svc.now() == pytest.approx(exam0 + 10 * MIN)
    before = svc.now()
    await svc.close()
    svc.log.close()

    await clock.advance(6)  # the service is down
    again = RoomService(
        pkg, national_policy(), EventLog(tmp_path / "r.db"), clock, scale=20, first_start_at=first_start
    )
    await again.open()
    assert again.now() == pytest.approx(before + 2 * MIN)
    assert again.room.sittings[0].start == first_start  # the schedule moved once, not again
    await clock.advance(3)
    assert again.now() == pytest.approx(before + 3 * MIN)
    assert not [se for se in again.log.replay() if isinstance(se.event, ClockStepped)]
    await again.close()
    again.log.close()


def test_a_wall_clock_set_back_while_the_service_was_down_cannot_rewind_the_exam(tmp_path):
    asyncio.run(_set_back_while_down(tmp_path))


async def _set_back_while_down(tmp_path):
    pkg = make_package(candidates=2, machines=3)
    clock = SimulatedClock(START + 10 * MIN)
    svc = RoomService(pkg, national_policy(), EventLog(tmp_path / "r.db"), clock)
    await svc.open()
    await clock.advance(5 * MIN)
    last = svc.now()
    await svc.close()
    svc.log.close()

    clock.step_wall(-30 * MIN)
    again = RoomService(pkg, national_policy(), EventLog(tmp_path / "r.db"), clock)
    await again.open()
    assert again.now() >= last  # never backwards
    [stepped] = [se.event for se in again.log.replay() if isinstance(se.event, ClockStepped)]
    assert stepped.by_s == pytest.approx(-30 * MIN, abs=1)
    assert any(
        isinstance(se.event, AlertRaised) and se.event.alert_kind is AlertKind.CLOCK_STEPPED
        for se in again.log.replay()
    )
    await again.close()
    again.log.close()
