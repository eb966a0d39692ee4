"""At 1024×768 (the seeds' proctor machine) a 137-machine room is on the map whole: no scroll,
every tile inside the viewport, and every word on every tile whole, in a font that fits."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics

from proctor.domain.admission import decide_machine_online
from proctor.domain.events import ServiceStarted
from proctor.domain.room import RoomState, decide_login, decide_machine_offline, decide_sign_in_proctors, due_events
from proctor.link.console_client import RoomView
from proctor.package.demo import generate
from proctor.resources import load_policy
from tests.ui.conftest import snapshot_of
from ui import theme
from ui.fonts import setup_fonts
from ui.main_window import MainWindow
from ui.seat_map import TILE_ROLE, Density, left_text, tile_layout

START = datetime(2026, 5, 16, 9, 0, tzinfo=timezone(timedelta(hours=8)))


def big_room(machines: int = 137, candidates: int = 130) -> RoomView:
    """Everyone logged in and answering, two machines dropped, one candidate at the wrong seat."""
    package = generate(candidates, machines, start=START, aisle=True)
    room = RoomState(package, load_policy(package.policy))
    t0 = START.timestamp()

    def apply(events):
        for e in events:
            room.apply(e)

    apply([ServiceStarted(at=t0 - 3600, package=package.fingerprint, wall=t0 - 3600)])
    apply(decide_sign_in_proctors(room, ("张三", "李四", "王五", "赵六", "钱七", "孙八"), t0 - 1800))
    for i, p in enumerate(package.candidates):
        apply(decide_machine_online(room, p.seat, t0 - 900 + i))
        apply(decide_login(room, p.seat, p.ticket, p.id_number, t0 - 900 + i))
    now = t0 + 600
    apply(due_events(room, now))
    for i in (1, 31):  # 31: the longest name, with the most flags
        apply(decide_machine_offline(room, package.candidates[i].seat, now - 60, "heartbeat"))
    view = RoomView()
    view.apply_message(snapshot_of(room, now))
    view.set_connected(True)
    return view


@pytest.fixture
def app_fonts(qapp):
    """The console's own fonts (ui.fonts.setup_fonts), as a proctor sees them; undone after."""
    before = qapp.font()
    setup_fonts(qapp)
    yield
    qapp.setFont(before)


@pytest.fixture
def window(qtbot, app_fonts):
    w = MainWindow(big_room())
    qtbot.addWidget(w)
    w.resize(1024, 768)
    with qtbot.waitExposed(w):
        w.show()
    qtbot.waitUntil(lambda: w.seat_view.viewport().height() > 300)
    return w


def test_the_whole_room_is_on_the_map_at_1024x768(window):
    sv, model = window.seat_view, window.seat_model
    assert window.width() == 1024 and window.height() == 768
    assert not sv.verticalScrollBar().isVisible() and not sv.horizontalScrollBar().isVisible()
    assert not window.candidates_dock.isVisible()  # the list waits behind F3 on a small screen
    viewport = sv.viewport().rect()
    machines = list(window.view.machines)
    assert len(machines) == 137
    assert len(model.aisle_columns()) == 1  # the plan's aisle, drawn narrow
    for mid in machines:
        rect = sv.visualRect(model.index_of(mid))
        assert viewport.contains(rect), (mid, rect, viewport)


def test_every_word_on_every_tile_is_whole_and_fits(window):
    sv, model = window.seat_view, window.seat_model
    fonts = sv.itemDelegate().fonts(sv.font())
    timed, crowded = 0, []
    for mid in window.view.machines:
        ix = model.index_of(mid)
        tile = ix.data(TILE_ROLE)
        lay = tile_layout(sv.visualRect(ix), tile, fonts)
        assert lay.density is not Density.TIGHT, mid
        for w in lay.all_words():
            assert QFontMetrics(w.font).horizontalAdvance(w.text) <= w.rect.width(), (mid, w.text)
            assert lay.frame.contains(w.rect), (mid, w.text)
        for rect, *_ in lay.glyphs:
            assert lay.inner.adjusted(0, 0, 1, 1).contains(rect), mid
        c = tile.candidate
        if c is None:
            continue
        assert lay.name is not None and lay.name.text == c["name"], mid  # whole, never "阿依古丽…"
        shown = {g for _, g, _ in lay.glyphs}
        for f in tile.flags:  # every flag is on the tile, as a glyph
            assert theme.badge(f).glyph in shown, (mid, f)
        assert lay.state_pill is not None or theme.tint(c["state"]).glyph in shown, mid
        if tile.left_s is not None:
            timed += 1
            if left_text(tile.left_s) not in [w.text for w in lay.words]:
                crowded.append(c["name"])
    assert timed >= 120
    # Only a name that needs the whole line, beside flags that then need line 1, costs the time.
    assert crowded == ["阿依古丽·买买提"]


def test_f3_and_f4_bring_the_list_and_the_alerts(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_F3)
    qtbot.waitUntil(window.candidates_dock.isVisible)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    qtbot.waitUntil(window.alerts_dock.isVisible)
    # The proctor chose: a resize keeps the docks where they are.
    window.resize(1000, 760)
    assert window.candidates_dock.isVisible() and window.alerts_dock.isVisible()


def test_what_is_drawn_stays_where_the_layout_put_it(window):
    """The pixels agree with the layout: no name is drawn wider than the width it was given
    (a text drawn in another font than it was measured in would be)."""
    sv, model = window.seat_view, window.seat_model
    delegate = sv.itemDelegate()
    fonts = delegate.fonts(sv.font())
    checked = 0
    for mid in window.view.machines:
        ix = model.index_of(mid)
        rect, tile = sv.visualRect(ix), ix.data(TILE_ROLE)
        lay = tile_layout(QRect(0, 0, rect.width(), rect.height()), tile, fonts)
        if lay.name is None or any(g.top() >= lay.name.rect.top() for g, *_ in lay.glyphs):
            continue  # glyphs beside the name are drawn there on purpose
        image = delegate.tile_pixmap(tile, rect.size(), sv.font(), 1.0).toImage()
        name = lay.name.rect
        inked = [
            x
            for x in range(name.left(), lay.frame.right() - 2)
            for y in range(name.top(), name.bottom())
            if image.pixelColor(x, y).lightness() < 110
        ]
        assert inked and max(inked) <= name.left() + QFontMetrics(lay.name.font).horizontalAdvance(lay.name.text), mid
        checked += 1
    assert checked >= 100
