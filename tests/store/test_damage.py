"""The database is the room's: one service writes it at a time, its end is pinned by a head kept
with the events, a file that is empty, cut short or not a room's is refused in words, and an
answer whose bytes no longer match its chained digest is never given back as the latest."""

import contextlib
import os
import sqlite3
import subprocess
import sys

import pytest

from proctor.domain.events import AnswerSaved, MachineOnline
from proctor.domain.room import answers_digest, canonical_answers
from proctor.store import EventLog, LatestAnswer, LogDamaged, LogInUse, LogRefused
from tests.factories import DAMAGED_FILES, START, damage_file, make_package, room_log


@pytest.fixture
def room_db(tmp_path):
    """A closed room database: 3 candidates logged in, 2 saves each (14 events)."""
    db = tmp_path / "room.db"
    room_log(make_package(candidates=3, machines=4), db, START + 60)
    return db


def _sql(db, statement: str, *params) -> None:
    """Someone changes the file with plain sqlite3, behind the room service's back."""
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(statement, params)


def _save(log: EventLog, ticket: str, seq: int, answers: dict) -> int:
    blob = canonical_answers(answers)
    [stored] = log.append(
        [AnswerSaved(at=START + seq, sitting=1, ticket=ticket, seq=seq, digest=answers_digest(blob))],
        {answers_digest(blob): blob},
    )
    return stored.seq


def test_a_second_writer_is_refused_naming_the_first_which_writes_on(tmp_path):
    db = tmp_path / "room.db"
    with EventLog(db) as first:
        with pytest.raises(LogInUse, match=rf"in use by another room service \(pid {os.getpid()}, .*, since "):
            EventLog(db)
        first.append([MachineOnline(at=START, machine="A01")])
        assert first.last_seq == 1
    with EventLog(db) as again:  # the lock goes with the log that held it
        assert again.last_seq == 1


def test_a_lock_left_by_a_process_that_died_blocks_nobody(tmp_path):
    db = tmp_path / "room.db"
    holder = (
        f"import sys; from proctor.store import EventLog; log = EventLog({str(db)!r}); print('open', flush=True); "
        "sys.stdin.read()"
    )
    with subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as proc:
        try:
            assert proc.stdout.readline() == "open\n"
            with pytest.raises(LogInUse, match=f"pid {proc.pid}"):
                EventLog(db)
        finally:
            proc.kill()  # no clean close: only the OS lets go of the lock
            proc.wait()
    assert (tmp_path / "room.db.lock").exists()
    EventLog(db).close()


def test_a_reader_beside_the_writer_sees_its_events_and_creates_no_file(room_db):
    files = sorted(os.listdir(room_db.parent))
    with EventLog(room_db, readonly=True) as reader:  # nobody writes: the file alone
        assert reader.find_damage() is None and reader.last_seq == 14
    assert sorted(os.listdir(room_db.parent)) == files
    with EventLog(room_db) as writer, EventLog(room_db, readonly=True) as reader:
        writer.append([MachineOnline(at=START, machine="A01")])
        assert reader.find_damage() is None and reader.kinds()["MachineOnline"] == 4


@pytest.mark.parametrize("kind", DAMAGED_FILES)
def test_a_damaged_or_foreign_file_is_refused_in_words_and_left_as_it_was(room_db, kind):
    damage_file(kind, room_db)
    before = room_db.read_bytes()
    for readonly in (False, True):
        with pytest.raises(LogRefused, match=DAMAGED_FILES[kind]):
            EventLog(room_db, readonly=readonly)
    assert room_db.read_bytes() == before
    assert not any(p.name.endswith(("-wal", "-shm", ".new")) for p in room_db.parent.iterdir())


def test_an_empty_file_is_not_a_new_room(tmp_path):
    (tmp_path / "room.db").touch()
    with pytest.raises(LogDamaged, match="if this is really a new room, give a new --db"):
        EventLog(tmp_path / "room.db")
    with EventLog(tmp_path / "new.db") as fresh:  # a path that does not exist is
        assert fresh.last_seq == 0 and fresh.find_damage() is None


def test_events_deleted_from_the_end_are_refused_naming_how_many(room_db):
    _sql(room_db, "DELETE FROM events WHERE seq > 11")
    with pytest.raises(
        LogDamaged,
        match=r"3 events are missing from the end of the log \(its head is event 14, the last one present is 11\)",
    ):
        EventLog(room_db)
    with EventLog(room_db, readonly=True) as reader:
        damage = reader.find_damage()
    assert (damage.seq, damage.missing) == (12, 3)


def test_an_event_edited_in_place_is_refused_at_the_check_naming_it(room_db):
    with EventLog(room_db, readonly=True) as reader:
        [seq] = [
            se.seq
            for se in reader.replay()
            if getattr(se.event, "machine", None) == "A02" and se.event.kind == "CandidateLoggedIn"
        ]
    _sql(room_db, "UPDATE events SET data = replace(data, 'A02', 'A03') WHERE seq = ?", seq)
    with EventLog(room_db) as log, pytest.raises(LogDamaged) as refused:
        log.check()
    assert f"event {seq} (CandidateLoggedIn, " in str(refused.value)
    assert "proctor audit" in str(refused.value) and "standby proctor machine" in str(refused.value)


# The answers row of the candidate's save number n (answers rows are keyed by their event).
_SAVE_NO = "event = (SELECT seq FROM events WHERE kind = 'AnswerSaved' AND json_extract(data, '$.seq') = %d)"


def test_the_latest_answer_is_the_newest_intact_save_and_the_damaged_ones_are_named(tmp_path):
    with EventLog(tmp_path / "room.db") as log:
        saved = [_save(log, "t", n, {"1": "ABC"[n - 1]}) for n in (1, 2, 3)]
        assert log.latest_answer(1, "t") == LatestAnswer(3, {"1": "C"})
        _sql(log.path, f'UPDATE answers SET answers = \'{{"1":"D"}}\' WHERE {_SAVE_NO % 3}')
        assert log.latest_answer(1, "t") == LatestAnswer(2, {"1": "B"}, damaged=(3,))
        assert log.verify_chain() == saved[2]
        _sql(log.path, f"DELETE FROM answers WHERE {_SAVE_NO % 2}")  # a save the chain records is gone
        assert log.latest_answer(1, "t") == LatestAnswer(1, {"1": "A"}, damaged=(3, 2))
        _sql(log.path, f"UPDATE answers SET answers = '{{}}' WHERE {_SAVE_NO % 1}")
        assert log.latest_answer(1, "t") == LatestAnswer(0, None, damaged=(3, 2, 1))
        assert log.latest_answer(1, "never-saved") is None and log.latest_answer(2, "t") is None


def test_an_answers_row_that_no_save_records_is_found(tmp_path):
    with EventLog(tmp_path / "room.db") as log:
        first = _save(log, "t", 1, {"1": "A"})
        assert log.find_damage() is None
        _sql(log.path, "INSERT INTO answers (event, answers) VALUES (?, ?)", first + 1, '{"1":"B"}')  # no event
        damage = log.find_damage()
        assert (
            damage is not None and damage.what == f"an answers row (for event {first + 1}) that no answer save records"
        )
        assert log.latest_answer(1, "t") == LatestAnswer(1, {"1": "A"})  # what the chain records stands
