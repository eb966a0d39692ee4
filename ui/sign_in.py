"""The room proctors sign in at the console (R02, 001 监考规则 第二条): their names go on every
record and on the room report. Opened with open() through ui/ask.py, never exec()."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from . import theme
from .i18n import translate

FIELDS = 3  # two must sign in; a third if the room has one (more sign in from the command line)
NAME_MAX = 32  # proctor.domain.events.Name


class SignInDialog(QDialog):
    """Keyboard first: Tab between the names; Enter in the first moves on to an empty second,
    anywhere else it signs in. A refusal shows here, and what was typed stays."""

    submitted = Signal(list)  # the names typed, in order, blanks left out

    def __init__(self, parent: QWidget, names: Sequence[str] = (), required: int = 2) -> None:
        super().__init__(parent)
        self.setObjectName("signIn")
        self.setWindowTitle(translate("SignIn", "Proctors sign in"))
        self.busy = False
        intro = QLabel(
            translate(
                "SignIn",
                "Every operation is recorded with the names of the proctors signed in, and the names go on the room report. "
                "At least two proctors sign in; this room calls for {required}.",
            ).format(required=required),
            self,
        )
        intro.setWordWrap(True)
        titles = (
            translate("SignIn", "First proctor"),
            translate("SignIn", "Second proctor"),
            translate("SignIn", "Third proctor (if any)"),
        )
        form = QFormLayout()
        self.fields: list[QLineEdit] = []
        for i, title in enumerate(titles[:FIELDS]):
            field = QLineEdit(self)
            field.setObjectName(f"proctor{i + 1}")
            field.setMaxLength(NAME_MAX)
            field.setText(names[i] if i < len(names) else "")
            field.returnPressed.connect(lambda i=i: self._enter(i))
            form.addRow(title, field)
            self.fields.append(field)
        self.error = QLabel(self)
        self.error.setObjectName("signInError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.ALERT}; font-weight: bold;")
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        self.sign_in_button = self.buttons.addButton(
            translate("SignIn", "Sign in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.sign_in_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self._focus_first_empty()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter is ours (see _enter): the button box's default button would sign in from the
        # first field. On a focused button it presses that button.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if isinstance(focused, QPushButton):
                focused.click()
            event.accept()
            return
        super().keyPressEvent(event)

    def names(self) -> list[str]:
        return [n for n in (f.text().strip() for f in self.fields) if n]

    def _enter(self, i: int) -> None:
        if i == 0 and not self.fields[1].text().strip():
            self.fields[1].setFocus()
        else:
            self.submit()

    def submit(self) -> None:
        if self.busy:
            return
        self.set_busy(True)
        self.error.hide()
        self.submitted.emit(self.names())

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        for w in (*self.fields, self.sign_in_button):
            w.setEnabled(not busy)
        self.sign_in_button.setText(translate("SignIn", "Signing in…") if busy else translate("SignIn", "Sign in"))

    def show_error(self, text: str) -> None:
        """The service refused (or could not be reached): say why, keep the names typed."""
        self.set_busy(False)
        self.error.setText(text)
        self.error.show()
        self._focus_first_empty()

    def _focus_first_empty(self) -> None:
        empty = next((f for f in self.fields[:2] if not f.text().strip()), self.fields[0])
        empty.setFocus(Qt.FocusReason.OtherFocusReason)
