"""The candidate table: every field a proctor sees per candidate, repainting exactly what changed
(the time left ticks in its own column); search and filters find people; the pane selects,
clears a hiding filter, and shows a revealed ID number for a while, asked of a real room service."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from proctor.domain.events import IdNumberRevealed
from proctor.link.console_client import RoomView
from tests.ui.conftest import candidate_row, make_snapshot, ticket
from tests.waiting import until
from ui import ask
from ui.candidate_table import (
    COLUMNS,
    REVEAL_S,
    CandidateFilter,
    CandidatesPane,
    CandidateTableModel,
    CandidateTableView,
    clock_text,
    connect_reveal,
)
from ui.exam_clock import ExamClock
from ui.room_bridge import RoomBridge

DISPLAY = Qt.ItemDataRole.DisplayRole


class FakeMonotonic:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def stopped_clock(view) -> tuple[ExamClock, FakeMonotonic]:
    """The exam clock at the snapshot's `now`, moving only when the test moves it."""
    mono = FakeMonotonic()
    clock = ExamClock(mono)
    clock.sync_header(view.header)
    return clock, mono


def table_for(view, clock: ExamClock | None = None):
    bridge = RoomBridge(view)
    model = CandidateTableModel(view, bridge, clock=clock or stopped_clock(view)[0])
    model._bridge = bridge
    proxy = CandidateFilter()
    proxy.setSourceModel(model)
    return model, proxy


def _view(snapshot) -> RoomView:
    view = RoomView()
    view.apply_message(snapshot)
    return view


def cell(model, row: int, key: str):
    return model.index(row, COLUMNS.index(key)).data(DISPLAY)


def shown_tickets(proxy) -> list[str]:
    return [proxy.index(r, COLUMNS.index("ticket")).data(DISPLAY) for r in range(proxy.rowCount())]


def test_models_pass_the_model_tester(qtbot, room_view, qtmodeltester):
    model, proxy = table_for(room_view)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    assert model.rowCount() == 40 and model.columnCount() == len(COLUMNS) == 13


def test_a_row_reads_like_the_roster(qtbot, room_view):
    model, _ = table_for(room_view)
    assert cell(model, 2, "ticket") == "273303001003"
    assert cell(model, 2, "name") == "林𠮷祥"  # outside the BMP, intact
    assert cell(model, 2, "machine") == "A03" and cell(model, 2, "seat") == "A03"
    assert cell(model, 2, "state") == "Answering"
    assert cell(model, 5, "machine") == "---"  # not logged in yet
    assert cell(model, 5, "logged_in_at") == "" and cell(model, 5, "remaining") == ""
    assert cell(model, 9, "flags") == "Alert、Offline"  # the dropped machine raised an alert: first
    assert cell(model, 9, "state") == "Answering"
    # Shapes beside the words: a glyph per flag, one for the state.
    flags_icon = model.index(9, COLUMNS.index("flags")).data(Qt.ItemDataRole.DecorationRole)
    assert flags_icon.width() > 2 * 14 - 1
    assert not model.index(9, COLUMNS.index("state")).data(Qt.ItemDataRole.DecorationRole).isNull()
    assert model.index(8, COLUMNS.index("flags")).data(Qt.ItemDataRole.DecorationRole) is None
    assert model.index(9, COLUMNS.index("flags")).data(Qt.ItemDataRole.ToolTipRole) == "Alert、Offline"  # unelided
    # The ID number masked but for its last four.
    row2 = room_view.candidates[ticket(2)]
    assert cell(model, 2, "id_masked") == row2["id_masked"] and row2["id_masked"].count("*") == 8
    # Ten minutes into a two-hour sitting; 2 questions answered in 2 saves; the machine's last save.
    assert cell(model, 2, "remaining") == "1:50:00"
    assert cell(model, 2, "answered") == "2 questions"
    assert model.index(2, COLUMNS.index("answered")).data(Qt.ItemDataRole.ToolTipRole) == "Saved 2 times"
    assert cell(model, 0, "answered") == ""  # no save yet: nothing reported
    assert row2["last_contact"] is not None and cell(model, 2, "last_contact") == clock_text(row2["last_contact"])
    assert cell(model, 2, "extra_min") == ""
    assert cell(model, 2, "gender") == "F"
    # No column shows a bare save count.
    assert "last_seq" not in COLUMNS


def test_extra_time_shows_and_moves_the_end(qtbot, room_view, feed):
    model, _ = table_for(room_view)
    row = candidate_row(12)
    feed(candidates=[{**row, "extra_min": 10, "end": row["end"] + 600, "flags": ["extra_time"]}])
    assert cell(model, 12, "extra_min") == "+10 min"
    assert cell(model, 12, "remaining") == "2:00:00"


