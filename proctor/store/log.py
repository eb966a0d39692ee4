"""Append-only event log with the saved answers beside it, in one SQLite file (WAL, FULL).

One writer: the room service. `append` commits a whole batch in one transaction; the service
acknowledges nothing before it returns (group commit: a burst costs one fsync, not hundreds).
Each event is stored as its one encoding (proctor.domain.events) and chained by SHA-256 over
exactly the stored bytes; an `AnswerSaved` event carries the digest of the answers it refers to,
so the chain covers the answers table too.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import sqlite_utils

from ..domain.events import AnswerSaved, Event, decode_event, encode_event
from ..domain.room import ClockAnchor

GENESIS = "0" * 64
LOG_KIND = "proctor-room-log"
SCHEMA_VERSION = 2


class LogRefused(Exception):
    """This file cannot be used as this room's event log; the message says why and what to do."""


class PackageMismatch(LogRefused):
    """The database belongs to a different exam package."""


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    event: Event
    hash: str
    data: bytes  # the event's one encoding, as stored, hashed and sent to consoles


def chain_hash(prev: str, seq: int, data: bytes) -> str:
    return hashlib.sha256(prev.encode() + b"%d:" % seq + data).hexdigest()


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (seq INTEGER PRIMARY KEY, at REAL NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL,
                     hash TEXT NOT NULL);
CREATE TABLE event_tickets (ticket TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (ticket, seq)) WITHOUT ROWID;
CREATE TABLE answers (sitting INTEGER NOT NULL, ticket TEXT NOT NULL, seq INTEGER NOT NULL,
                      answers TEXT NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (sitting, ticket, seq));
