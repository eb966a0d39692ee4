"""The seat map: one tile per exam machine, laid out as the room is (row, col, aisles).

A thin adapter over RoomView (STYLE.md): the model answers per cell and emits dataChanged for
exactly the tiles a change touched; the delegate paints a tile from cached brushes and badges.
Where each word goes on a tile is decided by `tile_layout`, apart from the painting, so a test
can check that every word fits.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPen, QPixmap, QResizeEvent, QStaticText
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from proctor.domain.room import Flag, State
from proctor.link.console_client import RoomChange, RoomView

from . import icons, theme
from .exam_clock import ExamClock
from .facts import flags_of
from .fonts import baseline_drop
from .i18n import flag_label, state_label, translate
from .room_bridge import RoomBridge
from .theme import Glyph

TILE_ROLE = Qt.ItemDataRole.UserRole + 1
MACHINE_ROLE = Qt.ItemDataRole.UserRole + 2
TICKET_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex

# States whose exam clock runs for the candidate: their tile shows the time left.
TIMED = frozenset({State.ANSWERING.value, State.RESET.value, State.STANDALONE.value})


@dataclass(frozen=True)
class Tile:
    machine: str
    spare: bool
    online: bool
    candidate: dict[str, Any] | None
    # True when the candidate is shown from the seat plan, not because they logged in here.
    planned: bool = False
    flags: tuple[str, ...] = ()
    left_s: float | None = None  # exam seconds to the candidate's own end, when their clock runs
    clock_offset_s: float | None = None  # the exam machine's own clock against the proctor machine's
    clock_off: bool = False  # past the profile's tolerance (R59), as the service decided


def tile_key(tile: Tile) -> tuple[Any, ...]:
    """Everything a tile's pixels depend on, besides its size and font."""
    c = tile.candidate
    who = (c["name"], c["state"], c.get("answered")) if c is not None else None
    left = left_text(tile.left_s) if tile.left_s is not None else None
    return (tile.machine, tile.spare, tile.online, tile.planned, tile.flags, who, left, tile.clock_off)


