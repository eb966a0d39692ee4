"""The console lock: each lock and unlock recorded; without the code, two proctors sign in again;
the third wrong code in a row is raised, and an unlock starts the count afresh."""

import pytest

from proctor.domain.console_lock import ALERT_AFTER_WRONG, decide_lock, decide_unlock, decide_unlock_failed
from proctor.domain.events import AlertKind, AlertRaised, ConsoleLocked, ConsoleUnlocked
from proctor.domain.room import Refused, RoomState
from tests.factories import START, make_package, national_policy

BY = ("林𠮷祥", "王芳")


def applied(r, events):
    for e in events:
        r.apply(e)
    return events


def test_a_lock_and_an_unlock_are_recorded_and_not_twice():
    r = RoomState(make_package(candidates=2, machines=2), national_policy())
    with pytest.raises(Refused):
        decide_unlock(r, "code", BY, START)
    (e,) = applied(r, decide_lock(r, BY, START))
    assert isinstance(e, ConsoleLocked) and r.console_locked and r.header()["console_locked"]
    with pytest.raises(Refused) as no:
        decide_lock(r, BY, START + 1)
    assert no.value.code == "already_locked"
    (u,) = applied(r, decide_unlock(r, "code", BY[:1], START + 2))
    assert isinstance(u, ConsoleUnlocked) and u.how == "code" and not r.console_locked


def test_without_the_code_two_proctors_sign_in_again():
    r = RoomState(make_package(candidates=2, machines=2), national_policy())
    applied(r, decide_lock(r, BY, START))
    with pytest.raises(Refused) as no:
        decide_unlock(r, "sign_in", BY[:1], START + 1)
    assert no.value.code == "two_proctors"
    (u,) = applied(r, decide_unlock(r, "sign_in", BY, START + 2))
    assert u.how == "sign_in"


def test_the_third_wrong_code_in_a_row_is_raised_once_and_an_unlock_counts_afresh():
    r = RoomState(make_package(candidates=2, machines=2), national_policy())
    applied(r, decide_lock(r, BY, START))
    raised = []
    for i in range(ALERT_AFTER_WRONG + 1):
        raised += [e for e in applied(r, decide_unlock_failed(r, START + i)) if isinstance(e, AlertRaised)]
    assert [(e.alert_kind, e.detail) for e in raised] == [(AlertKind.UNLOCK_FAILED, str(ALERT_AFTER_WRONG))]
    applied(r, decide_unlock(r, "code", BY, START + 10))
    assert r.unlock_failures == 0
