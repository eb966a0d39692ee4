"""Every command goes through one await helper: a refusal names its rule and what would allow
it, a lost connection says nothing was done, and nothing blocks the loop or raises into Qt."""

from __future__ import annotations

import asyncio

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from proctor.domain.commands import AcknowledgeAlert
from proctor.domain.refusal import Refused
from proctor.domain.room import decide_sign_in_proctors
from proctor.link import messages
from proctor.link.console_client import CommandRefused, NotConnected
from tests.ui.conftest import NOW, make_room
from ui import ask, commands


def one_proctor_alone() -> messages.Error:
    """What the rules answer one proctor signing in alone, in its wire form."""
    with pytest.raises(Refused) as refusal:
        decide_sign_in_proctors(make_room(proctors=()), ("张三",), NOW)
    return messages.refusal(refusal.value, id=1)


TOO_FEW = one_proctor_alone()


@pytest.fixture
def parent(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    return w


async def refused() -> dict:
    raise CommandRefused(TOO_FEW)


async def lost() -> dict:
    raise NotConnected("the connection to the room service was lost")


def test_a_refusal_is_said_in_chinese_with_its_rule_and_what_would_allow_it(parent, qloop, chinese):
    said, done = [], []
    task = commands.run(parent, refused(), done.append, on_error=said.append)
    qloop.run_until_complete(task)
    assert TOO_FEW.rule  # the rule the service names, said with it
    assert said == [f"每个考场至少需两名监考员签到 ({TOO_FEW.rule})\n请第二名监考员一同签到"]
    assert done == []


def test_in_english_the_refusal_is_in_english(parent, qloop):
    said = []
    qloop.run_until_complete(commands.run(parent, refused(), on_error=said.append))
    assert said == [
        f"a room needs at least two proctors signed in ({TOO_FEW.rule})\nthe second room proctor signs in too"
    ]


def test_without_a_connection_the_proctor_is_told_nothing_was_done_without_blocking(parent, qloop, chinese, qtbot):
    task = commands.run(parent, lost())
    assert not task.done()  # run() returned at once; the work waits for the loop
    qloop.run_until_complete(task)
    box = parent.findChild(QMessageBox)
    assert box is not None and box.text() == "未连接考场服务器，操作未执行"
    qtbot.waitUntil(box.isVisible)
    assert box.windowModality() == Qt.WindowModality.WindowModal  # open(): no nested event loop
    box.accept()


def test_a_command_without_a_client_is_not_connected(parent, qloop, monkeypatch):
    told = []
    monkeypatch.setattr(ask, "inform", lambda parent, title, text: told.append(text))
    qloop.run_until_complete(commands.send(parent, None, AcknowledgeAlert(alert=1)))
    assert told == ["Not connected to the room server; nothing was done"]


def test_the_result_reaches_on_done(parent, qloop):
    async def ok() -> dict:
        return {"seq": 7}

    done = []
    qloop.run_until_complete(commands.run(parent, ok(), done.append))
    assert done == [{"seq": 7}]


def test_a_bug_is_reported_and_does_not_escape_into_qt(parent, qloop, monkeypatch):
    told = []
    monkeypatch.setattr(ask, "inform", lambda parent, title, text: told.append(text))

    async def broken() -> dict:
        raise KeyError("names")

    def slot_bug(result: dict) -> None:
        raise RuntimeError("slot bug")

    async def ok() -> dict:
        return {}

    qloop.run_until_complete(commands.run(parent, broken()))
    task = commands.run(parent, ok(), slot_bug)
    qloop.run_until_complete(task)
    assert told == ["The command failed: 'names'"]
    assert task.exception() is None


def test_a_cancelled_command_says_nothing(parent, qloop, monkeypatch):
    told = []
    monkeypatch.setattr(ask, "inform", lambda parent, title, text: told.append(text))
    task = commands.run(parent, asyncio.sleep(10))
    qloop.call_soon(task.cancel)
    qloop.run_until_complete(asyncio.wait([task]))
    assert told == [] and not task.cancelled()  # the helper swallowed it; nothing escaped


def test_a_window_closed_meanwhile_is_left_alone(qloop, qtbot):
    w = QWidget()
    said = []
    task = commands.run(w, refused(), on_error=said.append)
    w.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(w))
    qloop.run_until_complete(task)
    assert said == []