def left_text(left_s: float) -> str:
    """Time left to the minute, rounded up: "1:52", "0:07"; "0:00" only at the end itself."""
    minutes = math.ceil(max(0.0, left_s) / 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


class SeatMapModel(QAbstractTableModel):
    def __init__(
        self, view: RoomView, bridge: RoomBridge, parent: QObject | None = None, *, clock: ExamClock | None = None
    ) -> None:
        super().__init__(parent)
        self.view = view
        self.clock = clock
        self._rows = 0
        self._cols = 0
        self._cell: dict[tuple[int, int], str] = {}  # (row, col) -> machine id
        self._pos: dict[str, tuple[int, int]] = {}
        self._seat: dict[str, str] = {}  # machine id -> ticket seated there by the plan
        self._minute: int | None = None  # the exam minute the tiles' times were last drawn for
        self._layout()
        bridge.changed.connect(self.on_change)

    # -- layout ---------------------------------------------------------------------------------

    def _layout(self) -> None:
        machines = self.view.machines.values()
        self._rows = max((m.get("row", 0) for m in machines), default=0)
        self._cols = max((m.get("col", 0) for m in machines), default=0)
        self._cell = {(m["row"] - 1, m["col"] - 1): m["id"] for m in machines if m.get("row") and m.get("col")}
        self._pos = {mid: rc for rc, mid in self._cell.items()}
        self._seat = {c["seat"]: t for t, c in self.view.candidates.items() if c.get("seat")}

    def aisle_columns(self) -> frozenset[int]:
        """Columns with no machine in any row: the room's aisles, drawn narrow."""
        used = {c for _, c in self._cell}
        return frozenset(c for c in range(self._cols) if c not in used)

    def aisle_rows(self) -> frozenset[int]:
        used = {r for r, _ in self._cell}
        return frozenset(r for r in range(self._rows) if r not in used)

    def on_change(self, change: RoomChange) -> None:
        if change.whole:
            self.beginResetModel()
            self._layout()
            self.endResetModel()
            return
        cells: list[tuple[int, int]] = []
        for mid in change.machines:
            if mid in self._pos and self._pos[mid] not in cells:
                cells.append(self._pos[mid])
        # The service names every machine a change touched (one left behind included); a
        # candidate's planned seat changes look too (greyed until they log in).
        for ticket in change.tickets:
            c = self.view.candidates.get(ticket) or {}
            for mid in (c.get("machine"), c.get("seat")):
                if mid in self._pos and self._pos[mid] not in cells:
                    cells.append(self._pos[mid])
        for r, c in cells:
            ix = self.index(r, c)
            self.dataChanged.emit(ix, ix)

    def tick(self) -> bool:
        """Repaint the tiles when the exam clock crosses a minute (their times show minutes).
        Returns whether it did."""
        now = self.clock.now() if self.clock is not None else None
        if now is None or not self._rows:
            return False
        minute = int(now // 60)
        if minute == self._minute:
            return False
        self._minute = minute
        self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, self._cols - 1))
        return True

    def index_of(self, machine: str) -> QModelIndex:
        rc = self._pos.get(machine)
        return self.index(*rc) if rc else QModelIndex()

    # -- reading --------------------------------------------------------------------------------

    def tile(self, machine: str) -> Tile | None:
        m = self.view.machines.get(machine)
        if m is None:
            return None
        # Who is here: the machine's occupant as the service names it; else who the plan seats
        # here (shown greyed until they log in).
        ticket = m.get("ticket")
        cand = self.view.candidates.get(ticket) if ticket else None
        planned = False
        if cand is None and machine in self._seat:
            seated = self.view.candidates.get(self._seat[machine])
            if seated is not None and not seated.get("machine"):
                cand, planned = seated, True
        flags = tuple(flags_of(cand)) if cand is not None else ()
        left = None
        now = self.clock.now() if self.clock is not None else None
        if cand is not None and now is not None and cand.get("state") in TIMED and cand.get("end"):
            left = max(0.0, float(cand["end"]) - now)
        offset = m.get("clock_offset_s")
        return Tile(
            machine,
            bool(m.get("spare")),
            bool(m.get("online")),
            cand,
            planned,
            flags,
            left,
            offset,
            bool(m.get("clock_off")),
        )

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._cols

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or (index.row(), index.column()) not in self._cell:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        mid = self._cell.get((index.row(), index.column()))
        if mid is None:
            return None
        if role == MACHINE_ROLE:
            return mid
        tile = self.tile(mid)
        if tile is None:
            return None
        if role == TILE_ROLE:
            return tile
        if role == TICKET_ROLE:
            return tile.candidate["ticket"] if tile.candidate else None
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join(tile_texts(tile))
        if role == Qt.ItemDataRole.ToolTipRole:
            return tile_tooltip(tile)
        return None


def tile_texts(tile: Tile) -> list[str]:
    """The words on a tile: machine, who, state, flags and time left (colour is never the only cue)."""
    c = tile.candidate
    if c is None:
        who = translate("SeatMap", "Spare") if tile.spare else "---"
        out = [tile.machine, who]
        if not tile.online:
            out.append(translate("SeatMap", "Not connected"))
        if tile.clock_off:
            out.append(translate("SeatMap", "Clock off"))
        return out
    out = [tile.machine, c["name"], state_label(c["state"]), *(flag_label(f) for f in tile.flags)]
    if tile.left_s is not None:
        out.append(translate("SeatMap", "{time} left").format(time=left_text(tile.left_s)))
    if tile.clock_off:
        out.append(translate("SeatMap", "Clock off"))
    return out


def tile_tooltip(tile: Tile) -> str:
    conn = translate("SeatMap", "online") if tile.online else translate("SeatMap", "not connected")
    kind = translate("SeatMap", "spare machine") if tile.spare else translate("SeatMap", "exam machine")
    lines = [translate("SeatMap", "{machine} ({kind}, {conn})").format(machine=tile.machine, kind=kind, conn=conn)]
    if tile.clock_offset_s is not None:
        text = translate("SeatMap", "Its clock: {offset:+.0f} s against the proctor machine").format(
            offset=tile.clock_offset_s
        )
        if tile.clock_off:
            text += translate("SeatMap", " — off, to be set right (R59)")
        lines.append(text)
    c = tile.candidate
    if c is not None:
        lines.append(f"{c['name']}  {c['ticket']}")
        lines.append(translate("SeatMap", "State: {state}").format(state=state_label(c["state"])))
        if tile.flags:
            flags = "、".join(flag_label(f) for f in tile.flags)
            lines.append(translate("SeatMap", "Flags: {flags}").format(flags=flags))
        if tile.left_s is not None:
            lines.append(translate("SeatMap", "Time left: {time}").format(time=left_text(tile.left_s)))
        if tile.planned:
            lines.append(translate("SeatMap", "Seated here by the plan; not logged in yet"))
    return "\n".join(lines)


