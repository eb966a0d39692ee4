"""What the screen derives from RoomView rows (Qt-free, so it is easy to test)."""

from __future__ import annotations

from typing import Any

from proctor.domain.room import Flag, State
from proctor.link.console_client import RoomView

from .theme import flag_rank

SIDE_STATES = (State.RESET, State.STANDALONE, State.TRANSFERRED_OUT, State.GAVE_UP)
SIDE_FLAGS = (Flag.AWAY, Flag.VIOLATION)


def flags_of(c: dict[str, Any]) -> list[str]:
    """The candidate's flags, most urgent first."""
    return sorted(c.get("flags", ()), key=lambda f: (flag_rank(f), f))


def room_counts(view: RoomView) -> dict[str, int]:
    """The header's counts, in one pass over the candidates (a burst of changes recounts often)."""
    states = view.state_counts()
    logged_in = 0
    flagged = {f: 0 for f in (Flag.OFFLINE.value, *(f.value for f in SIDE_FLAGS))}
    for c in view.candidates.values():
        if c.get("logged_in_at") is not None:
            logged_in += 1  # everyone who has logged in (实到), whatever they are doing now
        for f in c.get("flags", ()):
            if f in flagged:
                flagged[f] += 1
    return {
        "expected_total": len(view.candidates),
        "logged_in": logged_in,
        "answering": states.get(State.ANSWERING.value, 0),
        "submitted": states.get(State.SUBMITTED.value, 0),
        "absent": states.get(State.ABSENT.value, 0),
        "offline": flagged[Flag.OFFLINE.value],
        "alerts": len(view.alerts),
        "not_logged_in": states.get(State.EXPECTED.value, 0),
        # Side states and flags: the header shows them when there are any.
        **{s.value: states.get(s.value, 0) for s in SIDE_STATES},
        **{f.value: flagged[f.value] for f in SIDE_FLAGS},
    }
