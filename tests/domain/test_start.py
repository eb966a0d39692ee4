"""Delayed start (延时开考) under the tiers of 004 附件2 二(一): every boundary (R16: 30 min with
the city's consent, R17: up to 60 with a provincial code, R18: later refused), CPA (none of it,
003 一、二), a delay changed again, after the start and in the past refused, wrong and reused codes."""

import dataclasses
from pathlib import Path

import pytest

from proctor.domain import authcode
from proctor.domain.codes import room_name
from proctor.domain.deadlines import Deadline
from proctor.domain.events import (
    AlertKind,
    AlertRaised,
    AuthorizationCodeRejected,
    AuthorizationRequested,
    SittingStarted,
    StartDelayed,
    StartDelayReason,
)
from proctor.domain.extra_time import decide_request_authorization
from proctor.domain.policy import Policy
from proctor.domain.room import Phase, Refused, RoomState, State, decide_login, due_events, next_due
from proctor.domain.start import Tier, code_subject, decide_delay_start, tier_for
from tests.factories import START, economics_policy, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")
MASTER = bytes(range(32))
POWER = StartDelayReason.POWER
BEFORE = START - 5 * MIN


def package(**kw):
    pkg = make_package(candidates=4, machines=5, **kw)
    key = authcode.room_code_key(MASTER, authcode.room_id(pkg.site, pkg.room))
    return dataclasses.replace(pkg, authcode_key=key.hex())


def waiting_room(policy=None, pkg=None):
    """Every candidate logged in before the start; the sitting not started."""
    pkg = pkg or package()
    r = RoomState(pkg, policy or national_policy())
    for c in pkg.candidates[:3]:
        for e in decide_login(r, c.seat, c.ticket, c.id_number, START - 10 * MIN):
            r.apply(e)
    return r


def apply(r, events):
    for e in events:
        r.apply(e)
    return events


def delay(r, minutes, now=BEFORE, **kw):
    return apply(r, decide_delay_start(r, minutes, kw.pop("reason", POWER), BY, now, **kw))


def office(r, request, minutes):
    key = authcode.room_code_key(MASTER, room_name(r))
    return authcode.authorization_code(key, room_name(r), request, "delayed_start", minutes, code_subject(1))


def ask(r, minutes, now=BEFORE):
    [e] = apply(r, decide_request_authorization(r, "delayed_start", (), minutes, BY, now, "0f" * 8))
    assert isinstance(e, AuthorizationRequested)
    return e.request


def with_code(r, minutes, now=BEFORE, **kw):
    rq = ask(r, minutes, now)
    return delay(r, minutes, now, request=rq, code=office(r, rq, minutes), **kw)


def refused(fn, *a, **kw) -> Refused:
    with pytest.raises(Refused) as no:
        fn(*a, **kw)
    return no.value


# -- the tiers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "tier"),
    [(1, Tier.CONSENT), (30, Tier.CONSENT), (31, Tier.CODE), (60, Tier.CODE), (61, Tier.MINISTRY)],
)
def test_the_tier_boundaries_are_exact(minutes, tier):
    assert tier_for(minutes, 30, 60) is tier


def test_a_profile_that_takes_no_tiers_has_none():
    assert tier_for(10, None, None) is Tier.NOT_TAKEN


