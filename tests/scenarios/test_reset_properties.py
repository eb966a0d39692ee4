"""Random sequences of saves (from the machine the candidate is on, or one they were reset away
from), resets (onto a spare, or a restart) and logins, through the room service on the simulated
clock: a save is acknowledged only from the machine the candidate is logged in on, a login after
a reset gets exactly the last acknowledged answers and `seq`, only where they were sent, and no
reset moves the end."""

import asyncio
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proctor.clock import SimulatedClock
from proctor.domain.commands import ResetCandidate, SignInProctors
from proctor.domain.refusal import Refused
from proctor.service import RoomService
from proctor.store import EventLog
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")
PKG = make_package(candidates=2, machines=5)  # A03, A04, A05: spares
MACHINES = ["A01", "A03", "A04", "A05"]
A = PKG.candidates[0]

op = st.one_of(
    st.tuples(st.just("save"), st.sampled_from(MACHINES), st.integers(0, 99)),
    st.tuples(st.just("resume"), st.sampled_from(MACHINES)),
    st.tuples(st.just("restart")),
    st.tuples(st.just("login"), st.sampled_from(MACHINES)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, min_size=1, max_size=25))
def test_a_login_after_resets_gets_exactly_the_last_acknowledged_answers(ops):
    with tempfile.TemporaryDirectory() as d:
        asyncio.run(_run(ops, Path(d) / "room.db"))


async def _run(ops, db):
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(PKG, national_policy(), EventLog(db), clock)
    await svc.open()
    try:
        for m in MACHINES:
            await svc.machine_connected(m)
        await svc.login(A.seat, A.ticket, A.id_number)
        await svc.execute(SignInProctors(names=BY), ())
        await clock.advance(20 * MIN)
        s = svc.room.sitting
        end = s.end_of(s.candidates[A.ticket])
        on, sent_to = A.seat, None  # the machine the candidate is logged in on; where a reset sent them
        acked: tuple[int, object] = (0, None)
        for o in ops:
            await clock.advance(1)
            for m in MACHINES:  # heartbeats: every spare stays on at its login screen
                await svc.machine_seen(m)
            if o[0] == "save":
                _, machine, n = o
                seq, answers = acked[0] + 1, {"1": n, "from": machine}
                try:
                    await svc.save(machine, A.ticket, seq, answers, 1)
                except Refused:
                    assert machine != on or sent_to is not None, o
                    continue
                assert machine == on and sent_to is None, o  # only the machine they are on
                acked = (seq, answers)
            elif o[0] in ("resume", "restart"):
                kind = o[0]
                machine = o[1] if kind == "resume" else None
                try:
                    done = await svc.execute(
                        ResetCandidate(ticket=A.ticket, kind=kind, machine=machine, reason="machine_fault"), BY
                    )
                except Refused:
                    continue
                assert done["end"] == end and done["last_seq"] == acked[0]
                sent_to = done["to"]
            else:
                machine = o[1]
                try:
                    ok = await svc.login(machine, A.ticket, A.id_number)
                except Refused:
                    assert sent_to is not None and machine != sent_to or sent_to is None and machine != on, o
                    continue
                assert sent_to in (None, machine), o
                assert (ok["last_seq"], ok["answers"], ok["end"]) == (*acked, end)
                on, sent_to = machine, None
            assert svc.room.sitting.end_of(svc.room.sitting.candidates[A.ticket]) == end
    finally:
        await svc.close()
        svc.log.close()
