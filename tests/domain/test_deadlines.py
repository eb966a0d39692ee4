"""A sitting's deadlines per profile, at their boundaries, and in step with the rules that act on them."""

from __future__ import annotations

import pytest

from proctor.domain.admission import decide_machine_online
from proctor.domain.deadlines import Deadline, next_deadline, sitting_deadlines
from proctor.domain.events import AlertKind, Event, ScheduleShifted
from proctor.domain.policy import MEANINGS, Policy
from proctor.domain.room import Refused, RoomState, decide_login, decide_submit, due_events
from proctor.resources import load_policy
from tests.factories import START, make_package

MIN = 60.0
D = Deadline


def times(policy: Policy, minutes: int, last_end: float | None = None) -> list[tuple[Deadline, float, str]]:
    """(kind, minutes from the start, rule) of each deadline of a sitting `minutes` long."""
    return [
        (d.kind, (d.at - START) / MIN, d.rule)
        for d in sitting_deadlines(START, START + minutes * MIN, policy, last_end)
    ]


def test_national_accounting_a_150_minute_sitting():
    assert times(load_policy("national-accounting"), 150) == [
        (D.LOGIN_OPENS, -30, "R05"),
        (D.START, 0, ""),
        (D.SIGN_IN_CLOSES, 30, "R07"),  # R07: T+30
        (D.EARLIEST_SUBMIT, 120, "R08"),  # R08: two hours after the start
        (D.REMINDER, 135, "R12"),  # R12: end - 15 min
        (D.END, 150, "R11"),
    ]


@pytest.mark.parametrize("minutes, submit", [(120, None), (121, 120)])
def test_accounting_submission_open_only_at_the_end_is_no_deadline(minutes, submit):
    # R08 at its boundary: a 2-hour sitting has no early submission at all.
    got = [m for k, m, _ in times(load_policy("wenzhou-accounting"), minutes) if k is D.EARLIEST_SUBMIT]
    assert got == ([] if submit is None else [submit])


def test_economics_junior_submission_and_reminder_come_together_before_the_end():
    # R09/R13: 1.5 h, submission from 15 min before the end; R12: the reminder at the same moment.
    got = times(load_policy("economics-2021"), 90)
    assert got[3:] == [
        (D.EARLIEST_SUBMIT, 75, "R09/R13"),
        (D.REMINDER, 75, "R12"),
        (D.END, 90, "R11"),
    ]


def test_economics_senior_submission_from_an_hour_before_the_end():
    # R10/R14: 3 h, submission from 1 h before the end.
    got = dict((k, (m, r)) for k, m, r in times(load_policy("economics-senior-2021"), 180))
    assert got[D.EARLIEST_SUBMIT] == (120, "R10/R14")
    assert got[D.REMINDER] == (165, "R12")


@pytest.mark.parametrize("profile", ["beijing-accounting", "cpa-2014"])
def test_a_profile_silent_on_timings_takes_the_national_deadlines(profile):
    policy = load_policy(profile)
    assert {"sign_in_closes_after_start_min", "reminder_before_end_min"} <= set(policy.defaulted)
    assert times(policy, 150) == times(load_policy("national-accounting"), 150)


@pytest.mark.parametrize("minutes, reminder", [(15, None), (16, 1)])
def test_a_reminder_at_or_before_the_start_is_none(minutes, reminder):
    got = [m for k, m, _ in times(load_policy("national-accounting"), minutes) if k is D.REMINDER]
    assert got == ([] if reminder is None else [reminder])


def test_extra_time_adds_the_last_candidates_end():
    policy = load_policy("national-accounting")
    assert times(policy, 150, last_end=START + 150 * MIN)[-1][0] is D.END
    assert times(policy, 150, last_end=START + 160 * MIN)[-2:] == [(D.END, 150, "R11"), (D.LAST_END, 160, "R11")]


def test_the_next_deadline_is_past_at_its_moment():
    ds = sitting_deadlines(START, START + 150 * MIN, load_policy("national-accounting"))
    close = START + 30 * MIN
    assert next_deadline(ds, close - 0.001).kind is D.SIGN_IN_CLOSES
    assert next_deadline(ds, close).kind is D.EARLIEST_SUBMIT
    assert next_deadline(ds, START - 31 * MIN).kind is D.LOGIN_OPENS
    assert next_deadline(ds, START + 150 * MIN) is None


