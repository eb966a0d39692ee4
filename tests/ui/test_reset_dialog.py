"""The 重置 dialog over a real room service: the candidate, their machine and state, the free
spares (the first chosen, keys move the choice), the rule in force in words; Enter resets and the
candidate shows as reset; a refusal from the service is shown in the dialog with what was chosen
kept; Esc cancels; opened from the panel's button, the tile's menu and 操作 → 重置… (Ctrl+E)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from proctor.domain.events import ResetKind, ResetReason
from proctor.host import RoomOptions, RoomThread
from proctor.link.auth import Credential
from proctor.link.console_client import ConsoleClient, RoomView
from tests import wire
from tests.ui.conftest import LiveRoom
from tests.waiting import until
from ui.operations import CANDIDATE_OPERATIONS, RESET
from ui.reset_dialog import ResetDialog

PROCTORS = ("张三", "李四")
SHOTS = Path(os.environ.get("PROCTOR_SHOTS", "/tmp/shots-reset"))
SPARES = ["D05", "D06"]


@pytest.fixture
def room_with_spares(qloop, qtbot, tmp_path) -> Iterator[LiveRoom]:
    """12 candidates, 30 machines (spares D05, D06), the sitting started a minute ago."""
    from proctor.package.demo import generate
    from ui.app import package_header
    from ui.main_window import MainWindow

    package = generate(candidates=12, machines=30, seed=3)
    assert [m.id for m in package.machines if m.spare] == SPARES
    room_thread = RoomThread(package, RoomOptions(db=tmp_path / "room.db", first_start_at=time.time() - 60))
    room = room_thread.start_and_wait()
    view = RoomView()
    client = ConsoleClient(room.url, Credential.console(package.room_key), view)
    window = MainWindow(
        view, client=client, package_header=package_header(package), expected_fingerprint=package.fingerprint
    )
    qtbot.addWidget(window)
    live = LiveRoom(package, room, qloop, view, client, window)
    live.sockets = []  # type: ignore[attr-defined]
    try:
        yield live
    finally:
        for ws in live.sockets:  # type: ignore[attr-defined]
            qloop.run_until_complete(ws.close())
        qloop.run_until_complete(client.stop())
        room_thread.stop()


async def connect(live: LiveRoom, machine: str):
    ws, welcome = await wire.machine(live.room.url, live.package, machine)
    assert welcome["t"] == "welcome", welcome
    live.sockets.append(ws)  # type: ignore[attr-defined]
    return ws


async def answering(live: LiveRoom, spares=SPARES) -> str:
    live.start()
    await until(lambda: live.view.connected, "the console to connect")
    await live.client.sign_in(PROCTORS)
    c = live.package.candidates[0]
    ws = await connect(live, c.seat)
    assert (await wire.login(ws, c))["t"] == "login_ok"
    for m in spares:
        await connect(live, m)
    await until(lambda: live.view.candidates[c.ticket]["state"] == "answering", "the candidate answering")
    await until(lambda: all(live.view.machines[m].get("free_spare") for m in spares), "the spares free")
    return c.ticket


def shot(dialog: ResetDialog, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.adjustSize()
    dialog.grab().save(str(SHOTS / f"{name}.png"))


def test_a_resume_from_the_panel_onto_the_first_free_spare_by_keyboard(room_with_spares, chinese, qtbot):
    live = room_with_spares
    window = live.window

    async def scenario() -> None:
        ticket = await answering(live)
        end = live.view.candidates[ticket]["end"]
        window.open_candidate(ticket)
        window.panel.operation_buttons["reset"].click()
        dialog = window.dialogs.get("reset")
        assert isinstance(dialog, ResetDialog) and dialog.ticket == ticket
        name = live.view.candidates[ticket]["name"]
        assert dialog.who.text() == f"重置 {name}（{ticket}）"
        assert dialog.where.text() == "当前考试机 A01，作答中"
        assert [dialog.spares.item(i).text() for i in range(dialog.spares.count())] == SPARES
        assert dialog.spare() == "D05" and dialog.focusWidget() is dialog.spares  # the first preselected
        assert dialog.rule.text() == (
            "续考：考生在备用机 D05 上登录后从最后一次已确认的作答继续，结束时间不变；A01 不能再为其保存或交卷（R24）"
        )
        assert "补时" in dialog.hint.text() and "R61" in dialog.hint.text()
        qtbot.keyClick(dialog.spares, Qt.Key.Key_Down)  # keys move the choice
        assert dialog.spare() == "D06" and "备用机 D06" in dialog.rule.text()
        shot(dialog, "resume")
        qtbot.keyClick(dialog.spares, Qt.Key.Key_Return)  # Enter confirms
        await until(lambda: live.view.candidates[ticket]["state"] == "reset", "the candidate reset")
        await until(lambda: "reset" not in window.dialogs, "the dialog to close")
        assert live.view.candidates[ticket]["end"] == end  # no time given or taken
        assert not live.view.machines["D06"]["free_spare"] and live.view.machines["D05"]["free_spare"]

    live.run(scenario(), timeout=20)


def test_a_refusal_is_shown_in_the_dialog_with_what_was_chosen_kept(room_with_spares, chinese, qtbot):
    live = room_with_spares

    async def scenario() -> None:
        ticket = await answering(live)
        dialog = live.window.open_operation(RESET, [ticket])
        assert isinstance(dialog, ResetDialog)
        dialog.reason.setCurrentIndex(dialog.reason.findData(ResetReason.OTHER.value))
        qtbot.keyClick(dialog.spares, Qt.Key.Key_Return)
        await until(lambda: dialog.error.isVisibleTo(dialog), "the refusal")
        assert dialog.error.text().startswith("请在备注中写明故障情况\n")
        # D06 switched off while the dialog was open, as the proctor picks it: refused with R24.
        await live.sockets[-1].close()  # type: ignore[attr-defined]
        await until(lambda: not live.view.machines["D06"]["online"], "D06 off")
        live.view.machines["D06"]["free_spare"] = True  # the list had it still (a stale console)
        dialog.refresh()
        dialog.spares.setCurrentRow(1)
        dialog.note.setText("主机蓝屏")
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
        await until(lambda: "D06 未连接" in dialog.error.text(), "the service's refusal")
        assert "(R24)" in dialog.error.text() and "请先开启该备用机" in dialog.error.text()
        assert dialog.isVisible() and dialog.note.text() == "主机蓝屏"
        assert dialog.reason_value() is ResetReason.OTHER
        assert live.view.candidates[ticket]["state"] == "answering"
        shot(dialog, "refused")

    live.run(scenario(), timeout=20)


def test_restart_names_the_own_machine_and_no_spare_is_needed(room_with_spares, chinese, qtbot):
    live = room_with_spares

    async def scenario() -> None:
        ticket = await answering(live, spares=[])
        dialog = live.window.open_operation(RESET, [ticket])
        assert dialog.spares.count() == 0 and dialog.no_spare.isVisibleTo(dialog)
        assert not dialog.confirm.isEnabled()  # resume without a free spare cannot be confirmed
        dialog.kind.setCurrentIndex(dialog.kind.findData(ResetKind.RESTART.value))
        assert dialog.confirm.isEnabled() and not dialog.spares.isEnabled()
        assert dialog.rule.text() == (
            "原机重启：考生在原考试机 A01 上重新登录后从最后一次已确认的作答继续，结束时间不变（R24）"
        )
        shot(dialog, "restart")
        qtbot.keyClick(dialog.kind, Qt.Key.Key_Return)
        await until(lambda: live.view.candidates[ticket]["state"] == "reset", "the candidate reset")

    live.run(scenario(), timeout=20)


def test_escape_cancels_and_resets_nobody(room_with_spares, chinese, qtbot):
    live = room_with_spares

    async def scenario() -> None:
        ticket = await answering(live)
        dialog = live.window.open_operation(RESET, [ticket])
        qtbot.keyClick(dialog.spares, Qt.Key.Key_Escape)
        await until(lambda: "reset" not in live.window.dialogs, "the dialog to close")
        assert live.view.candidates[ticket]["state"] == "answering"

    live.run(scenario(), timeout=20)


def test_reset_is_in_the_menu_with_ctrl_e_and_on_the_tile_for_a_candidate_answering(room_with_spares, chinese, qtbot):
    live = room_with_spares
    window = live.window

    async def scenario() -> None:
        ticket = await answering(live)
        assert RESET in CANDIDATE_OPERATIONS and not RESET.group
        assert window.operation_actions["reset"].shortcut().toString() == "Ctrl+E"
        window.open_candidate(ticket)
        window.operation_actions["reset"].trigger()
        dialog = window.dialogs.get("reset")
        assert isinstance(dialog, ResetDialog) and dialog.ticket == ticket
        dialog.reject()
        await until(lambda: "reset" not in window.dialogs, "the dialog to go")
        menu = window.tile_menu(ticket)
        [tile] = [a for a in menu.actions() if a.objectName() == "tileReset"]
        assert tile.isEnabled() and tile.text() == "重置…"
        tile.trigger()
        assert window.dialogs["reset"].ticket == ticket
        menu.close()
        absent = live.package.candidates[5].ticket  # not logged in: nothing to reset
        menu = window.tile_menu(absent)
        [tile] = [a for a in menu.actions() if a.objectName() == "tileReset"]
        assert not tile.isEnabled()
        menu.close()

    live.run(scenario(), timeout=20)
