"""The 延时开考 dialog over a real room service: 20 minutes without the consent named is refused in
the dialog with R16's words and what was typed kept, with it the header's start moves; 45 minutes
asks for a provincial code (a wrong one says the tries left, the right one delays); above 60 it
cannot be confirmed (R18); CPA and a started sitting say what applies; opened from 操作 →
延时开考… (Ctrl+D); keyboard only."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from proctor.domain import authcode
from proctor.domain.authcode import MAX_WRONG_CODES
from proctor.domain.start import code_subject
from proctor.host import RoomOptions, RoomThread
from proctor.link.auth import Credential
from proctor.link.console_client import ConsoleClient, RoomView
from proctor.package.demo import DEMO_AUTHCODE_MASTER
from tests import wire
from tests.ui.conftest import START, LiveRoom, make_room, snapshot_of
from tests.waiting import until
from ui.delayed_start_dialog import DelayedStartDialog
from ui.header_bar import clock_hm
from ui.operations import DELAYED_START

PROCTORS = ("张三", "李四")
SHOTS = Path(os.environ.get("PROCTOR_SHOTS", "/tmp/shots-delay"))
MIN = 60.0


@pytest.fixture
def waiting_room(qloop, qtbot, tmp_path) -> Iterator[LiveRoom]:
    """A served room whose sitting starts in ten minutes, with the room's authcode key."""
    from proctor.package.demo import generate
    from ui.app import package_header
    from ui.main_window import MainWindow

    package = generate(candidates=12, machines=14, seed=3)
    room_thread = RoomThread(package, RoomOptions(db=tmp_path / "room.db", first_start_at=time.time() + 600))
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


async def signed_in(live: LiveRoom) -> None:
    live.start()
    await until(lambda: live.view.connected, "the console to connect")
    await live.client.sign_in(PROCTORS)


def header_start(live: LiveRoom) -> float:
    return live.view.header["sittings"][0]["start"]


def office_code(live: LiveRoom, request: str, minutes: int) -> str:
    room = authcode.room_id(live.package.site, live.package.room)
    key = authcode.room_code_key(DEMO_AUTHCODE_MASTER, room)
    return authcode.authorization_code(key, room, request, "delayed_start", minutes, code_subject(1))


def wrong_code(right: str) -> str:
    body = f"{(int(right[0]) + 1) % 10}{right[1:-1]}"
    return body + authcode.check_digit(body)


