"""单机考试: export a candidate's standalone package with the chief examiner's consent (R25,
004 附件2 二(四)), and recover its result or record it as unrecoverable (R26, 004 附件2 一(二)
问题三 第一步). Shown with open(), never exec() (see ask.py); refusals are shown here in the
proctors' words and what was typed stays."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from proctor.link import messages as m
from proctor.link.console_client import CommandRefused, ConsoleClient, FileProblem, RoomView

from . import commands, theme
from .i18n import translate

MIN_W = 600
NAME_MAX, REASON_MAX = 32, 200
WRITE_OFF_KEY = QKeySequence("Ctrl+D")

STYLE = f"""
    #who {{ font-size: 13pt; font-weight: bold; color: {theme.TEXT}; }}
    #rule {{ color: {theme.TEXT}; padding: 6px; background: {theme.BOX_FILL};
             border: 1px solid {theme.BOX_BORDER}; border-radius: 4px; }}
    #error {{ color: {theme.ALERT}; }}
    #done {{ color: {theme.OK}; font-weight: bold; }}
    #hint {{ color: {theme.NOTE}; }}
"""


def _minutes(seconds: float) -> int:
    return max(0, int(seconds // 60))


def _clock(at: float | None) -> str:
    return time.strftime("%H:%M", time.localtime(at)) if at else "—"


class _FolderField(QWidget):
    """A path typed or chosen: a line edit and a browse button (a non-blocking file dialog)."""

    def __init__(self, name: str, directory: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.directory = directory
        self.edit = QLineEdit(self)
        self.edit.setObjectName(name)
        self.browse = QPushButton(translate("Standalone", "Browse…"), self)
        self.browse.setObjectName(name + "Browse")
        self.browse.setAutoDefault(False)
        self.browse.clicked.connect(self._choose)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.browse)
        self.setFocusProxy(self.edit)

    def _choose(self) -> None:
        chooser = QFileDialog(self, self.browse.text().rstrip("…"), self.edit.text() or str(Path.home()))
        if self.directory:
            chooser.setFileMode(QFileDialog.FileMode.Directory)
            chooser.setOption(QFileDialog.Option.ShowDirsOnly, True)
        else:
            chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
            chooser.setNameFilter(translate("Standalone", "Standalone results (*.res);;All files (*)"))
        chooser.fileSelected.connect(self.edit.setText)
        chooser.open()

    def text(self) -> str:
        return self.edit.text().strip()


class StandaloneExportDialog(QDialog):
    """Signal `exported(dict)`: the reply, with `path` where the package was written."""

    exported = Signal(dict)

    def __init__(
        self, view: RoomView, client: ConsoleClient | None, tickets: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("standaloneExportDialog")
        self.setWindowTitle(translate("Standalone", "Standalone exam"))
        self.view, self.client = view, client
        self.ticket = list(tickets)[0]
        self._busy = False
        self._build()
        self.setStyleSheet(STYLE)
        self.setMinimumWidth(MIN_W)

    def _build(self) -> None:
        row = self.view.candidates.get(self.ticket) or {}
        self.who = QLabel(
            translate("Standalone", "Standalone exam for {name} ({ticket}), on machine {machine} until now").format(
                name=row.get("name") or "—", ticket=self.ticket, machine=row.get("machine") or "—"
            ),
            self,
        )
        self.who.setObjectName("who")
        self.who.setWordWrap(True)
        self.rule = QLabel(
            translate(
                "Standalone",
                "A standalone exam needs the chief examiner's consent (004 Annex 2 II(4)), and only when neither a "
                "reset nor another machine lets the candidate go on. The package opens only on the machine chosen; "
                "the candidate logs in there and goes on offline. There is no synchronous backup: bring the result "
                "back to this console before the end (R26).",
            ),
            self,
        )
        self.rule.setObjectName("rule")
        self.rule.setWordWrap(True)
        self.chief = QLineEdit(self)
        self.chief.setObjectName("chief")
        self.chief.setMaxLength(NAME_MAX)
        self.chief.setPlaceholderText(translate("Standalone", "Name of the chief examiner who consented"))
        self.machines = QListWidget(self)
        self.machines.setObjectName("machines")
        self.machines.itemActivated.connect(lambda _item: self.send())  # Enter on the list
        self._fill_machines(row.get("machine"))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("reason")
        self.reason.setMaxLength(REASON_MAX)
        self.reason.setPlaceholderText(
            translate("Standalone", "What failed, and what was tried (reset, other machine)")
        )
        self.folder = _FolderField("folder", True, self)
        self.folder.edit.setPlaceholderText(translate("Standalone", "Folder on the USB stick for the package"))
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.done_label = QLabel(self)
        self.done_label.setObjectName("done")
        self.done_label.setWordWrap(True)
        self.done_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.confirm = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.confirm.setObjectName("confirm")
        self.confirm.setText(translate("Standalone", "Export the package (Enter)"))
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel.setText(translate("Standalone", "Cancel (Esc)"))
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(translate("Standalone", "C&hief examiner:"), self.chief)
        form.addRow(translate("Standalone", "&Exam machine:"), self.machines)
        form.addRow(translate("Standalone", "&Reason:"), self.reason)
        form.addRow(translate("Standalone", "&Folder:"), self.folder)
        for field in (self.chief, self.machines, self.reason, self.folder):
            label = form.labelForField(field)
            if isinstance(label, QLabel):
                label.setBuddy(field)
        lay = QVBoxLayout(self)
        lay.addWidget(self.who)
        lay.addWidget(self.rule)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.done_label)
        lay.addWidget(self.buttons)
        QWidget.setTabOrder(self.chief, self.machines)
        QWidget.setTabOrder(self.machines, self.reason)
        QWidget.setTabOrder(self.reason, self.folder.edit)
        QWidget.setTabOrder(self.folder.edit, self.folder.browse)
        self.confirm.setDefault(True)
        self.chief.setFocus()

    def _fill_machines(self, own: str | None) -> None:
        """Every machine of the room that can take the package: the candidate's own (cut off
        from the network) first, then the spares, then the rest; one in use by another is shown
        but cannot be chosen."""
        tiles = list(self.view.machines.values())
        order = sorted(tiles, key=lambda t: (t["id"] != own, not t.get("spare"), t["id"]))
        for tile in order:
            other = tile.get("ticket") if tile.get("ticket") not in (None, self.ticket) else None
            busy = other is not None and (self.view.candidates.get(other) or {}).get("state") in (
                "logged_in",
                "answering",
                "standalone",
            )
            if tile["id"] == own:
                text = translate("Standalone", "{id} (the candidate's own machine)").format(id=tile["id"])
            elif busy:
                text = translate("Standalone", "{id} (in use by {ticket})").format(id=tile["id"], ticket=other)
            elif tile.get("spare"):
                text = translate("Standalone", "{id} (spare)").format(id=tile["id"])
            else:
                text = tile["id"]
            item = QListWidgetItem(text, self.machines)
            item.setData(Qt.ItemDataRole.UserRole, tile["id"])
            if busy:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)
        for i in range(self.machines.count()):
            if self.machines.item(i).flags() & Qt.ItemFlag.ItemIsEnabled:
                self.machines.setCurrentRow(i)
                break
        self.machines.setMinimumHeight(110)

    def machine(self) -> str | None:
        item = self.machines.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None and item.isSelected() else None

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.confirm.setEnabled(not busy)

    def send(self) -> None:
        if self._busy or self.done_label.isVisible():
            return
        machine = self.machine()
        if machine is None:
            self.show_error(translate("Standalone", "Choose the exam machine that will run the standalone exam"))
            self.machines.setFocus()
            return
        if not self.folder.text():
            self.show_error(translate("Standalone", "Choose the folder (the USB stick) for the package"))
            self.folder.setFocus()
            return
        self.error.hide()
        self._set_busy(True)
        work = (
            self.client.export_standalone(
                self.ticket, machine, self.chief.text(), self.reason.text(), self.folder.text()
            )
            if self.client is not None
            else commands.no_client()
        )
        commands.run(self, _said(work), self._done, on_error=self.show_error, always=lambda: self._set_busy(False))

    def _done(self, reply: dict[str, Any]) -> None:
        self.exported.emit(reply)
        self.done_label.setText(
            translate(
                "Standalone",
                "Package written: {path}\nImport it on {machine}; the candidate has {minutes} min left and goes on "
                "from save {seq}. Bring the result file back to this console.",
            ).format(
                path=reply["path"],
                machine=self.machine(),
                minutes=_minutes(reply["remaining_s"]),
                seq=reply["last_seq"],
            )
        )
        self.done_label.show()
        for w in (self.chief, self.machines, self.reason, self.folder):
            w.setEnabled(False)
        self.confirm.hide()
        self.cancel.setText(translate("Standalone", "Close (Esc)"))
        self.cancel.setDefault(True)
        self.cancel.setFocus()


async def _said(work: Any) -> Any:
    """A file or folder problem is told like a refusal, in the proctors' words."""
    try:
        return await work
    except FileProblem as exc:
        raise CommandRefused(m.Error(code="file", message=str(exc), message_zh=exc.zh)) from None


