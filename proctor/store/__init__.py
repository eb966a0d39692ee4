"""The event log on SQLite: what happened in the room, in order, hash-chained."""

from .log import (
    Damage,
    EventLog,
    LatestAnswer,
    LogDamaged,
    LogDiskError,
    LogInUse,
    LogRefused,
    PackageMismatch,
    StoredEvent,
)

__all__ = [
    "Damage",
    "EventLog",
    "LatestAnswer",
    "LogDamaged",
    "LogDiskError",
    "LogInUse",
    "LogRefused",
    "PackageMismatch",
    "StoredEvent",
]