# -- where the words go -----------------------------------------------------------------------------


class Density(Enum):
    ROOMY = "roomy"  # three lines: state and flags in words
    COMPACT = "compact"  # two lines: state and flags as glyphs, the name whole
    TIGHT = "tight"  # one line: machine and glyphs; the name only in the tooltip


@dataclass
class TileFonts:
    """The fonts of a tile for one base font, and the steps a long name may shrink through."""

    bold: QFont
    small: QFont
    small_bold: QFont
    name_steps: list[QFont] = field(default_factory=list)  # largest first

    @classmethod
    def for_base(cls, base: QFont) -> TileFonts:
        size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        bold, small, small_bold = QFont(base), QFont(base), QFont(base)
        bold.setBold(True)
        small.setPointSizeF(max(7.0, size - 1))
        small_bold.setPointSizeF(max(7.0, size - 1))
        small_bold.setBold(True)
        steps = []
        pt = size + 2
        while pt >= max(7.5, size - 2.5) - 1e-6:
            f = QFont(base)
            f.setPointSizeF(pt)
            steps.append(f)
            pt -= 0.5
        return cls(bold, small, small_bold, steps)


@dataclass
class Word:
    """One piece of text on a tile: what, in which font, where (the font's advance must fit)."""

    text: str
    font: QFont
    rect: QRect


@dataclass
class TileLayout:
    density: Density
    frame: QRect  # the tile's rounded rectangle
    inner: QRect
    words: list[Word] = field(default_factory=list)
    name: Word | None = None
    dot: QRectF | None = None
    state_pill: tuple[QRect, str] | None = None  # ROOMY: the state in words, right of line 1
    glyphs: list[tuple[QRect, Glyph, str]] = field(default_factory=list)  # (where, shape, colour)
    badges: list[tuple[QRect, str]] = field(default_factory=list)  # ROOMY: flags in words

    def all_words(self) -> list[Word]:
        return [*self.words, *([self.name] if self.name else [])]


MARGIN, PAD = 2, 4
GLYPH = 13  # px, a state or flag glyph on a compact tile
PILL_PAD = 8  # px added to a pill's text width


# Tile fonts live as long as their TileFonts (the delegate keeps them), so their metrics and the
# widths of the words laid out in them are kept too: a tile is laid out on every change.
_METRICS: dict[int, tuple[QFont, QFontMetrics]] = {}
_WIDTHS: dict[tuple[int, str], int] = {}
_DROPS: dict[tuple[int, str], float] = {}


def _metrics(font: QFont) -> QFontMetrics:
    got = _METRICS.get(id(font))
    if got is None or got[0] is not font:
        if len(_METRICS) > 200:
            _METRICS.clear()
        got = _METRICS[id(font)] = (font, QFontMetrics(font))
    return got[1]


def _advance(font: QFont, text: str) -> int:
    key = (id(font), text)
    w = _WIDTHS.get(key)
    if w is None:
        if len(_WIDTHS) > 20000:
            _WIDTHS.clear()
        w = _WIDTHS[key] = _metrics(font).horizontalAdvance(text)
    return w


def _height(font: QFont) -> int:
    return _metrics(font).height()


def _drop(text: str, font: QFont) -> float:
    key = (id(font), text)
    d = _DROPS.get(key)
    if d is None:
        if len(_DROPS) > 20000:
            _DROPS.clear()
        d = _DROPS[key] = baseline_drop(text, font)
    return d


