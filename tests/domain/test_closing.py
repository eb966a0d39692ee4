"""结束考试's check list read from the room (R27)."""

import pytest

from proctor.domain.closing import decide_end_exam, read
from proctor.domain.events import CandidateReset, ClosingItem, ResetKind, ResetReason, SittingEnded
from proctor.domain.room import Refused, RoomState, decide_login
from tests.factories import START, make_package, national_policy

BY = ("林𠮷祥", "王芳")
AT = START - 20 * 60


def applied(r, events):
    for e in events:
        r.apply(e)
    return events


def test_the_answer_sets_count_blocks_the_end_when_someone_who_sat_has_no_answers_in():
    """R27's count: it holds by the rules (everyone who sat is submitted, gave up or written off
    once the sitting is over), so a room where it does not is stopped at 结束考试, not ended."""
    r = RoomState(make_package(candidates=2, machines=3), national_policy())
    c = r.package.candidates[0]
    applied(r, decide_login(r, "A01", c.ticket, c.id_number, AT))
    # A room left by a reset that never came back, the sitting closed under it (a log edited by hand).
    applied(
        r,
        [
            CandidateReset(
                at=AT + 1,
                sitting=1,
                ticket=c.ticket,
                reset_kind=ResetKind.RESUME,
                machine="A01",
                to="A02",
                reason=ResetReason.MACHINE_FAULT,
                by=BY,
            )
        ],
    )
    applied(r, [SittingEnded(at=AT + 2, sitting=1)])
    reading = read(r, r.sitting_no(1), ClosingItem.ANSWER_SETS_MATCH)
    assert not reading.met and reading.facts == "回收作答数据 0 份，实考 1 名"
    with pytest.raises(Refused) as no:
        decide_end_exam(r, BY, AT + 3)
    assert "回收作答数据 0 份，实考 1 名" in no.value.zh and no.value.rule == "R27"