def test_one_candidate_changing_repaints_exactly_their_row(qtbot, room_view, feed, recorder):
    model, _ = table_for(room_view)
    rec = recorder(model)
    with qtbot.waitSignal(model.dataChanged):
        feed(candidates=[candidate_row(12, last_seq=40, answered=38)])
    assert rec.rows() == {12}
    assert rec.cells() == {(12, c) for c in range(len(COLUMNS))}
    assert cell(model, 12, "answered") == "38 questions"


def test_the_time_left_ticks_in_its_own_column_without_a_reset(qtbot, room_view, recorder):
    clock, mono = stopped_clock(room_view)
    model, proxy = table_for(room_view, clock)
    table = CandidateTableView()
    qtbot.addWidget(table)
    table.setModel(proxy)
    rec = recorder(model)
    assert cell(model, 2, "remaining") == "1:50:00"
    mono.t += 5
    with qtbot.waitSignal(model.dataChanged, timeout=3000):
        pass
    col = COLUMNS.index("remaining")
    assert rec.resets == 0 and rec.changed
    assert {c for (_, c) in rec.cells()} == {col}  # that column, nothing else
    assert rec.changed[0] == ((0, col), (39, col))
    assert cell(model, 2, "remaining") == "1:49:55"
    assert cell(model, 5, "remaining") == ""  # not logged in: no time running
    # Sorted by time left, the order follows the clock (the extra time of one candidate shows).
    table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, col).data(DISPLAY) == "1:49:55"


def test_time_runs_for_a_reset_candidate_and_a_whole_sitting_waits_before_the_start(qtbot, room_view, feed):
    model, _ = table_for(room_view)
    feed(candidates=[candidate_row(12, state="reset"), candidate_row(13, state="submitted")])
    assert cell(model, 12, "remaining") == "1:50:00"  # between machines, their time goes on
    assert cell(model, 13, "remaining") == ""
    early, _ = table_for(_view(make_snapshot(phase="scheduled")))
    assert cell(early, 2, "state") == "Logged in" and cell(early, 2, "remaining") == "2:00:00"


def test_the_time_left_turns_amber_in_the_last_quarter_hour(qtbot, room_view):
    clock, mono = stopped_clock(room_view)
    model, _ = table_for(room_view, clock)
    ix = model.index(2, COLUMNS.index("remaining"))
    assert ix.data(Qt.ItemDataRole.ForegroundRole) is None
    mono.t += 6600 - 15 * 60
    assert ix.data(DISPLAY) == "15:00" and ix.data(Qt.ItemDataRole.ForegroundRole) is not None
    mono.t += 10_000
    assert ix.data(DISPLAY) == "00:00"  # never negative


def test_a_machine_dropping_repaints_its_candidates_row(qtbot, room_view, feed, recorder):
    model, _ = table_for(room_view)
    rec = recorder(model)
    feed(
        machines=[{"id": "C04", "online": False, "ticket": ticket(19)}],
        candidates=[candidate_row(19, flags=["offline"])],
    )
    assert rec.rows() == {19}
    assert "Offline" in cell(model, 19, "flags")


def test_a_whole_snapshot_resets_the_table(qtbot, room_view, recorder):
    model, _ = table_for(room_view)
    rec = recorder(model)
    with qtbot.waitSignal(model.modelReset):
        room_view.apply_message(make_snapshot(candidates=38, phase="sign_in_closed", seq=99))
    assert rec.resets == 1 and rec.changed == []
    assert model.rowCount() == 38


def test_a_candidate_new_to_the_room_is_inserted(qtbot, room_view, feed):
    model, _ = table_for(room_view)
    with qtbot.waitSignal(model.rowsInserted):
        feed(candidates=[candidate_row(44)])
    assert model.rowCount() == 41


def test_search_finds_by_name_ticket_machine_and_id_tail(qtbot, room_view):
    _, proxy = table_for(room_view)
    proxy.set_text("𠮷")
    assert shown_tickets(proxy) == [ticket(2)]
    proxy.set_text("273303001039")
    assert shown_tickets(proxy) == [ticket(38)]
    proxy.set_text("c04")  # machine ids are matched regardless of case
    assert shown_tickets(proxy) == [ticket(19)]
    tail = room_view.candidates[ticket(23)]["id_masked"][-4:]
    proxy.set_text(tail.lower())  # an X typed small
    assert ticket(23) in shown_tickets(proxy)
    assert all(room_view.candidates[t]["id_masked"].endswith(tail) for t in shown_tickets(proxy))
    proxy.set_text(room_view.candidates[ticket(23)]["id_masked"][:6])  # the region is not a search key
    assert ticket(23) not in shown_tickets(proxy)
    proxy.set_text("")
    assert proxy.rowCount() == 40


