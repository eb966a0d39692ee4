"""The identity check (身份核验, R57) and temporary leave (暂离) dialogs over a real room service:
what the proctors confirm is recorded and shows on the candidate's row; what is missing is
said in the dialog before anything is sent; a refusal from the service shows in place."""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from proctor.domain.events import ClosingItem, ReadinessItem
from tests.ui.test_extra_time_dialog import answering, answering_room  # noqa: F401  (the served room)
from tests.waiting import until
from ui.closing_dialog import ClosingDialog
from ui.identity_dialog import IdentityDialog
from ui.incident_guide import IncidentGuide
from ui.leave_dialog import LeaveDialog
from ui.notice_dialog import NoticeDialog
from ui.operations import (
    CLOSING,
    DRILL,
    IDENTITY,
    INCIDENT,
    LEAVE,
    NOTICE,
    READINESS,
    STOP,
    SUBMISSION,
    TRANSFER_IN,
    TRANSFER_SLIP,
    VIOLATION,
)
from ui.readiness_dialog import ReadinessDialog
from ui.seat_dialog import SeatDialog
from ui.stop_dialogs import ChoiceDialog, StopDialog
from ui.submission_dialogs import GiveUpDialog, SubmissionDialog
from ui.transfer_dialogs import TransferInDialog, TransferOutDialog
from ui.violation_dialog import ViolationDialog

SHOTS = Path(os.environ.get("PROCTOR_SHOTS", "/tmp/record-shots"))