def density_for(height: int, fonts: TileFonts) -> Density:
    inner = height - 2 * MARGIN - 2 * PAD + 2
    line = _height(fonts.bold)
    name_min = _height(fonts.name_steps[-1])
    if inner >= line + _height(fonts.name_steps[0]) + _height(fonts.small) + 2:
        return Density.ROOMY
    if inner >= line + name_min:
        return Density.COMPACT
    return Density.TIGHT


def min_tile_height(fonts: TileFonts) -> int:
    """The least height at which a tile still shows its candidate's name."""
    return _height(fonts.bold) + _height(fonts.name_steps[-1]) + 2 * MARGIN + 2 * PAD - 2


def fit_name(name: str, width: int, height: int, fonts: TileFonts) -> QFont | None:
    """The largest name font in which the whole name fits; None when even the smallest is too wide."""
    for f in fonts.name_steps:
        if _height(f) <= height and _advance(f, name) <= width:
            return f
    return None


def tile_layout(rect: QRect, tile: Tile, fonts: TileFonts) -> TileLayout:
    frame = rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
    inner = frame.adjusted(PAD + 3, PAD - 1, -PAD, -PAD + 1)  # wider on the left: the state bar is there
    out = TileLayout(density_for(rect.height(), fonts), frame, inner)
    line1_font = fonts.bold if out.density is Density.ROOMY else fonts.small_bold
    line_h = _height(line1_font)
    top = inner.top()
    mid = QRect(inner.left(), top, _advance(line1_font, tile.machine), line_h)
    out.words.append(Word(tile.machine, line1_font, mid))
    out.dot = QRectF(mid.right() + 5, top + line_h / 2 - 3.5, 7, 7)
    c = tile.candidate
    if c is None:
        _layout_empty(out, tile, fonts, top + line_h)
    elif out.density is Density.ROOMY:
        _layout_roomy(out, tile, fonts, line_h)
    else:
        _layout_compact(out, tile, fonts, line_h)
    return out


