"""The candidate table: one row per candidate of the current sitting, filterable and sortable.

Rows follow RoomView's roster order; a change repaints exactly the rows whose candidates changed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from proctor.domain.room import Flag
from proctor.link.console_client import RoomChange, RoomView

from . import icons, theme
from .facts import flags_of
from .i18n import FLAGS, STATES, flag_label, gender_label, state_label, translate
from .room_bridge import RoomBridge

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
TICKET_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex

# State and flags next to the name: on a 1024-wide screen they are what must show without scrolling.
COLUMNS = (
    "machine",
    "seat",
    "ticket",
    "name",
    "state",
    "flags",
    "gender",
    "id_masked",
    "last_seq",
    "answered",
    "logged_in_at",
)


def column_title(key: str) -> str:
    return {
        "machine": translate("CandidateTable", "Machine"),
        "seat": translate("CandidateTable", "Seat"),
        "ticket": translate("CandidateTable", "Ticket no."),
        "name": translate("CandidateTable", "Name"),
        "gender": translate("CandidateTable", "Gender"),
        "id_masked": translate("CandidateTable", "ID no."),
        "state": translate("CandidateTable", "State"),
        "flags": translate("CandidateTable", "Flags"),
        "last_seq": translate("CandidateTable", "Saved"),
        "answered": translate("CandidateTable", "Answered"),
        "logged_in_at": translate("CandidateTable", "Logged in at"),
    }[key]


def clock_text(epoch: float | None) -> str:
    if epoch is None:
        return ""
    return QDateTime.fromMSecsSinceEpoch(int(epoch * 1000)).toString("HH:mm:ss")


class CandidateTableModel(QAbstractTableModel):
    def __init__(self, view: RoomView, bridge: RoomBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._tickets: list[str] = list(view.candidates)
        self._row: dict[str, int] = {t: i for i, t in enumerate(self._tickets)}
        self._bold: QFont | None = None
        bridge.changed.connect(self.on_change)

    def on_change(self, change: RoomChange) -> None:
        if change.whole:
            self.beginResetModel()
            self._tickets = list(self.view.candidates)
            self._row = {t: i for i, t in enumerate(self._tickets)}
            self.endResetModel()
            return
        last = len(COLUMNS) - 1
        for ticket in change.tickets:
            row = self._row.get(ticket)
            if row is None:
                if ticket not in self.view.candidates:
                    continue
                # A candidate new to this room (transferred in) joins at the end.
                row = len(self._tickets)
                self.beginInsertRows(QModelIndex(), row, row)
                self._tickets.append(ticket)
                self._row[ticket] = row
                self.endInsertRows()
                continue
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def row_of(self, ticket: str) -> int | None:
        return self._row.get(ticket)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._tickets)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return column_title(COLUMNS[section])
        return None

    def candidate(self, row: int) -> dict[str, Any] | None:
        if 0 <= row < len(self._tickets):
            return self.view.candidates.get(self._tickets[row])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self.candidate(index.row())
        if c is None:
            return None
        key = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(c, key, flags_of(c) if key == "flags" else ())
        if role == SORT_ROLE:
            value = c.get(key)
            if key == "state":
                return state_label(c["state"])
            if key == "flags":
                return len(flags_of(c))
            if key in ("last_seq", "answered", "logged_in_at"):
                return -1 if value is None else value
            return "" if value is None else str(value)
        if role == TICKET_ROLE:
            return c["ticket"]
        if role == Qt.ItemDataRole.DecorationRole:
            # A shape beside the words: colour is never the only cue.
            if key == "state":
                return icons.state_icon(c["state"])
            if key == "flags":
                return icons.flags_strip(flags_of(c))
            return None
        if key == "state":
            t = theme.tint(c["state"])
            if role == Qt.ItemDataRole.BackgroundRole:
                return theme.brush(t.fill)
            if role == Qt.ItemDataRole.ForegroundRole:
                return theme.brush(t.accent)
            if role == Qt.ItemDataRole.FontRole:
                if self._bold is None:
                    self._bold = QFont()
                    self._bold.setBold(True)
                return self._bold
        if key in ("flags", "machine") and role == Qt.ItemDataRole.ForegroundRole:
            flags = flags_of(c)
            if key == "flags" and flags:
                return theme.brush(theme.badge(flags[0]).colour)
            if key == "machine" and Flag.OFFLINE.value in flags:
                return theme.brush(theme.OFFLINE_ACCENT)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("last_seq", "answered"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "machine" and Flag.OFFLINE.value in flags_of(c):
                return translate("CandidateTable", "The exam machine has stopped answering")
            if key == "flags" and c.get("extra_min"):
                return translate("CandidateTable", "Extra time: {n} min").format(n=c["extra_min"])
            if key == "logged_in_at" and c.get("submitted_at"):
                return translate("CandidateTable", "Submitted at {t}").format(t=clock_text(c["submitted_at"]))
        return None

    @staticmethod
    def _display(c: dict[str, Any], key: str, flags: list[str] | tuple[str, ...]) -> str:
        if key == "machine":
            return c.get("machine") or "---"
        if key == "seat":
            return c.get("seat") or ""
        if key == "gender":
            return gender_label(c.get("gender", ""))
        if key == "state":
            return state_label(c["state"])
        if key == "flags":
            return "、".join(flag_label(f) for f in flags)
        if key == "logged_in_at":
            return clock_text(c.get("logged_in_at"))
        value = c.get(key)
        return "" if value is None else str(value)


class CandidateFilter(QSortFilterProxyModel):
    """Free text over ticket, name, machine and seat; plus one state or flag ("state:x", "flag:x")."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._kind = ""
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_kind(self, kind: str) -> None:
        self.beginFilterChange()
        self._kind = kind
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, CandidateTableModel):
            return True
        c = model.candidate(source_row)
        if c is None:
            return False
        if self._kind:
            what, _, value = self._kind.partition(":")
            if what == "state" and c["state"] != value:
                return False
            if what == "flag" and value not in flags_of(c):
                return False
        if self._text:
            hay = (c["ticket"], c["name"], c.get("machine") or "", c.get("seat") or "")
            return any(self._text in h.casefold() for h in hay)
        return True


