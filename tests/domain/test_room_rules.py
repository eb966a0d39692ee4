"""The room's rules at their boundaries, without I/O: login, sign-in close, saves, submission."""

import pytest

from proctor.domain.admission import decide_machine_online
from proctor.domain.events import AlertKind, Event, ServiceStarted
from proctor.domain.room import (
    MAX_MISSING_SAVES,
    Flag,
    Phase,
    Refused,
    RoomState,
    State,
    decide_login,
    decide_machine_offline,
    decide_reported_ack,
    decide_save,
    decide_submit,
    due_events,
    next_due,
)
from tests.factories import START, economics_policy, make_package, national_policy

MIN = 60.0


def room(policy=None, **kw) -> RoomState:
    return RoomState(make_package(**kw), policy or national_policy())


def apply(r: RoomState, events: list[Event]) -> list[Event]:
    for e in events:
        r.apply(e)
    return events


def online(r: RoomState, machine: str, now: float = START - 20 * MIN) -> None:
    apply(r, decide_machine_online(r, machine, now))


def login(r: RoomState, i: int, machine: str | None = None, now: float = START - 20 * MIN) -> list[Event]:
    c = r.package.candidates[i]
    m = machine or c.seat
    online(r, m, now)
    return apply(r, decide_login(r, m, c.ticket, c.id_number, now))


def answering(r: RoomState) -> str:
    """The first candidate logged in on their seat and answering: their ticket."""
    login(r, 0)
    run_until(r, START)
    return r.package.candidates[0].ticket


def run_until(r: RoomState, now: float) -> list[Event]:
    out = []
    while due := due_events(r, now):
        out += apply(r, due)
    return out


def test_login_with_ticket_and_id_number_binds_the_machine():  # R06
    r = room()
    login(r, 0)
    c = r.sitting.candidates[r.package.candidates[0].ticket]
    assert (c.state, c.machine) == (State.LOGGED_IN, "A01")


def test_login_with_a_wrong_id_number_is_refused():  # R06
    r = room()
    c = r.package.candidates[0]
    online(r, "A01")
    with pytest.raises(Refused) as e:
        decide_login(r, "A01", c.ticket, "110101199001011234", START)
    assert e.value.code == "bad_credentials"


def test_id_number_x_is_case_insensitive():
    r = room(candidates=40)
    c = next(c for c in r.package.candidates if c.id_number.endswith("X"))
    online(r, c.seat)
    assert decide_login(r, c.seat, c.ticket, c.id_number.lower(), START - MIN)


def test_login_opens_thirty_minutes_before_the_start():  # R05
    r = room()
    c = r.package.candidates[0]
    online(r, "A01")
    with pytest.raises(Refused) as e:
        decide_login(r, "A01", c.ticket, c.id_number, START - 30 * MIN - 1)
    assert e.value.code == "login_not_open"
    assert decide_login(r, "A01", c.ticket, c.id_number, START - 30 * MIN)


def test_sign_in_closes_thirty_minutes_after_start_and_makes_the_rest_absent():  # R07
    r = room(candidates=3)
    login(r, 0)
    run_until(r, START + 30 * MIN - 1)
    late = r.package.candidates[1]
    online(r, late.seat, START + 30 * MIN - 1)
    apply(r, decide_login(r, late.seat, late.ticket, late.id_number, START + 30 * MIN - 1))
    events = run_until(r, START + 30 * MIN)
    assert [e.kind for e in events] == ["SignInClosed"]
    states = {t: c.state for t, c in r.sitting.candidates.items()}
    assert list(states.values()) == [State.ANSWERING, State.ANSWERING, State.ABSENT]
    never = r.package.candidates[2]
    online(r, never.seat, START + 30 * MIN)
    with pytest.raises(Refused) as e:
        decide_login(r, never.seat, never.ticket, never.id_number, START + 30 * MIN)
    assert e.value.code == "sign_in_closed"


