"""R59: each exam machine's clock offset (its wall clock minus the service's) is recorded from its
hello and its heartbeats, published on its machine row, and raised past the profile's tolerance."""

import pytest

from proctor.domain.admission import (
    CLOCK_RECORD_EVERY_S,
    MachineHello,
    decide_machine_clock,
    decide_machine_online,
)
from proctor.domain.events import (
    AlertKind,
    AlertRaised,
    Event,
    MachineClockMoved,
    MachineOnline,
    decode_event,
    encode_event,
)
from proctor.domain.room import RoomState, decide_acknowledge_alert, decide_machine_offline
from tests.factories import START, make_package, national_policy

LATER = CLOCK_RECORD_EVERY_S  # readings this far apart are each recorded


def room() -> RoomState:
    return RoomState(make_package(), national_policy())


def apply(r: RoomState, events: list[Event]) -> list[Event]:
    for e in events:
        r.apply(e)
    return events


def clock_alerts(r: RoomState) -> list[tuple[str | None, str]]:
    return [(a.machine, a.detail) for a in r.open_alerts() if a.kind == AlertKind.MACHINE_CLOCK]


def offset(r: RoomState, machine: str) -> float | None:
    return r.machine_row(machine)["clock_offset_s"]


def online(r: RoomState, machine: str, skew: float | None, at: float = START) -> list[Event]:
    return apply(r, decide_machine_online(r, machine, at, MachineHello(clock_skew_s=skew)))


def test_the_hello_records_the_offset_in_machine_online_and_the_row_shows_it():
    r = room()
    assert offset(r, "A01") is None  # unknown before it said anything
    (e,) = online(r, "A01", -2.5)
    assert isinstance(e, MachineOnline) and e.clock_offset_s == -2.5
    assert offset(r, "A01") == -2.5
    online(r, "A02", None)  # a machine that does not say its clock
    assert offset(r, "A02") is None


@pytest.mark.parametrize("sign", [1, -1])
def test_a_hello_at_the_tolerance_exactly_raises_nothing_and_just_over_raises(sign):
    r = room()
    tolerance = r.policy.machine_clock_tolerance_s
    online(r, "A01", sign * tolerance)
    assert clock_alerts(r) == []
    online(r, "A02", sign * (tolerance + 0.01))
    assert clock_alerts(r) == [("A02", f"{'+' if sign > 0 else '−'}10 s")]
    assert offset(r, "A02") == sign * (tolerance + 0.01)


def test_back_from_silence_without_a_clock_keeps_the_last_offset_and_offline_keeps_it_too():
    r = room()
    online(r, "A01", 3.0)
    apply(r, decide_machine_offline(r, "A01", START + 5, "heartbeat"))
    assert offset(r, "A01") == 3.0
    (e,) = apply(r, decide_machine_online(r, "A01", START + 6))
    assert isinstance(e, MachineOnline) and e.clock_offset_s is None
    assert offset(r, "A01") == 3.0


def test_heartbeat_jitter_under_a_second_is_not_recorded_a_larger_move_is():
    r = room()
    online(r, "A01", 0.2)
    assert decide_machine_clock(r, "A01", START + LATER, 1.1) == []
    (e,) = apply(r, decide_machine_clock(r, "A01", START + LATER, 1.2))
    assert e == MachineClockMoved(at=START + LATER, machine="A01", clock_offset_s=1.2)
    assert offset(r, "A01") == 1.2 and clock_alerts(r) == []


def test_a_heartbeat_clock_stepping_past_the_tolerance_is_raised_once_while_open():
    r = room()
    tolerance = r.policy.machine_clock_tolerance_s
    online(r, "A01", 0.0)
    apply(r, decide_machine_clock(r, "A01", START + LATER, tolerance))  # exactly: recorded, not raised
    assert offset(r, "A01") == tolerance and clock_alerts(r) == []
    events = apply(r, decide_machine_clock(r, "A01", START + 2 * LATER, tolerance + 0.5))  # crossed: recorded
    assert [type(e) for e in events] == [MachineClockMoved, AlertRaised]
    assert clock_alerts(r) == [("A01", "+10 s")]
    # Still off and moving: recorded, but the open alert is the one a proctor needs.
    events = apply(r, decide_machine_clock(r, "A01", START + 3 * LATER, tolerance + 5))
    assert [type(e) for e in events] == [MachineClockMoved]
    assert len(clock_alerts(r)) == 1


