"""An overbooked room (考场超排, DOMAIN §6): seats are not bound, so the candidates not at a
machine yet are listed apart from the map, by the last three digits of their ticket number, as
the seeds' sign-in sheet does; the proctor gives each a seat at random on entry and the machine
shows on the map once they log in there."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QVBoxLayout, QWidget

from proctor.link.console_client import RoomChange, RoomView

from . import icons, theme
from .i18n import state_label, translate
from .room_bridge import RoomBridge

TICKET_ROLE = Qt.ItemDataRole.UserRole + 1
TAIL = 3  # the ticket's last digits a proctor calls out

Index = QModelIndex | QPersistentModelIndex


def tail(ticket: str) -> str:
    return ticket[-TAIL:]


class UnseatedModel(QAbstractListModel):
    """Candidates of an overbooked room with no machine, in ticket order; a login takes the
    candidate off the list, a reset puts them back."""

    def __init__(self, view: RoomView, bridge: RoomBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._tickets = self._wanted()
        bridge.changed.connect(self.on_change)

    def _unseated(self, ticket: str) -> bool:
        c = self.view.candidates.get(ticket)
        return bool(self.view.header.get("overbooked")) and c is not None and not c.get("machine")

    def _wanted(self) -> list[str]:
        return sorted(t for t in self.view.candidates if self._unseated(t))

    def on_change(self, change: RoomChange) -> None:
        if change.whole:
            self.beginResetModel()
            self._tickets = self._wanted()
            self.endResetModel()
            return
        for t in change.tickets:
            here = t in self._tickets
            if here and not self._unseated(t):
                row = self._tickets.index(t)
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._tickets[row]
                self.endRemoveRows()
            elif not here and self._unseated(t):
                row = next((i for i, x in enumerate(self._tickets) if x > t), len(self._tickets))
                self.beginInsertRows(QModelIndex(), row, row)
                self._tickets.insert(row, t)
                self.endInsertRows()
            elif here:
                ix = self.index(self._tickets.index(t))
                self.dataChanged.emit(ix, ix)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._tickets)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._tickets):
            return None
        ticket = self._tickets[index.row()]
        c = self.view.candidates.get(ticket) or {}
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{tail(ticket)} {c.get('name', '')}"
        if role == TICKET_ROLE:
            return ticket
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.state_icon(c.get("state", ""))
        if role == Qt.ItemDataRole.ForegroundRole:
            return theme.brush(theme.tint(c.get("state", "")).accent)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{c.get('name', '')}  {ticket}  {state_label(c.get('state', ''))}"
        return None


class UnseatedList(QWidget):
    """The list under the map, shown only in an overbooked room while someone is unseated."""

    candidateClicked = Signal(str)

    def __init__(self, model: UnseatedModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unseated")
        self.model = model
        self.title = QLabel(self)
        self.title.setObjectName("unseatedTitle")
        self.list = QListView(self)
        self.list.setModel(model)
        self.list.setViewMode(QListView.ViewMode.ListMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setUniformItemSizes(True)
        self.list.setSpacing(2)
        self.list.setIconSize(QSize(12, 12))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setMaximumHeight(self.fontMetrics().height() * 4 + 12)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 2, 6, 2)
        lay.setSpacing(2)
        lay.addWidget(self.title)
        lay.addWidget(self.list)
        self.setStyleSheet(f"#unseatedTitle {{ font-weight: bold; color: {theme.MACHINE_TEXT}; }}")
        self.list.clicked.connect(self._clicked)
        self.list.activated.connect(self._clicked)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self.refresh)
        self.refresh()

    def refresh(self, *_: Any) -> None:
        n = self.model.rowCount()
        self.title.setText(
            translate(
                "Unseated",
                "Not at a machine yet: {n} (by the last three digits of the ticket number; "
                "the machine shows after login)",
            ).format(n=n)
        )
        self.setVisible(n > 0)

    def _clicked(self, index: QModelIndex) -> None:
        ticket = index.data(TICKET_ROLE)
        if ticket:
            self.candidateClicked.emit(ticket)
