"""Giving up (放弃考试, R53) and the proctors' corrections to a submission: undoing one made by
mistake before the candidate's end, submitting for a candidate whose machine cannot (not before
the earliest submission time, R08), each with the chief examiner's consent."""

import pytest

from proctor.domain.events import CandidateGaveUp, SubmissionUndone, SubmittedByProctors
from proctor.domain.room import (
    Refused,
    RoomState,
    State,
    decide_login,
    decide_save,
    decide_submit,
    due_events,
)
from proctor.domain.submissions import decide_force_submit, decide_give_up, decide_undo_submit, few_answers
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")


def applied(r, events):
    for e in events:
        r.apply(e)
    return events


def room():
    pkg = make_package(candidates=3, machines=4, sittings=(("初级会计实务", START, 150),))
    r = RoomState(pkg, national_policy())
    for c in pkg.candidates:
        applied(r, decide_login(r, c.seat, c.ticket, c.id_number, START - 10 * MIN))
    applied(r, due_events(r, START + MIN))
    return r


def who(r, i=0):
    c = r.package.candidates[i]
    return c, r.sitting.candidates[c.ticket]


def test_a_candidate_who_gives_up_keeps_their_saves_and_their_machine_can_no_longer_write():
    r = room()
    p, c = who(r)
    applied(r, decide_save(r, p.seat, p.ticket, 1, "d" * 64, 3, START + 5 * MIN))
    (e,) = applied(r, decide_give_up(r, p.ticket, "身体不适", BY, START + 10 * MIN))
    assert isinstance(e, CandidateGaveUp) and c.state is State.GAVE_UP and c.last_seq == 1
    with pytest.raises(Refused) as no:
        decide_save(r, p.seat, p.ticket, 2, "e" * 64, 4, START + 11 * MIN)
    assert no.value.code == "not_logged_in"
    with pytest.raises(Refused) as no:
        decide_give_up(r, p.ticket, "again", BY, START + 12 * MIN)
    assert no.value.code == "not_applicable"
    with pytest.raises(Refused) as no:
        decide_give_up(r, who(r, 1)[0].ticket, " ", BY, START + 12 * MIN)
    assert no.value.code == "reason_unnamed"


def test_an_accidental_submission_is_undone_with_the_chief_examiners_name_before_the_end():
    r = room()
    p, c = who(r)
    at = START + 121 * MIN  # R08: submission opens at 120
    applied(r, decide_submit(r, p.seat, p.ticket, at))
    with pytest.raises(Refused) as no:
        decide_undo_submit(r, p.ticket, "误点交卷", " ", BY, at + MIN)
    assert no.value.code == "chief_consent" and "主考" in no.value.zh
    (e,) = applied(r, decide_undo_submit(r, p.ticket, "误点交卷", "赵主考", BY, at + MIN))
    assert isinstance(e, SubmissionUndone) and c.state is State.ANSWERING and c.submitted_at is None
    applied(r, decide_save(r, p.seat, p.ticket, 1, "d" * 64, 3, at + 2 * MIN))  # the machine writes again
    applied(r, decide_submit(r, p.seat, p.ticket, at + 3 * MIN))
    end = r.sitting.end_of(c)
    with pytest.raises(Refused) as no:
        decide_undo_submit(r, p.ticket, "误点交卷", "赵主考", BY, end)
    assert no.value.code == "time_over" and no.value.rule == "R11"


def test_the_systems_submission_at_the_end_cannot_be_undone():
    r = room()
    p, c = who(r)
    applied(r, decide_give_up(r, who(r, 1)[0].ticket, "离场", BY, START + 5 * MIN))
    # Another candidate's extra time keeps the sitting open after this one's end.
    from proctor.domain.events import ExtraTimeGranted, ExtraTimeReason

    applied(
        r,
        [
            ExtraTimeGranted(
                at=START, sitting=1, candidates=(who(r, 2)[0].ticket,), minutes=5, reason=ExtraTimeReason.POWER, by=BY
            )
        ],
    )
    end = r.sitting.end_of(c)
    applied(r, due_events(r, end))
    assert c.state is State.SUBMITTED and c.submitted_by == "auto"
    with pytest.raises(Refused) as no:
        decide_undo_submit(r, p.ticket, "误", "赵主考", BY, end - 1)
    assert no.value.code == "not_by_candidate"


def test_the_proctors_submit_for_a_candidate_only_from_the_earliest_submission_time():  # R08 at its boundary
    r = room()
    p, c = who(r)
    opens = START + 120 * MIN
    with pytest.raises(Refused) as no:
        decide_force_submit(r, p.ticket, "考试机无法交卷", "赵主考", BY, opens - 1)
    assert no.value.rule == "R08" and "放弃考试" in no.value.zh
    (e,) = applied(r, decide_force_submit(r, p.ticket, "考试机无法交卷", "赵主考", BY, opens))
    assert isinstance(e, SubmittedByProctors) and c.state is State.SUBMITTED and c.submitted_by == "proctors"


def test_few_answers_lists_submissions_with_nothing_or_next_to_nothing():
    assert few_answers("submitted", None) and few_answers("submitted", 0) and few_answers("submitted", 3)
    assert not few_answers("submitted", 4) and not few_answers("answering", 0)
