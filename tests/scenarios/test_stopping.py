"""A stopped exam (CPA 003 一、七) on the simulated clock: only where the profile has a stop rule,
only as the exam office directs; what each candidate saved stays, the machines are told, nobody
answers on; each affected candidate registers retake or refund (R46), counted apart, and the end
of the exam follows its check list."""

import asyncio

import pytest

from proctor.clock import SimulatedClock
from proctor.domain.closing import readings
from proctor.domain.commands import RegisterChoice, SignInProctors, StopExam
from proctor.domain.refusal import Refused
from proctor.resources import load_policy
from proctor.service import RoomService
from proctor.store import EventLog
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")


async def _room(tmp_path, policy):
    pkg = make_package(candidates=4, machines=5)
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, policy, EventLog(tmp_path / "room.db"), clock)
    pushed = []
    svc.listen_machines(lambda machine, state: pushed.append((machine, state)))
    await svc.open()
    for c in pkg.candidates[:3]:  # the fourth is absent
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    await svc.execute(SignInProctors(names=BY), ())
    return pkg, clock, svc, pushed


def test_a_stop_as_directed_then_each_affected_candidate_registers_retake_or_refund(tmp_path):
    asyncio.run(_stop(tmp_path))


async def _stop(tmp_path):
    pkg, clock, svc, pushed = await _room(tmp_path, load_policy("cpa-2014"))
    a, b, c, absent = pkg.candidates
    with pytest.raises(Refused) as no:
        await svc.execute(StopExam(directed_by="财政部考办", reason="断网"), BY)
    assert no.value.code == "not_started"
    await clock.advance(70 * MIN)  # 60 minutes in
    await svc.save(a.seat, a.ticket, 1, {"q1": "A"}, 1)
    with pytest.raises(Refused) as no:
        await svc.execute(StopExam(directed_by=" ", reason="断网"), BY)
    assert no.value.rule == "R44" and "财政部考办" in no.value.zh and "50 分钟" in no.value.zh
    with pytest.raises(Refused) as no:
        await svc.execute(RegisterChoice(ticket=a.ticket, choice="refund"), BY)
    assert no.value.code == "not_stopped" and no.value.rule == "R46"
    await svc.execute(StopExam(directed_by="财政部考办 张处长", reason="考点断网 50 分钟未恢复"), BY)
    rows = svc.room.sitting_no(1).candidates
    assert rows[a.ticket].state.value == "submitted" and rows[a.ticket].last_seq == 1  # the save stays
    assert (a.seat, {"ticket": a.ticket, "state": "submitted", "end": START + 120 * MIN}) in pushed
    with pytest.raises(Refused):
        await svc.save(a.seat, a.ticket, 2, {"q1": "B"}, 1)  # nobody answers on
    await svc.execute(RegisterChoice(ticket=a.ticket, choice="retake"), BY)
    await svc.execute(RegisterChoice(ticket=b.ticket, choice="refund"), BY)
    done = await svc.execute(RegisterChoice(ticket=c.ticket, choice="refund"), BY)
    assert (done["retake"], done["refund"]) == (1, 2)
    with pytest.raises(Refused) as no:
        await svc.execute(RegisterChoice(ticket=absent.ticket, choice="refund"), BY)  # absent: not affected
    assert no.value.code == "not_affected"
    over = next(i for i in readings(svc.room)["items"] if i["item"] == "sitting_over")
    assert over["met"]
    await svc.close()
    svc.log.close()


def test_a_profile_without_a_stop_rule_does_not_stop_from_the_room(tmp_path):
    async def main():
        _, clock, svc, _ = await _room(tmp_path, national_policy())
        await clock.advance(70 * MIN)
        with pytest.raises(Refused) as no:
            await svc.execute(StopExam(directed_by="市考试院", reason="断电"), BY)
        assert no.value.code == "no_stop_rule"
        await svc.close()
        svc.log.close()

    asyncio.run(main())
