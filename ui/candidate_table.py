"""The candidates of the current sitting as a table: every field a proctor sees per candidate
(DOMAIN §3), searchable and filterable, sortable by any column.

Rows follow RoomView's roster order; a change repaints exactly the rows whose candidates changed,
and the remaining time ticks by repainting that one column once a second. `CandidatesPane` puts
the search box, the filter and the count together with the table; an ID number is shown whole
only after a proctor asks for it (recorded by the room service) and only for `REVEAL_S`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from proctor.domain.room import Flag, State, needs_attention
from proctor.link.console_client import ConsoleClient, RoomChange, RoomView

from . import commands, icons, theme
from .exam_clock import ExamClock, duration_text
from .facts import flags_of
from .i18n import FLAGS, STATES, flag_label, gender_label, state_label, translate
from .room_bridge import RoomBridge
from .theme import Glyph

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
TICKET_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex

REVEAL_S = 60  # a revealed ID number is shown whole this long, then masked again
TICK_MS = 1000  # the remaining time repaints at most once a second
SOON_S = 15 * 60  # R12: the reminder 15 minutes before the end; the time left turns amber

# State and flags next to the name, then the time left: on a 1024-wide screen they are what must
# show without scrolling.
COLUMNS = (
    "machine",
    "seat",
    "ticket",
    "name",
    "state",
    "flags",
    "remaining",
    "answered",
    "id_masked",
    "gender",
    "last_contact",
    "extra_min",
    "logged_in_at",
)
# Whose time runs: answering, or between machines (reset) or on one alone (standalone), as on the
# seat map's tiles; a candidate logged in before the start has the whole sitting ahead.
_RUNNING = frozenset({State.ANSWERING.value, State.RESET.value, State.STANDALONE.value})
_TIMED = _RUNNING | {State.LOGGED_IN.value}
_DISPLAY, _DECORATION, _TOOLTIP, _ALIGNMENT, _FOREGROUND, _BACKGROUND, _FONT, _SORT, _TICKET = (
    int(r.value) if isinstance(r, Qt.ItemDataRole) else int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.FontRole,
        SORT_ROLE,
        TICKET_ROLE,
    )
)
_ROLES = frozenset((_DISPLAY, _DECORATION, _TOOLTIP, _ALIGNMENT, _FOREGROUND, _BACKGROUND, _FONT, _SORT, _TICKET))
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_NUMERIC = ("remaining", "answered", "last_contact", "extra_min", "logged_in_at")


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
        "remaining": translate("CandidateTable", "Time left"),
        "answered": translate("CandidateTable", "Answered"),
        "last_contact": translate("CandidateTable", "Last contact"),
        "extra_min": translate("CandidateTable", "Extra time"),
        "logged_in_at": translate("CandidateTable", "Logged in at"),
    }[key]


def column_tooltip(key: str) -> str:
    return {
        "remaining": translate("CandidateTable", "Time left to answer, on the exam clock (extra time included)"),
        "answered": translate("CandidateTable", "Questions answered, as the exam machine reports them"),
        "last_contact": translate(
            "CandidateTable", "When the exam machine last logged in, saved, submitted or reconnected for them"
        ),
        "id_masked": translate(
            "CandidateTable",
            "Masked but for the region code and the last four; Ctrl+I shows it whole (recorded with your names)",
        ),
    }.get(key, "")


def clock_text(epoch: float | None) -> str:
    if epoch is None:
        return ""
    return QDateTime.fromMSecsSinceEpoch(int(epoch * 1000)).toString("HH:mm:ss")


def id_tail(c: dict[str, Any]) -> str:
    """The last four characters of the ID number: all a masked row shows."""
    return (c.get("id_masked") or "")[-4:]


class CandidateTableModel(QAbstractTableModel):
    """One row per candidate of RoomView. `clock`: the exam clock the remaining time reads (the
    window's, so that every time on the screen agrees); without one the model keeps its own,
    set from each snapshot."""

    def __init__(
        self, view: RoomView, bridge: RoomBridge, parent: QObject | None = None, *, clock: ExamClock | None = None
    ) -> None:
        super().__init__(parent)
        self.view = view
        self._own_clock = clock is None
        self.clock = clock or ExamClock()
        if self._own_clock:
            self.clock.sync_header(view.header)
        self._tickets: list[str] = list(view.candidates)
        self._row: dict[str, int] = {t: i for i, t in enumerate(self._tickets)}
        self._revealed: dict[str, tuple[str, object]] = {}  # ticket -> (whole number, which reveal)
        self._bold: QFont | None = None
        # A repaint of a range repaints a view's whole viewport: a view tells which rows it shows.
        self.rows_shown: Callable[[], Iterable[int]] | None = None
        bridge.changed.connect(self.on_change)
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.tick)
        self.ticker.start()

    def on_change(self, change: RoomChange) -> None:
        if change.whole:
            if self._own_clock:
                self.clock.sync_header(self.view.header)
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

    def tick(self) -> None:
        """Repaint the time left, that column only, while someone's time runs: the rows on
        screen (`rows_shown`, set by a view that knows them) one cell each, else the column."""
        if not self._tickets or not any(c.get("state") in _RUNNING for c in self.view.candidates.values()):
            return
        col = COLUMNS.index("remaining")
        # Not SORT_ROLE: the order by time left is the order of the ends, which a tick leaves be.
        roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole]
        if self.rows_shown is None:
            self.dataChanged.emit(self.index(0, col), self.index(len(self._tickets) - 1, col), roles)
            return
        for row in self.rows_shown():
            ix = self.index(row, col)
            self.dataChanged.emit(ix, ix, roles)

    # -- revealed ID numbers ------------------------------------------------------------------------

    def reveal(self, ticket: str, number: str, seconds: float = REVEAL_S) -> None:
        """Show `number` whole in the candidate's row for `seconds`, then the mask again."""
        token = object()
        self._revealed[ticket] = (number, token)
        self._repaint(ticket, "id_masked")
        QTimer.singleShot(int(seconds * 1000), self, lambda: self._mask(ticket, token))

    def revealed(self, ticket: str) -> str | None:
        shown = self._revealed.get(ticket)
        return shown[0] if shown else None

    def _mask(self, ticket: str, token: object) -> None:
        if self._revealed.get(ticket, (None, None))[1] is token:  # not a later reveal's
            del self._revealed[ticket]
            self._repaint(ticket, "id_masked")

    def _repaint(self, ticket: str, key: str) -> None:
        row = self._row.get(ticket)
        if row is not None:
            ix = self.index(row, COLUMNS.index(key))
            self.dataChanged.emit(ix, ix)

    # -- reading ----------------------------------------------------------------------------------

    def row_of(self, ticket: str) -> int | None:
        return self._row.get(ticket)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._tickets)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column_title(COLUMNS[section])
        if role == Qt.ItemDataRole.ToolTipRole:
            return column_tooltip(COLUMNS[section]) or None
        return None

    def candidate(self, row: int) -> dict[str, Any] | None:
        if 0 <= row < len(self._tickets):
            return self.view.candidates.get(self._tickets[row])
        return None

    def remaining(self, c: dict[str, Any]) -> float | None:
        """Seconds left to answer on the exam clock, for a candidate whose time runs or is
        about to (logged in before the start: the whole sitting); None for anyone else."""
        now = self.clock.now()
        if now is None or c.get("state") not in _TIMED or c.get("end") is None:
            return None
        return max(0.0, float(c["end"]) - max(now, self._sitting_start() or now))

    def _sitting_start(self) -> float | None:
        h = self.view.header
        sittings, number = h.get("sittings") or (), h.get("sitting")
        s = next((x for x in sittings if x.get("number") == number), None)
        return float(s["start"]) if s and s.get("start") is not None else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A repaint asks every visible cell for a dozen roles: the ones not answered leave at once.
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        c = self.candidate(index.row())
        if c is None:
            return None
        key = COLUMNS[index.column()]
        if role == _DISPLAY:
            return self._display(c, key)
        if role == _SORT:
            return self._sort_value(c, key)
        if role == _TICKET:
            return c["ticket"]
        if role == _DECORATION:
            return self._decoration(c, key)
        if role == _TOOLTIP:
            return self._tooltip(c, key)
        if role == _ALIGNMENT:
            return _RIGHT if key in ("remaining", "answered", "extra_min") else None
        if role == _FOREGROUND:
            return self._foreground(c, key)
        if key == "state":
            if role == _BACKGROUND:
                return theme.brush(theme.tint(c["state"]).fill)
            if role == _FONT:
                if self._bold is None:
                    self._bold = QFont()
                    self._bold.setBold(True)
                return self._bold
        return None

    def _display(self, c: dict[str, Any], key: str) -> str:
        if key == "machine":
            return c.get("machine") or "---"
        if key == "seat":
            return c.get("seat") or ""
        if key == "gender":
            return gender_label(c.get("gender", ""))
        if key == "state":
            return state_label(c["state"])
        if key == "flags":
            return "、".join(flag_label(f) for f in flags_of(c))
        if key == "id_masked":
            return self.revealed(c["ticket"]) or c.get("id_masked") or ""
        if key == "remaining":
            left = self.remaining(c)
            return "" if left is None else duration_text(left)
        if key == "answered":
            n = c.get("answered")
            return "" if n is None else translate("CandidateTable", "{n} questions").format(n=n)
        if key == "extra_min":
            n = c.get("extra_min") or 0
            return translate("CandidateTable", "+{n} min").format(n=n) if n else ""
        if key in ("last_contact", "logged_in_at"):
            return clock_text(c.get(key))
        value = c.get(key)
        return "" if value is None else str(value)

    def _sort_value(self, c: dict[str, Any], key: str) -> Any:
        if key == "state":
            return state_label(c["state"])
        if key == "flags":
            return len(flags_of(c))
        if key == "remaining":  # by the end: the same order as the time left, and it does not tick
            return -1.0 if c.get("state") not in _TIMED or c.get("end") is None else float(c["end"])
        if key in _NUMERIC:
            value = c.get(key)
            return -1 if value is None else value
        value = c.get(key)
        return "" if value is None else str(value)

    def _decoration(self, c: dict[str, Any], key: str) -> Any:
        # A shape beside the words: colour is never the only cue.
        if key == "state":
            return icons.state_icon(c["state"])
        if key == "flags":
            return icons.flags_strip(flags_of(c))
        if key == "id_masked" and self.revealed(c["ticket"]):
            return icons.glyph_icon(Glyph.CARD, theme.WARN)
        return None

    def _foreground(self, c: dict[str, Any], key: str) -> Any:
        if key == "state":
            return theme.brush(theme.tint(c["state"]).accent)
        flags = flags_of(c)
        if key == "flags" and flags:
            return theme.brush(theme.badge(flags[0]).colour)
        if key == "machine" and Flag.OFFLINE.value in flags:
            return theme.brush(theme.OFFLINE_ACCENT)
        if key == "id_masked" and self.revealed(c["ticket"]):
            return theme.brush(theme.WARN)
        if key == "remaining" and c.get("state") in _RUNNING:
            left = self.remaining(c)
            if left is not None and left <= SOON_S:
                return theme.brush(theme.WARN)
        if key == "last_contact" and Flag.OFFLINE.value in flags:
            return theme.brush(theme.ALERT)
        return None

    def _tooltip(self, c: dict[str, Any], key: str) -> str | None:
        if key == "machine" and Flag.OFFLINE.value in flags_of(c):
            return translate("CandidateTable", "The exam machine has stopped answering")
        if key == "flags" and flags_of(c):
            words = "、".join(flag_label(f) for f in flags_of(c))
            if c.get("extra_min"):
                words += "\n" + translate("CandidateTable", "Extra time: {n} min").format(n=c["extra_min"])
            return words
        if key == "logged_in_at" and c.get("submitted_at"):
            return translate("CandidateTable", "Submitted at {t}").format(t=clock_text(c["submitted_at"]))
        if key == "remaining" and c.get("end") is not None:
            return translate("CandidateTable", "Ends at {t}").format(t=clock_text(c["end"]))
        if key == "answered":
            return translate("CandidateTable", "Saved {n} times").format(n=c.get("last_seq") or 0)
        if key == "id_masked":
            if self.revealed(c["ticket"]):
                return translate(
                    "CandidateTable", "Shown whole for {s} s at the proctors' request; recorded with their names"
                ).format(s=REVEAL_S)
            return column_tooltip("id_masked")
        return None