def test_a_login_at_the_closing_second_is_refused_even_before_the_close_is_recorded():  # R07
    r = room(candidates=2)
    run_until(r, START)
    c = r.package.candidates[1]
    online(r, c.seat, START)
    with pytest.raises(Refused):
        decide_login(r, c.seat, c.ticket, c.id_number, START + 30 * MIN)


def test_the_start_turns_logged_in_candidates_to_answering():
    r = room(candidates=2)
    login(r, 0)
    assert [e.kind for e in run_until(r, START)] == ["SittingStarted"]
    assert r.sitting.phase is Phase.STARTED
    assert r.sitting.candidates[r.package.candidates[0].ticket].state is State.ANSWERING


def test_a_second_machine_cannot_take_a_logged_in_candidate_while_the_first_is_online():
    r = room()
    login(r, 0)
    c = r.package.candidates[0]
    online(r, "A05")
    with pytest.raises(Refused) as refused:
        decide_login(r, "A05", c.ticket, c.id_number, START - MIN)
    # Refused, and the attempt is recorded and raised as an alert all the same.
    assert refused.value.code == "duplicate_login"
    events = apply(r, refused.value.record)
    assert [e.kind for e in events] == ["DuplicateLoginAttempt", "AlertRaised"]
    assert events[1].alert_kind is AlertKind.DUPLICATE_LOGIN and events[1].machine == "A05"
    cand = r.sitting.candidates[c.ticket]
    assert cand.machine == "A01" and {Flag.DUPLICATE_LOGIN, Flag.ALERT} <= cand.flags
    # Tried again: recorded again, but the alert already waits for a proctor.
    with pytest.raises(Refused) as again:
        decide_login(r, "A05", c.ticket, c.id_number, START - MIN)
    assert [e.kind for e in again.value.record] == ["DuplicateLoginAttempt"]


def test_after_the_first_machine_goes_offline_a_reset_is_needed():  # R24
    r = room()
    login(r, 0)
    apply(r, decide_machine_offline(r, "A01", START, "heartbeat"))
    c = r.package.candidates[0]
    assert Flag.OFFLINE in r.sitting.candidates[c.ticket].flags
    online(r, "A05")
    with pytest.raises(Refused) as e:
        decide_login(r, "A05", c.ticket, c.id_number, START)
    assert e.value.code == "needs_reset"


def test_a_machine_already_in_use_refuses_another_candidate():
    r = room()
    login(r, 0)
    other = r.package.candidates[1]
    with pytest.raises(Refused) as e:
        decide_login(r, "A01", other.ticket, other.id_number, START - MIN)
    assert e.value.code == "machine_occupied"


def test_logging_in_at_another_candidates_seat_is_flagged_wrong_seat():
    r = room()
    login(r, 0, machine="A11")
    assert Flag.WRONG_SEAT in r.sitting.candidates[r.package.candidates[0].ticket].flags


def test_an_unknown_machine_is_refused():  # DOMAIN §9
    with pytest.raises(Refused) as e:
        decide_machine_online(room(), "Z99", START)
    assert e.value.code == "unknown_machine"


def test_saves_need_the_start_and_a_rising_sequence():
    r = room()
    login(r, 0)
    t = r.package.candidates[0].ticket
    with pytest.raises(Refused) as e:
        decide_save(r, "A01", t, 1, "d1", 1, START - MIN)
    assert e.value.code == "not_started"
    run_until(r, START)
    assert apply(r, decide_save(r, "A01", t, 1, "d1", 1, START + MIN))
    assert decide_save(r, "A01", t, 1, "d1", 1, START + MIN, held="d1") == []  # a resend
    with pytest.raises(Refused):
        decide_save(r, "A02", t, 2, "d2", 1, START + MIN)  # not its machine
    assert apply(r, decide_save(r, "A01", t, 2, "d2", 1, START + MIN))  # the next one
    with pytest.raises(Refused) as e:
        decide_save(r, "A01", t, 4, "d4", 1, START + MIN)  # skips 3
    assert e.value.code == "seq_gap" and e.value.data["expected"] == 3


