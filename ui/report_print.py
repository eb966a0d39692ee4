"""打印考场记录: the room's printed forms (docs/architecture.md, "The room report") fetched from
the room service, which holds the log (`RoomForm`), and painted onto A4 by the same code as
`proctor report` (`proctor.report.render.paint_pages`): in a print preview, on a printer chosen
in the print dialog, or into a PDF file. Each action asks the service again, so what is printed
is the log as it stands."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from proctor.fonts import font_chain
from proctor.link.console_client import ConsoleClient, RoomView
from proctor.report.render import a4, paint_pages, write_pdf

from . import commands, theme
from .i18n import translate

REMARK_MAX = 1000  # as RecordRemark takes it
DIALOG = "roomForms"
D = TypeVar(
    "D", QPrintDialog, QPrintPreviewDialog
)  # its name among the window's open dialogs (closed when the console locks)


@dataclass(frozen=True)
class Form:
    """A form as the service built it from the log: HTML to paint, and its QR codes' texts."""

    form: str
    incident: int
    title: str
    html: str
    qr: dict[str, str]
    last_seq: int

    @classmethod
    def of(cls, reply: dict[str, Any], incident: int = 0) -> Form:
        return cls(
            form=str(reply["form"]),
            incident=incident,
            title=str(reply.get("title") or ""),
            html=str(reply["html"]),
            qr={str(k): str(v) for k, v in (reply.get("qr") or {}).items()},
            last_seq=int(reply.get("last_seq") or 0),
        )


def file_name(room: str, form: str, incident: int = 0) -> str:
    """What a saved form is called at first, e.g. 第01考场-report.pdf."""
    kind = f"incident-{incident}" if form == "incident" else form
    return f"{room or 'room'}-{kind}.pdf".replace("/", "-").replace("\\", "-")


def new_printer() -> QPrinter:
    """A printer set to A4 portrait with the report's margins (the system's default printer)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(a4())
    return printer


def paint_form(printer: QPrinter, form: Form) -> int:
    """The form on the printer's pages ("n / N" under each); the number of pages."""
    return paint_pages(printer, form.html, font_chain(), form.qr)


def installed_printers() -> list[str]:
    """The printers the system offers. libcups remembers, for the life of the process, that it
    found no print server when first asked (seen with CUPS 2.4: a console started before cupsd
    never sees a printer): when none is found, it is told to look again."""
    names = QPrinterInfo.availablePrinterNames()
    if not names and _forget_cups_server():
        names = QPrinterInfo.availablePrinterNames()
    return names


def _forget_cups_server() -> bool:
    found = ctypes.util.find_library("cups")
    if not found:
        return False  # no CUPS (Windows): the system's own printing
    try:
        ctypes.CDLL(found).cupsSetServer(None)  # back to the default, its connection closed
    except (OSError, AttributeError):
        return False
    return True


def printer_problem(printer: QPrinter) -> str | None:
    """What went wrong with the printer, in words, or None once the job was handed over."""
    name = printer.printerName() or printer.outputFileName()
    if not printer.isValid():
        return translate(
            "Print", "The printer {name} cannot be used: check that it is installed, or choose another"
        ).format(name=name)
    if printer.printerState() in (QPrinter.PrinterState.Error, QPrinter.PrinterState.Aborted):
        return translate(
            "Print",
            "The printer {name} reported an error: check that it is on, connected and has paper, then print again",
        ).format(name=name)
    return None


def write_problem(path: Path) -> str | None:
    """Why a PDF cannot be written at `path`, in words, or None."""
    folder = path.parent
    if not folder.is_dir():
        return translate(
            "Print", "Cannot save {path}: the folder {folder} does not exist. Choose another folder"
        ).format(path=path, folder=folder)
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return translate(
            "Print", "Cannot save {path}: this folder cannot be written to. Choose another folder (a USB stick)"
        ).format(path=path)
    return None


def forms_action(parent: QWidget, open_dialog: Callable[[], object]) -> QAction:
    """打印考场记录… (Ctrl+P) for the window's 考场 (room) menu."""
    action = QAction(translate("Print", "Print room records…"), parent)
    action.setObjectName("printFormsAction")
    action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
    action.setToolTip(
        translate(
            "Print", "Print preview, print or save as PDF the room report, the violation sheets, the transfer slip"
        )
    )
    action.triggered.connect(lambda: open_dialog())
    return action


