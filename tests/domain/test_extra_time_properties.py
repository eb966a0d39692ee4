"""Random sequences of grants, requests and codes: no candidate's total ever passes 60 minutes,
none passes 10 without a code that answered a request for exactly that grant, and a replay of the
events through their one encoding gives the same room."""

from hypothesis import given, settings
from hypothesis import strategies as st

from proctor.domain import authcode
from proctor.domain.codes import room_name
from proctor.domain.events import ExtraTimeGranted, ExtraTimeReason, decode_event, encode_event
from proctor.domain.extra_time import decide_grant_extra_time, decide_request_authorization
from proctor.domain.room import Refused, RoomState
from tests.domain.test_extra_time import BY, MASTER, NOW, answering_room, package
from tests.factories import national_policy

PKG = package()
TICKETS = [c.ticket for c in PKG.candidates]
group = st.lists(st.sampled_from(TICKETS), min_size=1, max_size=4, unique=True)
minutes = st.integers(1, 70)
reason = st.sampled_from(list(ExtraTimeReason))
op = st.one_of(
    st.tuples(st.just("grant"), group, minutes, reason),
    st.tuples(st.just("ask"), group, minutes),
    # a code for the last request: right, for other minutes, for another group, or a guess
    st.tuples(st.just("code"), st.sampled_from(["right", "minutes", "group", "guess"]), group, minutes),
)


def view(r: RoomState):
    cs = r.sitting.candidates.values()
    return (
        [(c.ticket, c.extra_min, sorted(c.flags)) for c in cs],
        {k: (q.status, len(q.wrong), q.tickets, q.minutes) for k, q in r.requests.items()},
        [(a.kind, a.detail) for a in r.alerts.values()],
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(op, min_size=1, max_size=40))
def test_the_tiers_hold_across_any_sequence_of_grants(ops):
    r = answering_room(PKG)
    events = []
    last = None  # the last request made: (code, tickets, minutes)
    nonce = 0
    for o in ops:
        try:
            if o[0] == "grant":
                _, ts, m, why = o
                out = decide_grant_extra_time(r, ts, m, why, BY, NOW, note="断电")
            elif o[0] == "ask":
                _, ts, m = o
                nonce += 1
                out = decide_request_authorization(r, "extra_time", ts, m, BY, NOW, f"{nonce:016x}")
                last = (out[0].request, tuple(ts), m)
            else:
                if last is None:
                    continue
                _, kind, ts, m = o
                rq, rts, rm = last
                room = room_name(r)
                key = authcode.room_code_key(MASTER, room)
                code = {
                    "right": authcode.authorization_code(key, room, rq, "extra_time", rm, rts),
                    "minutes": authcode.authorization_code(key, room, rq, "extra_time", rm % 60 + 1, rts),
                    "group": authcode.authorization_code(key, room, rq, "extra_time", rm, ts),
                    "guess": authcode.authorization_code(b"g" * 32, room, rq, "extra_time", rm, rts),
                }[kind]
                out = decide_grant_extra_time(r, rts, rm, ExtraTimeReason.POWER, BY, NOW, request=rq, code=code)
        except Refused as no:
            out = no.record
        before = {c.ticket: c.extra_min for c in r.sitting.candidates.values()}
        for e in out:
            r.apply(e)
            events.append(e)
            if isinstance(e, ExtraTimeGranted):
                assert e.reason is not ExtraTimeReason.CANDIDATE_ERROR  # R22
                top = max(before[t] for t in e.candidates) + e.minutes
                if e.request is None:
                    assert top <= 10  # R19
                else:
                    q = r.requests[e.request]
                    assert (sorted(q.tickets), q.minutes) == (sorted(e.candidates), e.minutes)
        for c in r.sitting.candidates.values():
            assert 0 <= c.extra_min <= 60  # R21
        for q in r.requests.values():
            assert len(q.wrong) <= authcode.MAX_WRONG_CODES
    used = [e.request for e in events if isinstance(e, ExtraTimeGranted) and e.request]
    assert len(used) == len(set(used))  # each code once

    again = answering_room(PKG)
    for e in events:
        again.apply(decode_event(encode_event(e)))
    assert view(again) == view(r)


def test_the_national_default_tiers_are_the_ones_tested():
    p = national_policy()
    assert (p.extra_time_direct_max_min, p.extra_time_code_max_min) == (10, 60)