def test_a_resend_with_other_answers_is_refused_and_raised_and_the_acknowledged_save_stands():
    r = room()
    t = answering(r)
    apply(r, decide_save(r, "A01", t, 1, "d1", 1, START + MIN))
    with pytest.raises(Refused) as e:
        decide_save(r, "A01", t, 1, "forged", 1, START + MIN, held="d1")
    assert e.value.code == "resend_differs"
    apply(r, e.value.record)
    [alert] = r.open_alerts()
    assert (alert.kind, alert.ticket, alert.detail) == (AlertKind.SAVE_CONFLICT, t, "1")
    with pytest.raises(Refused) as again:  # a flood of them is refused, and recorded once
        decide_save(r, "A01", t, 1, "forged", 1, START + MIN, held="d1")
    assert again.value.record == []
    # A save the log lacks (held None) is recorded again, and the top does not move back.
    apply(r, decide_save(r, "A01", t, 2, "d2", 1, START + MIN))
    assert [e.seq for e in decide_save(r, "A01", t, 1, "d1", 1, START + MIN, held=None)] == [1]


def test_saves_a_machine_had_acknowledged_and_the_log_lacks_are_raised_and_continued_from():
    r = room()
    t = answering(r)
    apply(r, decide_save(r, "A01", t, 1, "d1", 1, START + MIN))
    assert decide_reported_ack(r, "A01", t, 1, START + MIN) == []
    missing = apply(r, decide_reported_ack(r, "A01", t, 4, START + MIN))
    assert [e.kind for e in missing] == ["SavesMissing", "AlertRaised"]
    assert (missing[0].held, missing[0].acked, missing[1].detail) == (1, 4, "1/4")
    assert apply(r, decide_save(r, "A01", t, 5, "d5", 1, START + MIN))  # no gap refused


def test_accounting_submission_opens_two_hours_after_the_start():  # R08
    r = room(sittings=(("初级会计实务", START, 150),))
    login(r, 0)
    run_until(r, START)
    t = r.package.candidates[0].ticket
    with pytest.raises(Refused) as e:
        decide_submit(r, "A01", t, START + 120 * MIN - 1)
    assert e.value.code == "too_early" and e.value.data["opens"] == START + 120 * MIN
    assert decide_submit(r, "A01", t, START + 120 * MIN)


def test_economics_submission_opens_fifteen_minutes_before_the_end():  # R09
    r = room(economics_policy(), sittings=(("经济基础知识", START, 90),))
    login(r, 0)
    run_until(r, START)
    t = r.package.candidates[0].ticket
    with pytest.raises(Refused):
        decide_submit(r, "A01", t, START + 75 * MIN - 1)
    assert decide_submit(r, "A01", t, START + 75 * MIN)


def test_senior_economics_submission_opens_one_hour_before_the_end():  # R10, R14
    from proctor.domain.policy import Policy

    senior = Policy(id="s", name="s", earliest_submit_after_start_min=None, earliest_submit_before_end_min=60)
    r = room(senior, sittings=(("高级经济实务", START, 180),))
    login(r, 0)
    run_until(r, START)
    t = r.package.candidates[0].ticket
    with pytest.raises(Refused):
        decide_submit(r, "A01", t, START + 120 * MIN - 1)
    assert decide_submit(r, "A01", t, START + 120 * MIN)