def shot(dialog, name: str, fit: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    if fit:
        dialog.adjustSize()
    dialog.grab().save(str(SHOTS / f"{name}.png"))


def test_a_matching_check_from_the_panel_marks_the_candidate_checked(answering_room, chinese, qtbot):  # noqa: F811
    live = answering_room
    window = live.window

    async def scenario() -> None:
        ticket = await answering(live)
        window.open_candidate(ticket)
        window.panel.operation_buttons["identity"].click()
        dialog = window.dialogs["identity"]
        assert isinstance(dialog, IdentityDialog) and dialog.photo.has_photo
        assert "R57" in dialog.rule.text() and "准考证" in dialog.rule.text()
        shot(dialog, "identity")
        qtbot.keyClick(dialog.matches, Qt.Key.Key_Return)
        await until(lambda: "id_checked" in live.view.candidates[ticket]["flags"], "the candidate checked")
        await until(lambda: "identity" not in window.dialogs, "the dialog to close")

    live.run(scenario(), timeout=20)


def test_a_mismatch_says_what_before_it_is_sent_and_then_raises_an_alert(answering_room, chinese, qtbot):  # noqa: F811
    live = answering_room
    window = live.window

    async def scenario() -> None:
        ticket = await answering(live)
        dialog = window.open_operation(IDENTITY, [ticket])
        dialog.mismatch.setChecked(True)
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
        assert dialog.error.isVisible() and "照片" in dialog.error.text()
        assert not live.view.alerts  # nothing was sent
        dialog.note.insert("照片与本人不符")  # typed (QTest types ASCII only)
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
        await until(
            lambda: any(a["kind"] == "identity_mismatch" and a["ticket"] == ticket for a in live.view.alerts.values()),
            "the mismatch raised",
        )
        assert "id_checked" not in live.view.candidates[ticket]["flags"]

    live.run(scenario(), timeout=20)


def test_a_leave_needs_its_escort_then_shows_away_and_the_return_clears_it(answering_room, chinese, qtbot):  # noqa: F811
    live = answering_room
    window = live.window

    async def scenario() -> None:
        ticket = await answering(live)
        dialog = window.open_operation(LEAVE, [ticket])
        assert isinstance(dialog, LeaveDialog) and "000 附件3 15" in dialog.rule.text() and "10" in dialog.rule.text()
        qtbot.keyClick(dialog.escort, Qt.Key.Key_Return)
        assert dialog.error.isVisible() and "陪同" in dialog.error.text()
        dialog.escort.insert("赵流动")  # typed (QTest types ASCII only)
        shot(dialog, "leave")
        qtbot.keyClick(dialog.escort, Qt.Key.Key_Return)
        await until(lambda: "away" in live.view.candidates[ticket]["flags"], "the candidate away")
        await until(lambda: "leave" not in window.dialogs, "the dialog to close")
        assert live.view.candidates[ticket]["away_escort"] == "赵流动"

        back = window.open_operation(LEAVE, [ticket])
        assert "赵流动" in back.rule.text() and not back.escort.isVisibleTo(back)
        qtbot.keyClick(back.id_checked, Qt.Key.Key_Return)
        assert back.error.isVisible() and "身份证" in back.error.text()  # R32: not sent unchecked
        qtbot.keyClick(back.id_checked, Qt.Key.Key_Space)
        shot(back, "leave-return")
        qtbot.keyClick(back.id_checked, Qt.Key.Key_Return)
        await until(lambda: "away" not in live.view.candidates[ticket]["flags"], "the candidate back")

    live.run(scenario(), timeout=20)


def test_a_refusal_from_the_service_shows_in_the_dialog_and_keeps_what_was_typed(answering_room, chinese, qtbot):  # noqa: F811
    live = answering_room
    window = live.window

    async def scenario() -> None:
        ticket = await answering(live)
        first = window.open_operation(LEAVE, [ticket])
        stale = LeaveDialog(live.view, live.client, ticket, window)  # opened before the first was recorded
        qtbot.addWidget(stale)
        stale.show()
        first.escort.insert("赵流动")  # typed (QTest types ASCII only)
        qtbot.keyClick(first.escort, Qt.Key.Key_Return)
        await until(lambda: "away" in live.view.candidates[ticket]["flags"], "the candidate away")
        stale.escort.insert("钱流动")  # typed (QTest types ASCII only)
        qtbot.keyClick(stale.escort, Qt.Key.Key_Return)
        await until(lambda: stale.error.isVisible(), "the refusal")
        assert "赵流动" in stale.error.text() and "尚未返回" in stale.error.text()
        assert stale.escort.text() == "钱流动"

    live.run(scenario(), timeout=20)


def test_the_tiles_menu_offers_the_return_only_to_a_candidate_away(answering_room, qtbot):  # noqa: F811
    live = answering_room
    window = live.window

    async def scenario() -> None:
        await answering(live)
        waiting = live.package.candidates[1].ticket  # not logged in
        menu = window.tile_menu(waiting)
        enabled = {a.objectName(): a.isEnabled() for a in menu.actions()}
        assert not any(enabled.values()) and {"tileExtraTime", "tileIdentity", "tileLeave"} <= set(enabled)
        menu.close()

    live.run(scenario(), timeout=20)


def test_a_violation_record_with_evidence_confirmed_by_two_proctors(answering_room, chinese, qtbot, tmp_path):  # noqa: F811
    live = answering_room
    window = live.window
    photo = tmp_path / "U盘照片.jpg"
    photo.write_bytes(b"\xff\xd8" + bytes(range(256)) * 400)

    async def scenario() -> None:
        ticket = await answering(live)
        window.open_candidate(ticket)
        window.panel.operation_buttons["violation"].click()
        dialog = window.dialogs["violation"]
        assert isinstance(dialog, ViolationDialog) and "R30" in dialog.rule.text() and "004 附件3" in dialog.rule.text()
        dialog.act.setCurrentIndex(dialog.act.findData("own_device"))
        assert dialog.category.currentData() == "serious" and not dialog.category.isEnabled()  # R31
        facts = "10:05 考生插入自带 U 盘，监考员刘䶮当场制止；\n考生承认。𠮷"
        dialog.facts.setPlainText(facts)
        dialog.add_files([photo, tmp_path / "没有.jpg"])
        assert dialog.evidence.count() == 1 and "不是文件" in dialog.error.text()
        dialog.confirmations[0].setChecked(True)
        qtbot.keyClick(dialog.facts, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert "两名" in dialog.error.text() or "Two" in dialog.error.text()  # R30: one tick is not enough
        assert not live.view.candidates[ticket]["violations"]
        dialog.confirmations[1].setChecked(True)
        shot(dialog, "violation")
        qtbot.keyClick(dialog.facts, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: live.view.candidates[ticket]["violations"], "the record")
        assert "violation" in live.view.candidates[ticket]["flags"]
        events, _ = await live.client.history(ticket=ticket)
        (rec,) = [e for e in events if e.kind == "ViolationRecorded"]
        assert rec.facts == facts and rec.evidence[0].name == "U盘照片.jpg" and len(rec.confirmed_by) == 2

        again = window.open_operation(VIOLATION, [ticket])
        assert again.amends.isVisibleTo(again) and again.amends.itemData(1) == 1  # a correction names no. 1
        again.reject()

    live.run(scenario(), timeout=30)


def test_giving_up_from_the_tiles_menu_and_a_forced_submission_refused_before_it_opens(
    answering_room,  # noqa: F811
    chinese,
    qtbot,
):
    live = answering_room
    window = live.window

    async def scenario() -> None:
        ticket = await answering(live)
        early = window.open_operation(SUBMISSION, [ticket])
        assert isinstance(early, SubmissionDialog) and not early.undo and "R08" in early.rule.text()
        early.reason.insert("考试机无法交卷")
        qtbot.keyClick(early.reason, Qt.Key.Key_Return)
        assert "主考" in early.error.text()  # said before anything is sent
        early.chief.insert("赵主考")
        qtbot.keyClick(early.chief, Qt.Key.Key_Return)
        await until(lambda: "允许交卷" in early.error.text(), "the refusal from the service")
        assert "R08" in early.error.text() and early.chief.text() == "赵主考"
        shot(early, "force-submit-refused")
        early.reject()

        menu = window.tile_menu(ticket)
        entry = next(a for a in menu.actions() if a.objectName() == "tileGiveUp")
        entry.trigger()
        menu.close()
        dialog = window.dialogs["giveUp"]
        assert isinstance(dialog, GiveUpDialog) and "R53" in dialog.rule.text()
        dialog.reason.insert("身体不适，自愿放弃")
        shot(dialog, "give-up")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        await until(lambda: live.view.candidates[ticket]["state"] == "gave_up", "the candidate gave up")
        again = window.tile_menu(ticket)
        enabled = {a.objectName(): a.isEnabled() for a in again.actions()}
        assert not enabled["tileGiveUp"] and not enabled["tileSubmission"] and enabled["tileViolation"] is False
        again.close()

    live.run(scenario(), timeout=20)


def test_a_notice_offers_r12s_words_when_due_and_lists_who_has_not_shown_it(answering_room, chinese, qtbot):  # noqa: F811
    live = answering_room
    window = live.window

    async def scenario() -> None:
        ticket = await answering(live)
        seat = live.view.candidates[ticket]["machine"]
        window.candidates_dock.show()
        window.candidates.select_ticket(ticket)
        window.operation_actions["notice"].trigger()
        dialog = window.dialogs["notice"]
        assert isinstance(dialog, NoticeDialog) and dialog.machines() == [seat]  # the selected candidate's
        assert "R12" in dialog.rule.text() and dialog.text.toPlainText() == ""  # the reminder is not due yet
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert "通知" in dialog.error.text() or "read" in dialog.error.text()
        dialog.to_all.setChecked(True)
        dialog.kind.setCurrentIndex(dialog.kind.findData("correction"))
        dialog.text.setPlainText("第 3 题题干更正：“借方”应为“贷方”。")
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: live.view.notices.get(1), "the notice on the console")
        assert live.view.notices[1]["waiting"] == [seat]  # the one machine in use here

        again = window.open_room_operation(NOTICE)
        assert "1. " in again.sent.text() and "0/1" in again.sent.text() and seat in again.sent.text()
        live.view.alerts[999] = {"id": 999, "kind": "end_reminder", "ticket": None, "machine": None, "at": 0}
        due = window.open_room_operation(NOTICE)
        assert due.kind.currentData() == "reminder" and "15 分钟" in due.text.toPlainText()
        shot(due, "notice")
        due.reject()

    live.run(scenario(), timeout=20)


def test_the_check_list_reads_the_room_and_ticks_with_a_note_when_short(live_room, chinese, qtbot):
    live = live_room  # sitting 1 starts within ten minutes: before the start, inside R03's hour

    async def scenario() -> None:
        live.start()
        await until(lambda: live.view.connected, "the console to connect")
        await live.client.sign_in(("张三", "李四"))
        dialog = live.window.open_room_operation(READINESS)
        assert isinstance(dialog, ReadinessDialog)
        rows = dialog.rows
        await until(lambda: "（R04）" in rows[ReadinessItem.MACHINES_AT_LOGIN]["facts"].text(), "the room read")
        assert "0/14" in rows[ReadinessItem.MACHINES_AT_LOGIN]["facts"].text()
        rows[ReadinessItem.MACHINES_AT_LOGIN]["tick"].click()
        await until(lambda: dialog.error.isVisible(), "the refusal")
        assert "备注" in dialog.error.text() and "R04" in dialog.error.text()
        rows[ReadinessItem.MACHINES_AT_LOGIN]["note"].insert("考试机尚未开机，技术人员处理中")
        qtbot.keyClick(rows[ReadinessItem.MACHINES_AT_LOGIN]["note"], Qt.Key.Key_Return)
        await until(lambda: rows[ReadinessItem.MACHINES_AT_LOGIN]["ticked"].text(), "the tick")
        assert "张三、李四" in rows[ReadinessItem.MACHINES_AT_LOGIN]["ticked"].text()
        code = rows[ReadinessItem.PACKAGE_CHECKED]["note"]
        code.insert(live.package.short_code)
        qtbot.keyClick(code, Qt.Key.Key_Return)
        await until(lambda: rows[ReadinessItem.PACKAGE_CHECKED]["ticked"].text(), "the code checked")
        assert live.view.header["readiness"]["package_checked"]["met"]
        shot(dialog, "readiness")

    live.run(scenario(), timeout=20)


@pytest.fixture
def ended_room(qloop, qtbot, tmp_path):
    """A served room whose only sitting ended an hour ago: nobody came (all absent)."""
    from proctor.host import RoomOptions, RoomThread
    from proctor.link.auth import Credential
    from proctor.link.console_client import ConsoleClient, RoomView
    from proctor.package.demo import generate
    from tests.ui.conftest import LiveRoom
    from ui.app import package_header
    from ui.main_window import MainWindow

    package = generate(candidates=6, machines=8, seed=5)
    minutes = package.sittings[0].duration_min
    thread = RoomThread(package, RoomOptions(db=tmp_path / "room.db", first_start_at=time.time() - (minutes + 60) * 60))
    room = thread.start_and_wait()
    view = RoomView()
    client = ConsoleClient(room.url, Credential.console(package.room_key), view)
    window = MainWindow(view, client=client, package_header=package_header(package))
    qtbot.addWidget(window)
    try:
        yield LiveRoom(package, room, qloop, view, client, window)
    finally:
        qloop.run_until_complete(client.stop())
        thread.stop()


def test_the_end_of_the_exam_names_what_is_open_then_ends_and_backs_up(ended_room, chinese, qtbot, tmp_path):
    live = ended_room

    async def scenario() -> None:
        live.start()
        await until(lambda: live.view.connected, "the console to connect")
        await live.client.sign_in(("张三", "李四"))
        dialog = live.window.open_room_operation(CLOSING)
        assert isinstance(dialog, ClosingDialog)
        rows = dialog.rows
        await until(lambda: "缺考 6 名" in rows[ClosingItem.ABSENCES_REVIEWED]["facts"].text(), "the list read")
        assert "回收作答数据 0 份，实考 0 名" in rows[ClosingItem.ANSWER_SETS_MATCH]["facts"].text()
        dialog.end_button.click()
        await until(lambda: dialog.error.isVisible(), "the refusal")
        assert "未核对：缺考记录" in dialog.error.text() and "R27" in dialog.error.text()
        for item in (ClosingItem.ABSENCES_REVIEWED, ClosingItem.VIOLATIONS_REVIEWED, ClosingItem.EXCEPTIONS_REVIEWED):
            rows[item]["tick"].click()
            await until(lambda it=item: rows[it]["ticked"].text(), f"{item.value} ticked")
        assert "张三、李四" in rows[ClosingItem.EXCEPTIONS_REVIEWED]["ticked"].text()
        shot(dialog, "closing")
        dialog.end_button.click()
        await until(lambda: "结束" in dialog.done.text(), "the exam ended")
        usb = tmp_path / "usb"
        usb.mkdir()
        dialog.folder.setText(str(usb))
        dialog.backup_button.click()
        await until(lambda: ".proctor-backup" in dialog.done.text(), "the backup")
        assert len(list(usb.glob("*.proctor-backup"))) == 1
        shot(dialog, "closing-backed-up")

    live.run(scenario(), timeout=30)


@pytest.fixture
def overbooked_room(qloop, qtbot, tmp_path):
    from proctor.host import RoomOptions, RoomThread
    from proctor.link.auth import Credential
    from proctor.link.console_client import ConsoleClient, RoomView
    from proctor.package.demo import generate
    from tests.ui.conftest import LiveRoom
    from ui.app import package_header
    from ui.main_window import MainWindow

    package = generate(candidates=11, machines=10, seed=7, overbooked=True)
    thread = RoomThread(package, RoomOptions(db=tmp_path / "room.db", first_start_at=time.time() + 20 * 60))
    room = thread.start_and_wait()
    view = RoomView()
    client = ConsoleClient(room.url, Credential.console(package.room_key), view)
    window = MainWindow(view, client=client, package_header=package_header(package))
    qtbot.addWidget(window)
    try:
        yield LiveRoom(package, room, qloop, view, client, window)
    finally:
        qloop.run_until_complete(client.stop())
        thread.stop()


def test_an_arrival_in_an_overbooked_room_is_seated_at_random_and_told_where(overbooked_room, chinese, qtbot):
    live = overbooked_room

    async def scenario() -> None:
        live.start()
        await until(lambda: live.view.connected, "the console to connect")
        await live.client.sign_in(("张三", "李四"))
        ticket = live.package.candidates[0].ticket
        live.window.open_candidate(ticket)
        button = live.window.panel.operation_buttons["seat"]
        assert button.isEnabled()
        button.click()
        dialog = live.window.dialogs["seat"]
        assert isinstance(dialog, SeatDialog) and "R34" in dialog.rule.text()
        qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
        await until(lambda: dialog.machine is not None, "the seat")
        free = {m.id for m in live.package.machines if not m.spare}
        assert dialog.machine in free and dialog.machine in dialog.seat.text()
        await until(lambda: live.view.candidates[ticket].get("assigned_seat") == dialog.machine, "the row")
        shot(dialog, "seat")
        qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
        await until(lambda: "seat" not in live.window.dialogs, "the dialog to close")

    live.run(scenario(), timeout=20)


async def logged_kinds(live) -> Counter[str]:
    """The room's events by kind, read as a console reads them (the log is the room thread's)."""
    kinds: Counter[str] = Counter()
    after = 0
    while True:
        page = await live.client.history_page(after=after, limit=1000)
        kinds.update(e.kind for e in page.events)
        if page.next is None:
            return kinds
        after = page.next


def test_the_console_locks_with_a_code_refuses_a_wrong_one_and_a_restarted_console_needs_two_proctors(
    answering_room,  # noqa: F811
    chinese,
    qtbot,
):
    live = answering_room
    window = live.window

    async def scenario() -> None:
        await answering(live)
        window.resize(1024, 768)
        window.show()
        lock = window.lock_console()
        lock.first.insert("2468")
        lock.second.insert("1357")
        lock.submit()
        assert "不一致" in lock.error.text() or "differ" in lock.error.text()
        lock.second.insert("2468")
        lock.submit()
        await until(lambda: window.console_lock.locked, "the lock")
        assert window.lock_screen.isVisible() and not window.menuBar().isEnabled()
        assert live.view.header["console_locked"]
        window.lock_screen.code.insert("0000")
        qtbot.keyClick(window.lock_screen.code, Qt.Key.Key_Return)
        await until(lambda: "1" in window.lock_screen.error.text(), "the wrong code said")
        assert window.console_lock.locked
        window.grab().save(str(SHOTS / "locked.png"))
        window.lock_screen.code.insert("2468")
        qtbot.keyClick(window.lock_screen.code, Qt.Key.Key_Return)
        await until(lambda: not window.console_lock.locked, "the unlock")
        assert window.menuBar().isEnabled() and not window.lock_screen.isVisible()
        kinds = await logged_kinds(live)
        assert (kinds["ConsoleLocked"], kinds["ConsoleUnlocked"], kinds["ConsoleUnlockFailed"]) == (1, 1, 1)

        # A console that starts while the room is locked holds no code: two proctors sign in again.
        await live.client.lock_console()
        await until(lambda: window.console_lock.locked, "locked from the service's word")
        assert window.console_lock.code is None and window.lock_screen.sign_in.isVisible()
        window.lock_screen.sign_in.click()
        dialog = window.sign_in_dialog
        assert dialog is not None
        await live.client.sign_in(("张三", "李四"))
        dialog.accept()
        await until(lambda: not window.console_lock.locked, "unlocked by signing in again")
        assert (await logged_kinds(live))["ConsoleUnlocked"] == 2

    live.run(scenario(), timeout=30)


@pytest.fixture
def two_rooms(qloop, qtbot, tmp_path):
    """Two overbooked rooms of one site, each its own service; the window is room 2's."""
    from proctor.host import RoomOptions, RoomThread
    from proctor.link.auth import Credential
    from proctor.link.console_client import ConsoleClient, RoomView
    from proctor.package.demo import generate
    from tests.service.test_transfers import renumbered
    from tests.ui.conftest import LiveRoom
    from ui.app import package_header
    from ui.main_window import MainWindow

    packages = [
        renumbered(generate(candidates=9, machines=8, seed=20 + i, overbooked=True, room=f"第0{i}考场"), i)
        for i in (1, 2)
    ]
    threads = [
        RoomThread(p, RoomOptions(db=tmp_path / f"r{i}.db", first_start_at=time.time() + 20 * 60))
        for i, p in enumerate(packages)
    ]
    rooms = [t.start_and_wait() for t in threads]
    view = RoomView()
    client = ConsoleClient(rooms[1].url, Credential.console(packages[1].room_key), view)
    window = MainWindow(view, client=client, package_header=package_header(packages[1]))
    qtbot.addWidget(window)
    sending = ConsoleClient(rooms[0].url, Credential.console(packages[0].room_key))
    live = LiveRoom(packages[1], rooms[1], qloop, view, client, window)
    live.sending = (packages[0], rooms[0], sending)  # type: ignore[attr-defined]
    try:
        yield live
    finally:
        qloop.run_until_complete(client.stop())
        qloop.run_until_complete(sending.stop())
        for t in threads:
            t.stop()


def test_transferring_out_of_one_room_and_in_at_another(two_rooms, chinese, qtbot):
    live = two_rooms
    pkg_a, room_a, a = live.sending  # type: ignore[attr-defined]

    async def scenario() -> None:
        live.start()
        a.start()
        await until(lambda: live.view.connected and a.view.connected, "both consoles")
        await live.client.sign_in(("张三", "李四"))
        await a.sign_in(("王五", "赵六"))
        moved = pkg_a.candidates[-1]
        out = TransferOutDialog(a.view, a, moved.ticket, live.window)  # a child: closing it quits nothing
        out.show()
        assert "R35" in out.rule.text() and not out.settle
        out.note.insert("本考场已满")
        qtbot.keyClick(out.note, Qt.Key.Key_Return)
        await until(lambda: a.view.candidates[moved.ticket]["state"] == "transferred_out", "transferred out")

        dialog = live.window.open_room_operation(TRANSFER_IN)
        assert isinstance(dialog, TransferInDialog)
        dialog.from_room.insert(pkg_a.room)
        dialog.from_url.insert(room_a.url)
        dialog.ticket_field.insert("263303009999")  # not transferred out there
        qtbot.keyClick(dialog.ticket_field, Qt.Key.Key_Return)
        await until(lambda: dialog.error.isVisible(), "the refusal")
        assert "没有调出" in dialog.error.text()
        dialog.ticket_field.clear()
        dialog.ticket_field.insert(moved.ticket)
        shot(dialog, "transfer-in")
        qtbot.keyClick(dialog.ticket_field, Qt.Key.Key_Return)
        await until(lambda: moved.ticket in live.view.candidates, "the candidate transferred in")
        row = live.view.candidates[moved.ticket]
        assert (row["name"], row["transferred_from"]) == (moved.name, pkg_a.room)

        here = live.window.open_room_operation(TRANSFER_SLIP)
        await until(lambda: here.table.rowCount() == 1, "the slip")
        cells = [here.table.item(0, j).text() for j in range(6)]
        assert cells[1] == moved.ticket and cells[4] == pkg_a.room and cells[0] == "调入"
        shot(here, "transfer-slip")

    live.run(scenario(), timeout=30)


@pytest.fixture
def cpa_room(qloop, qtbot, tmp_path):
    from proctor.host import RoomOptions, RoomThread
    from proctor.link.auth import Credential
    from proctor.link.console_client import ConsoleClient, RoomView
    from proctor.package.demo import generate
    from tests.ui.conftest import LiveRoom
    from ui.app import package_header
    from ui.main_window import MainWindow

    package = generate(candidates=6, machines=8, seed=9, policy="cpa-2014")
    thread = RoomThread(package, RoomOptions(db=tmp_path / "room.db", first_start_at=time.time() - 60))
    room = thread.start_and_wait()
    view = RoomView()
    client = ConsoleClient(room.url, Credential.console(package.room_key), view)
    window = MainWindow(view, client=client, package_header=package_header(package))
    qtbot.addWidget(window)
    live = LiveRoom(package, room, qloop, view, client, window)
    live.sockets = []  # type: ignore[attr-defined]
    try:
        yield live
    finally:
        for ws in live.sockets:  # type: ignore[attr-defined]
            qloop.run_until_complete(ws.close())
        qloop.run_until_complete(client.stop())
        thread.stop()


def test_a_stop_as_directed_then_the_candidates_choice(cpa_room, chinese, qtbot):
    live = cpa_room
    window = live.window

    async def scenario() -> None:
        ticket = await answering(live)
        dialog = window.open_room_operation(STOP)
        assert isinstance(dialog, StopDialog) and "003" in dialog.rule.text()
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        assert dialog.error.isVisible()  # who gave the word, first
        dialog.directed_by.insert("财政部考办 张处长")
        dialog.reason.insert("考点断网 50 分钟未恢复")
        shot(dialog, "stop")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        await until(lambda: live.view.header.get("stopped") == [1], "the stop")
        assert live.view.candidates[ticket]["state"] == "submitted"
        window.open_candidate(ticket)
        button = window.panel.operation_buttons["choice"]
        await until(lambda: button.isEnabled(), "the choice offered")
        button.click()
        choice = window.dialogs["choice"]
        assert isinstance(choice, ChoiceDialog) and "R46" in choice.rule.text()
        choice.refund.setChecked(True)
        qtbot.keyClick(choice.refund, Qt.Key.Key_Return)
        await until(lambda: live.view.candidates[ticket].get("stop_choice") == "refund", "the choice registered")

    live.run(scenario(), timeout=20)


def test_the_incident_guide_walks_a_power_failure_to_its_outcome(answering_room, chinese, qtbot, tmp_path):  # noqa: F811
    import subprocess

    live = answering_room
    window = live.window

    async def scenario() -> None:
        await answering(live)
        window.resize(1280, 800)
        guide = window.open_room_operation(INCIDENT)
        assert isinstance(guide, IncidentGuide)
        titles = [guide.flow_choice.itemText(i) for i in range(guide.flow_choice.count())]
        assert "考场断电或网络故障（大范围考生无法正常考试）" in titles
        assert not any("注册会计师" in t for t in titles)  # only this exam's plans
        guide.flow_choice.setCurrentIndex(guide.flow_choice.findData("power-failure"))
        guide.open_button.click()
        await until(lambda: guide.number is not None and "安抚" in guide.step_text.text(), "the first step")
        guide.answer_buttons[""].click()  # calmed
        await until(lambda: "考点" in guide.step_text.text(), "report to the site")
        assert "报告" in guide.step_text.text()
        # Whom to call: the package's duty telephones for the site; what was said is recorded.
        assert not guide.duty.isHidden() and "考点主考 王建国 0577-8800 1001" in guide.duty.text()
        guide.note.insert("电话报告王建国，技术人员已到场")
        guide.answer_buttons[""].click()
        await until(lambda: "done" in guide.answer_buttons, "the timer step")
        await until(lambda: "30" in guide.countdown.text() or "29:" in guide.countdown.text(), "the countdown")
        # The drawn chart: the two steps taken ticked, the timer current, the rest waiting.
        chart = guide.chart
        assert [chart.mark(s) for s in ("calm", "report_site", "repair", "report_major")] == [
            "done",
            "done",
            "current",
            "waiting",
        ]
        assert chart.current_rect() is not None and chart.width() > 300 and chart.height() > 400
        shot(guide, "incident-guide", fit=False)
        guide.answer_buttons["done"].click()  # repaired
        await until(lambda: "省级" in guide.step_text.text(), "report to the province")
        guide.answer_buttons[""].click()
        await until(lambda: "__operation" in guide.answer_buttons, "the extra-time step")
        # One button per number of minutes lost, as the service measured them for each candidate.
        lost = guide._row()["lost"]
        assert lost and set(lost) <= set(live.window.view.candidates)
        minutes, tickets = guide.lost_groups(guide._row())[0]
        assert f"{minutes} 分钟" in guide.answer_buttons["__operation"].text()
        guide.answer_buttons["__operation"].click()
        dialog = window.dialogs["extraTime"]
        assert dialog.minutes.value() == minutes and sorted(dialog.tickets) == sorted(tickets)
        dialog.reject()
        guide.answer_buttons[""].click()
        await until(lambda: "Closed" in guide.step_text.text() or "已处理" in guide.step_text.text(), "the outcome")
        # Printed on its own: each step, who answered, what was reported, the outcome.
        pdf = tmp_path / "incident.pdf"
        guide.print_button.click()
        forms = guide.findChild(QDialog, "roomForms")
        assert forms.chosen() == ("incident", guide.number)
        forms.save_pdf(pdf)
        await until(lambda: pdf.is_file() and "已保存" in forms.done_label.text(), "the incident saved", timeout=10)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        flat = "".join(text.split())
        assert "突发事件处理记录" in flat and "电话报告王建国" in flat and "已在时限内修复" in flat
        assert "一般突发事件" in flat and "主考签字" in flat
        row = guide.incidents()[0]
        assert row["steps"][1]["note"] == "电话报告王建国，技术人员已到场" and row["steps"][0]["note"] == ""
        assert row["outcome"] == "general_done" and [s["step"] for s in row["steps"]][:3] == [
            "calm",
            "report_site",
            "repair",
        ]

    live.run(scenario(), timeout=30)


def test_a_drill_is_scored_against_the_log_and_saved_as_a_pdf_to_print(answering_room, chinese, qtbot, tmp_path):  # noqa: F811
    import subprocess

    from ui.drill_dialog import DrillDialog

    live = answering_room
    window = live.window

    async def scenario() -> None:
        await answering(live)
        dialog = window.open_room_operation(DRILL)
        assert isinstance(dialog, DrillDialog)
        dialog.choice.setCurrentIndex(dialog.choice.findData("power-failure"))
        dialog.score_button.click()
        await until(lambda: "得分" in dialog.browser.toPlainText(), "the score")
        shown = dialog.browser.toPlainText()
        # The room started a minute ago: the drill's fault at minute 20 has not been handled.
        assert "0 / 1" in shown and "未启动本考试的应急流程" in shown and "张三" in shown
        pdf = tmp_path / "drill.pdf"
        assert dialog.save(pdf)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "演练评分" in text and "得分：0 / 1" in text and "签字" in text
        assert not dialog.save(tmp_path / "no-such-folder" / "drill.pdf")
        assert dialog.error.isVisible() and "无法写入" in dialog.error.text()

    live.run(scenario(), timeout=30)
