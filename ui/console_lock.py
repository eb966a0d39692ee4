"""The console lock: the proctors lock the console when they step away (考场 → 锁定监考机); a lock
screen covers the room until someone types the unlock code set at the lock, or, when this console
does not hold one (it was restarted while locked), until two proctors sign in again. The code
never leaves this console: it keeps a salted PBKDF2 hash. Every lock, unlock and wrong code is
recorded by the service (proctor.domain.console_lock)."""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from . import theme
from .i18n import translate

MIN_DIGITS, MAX_DIGITS = 4, 12
ROUNDS = 100_000


def well_formed(code: str) -> bool:
    return code.isdigit() and MIN_DIGITS <= len(code) <= MAX_DIGITS


class UnlockCode:
    """The code set at the lock, kept only as a salted hash."""

    def __init__(self, code: str) -> None:
        self.salt = os.urandom(16)
        self.digest = self._hash(code)

    def _hash(self, code: str) -> bytes:
        return hashlib.pbkdf2_hmac("sha256", code.encode(), self.salt, ROUNDS)

    def matches(self, code: str) -> bool:
        return hmac.compare_digest(self._hash(code), self.digest)


class LockScreen(QWidget):
    """Covers the window. `codeEntered(code)`; `signInRequested()` when the console holds no code."""

    codeEntered = Signal(str)
    signInRequested = Signal()

    STYLE = f"""
        #lockScreen {{ background: {theme.BOX_FILL}; }}
        #lockTitle {{ font-size: 24pt; font-weight: bold; color: {theme.TEXT}; }}
        #lockNote {{ color: {theme.NOTE}; font-size: 12pt; }}
        #lockAlerts {{ color: {theme.ALERT}; font-size: 14pt; font-weight: bold; }}
        #lockError {{ color: {theme.ALERT}; }}
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = QLabel(translate("Lock", "The console is locked"), self)
        self.title.setObjectName("lockTitle")
        self.note = QLabel(self)
        self.note.setObjectName("lockNote")
        self.alerts = QLabel(self)
        self.alerts.setObjectName("lockAlerts")
        self.code = QLineEdit(self)
        self.code.setObjectName("unlockCode")
        self.code.setEchoMode(QLineEdit.EchoMode.Password)
        self.code.setMaxLength(MAX_DIGITS)
        self.code.setFixedWidth(240)
        self.code.setPlaceholderText(translate("Lock", "Unlock code, then Enter"))
        self.code.returnPressed.connect(self._entered)
        self.error = QLabel(self)
        self.error.setObjectName("lockError")
        self.sign_in = QPushButton(translate("Lock", "Two proctors sign in again to unlock"), self)
        self.sign_in.setObjectName("unlockBySignIn")
        self.sign_in.clicked.connect(self.signInRequested.emit)
        lay = QVBoxLayout(self)
        lay.addStretch(2)
        for w in (self.title, self.note, self.alerts, self.code, self.error, self.sign_in):
            lay.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(3)
        self.setStyleSheet(self.STYLE)
        self.hide()

    def show_locked(self, room: str, holds_code: bool) -> None:
        # Worded when shown: the language may have changed since the window was built.
        self.title.setText(translate("Lock", "The console is locked"))
        self.code.setPlaceholderText(translate("Lock", "Unlock code, then Enter"))
        self.sign_in.setText(translate("Lock", "Two proctors sign in again to unlock"))
        self.note.setText(
            translate("Lock", "{room}: locked while the proctors stepped away").format(room=room)
            if holds_code
            else translate("Lock", "{room}: locked, and this console holds no unlock code").format(room=room)
        )
        self.code.setVisible(holds_code)
        self.sign_in.setVisible(not holds_code)
        self.error.setText("")
        self.code.clear()
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        (self.code if holds_code else self.sign_in).setFocus()

    def show_alerts(self, n: int) -> None:
        self.alerts.setText(translate("Lock", "{n} open alerts").format(n=n) if n else "")

    def _entered(self) -> None:
        code = self.code.text()
        self.code.clear()
        self.codeEntered.emit(code)


class ConsoleLock:
    """The window's lock: `lock(code)` after the service recorded it, `try_code(code)`."""

    def __init__(self, screen: LockScreen, on_state: Callable[[bool], None]) -> None:
        self.screen = screen
        self.code: UnlockCode | None = None
        self.locked = False
        self._on_state = on_state

    def lock(self, code: str | None, room: str) -> None:
        self.code = UnlockCode(code) if code else None
        self.locked = True
        self.screen.show_locked(room, self.code is not None)
        self._on_state(True)

    def matches(self, code: str) -> bool:
        return self.code is not None and self.code.matches(code)

    def unlock(self) -> None:
        self.code = None
        self.locked = False
        self.screen.hide()
        self._on_state(False)


class LockDialog(QWidget):
    """Set the unlock code (typed twice) before the lock; `chosen(code)`. A small window-modal
    panel, shown with show()."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Dialog)
        self.setObjectName("lockDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowTitle(translate("Lock", "Lock the console"))
        self.first = QLineEdit(self)
        self.second = QLineEdit(self)
        for edit in (self.first, self.second):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(MAX_DIGITS)
        self.first.setObjectName("code1")
        self.second.setObjectName("code2")
        self.first.setPlaceholderText(
            translate("Lock", "Unlock code: {a} to {b} digits").format(a=MIN_DIGITS, b=MAX_DIGITS)
        )
        self.second.setPlaceholderText(translate("Lock", "The same again"))
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color: {theme.ALERT};")
        self.go = QPushButton(translate("Lock", "Lock (Enter)"), self)
        self.go.setDefault(True)
        self.go.clicked.connect(self.submit)
        self.second.returnPressed.connect(self.submit)
        self.first.returnPressed.connect(self.second.setFocus)
        lay = QVBoxLayout(self)
        for w in (self.first, self.second, self.error, self.go):
            lay.addWidget(w)
        self.first.setFocus()

    def submit(self) -> None:
        a, b = self.first.text(), self.second.text()
        if not well_formed(a):
            self.error.setText(translate("Lock", "The code is {a} to {b} digits").format(a=MIN_DIGITS, b=MAX_DIGITS))
        elif a != b:
            self.error.setText(translate("Lock", "The two codes differ: type it again"))
            self.second.clear()
        else:
            self.chosen.emit(a)
            self.close()