def test_after_acknowledgement_a_machine_still_off_is_not_raised_again_unless_it_steps_again():
    r = room()
    online(r, "A01", 30.0)
    (alert,) = r.open_alerts()
    apply(r, decide_acknowledge_alert(r, alert.id, ("张三", "李四"), START + 1))
    apply(r, decide_machine_clock(r, "A01", START + LATER, 32.0))
    assert clock_alerts(r) == []
    apply(r, decide_machine_clock(r, "A01", START + 2 * LATER, 0.0))  # set right: back within
    assert offset(r, "A01") == 0.0 and clock_alerts(r) == []
    apply(r, decide_machine_clock(r, "A01", START + 3 * LATER, -3600.0))  # and stepped off again
    assert clock_alerts(r) == [("A01", "−3600 s")]


def test_a_machine_off_that_steps_by_more_than_the_tolerance_again_is_raised_again():
    r = room()
    online(r, "A01", 30.0)
    (alert,) = r.open_alerts()
    apply(r, decide_acknowledge_alert(r, alert.id, ("张三", "李四"), START + 1))
    apply(r, decide_machine_clock(r, "A01", START + LATER, 45.0))
    assert clock_alerts(r) == [("A01", "+45 s")]


def test_a_machine_reporting_a_new_clock_every_heartbeat_is_recorded_at_most_every_interval():
    r = room()
    tolerance = r.policy.machine_clock_tolerance_s
    online(r, "A01", 0.0)
    recorded = []
    for i in range(1, 100):  # a hostile or broken machine: 100 heartbeats, alternating across
        skew = (tolerance + 50) if i % 2 else 0.0
        recorded += apply(r, decide_machine_clock(r, "A01", START + i, skew))
    moves = [e for e in recorded if isinstance(e, MachineClockMoved)]
    assert 1 <= len(moves) <= 100 / CLOCK_RECORD_EVERY_S + 1
    assert len(clock_alerts(r)) == 1


def test_a_crossing_inside_the_pause_is_recorded_by_the_next_reading_after_it():
    r = room()
    online(r, "A01", 0.0)
    assert decide_machine_clock(r, "A01", START + LATER / 2, 60.0) == []
    apply(r, decide_machine_clock(r, "A01", START + LATER, 60.0))
    assert offset(r, "A01") == 60.0 and clock_alerts(r) == [("A01", "+60 s")]


def test_an_offline_or_unknown_machine_reading_records_nothing():
    r = room()
    assert decide_machine_clock(r, "A01", START, 99.0) == []
    assert decide_machine_clock(r, "Z99", START, 99.0) == []


def test_a_new_hello_for_a_machine_still_online_records_its_clock_and_raises():
    r = room()
    online(r, "A01", 0.0)
    events = online(r, "A01", -20.0, at=START + LATER)
    assert [type(e) for e in events] == [MachineClockMoved, AlertRaised]
    assert offset(r, "A01") == -20.0 and clock_alerts(r) == [("A01", "−20 s")]


def test_offsets_are_logged_and_replayed():
    r = room()
    log = online(r, "A01", 4.0) + online(r, "A02", -12.0)
    log += apply(r, decide_machine_clock(r, "A01", START + LATER, 25.0))
    again = room()
    apply(again, [decode_event(encode_event(e)) for e in log])
    for m in ("A01", "A02", "A03"):
        assert again.machine_row(m) == r.machine_row(m)
    assert again.machine_row("A01")["clock_offset_s"] == 25.0
    assert clock_alerts(again) == clock_alerts(r) == [("A02", "−12 s"), ("A01", "+25 s")]