class CandidateTableView(QTableView):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setIconSize(QSize(16, 16))
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def fit_columns(self) -> None:
        """Width from the text, once: resizing to contents on every change would cost a full scan."""
        fm = self.fontMetrics()
        flag_texts = sorted((flag_label(f) for f in FLAGS), key=fm.horizontalAdvance)
        samples = {
            "machine": "A01 ",
            "seat": "A01 ",
            "ticket": "273303001001 ",
            "name": "阿依古丽·买买提",
            "gender": "男 ",
            "id_masked": "330381********097X ",
            "state": max((state_label(x) for x in STATES), key=fm.horizontalAdvance) + "  ",
            "flags": "、".join(flag_texts[-2:]),
            "last_seq": "9999",
            "answered": "999",
            "logged_in_at": "00:00:00",
        }
        # Room for the icons in front: one state glyph, two flag glyphs.
        icon = {"state": self.iconSize().width() + 6, "flags": 2 * (icons.STRIP + 2) + 6}
        for col, key in enumerate(COLUMNS):
            title = column_title(key)
            width = max(fm.horizontalAdvance(samples[key]) + icon.get(key, 0), fm.horizontalAdvance(title) + 18) + 14
            self.setColumnWidth(col, width)

    def select_ticket(self, ticket: str) -> bool:
        proxy = self.model()
        if not isinstance(proxy, QSortFilterProxyModel):
            return False
        source = proxy.sourceModel()
        if not isinstance(source, CandidateTableModel):
            return False
        row = source.row_of(ticket)
        if row is None:
            return False
        ix = proxy.mapFromSource(source.index(row, 0))
        if not ix.isValid():
            return False
        self.selectRow(ix.row())
        self.scrollTo(ix, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True
