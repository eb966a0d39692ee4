"""考场超排 (R34, 004 附件4 三(一)): an arrival is seated at random among the free machines, never a
spare, an occupied one or one just given to someone else; the system binds nothing (a login at
another machine is no wrong seat); a full room overflows (R35)."""

import dataclasses

import pytest

from proctor.domain.events import SeatAssigned
from proctor.domain.overbooking import HOLD_S, decide_assign_seat, free_seats
from proctor.domain.package import Machine
from proctor.domain.room import Flag, Refused, RoomState, decide_login
from tests.factories import START, make_package, national_policy

BY = ("林𠮷祥", "王芳")
AT = START - 20 * 60


def applied(r, events):
    for e in events:
        r.apply(e)
    return events


def overbooked(candidates=4, machines=3):
    pkg = make_package(candidates=candidates, machines=machines)
    people = tuple(dataclasses.replace(c, seat=None) for c in pkg.candidates)
    spare = Machine(id="S01", row=9, col=1, spare=True)
    return RoomState(
        dataclasses.replace(pkg, candidates=people, machines=(*pkg.machines, spare), overbooked=True),
        national_policy(),
    )


def first(free):
    return free[0]


def test_each_arrival_gets_a_free_machine_never_a_spare_and_not_one_just_given():
    r = overbooked()
    a, b = (c.ticket for c in r.package.candidates[:2])
    assert "S01" not in free_seats(r, AT)
    (e,) = applied(r, decide_assign_seat(r, a, BY, AT, first))
    assert isinstance(e, SeatAssigned) and e.machine == "A01"
    (e2,) = applied(r, decide_assign_seat(r, b, BY, AT + 1, first))
    assert e2.machine != "A01"  # held for the first arrival
    assert "A01" in free_seats(r, AT + HOLD_S)  # unless they never logged in within the hold


def test_the_system_binds_nothing_a_login_elsewhere_is_no_wrong_seat():
    r = overbooked()
    c = r.package.candidates[0]
    applied(r, decide_assign_seat(r, c.ticket, BY, AT, first))
    applied(r, decide_login(r, "A02", c.ticket, c.id_number, AT + 60))
    cand = r.sitting.candidates[c.ticket]
    assert cand.machine == "A02" and Flag.WRONG_SEAT not in cand.flags
    assert "A02" not in free_seats(r, AT + 61)


def test_a_full_room_overflows_and_a_room_with_seats_is_not_overbooked():
    r = overbooked(candidates=4, machines=3)
    tickets = [c.ticket for c in r.package.candidates]
    for t in tickets[:3]:
        applied(r, decide_assign_seat(r, t, BY, AT, first))
    with pytest.raises(Refused) as no:
        decide_assign_seat(r, tickets[3], BY, AT, first)
    assert no.value.rule == "R35" and "调出" in no.value.zh
    with pytest.raises(Refused) as no:
        decide_assign_seat(r, tickets[0], BY, AT, first)
    assert no.value.code in ("room_full", "already_seated")
    plain = RoomState(make_package(candidates=2, machines=2), national_policy())
    with pytest.raises(Refused) as no:
        decide_assign_seat(plain, plain.package.candidates[0].ticket, BY, AT, first)
    assert no.value.rule == "R34" and no.value.code == "has_seats"


def test_the_pick_is_among_the_free_ones_only():
    r = overbooked(candidates=2, machines=3)
    seen = []

    def remember(free):
        seen.append(list(free))
        return free[-1]

    free = free_seats(r, AT)
    (e,) = applied(r, decide_assign_seat(r, r.package.candidates[0].ticket, BY, AT, remember))
    assert seen == [free] and e.machine == free[-1] and all(not m.startswith("S") for m in free)
