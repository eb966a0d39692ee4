"""A whole two-hour exam on the simulated clock, through the service and its event log."""

import asyncio

import pytest

from proctor.domain.room import Refused
from tests.factories import START, make_package, opened_service, room_service

MIN = 60.0


def test_a_whole_exam_runs_start_to_end_in_seconds(tmp_path):
    asyncio.run(_whole_exam(tmp_path))


async def _whole_exam(tmp_path):
    # 中级财务管理: 150 minutes, so submission opens (T+120) well before the end.
    pkg = make_package(candidates=10, machines=12, sittings=(("财务管理", START, 150),))
    svc = room_service(pkg, tmp_path / "room.db", START - 40 * MIN)
    clock = svc.clock
    published: list[dict] = []
    svc.subscribe_console(published.append)
    pushed: list[tuple[str, dict]] = []
    svc.listen_machines(lambda machine, state: pushed.append((machine, state)))
    await svc.open()
    people = pkg.candidates

    # T-40: machines come up; a login is refused until T-30 (R05).
    for c in people:
        await svc.machine_connected(c.seat)
    with pytest.raises(Refused, match="login_not_open"):
        await svc.login("A01", people[0].ticket, people[0].id_number)

    # T-25 .. T-5: eight of ten log in.
    await clock.advance(15 * MIN)
    for c in people[:8]:
        assert (await svc.login(c.seat, c.ticket, c.id_number))["state"] == "logged_in"

    # T0: the start is automatic; machines are told to begin.
    await clock.advance(25 * MIN)
    states = svc.room.snapshot()["candidates"]
    assert [c["state"] for c in states[:8]] == ["answering"] * 8
    assert {m for m, s in pushed if s["state"] == "answering"} == {c.seat for c in people[:8]}

    # A late arrival at T+20 goes straight to answering; saves start.
    await clock.advance(20 * MIN)
    late = people[8]
    assert (await svc.login(late.seat, late.ticket, late.id_number))["state"] == "answering"
    for minute in range(10):
        for c in people[:9]:
            await svc.save(c.seat, c.ticket, minute + 1, {"q": minute, "text": "借：银行存款"}, minute)
        await svc.machine_seen("A01")
        await clock.advance(MIN)

    # T+30 passed: the tenth is absent and cannot log in (R07).
    snap = svc.room.snapshot()
    assert snap["candidates"][9]["state"] == "absent"
    with pytest.raises(Refused, match="sign_in_closed"):
        await svc.login(people[9].seat, people[9].ticket, people[9].id_number)

    # T+119: too early for anyone to submit (R08); T+120: the first submission goes through.
    await clock.advance(89 * MIN)
    with pytest.raises(Refused, match="too_early"):
        await svc.submit("A02", people[1].ticket)
    await clock.advance(MIN)
    await svc.submit("A02", people[1].ticket)

    # The end: everyone else is submitted automatically (R11), and the sitting ends.
    await clock.advance(30 * MIN - 1)
    assert svc.room.sitting is not None
    await clock.advance(1)
    snap = svc.room.snapshot()
    by = {c["ticket"]: c for c in snap["candidates"]}
    assert sorted(c["state"] for c in by.values()) == ["absent"] + ["submitted"] * 9
    kinds = [e.event.kind for e in svc.log.replay()]
    assert kinds.count("CandidateSubmitted") == 9 and kinds[-1] == "SittingEnded"
    assert svc.room.sitting is None
    assert svc.log.verify_chain() is None

    # Heartbeats stopped long ago: every machine has been marked offline since.
    assert "MachineOffline" in kinds
    # Every save is in the log: 10 per answering candidate.
    assert all(v == [10, 10] for v in svc.log.holdings()["1"].values())
    # Consoles heard about all of it, in order.
    seqs = [u.seq for u in published]
    assert seqs == sorted(seqs) and seqs[-1] == svc.log.last_seq
    await svc.close()
    svc.log.close()


def test_replaying_the_log_gives_the_same_room(tmp_path):
    asyncio.run(_replay(tmp_path))


