"""Incidents on the simulated clock, walked by their flowcharts through the service: a room power
failure at minute 20 repaired at minute 45 ends with each affected candidate granted the 25
minutes they lost, through a provincial code because the total exceeds 10; the same failure past
the profile's 30 minutes is raised at exactly 30 and ends in the major outcome, escalated; a
timer's `expired` is refused before its minutes; the incident survives a restart."""

import asyncio
import dataclasses

import pytest

from proctor.clock import SimulatedClock
from proctor.domain import authcode
from proctor.domain.commands import (
    AnswerIncident,
    GrantExtraTime,
    OpenIncident,
    RequestAuthorization,
    ResetCandidate,
    SignInProctors,
)
from proctor.domain.events import AlertKind
from proctor.domain.refusal import Refused
from proctor.resources import flow_files, load_flow, load_policy
from proctor.service import RoomService
from proctor.store import EventLog
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")
MASTER = bytes(range(32))
FLOWS = {f.id: f for f in map(load_flow, flow_files())}
# The tests send no heartbeats: a machine drops when a test says it does.
POLICY = dataclasses.replace(national_policy(), heartbeat_interval_s=60.0, heartbeats_missed_offline=10_000)


async def _room(tmp_path, candidates=4, policy=None):
    pkg = make_package(candidates=candidates, machines=candidates + 1)
    room = authcode.room_id(pkg.site, pkg.room)
    key = authcode.room_code_key(MASTER, room)
    pkg = dataclasses.replace(pkg, authcode_key=key.hex())
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, policy or POLICY, EventLog(tmp_path / "room.db"), clock, flows=FLOWS)
    await svc.open()
    for c in pkg.candidates:
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    await svc.execute(SignInProctors(names=BY), ())
    return pkg, clock, svc, key, room


async def answer(svc, number, a=""):
    return await svc.execute(AnswerIncident(number=number, answer=a), BY)


def test_a_power_failure_repaired_in_25_minutes_grants_the_lost_minutes_with_a_code(tmp_path):
    asyncio.run(_repaired(tmp_path))


async def _repaired(tmp_path):
    pkg, clock, svc, key, room = await _room(tmp_path)
    tickets = tuple(c.ticket for c in pkg.candidates[:3])
    await clock.advance(30 * MIN)  # minute 20 of the exam
    opened = await svc.execute(OpenIncident(flow="power-failure", tickets=tickets), BY)
    n = opened["number"]
    await answer(svc, n)  # calm
    await answer(svc, n)  # reported to the site: the timer starts
    with pytest.raises(Refused) as no:
        await answer(svc, n, "expired")
    assert no.value.code == "timer_running" and "30 分钟" in no.value.zh
    await clock.advance(25 * MIN)  # minute 45: repaired
    await svc.run_due()
    assert not [a for a in svc.room.alerts.values() if a.kind is AlertKind.INCIDENT_THRESHOLD]
    done = await answer(svc, n, "done")
    assert done["lost_minutes"] == 25 and done["step"] == "report_general"
    await answer(svc, n)  # the province agrees: on to the operation
    lost = svc.room.incidents[n]
    assert lost.step == "extra_time"
    # The operation the step opens: 25 minutes for each affected candidate, above 10 so with a code (R20).
    with pytest.raises(Refused) as no:
        await svc.execute(GrantExtraTime(tickets=tickets, minutes=25, reason="power"), BY)
    assert no.value.code == "code_required"
    asked = await svc.execute(RequestAuthorization(tickets=tickets, minutes=25), BY)
    code = authcode.authorization_code(key, room, asked["request"], "extra_time", 25, tickets)
    await svc.execute(
        GrantExtraTime(tickets=tickets, minutes=25, reason="power", request=asked["request"], code=code), BY
    )
    closed = await answer(svc, n)
    assert closed["outcome"] == "general_done" and closed["closed_at"] is not None
    s = svc.room.sitting
    assert [s.candidates[t].extra_min for t in tickets] == [25, 25, 25]
    assert s.candidates[pkg.candidates[3].ticket].extra_min == 0  # not affected
    await svc.close()
    svc.log.close()

    again = RoomService(pkg, POLICY, EventLog(tmp_path / "room.db"), clock, flows=FLOWS)
    await again.open()
    run = again.room.incidents[n]
    assert (run.outcome, run.recovered_at, [x["step"] for x in run.steps][:2]) == (
        "general_done",
        run.recovered_at,
        ["calm", "report_site"],
    )
    await again.close()
    again.log.close()


