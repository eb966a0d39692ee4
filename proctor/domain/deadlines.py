"""A sitting's deadlines: which there are and when, from the sitting's times and the policy.

The console shows the next one with a countdown and lists them all; the service publishes them
with the sitting (RoomState.sitting_header), so no console decides them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from .policy import Policy


class Deadline(str, Enum):
    """In the order they come in a sitting; two at one moment keep this order."""

    LOGIN_OPENS = "login_opens"
    START = "start"
    SIGN_IN_CLOSES = "sign_in_closes"
    EARLIEST_SUBMIT = "earliest_submit"
    REMINDER = "reminder"
    END = "end"
    LAST_END = "last_end"  # the last candidate's end, with extra time


@dataclass(frozen=True)
class Due:
    kind: Deadline
    at: float
    rule: str  # the RULES.md rows the profile cites for it ("R09/R13"), "" for the schedule itself

    def row(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "at": self.at, "rule": self.rule}


def sitting_deadlines(
    start: float, end: float, policy: Policy, last_end: float | None = None, *, scheduled_start: float | None = None
) -> list[Due]:
    """The deadlines of a sitting from `start` to `end` (both as now scheduled, after any
    delayed start), in time order. `last_end`: the latest candidate's end, past `end` when
    someone has extra time. `scheduled_start`: the start before a delay, which login opens from."""
    p = policy
    out = [
        # R05: candidates log in from T-30.
        Due(
            Deadline.LOGIN_OPENS,
            (start if scheduled_start is None else scheduled_start) - p.login_opens_before_start_min * 60,
            p.rule("login_opens_before_start_min", "R05"),
        ),
        Due(Deadline.START, start, ""),
        # R07: sign-in closes T+30; not logged in by then is absent.
        Due(
            Deadline.SIGN_IN_CLOSES,
            start + p.sign_in_closes_after_start_min * 60,
            p.rule("sign_in_closes_after_start_min", "R07"),
        ),
    ]
    # R08 (accounting: 2 h after the start), R09/R10 (economics: 15 min / 1 h before the end).
    # Submission open from the start, or only at the end, is no deadline of its own.
    submit = p.earliest_submit(start, end)
    if start < submit < end:
        rule = (
            p.rule("earliest_submit_after_start_min", "R08")
            if p.earliest_submit_before_end_min is None
            else p.rule("earliest_submit_before_end_min", "R09")
        )
        out.append(Due(Deadline.EARLIEST_SUBMIT, submit, rule))
    # R12: the proctors remind the candidates before the end.
    reminder = end - p.reminder_before_end_min * 60
    if start < reminder < end:
        out.append(Due(Deadline.REMINDER, reminder, p.rule("reminder_before_end_min", "R12")))
    # R11: everyone not submitted is submitted at their own end.
    out.append(Due(Deadline.END, end, "R11"))
    if last_end is not None and last_end > end:
        out.append(Due(Deadline.LAST_END, last_end, "R11"))
    order = list(Deadline)
    return sorted(out, key=lambda d: (d.at, order.index(d.kind)))


def next_deadline(deadlines: list[Due], now: float) -> Due | None:
    """The first deadline still ahead: one whose moment has come is past."""
    return next((d for d in deadlines if d.at > now), None)
