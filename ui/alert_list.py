"""Open alerts (提醒): what the service raised for a proctor to look at, newest first (a new one
shows at the top without scrolling), until a proctor acknowledges it (确认).

The model is a thin adapter over RoomView.alerts: an AlertRaised event inserts its row, an
AlertAcknowledged removes it, and only a whole snapshot resets the list.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from proctor.domain.events import AlertAcknowledged, AlertKind, AlertRaised
from proctor.link.console_client import RoomChange, RoomView

from . import icons, theme
from .header_bar import clock_hms
from .i18n import alert_detail, alert_label, translate
from .room_bridge import RoomBridge

ALERT_ROLE = Qt.ItemDataRole.UserRole + 1  # the alert's id
TICKET_ROLE = Qt.ItemDataRole.UserRole + 2
MACHINE_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("at", "kind", "machine", "detail", "candidate")  # the candidate's ticket may be cut off last


def column_title(key: str) -> str:
    return {
        "at": translate("Alerts", "Time"),
        "kind": translate("Alerts", "Alert"),
        "machine": translate("Alerts", "Machine"),
        "candidate": translate("Alerts", "Candidate"),
        "detail": translate("Alerts", "Detail"),
    }[key]


class AlertListModel(QAbstractTableModel):
    def __init__(self, view: RoomView, bridge: RoomBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self._ids: list[int] = sorted(view.alerts, reverse=True)
        bridge.changed.connect(self.on_change)

    def on_change(self, change: RoomChange) -> None:
        if change.whole:
            self.beginResetModel()
            self._ids = sorted(self.view.alerts, reverse=True)
            self.endResetModel()
            return
        for e in change.events:
            if isinstance(e, AlertRaised) and e.alert in self.view.alerts and self.row_of(e.alert) is None:
                row = next((i for i, a in enumerate(self._ids) if a < e.alert), len(self._ids))
                self.beginInsertRows(QModelIndex(), row, row)
                self._ids.insert(row, e.alert)
                self.endInsertRows()
            elif isinstance(e, AlertAcknowledged):
                row = self.row_of(e.alert)
                if row is not None:
                    self.beginRemoveRows(QModelIndex(), row, row)
                    del self._ids[row]
                    self.endRemoveRows()

    def row_of(self, alert: int) -> int | None:
        # Open alerts are few (the service bounds the ones strangers can raise): a scan will do.
        try:
            return self._ids.index(alert)
        except ValueError:
            return None

    def alert(self, row: int) -> dict[str, Any] | None:
        return self.view.alerts.get(self._ids[row]) if 0 <= row < len(self._ids) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a = self.alert(index.row())
        if a is None:
            return None
        key = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(a, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "  ".join(t for t in (self._display(a, k) for k in COLUMNS) if t)
        if role == ALERT_ROLE:
            return a["id"]
        if role == TICKET_ROLE:
            return a.get("ticket")
        if role == MACHINE_ROLE:
            return a.get("machine")
        if key == "kind":
            if role == Qt.ItemDataRole.DecorationRole:
                return icons.alert_icon(a["kind"])
            if role == Qt.ItemDataRole.ForegroundRole:
                return theme.brush(theme.alert_badge(a["kind"]).colour)
        return None

    def _display(self, a: dict[str, Any], key: str) -> str:
        if key == "at":
            return clock_hms(a["at"])
        if key == "kind":
            return alert_label(a["kind"])
        if key == "machine":
            return a.get("machine") or ""
        if key == "candidate":
            ticket = a.get("ticket")
            if not ticket:
                return ""
            c = self.view.candidates.get(ticket)
            return f"{c['name']} {ticket}" if c else ticket
        return alert_detail(a["kind"], a.get("detail") or "")


class AlertPanel(QWidget):
    """The list with its count and the 确认 button; `acknowledge(id)` when a proctor confirms
    the selected alert, `selected(ticket, machine)` to show whom it is about."""

    acknowledge = Signal(int)
    selected = Signal(str, str)

    def __init__(self, model: AlertListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertPanel")
        self.model = model
        self.title = QLabel(self)
        self.title.setObjectName("alertTitle")
        self.ack_button = QPushButton(
            icons.glyph_icon(theme.Glyph.CHECK, theme.OK), translate("Alerts", "Acknowledge"), self
        )
        self.ack_button.setObjectName("acknowledge")
        self.ack_button.setToolTip(
            translate("Alerts", "A proctor has seen the selected alert and deals with it; recorded with your names")
        )
        self.ack_button.setEnabled(False)
        self.table = QTableView(self)
        self.table.setObjectName("alerts")
        self.table.setModel(model)
        self._setup_table()

        top = QHBoxLayout()
        top.setContentsMargins(8, 6, 8, 4)
        top.addWidget(self.title, 1)
        top.addWidget(self.ack_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(top)
        lay.addWidget(self.table)
        self.setStyleSheet(
            f"""
            #alertTitle {{ font-weight: bold; color: {theme.MACHINE_TEXT}; }}
            #alertTitle[open="yes"] {{ color: {theme.ALERT}; }}
            """
        )

        self.pending: int | None = None  # the alert whose acknowledgement is on its way
        self.ack_button.clicked.connect(self._acknowledge)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _: self._acknowledge())
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self.update_title)
        self.update_title()

    def _setup_table(self) -> None:
        t = self.table
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setWordWrap(False)
        t.setIconSize(QSize(16, 16))
        t.verticalHeader().hide()
        t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 8)
        header = t.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fm = t.fontMetrics()
        samples = {"at": "00:00:00", "kind": "未知考试机接入", "machine": "A01", "detail": "已签到 2/3"}
        for col, key in enumerate(COLUMNS[:-1]):
            extra = 26 if key == "kind" else 0
            t.setColumnWidth(
                col, max(fm.horizontalAdvance(samples[key]) + extra, fm.horizontalAdvance(column_title(key)) + 18) + 14
            )

    def update_title(self, *_: Any) -> None:
        n = self.model.rowCount()
        self.title.setText(translate("Alerts", "Open alerts: {n}").format(n=n))
        state = "yes" if n else ""
        if self.title.property("open") != state:
            self.title.setProperty("open", state)
            self.title.style().unpolish(self.title)
            self.title.style().polish(self.title)
        self._update_button()

    def current_alert(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ALERT_ROLE) if rows else None

    def select_alert(self, alert: int) -> bool:
        row = self.model.row_of(alert)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def done(self) -> None:
        """The acknowledgement came back (or was refused): the button is free again."""
        self.pending = None
        self._update_button()

    def _acknowledge(self) -> None:
        alert = self.current_alert()
        if alert is None or self.pending is not None:
            return
        self.pending = alert
        self._update_button()
        self.acknowledge.emit(alert)

    def _selection_changed(self, *_: Any) -> None:
        self._update_button()
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.selected.emit(rows[0].data(TICKET_ROLE) or "", rows[0].data(MACHINE_ROLE) or "")

    def _update_button(self) -> None:
        self.ack_button.setEnabled(self.pending is None and self.current_alert() is not None)


class AlertStrip(QWidget):
    """The newest open alert in one line under the header, at every window size: what it is,
    where, about whom, and 确认 for it; 全部提醒 opens the list. A new alert also sounds."""

    acknowledge = Signal(int)
    show_all = Signal()
    selected = Signal(str, str)
    handle_incident = Signal()  # 应急处理… for an alert the emergency plan handles

    # Alerts whose handling is the emergency plan: the strip offers the incident guide.
    INCIDENT_KINDS = frozenset({AlertKind.WIDE_OUTAGE.value, AlertKind.INCIDENT_THRESHOLD.value})
    CHIME_GAP_S = 2.0  # a burst of alerts sounds once

    def __init__(
        self,
        model: AlertListModel,
        parent: QWidget | None = None,
        *,
        sound: Callable[[], None] = QApplication.beep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alertStrip")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.model = model
        self._sound, self._monotonic = sound, monotonic
        self._last_chime = float("-inf")
        self.chimes = 0
        self.pending: int | None = None
        self._urgent: int | None = None  # the newest open alert of INCIDENT_KINDS
        self.icon = QLabel(self)
        self.text = QLabel(self)
        self.text.setObjectName("alertStripText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.ack_button = QPushButton(translate("Alerts", "Acknowledge"), self)
        self.ack_button.setObjectName("stripAcknowledge")
        self.ack_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.ack_button.setToolTip(translate("Alerts", "Acknowledge this alert (Ctrl+Enter); recorded with your names"))
        self.incident_button = QPushButton(translate("Alerts", "Handle the incident…"), self)
        self.incident_button.setObjectName("stripIncident")
        self.incident_button.setToolTip(translate("Alerts", "Open the incident guide (Ctrl+Shift+H)"))
        self.all_button = QPushButton(self)
        self.all_button.setObjectName("stripShowAll")
        self.all_button.setToolTip(translate("Alerts", "Open the list of alerts (F4)"))
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 3, 8, 3)
        lay.setSpacing(8)
        lay.addWidget(self.icon)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.incident_button)
        lay.addWidget(self.ack_button)
        lay.addWidget(self.all_button)
        self.setStyleSheet(
            f"""
            #alertStrip {{ background: {theme.ALERT_FILL}; border-bottom: 1px solid {theme.ALERT}; }}
            #alertStripText {{ color: {theme.ALERT}; font-weight: bold; }}
            """
        )
        self.ack_button.clicked.connect(self._acknowledge)
        self.all_button.clicked.connect(self.show_all)
        self.incident_button.clicked.connect(self.handle_incident)
        model.rowsInserted.connect(self._inserted)
        model.modelReset.connect(self._find_urgent)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.dataChanged):
            signal.connect(self.refresh)
        self._find_urgent()
        self.refresh()

    def newest(self) -> dict[str, Any] | None:
        """The alert the strip shows: an open one the emergency plan handles first (a wide outage
        must not hide under the machines' own alerts raised with it), else the newest."""
        if self._urgent is not None and self.model.row_of(self._urgent) is not None:
            return self.model.view.alerts.get(self._urgent)
        self._urgent = None
        return self.model.alert(0)

    def _find_urgent(self, *_: Any) -> None:
        self._urgent = next(
            (a["id"] for r in range(self.model.rowCount()) if (a := self.model.alert(r)) and self._is_urgent(a)), None
        )

    def _is_urgent(self, a: dict[str, Any]) -> bool:
        return a.get("kind") in self.INCIDENT_KINDS

    def refresh(self, *_: Any) -> None:
        a = self.newest()
        self.setVisible(a is not None)
        if a is None:
            return
        parts = [clock_hms(a["at"]), alert_label(a["kind"])]
        where = a.get("machine") or ""
        ticket = a.get("ticket")
        c = self.model.view.candidates.get(ticket) if ticket else None
        who = f"{c['name']} {ticket}" if c else (ticket or "")
        detail = alert_detail(a["kind"], a.get("detail") or "")
        parts += [p for p in (where, who, detail) if p]
        self.text.setText("  ".join(parts))
        self.icon.setPixmap(icons.alert_icon(a["kind"]).pixmap(16, 16))
        self.incident_button.setVisible(a["kind"] in self.INCIDENT_KINDS)
        n = self.model.rowCount()
        self.all_button.setText(translate("Alerts", "All alerts ({n})").format(n=n))
        self.ack_button.setEnabled(self.pending is None)

    def done(self) -> None:
        self.pending = None
        self.refresh()

    def _acknowledge(self) -> None:
        a = self.newest()
        if a is None or self.pending is not None:
            return
        self.pending = a["id"]
        self.ack_button.setEnabled(False)
        self.acknowledge.emit(a["id"])

    def _inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        for r in range(first, last + 1):
            a = self.model.alert(r)
            if a is not None and self._is_urgent(a) and (self._urgent is None or a["id"] > self._urgent):
                self._urgent = a["id"]
        if first != 0:
            return  # an older alert filled in: not news
        now = self._monotonic()
        if now - self._last_chime >= self.CHIME_GAP_S:
            self._last_chime = now
            self.chimes += 1
            self._sound()

    def mousePressEvent(self, event: Any) -> None:
        a = self.newest()
        if a is not None:
            self.selected.emit(a.get("ticket") or "", a.get("machine") or "")
        super().mousePressEvent(event)
