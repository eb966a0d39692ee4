"""The seat map: one tile per exam machine, laid out as the room is (row, col).

A thin adapter over RoomView (STYLE.md): the model answers per cell and emits dataChanged for
exactly the tiles a change touched; the delegate paints a tile from cached brushes and badges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPen, QPixmap, QStaticText
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from proctor.domain.room import Flag
from proctor.link.console_client import RoomChange, RoomView

from . import theme
from .facts import flags_of
from .i18n import flag_label, state_label, translate
from .room_bridge import RoomBridge

TILE_ROLE = Qt.ItemDataRole.UserRole + 1
MACHINE_ROLE = Qt.ItemDataRole.UserRole + 2
TICKET_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Tile:
    machine: str
    spare: bool
    online: bool
    candidate: dict[str, Any] | None
    # True when the candidate is shown from the seat plan, not because they logged in here.
    planned: bool = False
    flags: tuple[str, ...] = ()


class SeatMapModel(QAbstractTableModel):
    def __init__(self, view: RoomView, bridge: RoomBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._rows = 0
        self._cols = 0
        self._cell: dict[tuple[int, int], str] = {}  # (row, col) -> machine id
        self._pos: dict[str, tuple[int, int]] = {}
        self._seat: dict[str, str] = {}  # machine id -> ticket seated there by the plan
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
        return Tile(machine, bool(m.get("spare")), bool(m.get("online")), cand, planned, flags)

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
    """The words on a tile: machine, who, state and flags (colour is never the only cue)."""
    c = tile.candidate
    if c is None:
        who = translate("SeatMap", "Spare") if tile.spare else "---"
        out = [tile.machine, who]
        if not tile.online:
            out.append(translate("SeatMap", "Not connected"))
        return out
    return [tile.machine, c["name"], state_label(c["state"]), *(flag_label(f) for f in tile.flags)]


def tile_tooltip(tile: Tile) -> str:
    conn = translate("SeatMap", "online") if tile.online else translate("SeatMap", "not connected")
    kind = translate("SeatMap", "spare machine") if tile.spare else translate("SeatMap", "exam machine")
    lines = [translate("SeatMap", "{machine} ({kind}, {conn})").format(machine=tile.machine, kind=kind, conn=conn)]
    c = tile.candidate
    if c is not None:
        lines.append(f"{c['name']}  {c['ticket']}")
        lines.append(translate("SeatMap", "State: {state}").format(state=state_label(c["state"])))
        if tile.flags:
            flags = "、".join(flag_label(f) for f in tile.flags)
            lines.append(translate("SeatMap", "Flags: {flags}").format(flags=flags))
        if tile.planned:
            lines.append(translate("SeatMap", "Seated here by the plan; not logged in yet"))
    return "\n".join(lines)


class TileDelegate(QStyledItemDelegate):
    """Paints a tile. Badges and pills are cached pixmaps; fonts and metrics per base font."""

    MARGIN = 3
    PAD = 6

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pixmaps: dict[tuple[Any, ...], QPixmap] = {}
        self._fonts: dict[str, tuple[QFont, QFont, QFont, QFontMetrics, QFontMetrics, QFontMetrics]] = {}
        self._names: dict[tuple[str, int, str], QStaticText] = {}

    def fonts(self, base: QFont) -> tuple[QFont, QFont, QFont, QFontMetrics, QFontMetrics, QFontMetrics]:
        key = base.key()
        got = self._fonts.get(key)
        if got is None:
            small = QFont(base)
            small.setPointSizeF(max(7.0, base.pointSizeF() - 1))
            bold = QFont(base)
            bold.setBold(True)
            name = QFont(base)
            name.setPointSizeF(base.pointSizeF() + 2)
            got = (bold, name, small, QFontMetrics(bold), QFontMetrics(name), QFontMetrics(small))
            self._fonts[key] = got
        return got

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(120, 64)

    def pill(
        self, text: str, bg: str, fg: str, font: QFont, fm: QFontMetrics, dpr: float, outline: bool = False
    ) -> QPixmap:
        key = (text, bg, fg, font.key(), dpr, outline)
        pm = self._pixmaps.get(key)
        if pm is None:
            w, h = fm.horizontalAdvance(text) + 10, fm.height() + 2
            pm = QPixmap(round(w * dpr), round(h * dpr))
            pm.setDevicePixelRatio(dpr)
            pm.fill(Qt.GlobalColor.transparent)
            p = QPainter(pm)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            rect = QRectF(0.5, 0.5, w - 1, h - 1)
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

    def name_text(self, name: str, width: int, font: QFont, fm: QFontMetrics) -> QStaticText:
        """Names are laid out once per width, not on every paint (PLATFORM.md: text layout is the cost)."""
        key = (name, width, font.key())
        st = self._names.get(key)
        if st is None:
            if len(self._names) > 5000:  # widths change on resize; old layouts are just dropped
                self._names.clear()
            st = QStaticText(fm.elidedText(name, Qt.TextElideMode.ElideRight, max(0, width)))
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(font=font)
            self._names[key] = st
        return st

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        tile = index.data(TILE_ROLE)
        if tile is None:
            return
        bold, name_font, small, fm_bold, fm_name, fm_small = self.fonts(option.font)
        dpr = painter.device().devicePixelRatioF()
        r = option.rect.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = tile.candidate
        offline = Flag.OFFLINE.value in tile.flags
        if c is None:
            painter.setPen(QPen(theme.color(theme.EMPTY_BORDER), 1, Qt.PenStyle.DashLine))
            painter.setBrush(theme.brush(theme.EMPTY_FILL_ONLINE if tile.online else theme.EMPTY_FILL_OFFLINE))
        else:
            t = theme.tint(c["state"])
            painter.setPen(QPen(theme.color(theme.OFFLINE_ACCENT if offline else t.accent), 1))
            painter.setBrush(theme.brush(theme.OFFLINE_FILL if offline else t.fill))
        painter.drawRoundedRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5)
        if c is not None:
            bar = QRect(r.left() + 1, r.top() + 1, 4, r.height() - 2)
            painter.fillRect(bar, theme.color(theme.OFFLINE_ACCENT if offline else theme.tint(c["state"]).accent))
        if offline:
            # A second cue besides the grey: offline tiles are hatched.
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.hatch())
            painter.drawRoundedRect(QRectF(r).adjusted(1, 1, -1, -1), 5, 5)

        inner = r.adjusted(self.PAD + 2, 3, -4, -3)  # wider on the left: the state bar is there
        # line 1: machine id, connection dot, state pill
        line_h = fm_bold.height()
        painter.setFont(bold)
        painter.setPen(theme.color(theme.MACHINE_TEXT))
        painter.drawText(
            QRect(inner.left(), inner.top(), inner.width(), line_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            tile.machine,
        )
        dot_x = inner.left() + fm_bold.horizontalAdvance(tile.machine) + 5
        dot = QRectF(dot_x, inner.top() + line_h / 2 - 3.5, 7, 7)
        if tile.online:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.brush(theme.OK))
        else:
            painter.setPen(QPen(theme.color(theme.OFFLINE_ACCENT), 1.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(dot)
        if c is not None:
            accent = theme.OFFLINE_PILL if offline else theme.tint(c["state"]).accent
            pm = self.pill(state_label(c["state"]), accent, theme.WHITE, small, fm_small, dpr)
            pw = pm.width() / dpr
            painter.drawPixmap(int(inner.right() - pw + 1), inner.top() + (line_h - int(pm.height() / dpr)) // 2, pm)

        # badges, right-aligned: on their own line when the tile is tall enough
        badges = []
        if c is not None:
            for f in tile.flags:
                b = theme.badge(f)
                badges.append(
                    self.pill(
                        flag_label(f),
                        b.colour,
                        theme.WHITE if b.solid else b.colour,
                        small,
                        fm_small,
                        dpr,
                        outline=not b.solid,
                    )
                )
        badge_h = fm_small.height() + 2
        name_top = inner.top() + line_h + 1
        three_lines = inner.height() >= line_h + fm_name.height() + badge_h + 2
        name_rect = QRect(inner.left(), name_top, inner.width(), fm_name.height())
        answered = ""
        if three_lines and c is not None and c.get("answered") is not None and c["state"] in ("answering", "submitted"):
            answered = translate("SeatMap", "answered {n}").format(n=c["answered"])
            badges_w = sum(pm.width() / dpr + 3 for pm in badges)
            if fm_small.horizontalAdvance(answered) + 6 + badges_w > inner.width():
                answered = ""  # a flag matters more than the count: the count is in the table too
        if answered:
            painter.setFont(small)
            painter.setPen(theme.color(theme.NOTE))
            painter.drawText(
                QRect(inner.left(), inner.bottom() - badge_h + 1, inner.width(), badge_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                answered,
            )
        if badges:
            if three_lines:
                limit = inner.left() + (fm_small.horizontalAdvance(answered) + 6 if answered else 0)
                self._draw_badges(painter, badges, inner.right(), inner.bottom() - badge_h + 1, limit, dpr)
            else:
                y = name_top + (fm_name.height() - badge_h) // 2
                used = self._draw_badges(painter, badges, inner.right(), y, inner.left() + inner.width() // 2, dpr)
                name_rect.setRight(inner.right() - used - 4)

        # line 2: who
        painter.setFont(name_font)
        if c is None:
            painter.setPen(theme.color(theme.PLACEHOLDER))
            who = translate("SeatMap", "Spare") if tile.spare else "---"
            painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, who)
        else:
            painter.setPen(theme.color(theme.TEXT_DIM if tile.planned or offline else theme.TEXT))
            painter.drawStaticText(
                name_rect.topLeft(), self.name_text(c["name"], name_rect.width(), name_font, fm_name)
            )
        if selected:
            painter.setPen(QPen(option.palette.highlight().color(), 2.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(r).adjusted(1, 1, -1, -1), 5, 5)
        painter.restore()

    @staticmethod
    def _draw_badges(painter: QPainter, badges: list[QPixmap], right: int, y: int, limit: int, dpr: float) -> int:
        """Right to left, as many as fit; returns the width used."""
        x = right + 1
        for pm in badges:
            w = pm.width() / dpr
            if x - w < limit:
                break
            x -= w
            painter.drawPixmap(int(x), y, pm)
            x -= 3
        return int(right + 1 - x)


class SeatMapView(QTableView):
    """Tiles fill the space they get, down to a readable minimum, then the map scrolls."""

    machineClicked = Signal(str)

    MIN_W, MIN_H = 96, 46

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(TileDelegate(self))
        self.setShowGrid(False)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        for header, minimum in ((self.horizontalHeader(), self.MIN_W), (self.verticalHeader(), self.MIN_H)):
            header.setMinimumSectionSize(minimum)
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setFrameShape(QTableView.Shape.NoFrame)
        self.setMouseTracking(True)
        self.clicked.connect(self._clicked)

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

    def comfortable_height(self) -> int:
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        return max(rows, 3) * 68 + 4

    def sizeHint(self) -> QSize:
        return QSize(8 * 130, self.comfortable_height())
