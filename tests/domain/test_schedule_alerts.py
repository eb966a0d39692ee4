"""The schedule's own alerts, once a sitting: candidates still missing 5 minutes before sign-in
closes (R07 ahead), and the reminder before the end (R12), at their boundaries."""

from proctor.domain.events import AlertKind, AlertRaised
from proctor.domain.room import SIGN_IN_CLOSING_WARNING_MIN, RoomState, decide_acknowledge_alert, next_due
from tests.domain.test_room_rules import MIN, apply, login, room, run_until
from tests.factories import START, economics_policy, make_package, national_policy

CLOSE = START + 30 * MIN  # R07 in both profiles here
WARN = CLOSE - SIGN_IN_CLOSING_WARNING_MIN * MIN


def raised(events, kind):
    return [e for e in events if isinstance(e, AlertRaised) and e.alert_kind is kind]


def test_missing_candidates_are_raised_five_minutes_before_sign_in_closes_once():
    r = room(candidates=3)
    login(r, 0)
    run_until(r, START)
    assert next_due(r, START) == WARN
    assert not raised(run_until(r, WARN - 1), AlertKind.SIGN_IN_CLOSING)
    got = raised(run_until(r, WARN), AlertKind.SIGN_IN_CLOSING)
    assert [(e.at, e.detail) for e in got] == [(WARN, "2")]  # two of three not logged in
    apply(r, decide_acknowledge_alert(r, got[0].alert, ("张三", "李四"), WARN + 10))
    assert not raised(run_until(r, WARN + 60), AlertKind.SIGN_IN_CLOSING)  # once a sitting
    assert next_due(r, WARN + 60) == CLOSE


def test_no_warning_when_everyone_is_in_or_the_moment_has_passed():
    full = room(candidates=1)
    login(full, 0)
    run_until(full, START)
    assert next_due(full, START) == CLOSE
    assert not raised(run_until(full, CLOSE - 1), AlertKind.SIGN_IN_CLOSING)
    late = room(candidates=2)
    login(late, 0)
    events = run_until(late, CLOSE)  # the service was down across the warning: close comes alone
    assert not raised(events, AlertKind.SIGN_IN_CLOSING)


def test_the_reminder_before_the_end_is_raised_at_its_minute_once():  # R12
    r = room(candidates=1)  # one sitting of 120 minutes
    login(r, 0)
    run_until(r, CLOSE)
    remind = START + 105 * MIN
    assert next_due(r, CLOSE) == remind
    assert not raised(run_until(r, remind - 1), AlertKind.END_REMINDER)
    got = raised(run_until(r, remind), AlertKind.END_REMINDER)
    assert [(e.at, e.detail) for e in got] == [(remind, "15")]
    assert not raised(run_until(r, remind + 5 * MIN), AlertKind.END_REMINDER)
    assert next_due(r, remind + 5 * MIN) == START + 120 * MIN


def test_the_reminder_follows_the_profile_and_not_after_the_end():
    p = economics_policy()
    r = RoomState(make_package(1, sittings=(("经济基础知识", START, 90),), policy="economics-2021"), p)
    login(r, 0)
    remind = START + 90 * MIN - p.reminder_before_end_min * MIN
    got = raised(run_until(r, remind), AlertKind.END_REMINDER)
    assert [e.detail for e in got] == [str(p.reminder_before_end_min)]
    gone = room(policy=national_policy(), candidates=1)
    login(gone, 0)
    assert not raised(run_until(gone, START + 121 * MIN), AlertKind.END_REMINDER)  # past the end: too late
