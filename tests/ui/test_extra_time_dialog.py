"""The 补时 dialog over a real room service: a direct grant moves the candidate's end; 25 minutes
asks for a provincial code (a wrong code says the tries left, the right one grants); above the
code tier it cannot be confirmed (R21); the candidate's own error is refused with R22's words;
opened from the panel's button, the seat map's tile, and 操作 → 补时…; keyboard only."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from proctor.domain import authcode
from proctor.domain.authcode import MAX_WRONG_CODES
from proctor.domain.events import ExtraTimeReason
from proctor.host import RoomOptions, RoomThread
from proctor.link.auth import Credential
from proctor.link.console_client import ConsoleClient, RoomView
from proctor.package.demo import DEMO_AUTHCODE_MASTER
from tests import wire
from tests.ui.conftest import LiveRoom, make_room, snapshot_of
from tests.waiting import until
from ui.extra_time_dialog import ExtraTimeDialog
from ui.operations import EXTRA_TIME

PROCTORS = ("张三", "李四")
SHOTS = Path(os.environ.get("PROCTOR_SHOTS", "/tmp/extra-time-shots"))


@pytest.fixture
def answering_room(qloop, qtbot, tmp_path) -> Iterator[LiveRoom]:
    """A served room whose sitting started a minute ago, with the room's authcode key; call
    `answering(live)` in a scenario for the first candidate answering."""
    from proctor.package.demo import generate
    from ui.app import package_header
    from ui.candidate_panel import package_photos
    from ui.main_window import MainWindow

    package = generate(candidates=12, machines=14, seed=3)
    room_thread = RoomThread(package, RoomOptions(db=tmp_path / "room.db", first_start_at=time.time() - 60))
    room = room_thread.start_and_wait()
    view = RoomView()
    client = ConsoleClient(room.url, Credential.console(package.room_key), view)
    window = MainWindow(
        view,
        client=client,
        package_header=package_header(package),
        expected_fingerprint=package.fingerprint,
        photos=package_photos(package),
    )
    qtbot.addWidget(window)
    sockets = []
    live = LiveRoom(package, room, qloop, view, client, window)
    live.sockets = sockets  # type: ignore[attr-defined]
    try:
        yield live
    finally:
        for ws in sockets:
            qloop.run_until_complete(ws.close())
        qloop.run_until_complete(client.stop())
        room_thread.stop()


async def answering(live: LiveRoom) -> str:
    live.start()
    await until(lambda: live.view.connected, "the console to connect")
    await live.client.sign_in(PROCTORS)
    c = live.package.candidates[0]
    ws, welcome = await wire.machine(live.room.url, live.package, c.seat)
    assert welcome["t"] == "welcome"
    assert (await wire.login(ws, c))["t"] == "login_ok"
    live.sockets.append(ws)  # type: ignore[attr-defined]
    await until(lambda: live.view.candidates[c.ticket]["state"] == "answering", "the candidate answering")
    return c.ticket


def office_code(live: LiveRoom, request: str, minutes: int, tickets: list[str]) -> str:
    room = authcode.room_id(live.package.site, live.package.room)
    key = authcode.room_code_key(DEMO_AUTHCODE_MASTER, room)
    return authcode.authorization_code(key, room, request, "extra_time", minutes, tickets)


def wrong_code(right: str) -> str:
    body = f"{(int(right[0]) + 1) % 10}{right[1:-1]}"
    return body + authcode.check_digit(body)


def shot(dialog: ExtraTimeDialog, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.adjustSize()
    dialog.grab().save(str(SHOTS / f"{name}.png"))


def key(qtbot, dialog: ExtraTimeDialog, k: Qt.Key, text: str | None = None) -> None:
    target = dialog.focusWidget() or dialog
    if text is not None:
        qtbot.keyClicks(target, text)
    else:
        qtbot.keyClick(target, k)


def set_minutes(qtbot, dialog: ExtraTimeDialog, n: int) -> None:
    dialog.minutes.setFocus()
    dialog.minutes.selectAll()
    qtbot.keyClicks(dialog.minutes, str(n))
    assert dialog.minutes.value() == n


def choose(dialog: ExtraTimeDialog, reason: ExtraTimeReason) -> None:
    dialog.reason.setCurrentIndex(dialog.reason.findData(reason.value))


def test_a_direct_grant_from_the_panel_button_moves_the_candidates_end(answering_room, chinese, qtbot):
    live = answering_room
    window = live.window

    async def scenario() -> None:
        ticket = await answering(live)
        end = live.view.candidates[ticket]["end"]
        window.open_candidate(ticket)
        window.panel.operation_buttons["extraTime"].click()
        dialog = window.dialogs.get("extraTime")
        assert dialog is not None and dialog.tickets == [ticket]
        set_minutes(qtbot, dialog, 8)
        assert dialog.tier_label.text() == "累计补时 8 分钟：监考员可直接补时（R19）"
        assert dialog.confirm.isEnabled() and not dialog.code_box.isVisibleTo(dialog)
        choose(dialog, ExtraTimeReason.POWER)
        dialog.note.setText("A01 断电 3 分钟")
        shot(dialog, "direct")
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter confirms
        await until(lambda: live.view.candidates[ticket]["end"] == end + 8 * 60, "the new end")
        await until(lambda: "extraTime" not in window.dialogs, "the dialog to close")
        assert live.view.candidates[ticket]["extra_min"] == 8

    live.run(scenario(), timeout=20)


def test_twenty_five_minutes_need_a_code_a_wrong_one_says_the_tries_left_the_right_one_grants(
    answering_room, chinese, qtbot
):
    live = answering_room
    window = live.window

    async def scenario() -> None:
        ticket = await answering(live)
        end = live.view.candidates[ticket]["end"]
        dialog = window.open_operation(EXTRA_TIME, [ticket])
        set_minutes(qtbot, dialog, 25)
        assert dialog.tier_label.text() == "累计补时 25 分钟，超过 10 分钟需省级授权码（R20）"
        assert dialog.code_box.isVisibleTo(dialog)
        choose(dialog, ExtraTimeReason.MACHINE_FAULT)
        dialog.note.setText("A01 死机，更换备用机")

        # Confirming before asking: the service says a code is needed, and what to do.
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
        await until(lambda: dialog.error.isVisibleTo(dialog), "the refusal")
        assert "需省级授权码" in dialog.error.text() and "R20" in dialog.error.text()

        dialog.request_button.click()
        await until(lambda: bool(dialog.request_code.text()), "the request code")
        request = dialog.request_code.text().replace(" ", "")
        assert (
            dialog.request == request
            and len(dialog.request_code.text().split()) == 3
            and dialog.tries.text() == f"本申请还可输入 {MAX_WRONG_CODES} 次"
        )
        right = office_code(live, request, 25, [ticket])
        shot(dialog, "code")

        dialog.code.setText(wrong_code(right))
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
        left = MAX_WRONG_CODES - 1
        await until(lambda: f"还可输入 {left} 次" in dialog.error.text(), "the wrong code refused")
        assert "R20" in dialog.error.text() and "请与省级考试机构核对授权码" in dialog.error.text()
        assert dialog.tries.text() == f"本申请还可输入 {left} 次"
        assert dialog.minutes.value() == 25 and dialog.note.text() == "A01 死机，更换备用机"  # kept
        assert live.view.candidates[ticket]["end"] == end
        shot(dialog, "code-wrong")

        dialog.code.setText(right)
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
        await until(lambda: live.view.candidates[ticket]["end"] == end + 25 * 60, "the new end")
        await until(lambda: "extraTime" not in window.dialogs, "the dialog to close")

    live.run(scenario(), timeout=20)


def test_the_candidates_own_error_is_warned_of_and_refused_with_r22(answering_room, chinese, qtbot):
    live = answering_room

    async def scenario() -> None:
        ticket = await answering(live)
        dialog = live.window.open_operation(EXTRA_TIME, [ticket])
        assert not dialog.own_error.isVisibleTo(dialog)
        set_minutes(qtbot, dialog, 3)
        choose(dialog, ExtraTimeReason.CANDIDATE_ERROR)
        assert dialog.own_error.isVisibleTo(dialog) and "R22" in dialog.own_error.text()
        shot(dialog, "own-error")
        qtbot.keyClick(dialog.minutes, Qt.Key.Key_Return)
        await until(lambda: dialog.error.isVisibleTo(dialog), "the refusal")
        assert "因考生自身操作失误造成的时间损失不予补时 (R22)" in dialog.error.text()
        assert dialog.isVisible() and dialog.minutes.value() == 3
        assert live.view.candidates[ticket]["extra_min"] == 0

    live.run(scenario(), timeout=20)


def served_view(policy: str | None = None, extra: int = 0) -> tuple[RoomView, str]:
    room = make_room()
    if policy is not None:
        from proctor.resources import load_policy

        room.policy = load_policy(policy)
    view = RoomView()
    view.apply_message(snapshot_of(room, room.sitting.start + 600))
    ticket = next(t for t, c in view.candidates.items() if c["state"] == "answering")
    view.candidates[ticket]["extra_min"] = extra
    return view, ticket


def test_above_sixty_minutes_the_dialog_cannot_confirm_and_says_r21(qtbot, chinese):
    view, ticket = served_view(extra=8)
    dialog = ExtraTimeDialog(view, None, [ticket])
    qtbot.addWidget(dialog)
    dialog.show()
    set_minutes(qtbot, dialog, 53)
    assert dialog.tier_label.text() == "累计补时 61 分钟，超过 60 分钟：须向部中心申请专用工具，本机不能补时（R21）"
    assert not dialog.confirm.isEnabled() and not dialog.code_box.isVisibleTo(dialog)
    shot(dialog, "ministry")
    set_minutes(qtbot, dialog, 52)
    assert dialog.confirm.isEnabled()


def test_a_profile_without_minute_tiers_says_the_by_cause_rule(qtbot, chinese):
    view, ticket = served_view("cpa-2014")
    dialog = ExtraTimeDialog(view, None, [ticket])
    qtbot.addWidget(dialog)
    dialog.show()
    set_minutes(qtbot, dialog, 90)
    assert "本规则不分时长档次" in dialog.tier_label.text() and "R23" in dialog.tier_label.text()
    assert dialog.confirm.isEnabled() and not dialog.code_box.isVisibleTo(dialog)
    shot(dialog, "by-cause")


def test_keyboard_only_tab_through_the_fields_and_esc_cancels(qtbot):
    view, ticket = served_view()
    dialog = ExtraTimeDialog(view, None, [ticket])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    assert dialog.focusWidget() is dialog.minutes
    qtbot.keyClick(dialog.minutes, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.reason
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.note
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.note, Qt.Key.Key_Escape)
    assert (
        "Enter" in dialog.confirm.text() and "Esc" in dialog.buttons.button(dialog.buttons.StandardButton.Cancel).text()
    )


def test_the_menu_entry_and_the_tiles_menu_open_it_for_the_selected_candidate(answering_room, qtbot):
    live = answering_room
    window = live.window

    async def scenario() -> None:
        ticket = await answering(live)
        assert window.operation_actions["extraTime"].shortcut().toString() == "Ctrl+T"
        window.open_candidate(ticket)
        window.operation_actions["extraTime"].trigger()
        dialog = window.dialogs.get("extraTime")
        assert dialog is not None and dialog.tickets == [ticket]
        dialog.reject()
        await until(lambda: "extraTime" not in window.dialogs, "the dialog to go")

        menu = window.tile_menu(ticket)
        entry = next(a for a in menu.actions() if a.objectName() == "tileExtraTime")
        entry.trigger()
        assert "extraTime" in window.dialogs and window.dialogs["extraTime"].tickets == [ticket]
        menu.close()

    live.run(scenario(), timeout=20)


def test_two_rows_selected_in_the_list_get_extra_time_as_a_group(answering_room, chinese, qtbot):
    live = answering_room
    window = live.window

    async def scenario() -> None:
        first = await answering(live)
        other = live.package.candidates[1]
        ws, _ = await wire.machine(live.room.url, live.package, other.seat)
        assert (await wire.login(ws, other))["t"] == "login_ok"
        live.sockets.append(ws)  # type: ignore[attr-defined]
        await until(lambda: live.view.candidates[other.ticket]["state"] == "answering", "the second answering")
        ends = {t: live.view.candidates[t]["end"] for t in (first, other.ticket)}
        window.candidates_dock.show()
        pane = window.candidates
        chosen = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for t in (first, other.ticket):
            row = pane.proxy.mapFromSource(pane.model.index(pane.model.row_of(t), 0))
            window.table.selectionModel().select(row, chosen)
        assert sorted(window.selected_tickets()) == sorted(ends)
        window.operation_actions["extraTime"].trigger()
        dialog = window.dialogs["extraTime"]
        assert sorted(dialog.tickets) == sorted(ends)
        set_minutes(qtbot, dialog, 5)
        choose(dialog, ExtraTimeReason.NETWORK)
        dialog.note.setText("交换机故障")
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
        for t, end in ends.items():
            await until(lambda t=t, end=end: live.view.candidates[t]["end"] == end + 5 * 60, f"{t}'s new end")

    live.run(scenario(), timeout=20)


def test_the_tiles_menu_offers_extra_time_only_to_a_candidate_answering(answering_room, qtbot):
    live = answering_room
    window = live.window

    async def scenario() -> None:
        await answering(live)
        waiting = live.package.candidates[1].ticket  # not logged in
        menu = window.tile_menu(waiting)
        entry = next(a for a in menu.actions() if a.objectName() == "tileExtraTime")
        assert not entry.isEnabled()
        menu.close()
        window.open_candidate(waiting)
        assert not window.panel.operation_buttons["extraTime"].isEnabled()

    live.run(scenario(), timeout=20)


def test_a_request_answers_only_its_minutes_changing_them_forgets_it(qtbot, chinese):
    view, ticket = served_view()
    dialog = ExtraTimeDialog(view, None, [ticket])
    qtbot.addWidget(dialog)
    dialog.show()
    set_minutes(qtbot, dialog, 25)
    dialog._requested(dialog._asked(), {"request": "123456789", "tries_left": 5})
    assert dialog.request_code.text() == "123 456 789" and not dialog.request_button.isEnabled()
    shot(dialog, "code-requested")
    set_minutes(qtbot, dialog, 26)
    assert dialog.request is None and dialog.request_code.text() == "" and dialog.request_button.isEnabled()