def test_state_flag_and_needs_attention_filters(qtbot, room_view, feed):
    _, proxy = table_for(room_view)
    proxy.set_kind("state:expected")
    assert sorted(shown_tickets(proxy)) == [ticket(5), ticket(17)]
    proxy.set_kind("flag:offline")
    assert shown_tickets(proxy) == [ticket(9)]
    proxy.set_kind("attention")
    assert shown_tickets(proxy) == [ticket(9)]  # the open alert of the dropped machine
    feed(
        machines=[{"id": "C04", "online": False, "ticket": ticket(19)}],
        candidates=[
            candidate_row(19, flags=["offline"]),
            candidate_row(20, flags=["id_checked", "extra_time"]),  # facts, not calls to act
            candidate_row(21, flags=["wrong_seat"]),
        ],
    )
    assert shown_tickets(proxy) == [ticket(9), ticket(19), ticket(21)]  # the filter follows the room
    proxy.set_kind("flag:offline")
    assert proxy.rowCount() == 2
    proxy.set_kind("")
    assert proxy.rowCount() == 40


def test_sorting_by_answered_uses_numbers(qtbot, room_view):
    model, proxy = table_for(room_view)
    table = CandidateTableView()
    qtbot.addWidget(table)
    table.setModel(proxy)
    table.sortByColumn(COLUMNS.index("answered"), Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, COLUMNS.index("answered")).data(DISPLAY) == "6 questions"


def test_selecting_a_ticket_scrolls_to_its_row(qtbot, room_view):
    model, proxy = table_for(room_view)
    table = CandidateTableView()
    qtbot.addWidget(table)
    table.setModel(proxy)
    assert table.select_ticket(ticket(33))
    assert table.selectionModel().selectedRows()[0].row() == 33
    proxy.set_text("张伟")
    assert not table.select_ticket(ticket(33))  # filtered out


# -- the pane -------------------------------------------------------------------------------------


def pane_for(view, qtbot, clock: ExamClock | None = None) -> CandidatesPane:
    bridge = RoomBridge(view)
    pane = CandidatesPane(view, bridge, clock=clock or stopped_clock(view)[0])
    pane._bridge = bridge
    qtbot.addWidget(pane)
    pane.resize(1000, 500)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def test_the_pane_filters_counts_and_selects_through_a_hiding_filter(qtbot, room_view):
    pane = pane_for(room_view, qtbot)
    assert pane.shown.text() == "40 of 40 shown"
    pane.kind.setCurrentIndex(pane.kind.findData("attention"))
    assert pane.proxy.rowCount() == 1 and pane.shown.text() == "1 of 40 shown"
    pane.kind.setCurrentIndex(pane.kind.findData("state:expected"))
    assert pane.shown.text() == "2 of 40 shown"
    pane.search.setText("张伟")
    assert pane.shown.text() == "0 of 40 shown"
    with qtbot.waitSignal(pane.ticketSelected) as selected:
        assert pane.select_ticket(ticket(33))  # hidden: the filters give way
    assert selected.args == [ticket(33)]
    assert pane.search.text() == "" and pane.kind.currentData() == ""
    assert pane.selected_ticket() == ticket(33) and pane.shown.text() == "40 of 40 shown"
    assert not pane.select_ticket("000000000000")  # not in this room


def test_in_the_pane_the_time_left_repaints_only_its_cells_on_screen(qtbot, room_view, recorder):
    clock, mono = stopped_clock(room_view)
    pane = pane_for(room_view, qtbot, clock)
    pane.resize(1000, 300)  # a dozen rows on screen
    qtbot.waitUntil(lambda: 0 < len(pane._rows_on_screen()) < 20)
    rec = recorder(pane.model)
    mono.t += 3
    with qtbot.waitSignal(pane.model.dataChanged, timeout=3000):
        pass
    col = COLUMNS.index("remaining")
    assert rec.resets == 0
    assert all(tl == br and tl[1] == col for tl, br in rec.changed)  # one cell each, that column
    assert rec.rows() == set(pane._rows_on_screen())
    assert pane.proxy.index(2, col).data(DISPLAY) == "1:49:57"
    pane.hide()  # another tab in front: nothing to repaint
    with qtbot.assertNotEmitted(pane.model.dataChanged, wait=1500):
        mono.t += 3


def test_a_whole_snapshot_keeps_the_selected_candidate(qtbot, room_view):
    pane = pane_for(room_view, qtbot)
    assert pane.select_ticket(ticket(30))
    with qtbot.waitSignal(pane.proxy.modelReset):
        room_view.apply_message(make_snapshot(phase="sign_in_closed", seq=99))
    assert pane.selected_ticket() == ticket(30) and pane.reveal_action.isEnabled()