def test_past_the_profiles_30_minutes_it_is_raised_and_ends_major_escalated(tmp_path):
    asyncio.run(_major(tmp_path))


async def _major(tmp_path):
    pkg, clock, svc, _, _ = await _room(tmp_path)
    await clock.advance(30 * MIN)
    n = (await svc.execute(OpenIncident(flow="power-failure"), BY))["number"]
    await answer(svc, n)
    await answer(svc, n)
    started = svc.room.incidents[n].step_at
    await clock.advance(30 * MIN - 1)
    await svc.run_due()
    assert not [a for a in svc.room.alerts.values() if a.kind is AlertKind.INCIDENT_THRESHOLD]
    await clock.advance(1)
    await svc.run_due()
    (alert,) = [a for a in svc.room.alerts.values() if a.kind is AlertKind.INCIDENT_THRESHOLD]
    assert (alert.at, alert.detail) == (started + 30 * MIN, f"{n}/repair")
    step = await answer(svc, n, "expired")
    assert step["step"] == "report_major"  # escalated: the province, then the national group
    await answer(svc, n)
    with pytest.raises(Refused) as no:
        await answer(svc, n, "停考")
    assert no.value.code == "unknown_answer" and "延时" in no.value.zh
    closed = await answer(svc, n, "另行安排批次")
    assert closed["outcome"] == "major_rescheduled" and "另行安排" in svc.room.incidents[n].report
    await svc.close()
    svc.log.close()


def test_one_machine_crash_leads_to_a_reset_and_the_lost_minutes(tmp_path):
    asyncio.run(_crash(tmp_path))


async def _crash(tmp_path):
    pkg, clock, svc, _, _ = await _room(tmp_path)
    await clock.advance(40 * MIN)  # minute 30: A01 goes dark
    a = pkg.candidates[0]
    spare = "A05"
    await svc.machine_disconnected(a.seat, "heartbeat lost")
    await clock.advance(MIN)  # a proctor sees it a minute later
    n = (await svc.execute(OpenIncident(flow="machine-crash", tickets=(a.ticket,)), BY))["number"]
    step = await answer(svc, n, "不能恢复")
    assert step["step"] == "reset_spare"  # the operation to open: reset onto a spare (R24)
    await svc.machine_seen(spare)  # the spare is on, at its login screen
    await svc.execute(ResetCandidate(ticket=a.ticket, machine=spare, reason="machine_fault"), BY)
    await clock.advance(5 * MIN + 30)
    await svc.login(spare, a.ticket, a.id_number)  # answering again at minute 36.5
    await clock.advance(MIN)
    step = await answer(svc, n)
    # R61: the time lost is the machine's time dark, from its drop to the login on the spare.
    assert step["step"] == "extra_time" and step["lost"] == {a.ticket: 7}
    assert svc.room.incidents[n].lost == {a.ticket: 7}
    await svc.close()
    svc.log.close()


def test_each_candidate_is_given_the_minutes_their_own_machine_was_down(tmp_path):
    asyncio.run(_measured(tmp_path))


async def _measured(tmp_path):
    pkg, clock, svc, _, _ = await _room(tmp_path)
    a, b, c, d = pkg.candidates
    await clock.advance(30 * MIN)  # minute 20: the power fails; A01 and A02 drop at once
    for m in (a.seat, b.seat):
        await svc.machine_disconnected(m, "heartbeat lost")
    await clock.advance(2 * MIN)
    n = (await svc.execute(OpenIncident(flow="power-failure"), BY))["number"]  # the whole room
    await answer(svc, n)
    await answer(svc, n)
    await clock.advance(MIN)
    await svc.machine_disconnected(c.seat, "heartbeat lost")  # C's machine on a UPS, dropped later
    await clock.advance(22 * MIN)  # minute 45: repaired
    await answer(svc, n, "done")
    await clock.advance(3 * MIN)  # the machines boot and the candidates log in again
    for x in (a, b, c):
        await svc.machine_connected(x.seat)
        await svc.login(x.seat, x.ticket, x.id_number)
    step = await answer(svc, n)  # the province agrees: the extra-time step
    assert step["step"] == "extra_time"
    # A and B from minute 20, C from minute 23, all back at minute 48; D's machine never dropped:
    # the incident's own time, from its opening at minute 22 to the repair at 45.
    assert step["lost"] == {a.ticket: 28, b.ticket: 28, c.ticket: 25, d.ticket: 23}
    await svc.close()
    svc.log.close()

    again = RoomService(pkg, POLICY, EventLog(tmp_path / "room.db"), clock, flows=FLOWS)
    await again.open()
    assert again.room.incidents[n].lost == step["lost"]  # measured once, kept in the log
    await again.close()
    again.log.close()


