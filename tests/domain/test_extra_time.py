"""Extra time (补时) under the tiers, and the provincial codes that allow the middle one: every
boundary (R19: 10 direct, R20: up to 60 with a code, R21: above refused), R22, wrong codes."""

import dataclasses
from pathlib import Path

import pytest

from proctor.domain import authcode
from proctor.domain.codes import room_name
from proctor.domain.events import (
    AlertKind,
    AlertRaised,
    AuthorizationCodeRejected,
    AuthorizationRequested,
    ExtraTimeGranted,
    ExtraTimeReason,
)
from proctor.domain.extra_time import (
    Tier,
    decide_grant_extra_time,
    decide_request_authorization,
    tier_for,
)
from proctor.domain.room import Flag, Refused, RoomState, decide_login, due_events
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")
MASTER = bytes(range(32))
FAULT = ExtraTimeReason.MACHINE_FAULT


def package(**kw):
    pkg = make_package(candidates=4, machines=5, **kw)
    key = authcode.room_code_key(MASTER, authcode.room_id(pkg.site, pkg.room))
    return dataclasses.replace(pkg, authcode_key=key.hex())


def answering_room(pkg=None, policy=None):
    pkg = pkg or package()
    r = RoomState(pkg, policy or national_policy())
    for c in pkg.candidates:
        for e in decide_login(r, c.seat, c.ticket, c.id_number, START - 10 * MIN):
            r.apply(e)
    for e in due_events(r, START + MIN):
        r.apply(e)
    return r


NOW = START + 20 * MIN


def tickets(r, n=1):
    return [c.ticket for c in r.package.candidates[:n]]


def grant(r, ts, minutes, **kw):
    events = decide_grant_extra_time(r, ts, minutes, kw.pop("reason", FAULT), BY, NOW, **kw)
    for e in events:
        r.apply(e)
    return events


def office(r, request, minutes, ts):
    """What the provincial office reads back, from the master key alone."""
    room = room_name(r)
    return authcode.authorization_code(authcode.room_code_key(MASTER, room), room, request, "extra_time", minutes, ts)


def ask(r, ts, minutes, nonce="00" * 8):
    [e] = decide_request_authorization(r, "extra_time", ts, minutes, BY, NOW, nonce)
    r.apply(e)
    return e.request


def refused(fn, *a, **kw) -> Refused:
    with pytest.raises(Refused) as exc:
        fn(*a, **kw)
    return exc.value


# -- the scheme ------------------------------------------------------------------------------------


def test_the_documented_test_vector():
    """docs/authorization-codes.md, "Test vector": a re-implementation must give these."""
    room = "温州市第一考点|第01考场"
    key = authcode.room_code_key(MASTER, room)
    assert key.hex() == "8b3972b144be57071a25ea8d48c5fd00b6915b58b481b7d5ab44d65f0fdf2927"
    ts = ["2027330101002", "2027330101001"]
    request = authcode.request_code(room, "extra_time", 25, ts, "0001020304050607")
    assert request == "376894541"
    assert authcode.authorization_code(key, room, request, "extra_time", 25, ts) == "017059188"
    assert authcode.authorization_code(key, room, request, "extra_time", 26, ts) == "741764028"
    assert authcode.well_formed("017059188") and not authcode.well_formed("017059189")
    doc = (Path(__file__).resolve().parents[2] / "docs" / "authorization-codes.md").read_text(encoding="utf-8")
    for value in (key.hex(), request, "017059188", "741764028"):
        assert f"`{value}`" in doc
    table = "".join(str(d) for row in authcode._DAMM for d in row)
    assert table == "".join(doc.split("T = ", 1)[1].split("(row by row)")[0].split())


def test_the_check_digit_catches_every_single_digit_error_and_neighbour_swap():
    code = "017059188"
    for i in range(len(code)):
        for d in "0123456789":
            if d != code[i]:
                assert not authcode.well_formed(code[:i] + d + code[i + 1 :])
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            assert not authcode.well_formed(code[:i] + code[i + 1] + code[i] + code[i + 2 :])


