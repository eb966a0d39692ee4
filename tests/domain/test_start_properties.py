"""Delayed start under random tiers, minutes and sequences: the tier is the one 004 附件2 二(一)
says for every number; no delay is ever taken above the code tier, none above the city's without
a code that answered a request for exactly those minutes, none after the start or in the past,
and a replay of the events through their one encoding gives the same room."""

from hypothesis import given, settings
from hypothesis import strategies as st

from proctor.domain import authcode
from proctor.domain.codes import room_name
from proctor.domain.events import StartDelayed, StartDelayReason, decode_event, encode_event
from proctor.domain.extra_time import decide_request_authorization
from proctor.domain.room import Refused, RoomState, due_events
from proctor.domain.start import Tier, code_subject, decide_delay_start, tier_for
from tests.domain.test_start import BY, MASTER, package
from tests.factories import START, national_policy

MIN = 60.0
PKG = package()


@given(st.integers(0, 10_000), st.integers(0, 200), st.integers(0, 200))
def test_the_tier_is_the_seeds_for_every_number(minutes, city, top):
    t = tier_for(minutes, city, top)
    if minutes > max(city, top):
        assert t is Tier.MINISTRY
    elif minutes <= city:
        assert t is Tier.CONSENT
    else:
        assert t is Tier.CODE and city < minutes <= top
    # Monotone: a longer delay never needs less.
    order = [Tier.CONSENT, Tier.CODE, Tier.MINISTRY]
    assert order.index(tier_for(minutes + 1, city, top)) >= order.index(t)


op = st.one_of(
    st.tuples(st.just("delay"), st.integers(1, 90), st.booleans()),  # minutes, consent named
    st.tuples(st.just("ask"), st.integers(1, 90)),
    st.tuples(st.just("code"), st.sampled_from(["right", "minutes", "guess"]), st.integers(1, 90)),
    st.tuples(st.just("wait"), st.integers(0, 60)),  # minutes of exam time pass
)


def view(r: RoomState):
    s = r.sittings[0]
    return (
        (s.start, s.delay_min, s.phase),
        {k: (q.status, len(q.wrong), q.minutes) for k, q in r.requests.items()},
        [(a.kind, a.detail) for a in r.alerts.values()],
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(op, min_size=1, max_size=30))
def test_the_tiers_hold_across_any_sequence_of_delays(ops):
    r = RoomState(PKG, national_policy())
    key = authcode.room_code_key(MASTER, room_name(r))
    log = []
    now = START - 20 * MIN
    last_request = None

    def take(events):
        for e in events:
            r.apply(e)
            log.append(e)

    for o in ops:
        if r.sitting is None:  # the sitting has ended
            break
        before = r.sitting.start
        started = now >= r.sitting.start or r.sitting.phase.value != "scheduled"
        try:
            if o[0] == "wait":
                now += o[1] * MIN
                take(due_events(r, now))
                continue
            if o[0] == "ask":
                take(decide_request_authorization(r, "delayed_start", (), o[1], BY, now, f"{len(log):016x}"))
                last_request = log[-1].request
                continue
            if o[0] == "delay":
                events = decide_delay_start(
                    r, o[1], StartDelayReason.POWER, BY, now, consent="张主任" if o[2] else None
                )
            else:
                if last_request is None:
                    continue
                asked = r.requests[last_request].minutes
                minutes = o[2] if o[1] == "minutes" else asked
                code = authcode.authorization_code(
                    key, room_name(r), last_request, "delayed_start", asked, code_subject(1)
                )
                if o[1] == "guess":
                    code = f"{o[2]:08d}" + authcode.check_digit(f"{o[2]:08d}")
                events = decide_delay_start(
                    r, minutes, StartDelayReason.NETWORK, BY, now, request=last_request, code=code
                )
        except Refused as no:
            take(no.record)
            assert r.sitting.start == before
            continue
        [e] = events
        assert isinstance(e, StartDelayed)
        assert not started, "a delay after the start"
        assert e.start >= now, "a start in the past"
        assert e.minutes <= 60
        if e.minutes > 30:
            rq = r.requests[e.request]
            assert rq.minutes == e.minutes and rq.status.value == "open"
        else:
            assert e.consent == "张主任" and e.request is None
        take(events)
        assert r.sitting.start == START + e.minutes * MIN

    again = RoomState(PKG, national_policy())
    for e in log:
        again.apply(decode_event(encode_event(e)))
    assert view(again) == view(r)