class CandidateFilter(QSortFilterProxyModel):
    """Free text over name, ticket, machine, seat and the ID number's last four; plus one kind:
    "attention" (needs a proctor), "state:x" or "flag:x"."""

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
            if what == "attention" and not needs_attention(c.get("flags", ())):
                return False
            if what == "present" and c.get("logged_in_at") is None:
                return False
            if what == "state" and c["state"] != value:
                return False
            if what == "flag" and value not in c.get("flags", ()):
                return False
        if self._text:
            hay = (c["ticket"], c["name"], c.get("machine") or "", c.get("seat") or "", id_tail(c))
            return any(self._text in h.casefold() for h in hay)
        return True


class CandidateTableView(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # a group for 补时
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
            "id_masked": "33038119900101097X ",  # room for a revealed number
            "state": max((state_label(x) for x in STATES), key=fm.horizontalAdvance) + "  ",
            "flags": flag_texts[-1] + "、…",  # the glyphs show every flag; the words, elided, the first
            "remaining": "2:00:00",
            "answered": translate("CandidateTable", "{n} questions").format(n=999),
            "last_contact": "00:00:00",
            "extra_min": translate("CandidateTable", "+{n} min").format(n=30),
            "logged_in_at": "00:00:00",
        }
        # Room for the icons in front: one state glyph, two flag glyphs, the revealed card.
        icon = {
            "state": self.iconSize().width() + 6,
            "flags": 2 * (icons.STRIP + 2) + 6,
            "id_masked": self.iconSize().width() + 6,
        }
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

    def selected_ticket(self) -> str | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return rows[0].data(TICKET_ROLE) if rows else None


