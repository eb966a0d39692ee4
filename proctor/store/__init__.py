"""The event log on SQLite: what happened in the room, in order, hash-chained."""

from .log import EventLog, LogRefused, PackageMismatch, StoredEvent

__all__ = ["EventLog", "LogRefused", "PackageMismatch", "StoredEvent"]
