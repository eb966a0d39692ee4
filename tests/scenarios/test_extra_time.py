"""Extra time on the simulated clock: granted in steps whose total crosses 10 and then 60
minutes, each candidate auto-submitted at their own new end, the others at the sitting's end,
and every grant told to the candidate's exam machine."""

import asyncio
import dataclasses

import pytest

from proctor.clock import SimulatedClock
from proctor.domain import authcode
from proctor.domain.commands import GrantExtraTime, RequestAuthorization, SignInProctors
from proctor.domain.events import CandidateSubmitted, ExtraTimeGranted, SittingEnded
from proctor.domain.refusal import Refused
from proctor.service import RoomService
from proctor.store import EventLog
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")
MASTER = bytes(range(32))


def test_extra_time_in_steps_moves_each_candidates_own_auto_submission(tmp_path):
    asyncio.run(_steps(tmp_path))


async def _steps(tmp_path):
    pkg = make_package(candidates=4, machines=5)
    room = authcode.room_id(pkg.site, pkg.room)
    key = authcode.room_code_key(MASTER, room)
    pkg = dataclasses.replace(pkg, authcode_key=key.hex())
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, national_policy(), EventLog(tmp_path / "room.db"), clock)
    pushed: list[tuple[str, dict]] = []
    svc.listen_machines(lambda machine, state: pushed.append((machine, state)))
    await svc.open()
    for c in pkg.candidates:
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    await svc.execute(SignInProctors(names=BY), ())
    await clock.advance(40 * MIN)  # T+30
    a, b = pkg.candidates[0], pkg.candidates[1]

    async def grant(tickets, minutes, **kw):
        return await svc.execute(GrantExtraTime(tickets=tickets, minutes=minutes, reason="machine_fault", **kw), BY)

    async def with_code(tickets, minutes):
        asked = await svc.execute(RequestAuthorization(tickets=tickets, minutes=minutes), BY)
        code = authcode.authorization_code(key, room, asked["request"], "extra_time", minutes, tickets)
        return await grant(tickets, minutes, request=asked["request"], code=code)

    done = await grant((a.ticket, b.ticket), 6)
    assert done["extra_min"] == {a.ticket: 6, b.ticket: 6}
    assert done["ends"][a.ticket] == START + 126 * MIN
    assert (a.seat, {"ticket": a.ticket, "state": "answering", "end": START + 126 * MIN}) in pushed
    await grant((a.ticket,), 4)  # 10: direct
    with pytest.raises(Refused) as no:
        await grant((a.ticket,), 1)  # 11
    assert no.value.zh == "补时累计 11 分钟，超过 10 分钟需省级授权码"
    await with_code((a.ticket,), 30)  # 40
    await with_code((a.ticket,), 20)  # 60
    with pytest.raises(Refused) as no:
        await grant((a.ticket,), 1)  # 61
    assert no.value.code == "ministry_only" and no.value.rule == "R21"
    s = svc.room.sitting
    assert s.end_of(s.candidates[a.ticket]) == START + 180 * MIN
    assert pushed[-1] == (a.seat, {"ticket": a.ticket, "state": "answering", "end": START + 180 * MIN})
    header_ends = [d["at"] for d in svc.room.sitting_header(s)["deadlines"] if d["kind"] == "last_end"]
    assert header_ends == [START + 180 * MIN]

    def submitted():
        return {se.event.ticket: se.event.at for se in svc.log.replay() if isinstance(se.event, CandidateSubmitted)}

    await clock.advance(90 * MIN - 1)  # a second before the sitting's end
    assert submitted() == {}
    await clock.advance(1)
    assert submitted() == {c.ticket: START + 120 * MIN for c in pkg.candidates[2:]}
    await clock.advance(6 * MIN)
    assert submitted()[b.ticket] == START + 126 * MIN and a.ticket not in submitted()
    assert svc.room.sitting is not None  # a still answers
    await clock.advance(54 * MIN - 1)
    assert a.ticket not in submitted()
    await clock.advance(1)
    assert submitted()[a.ticket] == START + 180 * MIN
    assert svc.room.sitting is None
    ended = [se.event.at for se in svc.log.replay() if isinstance(se.event, SittingEnded)]
    assert ended == [START + 180 * MIN]
    grants = [se.event for se in svc.log.replay() if isinstance(se.event, ExtraTimeGranted)]
    assert [g.request is None for g in grants] == [True, True, False, False] and all(g.by == BY for g in grants)
    await svc.close()
    svc.log.close()