def test_truncation_is_uniform_by_rejection():
    limit = (1 << 64) - (1 << 64) % 10**8
    above = limit.to_bytes(8, "big")  # the first word is rejected: the second gives the digits
    assert authcode.digits_of([above + (123).to_bytes(8, "big")]) == "00000123"
    assert authcode.digits_of([(limit - 1).to_bytes(8, "big")]) == f"{(limit - 1) % 10**8:08d}"
    with pytest.raises(ValueError):
        authcode.digits_of([above * 4])


def test_codes_are_bound_to_room_request_operation_minutes_and_tickets():
    room = "考点|第01考场"
    key = authcode.room_code_key(MASTER, room)
    base = authcode.authorization_code(key, room, "376894541", "extra_time", 25, ["1", "2"])
    assert authcode.authorization_code(key, room, "376894541", "extra_time", 25, ["2", "1"]) == base  # order
    others = {
        authcode.authorization_code(
            authcode.room_code_key(MASTER, "考点|第02考场"), "考点|第02考场", "376894541", "extra_time", 25, ["1", "2"]
        ),
        authcode.authorization_code(key, room, "376894550", "extra_time", 25, ["1", "2"]),
        authcode.authorization_code(key, room, "376894541", "extra_time", 24, ["1", "2"]),
        authcode.authorization_code(key, room, "376894541", "extra_time", 25, ["1"]),
        authcode.authorization_code(key, room, "376894541", "extra_time", 25, ["1", "2", "3"]),
        authcode.authorization_code(key, room, "376894541", "delayed_start", 25, ["1", "2"]),
    }
    assert base not in others and len(others) == 6


# -- the tiers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "expected"),
    [(1, Tier.DIRECT), (10, Tier.DIRECT), (11, Tier.CODE), (60, Tier.CODE), (61, Tier.MINISTRY)],
)
def test_the_tier_of_a_total_at_each_boundary(total, expected):  # R19, R20, R21
    assert tier_for(total, 10, 60) is expected


def test_a_profile_without_a_direct_tier_or_codes():
    assert tier_for(1, 0, 60) is Tier.CODE and tier_for(1, 0, 0) is Tier.MINISTRY


def test_ten_minutes_in_all_are_direct_and_move_the_candidates_end():
    r = answering_room()
    [t] = tickets(r)
    s = r.sitting
    end = s.end_of(s.candidates[t])
    [e] = grant(r, [t], 4)
    assert isinstance(e, ExtraTimeGranted) and e.request is None and e.by == BY
    grant(r, [t], 6)  # 10 in all: still direct (R19)
    c = s.candidates[t]
    assert c.extra_min == 10 and Flag.EXTRA_TIME in c.flags and s.end_of(c) == end + 10 * MIN
    # One more minute is 11 in all: a code is needed (R20), and the refusal says so in numbers.
    no = refused(grant, r, [t], 1)
    assert (no.code, no.rule) == ("code_required", "R20")
    assert no.zh == "补时累计 11 分钟，超过 10 分钟需省级授权码" and "授权码" in no.allow_zh
    assert c.extra_min == 10


def test_the_example_from_the_issue_25_minutes_needs_a_code():
    r = answering_room()
    no = refused(grant, r, tickets(r), 25)
    assert no.zh == "补时累计 25 分钟，超过 10 分钟需省级授权码"


def test_sixty_minutes_in_all_with_codes_and_sixty_one_refused():
    r = answering_room()
    [t] = tickets(r)
    grant(r, [t], 10)
    rq = ask(r, [t], 35)
    grant(r, [t], 35, request=rq, code=office(r, rq, 35, [t]))  # 45
    rq = ask(r, [t], 15, nonce="01" * 8)
    grant(r, [t], 15, request=rq, code=office(r, rq, 15, [t]))  # 60: the top of R20
    assert r.sitting.candidates[t].extra_min == 60
    no = refused(grant, r, [t], 1)
    assert (no.code, no.rule, no.data["total"]) == ("ministry_only", "R21", 61)
    assert "人社部" in no.zh and "61" in no.zh
    # Not even a code can ask for it.
    assert refused(decide_request_authorization, r, "extra_time", [t], 1, BY, NOW, "02" * 8).code == "ministry_only"


