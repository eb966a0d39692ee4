"""Append-only event log with a latest-answer projection, in one SQLite file (WAL, FULL).

One writer: the room service. `append` commits a whole batch in one transaction; the service
acknowledges nothing before it returns (group commit: a burst costs one fsync, not hundreds).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

import sqlite_utils

from ..domain.room import Event

GENESIS = "0" * 64


class PackageMismatch(Exception):
    """The database belongs to a different exam package."""


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    event: Event
    hash: str


def _canonical(seq: int, e: Event) -> str:
    return json.dumps([seq, e.at, e.kind, e.data], ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class EventLog:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.db = sqlite_utils.Database(self.path)
        conn = self.db.conn
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        if "events" not in self.db.table_names():
            self.db["meta"].create({"key": str, "value": str}, pk="key")
            self.db["events"].create(
                {"seq": int, "at": float, "kind": str, "data": str, "hash": str}, pk="seq"
            )
            self.db["answers"].create(
                {"sitting": int, "ticket": str, "seq": int, "answers": str, "at": float},
                pk=("sitting", "ticket"),
            )
        row = conn.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        self.last_seq, self.last_hash = (row[0], row[1]) if row else (0, GENESIS)

    def bind_package(self, fingerprint: str) -> None:
        """Tie the database to one package; refuse to mix two exams in one log."""
        meta = self.db["meta"]
        try:
            stored = meta.get("package")["value"]
        except sqlite_utils.db.NotFoundError:
            with self.db.conn:
                meta.insert({"key": "package", "value": fingerprint})
            return
        if stored != fingerprint:
            raise PackageMismatch(
                f"{self.path} holds package {stored[:16]}, not {fingerprint[:16]}"
            )

    def append(self, events: Iterable[Event]) -> list[StoredEvent]:
        """Commit the events (and the answers they carry) in one transaction."""
        out: list[StoredEvent] = []
        rows, answers = [], []
        seq, prev = self.last_seq, self.last_hash
        for e in events:
            seq += 1
            text = _canonical(seq, e)
            prev = hashlib.sha256((prev + text).encode()).hexdigest()
            rows.append((seq, e.at, e.kind, json.dumps(e.data, ensure_ascii=False), prev))
            out.append(StoredEvent(seq, e, prev))
            if e.kind == "AnswerSaved":
                d = e.data
                answers.append((d["sitting"], d["ticket"], d["seq"], json.dumps(d["answers"], ensure_ascii=False), e.at))
        if not rows:
            return out
        conn = self.db.conn
        with conn:
            conn.executemany("INSERT INTO events (seq, at, kind, data, hash) VALUES (?,?,?,?,?)", rows)
            if answers:
                conn.executemany(
                    "INSERT INTO answers (sitting, ticket, seq, answers, at) VALUES (?,?,?,?,?) "
                    "ON CONFLICT(sitting, ticket) DO UPDATE SET seq=excluded.seq, "
                    "answers=excluded.answers, at=excluded.at",
                    answers,
                )
        self.last_seq, self.last_hash = seq, prev
        return out

    def replay(self) -> Iterator[StoredEvent]:
        for seq, at, kind, data, h in self.db.conn.execute(
            "SELECT seq, at, kind, data, hash FROM events ORDER BY seq"
        ):
            yield StoredEvent(seq, Event(kind, at, json.loads(data)), h)

    def verify_chain(self) -> int | None:
        """The first seq whose hash does not follow from its predecessor, or None if intact."""
        prev = GENESIS
        for se in self.replay():
            if hashlib.sha256((prev + _canonical(se.seq, se.event)).encode()).hexdigest() != se.hash:
                return se.seq
            prev = se.hash
        return None

    def latest_answer(self, sitting: int, ticket: str) -> tuple[int, Any] | None:
        row = self.db.conn.execute(
            "SELECT seq, answers FROM answers WHERE sitting=? AND ticket=?", (sitting, ticket)
        ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def holdings(self) -> dict[str, dict[str, list[int]]]:
        """Per sitting and ticket: [highest saved seq, number of saves held], from the log itself."""
        out: dict[str, dict[str, list[int]]] = {}
        for sitting, ticket, top, n in self.db.conn.execute(
            "SELECT json_extract(data, '$.sitting'), json_extract(data, '$.ticket'), "
            "MAX(json_extract(data, '$.seq')), COUNT(*) FROM events "
            "WHERE kind = 'AnswerSaved' GROUP BY 1, 2"
        ):
            out.setdefault(str(sitting), {})[ticket] = [top, n]
        return out

    def close(self) -> None:
        try:
            self.db.conn.close()
        except sqlite3.Error:
            pass
