"""The one seam for questions to a person. Dialogs open with open(), never exec(): a nested
event loop inside a qasync task raises "Cannot enter into task" (qasync issues 59, 82, 174).
Tests replace `confirm`, `inform` and `sign_in`."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from .sign_in import SignInDialog


def confirm(parent: QWidget, title: str, text: str, on_answer: Callable[[bool], None]) -> QMessageBox:
    """Ask yes/no without blocking; `on_answer(True)` only for an explicit yes."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)  # the safe answer is the default

    def finished(result: int) -> None:
        on_answer(result == QMessageBox.StandardButton.Yes.value)
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return box


def inform(parent: QWidget, title: str, text: str) -> QMessageBox:
    """Tell something that went wrong, without blocking; the box goes away when closed."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.finished.connect(box.deleteLater)
    box.open()
    return box


def sign_in(
    parent: QWidget, names: Sequence[str], required: int, on_names: Callable[[list[str], SignInDialog], None]
) -> SignInDialog:
    """Ask the room proctors for their names; `on_names(names, dialog)` each time they sign in,
    and the dialog stays open until `dialog.accept()` (so a refusal can be shown in it)."""
    dialog = SignInDialog(parent, names, required)
    dialog.submitted.connect(lambda typed: on_names(typed, dialog))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
