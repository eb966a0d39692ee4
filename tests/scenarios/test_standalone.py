"""A standalone detour on the simulated clock (004 附件2 二(四), 一(二) 问题三 第一步): the
candidate's answers go out sealed for a spare, come back complete, and the sitting ends only
once they are back; or two proctors write a lost package off and the end proceeds."""

import asyncio

import pytest

from proctor.clock import SimulatedClock
from proctor.domain.closing import readings as closing_readings
from proctor.domain.commands import ExportStandalone, ImportStandaloneResult, SignInProctors, WriteOffStandalone
from proctor.domain.events import AlertKind, AlertRaised, CandidateSubmitted, SittingEnded, StandaloneRecovered
from proctor.domain.refusal import Refused
from proctor.domain.room import Phase, State
from proctor.link.auth import Credential
from proctor.service import RoomService
from proctor.sim.standalone import run_offline
from proctor.store import EventLog
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")


async def room(tmp_path):
    pkg = make_package(candidates=3, machines=5)
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, national_policy(), EventLog(tmp_path / "room.db"), clock)
    await svc.open()
    for c in pkg.candidates:
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    await svc.execute(SignInProctors(names=BY), ())
    await clock.advance(20 * MIN)  # T+10
    return pkg, clock, svc


def kinds(svc):
    return [se.event for se in svc.log.replay()]


def test_a_standalone_detour_comes_back_complete_and_the_end_waits_for_it(tmp_path):
    asyncio.run(_detour(tmp_path))


async def _detour(tmp_path):
    pkg, clock, svc = await room(tmp_path)
    a = pkg.candidates[0]
    for seq in (1, 2):
        await svc.save(a.seat, a.ticket, seq, {"1": "AB"[seq - 1], "2": "借：银行存款"}, 2)
    # A01 fails; neither a reset nor another machine helps: the chief examiner consents.
    done = await svc.execute(ExportStandalone(ticket=a.ticket, machine="A05", chief="周主考", reason="A01 故障"), BY)
    assert done["last_seq"] == 2 and done["remaining_s"] == 110 * MIN
    assert svc.room.sitting.candidates[a.ticket].state is State.STANDALONE
    with pytest.raises(Refused):  # fenced: A01 comes back and tries to save
        await svc.save(a.seat, a.ticket, 3, {"1": "X"}, 1)

    # Offline on A05, with A05's own credential; 40 minutes of answering, 4 saves.
    await clock.advance(40 * MIN)
    run = run_offline(Credential.machine(pkg.room_key, "A05"), done["package"], saves=4)
    assert [s.seq for s in run.saves] == [3, 4, 5, 6]

    # The others are auto-submitted at the end; the sitting does not end: the package is out.
    await clock.advance(70 * MIN)  # T+120
    await svc.run_due()
    events = kinds(svc)
    assert not any(isinstance(e, SittingEnded) for e in events)
    alerts = [e for e in events if isinstance(e, AlertRaised) and e.alert_kind is AlertKind.STANDALONE_OUTSTANDING]
    assert [e.detail for e in alerts] == [a.ticket]
    auto = {e.ticket for e in events if isinstance(e, CandidateSubmitted) and e.by == "auto"}
    assert auto == {c.ticket for c in pkg.candidates[1:]}
    assert svc.room.sitting is not None and svc.room.sitting.phase is not Phase.ENDED
    await clock.advance(30 * MIN)  # nothing moves while it waits
    await svc.run_due()
    assert not any(isinstance(e, SittingEnded) for e in kinds(svc))

    # The stick comes back: merged, submitted, and then the sitting ends.
    back = await svc.execute(ImportStandaloneResult(result=run.result), BY)
    assert (back["already"], back["saves"], back["last_seq"]) == (False, 4, 6)
    latest = svc.log.latest_answer(1, a.ticket)
    assert latest.seq == 6 and latest.answers == run.last_answers
    assert latest.answers["2"] == "借：银行存款"  # the exported answers went on offline
    again = await svc.execute(ImportStandaloneResult(result=run.result), BY)
    assert again["already"] is True
    for _ in range(100):  # the recovery wakes the schedule
        await asyncio.sleep(0)
        if any(isinstance(e, SittingEnded) for e in kinds(svc)):
            break
    events = kinds(svc)
    recovered = next(i for i, e in enumerate(events) if isinstance(e, StandaloneRecovered))
    ended = next(i for i, e in enumerate(events) if isinstance(e, SittingEnded))
    assert recovered < ended
    assert events[ended].at >= events[recovered].at
    c = svc.room.sittings[0].candidates[a.ticket]
    assert (c.state, c.submitted_by) == (State.SUBMITTED, "standalone")
    await svc.close()
    svc.log.close()


def test_a_lost_package_written_off_by_two_proctors_lets_the_end_proceed(tmp_path):
    asyncio.run(_written_off(tmp_path))


async def _written_off(tmp_path):
    pkg, clock, svc = await room(tmp_path)
    a = pkg.candidates[1]
    done = await svc.execute(ExportStandalone(ticket=a.ticket, machine=a.seat, chief="周主考", reason="断网"), BY)
    await clock.advance(110 * MIN)
    await svc.run_due()
    assert not any(isinstance(e, SittingEnded) for e in kinds(svc))
    with pytest.raises(Refused) as no:
        await svc.execute(WriteOffStandalone(package_id=done["package_id"], reason="考试机硬盘损坏"), BY[:1])
    assert no.value.code == "two_proctors"
    await svc.execute(WriteOffStandalone(package_id=done["package_id"], reason="考试机硬盘损坏"), BY)
    for _ in range(100):
        await asyncio.sleep(0)
        if any(isinstance(e, SittingEnded) for e in kinds(svc)):
            break
    assert any(isinstance(e, SittingEnded) for e in kinds(svc))
    assert svc.room.standalone[done["package_id"]].status.value == "written_off"
    # 结束考试's count (R27) accounts for the package two proctors recorded as lost.
    answer_sets = next(i for i in closing_readings(svc.room)["items"] if i["item"] == "answer_sets_match")
    assert answer_sets["met"] and "无法回收 1 名" in answer_sets["facts"]
    await svc.close()
    svc.log.close()
