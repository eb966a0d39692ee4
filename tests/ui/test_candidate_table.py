"""The candidate table repaints exactly the changed rows; search and state filters find people."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import candidate_row, make_snapshot, ticket
from ui.candidate_table import COLUMNS, CandidateFilter, CandidateTableModel, CandidateTableView
from ui.room_bridge import RoomBridge

DISPLAY = Qt.ItemDataRole.DisplayRole


def table_for(view):
    bridge = RoomBridge(view)
    model = CandidateTableModel(view, bridge)
    model._bridge = bridge
    proxy = CandidateFilter()
    proxy.setSourceModel(model)
    return model, proxy


def cell(model, row: int, key: str):
    return model.index(row, COLUMNS.index(key)).data(DISPLAY)


def test_models_pass_the_model_tester(room_view, qtmodeltester):
    model, proxy = table_for(room_view)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    assert model.rowCount() == 40 and model.columnCount() == 11


def test_a_row_reads_like_the_roster(room_view):
    model, _ = table_for(room_view)
    assert cell(model, 2, "ticket") == "273303001003"
    assert cell(model, 2, "name") == "林𠮷祥"  # outside the BMP, intact
    assert cell(model, 2, "machine") == "A03"
    assert cell(model, 2, "state") == "Answering"
    assert cell(model, 5, "machine") == "---"  # not logged in yet
    assert cell(model, 5, "logged_in_at") == ""
    assert cell(model, 9, "flags") == "Alert、Offline"  # the dropped machine raised an alert: first
    assert cell(model, 9, "state") == "Answering"
    # Shapes beside the words: a glyph per flag, one for the state.
    flags_icon = model.index(9, COLUMNS.index("flags")).data(Qt.ItemDataRole.DecorationRole)
    assert flags_icon.width() > 2 * 14 - 1
    assert not model.index(9, COLUMNS.index("state")).data(Qt.ItemDataRole.DecorationRole).isNull()
    assert model.index(8, COLUMNS.index("flags")).data(Qt.ItemDataRole.DecorationRole) is None
    assert cell(model, 2, "id_masked").count("*") == 8


def test_one_candidate_changing_repaints_exactly_their_row(room_view, feed, recorder, qtbot):
    model, _ = table_for(room_view)
    rec = recorder(model)
    with qtbot.waitSignal(model.dataChanged):
        feed(candidates=[candidate_row(12, last_seq=40, answered=38)])
    assert rec.rows() == {12}
    assert rec.cells() == {(12, c) for c in range(len(COLUMNS))}
    assert cell(model, 12, "last_seq") == "40"


def test_a_machine_dropping_repaints_its_candidates_row(room_view, feed, recorder):
    model, _ = table_for(room_view)
    rec = recorder(model)
    feed(
        machines=[{"id": "C04", "online": False, "ticket": ticket(19)}],
        candidates=[candidate_row(19, flags=["offline"])],
    )
    assert rec.rows() == {19}
    assert "Offline" in cell(model, 19, "flags")


def test_a_whole_snapshot_resets_the_table(room_view, recorder, qtbot):
    model, _ = table_for(room_view)
    rec = recorder(model)
    with qtbot.waitSignal(model.modelReset):
        room_view.apply_message(make_snapshot(candidates=38, phase="sign_in_closed", seq=99))
    assert rec.resets == 1 and rec.changed == []
    assert model.rowCount() == 38


def test_a_candidate_new_to_the_room_is_inserted(room_view, feed, qtbot):
    model, _ = table_for(room_view)
    with qtbot.waitSignal(model.rowsInserted):
        feed(candidates=[candidate_row(44)])
    assert model.rowCount() == 41


def test_search_finds_by_name_ticket_and_machine(room_view):
    _, proxy = table_for(room_view)
    proxy.set_text("𠮷")
    assert proxy.rowCount() == 1
    proxy.set_text("273303001039")
    assert proxy.rowCount() == 1
    proxy.set_text("c04")  # machine ids are matched regardless of case
    assert [proxy.index(r, COLUMNS.index("ticket")).data(DISPLAY) for r in range(proxy.rowCount())] == [ticket(19)]
    proxy.set_text("")
    assert proxy.rowCount() == 40


def test_state_and_flag_filters(room_view, feed):
    _, proxy = table_for(room_view)
    proxy.set_kind("state:expected")
    assert proxy.rowCount() == 2
    proxy.set_kind("flag:offline")
    assert proxy.rowCount() == 1
    feed(
        machines=[{"id": "C04", "online": False, "ticket": ticket(19)}],
        candidates=[candidate_row(19, flags=["offline"])],
    )
    assert proxy.rowCount() == 2  # the filter follows the room
    proxy.set_kind("")
    assert proxy.rowCount() == 40


def test_sorting_by_saved_count_uses_numbers(room_view, qtbot):
    model, proxy = table_for(room_view)
    table = CandidateTableView()
    qtbot.addWidget(table)
    table.setModel(proxy)
    table.sortByColumn(COLUMNS.index("last_seq"), Qt.SortOrder.DescendingOrder)
    top = proxy.index(0, COLUMNS.index("last_seq")).data(DISPLAY)
    assert top == "6"


def test_selecting_a_ticket_scrolls_to_its_row(room_view, qtbot):
    model, proxy = table_for(room_view)
    table = CandidateTableView()
    qtbot.addWidget(table)
    table.setModel(proxy)
    assert table.select_ticket(ticket(33))
    assert table.selectionModel().selectedRows()[0].row() == 33
    proxy.set_text("张伟")
    assert not table.select_ticket(ticket(33))  # filtered out