def test_a_flowchart_of_another_exam_is_refused(tmp_path):
    async def main():
        _, _, svc, _, _ = await _room(tmp_path)
        with pytest.raises(Refused) as no:
            await svc.execute(OpenIncident(flow="power-failure-cpa"), BY)
        assert no.value.code == "flow_not_for_profile"
        with pytest.raises(Refused) as no:
            await svc.execute(OpenIncident(flow="no-such-flow"), BY)
        assert no.value.code == "unknown_flow"
        await svc.close()
        svc.log.close()

    asyncio.run(main())


def test_a_third_of_the_machines_dropping_within_a_minute_offers_the_emergency_plan(tmp_path):
    asyncio.run(_wide(tmp_path))


def wide(svc):
    return [a for a in svc.room.alerts.values() if a.kind is AlertKind.WIDE_OUTAGE]


async def _wide(tmp_path):
    pkg, clock, svc, _, _ = await _room(tmp_path, candidates=9)
    seats = [c.seat for c in pkg.candidates]
    await clock.advance(30 * MIN)
    await svc.machine_disconnected(seats[0], "heartbeat lost")  # drops spread out: a machine at a time
    await clock.advance(61)
    await svc.machine_disconnected(seats[1], "heartbeat lost")
    await clock.advance(30)
    await svc.machine_disconnected(seats[2], "heartbeat lost")
    assert wide(svc) == []  # 2 in the last minute: under a third of 9
    await clock.advance(20)
    await svc.machine_disconnected(seats[3], "heartbeat lost")  # 3 of 9 within a minute
    (alert,) = wide(svc)
    assert alert.detail == "3/9"
    await svc.machine_disconnected(seats[4], "heartbeat lost")
    assert len(wide(svc)) == 1  # once an outage
    # While the proctors handle an incident, more drops are theirs already.
    await svc.execute(OpenIncident(flow="power-failure"), BY)
    await clock.advance(2 * MIN)
    for m in seats[5:8]:
        await svc.machine_disconnected(m, "heartbeat lost")
    assert len(wide(svc)) == 1
    await svc.close()
    svc.log.close()


CPA = dataclasses.replace(load_policy("cpa-2014"), heartbeat_interval_s=60.0, heartbeats_missed_offline=10_000)


@pytest.mark.parametrize(
    "opened_min, stop_at_min",
    [
        (-8, 50),  # R44: a fault before the start: 50 minutes from the start
        (-1, 50),
        (0, 50),
        (12, 62),  # R45: a fault after the start: 50 minutes from the fault
    ],
)
def test_cpa_counts_its_50_minutes_from_the_start_or_from_the_fault(tmp_path, opened_min, stop_at_min):
    async def main():
        pkg, clock, svc, _, _ = await _room(tmp_path, policy=CPA)
        await clock.advance((10 + opened_min) * MIN)
        n = (await svc.execute(OpenIncident(flow="power-failure-cpa"), BY))["number"]
        await clock.advance(MIN)  # reported to the province a minute later: the timer does not move
        await answer(svc, n)
        assert svc.room.incidents[n].deadline == START + stop_at_min * MIN
        await clock.advance(START + stop_at_min * MIN - 1 - svc.now())
        with pytest.raises(Refused) as no:
            await answer(svc, n, "expired")
        assert no.value.code == "timer_running" and "50 分钟" in no.value.zh
        await clock.advance(1)
        stopped = await answer(svc, n, "expired")
        assert stopped["step"] == "stop"
        await svc.close()
        svc.log.close()

    asyncio.run(main())