def test_sixty_one_in_one_go_is_refused_and_sixty_takes_a_code():
    r = answering_room()
    [t] = tickets(r)
    assert refused(grant, r, [t], 61).code == "ministry_only"
    rq = ask(r, [t], 60)
    grant(r, [t], 60, request=rq, code=office(r, rq, 60, [t]))
    assert r.sitting.candidates[t].extra_min == 60


def test_a_group_grant_takes_the_tier_of_its_largest_total():
    r = answering_room()
    a, b, c = tickets(r, 3)
    grant(r, [a], 8)
    grant(r, [b, c], 2)
    # 3 more: b and c would be at 5, but a at 11: the whole group needs a code.
    no = refused(grant, r, [a, b, c], 3)
    assert no.code == "code_required" and no.data["ticket"] == a and no.data["total"] == 11
    assert [r.sitting.candidates[t].extra_min for t in (a, b, c)] == [8, 2, 2]  # nothing changed
    grant(r, [b, c], 8)  # 10 each: direct
    rq = ask(r, [c, a, b], 3)
    grant(r, [a, b, c], 3, request=rq, code=office(r, rq, 3, [b, a, c]))
    assert [r.sitting.candidates[t].extra_min for t in (a, b, c)] == [11, 13, 13]
    # One over 60 refuses the whole group.
    grant_to = 60 - 11
    no = refused(grant, r, [a, b], grant_to)
    assert (no.code, no.data["ticket"], no.data["total"]) == ("ministry_only", b, 62)


def test_the_candidates_own_error_earns_none_and_another_incident_is_named():
    r = answering_room()
    no = refused(grant, r, tickets(r), 5, reason=ExtraTimeReason.CANDIDATE_ERROR)
    assert (no.code, no.rule) == ("own_error", "R22") and "自身操作失误" in no.zh and no.allow_zh
    assert refused(grant, r, tickets(r), 5, reason=ExtraTimeReason.OTHER_INCIDENT).code == "reason_unnamed"
    [e] = grant(r, tickets(r), 5, reason=ExtraTimeReason.OTHER_INCIDENT, note=" 考场空调断电 ")
    assert e.note == "考场空调断电"


def test_only_a_candidate_answering_with_time_left_gets_extra_time():
    pkg = package()
    r = RoomState(pkg, national_policy())
    c0, c1 = pkg.candidates[:2]
    for e in decide_login(r, c0.seat, c0.ticket, c0.id_number, START - 10 * MIN):
        r.apply(e)
    before = refused(decide_grant_extra_time, r, [c0.ticket], 5, FAULT, BY, START - 5 * MIN)
    assert (before.code, before.rule) == ("not_answering", "R19") and "已登录" in before.zh
    for e in due_events(r, START + 31 * MIN):
        r.apply(e)
    absent = refused(decide_grant_extra_time, r, [c1.ticket], 5, FAULT, BY, START + 31 * MIN)
    assert absent.code == "not_answering" and "缺考" in absent.zh
    assert refused(decide_grant_extra_time, r, ["999"], 5, FAULT, BY, NOW).code == "unknown_candidate"
    assert refused(decide_grant_extra_time, r, [c0.ticket] * 2, 5, FAULT, BY, NOW).code == "bad_tickets"
    # At their end, before the auto-submission is applied: too late (R11).
    end = r.sitting.end_of(r.sitting.candidates[c0.ticket])
    late = refused(decide_grant_extra_time, r, [c0.ticket], 5, FAULT, BY, end)
    assert (late.code, late.rule) == ("time_over", "R11")
    for e in due_events(r, end):
        r.apply(e)
    assert refused(decide_grant_extra_time, r, [c0.ticket], 5, FAULT, BY, end).code == "exam_over"