class StandaloneRecoverDialog(QDialog):
    """The packages out; a result file to import; or one written off by two proctors."""

    recovered = Signal(dict)

    def __init__(self, view: RoomView, client: ConsoleClient | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("standaloneRecoverDialog")
        self.setWindowTitle(translate("Standalone", "Recover standalone answers"))
        self.view, self.client = view, client
        self._busy = False
        self._resolved: set[str] = set()  # done here; the room's header may not say so yet
        self._build()
        self.refresh()
        self.setStyleSheet(STYLE)
        self.setMinimumWidth(MIN_W)

    def _build(self) -> None:
        self.rule = QLabel(
            translate(
                "Standalone",
                "Before the exam ends, recover every standalone exam's answers (004 Annex 2 I(2) Problem 3, step 1): "
                "the sitting does not end while a package is out (R26).",
            ),
            self,
        )
        self.rule.setObjectName("rule")
        self.rule.setWordWrap(True)
        self.packages = QListWidget(self)
        self.packages.setObjectName("packages")
        self.packages.setMinimumHeight(90)
        self.none_out = QLabel(translate("Standalone", "No standalone package is out."), self)
        self.none_out.setObjectName("hint")

        self.result = _FolderField("resultFile", False, self)
        self.result.edit.setPlaceholderText(translate("Standalone", "The result file the exam machine wrote (.res)"))
        self.import_button = QPushButton(translate("Standalone", "Import the result (Enter)"), self)
        self.import_button.setObjectName("importButton")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.import_result)
        box = QGroupBox(translate("Standalone", "Recover from the result file"), self)
        form = QFormLayout(box)
        form.addRow(translate("Standalone", "Result &file:"), self.result)
        label = form.labelForField(self.result)
        if isinstance(label, QLabel):
            label.setBuddy(self.result)
        form.addRow("", self.import_button)

        self.write_off_box = QGroupBox(translate("Standalone", "Cannot be recovered"), self)
        self.write_off_reason = QLineEdit(self.write_off_box)
        self.write_off_reason.setObjectName("writeOffReason")
        self.write_off_reason.setMaxLength(REASON_MAX)
        self.write_off_reason.setPlaceholderText(translate("Standalone", "Why the answers cannot be brought back"))
        self.confirmers = QWidget(self.write_off_box)
        names = QHBoxLayout(self.confirmers)
        names.setContentsMargins(0, 0, 0, 0)
        self.ticks: list[QCheckBox] = []
        for name in self._proctors():
            tick = QCheckBox(name, self.confirmers)
            tick.setObjectName("confirmer")
            names.addWidget(tick)
            self.ticks.append(tick)
        names.addStretch(1)
        self.write_off_button = QPushButton(translate("Standalone", "Record as unrecoverable (Ctrl+D)"), self)
        self.write_off_button.setObjectName("writeOffButton")
        self.write_off_button.setShortcut(WRITE_OFF_KEY)
        self.write_off_button.setAutoDefault(False)
        self.write_off_button.clicked.connect(self.write_off)
        hint = QLabel(
            translate("Standalone", "Two proctors tick their own names to confirm the selected package is lost (R26)."),
            self.write_off_box,
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        wform = QFormLayout(self.write_off_box)
        wform.addRow(hint)
        wform.addRow(translate("Standalone", "Rea&son:"), self.write_off_reason)
        wlabel = wform.labelForField(self.write_off_reason)
        if isinstance(wlabel, QLabel):
            wlabel.setBuddy(self.write_off_reason)
        wform.addRow(translate("Standalone", "Confirmed by:"), self.confirmers)
        wform.addRow("", self.write_off_button)

        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.done_label = QLabel(self)
        self.done_label.setObjectName("done")
        self.done_label.setWordWrap(True)
        self.done_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(translate("Standalone", "Close (Esc)"))
        close.setAutoDefault(False)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addWidget(self.rule)
        lay.addWidget(QLabel(translate("Standalone", "Packages out:"), self))
        lay.addWidget(self.packages)
        lay.addWidget(self.none_out)
        lay.addWidget(box)
        lay.addWidget(self.write_off_box)
        lay.addWidget(self.error)
        lay.addWidget(self.done_label)
        lay.addWidget(self.buttons)
        QWidget.setTabOrder(self.packages, self.result.edit)
        QWidget.setTabOrder(self.result.edit, self.result.browse)
        QWidget.setTabOrder(self.result.browse, self.import_button)
        QWidget.setTabOrder(self.import_button, self.write_off_reason)
        self.result.setFocus()

    def _proctors(self) -> tuple[str, ...]:
        if self.client is not None and self.client.proctors:
            return tuple(self.client.proctors)
        return tuple(self.view.header.get("proctors") or ())

    def outstanding(self) -> list[dict[str, Any]]:
        return [
            p
            for p in self.view.header.get("standalone") or ()
            if p.get("status") == "outstanding" and p.get("package_id") not in self._resolved
        ]

    def refresh(self) -> None:
        """The packages out, from the room's header as last published."""
        chosen = self.selected_package()
        self.packages.clear()
        for p in self.outstanding():
            name = (self.view.candidates.get(p["ticket"]) or {}).get("name") or ""
            item = QListWidgetItem(
                translate(
                    "Standalone", "{name} ({ticket}) on {machine}, exported {at}, {minutes} min left then"
                ).format(
                    name=name,
                    ticket=p["ticket"],
                    machine=p["machine"],
                    at=_clock(p.get("exported_at")),
                    minutes=_minutes(p.get("remaining_s") or 0),
                ),
                self.packages,
            )
            item.setData(Qt.ItemDataRole.UserRole, p["package_id"])
            if p["package_id"] == chosen:
                self.packages.setCurrentItem(item)
        if self.packages.currentItem() is None and self.packages.count():
            self.packages.setCurrentRow(0)
        out = bool(self.packages.count())
        self.packages.setVisible(out)
        self.none_out.setVisible(not out)
        self.write_off_box.setEnabled(out)

    def selected_package(self) -> str | None:
        item = self.packages.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def show_error(self, text: str) -> None:
        self.done_label.hide()
        self.error.setText(text)
        self.error.show()

    def _said_done(self, text: str) -> None:
        self.error.hide()
        self.done_label.setText(text)
        self.done_label.show()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.import_button.setEnabled(not busy)
        self.write_off_button.setEnabled(not busy)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.write_off_reason.hasFocus():
            self.import_result()
            return
        super().keyPressEvent(event)

    def import_result(self) -> None:
        if self._busy:
            return
        if not self.result.text():
            self.show_error(translate("Standalone", "Choose the result file the exam machine wrote"))
            self.result.setFocus()
            return
        self._set_busy(True)
        work = self.client.import_standalone(self.result.text()) if self.client else commands.no_client()
        commands.run(self, _said(work), self._imported, on_error=self.show_error, always=lambda: self._set_busy(False))

    def _imported(self, reply: dict[str, Any]) -> None:
        name = (self.view.candidates.get(reply["ticket"]) or {}).get("name") or reply["ticket"]
        if reply.get("already"):
            self._said_done(
                translate("Standalone", "{name}'s result was imported before; nothing changed").format(name=name)
            )
        else:
            self._resolved.add(reply["package_id"])
            self.recovered.emit(reply)
            self._said_done(
                translate(
                    "Standalone", "Recovered {name}'s answers: {saves} saves, up to save {seq}; submitted"
                ).format(name=name, saves=reply["saves"], seq=reply["last_seq"])
            )
            self.result.edit.clear()
        self.refresh()

    def write_off(self) -> None:
        if self._busy:
            return
        package_id = self.selected_package()
        if package_id is None:
            self.show_error(translate("Standalone", "Select the package that cannot be recovered"))
            return
        by = [t.text() for t in self.ticks if t.isChecked()]
        self._set_busy(True)
        work = (
            self.client.write_off_standalone(package_id, self.write_off_reason.text(), by)
            if self.client
            else commands.no_client()
        )
        commands.run(self, work, self._written_off, on_error=self.show_error, always=lambda: self._set_busy(False))

    def _written_off(self, reply: dict[str, Any]) -> None:
        self._resolved.add(reply["package_id"])
        self._said_done(translate("Standalone", "Recorded as unrecoverable; the sitting can end"))
        self.write_off_reason.clear()
        for t in self.ticks:
            t.setChecked(False)
        self.refresh()
