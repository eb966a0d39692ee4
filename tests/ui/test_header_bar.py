"""The header: the next deadline and its countdown on a simulated clock, the counts and what a click
on one asks for, the policy profile one click away, and every text whole at 1024 px and 1920 px."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QToolButton

from proctor.domain.policy import MEANINGS
from proctor.domain.room import RoomState
from proctor.link.console_client import RoomView
from proctor.resources import load_policy
from tests.factories import make_package
from tests.ui.conftest import START, candidate_row, make_snapshot, snapshot_of
from ui.exam_clock import ExamClock
from ui.header_bar import MAIN_COUNTS, SIDE_COUNTS, ElidedLabel, HeaderBar, clock_hm
from ui.main_window import MainWindow
from ui.profile_dialog import ProfileDialog

MIN = 60.0


class FakeMonotonic:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def header_over(view: RoomView, qtbot) -> tuple[HeaderBar, ExamClock, FakeMonotonic]:
    mono = FakeMonotonic()
    clock = ExamClock(monotonic=mono)
    clock.sync_header(view.header)
    bar = HeaderBar(view, clock)
    qtbot.addWidget(bar)
    return bar, clock, mono


def room_view(profile: str, minutes: int, now: float) -> RoomView:
    """A room of `profile` with one sitting of `minutes`, as its service sends it at `now`."""
    package = make_package(sittings=(("科目", START, minutes),), policy=profile)
    view = RoomView()
    view.apply_message(snapshot_of(RoomState(package, load_policy(profile)), now))
    return view


def walk(bar: HeaderBar, clock: ExamClock, at: float) -> str:
    clock.sync(at)
    bar.tick()
    return bar.countdown.text()


# -- the next deadline ---------------------------------------------------------------------------


def test_the_countdown_moves_across_each_accounting_deadline(qtbot):
    bar, clock, _ = header_over(room_view("national-accounting", 150, START - 3600), qtbot)
    seen = [
        (at, walk(bar, clock, START + at))
        for at in (-3600, -1801, -1800, -1, 0, 1799, 1800, 7199, 7200, 8099, 8100, 8999, 9000)
    ]
    assert seen == [
        (-3600, "Login opens in 30:00"),  # R05
        (-1801, "Login opens in 00:01"),
        (-1800, "Start in 30:00"),
        (-1, "Start in 00:01"),
        (0, "Sign-in closes in 30:00"),  # R07
        (1799, "Sign-in closes in 00:01"),
        (1800, "Submission opens in 1:30:00"),  # R08: two hours after the start
        (7199, "Submission opens in 00:01"),
        (7200, "15-minute reminder in 15:00"),  # R12
        (8099, "15-minute reminder in 00:01"),
        (8100, "Ends in 15:00"),  # R11
        (8999, "Ends in 00:01"),
        (9000, ""),  # nothing ahead
    ]


@pytest.mark.parametrize(
    "profile, minutes, after_close",
    [
        ("economics-2021", 90, [(4499, "Submission opens in 00:01"), (4500, "Ends in 15:00")]),  # R09, R12 at once
        (
            "economics-senior-2021",
            180,
            [(7199, "Submission opens in 00:01"), (7200, "15-minute reminder in 45:00")],  # R10
        ),
        ("beijing-accounting", 120, [(1800, "15-minute reminder in 1:15:00")]),  # R08 at the end: none
    ],
)
def test_the_countdown_follows_each_profile(profile, minutes, after_close, qtbot):
    bar, clock, _ = header_over(room_view(profile, minutes, START - 3600), qtbot)
    for at, text in after_close:
        assert walk(bar, clock, START + at) == text, at


def test_after_the_end_the_countdown_waits_for_the_last_extra_time(qtbot):  # R11 at each candidate's end
    package = make_package(sittings=(("科目", START, 120),))
    room = RoomState(package, load_policy("national-accounting"))
    next(iter(room.sittings[0].candidates.values())).extra_min = 10
    view = RoomView()
    view.apply_message(snapshot_of(room, START))
    bar, clock, _ = header_over(view, qtbot)
    assert walk(bar, clock, START + 7199) == "Ends in 00:01"
    assert walk(bar, clock, START + 7200) == "Extra time ends in 10:00"
    assert walk(bar, clock, START + 7800) == ""


def test_the_countdown_runs_on_the_exam_clock_and_turns_amber_when_close(qtbot):
    bar, clock, mono = header_over(room_view("national-accounting", 150, START + 1200), qtbot)
    bar.tick()
    assert bar.countdown.text() == "Sign-in closes in 10:00"
    assert bar.countdown.property("soon") == ""
    mono.t += 301  # five minutes and a second later, by the monotonic clock
    bar.tick()
    assert bar.countdown.text() == "Sign-in closes in 04:59"
    assert bar.countdown.property("soon") == "soon"


def test_every_deadline_is_listed_with_its_time_and_rule(qtbot):
    view = room_view("economics-2021", 90, START + 600)
    bar, _, _ = header_over(view, qtbot)
    bar.tick()
    tip = bar.countdown.toolTip()
    for d in view.header["sittings"][0]["deadlines"]:
        assert clock_hm(d["at"]) in tip
    for text in ("Login opens (R05)", "Sign-in closes (R07)", "Submission opens (R09/R13)", "End (R11)"):
        assert text in tip
    assert "Remind candidates: 15 minutes left (R12)" in tip
    assert "font-weight:bold" in tip.split("Sign-in closes")[0].rsplit("<tr", 1)[1]  # the next one stands out


def test_a_header_without_deadlines_shows_no_countdown(qtbot):
    view = RoomView()
    bar, _, _ = header_over(view, qtbot)
    bar.fallback = {"exam": "考试", "room": "第01考场"}
    bar.refresh()
    assert bar.countdown.text() == "" and bar.countdown.toolTip() == ""


# -- the counts ----------------------------------------------------------------------------------


@pytest.fixture
def window(room_view, qtbot):
    w = MainWindow(room_view)
    qtbot.addWidget(w)
    return w


def number(bar: HeaderBar, key: str) -> str:
    return bar.chips[key].number.text()


def test_counts_follow_the_room_and_side_counts_show_when_there_are_any(window, feed, qtbot):
    bar = window.header_bar
    assert not any(side.isVisibleTo(bar) for side in bar.side.values())
    assert bar.chips["not_logged_in"].isVisibleTo(bar) and not bar.chips["absent"].isVisibleTo(bar)
    assert number(bar, "not_logged_in") == "2"
    feed(candidates=[candidate_row(1, state="reset"), candidate_row(3, flags=["away"])])
    qtbot.waitUntil(lambda: bar.side["reset"].isVisibleTo(bar))
    assert bar.side["reset"].text() == "Reset 1" and bar.side["away"].text() == "Away 1"
    assert not bar.side["violation"].isVisibleTo(bar)
    assert number(bar, "answering") == "37"
    feed(candidates=[candidate_row(1, state="answering"), candidate_row(3)])
    qtbot.waitUntil(lambda: not bar.side["reset"].isVisibleTo(bar))


def test_more_side_counts_than_fit_go_in_a_menu(window, feed, qtbot):
    bar = window.header_bar
    window.resize(1024, 768)
    rows = [candidate_row(i) for i in range(1, 7)]
    for row, count in zip(rows, SIDE_COUNTS, strict=True):
        what, _, value = count.filter.partition(":")
        row.update({"state": value} if what == "state" else {"flags": [value]})
    feed(candidates=rows)
    qtbot.waitUntil(lambda: bar.more.isVisibleTo(bar))
    shown = [k for k, side in bar.side.items() if side.isVisibleTo(bar)]
    assert shown == ["violation", "away", "reset"]  # what needs a proctor first
    assert bar.more.text() == "3 more"
    with qtbot.waitSignal(bar.countClicked) as clicked:
        bar.more.menu().actions()[-1].trigger()
    assert clicked.args == ["state:gave_up"]


def test_present_and_absent_once_sign_in_closes(window, room_view):
    bar = window.header_bar
    assert bar.chips["logged_in"].title.text() == "Logged in"
    room_view.apply_message(make_snapshot(phase="sign_in_closed", seq=77))
    assert bar.chips["logged_in"].title.text() == "Present"
    assert bar.chips["absent"].isVisibleTo(bar) and not bar.chips["not_logged_in"].isVisibleTo(bar)
    assert number(bar, "absent") == "2" and number(bar, "logged_in") == "38"


@pytest.mark.parametrize("count", MAIN_COUNTS, ids=lambda c: c.key)
def test_clicking_a_count_asks_for_its_candidates(count, window, room_view, qtbot):
    bar = window.header_bar
    if count.key == "absent":
        room_view.apply_message(make_snapshot(phase="sign_in_closed", seq=77))
    with qtbot.waitExposed(window):
        window.show()
    with qtbot.waitSignal(bar.countClicked) as clicked:
        qtbot.mouseClick(bar.chips[count.key], Qt.MouseButton.LeftButton)
    assert clicked.args == [count.filter]
    assert count.filter in ("", "present") or count.filter.split(":")[0] in ("state", "flag")


def test_clicking_a_side_count_asks_for_its_candidates(window, feed, qtbot):
    bar = window.header_bar
    feed(candidates=[candidate_row(4, flags=["violation"])])
    with qtbot.waitExposed(window):
        window.show()
    qtbot.waitUntil(lambda: bar.side["violation"].isVisible())
    with qtbot.waitSignal(bar.countClicked) as clicked:
        qtbot.mouseClick(bar.side["violation"], Qt.MouseButton.LeftButton)
    assert clicked.args == ["flag:violation"]


def test_the_main_counts_stay_in_place(window, feed, qtbot):
    bar = window.header_bar
    window.resize(1024, 768)
    with qtbot.waitExposed(window):
        window.show()

    def places() -> list[tuple[int, int, int]]:
        return [(c.mapTo(bar, QPoint(0, 0)).x(), c.width(), bar.height()) for c in bar.chips.values() if c.isVisible()]

    before = places()
    feed(candidates=[candidate_row(i, state="submitted") for i in range(12)] + [candidate_row(20, state="reset")])
    qtbot.waitUntil(lambda: number(bar, "submitted") == "12")
    qtbot.waitUntil(lambda: bar.side["reset"].isVisible())
    assert places() == before


# -- the policy profile --------------------------------------------------------------------------


def test_the_profile_is_one_click_away_and_lists_what_took_the_default(qtbot):
    view = room_view("beijing-accounting", 150, START)
    bar, _, _ = header_over(view, qtbot)
    assert bar.policy_button.text() == "Policy profile: 北京市会计从业资格无纸化考试"
    bar.policy_button.click()
    dialog = bar.findChild(ProfileDialog)
    assert dialog is not None and dialog.isVisible()  # open(), not exec(): the click returned
    assert dialog.table.rowCount() == len(MEANINGS)
    defaulted = dialog.defaulted_names()
    assert MEANINGS["sign_in_closes_after_start_min"].en in defaulted
    assert len(defaulted) == len(view.header["policy"]["defaulted"])
    assert "Default: the profile is silent" in [dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount())]
    dialog.close()


def test_the_profile_dialog_quotes_the_profile_in_chinese(chinese, qtbot):
    header = room_view("economics-2021", 90, START).header
    dialog = ProfileDialog(header)
    qtbot.addWidget(dialog)
    rows = {
        dialog.table.item(r, 0).text(): [dialog.table.item(r, c).text() for c in range(1, 4)]
        for r in range(dialog.table.rowCount())
    }
    assert rows["结束前最早交卷（分钟）"] == [
        "15",
        "R09/R13",
        "004 三(一)2: 初中级考试各科目考试时长为1.5小时，每科目可提前15分钟交卷",
    ]
    assert rows["开考后最早交卷（分钟）"] == ["—", "R08", "本规则不适用此项"]
    assert rows["开考后停止登录（分钟）"] == ["30", "R07", "默认：本规则未作规定"]
    assert dialog.name.text() == "适用规则：经济专业技术资格考试（初级、中级）"


def test_without_a_profile_name_there_is_nothing_to_open(qtbot):
    view = RoomView()
    bar, _, _ = header_over(view, qtbot)
    bar.fallback = {"exam": "考试", "policy": {"id": "x", "name": "", "defaulted": []}}
    bar.refresh()
    assert not bar.policy_button.isEnabled()


# -- whole at 1024 px and 1920 px ----------------------------------------------------------------


def every_side_count(snapshot: dict[str, Any]) -> dict[str, Any]:
    snap = copy.deepcopy(snapshot)
    rows = snap["room"]["candidates"]
    for row, count in zip(rows[1:], SIDE_COUNTS, strict=False):
        what, _, value = count.filter.partition(":")
        row.update({"state": value} if what == "state" else {"flags": [value]})
    return snap


def cut(bar: HeaderBar) -> list[str]:
    """Every visible text of the header that does not fit its widget."""
    out = []
    for label in bar.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        if isinstance(label, ElidedLabel) and label.text() != label.full:
            out.append(f"{label.objectName()}: {label.full!r} shown as {label.text()!r}")
        elif label.fontMetrics().horizontalAdvance(label.text()) > label.contentsRect().width():
            out.append(f"{label.objectName()}: {label.text()!r} is wider than {label.contentsRect().width()} px")
    for button in bar.findChildren(QToolButton):
        if button.isVisible() and button.sizeHint().width() > button.width():
            out.append(f"{button.objectName()}: {button.text()!r} needs {button.sizeHint().width()} px")
    return out


@pytest.mark.parametrize("phase", ["scheduled", "started", "sign_in_closed"])
@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)], ids=["1024", "1920"])
def test_every_text_in_the_header_is_whole(phase, size, chinese, qtbot, tmp_path):
    view = RoomView()
    view.apply_message(every_side_count(make_snapshot(phase=phase)))
    view.set_connected(True)
    window = MainWindow(view)
    qtbot.addWidget(window)
    window.resize(*size)
    with qtbot.waitExposed(window):
        window.show()
    bar = window.header_bar
    qtbot.waitUntil(lambda: bar.width() == size[0])
    bar.tick()
    assert window.width() == size[0]  # the header did not force the window wider
    assert bar.countdown.text() and bar.side["violation"].isVisible()
    assert cut(bar) == []
    window.grab().save(str(tmp_path / f"header-{phase}-{size[0]}.png"))


def test_in_english_too_the_header_does_not_force_the_window_wider(window, room_view, qtbot):
    room_view.apply_message(every_side_count(make_snapshot(seq=99)))
    window.resize(1024, 768)
    with qtbot.waitExposed(window):
        window.show()
    assert window.header_bar.minimumSizeHint().width() <= 1024
    assert window.width() == 1024
