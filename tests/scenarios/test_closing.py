"""结束考试 on the simulated clock: the end is refused by each open item of its check list in turn
(R27), then recorded; the backup is encrypted under the room's key (R56) and, when none is made,
R15's alert comes 30 minutes after the end and not a second before."""

import asyncio

import pytest

from proctor.clock import SimulatedClock
from proctor.domain.commands import EndExam, MakeBackup, SignInProctors, TickClosing
from proctor.domain.events import AlertKind, ClosingItem
from proctor.domain.refusal import Refused
from proctor.service import RoomService
from proctor.store import EventLog
from proctor.store.backup import BackupRefused, open_backup
from tests.factories import START, make_package, national_policy

MIN = 60.0
BY = ("林𠮷祥", "王芳")


async def _room(tmp_path):
    pkg = make_package(candidates=4, machines=5)
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, national_policy(), EventLog(tmp_path / "room.db"), clock)
    await svc.open()
    for c in pkg.candidates[:3]:  # the fourth is absent
        await svc.machine_connected(c.seat)
        await svc.login(c.seat, c.ticket, c.id_number)
    await svc.execute(SignInProctors(names=BY), ())
    return pkg, clock, svc


async def refusal(svc, cmd) -> Refused:
    with pytest.raises(Refused) as no:
        await svc.execute(cmd, BY)
    return no.value


def test_the_end_is_refused_by_each_open_item_in_turn_then_recorded_and_backed_up(tmp_path):
    asyncio.run(_in_turn(tmp_path))


async def _in_turn(tmp_path):
    pkg, clock, svc = await _room(tmp_path)
    await clock.advance(70 * MIN)
    no = await refusal(svc, EndExam())
    assert no.rule == "R27" and "作答中 3 名" in no.zh
    early = await refusal(svc, TickClosing(item=ClosingItem.ABSENCES_REVIEWED))
    assert early.code == "not_over"
    await clock.advance(61 * MIN)  # past the end: everyone submitted automatically (R11)
    await svc.run_due()
    no = await refusal(svc, EndExam())
    assert no.zh.count("未核对") == 3 and "缺考记录" in no.zh
    for item, left in ((ClosingItem.ABSENCES_REVIEWED, 2), (ClosingItem.VIOLATIONS_REVIEWED, 1)):
        await svc.execute(TickClosing(item=item), BY)
        assert (await refusal(svc, EndExam())).zh.count("未核对") == left
    await svc.execute(TickClosing(item=ClosingItem.EXCEPTIONS_REVIEWED), BY)
    ended = await svc.execute(EndExam(), BY)
    assert ended["sitting"] == 1 and "回收作答数据 3 份，实考 3 名" in ended["facts"]
    assert "缺考 1 名" in " ".join(ended["facts"])
    assert (await refusal(svc, EndExam())).code == "all_ended"

    usb = tmp_path / "usb"
    usb.mkdir()
    assert (await refusal(svc, MakeBackup(folder="relative/path"))).code == "backup_failed"
    made = await svc.execute(MakeBackup(folder=str(usb)), BY)
    data = (usb / made["path"].rsplit("/", 1)[1]).read_bytes()
    header, archive = open_backup(data, pkg.room_key)
    assert header["sitting"] == 1 and archive[:2] == b"PK"
    for bad in (data[:-1], data[:100] + bytes([data[100] ^ 1]) + data[101:]):
        with pytest.raises(BackupRefused):
            open_backup(bad, pkg.room_key)
    with pytest.raises(BackupRefused):
        open_backup(data, "another room's secret")
    await svc.close()
    svc.log.close()


def test_r15_raises_the_missing_backup_thirty_minutes_after_the_end(tmp_path):
    asyncio.run(_backup_due(tmp_path))