def test_30_minutes_with_the_citys_consent_moves_the_start_and_every_deadline():
    r = waiting_room(pkg=package(sittings=(("初级会计实务", START, 150),)))
    [e] = delay(r, 30, consent=" 张主任（市考试院） ", note="配电房跳闸")
    assert isinstance(e, StartDelayed)
    assert (e.minutes, e.start, e.previous, e.consent, e.request, e.by) == (
        30,
        START + 30 * MIN,
        START,
        "张主任（市考试院）",
        None,
        BY,
    )
    s = r.sitting
    assert (s.start, s.scheduled_start, s.delay_min, s.end) == (START + 30 * MIN, START, 30, START + 180 * MIN)
    assert r.sign_in_closes(s) == START + 60 * MIN  # R07 from the new start
    c = next(iter(s.candidates.values()))
    assert r.earliest_submit(s, c) == START + 150 * MIN  # R08: 120 min after the new start
    assert r.login_opens(s) == START - 30 * MIN  # R05: a login already open stays open
    due = {d["kind"]: d["at"] for d in r.sitting_header(s)["deadlines"]}
    assert due[Deadline.START.value] == START + 30 * MIN
    assert due[Deadline.LOGIN_OPENS.value] == START - 30 * MIN
    assert due[Deadline.SIGN_IN_CLOSES.value] == START + 60 * MIN
    assert due[Deadline.EARLIEST_SUBMIT.value] == START + 150 * MIN
    assert due[Deadline.REMINDER.value] == START + 165 * MIN  # R12
    assert due[Deadline.END.value] == START + 180 * MIN  # R11
    header = r.sitting_header(s)
    assert (header["start"], header["scheduled_start"], header["delay_min"]) == (START + 30 * MIN, START, 30)


def test_the_sitting_starts_at_the_new_start_and_not_before():
    r = waiting_room()
    delay(r, 20, consent="张主任")
    assert next_due(r, BEFORE) == START + 20 * MIN
    assert due_events(r, START + 20 * MIN - 1) == []
    assert [type(e) for e in due_events(r, START + 20 * MIN)] == [SittingStarted]
    apply(r, due_events(r, START + 20 * MIN))
    assert r.sitting.started_at == START + 20 * MIN
    assert {c.state for c in list(r.sitting.candidates.values())[:3]} == {State.ANSWERING}


def test_a_login_after_the_scheduled_start_is_still_allowed_until_the_new_sign_in_close():
    r = waiting_room()
    delay(r, 30, consent="张主任")
    last = r.package.candidates[3]
    apply(r, decide_login(r, last.seat, last.ticket, last.id_number, START + 10 * MIN))
    assert r.sitting.candidates[last.ticket].state is State.LOGGED_IN


def test_30_minutes_without_the_consent_named_is_refused_r16():
    r = waiting_room()
    no = refused(delay, r, 30)
    assert (no.code, no.rule) == ("consent_required", "R16")
    assert "地市级考试机构同意" in no.zh and "同意人姓名" in no.allow_zh
    no = refused(delay, r, 30, consent="   ")
    assert no.code == "consent_required"
    assert r.sitting.start == START


def test_31_minutes_needs_a_provincial_code_r17_and_consent_is_not_enough():
    r = waiting_room()
    no = refused(delay, r, 31, consent="张主任")
    assert (no.code, no.rule) == ("code_required", "R17")
    assert no.zh == "延迟开考 31 分钟，超过统一开考后 30 分钟，须向省级考试机构申请授权码"
    [e] = with_code(r, 31)
    assert (e.minutes, e.start) == (31, START + 31 * MIN) and e.request is not None
    assert r.requests[e.request].status.value == "used"


def test_60_minutes_with_a_code_and_61_refused_r18():
    r = waiting_room()
    [e] = with_code(r, 60)
    assert e.start == START + 60 * MIN
    no = refused(delay, r, 61, consent="张主任")
    assert (no.code, no.rule) == ("ministry_only", "R18") and "部中心" in no.zh
    no = refused(decide_request_authorization, r, "delayed_start", (), 61, BY, BEFORE, "00" * 8)
    assert (no.code, no.rule) == ("ministry_only", "R18")
    assert r.sitting.start == START + 60 * MIN


def test_a_request_within_the_citys_tier_is_refused_no_code_is_needed():
    r = waiting_room()
    no = refused(decide_request_authorization, r, "delayed_start", (), 30, BY, BEFORE, "00" * 8)
    assert (no.code, no.rule) == ("code_not_needed", "R16")
    no = refused(decide_request_authorization, r, "delayed_start", ("2027330101001",), 45, BY, BEFORE, "00" * 8)
    assert no.code == "bad_tickets"
    assert r.requests == {}