def test_the_auto_submission_follows_each_candidates_own_end():
    r = answering_room()
    a, b = tickets(r, 2)
    grant(r, [a], 7)
    at_end = due_events(r, START + 120 * MIN)
    assert {e.ticket for e in at_end if e.kind == "CandidateSubmitted"} == set(tickets(r, 4)) - {a}
    for e in at_end:
        r.apply(e)
    assert r.sitting is not None and r.sitting.candidates[a].state.value == "answering"
    late = due_events(r, START + 127 * MIN)
    assert [(e.kind, getattr(e, "ticket", None), e.at) for e in late][0] == (
        "CandidateSubmitted",
        a,
        START + 127 * MIN,
    )


# -- codes and requests ----------------------------------------------------------------------------


def test_a_request_is_only_made_when_a_code_is_needed_and_possible():
    r = answering_room()
    [t] = tickets(r)
    no = refused(decide_request_authorization, r, "extra_time", [t], 10, BY, NOW, "00" * 8)
    assert (no.code, no.rule) == ("code_not_needed", "R19")
    assert (
        refused(decide_request_authorization, r, "standalone", [t], 20, BY, NOW, "00" * 8).code == "unknown_operation"
    )
    keyless = answering_room(make_package(candidates=4, machines=5))
    assert (
        refused(decide_request_authorization, keyless, "extra_time", [t], 20, BY, NOW, "00" * 8).code == "no_code_key"
    )
    # Without a key the direct tier still works.
    assert grant(keyless, [t], 10)[0].minutes == 10
    [e] = decide_request_authorization(r, "extra_time", [t], 20, BY, NOW, "ab" * 8)
    assert isinstance(e, AuthorizationRequested) and authcode.well_formed(e.request) and e.by == BY


def test_a_code_for_other_minutes_another_candidate_or_another_room_counts_as_wrong():
    r = answering_room()
    a, b = tickets(r, 2)
    rq = ask(r, [a], 25)
    for wrong in (
        office(r, rq, 30, [a]),  # other minutes
        office(r, rq, 25, [b]),  # another candidate
        office(r, rq, 25, [a, b]),  # a bigger group
    ):
        no = refused(grant, r, [a], 25, request=rq, code=wrong)
        assert (no.code, no.rule) == ("code_wrong", "R20") and isinstance(no.record[0], AuthorizationCodeRejected)
        for e in no.record:
            r.apply(e)
    other_room = "测试考点|第02考场"
    elsewhere = authcode.authorization_code(
        authcode.room_code_key(MASTER, other_room), other_room, rq, "extra_time", 25, [a]
    )
    no = refused(grant, r, [a], 25, request=rq, code=elsewhere)
    assert no.code == "code_wrong" and no.data["tries_left"] == 1
    assert r.sitting.candidates[a].extra_min == 0


def test_a_grant_must_be_what_was_requested_and_a_code_is_used_once():
    r = answering_room()
    a, b = tickets(r, 2)
    rq = ask(r, [a], 25)
    code = office(r, rq, 25, [a])
    differs = refused(grant, r, [a], 20, request=rq, code=code)
    assert differs.code == "request_differs" and not differs.record  # not a guess: nothing counted
    assert refused(grant, r, [b], 25, request=rq, code=code).code == "request_differs"
    assert refused(grant, r, [a], 25, request=rq).code == "code_incomplete"
    assert refused(grant, r, [a], 25, request="000000000", code=code).code == "unknown_request"
    [e] = grant(r, [a], 25, request=rq, code=code)
    assert e.request == rq and r.requests[rq].status is authcode.RequestStatus.USED
    again = refused(grant, r, [a], 25, request=rq, code=code)
    assert (again.code, again.rule) == ("code_used", "R20") and "重复使用" in again.zh
    assert r.sitting.candidates[a].extra_min == 25


