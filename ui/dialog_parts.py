"""The parts the operation dialogs share (extra time, delayed start, reset): the refusal line, the
Enter/Esc buttons, labels that jump to their field, and the provincial authorization code box."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .i18n import translate

REQUEST_KEY = QKeySequence("Ctrl+R")
MIN_W = 560  # px: a rule and a refusal read on two lines at most


def spaced(code: str) -> str:
    """A request code in groups of three, to read over the phone."""
    return " ".join(code[i : i + 3] for i in range(0, len(code), 3))


def error_label(parent: QWidget) -> QLabel:
    """Where a refusal is shown, in the proctors' words; selectable, to read out on the phone."""
    error = QLabel(parent)
    error.setObjectName("error")
    error.setWordWrap(True)
    error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    error.hide()
    return error


def confirm_buttons(
    parent: QWidget, confirm_text: str, on_confirm: Callable[[], object], on_cancel: Callable[[], object]
) -> tuple[QDialogButtonBox, QPushButton]:
    """The operation's button (Enter) and Cancel (Esc)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent)
    confirm = buttons.button(QDialogButtonBox.StandardButton.Ok)
    confirm.setObjectName("confirm")
    confirm.setText(confirm_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("Dialogs", "Cancel (Esc)"))
    buttons.accepted.connect(on_confirm)
    buttons.rejected.connect(on_cancel)
    return buttons, confirm


def buddy_labels(form: QFormLayout, fields: Sequence[QWidget]) -> None:
    """Each field's label takes its &-key to the field."""
    for field in fields:
        label = form.labelForField(field)
        if isinstance(label, QLabel):
            label.setBuddy(field)


class CodeBox(QWidget):
    """A provincial authorization code (R17, R20): ask for a request code, read it to the
    province by phone (`hint` says what to read), type the code it reads back."""

    def __init__(self, hint: str, on_request: Callable[[], object], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("codeBox")
        self.request_button = QPushButton(translate("Dialogs", "Request authorization code (Ctrl+R)"), self)
        self.request_button.setObjectName("requestButton")
        self.request_button.setShortcut(REQUEST_KEY)
        self.request_button.setAutoDefault(False)
        self.request_button.clicked.connect(on_request)
        self.request_code = QLabel(self)
        self.request_code.setObjectName("requestCode")
        self.request_code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = QLabel(hint, self)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.tries = QLabel(self)
        self.tries.setObjectName("tries")
        self.code = QLineEdit(self)
        self.code.setObjectName("code")
        self.code.setMaxLength(32)
        self.code.setPlaceholderText(translate("Dialogs", "Authorization code from the provincial exam office"))
        self._lay_out()

    def _lay_out(self) -> None:
        code_label = QLabel(translate("Dialogs", "&Authorization code:"), self)
        code_label.setBuddy(self.code)
        row = QHBoxLayout()
        row.addWidget(self.request_button)
        row.addWidget(self.request_code, 1)
        entry = QHBoxLayout()
        entry.addWidget(code_label)
        entry.addWidget(self.code, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.hint)
        lay.addLayout(row)
        lay.addWidget(self.tries)
        lay.addLayout(entry)

    def show_request(self, request: str, tries_left: Any) -> None:
        """The request code to read out, and the code's field ready for the answer."""
        self.request_code.setText(spaced(request))
        self.show_tries(tries_left)
        self.code.setFocus()

    def show_tries(self, left: Any) -> None:
        if left is not None:
            self.tries.setText(translate("Dialogs", "Tries left for this request: {n}").format(n=left))
