"""The main window follows the room: counts, clock, connection banner, filters, and it fits 1024×768."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from proctor.link.console_client import RoomView
from tests.ui.conftest import NOW, START, candidate_row, make_snapshot, ticket
from ui import ask
from ui.exam_clock import ExamClock, duration_text, next_milestone
from ui.main_window import MainWindow


@pytest.fixture
def window(room_view, qtbot):
    w = MainWindow(room_view)
    qtbot.addWidget(w)
    return w


def chip(w: MainWindow, key: str) -> str:
    return w.header_bar.chips[key].number.text()


def test_header_shows_the_exam_room_and_package_code(window):
    hb = window.header_bar
    assert hb.title.full == "2027年度全国会计专业技术资格考试 · 初级"
    assert "第01考场" in hb.place.text() and "温州市第一考点" in hb.place.text()
    assert hb.short_code.text() == "C77A-72F0-E1FD-CA3D"
    assert "初级会计实务" in hb.sitting.text()


def test_header_counts_follow_a_changed_message(window, feed, qtbot):
    assert [
        chip(window, k) for k in ("expected_total", "logged_in", "answering", "submitted", "absent", "offline")
    ] == [
        "40",
        "38",
        "38",
        "0",
        "0",
        "1",
    ]
    feed(candidates=[candidate_row(3, state="submitted", submitted_at=NOW)])
    qtbot.waitUntil(lambda: chip(window, "submitted") == "1")
    assert chip(window, "answering") == "37"


def test_a_dropped_machine_counts_as_offline_at_once(window, feed, qtbot):
    # The service sends the machine's tile and its candidate's row in one message.
    feed(
        machines=[{"id": "C04", "online": False, "ticket": ticket(19)}],
        candidates=[candidate_row(19, flags=["offline"])],
    )
    qtbot.waitUntil(lambda: chip(window, "offline") == "2")
    assert window.header_bar.chips["offline"].property("alert") == "alert"


def test_losing_the_service_shows_the_red_banner(window, room_view, qtbot):
    with qtbot.waitExposed(window):
        window.show()
    assert window.banner.isHidden()
    room_view.set_connected(False)
    qtbot.waitUntil(window.banner.isVisible)
    assert window.banner.text() == "Connection to the room service lost, reconnecting…"
    assert window.banner.property("level") == "alert"
    assert window.link_label.text() == "● Not connected"
    room_view.set_connected(True)
    qtbot.waitUntil(window.banner.isHidden)
    assert window.link_label.text() == "● Connected"


def test_before_the_first_connection_the_banner_says_connecting(qtbot):
    w = MainWindow(RoomView(), package_header={"exam": "考试", "room": "第01考场", "short_code": "AAAA-BBBB-CCCC-DDDD"})
    qtbot.addWidget(w)
    with qtbot.waitExposed(w):
        w.show()
    assert w.banner.isVisible() and w.banner.property("level") == "wait"
    assert w.header_bar.short_code.text() == "AAAA-BBBB-CCCC-DDDD"  # from the package until the service speaks


def test_a_different_package_at_the_service_is_flagged(room_view, qtbot):
    w = MainWindow(room_view, expected_fingerprint="f" * 64)
    qtbot.addWidget(w)
    assert not w.mismatch.isHidden()
    assert "C77A-72F0-E1FD-CA3D" in w.mismatch.text()


def test_search_box_filters_the_table(window, qtbot):
    qtbot.keyClicks(window.search, "273303001005")  # QTest types ASCII only
    assert window.proxy.rowCount() == 1
    assert "1 of 40" in window.shown.text()
    window.search.setText("阿依古丽")
    assert window.proxy.rowCount() == 1
    window.search.clear()
    window.kind.setCurrentIndex(window.kind.findData("state:expected"))
    assert window.proxy.rowCount() == 2


def test_the_filter_offers_every_state_and_flag_with_its_icon(window):
    from proctor.domain.room import Flag, State

    for what, members in (("state", State), ("flag", Flag)):
        for m in members:
            i = window.kind.findData(f"{what}:{m.value}")
            assert i >= 0 and not window.kind.itemIcon(i).isNull(), m
    window.kind.setCurrentIndex(window.kind.findData("flag:alert"))
    assert window.proxy.rowCount() == 1  # candidate 9, whose machine dropped


def test_clicking_a_tile_selects_the_candidate_even_when_filtered_out(window, qtbot):
    window.search.setText("张伟")
    window.seat_view.machineClicked.emit("D05")
    assert window.search.text() == ""
    selected = window.table.selectionModel().selectedRows()
    assert selected and selected[0].data(Qt.ItemDataRole.DisplayRole) == "D05"


def test_renders_at_the_minimum_screen_size(window, qtbot):
    window.resize(1024, 768)
    with qtbot.waitExposed(window):
        window.show()
    pixmap = window.grab()
    assert not pixmap.isNull() and pixmap.width() == 1024
    # Every tile is readable without scrolling: at least the minimum tile height.
    assert window.seat_view.rowHeight(0) >= window.seat_view.min_tile_height()
    assert window.seat_view.columnWidth(0) >= window.seat_view.MIN_W
    assert window.header_bar.chips["offline"].isVisible()
    assert window.header_bar.chips["alerts"].isVisible()
    # A long exam name gives way in the middle; the level at its end stays readable.
    assert window.header_bar.title.text().endswith("初级")
    assert window.alert_panel.isVisible() and window.alert_panel.table.columnWidth(0) > 0


def test_a_new_phase_arrives_as_a_snapshot_and_shows_at_once(window, room_view):
    room_view.apply_message(make_snapshot(phase="sign_in_closed", seq=77))
    assert "sign-in closed" in window.header_bar.phase.text()
    # A 2-hour accounting sitting has no early submission (R08): next comes the reminder (R12).
    assert window.header_bar.countdown.text().startswith("15-minute reminder in")


def test_closing_during_the_exam_asks_through_the_seam(window, monkeypatch, qtbot):
    asked = []
    monkeypatch.setattr(ask, "confirm", lambda parent, title, text, on_answer: asked.append(on_answer))
    window.confirm_on_close = True
    with qtbot.waitExposed(window):
        window.show()
    window.close()
    assert window.isVisible() and len(asked) == 1
    asked[0](True)
    assert not window.isVisible()


def test_the_exam_clock_runs_from_the_snapshot_at_its_scale():
    t = [100.0]
    clock = ExamClock(monotonic=lambda: t[0])
    assert clock.now() is None
    clock.sync(START, scale=20)
    t[0] += 3
    assert clock.now() == START + 60


def test_the_next_milestone_follows_the_phase():
    sitting = {"start": START, "end": START + 7200, "sign_in_closes": START + 1800, "phase": "scheduled"}
    assert next_milestone(sitting, START - 90) == ("start", 90)
    assert next_milestone({**sitting, "phase": "started"}, START + 600) == ("sign_in_close", 1200)
    assert next_milestone({**sitting, "phase": "sign_in_closed"}, START + 7300) == ("end", 0)  # never negative
    assert next_milestone({**sitting, "phase": "ended"}, START) is None
    assert duration_text(1200) == "20:00" and duration_text(3725) == "1:02:05"


def test_the_ask_seam_opens_without_blocking_and_reports_yes(window, qtbot):
    from PySide6.QtWidgets import QMessageBox

    answers = []
    box = ask.confirm(window, "标题", "确定？", answers.append)
    qtbot.waitUntil(box.isVisible)
    assert answers == []  # open() returned at once; nothing was answered yet
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: answers == [True])


def test_the_ask_seam_treats_closing_as_no(window, qtbot):
    answers = []
    box = ask.confirm(window, "标题", "确定？", answers.append)
    qtbot.waitUntil(box.isVisible)
    box.reject()
    qtbot.waitUntil(lambda: answers == [False])


def test_a_count_in_the_header_lists_the_candidates_it_counts(window, qtbot):
    from PySide6.QtCore import Qt

    window.resize(1024, 768)
    with qtbot.waitExposed(window):
        window.show()
    chip = window.header_bar.chips["logged_in"]
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.candidates_dock.isVisible)
    present = sum(1 for c in window.view.candidates.values() if c.get("logged_in_at") is not None)
    assert window.proxy.rowCount() == present == int(chip.number.text())
    qtbot.mouseClick(window.header_bar.chips["offline"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)  # candidate 9's machine dropped


def test_switching_the_language_rebuilds_the_window_over_the_same_room(room_view, qapp, qtbot):
    from PySide6.QtCore import QLocale

    from ui.app import switch_language
    from ui.i18n import install_translators, remove_translators

    translators = install_translators(qapp, "zh")
    try:
        zh = MainWindow(room_view)
        qtbot.addWidget(zh)
        with qtbot.waitExposed(zh):
            zh.show()
        assert zh.menuBar().actions()[0].text() == "考场(&R)"
        assert "作答中" in zh.seat_model.index(0, 0).data()
        with qtbot.waitSignal(zh.languageRequested) as asked:
            zh.findChild(QAction, "language_en").trigger()
        assert asked.args == ["en"]
        en, translators = switch_language(qapp, zh, "en", translators)
        qtbot.addWidget(en)
        assert QLocale().language() == QLocale.Language.English
        assert en.menuBar().actions()[0].text() == "&Room"
        assert "Answering" in en.seat_model.index(0, 0).data()
        assert en.view is room_view and en.seat_model.rowCount() == zh.seat_model.rowCount()
        qtbot.waitUntil(lambda: not zh.isVisible())
    finally:
        remove_translators(qapp, translators)
        QLocale.setDefault(QLocale.c())  # as the suite runs: the English source strings


@pytest.mark.parametrize(
    "machines, size, beside",
    [(48, (1920, 1080), True), (48, (1024, 768), False), (137, (1024, 768), False)],  # 8 or 10 columns
)
def test_a_click_on_a_tile_opens_the_candidate_panel_and_esc_closes_it(room_view, qtbot, machines, size, beside):
    from tests.ui.test_room_fits import big_room

    window = MainWindow(room_view if machines == 48 else big_room(machines))
    qtbot.addWidget(window)
    window.resize(*size)
    with qtbot.waitExposed(window):
        window.show()
    sv = window.seat_view
    rect = sv.visualRect(window.seat_model.index_of("A03"))
    qtbot.mouseClick(sv.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(window.panel_dock.isVisible)
    assert window.panel.ticket == window.seat_model.tile("A03").candidate["ticket"]
    assert window.panel_dock.isFloating() is not beside
    # Beside or over it, the map keeps every tile (nothing scrolls) and the header the window's width.
    assert not sv.horizontalScrollBar().isVisible() and not sv.verticalScrollBar().isVisible()
    assert beside or window.header_bar.width() >= size[0] - 4
    # The open panel follows the list.
    assert window.table.select_ticket(window.seat_model.tile("A05").candidate["ticket"])
    qtbot.waitUntil(lambda: window.panel.ticket == window.seat_model.tile("A05").candidate["ticket"])
    qtbot.keyClick(window.panel, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.panel_dock.isVisible())