# -- in step with the rules: the moment a deadline names is the moment the rule acts -------------


def apply(r: RoomState, events: list[Event]) -> list[Event]:
    for e in events:
        r.apply(e)
    return events


@pytest.mark.parametrize(
    "profile, minutes",
    [
        ("national-accounting", 150),
        ("wenzhou-accounting", 150),
        ("economics-2021", 90),
        ("economics-senior-2021", 180),
        ("beijing-accounting", 150),
        ("cpa-2014", 150),
    ],
)
def test_each_deadline_is_when_its_rule_acts(profile, minutes):
    r = RoomState(make_package(candidates=2, sittings=(("科目", START, minutes),)), load_policy(profile))
    due = {d["kind"]: d["at"] for d in r.sitting_header(r.sittings[0])["deadlines"]}
    a, b = r.package.candidates
    apply(r, decide_machine_online(r, a.seat, due["login_opens"] - 60))
    with pytest.raises(Refused) as early:  # R05
        decide_login(r, a.seat, a.ticket, a.id_number, due["login_opens"] - 1)
    assert early.value.code == "login_not_open"
    apply(r, decide_login(r, a.seat, a.ticket, a.id_number, due["login_opens"]))
    assert [e.kind for e in apply(r, due_events(r, due["start"]))] == ["SittingStarted"]
    # R07: nothing changes before the close (the proctors hear of the one missing, once)
    assert [e.alert_kind for e in apply(r, due_events(r, due["sign_in_closes"] - 1))] == [AlertKind.SIGN_IN_CLOSING]
    assert due_events(r, due["sign_in_closes"] - 1) == []
    assert [e.kind for e in apply(r, due_events(r, due["sign_in_closes"]))] == ["SignInClosed"]
    assert r.sittings[0].candidates[b.ticket].state.value == "absent"
    with pytest.raises(Refused) as too_early:  # R08/R09/R10
        decide_submit(r, a.seat, a.ticket, due["earliest_submit"] - 1)
    assert too_early.value.code == "too_early"
    assert decide_submit(r, a.seat, a.ticket, due["earliest_submit"])
    assert due_events(r, due["reminder"] - 1) == []
    assert [e.alert_kind for e in apply(r, due_events(r, due["reminder"]))] == [AlertKind.END_REMINDER]  # R12
    assert due_events(r, due["end"] - 1) == []  # R11
    assert "CandidateSubmitted" in [e.kind for e in due_events(r, due["end"])]
    assert due["end"] - due["reminder"] == r.policy.reminder_before_end_min * MIN  # R12


def test_a_delayed_start_moves_every_deadline():
    r = RoomState(make_package(), load_policy("national-accounting"))
    before = r.sitting_header(r.sittings[0])["deadlines"]
    r.apply(ScheduleShifted(at=START - 60, by_s=20 * MIN, reason="late papers"))
    after = r.sitting_header(r.sittings[0])["deadlines"]
    assert [d["kind"] for d in after] == [d["kind"] for d in before]
    assert all(b["at"] + 20 * MIN == a["at"] for a, b in zip(after, before, strict=True))


# -- the profile as the console lists it ---------------------------------------------------------


def test_the_profile_lists_every_number_with_its_rows_and_whether_defaulted():
    policy = load_policy("beijing-accounting")
    rows = {p["name"]: p for p in policy.parameters()}
    assert set(rows) == set(MEANINGS)  # every number of the profile, and only those
    assert rows["sign_in_closes_after_start_min"] == {
        "name": "sign_in_closes_after_start_min",
        "value": 30,
        "rules": ["R07"],
        "source": "",
        "defaulted": True,
        "taken": True,
    }
    economics = {p["name"]: p for p in load_policy("economics-2021").parameters()}
    assert economics["earliest_submit_before_end_min"]["rules"] == ["R09", "R13"]
    assert economics["earliest_submit_before_end_min"]["source"].startswith("004 三(一)2")
    assert not economics["earliest_submit_before_end_min"]["defaulted"]
    assert load_policy("cpa-2014").source.startswith("003")


def test_every_policy_number_has_a_meaning():
    from dataclasses import fields

    about = {"id", "name", "defaulted", "not_taken", "cites", "source", "sources"}
    numbers = {f.name for f in fields(Policy)} - about - {"report_form"}  # a title, not a number
    assert numbers == set(MEANINGS)
    assert all(m.en and m.zh for m in MEANINGS.values())
