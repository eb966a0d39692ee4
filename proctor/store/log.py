"""Append-only event log with the saved answers beside it, in one SQLite file (WAL).

One writer: the room service. It holds an OS lock on `<db>.lock` for as long as its log is open,
so a second service on the same database is refused instead of colliding with the first; a
reader (`readonly=True`, as `proctor audit` opens it) takes no lock and creates no file.
`append` commits a whole batch in one transaction, durable when it returns (synchronous=FULL),
or, on a serving log (`sync_apart`), once a sync of the WAL in a process of its own has
returned (`walsync`); the service acknowledges nothing before (group commit: a burst costs one
fsync, not hundreds). Each event is stored as its one encoding (proctor.domain.events) and
chained by SHA-256 over exactly the stored bytes; an `AnswerSaved` event carries the digest of
the answers it refers to, so the chain covers the answers table too. Each answers row is keyed
by the seq of the event that names it, so a save adds rows only at the end of `events` and
`answers`: a candidate's saves are found through an index in memory (`save_index`), and other
events through `event_tickets`. The head of the chain (`last_seq`, `last_hash` in `meta`) is
written in the same transaction as the events, so events missing from the end are found, not
taken for a shorter log.

A file that cannot be this room's log is refused with a `LogRefused` whose message says what
is wrong and what to do: one that is empty, cut short, corrupt or another program's
(`LogDamaged`, plain `LogRefused`), in use by another service (`LogInUse`), or on a disk that is
full or failing (`LogDiskError`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Annotated, Any, NamedTuple

import msgspec
import sqlite_utils

from ..domain.events import AnswerSaved, Event, decode_event, encode_event
from ..domain.room import ClockAnchor
from .save_index import SaveIndex
from .walsync import WalSyncer

GENESIS = "0" * 64
LOG_KIND = "proctor-room-log"
SCHEMA_VERSION = 4  # 3: the chain's head is kept in meta; 4: answers keyed by their event
SQLITE_MAGIC = b"SQLite format 3\x00"
RESTORE = "restore the room from the backup or the standby proctor machine"


class LogRefused(Exception):
    """This file cannot be used as this room's event log; the message says why and what to do."""


class PackageMismatch(LogRefused):
    """The database belongs to a different exam package."""


class LogInUse(LogRefused):
    """Another process writes this database (a room service): only one may."""


class LogDamaged(LogRefused):
    """The file is empty, cut short or corrupt, or its events do not follow their hash chain
    (`damage`: where, when the chain says so)."""

    def __init__(self, message: str, damage: Damage | None = None) -> None:
        super().__init__(message)
        self.damage = damage


class LogDiskError(LogRefused):
    """The file could not be read or written: the disk is full, failing or not there."""


@dataclass(frozen=True)
class StoredEvent:
    seq: int
    event: Event
    hash: str
    data: bytes  # the event's one encoding, as stored, hashed and sent to consoles


class LatestAnswer(NamedTuple):
    """What a login or resume gives back: the newest save whose answers match the digest its
    chained event recorded. `damaged`: the newer saves (their machine's seq) whose stored answers
    do not match or are gone; `answers` is None when no save is intact. (A tuple, so code that
    reads it as the former (seq, answers) pair still does.)"""

    seq: int
    answers: Any
    damaged: tuple[int, ...] = ()


@dataclass(frozen=True)
class Damage:
    """Where a log stops being trustworthy. `seq`: the first event altered or missing (0 for an
    answers row that no event records); `what`: what is wrong there, in words."""

    seq: int
    what: str
    missing: int = 0  # events missing from the end of the log


def chain_hash(prev: str, seq: int, data: bytes) -> str:
    return hashlib.sha256(prev.encode() + b"%d:" % seq + data).hexdigest()


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events (seq INTEGER PRIMARY KEY, at REAL NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL,
                     hash TEXT NOT NULL);