def shot(dialog: DelayedStartDialog, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.adjustSize()
    dialog.grab().save(str(SHOTS / f"{name}.png"))


def set_minutes(qtbot, dialog: DelayedStartDialog, n: int) -> None:
    dialog.minutes.setFocus()
    dialog.minutes.selectAll()
    qtbot.keyClicks(dialog.minutes, str(n))
    assert dialog.minutes.value() == n


def test_twenty_minutes_need_the_citys_consent_named_then_the_start_moves(chinese, waiting_room, qtbot):
    live = waiting_room
    window = live.window

    async def scenario() -> None:
        await signed_in(live)
        scheduled = header_start(live)
        c = live.package.candidates[0]
        ws, _ = await wire.machine(live.room.url, live.package, c.seat)
        assert (await wire.login(ws, c))["state"] == "logged_in"
        live.sockets.append(ws)  # type: ignore[attr-defined]
        assert window.operation_actions["delayedStart"].shortcut().toString() == "Ctrl+D"
        assert window.operation_actions["delayedStart"].text() == "延时开考…"
        window.operation_actions["delayedStart"].trigger()
        dialog = window.dialogs.get("delayedStart")
        assert isinstance(dialog, DelayedStartDialog)
        set_minutes(qtbot, dialog, 20)
        assert dialog.tier_label.text() == "延迟开考 20 分钟：统一开考后 30 分钟之内，须经地市级考试机构同意（R16）"
        assert f"统一开考 {clock_hm(scheduled)}" in dialog.when.text()
        assert f"延时后 {clock_hm(scheduled + 20 * MIN)} 开考" in dialog.when.text()
        assert dialog.consent.isVisibleTo(dialog) and not dialog.code_box.isVisibleTo(dialog)
        dialog.note.setText("08:52 配电房跳闸")

        # Enter without the consent named: the service refuses, the dialog says why and keeps it all.
        qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
        await until(lambda: dialog.error.isVisibleTo(dialog), "the refusal")
        assert "须经地市级考试机构同意，请填写同意人姓名 (R16)" in dialog.error.text()
        assert "请电话报地市级考试机构" in dialog.error.text()
        assert (dialog.minutes.value(), dialog.note.text()) == (20, "08:52 配电房跳闸")
        assert header_start(live) == scheduled
        shot(dialog, "consent-refused")

        dialog.consent.setText("张主任（市考试院）")
        shot(dialog, "consent")
        qtbot.keyClick(dialog.consent, Qt.Key.Key_Return)
        await until(lambda: header_start(live) == scheduled + 20 * MIN, "the new start in the header")
        await until(lambda: "delayedStart" not in window.dialogs, "the dialog to close")
        pushed = await wire.recv(ws)
        assert (pushed["t"], pushed["start"]) == ("state", scheduled + 20 * MIN)

        # Opened again: it says the current start.
        dialog = window.open_room_operation(DELAYED_START)
        assert f"当前 {clock_hm(scheduled + 20 * MIN)} 开考（延迟 20 分钟）" in dialog.when.text()
        assert dialog.minutes.value() == 20
        dialog.reject()

    live.run(scenario(), timeout=20)


def test_forty_five_minutes_need_a_code_a_wrong_one_says_the_tries_left_the_right_one_delays(
    waiting_room, chinese, qtbot
):
    live = waiting_room
    window = live.window

    async def scenario() -> None:
        await signed_in(live)
        scheduled = header_start(live)
        dialog = window.open_room_operation(DELAYED_START)
        set_minutes(qtbot, dialog, 45)
        assert dialog.tier_label.text() == "延迟开考 45 分钟：统一开考后 30 至 60 分钟须省级授权码（R17）"
        assert dialog.code_box.isVisibleTo(dialog) and not dialog.consent.isVisibleTo(dialog)

        qtbot.keyClick(dialog.minutes, Qt.Key.Key_Return)  # before asking: the service says a code is needed
        await until(lambda: dialog.error.isVisibleTo(dialog), "the refusal")
        assert "须向省级考试机构申请授权码 (R17)" in dialog.error.text()

        dialog.request_button.click()
        await until(lambda: bool(dialog.request_code.text()), "the request code")
        request = dialog.request_code.text().replace(" ", "")
        assert dialog.request == request and len(dialog.request_code.text().split()) == 3
        assert dialog.tries.text() == f"本申请还可输入 {MAX_WRONG_CODES} 次"
        right = office_code(live, request, 45)
        shot(dialog, "code")

        dialog.code.setText(wrong_code(right))
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
        left = MAX_WRONG_CODES - 1
        await until(lambda: f"还可输入 {left} 次" in dialog.error.text(), "the wrong code refused")
        assert "R17" in dialog.error.text() and dialog.tries.text() == f"本申请还可输入 {left} 次"
        assert dialog.minutes.value() == 45 and header_start(live) == scheduled
        shot(dialog, "code-wrong")

        dialog.code.setText(right)
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
        await until(lambda: header_start(live) == scheduled + 45 * MIN, "the new start")
        await until(lambda: "delayedStart" not in window.dialogs, "the dialog to close")

    live.run(scenario(), timeout=20)


def served_view(policy: str | None = None, started: bool = False) -> RoomView:
    """A room as the service publishes it, five minutes before its start (or after it)."""
    room = make_room(until=START + 600 if started else START - 300)
    if policy is not None:
        from proctor.resources import load_policy

        room.policy = load_policy(policy)
    view = RoomView()
    view.apply_message(snapshot_of(room, START + 600 if started else START - 300))
    assert view.header["sittings"][0]["phase"] == ("started" if started else "scheduled")
    return view


def test_above_sixty_minutes_the_dialog_cannot_confirm_and_says_r18(qtbot, chinese):
    dialog = DelayedStartDialog(served_view(), None)
    qtbot.addWidget(dialog)
    dialog.show()
    set_minutes(qtbot, dialog, 61)
    assert dialog.tier_label.text() == (
        "延迟开考 61 分钟：晚于统一开考后 60 分钟，须向部中心汇报，视情况处理；本机不能发出开考指令（R18）"
    )
    assert not dialog.confirm.isEnabled() and not dialog.code_box.isVisibleTo(dialog)
    shot(dialog, "ministry")
    set_minutes(qtbot, dialog, 60)
    assert dialog.confirm.isEnabled() and dialog.code_box.isVisibleTo(dialog)
    set_minutes(qtbot, dialog, 30)
    assert dialog.consent.isVisibleTo(dialog) and not dialog.code_box.isVisibleTo(dialog)
    set_minutes(qtbot, dialog, 31)
    assert "须省级授权码（R17）" in dialog.tier_label.text()


def test_cpa_says_what_applies_instead(qtbot, chinese):
    dialog = DelayedStartDialog(served_view("cpa-2014"), None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "50 分钟内解决" in dialog.tier_label.text() and "财政部考办" in dialog.tier_label.text()
    assert not dialog.confirm.isEnabled()
    shot(dialog, "cpa")


def test_after_the_start_it_says_extra_time_applies(qtbot, chinese):
    dialog = DelayedStartDialog(served_view(started=True), None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "本场次已开考" in dialog.tier_label.text() and "补时" in dialog.tier_label.text()
    assert not dialog.confirm.isEnabled() and not dialog.consent.isVisibleTo(dialog)
    shot(dialog, "started")


def test_keyboard_only_tab_through_the_fields_and_esc_cancels(qtbot):
    dialog = DelayedStartDialog(served_view(), None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    assert dialog.focusWidget() is dialog.minutes
    for then in (dialog.reason, dialog.note, dialog.consent):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        assert dialog.focusWidget() is then
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.consent, Qt.Key.Key_Escape)
    assert "Enter" in dialog.confirm.text()
