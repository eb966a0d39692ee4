"""Random exams: whatever machines, candidates and proctors do, the room's invariants hold and a
replay of the events, through their one encoding, gives the same room."""

from hypothesis import given, settings
from hypothesis import strategies as st

from proctor.domain.admission import decide_machine_online
from proctor.domain.events import decode_event, encode_event
from proctor.domain.room import (
    Flag,
    Refused,
    RoomState,
    State,
    decide_acknowledge_alert,
    decide_login,
    decide_machine_offline,
    decide_save,
    decide_sign_in_proctors,
    decide_submit,
    due_events,
)
from tests.factories import START, make_package, national_policy

PKG = make_package(candidates=6, machines=8, sittings=(("财务管理", START, 150),))
MACHINES = [m.id for m in PKG.machines]

# A machine is None for "the candidate's own" (their seat, or where they are logged in), so most
# commands are ones a real room sends; a named machine tries the wrong-machine paths.
machine = st.one_of(st.none(), st.none(), st.sampled_from(MACHINES))
who = st.integers(0, 5)
op = st.one_of(
    st.tuples(st.just("online"), st.sampled_from(MACHINES)),
    st.tuples(st.just("offline"), st.sampled_from(MACHINES)),
    st.tuples(st.just("login"), machine, who),
    st.tuples(st.just("save"), machine, who, st.integers(0, 2)),
    st.tuples(st.just("save"), machine, who, st.integers(0, 2)),
    st.tuples(st.just("submit"), machine, who),
    st.tuples(st.just("wait"), st.sampled_from([1, 5, 15, 30])),
    st.tuples(st.just("proctors"), st.integers(1, 3)),
    st.tuples(st.just("acknowledge"), st.integers(1, 8)),
)
PROCTORS = ("林𠮷祥", "王芳", "刘䶮")


def view(r: RoomState):
    return [
        [(c.ticket, c.state, c.machine, sorted(c.flags), c.last_seq) for c in s.candidates.values()] + [s.phase]
        for s in r.sittings
    ] + [
        sorted((m.id, m.online) for m in r.machines.values()),
        [(a.id, a.kind, a.ticket, a.machine, a.acknowledged_by) for a in r.alerts.values()],
        r.proctors,
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(op, min_size=20, max_size=100))
def test_random_exams_keep_the_invariants_and_replay_exactly(ops):
    r = RoomState(PKG, national_policy())
    now = START - 25 * 60  # login is open
    log = []
    seqs: dict[str, int] = {}
    ever_submitted: set[str] = set()
    absent: set[str] = set()

    def take(events):
        for e in events:
            r.apply(e)
            log.append(e)

    def attempt(decide, *args):
        try:
            take(decide(*args))
        except Refused as refused:
            take(refused.record)  # a refusal that is a fact is recorded too
            raise

    def at(o):
        c = r.sittings[0].candidates[PKG.candidates[o[2]].ticket]
        return o[1] or c.machine or PKG.candidates[o[2]].seat

    for o in ops:
        kind = o[0]
        try:
            if kind == "online":
                attempt(decide_machine_online, r, o[1], now)
            elif kind == "offline":
                attempt(decide_machine_offline, r, o[1], now, "test")
            elif kind == "login":
                c = PKG.candidates[o[2]]
                attempt(decide_machine_online, r, at(o), now)
                attempt(decide_login, r, at(o), c.ticket, c.id_number, now)
            elif kind == "save":
                t = PKG.candidates[o[2]].ticket
                seq = seqs.get(t, 0) + o[3]
                attempt(decide_save, r, at(o), t, seq, f"digest{seq}", None, now)
                if r.sitting and r.sitting.candidates[t].last_seq == seq:
                    seqs[t] = seq
            elif kind == "submit":
                attempt(decide_submit, r, at(o), PKG.candidates[o[2]].ticket, now)
            elif kind == "proctors":
                attempt(decide_sign_in_proctors, r, PROCTORS[: o[1]], now)
            elif kind == "acknowledge":
                attempt(decide_acknowledge_alert, r, o[1], r.proctors, now)
                assert o[1] not in {a.id for a in r.open_alerts()}
            else:
                now += o[1] * 60
                while due := due_events(r, now):
                    take(due)
        except Refused:
            pass
        s = r.sittings[0]
        # One open candidate per machine, and every open candidate sits at a machine.
        open_ = [c for c in s.candidates.values() if c.state in (State.LOGGED_IN, State.ANSWERING)]
        assert len({c.machine for c in open_}) == len(open_) and all(c.machine for c in open_)
        # Submitted and absent are for good.
        for c in s.candidates.values():
            if c.ticket in ever_submitted:
                assert c.state is State.SUBMITTED
            if c.ticket in absent:
                assert c.state is State.ABSENT
            if c.state is State.SUBMITTED:
                ever_submitted.add(c.ticket)
            if c.state is State.ABSENT:
                absent.add(c.ticket)
        # A candidate is flagged for an alert exactly while one about them waits for a proctor.
        waiting = {a.ticket for a in r.open_alerts() if a.ticket}
        assert {c.ticket for c in s.candidates.values() if Flag.ALERT in c.flags} == waiting
        # Nobody is answering before the start or after their end.
        if now < START or now >= START + 150 * 60:
            assert all(c.state is not State.ANSWERING for c in s.candidates.values())

    again = RoomState(PKG, national_policy())
    for e in log:
        again.apply(decode_event(encode_event(e)))
    assert view(again) == view(r)