def test_cpa_has_no_delayed_start_tiers_and_says_what_applies():
    cpa = Policy(
        id="cpa-2014",
        name="注册会计师全国统一考试",
        delayed_start_city_max_min=None,
        delayed_start_code_max_min=None,
        fault_stop_after_min=50,
    )
    r = waiting_room(cpa)
    for minutes in (10, 45):
        no = refused(delay, r, minutes, consent="张主任")
        assert (no.code, no.rule) == ("no_delay_tiers", "R44")  # what holds instead, at its 50 minutes
        assert "50 分钟内解决" in no.zh and "财政部考办" in no.zh and "补时" in no.allow_zh
    sooner = waiting_room(dataclasses.replace(cpa, fault_stop_after_min=40))
    assert "40 分钟内解决" in refused(delay, sooner, 10, consent="张主任").zh  # R44's number from the profile
    no = refused(decide_request_authorization, r, "delayed_start", (), 45, BY, BEFORE, "00" * 8)
    assert no.code == "no_delay_tiers"


def test_the_shipped_cpa_profile_refuses_a_delayed_start():
    from proctor.resources import load_policy

    cpa = load_policy("cpa-2014")
    no = refused(delay, waiting_room(cpa), 20, consent="张主任")
    assert no.code == "no_delay_tiers" and "财政部考办" in no.zh


# -- changing a delay -----------------------------------------------------------------------------


def test_a_delay_changed_again_is_tiered_by_its_new_total():
    r = waiting_room()
    delay(r, 20, consent="张主任")
    no = refused(delay, r, 45, consent="张主任")  # longer: re-tiered, a code now
    assert no.code == "code_required"
    with_code(r, 45)
    assert r.sitting.start == START + 45 * MIN
    [e] = delay(r, 25, START + 10 * MIN, consent="李科长")  # earlier, and not past: the city again
    assert (e.previous, e.start, r.sitting.delay_min) == (START + 45 * MIN, START + 25 * MIN, 25)
    no = refused(delay, r, 25, START + 11 * MIN, consent="李科长")
    assert no.code == "delay_unchanged"


def test_a_start_in_the_past_is_refused():
    r = waiting_room()
    delay(r, 20, consent="张主任")
    now = START + 15 * MIN
    no = refused(delay, r, 10, now, consent="张主任")
    assert (no.code, no.rule) == ("start_in_past", "R16")
    assert "现在已是统一开考后 15 分钟" in no.zh
    assert r.sitting.start == START + 20 * MIN
    delay(r, 15, now, consent="张主任")  # now is not the past: it starts at once
    assert [type(e) for e in due_events(r, now)] == [SittingStarted]


def test_after_the_start_a_delay_is_refused_and_extra_time_applies_instead():
    r = waiting_room()
    apply(r, due_events(r, START))
    assert r.sitting.phase is Phase.STARTED
    no = refused(delay, r, 10, START + MIN, consent="张主任")
    assert (no.code, no.rule) == ("already_started", "R16")
    assert "补时" in no.zh and "R19" in no.allow_zh
    # The start time has come though the schedule has not run yet: it has started all the same.
    r = waiting_room()
    assert refused(delay, r, 10, START, consent="张主任").code == "already_started"


def test_once_a_delay_has_run_out_the_sitting_has_started_and_no_delay_is_taken():
    r = waiting_room()
    delay(r, 10, consent="张主任")
    apply(r, due_events(r, START + 10 * MIN))
    no = refused(delay, r, 30, START + 11 * MIN, consent="张主任")
    assert no.code == "already_started"
    assert refused(ask, r, 45, START + 11 * MIN).code == "already_started"


def test_another_cause_must_be_named():
    r = waiting_room()
    no = refused(delay, r, 10, consent="张主任", reason=StartDelayReason.OTHER)
    assert no.code == "reason_unnamed"
    [e] = delay(r, 10, consent="张主任", reason=StartDelayReason.OTHER, note="考点大门无法开启")
    assert e.note == "考点大门无法开启"


# -- codes ------------------------------------------------------------------------------------------