CREATE TABLE event_tickets (ticket TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (ticket, seq)) WITHOUT ROWID;
CREATE TABLE answers (event INTEGER PRIMARY KEY, answers TEXT NOT NULL);
"""

# One save as the chain records it: its link to its predecessor and the answers row it names.
_SAVE_ROW = """
SELECT e.data, e.hash, p.hash, json_extract(e.data, '$.digest'), a.answers
FROM events e
LEFT JOIN events p ON p.seq = e.seq - 1
LEFT JOIN answers a ON a.event = e.seq
WHERE e.seq = ?
"""

# Saves after a seq, for the in-memory index (save_index.py).
_SAVES_AFTER = "SELECT seq, data FROM events WHERE seq > ? AND kind = 'AnswerSaved' ORDER BY seq"

_Int64 = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]


class _SaveKey(msgspec.Struct):
    """What the save index keeps of an AnswerSaved event's stored data."""

    sitting: _Int64
    ticket: str
    seq: _Int64


_read_save_key = msgspec.json.Decoder(_SaveKey).decode


_HOLDINGS = """
SELECT json_extract(e.data, '$.sitting') AS sitting, json_extract(e.data, '$.ticket') AS ticket,
       MAX(json_extract(e.data, '$.seq')), COUNT(*)
FROM answers a JOIN events e ON e.seq = a.event
GROUP BY sitting, ticket
"""