class CandidatesPane(QWidget):
    """Search, filter, "N of M shown" and the table, over one RoomView.

    `revealRequested(ticket)`: a proctor asked to see the selected candidate's whole ID number
    (context menu or Ctrl+I); whoever holds the client asks the service (`connect_reveal`) and
    calls `show_revealed`. `ticketSelected(ticket)`: the proctor selected a row.
    """

    revealRequested = Signal(str)
    ticketSelected = Signal(str)

    def __init__(
        self, view: RoomView, bridge: RoomBridge, *, clock: ExamClock | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("candidatesPane")
        self.view = view
        self.model = CandidateTableModel(view, bridge, self, clock=clock)
        self.proxy = CandidateFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = CandidateTableView(self)
        self.table.setObjectName("candidateTable")
        self.table.setModel(self.proxy)
        self.table.fit_columns()
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # roster order until a header is clicked
        self.model.rows_shown = self._rows_on_screen
        self._build_filters()
        self._build_actions()
        self._build_layout()
        self._connect()
        self.update_shown()

    # -- building -------------------------------------------------------------------------------

    def _build_filters(self) -> None:
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            translate("CandidatesPane", "Search name, ticket no., machine or ID last 4 (Ctrl+F)")
        )
        self.kind = QComboBox(self)
        self.kind.setObjectName("kindFilter")
        self.kind.setToolTip(translate("CandidatesPane", "Show only candidates in one state, or with one flag"))
        self.kind.addItem(translate("CandidatesPane", "All candidates"), "")
        self.kind.addItem(
            icons.glyph_icon(Glyph.BANG, theme.ALERT), translate("CandidatesPane", "Needs attention"), "attention"
        )
        self.kind.setItemData(
            1,
            translate("CandidatesPane", "An open alert, offline, away, a violation, a wrong seat or a duplicate login"),
            Qt.ItemDataRole.ToolTipRole,
        )
        self.kind.addItem(icons.state_icon(State.ANSWERING.value), translate("CandidatesPane", "Present"), "present")
        self.kind.setItemData(
            2,
            translate("CandidatesPane", "Everyone who has logged in, whatever they do now"),
            Qt.ItemDataRole.ToolTipRole,
        )
        self.kind.insertSeparator(self.kind.count())
        for s in STATES:
            self.kind.addItem(icons.state_icon(s), state_label(s), f"state:{s}")
        self.kind.insertSeparator(self.kind.count())
        for f in FLAGS:
            self.kind.addItem(icons.flag_icon(f), flag_label(f), f"flag:{f}")
        self.shown = QLabel(self)
        self.shown.setObjectName("shown")
        self._place: tuple[str | None, int] = (None, 0)

    def _build_actions(self) -> None:
        self.reveal_action = QAction(
            icons.glyph_icon(Glyph.CARD, theme.WARN), translate("CandidatesPane", "Show whole ID number"), self
        )
        self.reveal_action.setObjectName("revealAction")
        self.reveal_action.setShortcut(QKeySequence("Ctrl+I"))
        self.reveal_action.setToolTip(
            translate(
                "CandidatesPane", "Shows the selected candidate's whole ID number for {s} s; recorded with your names"
            ).format(s=REVEAL_S)
        )
        self.reveal_action.setEnabled(False)
        self.reveal_action.triggered.connect(self.request_reveal)
        self.find_action = QAction(translate("CandidatesPane", "Find a candidate"), self)
        self.find_action.setObjectName("findAction")
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        self.addActions([self.reveal_action, self.find_action])
        # Esc in the search box clears it; pressed again (empty), back to the table.
        self._escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search)
        self._escape.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._escape.activated.connect(self._escape_search)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        filters.setContentsMargins(8, 6, 8, 4)
        filters.setSpacing(8)
        filters.addWidget(self.search, 3)
        filters.addWidget(self.kind, 1)
        filters.addWidget(self.shown)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(filters)
        lay.addWidget(self.table, 1)
        self.setStyleSheet(f"#shown {{ color: {theme.NOTE}; }}")

    def _connect(self) -> None:
        self.search.textChanged.connect(self._filter_changed)
        self.search.returnPressed.connect(self._to_first_row)
        self.kind.currentIndexChanged.connect(self._filter_changed)
        for sig in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset, self.proxy.layoutChanged):
            sig.connect(self.update_shown)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # A whole snapshot (a new phase, a sign-in) resets the rows: the proctor keeps their place.
        self.proxy.modelAboutToBeReset.connect(self._remember_place)
        self.proxy.modelReset.connect(self._restore_place)
        self.table.customContextMenuRequested.connect(self._context_menu_at)

    # -- filters and selection -------------------------------------------------------------------

    def _filter_changed(self, *_: Any) -> None:
        self.proxy.set_text(self.search.text())
        self.proxy.set_kind(self.kind.currentData() or "")
        self.update_shown()

    def update_shown(self, *_: Any) -> None:
        self.shown.setText(
            translate("CandidatesPane", "{shown} of {total} shown").format(
                shown=self.proxy.rowCount(), total=self.model.rowCount()
            )
        )

    def clear_filters(self) -> None:
        self.search.clear()
        self.kind.setCurrentIndex(0)

    def select_ticket(self, ticket: str) -> bool:
        """Select the candidate's row, clearing a search or filter that hides them."""
        if self.table.select_ticket(ticket):
            return True
        if self.model.row_of(ticket) is None:
            return False
        self.clear_filters()  # the proctor asked for this candidate: show them
        return self.table.select_ticket(ticket)

    def selected_ticket(self) -> str | None:
        return self.table.selected_ticket()

    def _selection_changed(self, *_: Any) -> None:
        ticket = self.selected_ticket()
        self.reveal_action.setEnabled(ticket is not None)
        if ticket:
            self.ticketSelected.emit(ticket)

    def _remember_place(self) -> None:
        self._place = (self.selected_ticket(), self.table.verticalScrollBar().value())

    def _restore_place(self) -> None:
        ticket, scrolled = self._place
        row = self.model.row_of(ticket) if ticket else None
        ix = self.proxy.mapFromSource(self.model.index(row, 0)) if row is not None else None
        if ix is not None and ix.isValid():
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.table.selectionModel().setCurrentIndex(ix, flags)
        self.table.verticalScrollBar().setValue(scrolled)
        self.reveal_action.setEnabled(self.selected_ticket() is not None)

    def _rows_on_screen(self) -> list[int]:
        """The model's rows the table shows now; none while it is hidden (another tab)."""
        if not self.table.isVisible():
            return []
        first = self.table.rowAt(0)
        if first < 0:
            return []
        last = self.table.rowAt(self.table.viewport().height() - 1)
        last = self.proxy.rowCount() - 1 if last < 0 else last
        rows = (self.proxy.mapToSource(self.proxy.index(r, 0)) for r in range(first, last + 1))
        return [ix.row() for ix in rows if ix.isValid()]

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _escape_search(self) -> None:
        if self.search.text():
            self.search.clear()
        else:
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _to_first_row(self) -> None:
        if self.proxy.rowCount():
            self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- revealing an ID number ------------------------------------------------------------------

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.reveal_action)
        return menu

    def _context_menu_at(self, pos: QPoint) -> None:
        ix = self.table.indexAt(pos)
        if ix.isValid():
            self.table.selectRow(ix.row())
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def request_reveal(self) -> None:
        ticket = self.selected_ticket()
        if ticket:
            self.revealRequested.emit(ticket)

    def show_revealed(self, ticket: str, number: str, seconds: float = REVEAL_S) -> None:
        self.model.reveal(ticket, number, seconds)


def connect_reveal(pane: CandidatesPane, client: ConsoleClient | None, parent: QWidget) -> None:
    """Each reveal the proctors ask for goes to the room service, which records it; the number
    comes back in its reply only. A refusal (nobody signed in, say) is told in words."""

    def reveal(ticket: str) -> None:
        work = client.reveal_id_number(ticket) if client is not None else commands.no_client()
        commands.run(parent, work, lambda number: pane.show_revealed(ticket, number))

    pane.revealRequested.connect(reveal)