async def _backup_due(tmp_path):
    _, clock, svc = await _room(tmp_path)
    await clock.advance(10 * MIN + 120 * MIN)  # the end, exactly
    await svc.run_due()
    end = svc.room.sitting_ended_at[1]

    def due():
        return [a for a in svc.room.alerts.values() if a.kind is AlertKind.BACKUP_DUE]

    await clock.advance(end + 30 * MIN - 1 - svc.now())
    await svc.run_due()
    assert not due()
    await clock.advance(1)
    await svc.run_due()
    (alert,) = due()
    assert (alert.at, alert.detail) == (end + 30 * MIN, "1")
    await clock.advance(60 * MIN)
    await svc.run_due()
    assert len(due()) == 1  # once
    await svc.close()
    svc.log.close()


def test_r29_the_days_last_sitting_is_backed_up_too(tmp_path):
    asyncio.run(_last_sitting_backup(tmp_path))


async def _last_sitting_backup(tmp_path):
    """R29 (004 九(六)): every room's proctor machine backs up after the day's last sitting. A
    backup after the morning's sitting does not stand for the afternoon's: its own is due 30
    minutes after its end (R15's bound), and made then, nothing more is raised."""
    afternoon = START + 5 * 60 * MIN
    pkg = make_package(candidates=4, machines=5, sittings=(("初级会计实务", START, 120), ("经济法基础", afternoon, 90)))
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, national_policy(), EventLog(tmp_path / "room.db"), clock)
    await svc.open()
    await svc.execute(SignInProctors(names=BY), ())
    usb = tmp_path / "usb"
    usb.mkdir()

    def due():
        return sorted(a.detail for a in svc.room.alerts.values() if a.kind is AlertKind.BACKUP_DUE)

    await clock.advance(10 * MIN + 125 * MIN)  # the morning has ended
    await svc.run_due()
    await svc.execute(MakeBackup(folder=str(usb)), BY)
    await clock.advance(afternoon + 90 * MIN - svc.now())  # the day's last sitting ends
    await svc.run_due()
    end = svc.room.sitting_ended_at[2]
    await clock.advance(end + 30 * MIN - 1 - svc.now())
    await svc.run_due()
    assert due() == []
    await clock.advance(1)
    await svc.run_due()
    assert due() == ["2"]
    await svc.execute(MakeBackup(folder=str(usb)), BY)
    assert svc.room.backup_due_at(svc.room.sitting_no(2)) is None
    await clock.advance(60 * MIN)
    await svc.run_due()
    assert due() == ["2"]  # raised once, and the morning's never
    await svc.close()
    svc.log.close()


def test_a_transfer_no_room_received_blocks_the_end_until_the_room_settles_it(tmp_path):
    asyncio.run(_transfer_blocks(tmp_path))


async def _transfer_blocks(tmp_path):
    import dataclasses

    from proctor.domain.commands import ResolveTransfer, TransferOut
    from proctor.domain.package import Machine

    pkg = make_package(candidates=4, machines=3)
    people = tuple(dataclasses.replace(c, seat=None) for c in pkg.candidates)
    spare = Machine(id="S01", row=9, col=1, spare=True)
    pkg = dataclasses.replace(pkg, candidates=people, machines=(*pkg.machines, spare), overbooked=True)
    clock = SimulatedClock(START - 10 * MIN)
    svc = RoomService(pkg, national_policy(), EventLog(tmp_path / "room.db"), clock)
    await svc.open()
    await svc.execute(SignInProctors(names=BY), ())
    moved = pkg.candidates[3]
    await svc.execute(TransferOut(ticket=moved.ticket, reason="本考场已满"), BY)
    await clock.advance(10 * MIN + 120 * MIN)
    await svc.run_due()
    for item in (ClosingItem.ABSENCES_REVIEWED, ClosingItem.VIOLATIONS_REVIEWED, ClosingItem.EXCEPTIONS_REVIEWED):
        await svc.execute(TickClosing(item=item), BY)
    no = await refusal(svc, EndExam())
    assert "待处理 1 名" in no.zh and "R36" in no.zh  # 004 附件4 三(二): settle it first
    await svc.execute(ResolveTransfer(ticket=moved.ticket, sat=False, note="考生未到其他考场"), BY)
    ended = await svc.execute(EndExam(), BY)
    assert "调出 1 名，待处理 0 名" in ended["facts"]
    await svc.close()
    svc.log.close()