def test_keyboard_ctrl_f_finds_esc_clears_enter_goes_to_the_first_row(qtbot, room_view):
    pane = pane_for(room_view, qtbot)
    pane.table.setFocus()
    qtbot.waitUntil(pane.table.hasFocus)
    qtbot.keyClick(pane.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(pane.search.hasFocus)
    qtbot.keyClicks(pane.search, "C04")
    assert pane.proxy.rowCount() == 1
    qtbot.keyClick(pane.search, Qt.Key.Key_Escape)
    assert pane.search.text() == "" and pane.proxy.rowCount() == 40
    qtbot.keyClicks(pane.search, "C04")
    qtbot.keyClick(pane.search, Qt.Key.Key_Return)
    qtbot.waitUntil(pane.table.hasFocus)
    assert pane.selected_ticket() == ticket(19)


@pytest.mark.qt_log_ignore(
    "does not support raise", "does not support grabbing", "propagateSizeHints"
)  # the offscreen platform's popup
def test_reveal_from_the_menu_or_ctrl_i_asks_for_the_selected_row(qtbot, room_view):
    pane = pane_for(room_view, qtbot)
    assert not pane.reveal_action.isEnabled()  # nobody selected
    assert pane.reveal_action.shortcut() == QKeySequence("Ctrl+I")
    menu = pane.context_menu()
    assert pane.reveal_action in menu.actions()
    assert pane.reveal_action.text() == "Show whole ID number"
    menu.deleteLater()
    # The context menu selects the row under the pointer.
    rect = pane.table.visualRect(pane.proxy.index(4, 0))
    pane.table.customContextMenuRequested.emit(rect.center())
    qtbot.waitUntil(lambda: pane.selected_ticket() == ticket(4))
    popup = QApplication.activePopupWidget()
    if popup is not None:
        popup.close()
    assert pane.reveal_action.isEnabled()
    pane.activateWindow()
    qtbot.waitUntil(pane.isActiveWindow)
    pane.table.setFocus()
    with qtbot.waitSignal(pane.revealRequested) as asked:
        qtbot.keyClick(pane.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert asked.args == [ticket(4)]


def test_a_revealed_number_shows_for_a_while_then_is_masked_again(qtbot, room_view, recorder):
    pane = pane_for(room_view, qtbot)
    masked = room_view.candidates[ticket(7)]["id_masked"]
    rec = recorder(pane.model)
    pane.show_revealed(ticket(7), "330302199001080079", seconds=0.3)
    ix = pane.model.index(7, COLUMNS.index("id_masked"))
    assert ix.data(DISPLAY) == "330302199001080079"
    assert ix.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "recorded" in ix.data(Qt.ItemDataRole.ToolTipRole)
    assert ((7, COLUMNS.index("id_masked")), (7, COLUMNS.index("id_masked"))) in rec.changed
    qtbot.waitUntil(lambda: ix.data(DISPLAY) == masked, timeout=3000)
    assert ix.data(Qt.ItemDataRole.DecorationRole) is None
    assert REVEAL_S == 60


def test_revealing_over_a_real_room_service_is_logged(live_room, monkeypatch):
    live, package = live_room, live_room.package
    told: list[str] = []
    monkeypatch.setattr(ask, "inform", lambda parent, title, text: told.append(text))
    bridge = RoomBridge(live.view)
    pane = CandidatesPane(live.view, bridge, clock=live.window.clock)
    pane._bridge = bridge
    live.window.close()  # this pane alone shows the room here
    connect_reveal(pane, live.client, pane)
    c = package.candidates[3]

    async def scenario() -> None:
        live.start()
        await until(lambda: pane.model.rowCount() == 12, "the snapshot")
        ix = pane.model.index(pane.model.row_of(c.ticket), COLUMNS.index("id_masked"))
        assert ix.data(DISPLAY) != c.id_number and ix.data(DISPLAY).endswith(c.id_number[-4:])

        assert pane.select_ticket(c.ticket)
        pane.reveal_action.trigger()  # nobody signed in yet: refused, in words
        await until(lambda: told, "the refusal")
        assert "sign in" in told[0].lower() and ix.data(DISPLAY) != c.id_number

        await live.client.sign_in(["林𠮷祥", "王芳"])
        pane.reveal_action.trigger()
        await until(lambda: ix.data(DISPLAY) == c.id_number or len(told) > 1, "the whole number in the row")
        assert told[1:] == []
        events, _ = await live.client.history(ticket=c.ticket)
        [revealed] = [e for e in events if isinstance(e, IdNumberRevealed)]
        assert revealed.by == ("林𠮷祥", "王芳") and revealed.ticket == c.ticket
        assert c.id_number not in str(events)
        assert c.id_number not in str(live.view.candidates)  # only the reply carried it
        assert len(told) == 1

    try:
        live.run(scenario())
    finally:
        pane.deleteLater()
