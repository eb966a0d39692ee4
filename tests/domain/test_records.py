"""Room records: the identity check (R57, 001 监考规则 第八条) and temporary leave (暂离, 000 附件3
15; 001 考场规则 第七条), with the site's limit on how long a leave lasts before it is raised."""

import dataclasses

import pytest

from proctor.domain.events import (
    AlertKind,
    AlertRaised,
    CandidateSubmitted,
    IdentityChecked,
    LeaveReason,
    LeftRoom,
    ReturnedToRoom,
)
from proctor.domain.records import decide_check_identity, decide_leave_room, decide_return_to_room
from proctor.domain.room import Flag, Refused, RoomState, decide_login, due_events, next_due
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")
NOW = START + 20 * MIN


def applied(r, events):
    for e in events:
        r.apply(e)
    return events


def room(logged_in=3, policy=None):
    pkg = make_package(candidates=4, machines=5)
    r = RoomState(pkg, policy or national_policy())
    for c in pkg.candidates[:logged_in]:
        applied(r, decide_login(r, c.seat, c.ticket, c.id_number, START - 10 * MIN))
    applied(r, due_events(r, START + MIN))
    return r


def away_alerts(events):
    return [e for e in events if isinstance(e, AlertRaised) and e.alert_kind is AlertKind.AWAY_TOO_LONG]


def ticket(r, i=0):
    return r.package.candidates[i].ticket


def cand(r, i=0):
    return r.sitting.candidates[ticket(r, i)]


def test_a_matching_check_sets_checked_and_a_later_mismatch_clears_it_and_is_raised():
    r = room()
    (e,) = applied(r, decide_check_identity(r, ticket(r), True, "", BY, NOW))
    assert isinstance(e, IdentityChecked) and e.by == BY and Flag.ID_CHECKED in cand(r).flags
    events = applied(r, decide_check_identity(r, ticket(r), False, "照片与本人不符", BY, NOW + MIN))
    assert Flag.ID_CHECKED not in cand(r).flags
    alert = events[-1]
    assert isinstance(alert, AlertRaised) and alert.alert_kind is AlertKind.IDENTITY_MISMATCH
    assert alert.ticket == ticket(r) and alert.detail == "照片与本人不符" and Flag.ALERT in cand(r).flags


def test_a_mismatch_must_say_what_did_not_match():
    r = room()
    with pytest.raises(Refused) as refused:
        decide_check_identity(r, ticket(r), False, "  ", BY, NOW)
    assert refused.value.rule == "R57" and "哪一项不符" in refused.value.zh


def test_only_a_candidate_at_a_machine_can_be_checked_or_leave():
    r = room(logged_in=1)
    absent = ticket(r, 2)  # never logged in; sign-in still open: expected
    for decide in (
        lambda: decide_check_identity(r, absent, True, "", BY, NOW),
        lambda: decide_leave_room(r, absent, LeaveReason.TOILET, "", "赵流动", BY, NOW),
    ):
        with pytest.raises(Refused) as refused:
            decide()
        assert refused.value.code == "not_present" and "未登录" in refused.value.zh
    with pytest.raises(Refused) as refused:
        decide_check_identity(r, "999999999999", True, "", BY, NOW)
    assert refused.value.code == "unknown_candidate"


def test_a_leave_names_its_escort_and_its_reason_and_cannot_start_twice():
    r = room()
    with pytest.raises(Refused) as refused:
        decide_leave_room(r, ticket(r), LeaveReason.TOILET, "", " ", BY, NOW)
    assert refused.value.code == "no_escort" and "陪同" in refused.value.zh
    with pytest.raises(Refused) as refused:
        decide_leave_room(r, ticket(r), LeaveReason.OTHER, "", "赵流动", BY, NOW)
    assert refused.value.code == "reason_unnamed"
    (e,) = applied(r, decide_leave_room(r, ticket(r), LeaveReason.TOILET, "", "赵流动", BY, NOW))
    assert isinstance(e, LeftRoom) and Flag.AWAY in cand(r).flags and cand(r).away_escort == "赵流动"
    with pytest.raises(Refused) as refused:
        decide_leave_room(r, ticket(r), LeaveReason.TOILET, "", "钱流动", BY, NOW + MIN)
    assert refused.value.code == "already_away" and "赵流动" in refused.value.zh


def test_the_return_closes_the_leave_with_how_long_it_lasted():
    r = room()
    with pytest.raises(Refused) as refused:
        decide_return_to_room(r, ticket(r), True, BY, NOW)
    assert refused.value.code == "not_away"
    applied(r, decide_leave_room(r, ticket(r), LeaveReason.ILLNESS, "", "赵流动", BY, NOW))
    with pytest.raises(Refused) as refused:  # R32: back in only with the ID card checked
        decide_return_to_room(r, ticket(r), False, BY, NOW + 4 * MIN)
    assert refused.value.rule == "R32" and "身份证" in refused.value.zh and Flag.AWAY in cand(r).flags
    (back,) = applied(r, decide_return_to_room(r, ticket(r), True, BY, NOW + 4 * MIN))
    assert isinstance(back, ReturnedToRoom) and back.at - back.left_at == 4 * MIN
    assert Flag.AWAY not in cand(r).flags and cand(r).away_since is None
    row = r.candidate_row(r.sitting, cand(r))
    assert row["away_since"] is None and "away" not in row["flags"]


@pytest.mark.parametrize("limit", [10, 3])
def test_a_leave_is_raised_at_the_sites_limit_and_not_a_second_before(limit):
    policy = dataclasses.replace(national_policy(), away_alert_after_min=limit)
    r = room(policy=policy)
    applied(r, decide_leave_room(r, ticket(r), LeaveReason.TOILET, "", "赵流动", BY, NOW))
    at = NOW + limit * MIN
    assert next_due(r, NOW) <= at
    assert not away_alerts(due_events(r, at - 1))
    raised = away_alerts(applied(r, due_events(r, at)))
    assert [(e.ticket, e.detail, e.at) for e in raised] == [(ticket(r), str(limit), at)]
    assert not away_alerts(due_events(r, at + 30 * MIN))  # once a leave


def test_a_candidate_back_in_time_is_not_raised_and_a_new_leave_counts_afresh():
    r = room()
    applied(r, decide_leave_room(r, ticket(r), LeaveReason.TOILET, "", "赵流动", BY, NOW))
    applied(r, decide_return_to_room(r, ticket(r), True, BY, NOW + 9 * MIN))
    assert not away_alerts(due_events(r, NOW + 11 * MIN))
    applied(r, decide_leave_room(r, ticket(r), LeaveReason.TOILET, "", "赵流动", BY, NOW + 20 * MIN))
    assert len(away_alerts(due_events(r, NOW + 30 * MIN))) == 1


def test_a_candidate_submitted_at_their_end_while_away_can_still_be_recorded_back():
    r = room()
    applied(r, decide_leave_room(r, ticket(r), LeaveReason.TOILET, "", "赵流动", BY, NOW))
    end = r.sitting.end_of(cand(r))
    # Submitted at their end while others, with extra time, still answer: the sitting goes on.
    applied(r, [e for e in due_events(r, end) if isinstance(e, CandidateSubmitted) and e.ticket == ticket(r)])
    assert cand(r).state.value == "submitted"
    applied(r, decide_return_to_room(r, ticket(r), True, BY, end + MIN))
    assert Flag.AWAY not in cand(r).flags
