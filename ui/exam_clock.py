"""The exam clock as the service keeps it: its reading at the last snapshot, run forward here."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class ExamClock:
    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._at: float | None = None  # exam time at the last sync
        self._mono = 0.0
        self.scale = 1.0

    def sync(self, now: float, scale: float = 1.0) -> None:
        self._at, self._mono, self.scale = now, self._monotonic(), scale or 1.0

    def sync_header(self, header: dict[str, Any]) -> None:
        if header.get("now") is not None:
            self.sync(float(header["now"]), float(header.get("scale") or 1.0))

    def now(self) -> float | None:
        # Monotonic elapsed time: a wall clock stepped by NTP on this machine must not move the exam.
        if self._at is None:
            return None
        return self._at + (self._monotonic() - self._mono) * self.scale


def next_milestone(sitting: dict[str, Any] | None, now: float | None) -> tuple[str, float] | None:
    """("start" | "sign_in_close" | "end", seconds left, never negative) for the sitting's phase."""
    if sitting is None or now is None:
        return None
    phase = sitting.get("phase")
    if phase == "scheduled":
        kind, at = "start", sitting["start"]
    elif phase == "started":
        kind, at = "sign_in_close", sitting["sign_in_closes"]
    elif phase == "sign_in_closed":
        kind, at = "end", sitting["end"]
    else:
        return None
    return kind, max(0.0, at - now)


def duration_text(seconds: float) -> str:
    s = int(seconds + 0.999)  # a countdown shows 0:01 until the moment itself
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
