"""Who joins the room's link and what their arrival raises, without I/O."""

import pytest

from proctor.domain.admission import (
    MAX_OPEN_KNOCKING_ALERTS,
    MachineHello,
    decide_failed_proof,
    decide_machine_clash,
    decide_machine_online,
    resumable,
    session_digest,
)
from proctor.domain.events import AlertKind, Event
from proctor.domain.room import Refused, RoomState, decide_login
from tests.factories import START, make_package, national_policy

MIN = 60.0


def room() -> RoomState:
    return RoomState(make_package(), national_policy())


def apply(r: RoomState, events: list[Event]) -> list[Event]:
    for e in events:
        r.apply(e)
    return events


def alerts(r: RoomState) -> list[tuple[AlertKind, str | None, str]]:
    return [(a.kind, a.machine, a.detail) for a in r.open_alerts()]


def test_a_machine_clock_off_by_more_than_the_tolerance_is_raised():  # R59
    r = room()
    tolerance = r.policy.machine_clock_tolerance_s
    apply(r, decide_machine_online(r, "A01", START, MachineHello(clock_skew_s=tolerance)))
    apply(r, decide_machine_online(r, "A02", START, MachineHello(clock_skew_s=-tolerance)))
    assert alerts(r) == []
    apply(r, decide_machine_online(r, "A03", START, MachineHello(clock_skew_s=-(tolerance + 1))))
    assert alerts(r) == [(AlertKind.MACHINE_CLOCK, "A03", "−11 s")]
    assert r.machines["A03"].online  # admitted: the candidate must not lose time over it


@pytest.mark.parametrize(
    "hello, detail",
    [
        (MachineHello(internet=True), "internet"),
        (MachineHello(removable_media=True), "removable_media"),
        (MachineHello(peer="8.8.8.8"), "address 8.8.8.8"),
        (MachineHello(internet=True, removable_media=True), "internet, removable_media"),
    ],
)
def test_a_machine_with_internet_or_removable_media_is_raised(hello, detail):  # R60
    r = room()
    apply(r, decide_machine_online(r, "A01", START, hello))
    assert alerts(r) == [(AlertKind.MACHINE_UNSEALED, "A01", detail)]


@pytest.mark.parametrize("peer", ["", "127.0.0.1", "10.12.0.31", "192.168.1.20", "fe80::1", "not an address"])
def test_room_lan_addresses_and_sealed_machines_raise_nothing(peer):  # R60
    r = room()
    apply(r, decide_machine_online(r, "A01", START, MachineHello(peer=peer, internet=False, removable_media=False)))
    assert alerts(r) == []


def test_a_machine_with_its_clock_off_and_internet_raises_both_numbered_in_turn():  # R59, R60
    r = room()
    apply(r, decide_machine_online(r, "A01", START, MachineHello(clock_skew_s=95, internet=True)))
    assert [(a.id, a.kind) for a in r.open_alerts()] == [
        (1, AlertKind.MACHINE_CLOCK),
        (2, AlertKind.MACHINE_UNSEALED),
    ]


def test_unknown_machines_failed_proofs_and_clashes_are_raised_with_their_address_up_to_a_bound():
    r = room()
    with pytest.raises(Refused) as unknown:
        decide_machine_online(r, "Z99", START, MachineHello(peer="10.0.0.9"))
    apply(r, unknown.value.record)
    apply(r, decide_failed_proof(r, "A01", START, peer="10.0.0.8").record)
    apply(r, decide_failed_proof(r, "A01", START, peer="10.0.0.8").record)  # the same, still open
    apply(r, decide_failed_proof(r, "no-such", START, peer="10.0.0.7").record)
    apply(r, decide_machine_clash(r, "A02", START, peer="10.0.0.6").record)
    assert alerts(r) == [
        (AlertKind.UNKNOWN_MACHINE, "Z99", "10.0.0.9"),
        (AlertKind.BAD_PROOF, "A01", "10.0.0.8"),
        (AlertKind.BAD_PROOF, None, "10.0.0.7"),
        (AlertKind.MACHINE_CLASH, "A02", "10.0.0.6"),
    ]
    for i in range(100):
        with pytest.raises(Refused) as e:
            decide_machine_online(r, f"X{i}", START, MachineHello(peer=f"10.1.0.{i}"))
        apply(r, e.value.record)
    assert len(r.open_alerts()) == MAX_OPEN_KNOCKING_ALERTS


def test_only_the_token_of_the_login_on_that_machine_resumes_a_candidate():
    r = room()
    c = r.package.candidates[0]
    apply(r, decide_machine_online(r, c.seat, START - 20 * MIN))
    apply(r, decide_login(r, c.seat, c.ticket, c.id_number, START - 20 * MIN, session=session_digest("t0k")))
    assert resumable(r, c.seat, c.ticket, "t0k")
    assert not resumable(r, c.seat, c.ticket, "guess")
    assert not resumable(r, "A02", c.ticket, "t0k")  # another machine
    assert not resumable(r, c.seat, r.package.candidates[1].ticket, "t0k")  # another candidate