async def _replay(tmp_path):
    pkg = make_package(candidates=4, machines=5)
    svc = await opened_service(pkg, tmp_path / "r.db", START - 10 * MIN)
    clock = svc.clock
    for c in pkg.candidates[:3]:
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    await clock.advance(45 * MIN)
    await svc.save("A01", pkg.candidates[0].ticket, 1, {"a": 1}, 1)
    before = svc.room.snapshot()
    await svc.close()
    svc.log.close()

    again = await opened_service(pkg, tmp_path / "r.db", clock.now())
    after = again.room.snapshot()
    for b, a in zip(before["candidates"], after["candidates"], strict=True):
        assert (b["state"], b["machine"], b["last_seq"]) == (a["state"], a["machine"], a["last_seq"])
    # After a restart the machines are offline until they say hello again.
    assert all(not m["online"] for m in after["machines"])
    await again.close()
    again.log.close()


def test_a_two_hour_exam_ends_with_everyone_submitted_at_their_end(tmp_path):
    """初级会计实务, 120 min: submission opens at T+120 (R08), which is the end, so nobody leaves
    early and everyone still in is submitted by the system (R11) — in well under a second."""
    asyncio.run(_two_hours(tmp_path))


async def _two_hours(tmp_path):
    pkg = make_package(candidates=30, machines=32)
    svc = await opened_service(pkg, tmp_path / "room.db", START - 20 * MIN)
    clock = svc.clock
    for c in pkg.candidates[:28]:
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    await clock.advance(20 * MIN)
    for seq in range(1, 25):  # a save every 5 minutes for two hours
        await clock.advance(5 * MIN - 1)
        for c in pkg.candidates[:28]:
            await svc.save(c.seat, c.ticket, seq, {"n": seq}, seq)
        with pytest.raises(Refused, match="too_early"):
            await svc.submit(pkg.candidates[0].seat, pkg.candidates[0].ticket)
        await clock.advance(1)
    states = [c["state"] for c in svc.room.snapshot()["candidates"]]
    assert states.count("submitted") == 28 and states.count("absent") == 2
    assert svc.room.sitting is None
    held = svc.log.holdings()["1"]
    assert len(held) == 28 and all(n == max_seq == 24 for max_seq, n in held.values())
    await svc.close()
    svc.log.close()


def test_when_the_log_cannot_be_written_nothing_is_acknowledged_and_the_service_stops_taking_commands(tmp_path):
    asyncio.run(_disk_full(tmp_path))


async def _on_a_full_disk(tmp_path):
    """A service with one candidate logged in, whose log can no longer be written."""
    pkg = make_package(candidates=2, machines=3)
    svc = await opened_service(pkg, tmp_path / "room.db", START + MIN)
    c = pkg.candidates[0]
    await svc.machine_connected(c.seat)
    await svc.login(c.seat, c.ticket, c.id_number)

    def disk_full(events, answers=None, **_):
        raise OSError(28, "No space left on device")

    svc.log.append = disk_full
    return svc, c


async def _disk_full(tmp_path):
    svc, c = await _on_a_full_disk(tmp_path)
    with pytest.raises(OSError):
        await svc.save(c.seat, c.ticket, 1, {"a": 1}, 1)  # no ack for this save
    assert svc.failed_event.is_set()
    with pytest.raises(RuntimeError, match="must restart"):
        await svc.save(c.seat, c.ticket, 2, {"a": 2}, 1)
    await svc.close()
    svc.log.close()


def test_a_resend_of_a_save_not_yet_on_disk_is_acknowledged_only_with_it(tmp_path):
    asyncio.run(_resend_while_committing(tmp_path))


async def _resend_while_committing(tmp_path):
    svc, c = await _on_a_full_disk(tmp_path)
    # The save and its resend arrive in one turn of the loop, before the commit that fails.
    first = asyncio.ensure_future(svc.save(c.seat, c.ticket, 1, {"a": 1}, 1))
    await asyncio.sleep(0)
    resend = asyncio.ensure_future(svc.save(c.seat, c.ticket, 1, {"a": 1}, 1))
    results = await asyncio.gather(first, resend, return_exceptions=True)
    assert all(isinstance(r, OSError) for r in results), results  # neither is acknowledged
    await svc.close()
    svc.log.close()
