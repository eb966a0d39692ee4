"""The console lock (#10): when the proctors step away, the console is locked, and unlocked with
the code they set, or, on a console that no longer holds it (restarted), by two proctors signing
in again. Each lock, unlock and wrong code is recorded; the third wrong code in a row raises an
alert. Pure decisions; the code itself never leaves the console (it keeps a salted hash)."""

from __future__ import annotations

from .events import AlertKind, ConsoleLocked, ConsoleUnlocked, ConsoleUnlockFailed, Event
from .refusal import Refused
from .room import RoomState, alert_once

ALERT_AFTER_WRONG = 3


def decide_lock(room: RoomState, by: tuple[str, ...], now: float) -> list[Event]:
    if room.console_locked:
        raise Refused("already_locked", "the console is locked already", "监考机已锁定")
    return [ConsoleLocked(at=now, by=by)]


def decide_unlock(room: RoomState, how: str, by: tuple[str, ...], now: float) -> list[Event]:
    if not room.console_locked:
        raise Refused("not_locked", "the console is not locked", "监考机未锁定")
    if how == "sign_in" and len(set(by)) < 2:
        raise Refused(
            "two_proctors",
            "without the code, two proctors sign in again to unlock",
            "没有解锁码时，须由两名监考员重新签到解锁",
            rule="R02",
        )
    return [ConsoleUnlocked(at=now, how="sign_in" if how == "sign_in" else "code", by=by)]


def decide_unlock_failed(room: RoomState, now: float) -> list[Event]:
    attempt = room.unlock_failures + 1
    events: list[Event] = [ConsoleUnlockFailed(at=now, attempt=attempt)]
    if attempt >= ALERT_AFTER_WRONG:
        events += alert_once(room, AlertKind.UNLOCK_FAILED, now, detail=str(attempt))
    return events
