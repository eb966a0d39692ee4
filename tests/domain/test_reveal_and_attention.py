"""Revealing an ID number is a recorded decision that keeps the number out of the record; which
flags call a proctor over ("needs attention") is decided once, beside the flags."""

import msgspec
import pytest

from proctor.domain.admission import decide_machine_online
from proctor.domain.events import Event, IdNumberRevealed, encode_event
from proctor.domain.room import (
    ATTENTION_FLAGS,
    Flag,
    Refused,
    RoomState,
    decide_login,
    decide_reveal_id_number,
    decide_save,
    due_events,
    needs_attention,
)
from tests.factories import START, make_package, national_policy

PROCTORS = ("林𠮷祥", "王芳")


def apply(r: RoomState, events: list[Event]) -> list[Event]:
    for e in events:
        r.apply(e)
    return events


def test_revealing_records_who_asked_and_not_the_number():
    r = RoomState(make_package(), national_policy())
    c = r.package.candidates[3]
    [e] = apply(r, decide_reveal_id_number(r, c.ticket, PROCTORS, START - 60))
    assert isinstance(e, IdNumberRevealed)
    assert (e.ticket, e.by, e.sitting, e.at) == (c.ticket, PROCTORS, 1, START - 60)
    assert e.tickets == (c.ticket,) and not e.room_wide
    data = encode_event(e)
    assert c.id_number.encode() not in data and c.id_number[-4:].encode() not in data
    assert msgspec.json.decode(data)["kind"] == "IdNumberRevealed"
    # Evidence only: the candidate's row still shows the number masked.
    row = r.candidate_row(r.shown_sitting, r.shown_sitting.candidates[c.ticket])
    assert row["id_masked"] != c.id_number and row["id_masked"].endswith(c.id_number[-4:])


@pytest.mark.parametrize("ticket", ["999999999999", "", "x" * 32])
def test_an_unknown_ticket_is_refused_in_words(ticket):
    r = RoomState(make_package(), national_policy())
    with pytest.raises(Refused) as refused:
        decide_reveal_id_number(r, ticket, PROCTORS, START)
    assert refused.value.code == "unknown_candidate"
    assert "准考证号" in refused.value.zh and "核对" in refused.value.zh
    assert not refused.value.record


def test_needs_attention_is_an_alert_or_a_flag_that_calls_a_proctor_over():
    assert {Flag.ALERT, Flag.OFFLINE, Flag.AWAY, Flag.VIOLATION, Flag.WRONG_SEAT, Flag.DUPLICATE_LOGIN} == set(
        ATTENTION_FLAGS
    )
    assert needs_attention(["alert"]) and needs_attention(["id_checked", "offline"])
    assert not needs_attention(["id_checked", "extra_time"]) and not needs_attention([])
    assert not needs_attention(["something_newer"])  # a flag this build does not know calls nobody


def test_last_contact_follows_what_the_machine_says():
    r = RoomState(make_package(), national_policy())
    c = r.package.candidates[0]
    row = lambda: r.candidate_row(r.shown_sitting, r.shown_sitting.candidates[c.ticket])  # noqa: E731
    assert row()["last_contact"] is None
    apply(r, decide_machine_online(r, c.seat, START - 600))
    apply(r, decide_login(r, c.seat, c.ticket, c.id_number, START - 500))
    assert row()["last_contact"] == START - 500
    while due := due_events(r, START + 10):
        apply(r, due)
    apply(r, decide_save(r, c.seat, c.ticket, 1, "0" * 64, 3, START + 20))
    assert row()["last_contact"] == START + 20
    apply(r, decide_reveal_id_number(r, c.ticket, PROCTORS, START + 30))
    assert row()["last_contact"] == START + 20  # a proctor's look is not the machine's word
