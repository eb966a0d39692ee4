"""The event log: every kind comes back as it went in, the chain covers the answers, and a file
that is not this program's room database is refused with a message, not a traceback."""

import sqlite3

import pytest

from proctor.domain.events import AnswerSaved, CandidateLoggedIn
from proctor.domain.room import answers_digest, canonical_answers
from proctor.store import EventLog, LatestAnswer, LogRefused, PackageMismatch
from tests.domain.test_events import EXAMPLES, T

ANSWERS = {"1": "A", "2": ["B", "D"], "essay": "借：银行存款 𠮷"}


def _log_with_examples(path) -> EventLog:
    log = EventLog(path)
    blob = canonical_answers(ANSWERS)
    events = [
        AnswerSaved(at=T, sitting=1, ticket="t", seq=1, digest=answers_digest(blob))
        if isinstance(e, AnswerSaved)
        else e
        for e in EXAMPLES
    ]
    log.append(events, {answers_digest(blob): blob})
    return log


def test_every_event_kind_round_trips_through_the_log(tmp_path):
    _log_with_examples(tmp_path / "room.db").close()
    with EventLog(tmp_path / "room.db") as again:
        replayed = [se.event for se in again.replay()]
        assert [type(e) for e in replayed] == [type(e) for e in EXAMPLES]
        saved = next(i for i, e in enumerate(EXAMPLES) if isinstance(e, AnswerSaved))  # its digest differs
        assert replayed[:saved] == EXAMPLES[:saved] and replayed[saved + 1 :] == EXAMPLES[saved + 1 :]
        assert again.latest_answer(1, "t") == LatestAnswer(1, ANSWERS)
        assert again.verify_chain() is None


def test_the_chain_covers_the_answers(tmp_path):
    with _log_with_examples(tmp_path / "room.db") as log:
        assert log.verify_chain() is None
        with log.db.conn:
            log.db.conn.execute("UPDATE answers SET answers = replace(answers, '\"A\"', '\"C\"')")
        saved_at = next(se.seq for se in log.replay() if isinstance(se.event, AnswerSaved))
        assert log.verify_chain() == saved_at


def test_an_edited_event_breaks_the_chain_there(tmp_path):
    with _log_with_examples(tmp_path / "room.db") as log:
        with log.db.conn:
            log.db.conn.execute("UPDATE events SET data = replace(data, 'F08', 'F07') WHERE kind = 'CandidateLoggedIn'")
        edited = next(se.seq for se in log.replay() if isinstance(se.event, CandidateLoggedIn))
        assert log.verify_chain() == edited


def test_history_pages_through_the_room_and_follows_one_candidate(tmp_path):
    with _log_with_examples(tmp_path / "room.db") as log:
        first = log.history(after=0, limit=4)
        assert [seq for seq, _ in first] == [1, 2, 3, 4]
        rest = log.history(after=4, limit=100)
        assert [seq for seq, _ in rest] == list(range(5, len(EXAMPLES) + 1))
        timeline = log.history(ticket="273303001003")
        assert len(timeline) == 1 and b"CandidateLoggedIn" in timeline[0][1]


@pytest.mark.parametrize("version", ["3", "99"])  # 3: answers keyed by candidate and save, before 4
def test_a_database_of_another_schema_version_is_refused(tmp_path, version):
    EventLog(tmp_path / "room.db").close()
    with sqlite3.connect(tmp_path / "room.db") as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (version,))
    conn.close()
    with pytest.raises(LogRefused, match=f"schema version {version}; this program reads version 4. Open it with"):
        EventLog(tmp_path / "room.db")


def test_a_log_of_the_first_format_is_refused_not_misread(tmp_path):
    with sqlite3.connect(tmp_path / "old.db") as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, at REAL, kind TEXT, data TEXT, hash TEXT)")
    conn.close()
    with pytest.raises(LogRefused, match="schema version 1"):
        EventLog(tmp_path / "old.db")


def test_a_file_that_is_not_a_room_database_is_refused(tmp_path):
    with sqlite3.connect(tmp_path / "other.db") as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    with pytest.raises(LogRefused, match="not a room database"):
        EventLog(tmp_path / "other.db")
    (tmp_path / "notes.db").write_text("考场情况记录\n" * 200, encoding="utf-8")
    with pytest.raises(LogRefused, match="not a room database"):
        EventLog(tmp_path / "notes.db")


def test_a_log_of_another_package_is_refused(tmp_path):
    with EventLog(tmp_path / "x.db") as log:
        log.bind_package("a" * 64)
        with pytest.raises(PackageMismatch):
            log.bind_package("b" * 64)