def _place_name(out: TileLayout, name: str, fonts: TileFonts, top: int, width: int, height: int) -> None:
    if height < _height(fonts.name_steps[-1]):
        return  # a tight tile: the name is in the tooltip
    font = fit_name(name, width, height, fonts)
    if font is None:  # a name too long for any step: elided, whole in the tooltip and the table
        font = fonts.name_steps[-1]
        name = _metrics(font).elidedText(name, Qt.TextElideMode.ElideRight, width)
    h = _height(font)
    out.name = Word(name, font, QRect(out.inner.left(), top + max(0, (height - h) // 2), width, h))


def _layout_roomy(out: TileLayout, tile: Tile, fonts: TileFonts, line_h: int) -> None:
    """Three lines: machine and the state in words; the name; time left and flags in words."""
    c = tile.candidate
    assert c is not None
    inner, top = out.inner, out.inner.top()
    right = _layout_state_pill(out, c["state"], fonts, top, line_h, inner.right())
    _clock_mark(out, tile, top, line_h, right)
    footer_h = _height(fonts.small)
    name_top = top + line_h + 1
    _place_name(out, c["name"], fonts, name_top, inner.width(), inner.bottom() + 1 - name_top - footer_h)
    _layout_footer(out, tile, fonts, inner.bottom() + 1 - footer_h, footer_h)


def _layout_compact(out: TileLayout, tile: Tile, fonts: TileFonts, line_h: int) -> None:
    """Two lines. Line 1: machine, the state (in words when it fits, else its glyph), time left
    at the right. Line 2: the name, whole, with the flags' glyphs beside it; a name too long for
    that takes the line and the flags move up to line 1 (the time yields to them, last)."""
    c = tile.candidate
    assert c is not None
    inner, top = out.inner, out.inner.top()
    assert out.dot is not None
    x, right = int(out.dot.right()) + 4, inner.right()
    flags = [(theme.badge(f).glyph, theme.badge(f).colour) for f in tile.flags]
    if tile.clock_off:
        flags.append((Glyph.CLOCK, theme.WARN))
    flags_w = len(flags) * (GLYPH + 1)
    name_top = top + line_h
    name_h = inner.bottom() + 1 - name_top
    beside = not flags or fit_name(c["name"], inner.width() - flags_w - 3, name_h, fonts) is not None
    up = [] if beside else flags
    up_w = len(up) * (GLYPH + 1)
    time = left_text(tile.left_s) if tile.left_s is not None else ""
    time_w = _advance(fonts.small, time) + 3 if time else 0
    if time and x + GLYPH + up_w + time_w > right + 1:
        time, time_w = "", 0  # flags matter more than the time, which the header has too
    if time:
        out.words.append(Word(time, fonts.small, QRect(right - time_w + 4, top, time_w - 3, line_h)))
        right -= time_w
    label = state_label(c["state"])
    pill_w, pill_h = _advance(fonts.small, label) + PILL_PAD, min(line_h, _height(fonts.small) + 2)
    marks = up
    if x + pill_w + up_w <= right + 1:
        out.state_pill = (QRect(x, top + (line_h - pill_h) // 2, pill_w, pill_h), label)
        x += pill_w + 3
    else:
        marks = [(theme.tint(c["state"]).glyph, theme.tint(c["state"]).accent), *up]
    y = top + (line_h - GLYPH) // 2
    for glyph, colour in marks:
        if x + GLYPH > right + 1:
            break
        out.glyphs.append((QRect(x, y, GLYPH, GLYPH), glyph, colour))
        x += GLYPH + 1
    if beside and flags:
        gx, gy = inner.right() + 1 - flags_w, name_top + (name_h - GLYPH) // 2
        for glyph, colour in flags:
            out.glyphs.append((QRect(gx, gy, GLYPH, GLYPH), glyph, colour))
            gx += GLYPH + 1
        _place_name(out, c["name"], fonts, name_top, inner.width() - flags_w - 3, name_h)
    else:
        _place_name(out, c["name"], fonts, name_top, inner.width(), name_h)


def _clock_mark(out: TileLayout, tile: Tile, top: int, line_h: int, right: int) -> None:
    """R59: the machine's clock is off; a glyph at the right of line 1, the offset in the tooltip."""
    if tile.clock_off:
        out.glyphs.append(
            (QRect(right - GLYPH + 1, top + (line_h - GLYPH) // 2, GLYPH, GLYPH), Glyph.CLOCK, theme.WARN)
        )


def _layout_empty(out: TileLayout, tile: Tile, fonts: TileFonts, top: int) -> None:
    line_h = top - out.inner.top()
    _clock_mark(out, tile, out.inner.top(), line_h, out.inner.right())
    if out.density is Density.TIGHT:
        return
    who = translate("SeatMap", "Spare") if tile.spare else "---"
    font = fonts.name_steps[-1] if out.density is Density.COMPACT else fonts.name_steps[len(fonts.name_steps) // 2]
    h = _height(font)
    out.words.append(Word(who, font, QRect(out.inner.left(), top, _advance(font, who), h)))


def _layout_state_pill(out: TileLayout, state: str, fonts: TileFonts, top: int, line_h: int, right: int) -> int:
    text = state_label(state)
    w, h = _advance(fonts.small, text) + PILL_PAD, _height(fonts.small) + 2
    rect = QRect(right - w + 1, top + (line_h - h) // 2, w, h)
    out.state_pill = (rect, text)
    return rect.left() - 4


def _layout_footer(out: TileLayout, tile: Tile, fonts: TileFonts, top: int, h: int) -> None:
    """Roomy: time left (and the answered count) at the left, flags in words at the right."""
    inner = out.inner
    x = inner.left()
    c = tile.candidate
    assert c is not None
    texts = []
    if tile.left_s is not None:
        texts.append(translate("SeatMap", "{time} left").format(time=left_text(tile.left_s)))
    if c.get("answered") is not None and c["state"] in TIMED | {State.SUBMITTED.value}:
        texts.append(translate("SeatMap", "answered {n}").format(n=c["answered"]))
    right = inner.right() + 1
    for f in tile.flags:
        text = flag_label(f)
        w = _advance(fonts.small, text) + PILL_PAD
        if right - w < inner.left():
            break
        right -= w
        out.badges.append((QRect(right, top, w, h), f))
        right -= 3
    for text in texts:
        w = _advance(fonts.small, text)
        if x + w > right - 4:
            break
        out.words.append(Word(text, fonts.small, QRect(x, top, w, h)))
        x += w + 6


class TileDelegate(QStyledItemDelegate):
    """Paints a tile from its TileLayout into a pixmap kept while the tile shows the same thing
    (PLATFORM.md: laying out text is what a repaint costs); pills and glyphs are cached too."""

    TILE_CACHE = 1500  # tiles kept drawn: two screenfuls of a whole site

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pixmaps: dict[tuple[Any, ...], QPixmap] = {}
        self._fonts: dict[str, TileFonts] = {}
        self._texts: dict[tuple[str, str], QStaticText] = {}
        self._tiles: OrderedDict[tuple[Any, ...], QPixmap] = OrderedDict()  # least recently drawn first
        self.drawn = 0  # tiles drawn afresh, not blitted from the cache

    def fonts(self, base: QFont) -> TileFonts:
        key = base.key()
        got = self._fonts.get(key)
        if got is None:
            got = self._fonts[key] = TileFonts.for_base(base)
        return got

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(120, 64)

    def static_text(self, text: str, font: QFont) -> QStaticText:
        key = (text, font.key())
        st = self._texts.get(key)
        if st is None:
            if len(self._texts) > 8000:  # fonts change on resize; old layouts are just dropped
                self._texts.clear()
            st = QStaticText(text)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(font=font)
            self._texts[key] = st
        return st

    def pill(self, text: str, bg: str, fg: str, font: QFont, size: QSize, dpr: float, outline: bool = False) -> QPixmap:
        key = ("pill", text, bg, fg, font.key(), size.width(), size.height(), dpr, outline)
        pm = self._pixmaps.get(key)
        if pm is None:
            pm = QPixmap(round(size.width() * dpr), round(size.height() * dpr))
            pm.setDevicePixelRatio(dpr)
            pm.fill(Qt.GlobalColor.transparent)
            p = QPainter(pm)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            rect = QRectF(0.5, 0.5, size.width() - 1, size.height() - 1)
            if outline:
                p.setPen(QPen(theme.color(bg), 1.2))
                p.setBrush(theme.brush(theme.WHITE))
            else:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(theme.brush(bg))
            p.drawRoundedRect(rect, 4, 4)
            p.setFont(font)
            p.setPen(theme.color(fg))
            p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            p.end()
            self._pixmaps[key] = pm
        return pm

    def glyph(self, glyph: Glyph, colour: str, size: int, dpr: float) -> QPixmap:
        key = ("glyph", glyph, colour, size, dpr)
        pm = self._pixmaps.get(key)
        if pm is None:
            pm = self._pixmaps[key] = icons.glyph_pixmap(glyph, colour, size, dpr)
        return pm

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        tile = index.data(TILE_ROLE)
        if tile is None:
            return
        dpr = painter.device().devicePixelRatioF()
        painter.drawPixmap(option.rect.topLeft(), self.tile_pixmap(tile, option.rect.size(), option.font, dpr))
        if option.state & QStyle.StateFlag.State_Selected:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(option.palette.highlight().color(), 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            frame = option.rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
            painter.drawRoundedRect(QRectF(frame).adjusted(1, 1, -1, -1), 5, 5)
            painter.restore()

    def forget_other_sizes(self, widths: list[int], heights: list[int]) -> None:
        """After a resize, drop the tiles drawn at sizes no longer used."""
        ws, hs = set(widths), set(heights)
        for key in [k for k in self._tiles if k[1] not in ws or k[2] not in hs]:
            del self._tiles[key]

    def tile_pixmap(self, tile: Tile, size: QSize, base: QFont, dpr: float) -> QPixmap:
        """The tile drawn once for what it shows: a repaint of an unchanged tile is one blit."""
        key = (tile_key(tile), size.width(), size.height(), base.key(), dpr)
        pm = self._tiles.get(key)
        if pm is not None:
            self._tiles.move_to_end(key)
            return pm
        self.drawn += 1
        pm = QPixmap(round(size.width() * dpr), round(size.height() * dpr))
        pm.setDevicePixelRatio(dpr)
        pm.fill(Qt.GlobalColor.transparent)
        fonts = self.fonts(base)
        lay = tile_layout(QRect(0, 0, size.width(), size.height()), tile, fonts)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_frame(p, tile, lay)
        self._paint_dot(p, tile, lay)
        self._paint_words(p, tile, lay)
        self._paint_marks(p, tile, lay, fonts, dpr)
        p.end()
        self._tiles[key] = pm
        if len(self._tiles) > self.TILE_CACHE:
            self._tiles.popitem(last=False)
        return pm

    @staticmethod
    def _paint_frame(painter: QPainter, tile: Tile, lay: TileLayout) -> None:
        frame = QRectF(lay.frame).adjusted(0.5, 0.5, -0.5, -0.5)
        c = tile.candidate
        if c is None:
            painter.setPen(QPen(theme.color(theme.EMPTY_BORDER), 1, Qt.PenStyle.DashLine))
            painter.setBrush(theme.brush(theme.EMPTY_FILL_ONLINE if tile.online else theme.EMPTY_FILL_OFFLINE))
            painter.drawRoundedRect(frame, 5, 5)
            return
        offline = Flag.OFFLINE.value in tile.flags
        accent = theme.OFFLINE_ACCENT if offline else theme.tint(c["state"]).accent
        painter.setPen(QPen(theme.color(accent), 1))
        painter.setBrush(theme.brush(theme.OFFLINE_FILL if offline else theme.tint(c["state"]).fill))
        painter.drawRoundedRect(frame, 5, 5)
        if offline:
            # A second cue besides the grey: offline tiles are hatched.
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.hatch())
            painter.drawRoundedRect(frame.adjusted(0.5, 0.5, -0.5, -0.5), 5, 5)
        painter.fillRect(
            QRect(lay.frame.left() + 1, lay.frame.top() + 1, 4, lay.frame.height() - 2), theme.color(accent)
        )

    @staticmethod
    def _paint_dot(painter: QPainter, tile: Tile, lay: TileLayout) -> None:
        if lay.dot is None:
            return
        if tile.online:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.brush(theme.OK))
        else:
            painter.setPen(QPen(theme.color(theme.OFFLINE_ACCENT), 1.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(lay.dot)

    def _paint_words(self, painter: QPainter, tile: Tile, lay: TileLayout) -> None:
        c = tile.candidate
        for i, w in enumerate(lay.words):
            colour = theme.MACHINE_TEXT if i == 0 else theme.PLACEHOLDER if c is None else theme.NOTE
            painter.setPen(theme.color(colour))
            painter.setFont(w.font)  # a QStaticText is drawn in the painter's font, whatever it was prepared for
            painter.drawStaticText(w.rect.topLeft(), self.static_text(w.text, w.font))
        if lay.name is not None and c is not None:
            dim = tile.planned or Flag.OFFLINE.value in tile.flags
            painter.setPen(theme.color(theme.TEXT_DIM if dim else theme.TEXT))
            # A name with a rare character is set in the fallback font, whose taller ascent
            # would push the line down: lift it back onto the neighbours' baseline.
            drop = _drop(lay.name.text, lay.name.font)
            at = QPointF(lay.name.rect.topLeft()) - QPointF(0, drop)
            painter.setFont(lay.name.font)
            painter.drawStaticText(at, self.static_text(lay.name.text, lay.name.font))

    def _paint_marks(self, painter: QPainter, tile: Tile, lay: TileLayout, fonts: TileFonts, dpr: float) -> None:
        c = tile.candidate
        if c is None:
            return
        if lay.state_pill is not None:
            rect, text = lay.state_pill
            offline = Flag.OFFLINE.value in tile.flags
            accent = theme.OFFLINE_PILL if offline else theme.tint(c["state"]).accent
            painter.drawPixmap(rect.topLeft(), self.pill(text, accent, theme.WHITE, fonts.small, rect.size(), dpr))
        for rect, flag in lay.badges:
            b = theme.badge(flag)
            fg = theme.WHITE if b.solid else b.colour
            pm = self.pill(flag_label(flag), b.colour, fg, fonts.small, rect.size(), dpr, outline=not b.solid)
            painter.drawPixmap(rect.topLeft(), pm)
        for rect, glyph, colour in lay.glyphs:
            painter.drawPixmap(rect.topLeft(), self.glyph(glyph, colour, rect.width(), dpr))


class SeatMapView(QTableView):
    """Tiles share out the space they get, aisles narrow, down to the least size at which a tile
    still shows its candidate's name; below that the map scrolls."""

    machineClicked = Signal(str)

    MIN_W = 84
    AISLE = 14  # px, an aisle between columns or rows of machines

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(TileDelegate(self))
        self.setShowGrid(False)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        for header in (self.horizontalHeader(), self.verticalHeader()):
            header.setMinimumSectionSize(1)
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setFrameShape(QTableView.Shape.NoFrame)
        self.setMouseTracking(True)
        self.clicked.connect(self._clicked)
        self.activated.connect(self._clicked)  # Enter on the current tile, like a click

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self.fit)
            model.layoutChanged.connect(self.fit)
        self.fit()

    def min_tile_height(self) -> int:
        delegate = self.itemDelegate()
        fonts = delegate.fonts(self.font()) if isinstance(delegate, TileDelegate) else TileFonts.for_base(self.font())
        return min_tile_height(fonts)

    def fit(self) -> None:
        """Share the viewport out among the tiles (aisles get AISLE px)."""
        model = self.model()
        if not isinstance(model, SeatMapModel):
            return
        size = self.maximumViewportSize()
        min_h = self.min_tile_height()
        heights = _share(size.height(), model.rowCount(), model.aisle_rows(), min_h, self.AISLE)
        width = size.width()
        if sum(heights) > size.height():  # it will scroll: the bar takes its width
            width -= self.verticalScrollBar().sizeHint().width()
        widths = _share(width, model.columnCount(), model.aisle_columns(), self.MIN_W, self.AISLE)
        for i, h in enumerate(heights):
            self.verticalHeader().resizeSection(i, h)
        for i, w in enumerate(widths):
            self.horizontalHeader().resizeSection(i, w)
        delegate = self.itemDelegate()
        if isinstance(delegate, TileDelegate):
            delegate.forget_other_sizes(widths, heights)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def _clicked(self, index: QModelIndex) -> None:
        mid = index.data(MACHINE_ROLE)
        if mid:
            self.machineClicked.emit(mid)

    def select_machine(self, machine: str) -> None:
        model = self.model()
        if isinstance(model, SeatMapModel):
            ix = model.index_of(machine)
            if ix.isValid():
                self.setCurrentIndex(ix)
                self.scrollTo(ix)

    def least_width(self) -> int:
        """The width at which every column shows without scrolling, tiles at their least."""
        model = self.model()
        if not isinstance(model, SeatMapModel):
            return 0
        aisles = model.aisle_columns()
        return (model.columnCount() - len(aisles)) * self.MIN_W + len(aisles) * self.AISLE

    def least_height(self) -> int:
        """The height at which every row shows without scrolling, tiles at their least."""
        model = self.model()
        if not isinstance(model, SeatMapModel):
            return 0
        aisles = model.aisle_rows()
        return (model.rowCount() - len(aisles)) * self.min_tile_height() + len(aisles) * self.AISLE

    def comfortable_height(self) -> int:
        """Enough height for every row of roomy tiles (3 lines), aisles narrow."""
        model = self.model()
        if not isinstance(model, SeatMapModel):
            return 3 * 68
        rows = model.rowCount() - len(model.aisle_rows())
        return max(rows, 3) * 68 + len(model.aisle_rows()) * self.AISLE + 4

    def sizeHint(self) -> QSize:
        return QSize(8 * 130, self.comfortable_height())


def _share(total: int, count: int, aisles: frozenset[int], least: int, aisle: int) -> list[int]:
    """Section sizes: aisles get `aisle`, the rest share what is left (at least `least`), the
    remainder pixels to the first sections so the map ends flush with the viewport."""
    if count <= 0:
        return []
    tiles = count - len(aisles)
    if tiles <= 0:
        return [aisle] * count
    room = total - aisle * len(aisles)
    each, extra = divmod(max(room, least * tiles), tiles)
    out = []
    for i in range(count):
        if i in aisles:
            out.append(aisle)
        else:
            out.append(each + (1 if extra > 0 else 0))
            extra -= 1
    return out
