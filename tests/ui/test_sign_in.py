"""The room proctors sign in at the console (001 监考规则 第二条): over a real room service, with
the keyboard; a refusal shows its rule in the dialog and keeps what was typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from proctor.domain.events import ProctorsSignedIn
from proctor.domain.refusal import Refused
from proctor.domain.room import RoomState, decide_sign_in_proctors
from tests.waiting import until
from ui import ask
from ui.main_window import MainWindow
from ui.sign_in import SignInDialog


def the_rules_refusal(package, policy) -> Refused:
    """What the rules say to one proctor signing in alone: the dialog must show it, rule and all."""
    with pytest.raises(Refused) as refusal:
        decide_sign_in_proctors(RoomState(package, policy), ("张三",), 0.0)
    return refusal.value


def dialog_of(window: MainWindow) -> SignInDialog | None:
    d = window.sign_in_dialog
    return d if d is not None and d.isVisible() else None


def test_the_proctors_sign_in_with_the_keyboard_and_their_names_show(live_room, chinese, qtbot):
    live, window = live_room, live_room.window

    async def scenario() -> None:
        live.start()
        await until(lambda: dialog_of(window), "the sign-in dialog to open when the console connects")
        d = dialog_of(window)
        d.fields[0].setText("张三")  # QTest types ASCII only
        qtbot.keyClick(d.fields[0], Qt.Key.Key_Return)  # on to the empty second field, nothing sent
        assert d.isVisible() and d.fields[0].isEnabled()
        d.fields[1].setText("李四")
        qtbot.keyClick(d.fields[1], Qt.Key.Key_Return)
        await until(lambda: dialog_of(window) is None, "the dialog to close")
        await until(lambda: "张三、李四" in window.header_bar.proctors.text(), "the names in the header")
        assert window.header_bar.proctors.text() == "监考员：张三、李四"  # 12 candidates: two suffice
        assert live.client.proctors == ("张三", "李四")
        events, _ = await live.client.history()
        assert [e.names for e in events if isinstance(e, ProctorsSignedIn)] == [("张三", "李四")]

    live.run(scenario())


def test_one_name_alone_is_refused_with_its_rule_and_the_name_stays(live_room, chinese):
    live, window = live_room, live_room.window

    async def scenario() -> None:
        live.start()
        await until(lambda: dialog_of(window), "the sign-in dialog")
        d = dialog_of(window)
        d.fields[0].setText("张三")
        d.sign_in_button.click()
        await until(d.error.isVisible, "the refusal")
        refusal = the_rules_refusal(live.package, live.room.service.policy)
        assert refusal.rule and d.error.text() == f"{refusal.zh} ({refusal.rule})\n{refusal.allow_zh}"
        assert d.error.text().startswith("每个考场至少需两名监考员签到 (")
        assert d.fields[0].text() == "张三" and d.fields[0].isEnabled() and d.isVisible()
        assert window.header_bar.proctors.text() == "监考员未签到"
        assert live.client.proctors == ()
        d.fields[1].setText("李四")
        d.sign_in_button.click()
        await until(lambda: live.client.proctors == ("张三", "李四"), "the second try to succeed")

    live.run(scenario())


def test_the_console_signs_in_by_itself_with_the_names_it_was_given(live_room, monkeypatch):
    live, window = live_room, live_room.window
    asked = []
    monkeypatch.setattr(ask, "sign_in", lambda *a: asked.append(a))
    window.auto_proctors = ["张三", "李四"]

    async def scenario() -> None:
        live.start()
        await until(lambda: live.view.header.get("proctors") == ["张三", "李四"], "the service to publish the names")
        await until(lambda: "张三、李四" in window.header_bar.proctors.text(), "the names in the header")
        assert asked == []  # nobody was asked

    live.run(scenario())


def test_fewer_than_the_room_calls_for_shows_as_n_of_m(room_view, qtbot):
    from tests.ui.conftest import make_snapshot

    room_view.apply_message(make_snapshot(proctors=("张三", "李四")))  # 40 candidates call for three
    window = MainWindow(room_view)
    qtbot.addWidget(window)
    label = window.header_bar.proctors
    assert label.text() == "Proctors 2/3: 张三、李四" and label.property("level") == "short"
    room_view.apply_message(make_snapshot())
    qtbot.waitUntil(lambda: label.text() == "Proctors: 张三、李四、王五")
    assert label.property("level") == ""


def test_the_action_opens_one_dialog_through_the_seam(room_view, qtbot, monkeypatch):
    opened = []

    def fake(parent, names, required, on_names):
        d = SignInDialog(parent, names, required)
        opened.append((list(names), required))
        return d

    monkeypatch.setattr(ask, "sign_in", fake)
    window = MainWindow(room_view)
    qtbot.addWidget(window)
    window.sign_in_action.trigger()
    window.sign_in_action.trigger()  # already open: not a second one
    assert opened == [(["张三", "李四", "王五"], 3)]


def test_without_a_service_the_dialog_says_nothing_was_done(room_view, qloop, chinese, qtbot):
    window = MainWindow(room_view)
    qtbot.addWidget(window)
    d = window.sign_in(["张三", "李四"])
    qtbot.waitUntil(d.isVisible)
    d.sign_in_button.click()
    qloop.run_until_complete(until(d.error.isVisible, "the error"))
    assert d.error.text() == "未连接考场服务器，操作未执行"
    assert [f.text() for f in d.fields] == ["张三", "李四", ""]