class EventLog:
    def __init__(
        self,
        path: str | Path,
        *,
        checkpoint_every_s: float | None = None,
        sync_apart: bool = False,
        readonly: bool = False,
    ) -> None:
        """Open the room's log to write it (the one service; a path that does not exist is a new
        room) or, with `readonly`, to read it while a service may be writing it.

        `checkpoint_every_s`: a serving room copies the WAL into the database from a thread of
        its own at this interval, not inside a commit on the event loop (`_Checkpointer`).
        `sync_apart`: commits do not wait for the disk; `append(..., sync=False)` returns once
        written and `syncer` makes it durable in a process of its own (`WalSyncer`)."""
        self.path = Path(path)
        self.readonly = readonly
        self.syncer: WalSyncer | None = None
        self._checkpointer: _Checkpointer | None = None
        self._lock: _WriterLock | None = None
        self._stamp: tuple[int, int] | None = None  # an immutable reader's view of the file
        self.last_seq, self.last_hash = 0, GENESIS
        self._saves = SaveIndex()
        try:
            if readonly:
                self.db = sqlite_utils.Database(self._connect_reader())
            else:
                self._lock = _WriterLock(self.path)
                if not self.path.exists():
                    self._create()
                _inspect_file(self.path)
                self.db = sqlite_utils.Database(_connect(str(self.path)))
            self._open()
            if not readonly:  # then kept up by `append`
                self._index_saves()
        except BaseException as exc:
            self.close()
            if isinstance(exc, LogRefused):
                raise
            if isinstance(exc, (sqlite3.Error, OSError)):
                raise self.refused(exc) from None
            raise
        if sync_apart and not readonly:
            self.db.conn.execute("PRAGMA synchronous=NORMAL")
            try:
                self.syncer = WalSyncer(_companion(self.path, "-wal"))
            except OSError as exc:
                self.close()
                raise LogRefused(f"{exc}; the room cannot be served without it: call the technician") from None
        if checkpoint_every_s and not readonly:
            self._checkpointer = _Checkpointer(self.path, checkpoint_every_s)

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- opening ----------------------------------------------------------------------------------

    def _create(self) -> None:
        """A new room's database, built beside its place and moved there whole: so an existing
        file that holds no room (an empty one) is never one this program left half-made."""
        wal = _companion(self.path, "-wal")
        if wal.exists() and wal.stat().st_size:
            raise LogDamaged(
                f"{self.path} does not exist but its write-ahead file {wal.name} does: the room's last "
                f"changes may be in it and its database is gone. Do not start a new room here: {RESTORE}; "
                "if this is really a new room, give a new --db"
            )
        # Under the lock, so the scratch name is this process's alone; a crash may have left one.
        scratch = str(_companion(self.path, ".new"))
        for leftover in (scratch, scratch + "-wal", scratch + "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(leftover)
        conn = _connect(scratch)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            with conn:
                conn.executescript(_SCHEMA)
                conn.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("kind", LOG_KIND), ("schema", str(SCHEMA_VERSION)), ("last_seq", "0"), ("last_hash", GENESIS)],
                )
        finally:
            conn.close()
        os.replace(scratch, self.path)
        _sync_folder(self.path.parent)

    def _connect_reader(self) -> sqlite3.Connection:
        if not self.path.exists():
            raise LogRefused(f"{self.path}: no such file")
        _inspect_file(self.path)
        uri = self.path.resolve().as_uri() + "?mode=ro"
        if _companion(self.path, "-wal").exists():  # a service may be writing: read through its WAL
            return sqlite3.connect(uri, uri=True)
        # Nobody writes it now. A plain read-only connection would leave -wal and -shm files
        # behind (owned by whoever audits); an immutable one creates nothing. If a service starts
        # meanwhile, `find_damage` sees the file change and says to run the check again.
        self._stamp = self._file_stamp()
        return sqlite3.connect(uri + "&immutable=1", uri=True)

    def _open(self) -> None:
        conn = self.db.conn
        tables = set(self.db.table_names())
        if not tables:
            raise LogDamaged(
                f"{self.path} is an empty SQLite database: it holds no room data. If it should, {RESTORE}; "
                "if this is really a new room, give a new --db"
            )
        self._check_kind(tables)
        if not self.readonly:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        head = self._head()
        last = conn.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone() or (0, GENESIS)
        if self.readonly:  # a reader reports damage (find_damage), it does not refuse for it
            self.last_seq, self.last_hash = head or last
            return
        damage = self._head_damage(head, last[0], last[1])
        if damage is not None:
            raise LogDamaged(self._refusal_text(damage))
        self.last_seq, self.last_hash = last

    def _check_kind(self, tables: set[str]) -> None:
        meta = dict(self.db.conn.execute("SELECT key, value FROM meta")) if "meta" in tables else {}
        if meta.get("kind") != LOG_KIND and "events" not in tables:
            raise LogRefused(
                f"{self.path} is not a room database (it holds {', '.join(sorted(tables))}); give the right --db, "
                "or a new one for a new room"
            )
        version = meta.get("schema", "1")
        if version != str(SCHEMA_VERSION):
            raise LogRefused(
                f"{self.path} is a room database of schema version {version}; this program reads version "
                f"{SCHEMA_VERSION}. Open it with the program that wrote it, or give a new --db"
            )

    def _head(self) -> tuple[int, str] | None:
        meta = dict(self.db.conn.execute("SELECT key, value FROM meta WHERE key IN ('last_seq', 'last_hash')"))
        if "last_seq" not in meta or "last_hash" not in meta or not meta["last_seq"].isdigit():
            return None
        return int(meta["last_seq"]), meta["last_hash"]

    def _head_damage(self, head: tuple[int, str] | None, last_seq: int, last_hash: str) -> Damage | None:
        """The head against the last event present (whose own link the chain check covers)."""
        if head is None:
            return Damage(last_seq + 1, "the log's head (last_seq, last_hash in meta) is missing")
        head_seq, head_hash = head
        if head_seq > last_seq:
            n = head_seq - last_seq
            return Damage(
                last_seq + 1,
                f"{n} event{'s are' if n != 1 else ' is'} missing from the end of the log (its head is event "
                f"{head_seq}, the last one present is {last_seq}): the file was cut short or rows were deleted",
                missing=n,
            )
        if head_seq < last_seq:
            return Damage(head_seq + 1, f"the events after {head_seq} are not covered by the log's head")
        if head_hash != last_hash:
            return Damage(last_seq, f"{self._event_words(last_seq)} does not match the log's head: one was altered")
        return None

    # -- checking ---------------------------------------------------------------------------------

    def check(self) -> None:
        """Refuse to serve from a log whose events do not follow their hash chain up to its head.
        The saved answers are checked when they are read (`latest_answer`) and by `find_damage`."""
        for _ in self._walk():
            pass

    def _walk(self) -> Iterator[tuple[int, bytes, str]]:
        """Every event in order, as stored, each once its link in the hash chain is checked; at
        the first that does not hold, or a head the last event does not match, LogDamaged."""
        prev, last = GENESIS, 0
        for seq, data, h in self.db.conn.execute("SELECT seq, CAST(data AS BLOB), hash FROM events ORDER BY seq"):
            if seq != last + 1:
                gone = f"event {last + 1} is" if seq == last + 2 else f"events {last + 1} to {seq - 1} are"
                self._broken(Damage(last + 1, f"{gone} missing: rows were deleted from the log"))
            if chain_hash(prev, seq, data) != h:
                self._broken(
                    Damage(
                        seq,
                        f"{self._event_words(seq)} does not follow from the events before it: it was altered or damaged",
                    )
                )
            yield seq, data, h
            prev, last = h, seq
        damage = self._head_damage(self._head(), last, prev)
        if damage is not None:
            self._broken(damage)

    def _broken(self, damage: Damage) -> None:
        raise LogDamaged(self._refusal_text(damage), damage)

    def find_damage(self, *, answers: bool = True) -> Damage | None:
        """The first place where the log stops being trustworthy, or None: every event's link in
        the hash chain, the head against the last event, and (with `answers`) every saved
        answers row against the digest its chained event recorded."""
        try:
            with self._snapshot():
                damage = self._chain_damage(answers)
        except sqlite3.Error as exc:
            raise self.refused(exc) from None
        if self._stamp is not None and self._file_stamp() != self._stamp:
            raise LogRefused(
                f"{self.path} changed while it was being checked: a room service has started on it. "
                "Check it again (it can be checked while the service runs)"
            )
        return damage

    def verify_chain(self) -> int | None:
        """The first seq whose hash does not follow from its predecessor, that is missing, or
        whose answers do not match the digest it recorded; None if intact."""
        damage = self.find_damage()
        return None if damage is None else damage.seq

    def _chain_damage(self, answers: bool) -> Damage | None:
        conn = self.db.conn
        saves: dict[int, str] = {}  # event seq -> the digest it recorded
        try:
            for seq, data, _ in self._walk():
                if answers and data.startswith(b'{"kind":"AnswerSaved"'):
                    e = decode_event(data)
                    assert isinstance(e, AnswerSaved)
                    saves[seq] = e.digest
        except LogDamaged as broken:
            return broken.damage
        if not answers:
            return None
        first: Damage | None = None
        for seq, text in conn.execute("SELECT event, answers FROM answers"):
            digest = saves.pop(seq, None)
            if digest is None:
                return Damage(0, f"an answers row (for event {seq}) that no answer save records")
            if hashlib.sha256(text.encode()).hexdigest() != digest and (first is None or seq < first.seq):
                first = Damage(
                    seq, f"the answers saved with {self._event_words(seq)} do not match the digest it recorded"
                )
        for seq in saves:
            if first is None or seq < first.seq:
                first = Damage(seq, f"the answers saved with {self._event_words(seq)} are missing")
        return first

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        """One read transaction: the head and the events as of one moment, even while a service
        appends to them."""
        conn = self.db.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN")
        try:
            yield
        finally:
            conn.rollback()

    def _event_words(self, seq: int) -> str:
        row = self.db.conn.execute("SELECT kind, at FROM events WHERE seq = ?", (seq,)).fetchone()
        if row is None:
            return f"event {seq}"
        kind, at = row
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at)) if isinstance(at, (int, float)) else at
        return f"event {seq} ({kind}, {when})"

    def _refusal_text(self, damage: Damage) -> str:
        return (
            f"{self.path}: {damage.what}. The room cannot be served from this file: run "
            f"`proctor audit --db {self.path}` for the details, then {RESTORE}"
        )

    def refused(self, exc: BaseException) -> LogRefused:
        """The refusal to give for an SQLite or OS error met on this file: what happened and what to do."""
        return _refusal(self.path, exc)

    def _file_stamp(self) -> tuple[int, int]:
        st = self.path.stat()
        return st.st_size, st.st_mtime_ns

    # -- writing ----------------------------------------------------------------------------------

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
        full = self.syncer is None  # a log that syncs apart commits without a sync already
        if full:
            conn.execute("PRAGMA synchronous=NORMAL")  # advisory: no fsync of its own
        try:
            with conn:
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('clock', ?)", (f"{exam!r} {wall!r} {scale!r}",)
                )
        finally:
            if full:
                conn.execute("PRAGMA synchronous=FULL")

    def time_mark(self) -> ClockAnchor | None:
        row = self.db.conn.execute("SELECT value FROM meta WHERE key = 'clock'").fetchone()
        if row is None:
            return None
        exam, wall, scale = (float(x) for x in row[0].split())
        return ClockAnchor(exam, wall, scale)

    def append(
        self, events: Iterable[Event], answers: Mapping[str, bytes] | None = None, *, sync: bool = True
    ) -> list[StoredEvent]:
        """Commit the events, the answers their AnswerSaved events name by digest, and the new
        head of the chain, in one transaction: durable when it returns, or, on a log that syncs
        apart and with `sync=False`, once a sync asked for after it has returned (`syncer`)."""
        out: list[StoredEvent] = []
        rows: list[tuple[int, float, str, str, str]] = []
        touched: list[tuple[str, int]] = []
        saved: list[tuple[int, str]] = []
        indexed: list[tuple[int, int, str, int]] = []
        seq, prev = self.last_seq, self.last_hash
        for e in events:
            seq += 1
            data = encode_event(e)
            prev = chain_hash(prev, seq, data)
            rows.append((seq, e.at, e.kind, data.decode(), prev))
            out.append(StoredEvent(seq, e, prev, data))
            if isinstance(e, AnswerSaved):  # found by the save index, not event_tickets
                blob = (answers or {})[e.digest]
                saved.append((seq, blob.decode()))
                indexed.append((seq, e.sitting, e.ticket, e.seq))
            else:
                touched.extend((t, seq) for t in e.tickets)
        if not rows:
            return out
        conn = self.db.conn
        with conn:
            conn.executemany("INSERT INTO events (seq, at, kind, data, hash) VALUES (?,?,?,?,?)", rows)
            if touched:
                conn.executemany("INSERT OR IGNORE INTO event_tickets (ticket, seq) VALUES (?,?)", touched)
            if saved:
                conn.executemany("INSERT INTO answers (event, answers) VALUES (?,?)", saved)
            # An update, not a replace: the key's index is not rewritten (one page fewer a commit,
            # of six for a lone save). A writer opens only with both rows there (`_head_damage`).
            conn.executemany("UPDATE meta SET value = ? WHERE key = ?", ((str(seq), "last_seq"), (prev, "last_hash")))
        self.last_seq, self.last_hash = seq, prev
        self._saves.extend(indexed)
        if sync and self.syncer is not None:
            self.syncer.ask()
            self.syncer.wait()
        return out

    # -- reading ----------------------------------------------------------------------------------

    def replay(self) -> Iterator[StoredEvent]:
        for seq, data, h in self.db.conn.execute("SELECT seq, CAST(data AS BLOB), hash FROM events ORDER BY seq"):
            yield StoredEvent(seq, decode_event(data), h, data)

    def hash_at(self, seq: int) -> str | None:
        """The chain's hash of event `seq` (what a printed report quotes), or None."""
        row = self.db.conn.execute("SELECT hash FROM events WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else str(row[0])

    def of_kinds(self, kinds: Iterable[str]) -> Iterator[StoredEvent]:
        """The events of these kinds, oldest first (a drill's score reads a few kinds of a long log)."""
        wanted = sorted(set(kinds))
        marks = ",".join("?" * len(wanted))
        query = f"SELECT seq, CAST(data AS BLOB), hash FROM events WHERE kind IN ({marks}) ORDER BY seq"
        for seq, data, h in self.db.conn.execute(query, wanted):
            yield StoredEvent(seq, decode_event(data), h, data)

    def kinds(self) -> dict[str, int]:
        """How many events of each kind the log holds."""
        return dict(self.db.conn.execute("SELECT kind, COUNT(*) FROM events GROUP BY kind ORDER BY kind"))

    def latest_answer(self, sitting: int, ticket: str) -> LatestAnswer | None:
        """The candidate's newest save in this sitting whose answers match the digest its chained
        event recorded, and the newer saves that do not (altered or gone); None if the chain
        records no save. One indexed walk back over the candidate's saves, most often one row."""
        damaged: list[int] = []
        for event, save_seq in self._save_index().newest_first(sitting, ticket):
            row = self.db.conn.execute(_SAVE_ROW, (event,)).fetchone()
            if row is None:
                continue  # not in the table: the chain check names what is missing
            data, h, prev, digest, text = row
            if (
                text is not None
                and chain_hash(prev or GENESIS, event, data.encode()) == h
                and hashlib.sha256(text.encode()).hexdigest() == digest
            ):
                return LatestAnswer(save_seq, msgspec.json.decode(text), tuple(damaged))
            damaged.append(save_seq)
        return LatestAnswer(0, None, tuple(damaged)) if damaged else None

    def answer_digest(self, sitting: int, ticket: str, seq: int) -> str | None:
        """The digest of the save held at `seq`, to compare a resend with (the newest such save
        whose answers row is held)."""
        for event, save_seq in self._save_index().newest_first(sitting, ticket):
            if save_seq == seq:
                row = self.db.conn.execute(_SAVE_ROW, (event,)).fetchone()
                if row is not None and row[4] is not None:  # its answers row is held
                    return str(row[3])
        return None

    def _save_index(self) -> SaveIndex:
        """The writer's index is kept up by `append`; a reader's catches up with what a service
        may have appended since it last looked."""
        if self.readonly:
            self._index_saves()
        return self._saves

    def _index_saves(self) -> None:
        """The saves after those indexed (at 300,000 saves, 0.4 s). A row that is not a save's
        data is left out: the chain check names it."""
        for seq, data in self.db.conn.execute(_SAVES_AFTER, (self._saves.through,)):
            try:
                key = _read_save_key(data)
            except msgspec.DecodeError:
                continue
            self._saves.add(seq, key.sitting, key.ticket, key.seq)

    def holdings(self) -> dict[str, dict[str, list[int]]]:
        """Per sitting and ticket: [highest saved seq, number of saves held]."""
        out: dict[str, dict[str, list[int]]] = {}
        for sitting, ticket, top, n in self.db.conn.execute(_HOLDINGS):
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
            others = self.db.conn.execute(
                "SELECT seq FROM event_tickets WHERE ticket = ? AND seq > ? ORDER BY seq LIMIT ?",
                (ticket, after, limit),
            )
            seqs = sorted({s for (s,) in others} | set(self._save_index().events_after(ticket, after, limit)))[:limit]
            rows = self.db.conn.execute(
                "SELECT seq, data FROM events WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq",
                (json.dumps(seqs),),
            )
        return [(seq, data.encode()) for seq, data in rows]

    def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        if self.syncer is not None:
            self.syncer.close()
            self.syncer = None
        db = getattr(self, "db", None)
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.conn.close()
        if self._lock is not None:  # after the connection: its last close folds the WAL back in
            self._lock.release()
            self._lock = None


def _connect(path: str) -> sqlite3.Connection:
    return sqlite3.connect(path)


def _companion(db: Path, suffix: str) -> Path:
    return db.with_name(db.name + suffix)


def _inspect_file(path: Path) -> None:
    """Refuse, before SQLite reads it, a file that is plainly not a room database or plainly
    damaged: empty, not SQLite, or shorter than its own header says."""
    try:
        if not path.is_file():
            raise LogRefused(f"{path} is not a file; give the room database's path as --db")
        size = path.stat().st_size
        with open(path, "rb") as f:
            header = f.read(100)
        wal = _companion(path, "-wal")
        wal_size = wal.stat().st_size if wal.exists() else 0
    except OSError as exc:
        raise _refusal(path, exc) from None
    if size == 0:
        raise LogDamaged(
            f"{path} is empty: the room's data is gone (the disk, a copy or a crash emptied the file). "
            f"Do not start the room on it: {RESTORE}; if this is really a new room, give a new --db"
        )
    if not header.startswith(SQLITE_MAGIC[: len(header)]):
        raise LogRefused(
            f"{path} is not a room database (it is not an SQLite database at all), or its beginning was "
            f"overwritten. Check that --db names the room's database; if it does, {RESTORE}"
        )
    page_size = int.from_bytes(header[16:18], "big") if len(header) == 100 else 0
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big") if len(header) == 100 else 0
    # The size in the header counts only when SQLite vouches for it (offsets 24 and 92 agree).
    expected = pages * page_size if header[24:28] == header[92:96] else 0
    # While a WAL holds changes the file itself may lag (a checkpoint cut off by a crash): SQLite
    # puts that right when it opens the file, so only a file with no WAL must be whole by itself.
    if len(header) < 100 or not page_size or (not wal_size and (size % page_size or size < expected)):
        whole = f" of its {expected}" if expected > size else ""
        raise LogDamaged(
            f"{path} is cut short: it holds {size}{whole} bytes (a copy or the disk stopped partway). "
            f"Do not start the room on it: {RESTORE}"
        )


def _refusal(path: Path, exc: BaseException) -> LogRefused:
    if isinstance(exc, LogRefused):
        return exc
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name == "SQLITE_FULL" or getattr(exc, "errno", None) == errno.ENOSPC:
        return LogDiskError(
            f"the disk that holds {path} is full ({exc}). Free space on it (or move the room to another disk) "
            "and start again on the same --db: what the log holds is kept"
        )
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY")) or isinstance(exc, OSError):
        return LogDiskError(
            f"{path} could not be read or written ({exc}). Check the disk: is it there, writable, full or "
            f"failing? If it cannot be put right, {RESTORE}"
        )
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
        return LogDamaged(f"{path} is damaged ({exc}). Do not start the room on it: {RESTORE}")
    return LogRefused(f"{path} cannot be used as the room's database ({exc})")


def _sync_folder(folder: Path) -> None:
    """Make a new name in the folder durable (a database just moved into place)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _WriterLock:
    """An OS lock on `<db>.lock`, held by the one process that writes the database. The OS drops
    it when that process ends, however it ends: a lock file left behind blocks nobody. The file
    holds a note of the holder (pid, program, since when) for the message to whoever is refused."""

    def __init__(self, db: Path) -> None:
        self.path = _companion(db, ".lock")
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        self._file: IO[bytes] = os.fdopen(fd, "r+b")
        try:
            _lock(self._file)
        except OSError as exc:
            note = self._note()
            self._file.close()
            if isinstance(exc, BlockingIOError) or exc.errno in _HELD_ERRNOS:
                raise LogInUse(self._in_use_text(db, note)) from None
            raise
        try:
            self._file.seek(0)
            self._file.truncate()
            self._file.write(json.dumps(_holder(), ensure_ascii=False).encode())
            self._file.flush()
        except OSError:
            pass  # the lock is what counts; the note is only for the message (a full disk, say)

    def _note(self) -> dict[str, Any]:
        try:
            self._file.seek(0)
            note = json.loads(self._file.read(4096) or b"{}")
            return note if isinstance(note, dict) else {}
        except (OSError, ValueError):
            return {}

    @staticmethod
    def _in_use_text(db: Path, note: dict[str, Any]) -> str:
        who = ", ".join(
            str(x)
            for x in (
                f"pid {note['pid']}" if "pid" in note else "pid unknown",
                note.get("program"),
                f"since {note['since']}" if "since" in note else None,
            )
            if x
        )
        return (
            f"{db} is in use by another room service ({who}): only one service may write a room's database. "
            "Use the one that is running (the exam machines talk to it), or stop it first; "
            "to check this database while it runs, use `proctor audit`"
        )

    def release(self) -> None:
        with contextlib.suppress(OSError):
            _unlock(self._file)
        self._file.close()


def _holder() -> dict[str, Any]:
    program = " ".join([Path(sys.argv[0]).name, *sys.argv[1:2]]) if sys.argv and sys.argv[0] else "python"
    return {
        "pid": os.getpid(),
        "program": program,
        "since": datetime.now().astimezone().isoformat(sep=" ", timespec="seconds"),
    }


if sys.platform == "win32":
    import msvcrt

    _HELD_ERRNOS: tuple[int, ...] = (13, 36)  # EACCES, EDEADLOCK
    _LOCK_AT = 1 << 30  # a byte far past the note: a locked range cannot be read on Windows

    def _lock(f: IO[bytes]) -> None:
        f.seek(_LOCK_AT)
        msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(f: IO[bytes]) -> None:
        f.seek(_LOCK_AT)
        msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    _HELD_ERRNOS = (errno.EAGAIN, errno.EACCES)

    def _lock(f: IO[bytes]) -> None:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(f: IO[bytes]) -> None:
        fcntl.flock(f.fileno(), fcntl.LOCK_UN)


class _Checkpointer:
    """Passive WAL checkpoints on a connection and a thread of their own.

    SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1000 pages: at
    1000 machines every few hundred saves, 4-5 ms on a quiet disk and far more on a busy one, on
    the event loop while every save waits: it made most of the slowest acknowledgements. A
    passive checkpoint neither waits for the writer nor makes it wait; one every `interval`
    seconds is a millisecond or two of work with the GIL released, and when it has caught up
    before the next commit the writer starts the WAL over, so the WAL stays small. The automatic
    checkpoint stays on as the backstop. Durability is unchanged: a save is durable once the WAL
    it is in has been synced (by its commit, or by the sync process, `walsync`); a checkpoint
    syncs the WAL before it copies it and the database file before the WAL is reused.
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
