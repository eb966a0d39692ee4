"""Transfers between rooms (考场超排, 004 附件4 三(二)): an overflowing overbooked room transfers an
arrival out (R35); the first claim of another room receives them, a second is refused naming that
room; they log in only where received, with their ID number checked against a digest; a transfer
no room received is settled before the end (R36), and the slip lists every move (R37)."""

import dataclasses

import pytest

from proctor.domain.closing import read
from proctor.domain.events import ClosingItem
from proctor.domain.package import Machine
from proctor.domain.room import Refused, RoomState, State, decide_login
from proctor.domain.transfers import (
    decide_claim,
    decide_resolve,
    decide_transfer_in,
    decide_transfer_out,
    slip,
    unresolved,
)
from tests.factories import START, make_package, national_policy

BY = ("林𠮷祥", "王芳")
AT = START - 20 * 60


def applied(r, events):
    for e in events:
        r.apply(e)
    return events


def overbooked(room="第01考场", candidates=3):
    pkg = make_package(candidates=candidates, machines=2)
    people = tuple(dataclasses.replace(c, seat=None) for c in pkg.candidates)
    spare = Machine(id="S01", row=9, col=1, spare=True)
    pkg = dataclasses.replace(pkg, candidates=people, machines=(*pkg.machines, spare), overbooked=True, room=room)
    return RoomState(pkg, national_policy())


def receiving(room="第02考场"):
    r = overbooked(room, candidates=1)
    return r


def test_out_then_the_first_claim_receives_and_a_second_is_refused_naming_the_room():
    a = overbooked()
    t = a.package.candidates[2]
    applied(a, decide_transfer_out(a, t.ticket, "本考场已满", BY, AT))
    assert a.sitting.candidates[t.ticket].state is State.TRANSFERRED_OUT
    events, claimed = decide_claim(a, t.ticket, "第02考场", AT + 60)
    applied(a, events)
    assert (claimed.ticket, claimed.name, claimed.id_number) == (t.ticket, t.name, t.id_number)
    with pytest.raises(Refused) as no:
        decide_claim(a, t.ticket, "第03考场", AT + 61)
    assert no.value.code == "already_received" and "第02考场" in no.value.zh and no.value.rule == "R35"
    with pytest.raises(Refused) as no:
        decide_login(a, "A01", t.ticket, t.id_number, AT + 62)
    assert no.value.code == "transferred_out" and "第02考场" in no.value.zh


def test_the_receiving_room_admits_them_checks_their_id_and_keeps_it_only_masked():
    a, b = overbooked(), receiving()
    t = a.package.candidates[2]
    applied(a, decide_transfer_out(a, t.ticket, "本考场已满", BY, AT))
    events, claimed = decide_claim(a, t.ticket, b.package.room, AT + 60)
    (e,) = applied(b, decide_transfer_in(b, claimed, a.package.room, BY, AT + 60))
    assert t.id_number not in repr(e) and e.id_masked.endswith(t.id_number[-4:])
    row = b.candidate_row(b.sitting, b.sitting.candidates[t.ticket])
    assert (row["name"], row["transferred_from"], row["state"]) == (t.name, "第01考场", "expected")
    with pytest.raises(Refused) as no:
        decide_login(b, "A01", t.ticket, "110101199003070000", AT + 70)
    assert no.value.code == "bad_credentials"
    applied(b, decide_login(b, "A01", t.ticket, t.id_number.lower(), AT + 71))
    assert b.sitting.candidates[t.ticket].machine == "A01"
    with pytest.raises(Refused) as no:
        decide_transfer_in(b, claimed, a.package.room, BY, AT + 80)
    assert no.value.code == "already_here"


def test_only_an_overbooked_room_transfers_out_and_only_an_arrival():
    plain = RoomState(make_package(candidates=2, machines=2), national_policy())
    with pytest.raises(Refused) as no:
        decide_transfer_out(plain, plain.package.candidates[0].ticket, "满", BY, AT)
    assert no.value.rule == "R35" and no.value.code == "not_overbooked"
    a = overbooked()
    c = a.package.candidates[0]
    applied(a, decide_login(a, "A01", c.ticket, c.id_number, AT))
    with pytest.raises(Refused) as no:
        decide_transfer_out(a, c.ticket, "满", BY, AT + 1)
    assert no.value.code == "not_applicable"
    with pytest.raises(Refused) as no:
        decide_claim(a, a.package.candidates[1].ticket, "第02考场", AT + 2)
    assert no.value.code == "not_transferred_out"


def test_an_unreceived_transfer_blocks_the_end_until_settled_and_the_slip_lists_it():  # R36, R37
    a = overbooked()
    t = a.package.candidates[2]
    applied(a, decide_transfer_out(a, t.ticket, "本考场已满", BY, AT))
    assert unresolved(a, 1) == [t.ticket]
    reading = read(a, a.sitting, ClosingItem.TRANSFERS_RESOLVED)
    assert not reading.met and "R36" in reading.facts
    with pytest.raises(Refused) as no:
        decide_resolve(a, t.ticket, False, " ", BY, AT + 10)
    assert no.value.rule == "R36"
    applied(a, decide_resolve(a, t.ticket, False, "考生未到其他考场", BY, AT + 10))
    assert read(a, a.sitting, ClosingItem.TRANSFERS_RESOLVED).met and not unresolved(a, 1)
    with pytest.raises(Refused) as no:
        decide_claim(a, t.ticket, "第02考场", AT + 11)
    assert no.value.code == "transfer_settled"
    (row,) = slip(a)
    assert (row["direction"], row["ticket"], row["resolved"]) == ("out", t.ticket, True)
