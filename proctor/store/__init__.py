"""The event log on SQLite: what happened in the room, in order, hash-chained."""

from .log import EventLog, StoredEvent, PackageMismatch

__all__ = ["EventLog", "StoredEvent", "PackageMismatch"]