def test_a_mistyped_code_is_caught_by_its_check_digit_and_not_counted():
    r = answering_room()
    [a] = tickets(r)
    rq = ask(r, [a], 25)
    code = office(r, rq, 25, [a])
    typo = code[:3] + str((int(code[3]) + 1) % 10) + code[4:]
    for bad in (typo, code[:-1], "abcdefghi", code + "0"):
        no = refused(grant, r, [a], 25, request=rq, code=bad)
        assert no.code == "code_mistyped" and not no.record and no.data["tries_left"] == 5
    # Spaces and dashes as a person writes a code down are fine.
    grant(r, [a], 25, request=rq, code=f"{code[:3]} {code[3:6]}-{code[6:]}")


def test_five_wrong_codes_lock_the_request_record_each_and_raise_an_alert():
    r = answering_room()
    [a] = tickets(r)
    rq = ask(r, [a], 25)
    right = office(r, rq, 25, [a])
    wrongs = [authcode.authorization_code(b"x" * 32, "?", rq, "extra_time", 25, [a])]
    wrongs += [office(r, rq, m, [a]) for m in (26, 27, 28, 29)]
    assert right not in wrongs
    for n, wrong in enumerate(wrongs, start=1):
        no = refused(grant, r, [a], 25, request=rq, code=wrong)
        assert no.code == "code_wrong" and no.data["tries_left"] == 5 - n
        rejected = no.record[0]
        assert isinstance(rejected, AuthorizationCodeRejected) and (rejected.attempt, rejected.by) == (n, BY)
        alerts = [e for e in no.record if isinstance(e, AlertRaised)]
        assert (len(alerts) == 1) is (n == 5)
        for e in no.record:
            r.apply(e)
    assert alerts[0].alert_kind is AlertKind.AUTHCODE_LOCKED and alerts[0].detail == rq
    assert r.requests[rq].status is authcode.RequestStatus.LOCKED and r.requests[rq].wrong[0][1] == BY
    # Locked: even the right code is refused now, and a new request is what allows it.
    locked = refused(grant, r, [a], 25, request=rq, code=right)
    assert (locked.code, locked.rule) == ("request_locked", "R20") and "重新" in locked.allow_zh
    rq2 = ask(r, [a], 25, nonce="77" * 8)
    assert rq2 != rq
    grant(r, [a], 25, request=rq2, code=office(r, rq2, 25, [a]))
    assert r.sitting.candidates[a].extra_min == 25


def test_a_profile_without_a_direct_tier_needs_a_code_from_the_first_minute():
    r = answering_room(policy=dataclasses.replace(national_policy(), extra_time_direct_max_min=0))
    [a] = tickets(r)
    assert refused(grant, r, [a], 1).zh == "补时累计 1 分钟，超过 0 分钟需省级授权码"
    rq = ask(r, [a], 1)
    grant(r, [a], 1, request=rq, code=office(r, rq, 1, [a]))


def test_a_profile_without_minute_tiers_grants_by_cause():  # CPA: 003 五、六、一; R23
    from proctor.resources import load_policy

    cpa = load_policy("cpa-2014")
    assert (cpa.extra_time_direct_max_min, cpa.extra_time_code_max_min) == (None, None)
    assert tier_for(70, None, None) is Tier.BY_CAUSE
    r = answering_room(policy=cpa)
    a, b = tickets(r, 2)
    grant(r, [a], 25)  # a swapped machine: by the time lost, no code (003 五)
    grant(r, [a], 40)
    assert r.sitting.candidates[a].extra_min == 65
    for why in (ExtraTimeReason.PERIPHERAL, ExtraTimeReason.SOFTWARE):
        no = refused(grant, r, [b], 5, reason=why)
        assert (no.code, no.rule) == ("approval_unnamed", "R23") and "批准" in no.zh
    assert refused(grant, r, [b], 5, reason=ExtraTimeReason.POWER).code == "approval_unnamed"
    [e] = grant(r, [b], 5, reason=ExtraTimeReason.SOFTWARE, note="主考张三批准 10:40")
    assert e.note == "主考张三批准 10:40"
    assert refused(grant, r, [b], 5, reason=ExtraTimeReason.CANDIDATE_ERROR).rule == "R22"
    no = refused(decide_request_authorization, r, "extra_time", [a], 5, BY, NOW, "00" * 8)
    assert no.code == "no_code_tier"