def test_everyone_not_submitted_is_submitted_at_the_end_and_the_sitting_ends():  # R11
    r = room(candidates=3)
    login(r, 0)
    login(r, 1)
    run_until(r, START + 120 * MIN - 1)
    assert all(c.state is not State.SUBMITTED for c in r.sitting.candidates.values())
    events = run_until(r, START + 120 * MIN)
    assert [e.kind for e in events] == ["CandidateSubmitted", "CandidateSubmitted", "SittingEnded"]
    assert all(e.by == "auto" for e in events[:2])
    assert r.sitting is None
    # A save that crossed the end on the wire is told the candidate's time is over (R11)...
    with pytest.raises(Refused) as e:
        decide_save(r, "A01", r.package.candidates[0].ticket, 9, "d", 1, START + 120 * MIN)
    assert (e.value.code, e.value.rule) == ("time_over", "R11")
    # ...anyone else, that the exam is over.
    with pytest.raises(Refused) as e:
        decide_save(r, "A03", r.package.candidates[2].ticket, 1, "d", 1, START + 120 * MIN)
    assert e.value.code == "exam_over"


def test_a_save_after_the_candidates_end_is_refused():
    r = room()
    login(r, 0)
    run_until(r, START)
    with pytest.raises(Refused) as e:
        decide_save(r, "A01", r.package.candidates[0].ticket, 1, "d", 1, START + 120 * MIN)
    assert e.value.code == "time_over"


def test_two_sittings_run_one_after_the_other_with_fresh_logins():  # R13
    second = START + 130 * MIN  # 90 min + 40 min gap
    r = room(economics_policy(), sittings=(("经济基础知识", START, 90), ("专业知识和实务", second, 90)))
    login(r, 0)
    run_until(r, START + 90 * MIN)
    assert r.sitting.number == 2 and r.sitting.phase is Phase.SCHEDULED
    assert r.sittings[0].candidates[r.package.candidates[0].ticket].state is State.SUBMITTED
    login(r, 0, now=second - 10 * MIN)
    run_until(r, second)
    assert r.sitting.candidates[r.package.candidates[0].ticket].state is State.ANSWERING


def test_next_due_walks_the_schedule():
    r = room(candidates=1)
    assert next_due(r) == START
    login(r, 0)
    run_until(r, START)
    assert next_due(r) == START + 30 * MIN
    run_until(r, START + 30 * MIN)
    assert next_due(r, START + 30 * MIN) == START + 105 * MIN  # R12: the reminder, 15 min before the end
    run_until(r, START + 105 * MIN)
    assert next_due(r, START + 105 * MIN) == START + 120 * MIN


def test_a_restart_marks_every_machine_offline_until_it_says_hello():
    r = room()
    login(r, 0)
    r.apply(ServiceStarted(at=START, package="", wall=START))
    assert not r.machines["A01"].online
    assert Flag.OFFLINE in r.sitting.candidates[r.package.candidates[0].ticket].flags
    online(r, "A01", START)
    assert Flag.OFFLINE not in r.sitting.candidates[r.package.candidates[0].ticket].flags


def test_a_login_after_a_reset_names_the_machine_left_behind():  # R24
    r = room()
    login(r, 0)
    t = r.package.candidates[0].ticket
    r.sitting.candidates[t].state = State.RESET  # as the reset operation will leave it
    online(r, "A11")
    [e] = decide_login(r, "A11", t, r.package.candidates[0].id_number, START)
    assert (e.machine, e.previous) == ("A11", "A01")
    assert e.machines == ("A11", "A01")  # consoles redraw the machine left behind
    r.apply(e)
    assert r.machine_row("A01")["ticket"] is None and r.machine_row("A11")["ticket"] == t


def test_after_the_end_each_machine_still_names_who_submitted_there():
    r = room(candidates=2)
    login(r, 0)
    run_until(r, START + 120 * MIN)
    assert r.sitting is None
    assert r.machine_row("A01")["ticket"] == r.package.candidates[0].ticket
    assert r.machine_row("A02")["ticket"] is None  # nobody came


def test_more_saves_missing_than_an_exam_makes_is_not_believed():
    r = room()
    t = answering(r)
    assert decide_reported_ack(r, "A01", t, MAX_MISSING_SAVES, START + MIN)
    with pytest.raises(Refused) as e:
        decide_reported_ack(r, "A01", t, MAX_MISSING_SAVES + 1, START + MIN)
    assert e.value.code == "acked_implausible"
