"""Delayed start on the simulated clock, at each tier boundary (30 min with the city's consent,
31 and 60 with a provincial code): the sitting starts at the new start and not before, sign-in
closes, submission opens and every candidate is submitted at the new times, and the exam machines
logged in before the start are told the new start and end."""

import asyncio
import dataclasses

import pytest

from proctor.clock import SimulatedClock
from proctor.domain import authcode
from proctor.domain.commands import DelayStart, RequestAuthorization, SignInProctors
from proctor.domain.events import (
    CandidateSubmitted,
    SignInClosed,
    SittingEnded,
    SittingStarted,
    StartDelayed,
)
from proctor.domain.refusal import Refused
from proctor.domain.start import code_subject
from proctor.service import RoomService
from proctor.store import EventLog
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")
MASTER = bytes(range(32))


@pytest.mark.parametrize("minutes", [30, 31, 60])
def test_a_delayed_start_moves_sign_in_close_submission_and_the_automatic_submission(tmp_path, minutes):
    asyncio.run(_delayed(tmp_path, minutes))


async def _delayed(tmp_path, minutes):
    # 150 minutes, so that R08's earliest submit (120 after the start) comes before the end.
    pkg = make_package(candidates=4, machines=5, sittings=(("初级会计实务", START, 150),))
    room = authcode.room_id(pkg.site, pkg.room)
    key = authcode.room_code_key(MASTER, room)
    pkg = dataclasses.replace(pkg, authcode_key=key.hex())
    clock = SimulatedClock(START - 20 * MIN)
    svc = RoomService(pkg, national_policy(), EventLog(tmp_path / "room.db"), clock)
    pushed: list[tuple[str, dict]] = []
    svc.listen_machines(lambda machine, state: pushed.append((machine, state)))
    await svc.open()
    early, late, absent = pkg.candidates[:2], pkg.candidates[2], pkg.candidates[3]
    for c in early:
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    await svc.execute(SignInProctors(names=BY), ())
    await clock.advance(15 * MIN)  # T-5: the power fails

    if minutes <= 30:
        done = await svc.execute(DelayStart(minutes=minutes, reason="power", consent="张主任（市考试院）"), BY)
    else:
        asked = await svc.execute(RequestAuthorization(op="delayed_start", minutes=minutes), BY)
        code = authcode.authorization_code(key, room, asked["request"], "delayed_start", minutes, code_subject(1))
        done = await svc.execute(DelayStart(minutes=minutes, reason="network", request=asked["request"], code=code), BY)
    new = START + minutes * MIN
    end = new + 150 * MIN
    assert (done["start"], done["end"], done["scheduled_start"]) == (new, end, START)
    # The machines logged in before the start hear the new start and end.
    for c in early:
        assert (c.seat, {"ticket": c.ticket, "state": "logged_in", "end": end, "start": new}) in pushed
    header = svc.room.sitting_header(svc.room.sitting)
    due = {d["kind"]: d["at"] for d in header["deadlines"]}
    assert (due["start"], due["sign_in_closes"], due["earliest_submit"], due["end"]) == (
        new,
        new + 30 * MIN,
        new + 120 * MIN,
        end,
    )

    def events(kind):
        return [se.event for se in svc.log.replay() if isinstance(se.event, kind)]

    await clock.advance(new - 1 - clock.now())  # a second before the new start: still waiting
    assert events(SittingStarted) == []
    await svc.machine_connected(late.seat)  # logs in after the scheduled start: still allowed
    await svc.login(late.seat, late.ticket, late.id_number)
    await clock.advance(1)
    assert [e.at for e in events(SittingStarted)] == [new]
    assert [p for p in pushed if p[1].get("state") == "answering"]  # told to answer

    await clock.advance(30 * MIN - 1)  # sign-in closes 30 min after the new start (R07)
    assert events(SignInClosed) == []
    await clock.advance(1)
    assert [e.at for e in events(SignInClosed)] == [new + 30 * MIN]
    assert svc.room.sitting.candidates[absent.ticket].state.value == "absent"

    first = early[0]
    await clock.advance(90 * MIN - 1)  # a second before submission opens (R08)
    with pytest.raises(Refused) as no:
        await svc.submit(first.seat, first.ticket)
    assert no.value.code == "too_early"
    await clock.advance(1)
    await svc.submit(first.seat, first.ticket)

    await clock.advance(30 * MIN - 1)  # a second before the new end
    assert [e.ticket for e in events(CandidateSubmitted)] == [first.ticket]
    await clock.advance(1)
    auto = {e.ticket: e.at for e in events(CandidateSubmitted) if e.by == "auto"}
    assert auto == {early[1].ticket: end, late.ticket: end}  # R11 at the new end
    assert [e.at for e in events(SittingEnded)] == [end]
    [d] = events(StartDelayed)
    assert d.by == BY and d.minutes == minutes
    assert (d.consent, d.request is None) == (("张主任（市考试院）", True) if minutes <= 30 else (None, False))
    await svc.close()
    svc.log.close()


def test_a_delay_asked_for_after_the_start_is_refused_on_the_simulated_clock(tmp_path):
    asyncio.run(_after_start(tmp_path))


async def _after_start(tmp_path):
    pkg = make_package(candidates=2, machines=3)
    clock = SimulatedClock(START - 5 * MIN)
    svc = RoomService(pkg, national_policy(), EventLog(tmp_path / "room.db"), clock)
    await svc.open()
    await svc.execute(SignInProctors(names=BY), ())
    await svc.execute(DelayStart(minutes=10, reason="power", consent="张主任"), BY)
    await clock.advance(15 * MIN)  # the delay ran out: the sitting started at T+10
    before = svc.log.last_seq
    with pytest.raises(Refused) as no:
        await svc.execute(DelayStart(minutes=20, reason="power", consent="张主任"), BY)
    assert (no.value.code, no.value.rule) == ("already_started", "R16") and "补时" in no.value.zh
    assert svc.log.last_seq == before
    await svc.close()
    svc.log.close()