"""


class EventLog:
    def __init__(self, path: str | Path, *, checkpoint_every_s: float | None = None) -> None:
        """`checkpoint_every_s`: a serving room copies the WAL into the database from a thread of
        its own at this interval, not inside a commit on the event loop (`_Checkpointer`)."""
        self.path = Path(path)
        self._checkpointer: _Checkpointer | None = None
        try:
            self.db = sqlite_utils.Database(self.path)
            conn = self.db.conn
            tables = set(self.db.table_names())
            if not tables:
                conn.execute("PRAGMA journal_mode=WAL")
                with conn:
                    conn.executescript(_SCHEMA)
                    conn.executemany(
                        "INSERT INTO meta (key, value) VALUES (?, ?)",
                        [("kind", LOG_KIND), ("schema", str(SCHEMA_VERSION))],
                    )
            else:
                self._check_kind(tables)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            row = conn.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        except sqlite3.DatabaseError as exc:
            raise LogRefused(f"{self.path} is not a room database ({exc}); give a new --db") from None
        self.last_seq, self.last_hash = (row[0], row[1]) if row else (0, GENESIS)
        if checkpoint_every_s:
            self._checkpointer = _Checkpointer(self.path, checkpoint_every_s)

    def _check_kind(self, tables: set[str]) -> None:
        meta = dict(self.db.conn.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
        if meta.get("kind") != LOG_KIND and "events" not in tables:
            raise LogRefused(
                f"{self.path} is not a room database (it holds {', '.join(sorted(tables))}); give a new --db"
            )
        version = meta.get("schema", "1")
        if version != str(SCHEMA_VERSION):
            raise LogRefused(
                f"{self.path} is a room database of schema version {version}; this program reads version "
                f"{SCHEMA_VERSION}. Open it with the program that wrote it, or give a new --db"
            )

    def bind_package(self, fingerprint: str) -> None:
        """Tie the database to one package; refuse to mix two exams in one log."""
        row = self.db.conn.execute("SELECT value FROM meta WHERE key = 'package'").fetchone()
        if row is None:
            with self.db.conn:
                self.db.conn.execute("INSERT INTO meta (key, value) VALUES ('package', ?)", (fingerprint,))
        elif row[0] != fingerprint:
            raise PackageMismatch(f"{self.path} holds package {row[0][:16]}, not {fingerprint[:16]}")

    def mark_time(self, exam: float, wall: float, scale: float) -> None:
        """Keep the latest (exam time, wall clock) pair, so that a restart after a quiet spell
        still knows how far the exam clock had come (not chained: the events' own times are)."""
        conn = self.db.conn
        conn.execute("PRAGMA synchronous=NORMAL")  # advisory: no fsync of its own
        try:
            with conn:
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', ?)", (f"{exam!r} {wall!r} {scale!r}",)
                )
        finally:
            conn.execute("PRAGMA synchronous=FULL")

    def time_mark(self) -> ClockAnchor | None:
        row = self.db.conn.execute("SELECT value FROM meta WHERE key = 'clock'").fetchone()
        if row is None:
            return None
        exam, wall, scale = (float(x) for x in row[0].split())
        return ClockAnchor(exam, wall, scale)

    def append(self, events: Iterable[Event], answers: Mapping[str, bytes] | None = None) -> list[StoredEvent]:
        """Commit the events, and the answers their AnswerSaved events name by digest, in one
        transaction."""
        out: list[StoredEvent] = []
        rows: list[tuple[int, float, str, str, str]] = []
        touched: list[tuple[str, int]] = []
        saved: list[tuple[int, str, int, str, str]] = []
        seq, prev = self.last_seq, self.last_hash
        for e in events:
            seq += 1
            data = encode_event(e)
            prev = chain_hash(prev, seq, data)
            rows.append((seq, e.at, e.kind, data.decode(), prev))
            touched.extend((t, seq) for t in e.tickets)
            out.append(StoredEvent(seq, e, prev, data))
            if isinstance(e, AnswerSaved):
                blob = (answers or {})[e.digest]
                saved.append((e.sitting, e.ticket, e.seq, blob.decode(), e.digest))
        if not rows:
            return out
        conn = self.db.conn
        with conn:
            conn.executemany("INSERT INTO events (seq, at, kind, data, hash) VALUES (?,?,?,?,?)", rows)
            if touched:
                conn.executemany("INSERT OR IGNORE INTO event_tickets (ticket, seq) VALUES (?,?)", touched)
            if saved:
                conn.executemany(
                    "INSERT INTO answers (sitting, ticket, seq, answers, digest) VALUES (?,?,?,?,?)", saved
                )
        self.last_seq, self.last_hash = seq, prev
        return out

    def replay(self) -> Iterator[StoredEvent]:
        for seq, data, h in self.db.conn.execute("SELECT seq, data, hash FROM events ORDER BY seq"):
            yield StoredEvent(seq, decode_event(data), h, data.encode())

    def verify_chain(self) -> int | None:
        """The first seq whose hash does not follow from its predecessor, or whose answers do not
        match the digest it recorded; None if intact."""
        prev = GENESIS
        digests: dict[tuple[int, str, int], str] = {}
        for seq, data, h in self.db.conn.execute("SELECT seq, data, hash FROM events ORDER BY seq"):
            if chain_hash(prev, seq, data.encode()) != h:
                return seq
            prev = h
            if '"kind":"AnswerSaved"' in data[:30]:
                e = decode_event(data)
                assert isinstance(e, AnswerSaved)
                digests[(e.sitting, e.ticket, e.seq)] = e.digest
        for sitting, ticket, seq, text, digest in self.db.conn.execute(
            "SELECT sitting, ticket, seq, answers, digest FROM answers"
        ):
            recorded = digests.get((sitting, ticket, seq))
            if recorded != digest or hashlib.sha256(text.encode()).hexdigest() != digest:
                row = self.db.conn.execute(
                    "SELECT e.seq FROM events e JOIN event_tickets t ON t.seq = e.seq "
                    "WHERE t.ticket = ? AND e.kind = 'AnswerSaved' AND json_extract(e.data, '$.seq') = ? "
                    "AND json_extract(e.data, '$.sitting') = ?",
                    (ticket, seq, sitting),
                ).fetchone()
                return row[0] if row else 0
        return None

    def latest_answer(self, sitting: int, ticket: str) -> tuple[int, Any] | None:
        row = self.db.conn.execute(
            "SELECT seq, answers FROM answers WHERE sitting=? AND ticket=? ORDER BY seq DESC LIMIT 1", (sitting, ticket)
        ).fetchone()
        return (row[0], msgspec.json.decode(row[1])) if row else None

    def answer_digest(self, sitting: int, ticket: str, seq: int) -> str | None:
        """The digest of the save held at `seq`, to compare a resend with."""
        row = self.db.conn.execute(
            "SELECT digest FROM answers WHERE sitting=? AND ticket=? AND seq=?", (sitting, ticket, seq)
        ).fetchone()
        return row[0] if row else None

    def holdings(self) -> dict[str, dict[str, list[int]]]:
        """Per sitting and ticket: [highest saved seq, number of saves held]."""
        out: dict[str, dict[str, list[int]]] = {}
        for sitting, ticket, top, n in self.db.conn.execute(
            "SELECT sitting, ticket, MAX(seq), COUNT(*) FROM answers GROUP BY sitting, ticket"
        ):
            out.setdefault(str(sitting), {})[ticket] = [top, n]
        return out

    def history(self, after: int = 0, limit: int = 200, ticket: str | None = None) -> list[tuple[int, bytes]]:
        """Events after seq `after`, oldest first, at most `limit`: the whole room's, or those that
        touch one candidate (their timeline). Each as its stored encoding."""
        if ticket is None:
            rows = self.db.conn.execute(
                "SELECT seq, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?", (after, limit)
            )
        else:
            rows = self.db.conn.execute(
                "SELECT e.seq, e.data FROM event_tickets t JOIN events e ON e.seq = t.seq "
                "WHERE t.ticket = ? AND t.seq > ? ORDER BY t.seq LIMIT ?",
                (ticket, after, limit),
            )
        return [(seq, data.encode()) for seq, data in rows]

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        try:
            self.db.conn.close()
        except sqlite3.Error:
            pass


class _Checkpointer:
    """Passive WAL checkpoints on a connection and a thread of their own.

    SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1000 pages: at
    1000 machines every few hundred saves, 4-5 ms on a quiet disk and far more on a busy one, on
    the event loop while every save waits: it made most of the slowest acknowledgements. A
    passive checkpoint neither waits for the writer nor makes it wait; one every `interval`
    seconds is a millisecond or two of work with the GIL released, and when it has caught up
    before the next commit the writer starts the WAL over, so the WAL stays small. The automatic
    checkpoint stays on as the backstop. Durability is unchanged: a save is durable once its
    commit has synced the WAL (synchronous=FULL); a checkpoint syncs the database file before
    the WAL is reused.
    """

    def __init__(self, path: Path, interval: float) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(str(path), interval), name="wal-checkpoint", daemon=True
        )
        self._thread.start()

    def _run(self, path: str, interval: float) -> None:
        conn = sqlite3.connect(path, check_same_thread=False)
        try:
            conn.execute("PRAGMA synchronous=FULL")
            while not self._stop.wait(interval):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error:
                    pass  # busy or failing: the writer's automatic checkpoint still runs
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
