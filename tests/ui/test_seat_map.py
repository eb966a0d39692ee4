"""The seat map repaints exactly the tiles a change touched, and says everything in words too."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt

from tests.ui.conftest import COLS, ROWS, candidate_row, machine_row, make_snapshot, ticket
from ui import theme
from ui.room_bridge import RoomBridge
from ui.seat_map import MACHINE_ROLE, TICKET_ROLE, TILE_ROLE, SeatMapModel, SeatMapView, tile_texts, tile_tooltip


def model_for(view, parent=None) -> SeatMapModel:
    bridge = RoomBridge(view)
    model = SeatMapModel(view, bridge)
    model._bridge = bridge  # keep the bridge alive as long as the model
    return model


def shown_map(qtbot, model: SeatMapModel) -> SeatMapView:
    view = SeatMapView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(1024, 420)
    with qtbot.waitExposed(view):
        view.show()
    return view


def test_the_grid_is_the_room_layout(room_view, qtmodeltester):
    model = model_for(room_view)
    qtmodeltester.check(model)
    assert (model.rowCount(), model.columnCount()) == (ROWS, COLS)
    assert model.index(0, 0).data(MACHINE_ROLE) == "A01"
    assert model.index(5, 7).data(MACHINE_ROLE) == "F08"


def test_a_cell_without_a_machine_is_empty_and_not_selectable(qtmodeltester):
    from proctor.link.console_client import RoomView

    snap = make_snapshot(candidates=3, machines=10)  # row 2 has only two machines
    view = RoomView()
    view.apply_message(snap)
    model = model_for(view)
    qtmodeltester.check(model)
    hole = model.index(1, 5)
    assert hole.data(TILE_ROLE) is None
    assert model.flags(hole) == Qt.ItemFlag.NoItemFlags


def test_a_tile_shows_machine_name_state_and_flags_in_words(room_view):
    model = model_for(room_view)
    texts = model.index(1, 1).data(Qt.ItemDataRole.DisplayRole)  # B02, candidate 9: offline
    assert "B02" in texts and "Answering" in texts and "Offline" in texts


def test_a_name_outside_the_bmp_reaches_the_tile_intact(room_view):
    model = model_for(room_view)
    tile = model.index(0, 2).data(TILE_ROLE)  # A03: 林𠮷祥
    assert tile.candidate["name"] == "林𠮷祥"
    assert "林𠮷祥" in tile_texts(tile)


def test_a_candidate_not_logged_in_is_shown_at_their_planned_seat(room_view):
    model = model_for(room_view)
    tile = model.index(0, 5).data(TILE_ROLE)  # A06: candidate 5, not logged in
    assert tile.planned and tile.candidate["state"] == "expected"
    assert model.index(0, 5).data(TICKET_ROLE) == "273303001006"


def test_spare_and_empty_machines_say_so(room_view):
    model = model_for(room_view)
    spare = tile_texts(model.index(5, 6).data(TILE_ROLE))  # F07
    empty = tile_texts(model.index(5, 0).data(TILE_ROLE))  # F01, nobody seated, not connected
    assert spare[1] == "Spare"
    assert empty[1] == "---" and "Not connected" in empty


def test_one_candidate_changing_repaints_exactly_their_tile(room_view, feed, recorder, qtbot):
    model = model_for(room_view)
    rec = recorder(model)
    with qtbot.waitSignal(model.dataChanged):
        feed(candidates=[candidate_row(10, last_seq=99)])
    assert rec.cells() == {(1, 2)}  # B03
    assert rec.resets == 0


def test_a_machine_going_offline_repaints_exactly_that_tile(room_view, feed, recorder, qtbot):
    model = model_for(room_view)
    rec = recorder(model)
    with qtbot.waitSignal(model.dataChanged):
        feed(
            machines=[{"id": "C04", "online": False, "ticket": "273303001020"}],
            candidates=[candidate_row(19, flags=["offline"])],
        )
    assert rec.cells() == {(2, 3)}
    tile = model.index(2, 3).data(TILE_ROLE)
    assert "offline" in tile.flags


def test_a_login_elsewhere_repaints_the_machine_and_the_planned_seat(room_view, feed, recorder):
    model = model_for(room_view)
    rec = recorder(model)
    # Candidate 5 (seat A06) logs in at the spare F07.
    feed(
        candidates=[candidate_row(5, machine="F07", state="answering", flags=["wrong_seat"], logged_in_at=1.0)],
        machines=[machine_row(46, ticket="273303001006")],
    )
    assert rec.cells() == {(5, 6), (0, 5)}
    assert model.index(5, 6).data(TILE_ROLE).candidate["ticket"] == "273303001006"
    assert model.index(0, 5).data(TILE_ROLE).candidate is None  # no longer waited for at A06


def test_a_whole_snapshot_resets_the_map(room_view, recorder, qtbot):
    model = model_for(room_view)
    rec = recorder(model)
    with qtbot.waitSignal(model.modelReset):
        room_view.apply_message(make_snapshot(phase="sign_in_closed", seq=50))
    assert rec.resets == 1 and rec.changed == []


def test_the_delegate_paints_every_kind_of_tile(room_view, qtbot):
    snap = make_snapshot()
    rows = snap["room"]["candidates"]
    for i, (state, flags) in enumerate(
        [
            ("submitted", []),
            ("absent", []),
            ("reset", ["extra_time"]),
            ("standalone", ["violation", "away"]),
            ("transferred_out", []),
            ("gave_up", []),
            ("logged_in", ["duplicate_login", "wrong_seat", "id_checked"]),
        ]
    ):
        rows[20 + i].update(state=state, flags=flags)
    room_view.apply_message(copy.deepcopy(snap))
    model = model_for(room_view)
    view = shown_map(qtbot, model)
    image = view.grab().toImage()

    def bar(machine: str) -> str:
        # The tile's left bar carries the state's colour (grey when offline).
        rect = view.visualRect(model.index_of(machine))
        return image.pixelColor(rect.left() + 5, rect.center().y()).name()

    assert bar("A01") == theme.tint("answering").accent
    assert bar("B02") == "#9e9e9e"  # candidate 9 is offline
    assert bar("C05") == theme.tint("submitted").accent  # candidate 20


def test_clicking_a_tile_names_its_machine(room_view, qtbot):
    model = model_for(room_view)
    view = shown_map(qtbot, model)
    rect = view.visualRect(model.index(2, 3))
    with qtbot.waitSignal(view.machineClicked) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["C04"]


def test_after_the_end_a_machine_still_shows_who_submitted_there(room_view):
    snap = make_snapshot(phase="ended")
    for c in snap["room"]["candidates"]:
        if c["machine"]:
            c["state"] = "submitted"
    room_view.apply_message(snap)  # the service keeps naming who sat where (test_room_rules)
    model = model_for(room_view)
    tile = model.index(0, 2).data(TILE_ROLE)
    assert tile.candidate["name"] == "林𠮷祥" and tile.candidate["state"] == "submitted"


def test_a_candidate_moving_on_repaints_the_machine_they_left(room_view, feed, recorder):
    model = model_for(room_view)
    rec = recorder(model)
    # Candidate 12 (B05) is reset and logs in again at the spare F08.
    feed(
        candidates=[candidate_row(12, machine="F08")],
        machines=[machine_row(47, ticket=ticket(12)), machine_row(12, ticket=None)],
    )
    assert rec.cells() == {(5, 7), (1, 4)}
    assert model.index(1, 4).data(TILE_ROLE).candidate is None


def test_an_unchanged_tile_is_not_drawn_again_and_a_changed_one_once(room_view, feed, qtbot):
    model = model_for(room_view)
    view = shown_map(qtbot, model)
    delegate = view.itemDelegate()
    view.viewport().repaint()
    first = delegate.drawn
    assert first >= 40  # every tile once
    view.viewport().repaint()
    assert delegate.drawn == first
    feed(candidates=[candidate_row(10, state="submitted")])  # B03
    view.viewport().repaint()
    assert delegate.drawn == first + 1


def test_a_machine_whose_clock_is_off_says_so_on_its_tile(room_view, feed, qtbot):
    from PySide6.QtCore import QRect

    from ui.seat_map import TileFonts, tile_layout
    from ui.theme import Glyph

    model = model_for(room_view)
    feed(machines=[machine_row(0, clock_offset_s=95.0, clock_off=True), machine_row(5, clock_offset_s=2.0)])
    off, fine = model.index(0, 0).data(TILE_ROLE), model.index(0, 5).data(TILE_ROLE)
    assert off.clock_off and not fine.clock_off
    assert "+95 s" in tile_tooltip(off) and "R59" in tile_tooltip(off)
    assert "+2 s" in tile_tooltip(fine) and "R59" not in tile_tooltip(fine)
    fonts = TileFonts.for_base(SeatMapView().font())
    for size in ((110, 44), (180, 80)):  # compact and roomy
        glyphs = {g for _, g, _ in tile_layout(QRect(0, 0, *size), off, fonts).glyphs}
        assert Glyph.CLOCK in glyphs, size
        assert Glyph.CLOCK not in {g for _, g, _ in tile_layout(QRect(0, 0, *size), fine, fonts).glyphs}