class RoomFormsDialog(QDialog):
    """Choose a form, then preview it, print it or save it as a PDF. Shown with open()."""

    STYLE = f"""
        #error {{ color: {theme.ALERT}; }}
        #done {{ color: {theme.OK}; }}
        #formNote {{ color: {theme.TEXT_MUTED}; }}
    """

    def __init__(self, view: RoomView, client: ConsoleClient | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(DIALOG)
        self.setWindowTitle(translate("Print", "Print room records"))
        self.setStyleSheet(self.STYLE)
        self.view, self.client = view, client
        self.form: Form | None = None  # the last form the service gave
        self.printers: dict[int, QPrinter] = {}  # each kept while the dialog painting on it lives
        self._build_choice()
        self._build_buttons()
        self._build_remark()
        self._build_layout()
        self.show_note()

    # -- building -------------------------------------------------------------------------------

    def _build_choice(self) -> None:
        self.choice = QComboBox(self)
        self.choice.setObjectName("formChoice")
        self.choices: list[tuple[str, int]] = []
        for form, label in (
            ("report", translate("Print", "Room situation report")),
            ("violations", translate("Print", "Violation record sheets (考场违纪情况记录单)")),
            ("transfers", translate("Print", "Transfer slip (应试人员跨考场调动单)")),
        ):
            self._add_choice(form, 0, label)
        for incident in (self.view.header or {}).get("incidents") or ():
            label = translate("Print", "Incident record No. {number}: {title}")
            self._add_choice("incident", int(incident["number"]), label.format(**incident))
        self.choice.currentIndexChanged.connect(self.show_note)
        self.note = QLabel(self)
        self.note.setObjectName("formNote")
        self.note.setWordWrap(True)

    def _add_choice(self, form: str, incident: int, label: str) -> None:
        self.choices.append((form, incident))
        self.choice.addItem(label)

    def _build_buttons(self) -> None:
        self.preview_button = QPushButton(translate("Print", "Print preview…"), self)
        self.preview_button.setObjectName("preview")
        self.preview_button.clicked.connect(self.preview)
        self.print_button = QPushButton(translate("Print", "Print…"), self)
        self.print_button.setObjectName("print")
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_)
        self.pdf_button = QPushButton(translate("Print", "Save as PDF…"), self)
        self.pdf_button.setObjectName("savePdf")
        self.pdf_button.clicked.connect(self.choose_file)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_buttons.rejected.connect(self.reject)

    def _build_remark(self) -> None:
        self.remark = QPlainTextEdit(self)
        self.remark.setObjectName("remark")
        self.remark.setPlaceholderText(
            translate("Print", "A remark for the room report's 备注, recorded with the names of the proctors signed in")
        )
        self.remark.setMaximumHeight(72)
        self.remark_button = QPushButton(translate("Print", "Add remark"), self)
        self.remark_button.setObjectName("addRemark")
        self.remark_button.clicked.connect(self.add_remark)

    def _build_layout(self) -> None:
        self.done_label = QLabel(self)
        self.done_label.setObjectName("done")
        self.done_label.setWordWrap(True)
        self.done_label.hide()
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(translate("Print", "Form"), self.choice)
        remark = QHBoxLayout()
        remark.addWidget(self.remark, 1)
        remark.addWidget(self.remark_button)
        form.addRow(translate("Print", "Remark"), remark)
        row = QHBoxLayout()
        for b in (self.preview_button, self.print_button, self.pdf_button):
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        for w in (self.note, self.done_label, self.error):
            lay.addWidget(w)
        lay.addLayout(row)
        lay.addWidget(self.close_buttons)
        self.setMinimumWidth(560)

    # -- the form ---------------------------------------------------------------------------------

    def chosen(self) -> tuple[str, int]:
        return self.choices[max(0, self.choice.currentIndex())]

    def choose(self, form: str, incident: int = 0) -> None:
        self.choice.setCurrentIndex(self.choices.index((form, incident)))

    def show_note(self) -> None:
        notes = {
            "report": translate(
                "Print", "The room situation report: two proctors and the chief examiner sign it (R38)"
            ),
            "violations": translate(
                "Print",
                "One sheet a violation: the candidate, two proctors and the chief examiner sign it (004 九(三))",
            ),
            "transfers": translate(
                "Print", "Every candidate moved out of or into this room: the chief examiner signs it (R37)"
            ),
            "incident": translate(
                "Print",
                "The incident's steps, its outcome and the minutes lost: two proctors and the chief examiner sign it",
            ),
        }
        self.note.setText(notes[self.chosen()[0]])

    def fetch(self, then: Callable[[Form], None]) -> None:
        """Ask the service for the chosen form, built from the log as it stands; `then(form)`."""
        form, incident = self.chosen()
        self._busy(True)
        self.show_done(translate("Print", "Building the form from the room's log…"))
        work = self.client.room_form(form, incident) if self.client is not None else commands.no_client()

        def got(reply: dict[str, Any]) -> None:
            self.form = Form.of(reply, incident)
            self.show_done("")
            then(self.form)

        commands.run(self, work, got, on_error=self.show_error, always=lambda: self._busy(False))

    def _busy(self, busy: bool) -> None:
        for b in (self.preview_button, self.print_button, self.pdf_button):
            b.setEnabled(not busy)

    # -- remarks ------------------------------------------------------------------------------------

    def add_remark(self) -> None:
        """The remark goes into the log (RemarkRecorded); the report prints it under 备注."""
        text = self.remark.toPlainText()
        if len(text) > REMARK_MAX:
            self.show_error(
                translate("Print", "The remark has {n} characters; at most {max} fit: shorten it").format(
                    n=len(text), max=REMARK_MAX
                )
            )
            return
        work = self.client.record_remark(text) if self.client is not None else commands.no_client()

        def added(_: dict[str, Any]) -> None:
            self.remark.clear()
            self.show_done(translate("Print", "Remark added: the room report prints it under 备注"))

        commands.run(self, work, added, on_error=self.show_error)

    # -- preview ------------------------------------------------------------------------------------

    def preview(self) -> None:
        self.fetch(self.open_preview)

    def open_preview(self, form: Form) -> QPrintPreviewDialog:
        dialog = self._on_new_printer(QPrintPreviewDialog, "printPreview")
        dialog.setWindowTitle(translate("Print", "Print preview: {title}").format(title=form.title))
        dialog.paintRequested.connect(self.paint)
        dialog.open()
        return dialog

    def _on_new_printer(self, kind: type[D], name: str) -> D:
        """A Qt print dialog of `kind` on a fresh A4 printer, kept while the dialog lives."""
        printer = new_printer()
        dialog = kind(printer, self)
        self._keep(printer, dialog)
        dialog.setObjectName(name)
        dialog.finished.connect(dialog.deleteLater)
        return dialog

    def _keep(self, printer: QPrinter, dialog: QDialog) -> None:
        """Qt's dialog holds only a pointer to the printer: it lives as long as the dialog."""
        key = id(dialog)
        self.printers[key] = printer
        dialog.destroyed.connect(lambda *_: self.printers.pop(key, None))

    def paint(self, printer: QPrinter) -> int:
        """The last form fetched on `printer`'s pages (the preview asks for it on every change)."""
        return paint_form(printer, self.form) if self.form is not None else 0

    # -- printing ---------------------------------------------------------------------------------

    def print_(self) -> None:
        if not installed_printers():
            self.show_error(
                translate(
                    "Print",
                    "No printer is installed on this proctor machine: install and connect one (ask the technician), or use Save as PDF… and print the file on another computer",
                )
            )
            return
        self.fetch(self.ask_printer)

    def ask_printer(self, form: Form) -> QPrintDialog:
        dialog = self._on_new_printer(QPrintDialog, "printDialog")
        dialog.setWindowTitle(translate("Print", "Print: {title}").format(title=form.title))
        dialog.finished.connect(
            lambda result: self.print_on(dialog.printer()) if result == QDialog.DialogCode.Accepted else None
        )
        QDialog.open(dialog)  # QPrintDialog's own open() wants a receiver and a slot
        return dialog

    def print_on(self, printer: QPrinter) -> bool:
        """The last form fetched on the printer; what went wrong is shown in the dialog."""
        if self.form is None:
            return False
        pages = 0
        problem = printer_problem(printer)
        if problem is None:
            pages = paint_form(printer, self.form)
            problem = printer_problem(printer)
        if problem is not None:
            self.show_error(problem)
            return False
        self.show_done(
            translate("Print", "{title}: {pages} pages sent to the printer {printer}").format(
                title=self.form.title, pages=pages, printer=printer.printerName()
            )
        )
        return True

    # -- PDF --------------------------------------------------------------------------------------

    def choose_file(self) -> QFileDialog:
        chooser = QFileDialog(self, translate("Print", "Save the form as PDF"))
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setNameFilter(translate("Print", "PDF files (*.pdf)"))
        chooser.setDefaultSuffix("pdf")
        room = str((self.view.header or {}).get("room") or "")
        chooser.selectFile(file_name(room, *self.chosen()))
        chooser.fileSelected.connect(lambda name: self.save_pdf(Path(name)))
        chooser.finished.connect(chooser.deleteLater)
        chooser.open()
        return chooser

    def save_pdf(self, path: Path) -> None:
        problem = write_problem(path)
        if problem is not None:
            self.show_error(problem)
            return
        self.fetch(lambda form: self.write(form, path))

    def write(self, form: Form, path: Path) -> bool:
        pages = 0
        problem = write_problem(path)
        if problem is None:
            try:
                pages = write_pdf(form.html, path, font_chain(), form.qr)
            except OSError as exc:
                problem = translate("Print", "Cannot save {path}: {error}. Choose another folder").format(
                    path=path, error=exc.strerror or exc
                )
            else:
                if not path.is_file() or path.stat().st_size == 0:
                    problem = translate(
                        "Print", "Cannot save {path}: the file was not written. Choose another folder"
                    ).format(path=path)
        if problem is not None:
            self.show_error(problem)
            return False
        self.show_done(
            translate("Print", "{title} saved: {path} ({pages} pages)").format(title=form.title, path=path, pages=pages)
        )
        return True

    # -- words ------------------------------------------------------------------------------------

    def show_error(self, text: str) -> None:
        self.done_label.clear()
        self.done_label.hide()
        self.error.setText(text)
        self.error.show()

    def show_done(self, text: str) -> None:
        self.error.hide()
        self.done_label.setText(text)
        self.done_label.setVisible(bool(text))
