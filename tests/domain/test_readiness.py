"""The room check list before the start: each item read from the room at its boundary (R01 5%
spares rounded up, R02 proctors for the size, R03 an hour before, R04 every machine on, R55 the
package's code), ticked with what it showed, and short of its rule only with a note."""

import dataclasses

import pytest

from proctor.domain.admission import decide_machine_online
from proctor.domain.events import ReadinessItem, ReadinessTicked
from proctor.domain.package import Machine
from proctor.domain.readiness import decide_tick, read, readings, spares_needed
from proctor.domain.room import Refused, RoomState, decide_sign_in_proctors, due_events
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")


def applied(r, events):
    for e in events:
        r.apply(e)
    return events


def room(candidates=20, spares=1):
    pkg = make_package(candidates=candidates, machines=candidates)
    extra = tuple(Machine(id=f"S{i:02d}", row=99, col=i, spare=True) for i in range(1, spares + 1))
    pkg = dataclasses.replace(pkg, machines=(*pkg.machines, *extra))
    return RoomState(pkg, national_policy())


@pytest.mark.parametrize("candidates, need", [(20, 1), (21, 2), (40, 2), (41, 3)])
def test_spares_are_five_percent_of_the_candidates_rounded_up(candidates, need):  # R01
    r = room(candidates, spares=2)
    assert spares_needed(r) == need
    assert read(r, ReadinessItem.SPARES, START - 90 * MIN).met is (2 >= need)


def test_every_machine_must_be_on_and_short_of_it_needs_a_note():  # R04
    r = room(3, spares=1)
    at = START - 90 * MIN
    for m in list(r.machines)[:-1]:
        applied(r, decide_machine_online(r, m, at))
    reading = read(r, ReadinessItem.MACHINES_AT_LOGIN, at)
    assert not reading.met and reading.facts == "考试机在线 3/4 台"
    with pytest.raises(Refused) as no:
        decide_tick(r, ReadinessItem.MACHINES_AT_LOGIN, "", BY, at)
    assert no.value.rule == "R04" and "备注" in no.value.zh
    (e,) = applied(r, decide_tick(r, ReadinessItem.MACHINES_AT_LOGIN, "S01 待修，已报技术人员", BY, at))
    assert isinstance(e, ReadinessTicked) and not e.met and e.note == "S01 待修，已报技术人员"
    applied(r, decide_machine_online(r, list(r.machines)[-1], at + MIN))
    assert read(r, ReadinessItem.MACHINES_AT_LOGIN, at + MIN).met


def test_papers_an_hour_before_the_start_and_not_a_minute_later():  # R03
    r = room()
    assert read(r, ReadinessItem.PAPERS_IMPORTED, START - 60 * MIN).met
    assert not read(r, ReadinessItem.PAPERS_IMPORTED, START - 59 * MIN).met


def test_proctors_for_the_rooms_size():  # R02: 2 up to 25 candidates, one more per further 25
    r = room(26)
    applied(r, decide_sign_in_proctors(r, BY, START - 90 * MIN))
    reading = read(r, ReadinessItem.PROCTORS, START - 90 * MIN)
    assert not reading.met and "应不少于 3 名" in reading.facts


def test_the_package_is_checked_against_the_code_read_from_the_arrangement():  # R55
    r = room()
    with pytest.raises(Refused) as no:
        decide_tick(r, ReadinessItem.PACKAGE_CHECKED, "", BY, START - 90 * MIN, code="0000-0000")
    assert no.value.rule == "R55" and "其他考场" in no.value.zh
    code = r.package.short_code.lower()
    (e,) = applied(r, decide_tick(r, ReadinessItem.PACKAGE_CHECKED, "", BY, START - 90 * MIN, code=code))
    assert e.met and r.package.short_code in e.facts
    ticked = {row["item"]: row["ticked"] for row in readings(r, START - 80 * MIN)}
    assert ticked["package_checked"]["by"] == list(BY) and ticked["spares"] is None


def test_the_check_list_is_for_before_the_start():
    r = room()
    applied(r, due_events(r, START))
    with pytest.raises(Refused) as no:
        decide_tick(r, ReadinessItem.SPARES, "x", BY, START + MIN)
    assert no.value.code == "already_started"
