"""Turns RoomView's plain-Python change callbacks into a Qt signal."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

from proctor.link.console_client import RoomChange, RoomView


class RoomBridge(QObject):
    """One per RoomView; models and widgets connect to `changed` (RoomChange)."""

    changed = Signal(object)

    def __init__(self, view: RoomView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        view.listen(self._forward)

    def _forward(self, change: RoomChange) -> None:
        # RoomView has no unlisten: a bridge whose Qt side is gone just stops forwarding.
        if isValid(self):
            self.changed.emit(change)
