"""The 单机考试 dialogs over a real room service: without the chief examiner's name the export is
refused in R25's words and what was typed stays; with it the package is written to the folder
and the candidate shows as 单机考试; the recovery dialog lists the package, refuses the package
file given as a result, imports the result, and records a lost package with two proctors'
ticks; keyboard only (Enter, Esc, the machine list by arrows)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from proctor.host import RoomOptions, RoomThread
from proctor.link.auth import Credential
from proctor.link.console_client import ConsoleClient, RoomView
from proctor.sim.standalone import run_offline
from tests import wire
from tests.ui.conftest import LiveRoom
from tests.waiting import until
from ui.operations import STANDALONE, STANDALONE_RECOVER
from ui.standalone_dialog import StandaloneExportDialog, StandaloneRecoverDialog

PROCTORS = ("张三", "李四")
SHOTS = Path(os.environ.get("PROCTOR_SHOTS", "/tmp/shots-standalone"))


@pytest.fixture
def room(qloop, qtbot, tmp_path) -> Iterator[LiveRoom]:
    from proctor.package.demo import generate
    from ui.app import package_header
    from ui.main_window import MainWindow

    package = generate(candidates=12, machines=14, seed=3)
    room_thread = RoomThread(package, RoomOptions(db=tmp_path / "room.db", first_start_at=time.time() - 60))
    running = room_thread.start_and_wait()
    view = RoomView()
    client = ConsoleClient(running.url, Credential.console(package.room_key), view)
    window = MainWindow(
        view, client=client, package_header=package_header(package), expected_fingerprint=package.fingerprint
    )
    qtbot.addWidget(window)
    live = LiveRoom(package, running, qloop, view, client, window)
    live.sockets = []  # type: ignore[attr-defined]
    try:
        yield live
    finally:
        for ws in live.sockets:  # type: ignore[attr-defined]
            qloop.run_until_complete(ws.close())
        qloop.run_until_complete(client.stop())
        room_thread.stop()


async def answering(live: LiveRoom) -> str:
    live.start()
    await until(lambda: live.view.connected, "the console to connect")
    await live.client.sign_in(PROCTORS)
    c = live.package.candidates[0]
    ws, _ = await wire.machine(live.room.url, live.package, c.seat)
    assert (await wire.login(ws, c))["t"] == "login_ok"
    await wire.send(ws, {"t": "save", "id": 2, "ticket": c.ticket, "seq": 1, "answers": {"1": "A"}})
    assert (await wire.recv(ws))["t"] == "ack"
    live.sockets.append(ws)  # type: ignore[attr-defined]
    await until(lambda: live.view.candidates[c.ticket]["state"] == "answering", "the candidate answering")
    return c.ticket


def shot(dialog, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.adjustSize()
    dialog.grab().save(str(SHOTS / f"{name}.png"))


def spare(live: LiveRoom) -> str:
    return next(m.id for m in live.package.machines if m.spare)


def choose_machine(qtbot, dialog: StandaloneExportDialog, machine: str) -> None:
    """By keyboard: arrows down the list until the machine is current."""
    dialog.machines.setFocus()
    for _ in range(dialog.machines.count()):
        if dialog.machine() == machine:
            return
        qtbot.keyClick(dialog.machines, Qt.Key.Key_Down)
    raise AssertionError(f"{machine} not reachable by the arrows")


def test_export_refused_without_consent_then_written_with_it(room, chinese, qtbot, tmp_path):
    live = room
    window = live.window
    stick = tmp_path / "stick"
    stick.mkdir()

    async def scenario() -> None:
        ticket = await answering(live)
        assert window.operation_actions["standalone"].shortcut().toString() == "Ctrl+U"
        window.open_candidate(ticket)
        window.panel.operation_buttons["standalone"].click()
        dialog = window.dialogs.get("standalone")
        assert isinstance(dialog, StandaloneExportDialog) and dialog.ticket == ticket
        assert "单机考试须经主考同意（004 附件2 二(四)）" in dialog.rule.text()
        assert dialog.machine() == live.package.candidates[0].seat  # their own machine first
        assert dialog.focusWidget() in (None, dialog.chief) or dialog.chief.hasFocus()
        choose_machine(qtbot, dialog, spare(live))
        dialog.reason.setText("A01 重置、更换考试机均无法继续")
        dialog.folder.edit.setText(str(stick))
        shot(dialog, "export-refused-before")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no chief examiner named
        await until(lambda: dialog.error.isVisibleTo(dialog), "the refusal")
        assert "单机考试须经主考同意，请填写同意的主考姓名 (R25)" in dialog.error.text()
        assert "经主考同意后，填写主考姓名再导出" in dialog.error.text()
        assert dialog.reason.text() == "A01 重置、更换考试机均无法继续" and dialog.machine() == spare(live)
        assert live.view.candidates[ticket]["state"] == "answering" and not list(stick.iterdir())
        shot(dialog, "export-refused")

        dialog.chief.setText("周主考")
        qtbot.keyClick(dialog.chief, Qt.Key.Key_Return)
        await until(lambda: dialog.done_label.isVisibleTo(dialog), "the package written")
        (written,) = list(stick.iterdir())
        assert str(written) in dialog.done_label.text() and spare(live) in dialog.done_label.text()
        await until(lambda: live.view.candidates[ticket]["state"] == "standalone", "the candidate standalone")
        shot(dialog, "export-done")
        qtbot.keyClick(dialog.cancel, Qt.Key.Key_Escape)
        await until(lambda: "standalone" not in window.dialogs, "the dialog to close")

    live.run(scenario(), timeout=30)


def test_a_folder_that_is_not_there_is_said_in_words(room, chinese, qtbot, tmp_path):
    live = room

    async def scenario() -> None:
        ticket = await answering(live)
        dialog = live.window.open_operation(STANDALONE, [ticket])
        dialog.chief.setText("周主考")
        dialog.reason.setText("断网")
        dialog.folder.edit.setText(str(tmp_path / "no-stick"))
        qtbot.keyClick(dialog.chief, Qt.Key.Key_Return)
        await until(lambda: dialog.error.isVisibleTo(dialog), "the refusal")
        assert "不存在" in dialog.error.text() and "U盘" in dialog.error.text()
        assert live.view.candidates[ticket]["state"] == "answering"

    live.run(scenario(), timeout=30)


def test_recovery_refuses_the_package_file_imports_the_result_and_the_list_empties(room, chinese, qtbot, tmp_path):
    live = room
    window = live.window
    stick = tmp_path / "stick"
    stick.mkdir()

    async def scenario() -> None:
        ticket = await answering(live)
        done = await live.client.export_standalone(ticket, spare(live), "周主考", "A01 故障", stick)
        await until(lambda: live.view.header.get("standalone"), "the package listed")
        assert window.operation_actions["standaloneRecover"].shortcut().toString() == "Ctrl+Shift+U"
        window.operation_actions["standaloneRecover"].trigger()
        dialog = window.dialogs.get("standaloneRecover")
        assert isinstance(dialog, StandaloneRecoverDialog)
        assert dialog.packages.count() == 1 and ticket in dialog.packages.item(0).text()
        assert "发出“结束考试”指令前" in dialog.rule.text()

        dialog.result.edit.setText(done["path"])  # the package, not its result
        qtbot.keyClick(dialog.result.edit, Qt.Key.Key_Return)
        await until(lambda: dialog.error.isVisibleTo(dialog), "the refusal")
        assert "不是考试机生成的作答结果文件" in dialog.error.text() and "R26" in dialog.error.text()
        assert dialog.result.text() == done["path"]  # kept
        shot(dialog, "recover-refused")

        offline = run_offline(Credential.machine(live.package.room_key, spare(live)), Path(done["path"]).read_bytes())
        result = stick / offline.file_name
        result.write_bytes(offline.result)
        dialog.result.edit.setText(str(result))
        qtbot.keyClick(dialog.result.edit, Qt.Key.Key_Return)
        await until(lambda: dialog.done_label.isVisibleTo(dialog), "the recovery")
        assert "已回收" in dialog.done_label.text() and "3 次保存" in dialog.done_label.text()
        assert dialog.packages.count() == 0 and dialog.none_out.isVisibleTo(dialog)
        await until(lambda: live.view.candidates[ticket]["state"] == "submitted", "the candidate submitted")
        shot(dialog, "recover-done")
        dialog.result.edit.setText(str(result))
        qtbot.keyClick(dialog.result.edit, Qt.Key.Key_Return)
        await until(lambda: "此前已导入" in dialog.done_label.text(), "the second import said")

    live.run(scenario(), timeout=30)


def test_a_lost_package_needs_two_proctors_ticks(room, chinese, qtbot, tmp_path):
    live = room
    stick = tmp_path / "stick"
    stick.mkdir()

    async def scenario() -> None:
        ticket = await answering(live)
        await live.client.export_standalone(ticket, spare(live), "周主考", "A01 故障", stick)
        await until(lambda: live.view.header.get("standalone"), "the package listed")
        dialog = live.window.open_room_operation(STANDALONE_RECOVER)
        assert [t.text() for t in dialog.ticks] == list(PROCTORS)
        dialog.write_off_reason.setText("U盘损坏")
        dialog.ticks[0].setChecked(True)
        dialog.write_off_button.click()
        await until(lambda: dialog.error.isVisibleTo(dialog), "the refusal")
        assert "须由两名监考员共同确认 (R26)" in dialog.error.text()
        assert dialog.write_off_reason.text() == "U盘损坏" and dialog.packages.count() == 1
        shot(dialog, "write-off-refused")
        dialog.ticks[1].setChecked(True)
        qtbot.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        await until(lambda: "已登记为无法回收" in dialog.done_label.text(), "the write-off")
        await until(lambda: live.view.header["standalone"][0]["status"] == "written_off", "the room to say so")
        assert dialog.packages.count() == 0

    live.run(scenario(), timeout=30)


def test_the_tile_menu_offers_it_only_to_a_candidate_answering(room, qtbot):
    live = room
    window = live.window

    async def scenario() -> None:
        await answering(live)
        waiting = live.package.candidates[1].ticket  # not logged in
        menu = window.tile_menu(waiting)
        entry = next(a for a in menu.actions() if a.objectName() == "tileStandalone")
        assert not entry.isEnabled()
        menu.close()

    live.run(scenario(), timeout=20)


def served_view() -> tuple[RoomView, str]:
    from tests.ui.conftest import make_room, snapshot_of

    room = make_room()
    view = RoomView()
    view.apply_message(snapshot_of(room, room.sitting.start + 600))
    return view, next(t for t, c in view.candidates.items() if c["state"] == "answering")


def test_keyboard_only_tab_arrows_enter_on_the_list_and_esc(qloop, qtbot, chinese):
    view, ticket = served_view()
    dialog = StandaloneExportDialog(view, None, [ticket])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    assert dialog.focusWidget() is dialog.chief
    qtbot.keyClick(dialog.chief, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.machines
    first = dialog.machine()
    qtbot.keyClick(dialog.machines, Qt.Key.Key_Down)
    assert dialog.machine() not in (None, first)
    # A machine in use by another candidate is listed but cannot be chosen.
    busy = [
        dialog.machines.item(i) for i in range(dialog.machines.count()) if "使用中" in dialog.machines.item(i).text()
    ]
    assert busy and not busy[0].flags() & Qt.ItemFlag.ItemIsSelectable
    qtbot.keyClick(dialog.machines, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.reason
    dialog.folder.edit.setText("/tmp")
    qtbot.keyClick(dialog.machines, Qt.Key.Key_Return)  # Enter on the list sends: no service here
    qloop.run_until_complete(until(lambda: dialog.error.isVisibleTo(dialog), "the console's answer"))
    assert dialog.error.text() and dialog.confirm.isEnabled() and dialog.chief.isEnabled()
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Escape)
    assert "Enter" in dialog.confirm.text() and "Esc" in dialog.cancel.text()
