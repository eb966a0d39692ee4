"""The proctor console's main window: header, connection banner, seat map over the candidate
table and the open alerts; the proctors sign in here before anything else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, QLocale, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QDockWidget, QLabel, QMainWindow, QMenu, QVBoxLayout, QWidget

from proctor.domain.commands import AcknowledgeAlert
from proctor.link.console_client import ConsoleClient, RoomChange, RoomView

from . import ask, commands, icons, report_print, theme
from .alert_list import AlertListModel, AlertPanel, AlertStrip
from .candidate_panel import CandidatePanel, PhotoSource, with_key
from .candidate_table import TICKET_ROLE, CandidatesPane
from .console_lock import ConsoleLock, LockDialog, LockScreen
from .exam_clock import ExamClock
from .header_bar import HeaderBar, clock_hms
from .i18n import translate
from .operations import CANDIDATE_OPERATIONS, INCIDENT, ROOM_OPERATIONS, CandidateOperation, RoomOperation
from .room_bridge import RoomBridge
from .seat_map import TICKET_ROLE as TILE_TICKET_ROLE
from .seat_map import SeatMapModel, SeatMapView
from .sign_in import SignInDialog
from .theme import Glyph
from .unseated import UnseatedList, UnseatedModel

REFRESH_MS = 250  # counts and labels follow changes at most 4 times a second (a burst of logins costs no more)


class MainWindow(QMainWindow):
    languageRequested = Signal(str)  # "zh" or "en": whoever made the window makes it again in that language

    DOCK_LEAST_H = 240  # px: below this the list under the map shows too few rows to be worth it
    PANEL_W = 340  # px, the candidate panel: a photo to compare with the person, and their details

    def __init__(
        self,
        view: RoomView,
        *,
        client: ConsoleClient | None = None,
        package_header: dict[str, Any] | None = None,
        expected_fingerprint: str | None = None,
        photos: PhotoSource | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.view, self.client = view, client
        self.package_header, self.photos = package_header, photos  # to build this window again
        self.expected_fingerprint = expected_fingerprint
        self.confirm_on_close = False
        # Names to sign in with as soon as the service answers (--proctors): demos and screenshots.
        self.auto_proctors: list[str] = []
        # A machine whose candidate to open once they are logged in there (--open): demos, screenshots.
        self.open_on_arrival: str | None = None
        self._updated_at: float | None = None  # exam time of the last change the service sent
        self.sign_in_dialog: SignInDialog | None = None
        self.dialogs: dict[str, QDialog] = {}  # the open operation dialogs, by operation name
        self._close_confirmed = False
        self._ever_connected = view.connected
        self._was_connected = view.connected
        self._syncing_selection = False
        self._sized = False
        self._user_sized = False  # once the proctor shows or hides a dock, keep their choice

        self.bridge = RoomBridge(view, self)
        self.clock = ExamClock()
        self.clock.sync_header(view.header)
        self.header_bar = HeaderBar(view, self.clock, self)
        self.header_bar.fallback = package_header or {}

        self._build_room(photos)
        self._build_layout()
        self._build_actions()
        self._build_status_bar()
        self._connect()

        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.refresh)
        self.ticker = QTimer(self)
        self.ticker.timeout.connect(self.tick)
        self._set_tick_interval()
        self.ticker.start()

        self.resize(1280, 800)
        self.setMinimumSize(900, 600)  # fits a 1024×768 screen with a taskbar
        self.refresh()

    # -- building -------------------------------------------------------------------------------

    def _build_room(self, photos: PhotoSource | None) -> None:
        """The seat map, the candidate table and the candidate panel, all over the one RoomView."""
        self.seat_model = SeatMapModel(self.view, self.bridge, self, clock=self.clock)
        self.seat_view = SeatMapView(self)
        self.seat_view.setModel(self.seat_model)
        self.candidates = CandidatesPane(self.view, self.bridge, clock=self.clock, parent=self)
        self.candidates.find_action.setShortcut(QKeySequence())  # the window's own Ctrl+F opens the dock first
        pane = self.candidates
        self.table, self.proxy, self.table_model = pane.table, pane.proxy, pane.model
        self.search, self.kind, self.shown = pane.search, pane.kind, pane.shown
        self.unseated = UnseatedList(UnseatedModel(self.view, self.bridge, self), self)
        self.panel = CandidatePanel(self.view, self.clock, photos, self, bridge=self.bridge)
        self.panel.set_client(self.client)
        self.alert_model = AlertListModel(self.view, self.bridge, self)
        self.alert_panel = AlertPanel(self.alert_model, self)

    def _build_layout(self) -> None:
        self.banner = QLabel(self)
        self.banner.setObjectName("banner")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        self.mismatch = QLabel(self)
        self.mismatch.setObjectName("mismatch")
        self.mismatch.setWordWrap(True)
        self.mismatch.hide()
        self.alert_strip = AlertStrip(self.alert_model, self)

        central = QWidget(self)
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        for w in (self.header_bar, self.banner, self.mismatch, self.alert_strip):
            lay.addWidget(w)
        lay.addWidget(self.seat_view, 1)
        lay.addWidget(self.unseated)
        self.setCentralWidget(central)
        self.lock_screen = LockScreen(self)
        self.console_lock = ConsoleLock(self.lock_screen, self._locked_changed)
        self.lock_screen.codeEntered.connect(self._unlock_with)
        self.lock_screen.signInRequested.connect(self._unlock_by_sign_in)

        # The candidate list and the alerts are docks the proctors show, hide, move or float;
        # on a small screen they start hidden so the whole room is on the map.
        self.candidates_dock = self._dock("candidatesDock", translate("MainWindow", "Candidates"), self.candidates)
        self.alerts_dock = self._dock("alertsDock", translate("MainWindow", "Alerts"), self.alert_panel)
        self.splitDockWidget(self.candidates_dock, self.alerts_dock, Qt.Orientation.Horizontal)
        self.panel_dock = self._dock(
            "panelDock", translate("MainWindow", "Candidate"), self.panel, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.panel_dock.hide()  # until a proctor opens a candidate
        self.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setStyleSheet(
            f"""
            #banner {{ color: {theme.WHITE}; font-size: 12pt; font-weight: bold; padding: 6px; }}
            #banner[level="alert"] {{ background: {theme.ALERT}; }}
            #banner[level="wait"] {{ background: {theme.WARN}; }}
            #mismatch {{ color: {theme.WHITE}; background: {theme.ALERT}; padding: 4px 8px; }}
            #shown {{ color: {theme.TEXT_MUTED}; }}
            """
        )

    def _dock(
        self,
        name: str,
        title: str,
        widget: QWidget,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.BottomDockWidgetArea,
    ) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_actions(self) -> None:
        self.sign_in_action = QAction(
            icons.glyph_icon(Glyph.PERSON, theme.MACHINE_TEXT), translate("MainWindow", "Proctors sign in"), self
        )
        self.sign_in_action.setObjectName("signInAction")
        self.sign_in_action.setShortcut(QKeySequence("Ctrl+L"))
        self.sign_in_action.setToolTip(
            translate("MainWindow", "The room proctors sign in; their names go on every record (R02)")
        )
        self.sign_in_action.triggered.connect(lambda: self.sign_in())
        self.qr_action = QAction(translate("MainWindow", "Package code as QR code"), self)
        self.qr_action.triggered.connect(self.header_bar.show_fingerprint)
        room = self.menuBar().addMenu(translate("MainWindow", "&Room"))
        room.addAction(self.sign_in_action)
        room.addAction(self.qr_action)
        self.profile_action = QAction(translate("MainWindow", "Policy profile and its parameters"), self)
        self.profile_action.triggered.connect(self.header_bar.show_profile)
        room.addAction(self.profile_action)
        self.header_bar.set_sign_in_action(self.sign_in_action)
        self.lock_action = QAction(translate("MainWindow", "Lock the console"), self)
        self.lock_action.setObjectName("lockAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.lock_action.triggered.connect(lambda: self.lock_console())
        room.addAction(self.lock_action)
        room.addSeparator()
        room.addAction(report_print.forms_action(self, self.open_room_forms))

        self._build_operations_menu()

        view = self.menuBar().addMenu(translate("MainWindow", "&View"))
        self.map_action = QAction(translate("MainWindow", "Seat map"), self)
        self.map_action.setShortcut(QKeySequence("F2"))
        self.map_action.triggered.connect(lambda: self.seat_view.setFocus(Qt.FocusReason.ShortcutFocusReason))
        view.addAction(self.map_action)
        for dock, key in ((self.candidates_dock, "F3"), (self.alerts_dock, "F4"), (self.panel_dock, "F5")):
            toggle = dock.toggleViewAction()
            toggle.setShortcut(QKeySequence(key))
            toggle.triggered.connect(lambda on, d=dock: self._dock_toggled(d, on))
            view.addAction(toggle)
        view.addSeparator()
        languages = view.addMenu(translate("MainWindow", "Language"))
        zh = QLocale().language() == QLocale.Language.Chinese
        for code, name, current in (("zh", "中文", zh), ("en", "English", not zh)):
            action = languages.addAction(name)
            action.setObjectName(f"language_{code}")
            action.setCheckable(True)
            action.setChecked(current)
            action.triggered.connect(
                lambda _=False, c=code, cur=current: None if cur else self.languageRequested.emit(c)
            )
        self.find_action = QAction(translate("MainWindow", "Find a candidate"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.find_candidate)
        view.addAction(self.find_action)

    def _build_operations_menu(self) -> None:
        """操作: every operation of the table in ui/operations.py, each with its key."""
        menu = self.menuBar().addMenu(translate("MainWindow", "&Operations"))
        self.operation_actions: dict[str, QAction] = {}
        for op in CANDIDATE_OPERATIONS:
            action = self._operation_action(op.name, op.text(), op.tooltip(), op.shortcut())
            action.triggered.connect(lambda _=False, o=op: self.operate_on_selected(o))
            menu.addAction(action)
        self.panel.leave_keys_to_menu()  # one key, one owner: the entry opens it for the panel's candidate
        if ROOM_OPERATIONS:
            menu.addSeparator()
        for room_op in ROOM_OPERATIONS:
            action = self._operation_action(room_op.name, room_op.text(), room_op.tooltip(), room_op.shortcut())
            action.triggered.connect(lambda _=False, o=room_op: self.open_room_operation(o))
            menu.addAction(action)

    def _operation_action(self, name: str, text: str, tip: str, key: QKeySequence) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"{name}Action")
        action.setShortcut(key)
        action.setToolTip(with_key(tip, key))
        self.operation_actions[name] = action
        return action

    def _build_status_bar(self) -> None:
        self.room_note = QLabel(self)
        self.updated_label = QLabel(self)
        self.statusBar().addWidget(self.room_note, 1)
        self.link_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.updated_label)
        self.statusBar().addPermanentWidget(self.link_label)

    def _connect(self) -> None:
        self.seat_view.machineClicked.connect(self._machine_clicked)
        self.unseated.candidateClicked.connect(self.open_candidate)
        self.panel.acknowledgeRequested.connect(self._acknowledge_from_panel)
        self.panel.closeRequested.connect(self.close_candidate)
        self.panel.operationRequested.connect(self._operation_from_panel)
        self.seat_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.seat_view.customContextMenuRequested.connect(self._seat_menu)
        self.table.selectionModel().selectionChanged.connect(self._row_selected)
        self.table.activated.connect(
            lambda ix: self.open_candidate(ix.data(TICKET_ROLE)) if ix.data(TICKET_ROLE) else None
        )
        self.candidates.revealRequested.connect(self.reveal_id_number)
        self.panel.revealRequested.connect(self.reveal_id_number)
        self.panel_dock.visibilityChanged.connect(self._panel_shown)
        self.bridge.changed.connect(self.on_change)
        self.alert_panel.acknowledge.connect(self.acknowledge_alert)
        self.alert_panel.selected.connect(self._alert_selected)
        self.alert_strip.acknowledge.connect(self.acknowledge_alert)
        self.alert_strip.selected.connect(self._alert_selected)
        self.alert_strip.show_all.connect(lambda: self.show_dock(self.alerts_dock))
        self.alert_strip.handle_incident.connect(lambda: self.open_room_operation(INCIDENT))
        self.header_bar.countClicked.connect(self.list_candidates)

    # -- the proctors ----------------------------------------------------------------------------

    def sign_in(self, names: list[str] | None = None) -> SignInDialog:
        """Open the sign-in dialog (once), with `names` or those the service knows filled in."""
        if self.sign_in_dialog is not None:
            self.sign_in_dialog.raise_()
            self.sign_in_dialog.activateWindow()
            return self.sign_in_dialog
        h = self.header_bar.header()
        if names is None:
            names = list(
                self.client.proctors if self.client is not None and self.client.proctors else h.get("proctors") or ()
            )
        self.sign_in_dialog = ask.sign_in(self, names, int(h.get("proctors_required") or 2), self._send_sign_in)
        self.sign_in_dialog.finished.connect(self._sign_in_closed)
        return self.sign_in_dialog

    def _sign_in_closed(self, *_: Any) -> None:
        self.sign_in_dialog = None

    def _send_sign_in(self, names: list[str], dialog: SignInDialog) -> None:
        work = self.client.sign_in(names) if self.client is not None else commands.no_client()
        commands.run(self, work, lambda _: dialog.accept(), on_error=dialog.show_error)

    def _on_connected(self) -> None:
        """The proctors at this console sign in before anything else: every record names them."""
        if self.client is None or self.client.proctors:
            return
        if self.auto_proctors:
            names, self.auto_proctors = self.auto_proctors, []
            commands.run(self, self.client.sign_in(names), on_error=lambda text: self.sign_in(names).show_error(text))
        else:
            self.sign_in()

    # -- the console lock (ui/console_lock.py) --------------------------------------------------------

    def lock_console(self) -> LockDialog:
        """Ask for the unlock code, then lock (recorded with the proctors' names)."""
        dialog = LockDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.chosen.connect(self._lock_with)
        dialog.show()
        return dialog

    def _lock_with(self, code: str) -> None:
        room = str((self.view.header or {}).get("room") or "")
        work = self.client.lock_console() if self.client is not None else commands.no_client()
        commands.run(self, work, lambda _: self.console_lock.lock(code, room))

    def _unlock_with(self, code: str) -> None:
        if self.client is None:
            return
        if self.console_lock.matches(code):
            commands.run(self, self.client.unlock_console("code"), lambda _: self.console_lock.unlock())
            return

        def wrong(reply: dict[str, Any]) -> None:
            self.lock_screen.error.setText(
                translate("MainWindow", "Wrong unlock code ({n} since the lock)").format(n=reply.get("attempt", "?"))
            )

        commands.run(self, self.client.unlock_failed(), wrong)

    def _unlock_by_sign_in(self) -> None:
        """A console without the code: two proctors sign in again, then the unlock is recorded."""
        dialog = self.sign_in([])
        dialog.accepted.connect(
            lambda: (
                commands.run(self, self.client.unlock_console("sign_in"), lambda _: self.console_lock.unlock())
                if self.client is not None
                else None
            )
        )

    def _locked_changed(self, locked: bool) -> None:
        self.menuBar().setEnabled(not locked)
        for dock in (self.candidates_dock, self.alerts_dock, self.panel_dock):
            if locked:
                dock.setProperty("shownBeforeLock", dock.isVisible())
                dock.hide()
            elif dock.property("shownBeforeLock"):
                dock.show()
        for d in list(self.dialogs.values()):
            d.close()

    def _follow_lock(self) -> None:
        """The service says whether this room's console is locked: a console started while it is
        (restarted) shows the lock screen without a code; an unlock elsewhere unlocks here."""
        locked = bool((self.view.header or {}).get("console_locked"))
        if locked and not self.console_lock.locked:
            self.console_lock.lock(None, str(self.view.header.get("room") or ""))
        elif not locked and self.console_lock.locked:
            self.console_lock.unlock()
        if self.console_lock.locked:
            self.lock_screen.show_alerts(len(self.view.alerts))

    # -- alerts -----------------------------------------------------------------------------------

    def acknowledge_alert(self, alert: int) -> None:
        def done() -> None:
            self.alert_panel.done()
            self.alert_strip.done()

        commands.send(self, self.client, AcknowledgeAlert(alert=alert), always=done)

    def _alert_selected(self, ticket: str, machine: str) -> None:
        if ticket:
            self._show_candidate(ticket)
        if machine:
            self.seat_view.select_machine(machine)  # where it happened (a spare, for a duplicate login)

    # -- reacting to the room --------------------------------------------------------------------

    def on_change(self, change: RoomChange) -> None:
        if self.view.connected:
            self._ever_connected = True
        if self.view.connected and not self._was_connected:
            self._on_connected()
        self._was_connected = self.view.connected
        self._update_banner()  # connection news shows at once
        if self.open_on_arrival:
            self._open_arrived(self.open_on_arrival)
        if change.whole or change.header:
            self._follow_lock()
            self.clock.sync_header(self.view.header)
            self._set_tick_interval()
            self.refresh()  # a new phase, a new sitting, new deadlines: show them at once
            if change.whole and self._sized and not self._user_sized:
                self.place_docks()  # the room's layout may have arrived only now
        elif not self._refresh.isActive():
            self._refresh.start()
        if change.tickets or change.machines or change.whole:
            self._updated_at = self.clock.now()

    def refresh(self) -> None:
        self._refresh.stop()
        if self._updated_at is not None:
            # On the exam clock, like every other time on this screen (it differs in a rehearsal).
            text = translate("MainWindow", "Last update {time}").format(time=clock_hms(self._updated_at))
            if self.updated_label.text() != text:
                self.updated_label.setText(text)
        h = self.view.header or self.header_bar.fallback
        if self.console_lock.locked:
            self.lock_screen.show_alerts(len(self.view.alerts))
        self.header_bar.refresh()
        self._update_banner()
        room = h.get("room") or ""
        self.setWindowTitle(
            translate("MainWindow", "Proctor console — {room}").format(room=room)
            if room
            else translate("MainWindow", "Proctor console")
        )
        # The header has the profile and the batch; the status bar says what the map cannot.
        overbooked = translate("MainWindow", "Overbooked room: seats are given at login")
        self.room_note.setText(overbooked if h.get("overbooked") else "")
        got = self.view.header.get("fingerprint")
        if self.expected_fingerprint and got and got != self.expected_fingerprint:
            self.mismatch.setText(
                translate(
                    "MainWindow",
                    "The room service runs a different exam package ({theirs}) from the one loaded here ({ours}). Check the exam data before the exam.",
                ).format(
                    theirs=self.view.header.get("short_code", got[:16]),
                    ours=self.header_bar.fallback.get("short_code", self.expected_fingerprint[:16]),
                )
            )
            self.mismatch.show()
        else:
            self.mismatch.hide()

    def tick(self) -> None:
        self.header_bar.tick()
        self.seat_model.tick()
        self._update_banner()

    def _set_tick_interval(self) -> None:
        # A rehearsal clock runs faster: tick often enough that it does not jump by many seconds.
        scale = self.clock.scale
        self.ticker.setInterval(1000 if scale <= 1 else max(100, int(1000 / scale)))

    def _update_banner(self) -> None:
        if self.view.connected:
            text, level = "", ""
        else:
            error = self.client.last_error if self.client is not None else None
            if self._ever_connected:
                text, level = translate("MainWindow", "Connection to the room service lost, reconnecting…"), "alert"
            else:
                text, level = translate("MainWindow", "Connecting to the room service…"), "wait"
            if error and not self._ever_connected:
                text, level = (
                    translate("MainWindow", "The room service refused this console: {error}").format(error=error),
                    "alert",
                )
        if self.banner.text() != text or self.banner.property("level") != level:
            self.banner.setText(text)
            self.banner.setProperty("level", level)
            self.banner.style().unpolish(self.banner)
            self.banner.style().polish(self.banner)
        self.banner.setVisible(bool(text))
        connected = self.view.connected
        link = translate("MainWindow", "● Connected") if connected else translate("MainWindow", "● Not connected")
        if self.link_label.text() != link:
            self.link_label.setText(link)
            self.link_label.setStyleSheet(
                f"color: {theme.OK if connected else theme.ALERT}; font-weight: bold; padding: 0 6px;"
            )

    def _machine_clicked(self, machine: str) -> None:
        ticket = self.seat_model.data(self.seat_model.index_of(machine), role=TILE_TICKET_ROLE)
        if ticket:
            self.open_candidate(ticket)

    def open_candidate(self, ticket: str) -> None:
        """The candidate's panel, and their row and tile selected. Beside the map when the
        window has room for both; floating over the map's right edge when it has not, so the
        map keeps every tile readable (1024×768)."""
        self._show_candidate(ticket)
        self.panel.show_candidate(ticket)
        dock = self.panel_dock
        if not dock.isVisible():
            # Beside only when the map and the header both keep their width (the header's lines
            # would elide, the map would scroll); otherwise over the map's right edge.
            room = max(self.seat_view.least_width(), self.header_bar.minimumSizeHint().width())
            beside = self.width() - self.PANEL_W >= room
            dock.setFloating(not beside)
            if beside:
                self.resizeDocks([dock], [self.PANEL_W], Qt.Orientation.Horizontal)
            else:
                top = self.mapToGlobal(self.seat_view.geometry().topLeft()).y()
                right = self.mapToGlobal(self.rect().topRight()).x()
                dock.setGeometry(right - self.PANEL_W, top, self.PANEL_W, self.height() - (top - self.y()) - 24)
            dock.show()
        dock.raise_()

    def _open_arrived(self, machine: str) -> None:
        tile = self.seat_model.tile(machine)
        if tile is not None and tile.candidate is not None and not tile.planned:
            self.open_on_arrival = None
            self.open_candidate(tile.candidate["ticket"])

    def close_candidate(self) -> None:
        self.panel_dock.hide()
        self.seat_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _acknowledge_from_panel(self, alert: int) -> None:
        commands.send(self, self.client, AcknowledgeAlert(alert=alert), on_error=self.panel.show_error)

    def _show_candidate(self, ticket: str) -> None:
        """Select the candidate's row, clearing a filter that hides them."""
        if not self._syncing_selection:
            self._syncing_selection = True
            try:
                self.candidates.select_ticket(ticket)  # clears a filter that hides them
            finally:
                self._syncing_selection = False

    def _row_selected(self, selected: QItemSelection, _: QItemSelection) -> None:
        if self._syncing_selection or selected.isEmpty():
            return
        ix: QModelIndex = selected.indexes()[0]
        ticket = ix.data(TICKET_ROLE)
        if ticket and self.panel_dock.isVisible():
            self.panel.show_candidate(ticket)  # the open panel follows the list
        c = self.view.candidates.get(ticket) if ticket else None
        machine = c and (c.get("machine") or c.get("seat"))
        if machine:
            self._syncing_selection = True
            try:
                self.seat_view.select_machine(machine)
            finally:
                self._syncing_selection = False

    # -- operations (ui/operations.py) -------------------------------------------------------------

    def selected_tickets(self) -> list[str]:
        """Whom an operation is for: the rows selected in the list when there are several (a
        group), else the open panel's candidate, else the list's one row."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        tickets = [t for t in (ix.data(TICKET_ROLE) for ix in rows) if t]
        if len(tickets) > 1:
            return tickets
        if self.panel_dock.isVisible() and self.panel.ticket:
            return [self.panel.ticket]
        return tickets

    def selected_machines(self) -> list[str]:
        """The exam machines of the candidates selected (for a notice to them)."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        tickets = [t for t in (ix.data(TICKET_ROLE) for ix in rows) if t]
        machines = [(self.view.candidates.get(t) or {}).get("machine") for t in tickets]
        return [m for m in machines if m]

    def operate_on_selected(self, op: CandidateOperation) -> QDialog | None:
        tickets = self.selected_tickets()
        title = op.text().rstrip("…")
        if not tickets:
            ask.inform(
                self,
                title,
                translate("MainWindow", "Select a candidate first: on the seat map, in the list, or open their panel"),
            )
            return None
        if len(tickets) > 1 and not op.group:
            ask.inform(
                self,
                title,
                translate("MainWindow", "This operation is for one candidate at a time: select only one"),
            )
            return None
        return self.open_operation(op, tickets)

    def open_operation(self, op: CandidateOperation, tickets: list[str]) -> QDialog:
        """The operation's dialog for these candidates (one of each kind open at a time)."""
        return self._open_dialog(op.name, lambda: op.dialog(self.view, self.client, tickets, self))

    def open_room_operation(self, op: RoomOperation) -> QDialog:
        return self._open_dialog(op.name, lambda: op.dialog(self.view, self.client, self))

    def open_room_forms(self) -> QDialog:
        return self._open_dialog(
            report_print.DIALOG, lambda: report_print.RoomFormsDialog(self.view, self.client, self)
        )

    def _open_dialog(self, name: str, make: Callable[[], QDialog]) -> QDialog:
        if (old := self.dialogs.pop(name, None)) is not None:
            old.close()
        dialog = make()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: self.dialogs.pop(name, None) if self.dialogs.get(name) is dialog else None)
        self.dialogs[name] = dialog
        dialog.open()
        return dialog

    def _operation_from_panel(self, name: str, ticket: str) -> None:
        op = next(o for o in CANDIDATE_OPERATIONS if o.name == name)
        self.open_operation(op, [ticket])

    def tile_menu(self, ticket: str) -> QMenu:
        """The operations on a tile with a candidate (the seat map's context menu); those that do
        not apply to the candidate's state are shown disabled."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        row = self.view.candidates.get(ticket)
        for op in CANDIDATE_OPERATIONS:
            action = menu.addAction(op.text())
            action.setObjectName("tile" + op.name[0].upper() + op.name[1:])
            action.setShortcut(op.shortcut())
            action.setEnabled(op.applies(row, self.view.header))
            action.triggered.connect(lambda _=False, o=op: self.open_operation(o, [ticket]))
        return menu

    def _seat_menu(self, pos: QPoint) -> None:
        ix = self.seat_view.indexAt(pos)
        ticket = ix.data(TILE_TICKET_ROLE) if ix.isValid() else None
        if ticket:
            self.tile_menu(ticket).popup(self.seat_view.viewport().mapToGlobal(pos))

    # -- window ------------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            self.place_docks()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.console_lock.locked:
            self.lock_screen.setGeometry(self.rect())
        if self._sized and not self._user_sized:
            self.place_docks()

    def place_docks(self) -> None:
        """Until a proctor shows or hides a dock: when the screen has room for the whole map
        and the list under it, both show; otherwise the map has it all (1024×768)."""
        shown = self.candidates_dock.isVisible()
        total = self.seat_view.height() + (self.candidates_dock.height() + 4 if shown else 0)
        room = int(self.seat_view.least_height() * 1.25)
        dock_h = total - room
        show = dock_h >= self.DOCK_LEAST_H
        for dock in (self.candidates_dock, self.alerts_dock):
            dock.setVisible(show)
        if show:
            self.resizeDocks([self.candidates_dock], [dock_h], Qt.Orientation.Vertical)
            self.resizeDocks(
                [self.candidates_dock, self.alerts_dock],
                [int(self.width() * 0.6), int(self.width() * 0.4)],
                Qt.Orientation.Horizontal,
            )

    def show_dock(self, dock: QDockWidget) -> None:
        self._user_sized = True
        dock.show()
        dock.raise_()

    def _dock_toggled(self, _dock: QDockWidget, _on: bool) -> None:
        self._user_sized = True

    def list_candidates(self, kind: str) -> None:
        """A count in the header was clicked: the list, filtered to the candidates it counts."""
        i = self.kind.findData(kind)
        self.show_dock(self.candidates_dock)
        self.search.clear()
        self.kind.setCurrentIndex(max(0, i))

    def find_candidate(self) -> None:
        self.show_dock(self.candidates_dock)
        self.candidates.focus_search()

    def reveal_id_number(self, ticket: str) -> None:
        """Ask the room server for the whole number (it records who asked); show it where the
        proctors are looking: the list and the panel."""

        def shown(number: str) -> None:
            self.candidates.show_revealed(ticket, number)
            self.panel.show_revealed(ticket, number)

        work = self.client.reveal_id_number(ticket) if self.client is not None else commands.no_client()
        commands.run(self, work, shown, on_error=self.panel.show_error if self.panel.isVisible() else None)

    def _panel_shown(self, visible: bool) -> None:
        # One Ctrl+I at a time: the panel's while it shows (it follows the list), else the list's.
        self.candidates.reveal_action.setShortcut(QKeySequence() if visible else QKeySequence("Ctrl+I"))

    def in_progress(self) -> bool:
        s = self.header_bar.current_sitting()
        return bool(s) and s.get("phase") in ("started", "sign_in_closed")

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_on_close or self._close_confirmed or not self.in_progress():
            event.accept()
            return
        event.ignore()

        def answered(yes: bool) -> None:
            if yes:
                self._close_confirmed = True
                self.close()

        ask.confirm(
            self,
            translate("MainWindow", "Close the proctor console?"),
            translate(
                "MainWindow",
                "The exam is in progress. The room service keeps running and exam machines keep saving, "
                "but this screen will no longer show the room.",
            ),
            answered,
        )
