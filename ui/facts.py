"""What the screen derives from RoomView rows (Qt-free, so it is easy to test)."""

from __future__ import annotations

from typing import Any

from proctor.link.console_client import RoomView

from .theme import FLAG_TINTS

def flags_of(c: dict[str, Any]) -> list[str]:
    """The candidate's flags, most urgent first."""
    order = list(FLAG_TINTS)
    return sorted(c.get("flags", ()), key=lambda f: (order.index(f) if f in order else len(order), f))


def room_counts(view: RoomView) -> dict[str, int]:
    states = view.state_counts()
    return {
        "expected_total": len(view.candidates),
        # Everyone who has logged in (实到), whatever they are doing now.
        "logged_in": sum(1 for c in view.candidates.values() if c.get("logged_in_at") is not None),
        "answering": states.get("answering", 0),
        "submitted": states.get("submitted", 0),
        "absent": states.get("absent", 0),
        "offline": sum(1 for c in view.candidates.values() if "offline" in c.get("flags", ())),
    }