def test_a_code_for_other_minutes_is_refused_and_a_used_one_cannot_be_used_again():
    r = waiting_room()
    rq = ask(r, 45)
    no = refused(delay, r, 50, request=rq, code=office(r, rq, 50))
    assert (no.code, no.rule) == ("request_differs", "R17") and "45 分钟" in no.zh
    delay(r, 45, request=rq, code=office(r, rq, 45))
    no = refused(delay, r, 40, START - MIN, request=rq, code=office(r, rq, 40))
    assert (no.code, no.rule) == ("code_used", "R17") and "重复使用" in no.zh
    rq2 = ask(r, 50)
    delay(r, 50, request=rq2, code=office(r, rq2, 50))
    no = refused(delay, r, 45, START - MIN, request=rq, code=office(r, rq, 45))
    assert (no.code, no.rule) == ("code_used", "R17")


def test_an_extra_time_request_does_not_answer_a_delayed_start():
    r = waiting_room()
    rq = ask(r, 45)
    # The office answering the same request as extra time for the sitting's number gives another code.
    key = authcode.room_code_key(MASTER, room_name(r))
    other = authcode.authorization_code(key, room_name(r), rq, "extra_time", 45, code_subject(1))
    no = refused(delay, r, 45, request=rq, code=other)
    assert no.code == "code_wrong"


def test_wrong_codes_are_recorded_and_the_fifth_locks_the_request():
    r = waiting_room()
    rq = ask(r, 40)
    for i in range(5):
        guess = f"{12345670 + i}"
        guess += authcode.check_digit(guess)
        no = refused(delay, r, 40, request=rq, code=guess)
        assert no.code == "code_wrong" and no.rule == "R17"
        apply(r, no.record)
    assert no.data["tries_left"] == 0 and "已锁定" in no.zh
    assert [type(e) for e in no.record] == [AuthorizationCodeRejected, AlertRaised]
    assert no.record[1].alert_kind is AlertKind.AUTHCODE_LOCKED
    no = refused(delay, r, 40, request=rq, code=office(r, rq, 40))
    assert no.code == "request_locked"
    assert r.sitting.start == START


def test_a_mistyped_code_is_not_counted():
    r = waiting_room()
    rq = ask(r, 40)
    right = office(r, rq, 40)
    typo = right[:-1] + str((int(right[-1]) + 1) % 10)
    no = refused(delay, r, 40, request=rq, code=typo)
    assert no.code == "code_mistyped" and no.record == []
    delay(r, 40, request=rq, code=" " + right[:3] + "-" + right[3:6] + " " + right[6:])


def test_without_the_rooms_key_no_code_can_be_asked_for():
    r = waiting_room(pkg=make_package(candidates=4, machines=5))
    no = refused(ask, r, 45)
    assert (no.code, no.rule) == ("no_code_key", "R17")
    delay(r, 30, consent="张主任")  # the city's tier needs no key


def test_economics_tiers_are_the_same_and_the_second_sitting_is_its_own():
    two = package(sittings=(("经济基础知识", START, 90), ("专业知识和实务", START + 4 * 3600, 90)))
    r = waiting_room(economics_policy(), two)
    delay(r, 30, consent="张主任")
    assert r.sittings[0].start == START + 30 * MIN and r.sittings[1].start == START + 4 * 3600
    assert r.sittings[0].end == START + 120 * MIN


def test_the_documented_delayed_start_vector():
    text = (Path(__file__).parents[2] / "docs" / "authorization-codes.md").read_text(encoding="utf-8")
    room = "温州市第一考点|第01考场"
    key = authcode.room_code_key(bytes(range(32)), room)
    request = authcode.request_code(room, "delayed_start", 45, code_subject(1), "0001020304050607")
    code = authcode.authorization_code(key, room, request, "delayed_start", 45, code_subject(1))
    other = authcode.authorization_code(key, room, request, "delayed_start", 46, code_subject(1))
    assert (request, code, other) == ("548232814", "850478374", "847638290")
    for value in (request, code, other):
        assert f"`{value}`" in text
