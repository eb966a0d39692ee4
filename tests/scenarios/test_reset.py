"""Reset on the simulated clock: a candidate's machine fails in minute 70, the proctors reset them
onto a spare, every acknowledged answer and the end are kept, the machine left behind saves
nothing more, and the automatic submission comes at the same end (R24, R11)."""

import asyncio
import dataclasses

import pytest

from proctor.clock import SimulatedClock
from proctor.domain.commands import ResetCandidate, SignInProctors
from proctor.domain.events import AlertKind, AlertRaised, CandidateReset, CandidateSubmitted
from proctor.domain.refusal import Refused
from proctor.domain.room import State
from proctor.service import RoomService
from proctor.store import EventLog
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")


def test_a_reset_in_minute_70_keeps_every_acknowledged_answer_and_the_end(tmp_path):
    asyncio.run(_closing(_minute_70, tmp_path, make_package(candidates=4, machines=6)))  # A05, A06: spares


async def _closing(scenario, tmp_path, pkg):
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, national_policy(), EventLog(tmp_path / "room.db"), clock)
    try:
        await scenario(svc, clock, pkg)
    finally:
        await svc.close()
        svc.log.close()


async def _minute_70(svc, clock, pkg):
    pushed: list[tuple[str, dict]] = []
    svc.listen_machines(lambda machine, state: pushed.append((machine, state)))
    await svc.open()
    for m in ("A01", "A02", "A03", "A04", "A05", "A06"):
        await svc.machine_connected(m)
    for c in pkg.candidates:
        await svc.login(c.seat, c.ticket, c.id_number)
    await svc.execute(SignInProctors(names=BY), ())
    await clock.advance(10 * MIN)  # the start
    a = pkg.candidates[0]
    answers = {}
    for seq in range(1, 70):  # a save a minute
        await clock.advance(MIN)
        answers = {"1": "ABCD"[seq % 4], "2": f"第{seq}次", "n": seq}
        assert await svc.save(a.seat, a.ticket, seq, answers, seq) is False
    assert svc.now() == START + 69 * MIN
    await clock.advance(MIN)  # minute 70: A01 fails
    await svc.machine_seen("A06")  # the spare's heartbeat: it is on, at its login screen
    end = svc.room.sitting.end_of(svc.room.sitting.candidates[a.ticket])
    done = await svc.execute(ResetCandidate(ticket=a.ticket, machine="A06", reason="machine_fault"), BY)
    assert (done["to"], done["end"], done["last_seq"]) == ("A06", end, 69)
    assert pushed[-1] == (a.seat, {"ticket": a.ticket, "state": "reset", "end": end, "continue_on": "A06"})
    # The failed machine's unacknowledged save is refused, and raised once.
    for seq in (70, 71):
        with pytest.raises(Refused) as no:
            await svc.save(a.seat, a.ticket, seq, {"1": "X"}, 1)
        assert no.value.code == "reset" and "已重置" in no.value.zh
    with pytest.raises(Refused) as no:
        await svc.submit(a.seat, a.ticket)
    assert no.value.code == "reset"
    raised = [se.event for se in svc.log.replay() if isinstance(se.event, AlertRaised)]
    assert [(e.alert_kind, e.machine) for e in raised if e.alert_kind is AlertKind.RESET_MACHINE] == [
        (AlertKind.RESET_MACHINE, "A01")
    ]
    await clock.advance(3 * MIN)  # the candidate walks to A06 and logs in
    ok = await svc.login("A06", a.ticket, a.id_number)
    assert ok["answers"] == answers and ok["last_seq"] == 69 and ok["end"] == end and ok["state"] == "answering"
    await svc.save("A06", a.ticket, 70, {**answers, "3": "C"}, 70)  # seq continues
    s = svc.room.sitting
    assert s.candidates[a.ticket].state is State.ANSWERING and s.candidates[a.ticket].machine == "A06"
    resets = [se.event for se in svc.log.replay() if isinstance(se.event, CandidateReset)]
    assert [(e.by, e.to, e.rule) for e in resets] == [(BY, "A06", "R24")]

    def submitted():
        return {se.event.ticket: se.event.at for se in svc.log.replay() if isinstance(se.event, CandidateSubmitted)}

    await clock.advance(end - svc.now() - 1)
    assert a.ticket not in submitted()
    await clock.advance(1)
    assert submitted()[a.ticket] == end == START + 120 * MIN
    assert ("A06", {"ticket": a.ticket, "state": "submitted", "end": end}) in pushed


def test_a_cloud_room_resets_at_once_when_a_machine_drops_and_the_candidate_loses_no_time(tmp_path):
    pkg = dataclasses.replace(make_package(candidates=4, machines=6), cloud=True)
    asyncio.run(_closing(_cloud, tmp_path, pkg))


async def _cloud(svc, clock, pkg):
    await svc.open()
    for m in ("A01", "A02", "A03", "A04", "A05"):
        await svc.machine_connected(m)
    for c in pkg.candidates:
        await svc.login(c.seat, c.ticket, c.id_number)
    await clock.advance(40 * MIN)
    a = pkg.candidates[0]
    await svc.save(a.seat, a.ticket, 1, {"1": "A"}, 1)
    await svc.machine_disconnected(a.seat)  # the cloud desktop drops
    [reset] = [se.event for se in svc.log.replay() if isinstance(se.event, CandidateReset)]
    assert (reset.rule, reset.by, reset.to) == ("R54", (), None)
    ok = await svc.login("A05", a.ticket, a.id_number)  # any free machine, no proctor needed
    assert ok["answers"] == {"1": "A"} and ok["end"] == START + 120 * MIN
