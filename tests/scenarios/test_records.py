"""Room records on the simulated clock, through the service and its log: a leave that lasts past
the site's limit is raised at the limit (not before), the return closes it, and after a restart
the room remembers who is out and who was checked."""

import asyncio

import pytest

from proctor.clock import SimulatedClock
from proctor.domain.commands import CheckIdentity, LeaveRoom, ReturnToRoom, SignInProctors
from proctor.domain.events import AlertKind, AlertRaised, IdentityChecked, LeftRoom, ReturnedToRoom
from proctor.domain.refusal import Refused
from proctor.service import RoomService
from proctor.store import EventLog
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")


def test_a_long_leave_is_raised_at_the_limit_and_the_room_remembers_it_after_a_restart(tmp_path):
    asyncio.run(_leave(tmp_path))


async def _leave(tmp_path):
    pkg = make_package(candidates=4, machines=5)
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, national_policy(), EventLog(tmp_path / "room.db"), clock)
    await svc.open()
    for c in pkg.candidates:
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    await svc.execute(SignInProctors(names=BY), ())
    await clock.advance(40 * MIN)  # T+30: everyone answering, sign-in closed
    a, b = pkg.candidates[0], pkg.candidates[1]
    await svc.execute(CheckIdentity(ticket=a.ticket, matches=True), BY)
    await svc.execute(LeaveRoom(ticket=a.ticket, reason="toilet", escort="赵流动"), BY)
    left_at = svc.now()
    with pytest.raises(Refused) as no:
        await svc.execute(LeaveRoom(ticket=a.ticket, reason="toilet", escort="钱流动"), BY)
    assert no.value.code == "already_away"

    def away_alerts():
        return [a for a in svc.room.alerts.values() if a.kind is AlertKind.AWAY_TOO_LONG]

    await clock.advance(10 * MIN - 1)
    assert not away_alerts()
    await clock.advance(1)
    await _settled(svc)
    (alert,) = away_alerts()
    assert (alert.ticket, alert.at, alert.detail) == (a.ticket, left_at + 10 * MIN, "10")
    await clock.advance(5 * MIN)
    back = await svc.execute(ReturnToRoom(ticket=a.ticket, id_checked=True), BY)
    assert back["away_s"] == 15 * MIN
    await svc.execute(LeaveRoom(ticket=b.ticket, reason="illness", escort="孙流动"), BY)
    await svc.close()
    svc.log.close()

    again = RoomService(pkg, national_policy(), EventLog(tmp_path / "room.db"), clock)
    await again.open()
    rows = again.room.shown_sitting.candidates
    assert "id_checked" in {f.value for f in rows[a.ticket].flags} and rows[a.ticket].away_since is None
    assert rows[b.ticket].away_escort == "孙流动" and "away" in {f.value for f in rows[b.ticket].flags}
    kinds = again.log.kinds()
    assert kinds[LeftRoom.__name__] == 2 and kinds[ReturnedToRoom.__name__] == 1
    assert kinds[IdentityChecked.__name__] == 1 and kinds[AlertRaised.__name__] >= 1
    await again.close()
    again.log.close()


async def _settled(svc: RoomService) -> None:
    for _ in range(50):  # the schedule's wake-up runs on the loop; let it commit
        await asyncio.sleep(0)
    await svc.run_due()
