"""A candidate's saves are found without an index row per save on disk: the log's in-memory save
index, built from `events` when opened and kept up by `append` (a reader's catches up)."""

import contextlib
import sqlite3

import pytest

from proctor.domain.events import AnswerSaved, CandidateLoggedIn
from proctor.domain.room import answers_digest, canonical_answers
from proctor.store import EventLog, LatestAnswer, LogDamaged
from proctor.store.save_index import SaveIndex

T = 1_800_000_000.0


def _save(log: EventLog, ticket: str, seq: int, answers: dict, sitting: int = 1) -> int:
    blob = canonical_answers(answers)
    [stored] = log.append(
        [AnswerSaved(at=T + seq, sitting=sitting, ticket=ticket, seq=seq, digest=answers_digest(blob))],
        {answers_digest(blob): blob},
    )
    return stored.seq


def _login(log: EventLog, ticket: str) -> int:
    [stored] = log.append([CandidateLoggedIn(at=T, sitting=1, ticket=ticket, machine="A01")])
    return stored.seq


def _rows(db, query: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute(query).fetchall()


def test_a_save_adds_rows_only_at_the_end_of_events_and_answers(tmp_path):
    with EventLog(tmp_path / "room.db") as log:
        logged_in = _login(log, "t")
        saved = _save(log, "t", 1, {"1": "A"})
    assert _rows(tmp_path / "room.db", "SELECT ticket, seq FROM event_tickets") == [("t", logged_in)]
    assert _rows(tmp_path / "room.db", "SELECT event FROM answers") == [(saved,)]


def test_the_writer_finds_saves_appended_and_a_reopened_log_finds_them_again(tmp_path):
    db = tmp_path / "room.db"
    with EventLog(db) as log:
        _save(log, "t", 1, {"1": "A"})
        _save(log, "u", 1, {"1": "X"})
        _save(log, "t", 2, {"1": "B"})
        _save(log, "t", 1, {"1": "S2"}, sitting=2)
        assert log.latest_answer(1, "t") == LatestAnswer(2, {"1": "B"})
        assert log.answer_digest(1, "t", 1) == answers_digest(canonical_answers({"1": "A"}))
        assert log.answer_digest(1, "t", 3) is None and log.answer_digest(1, "nobody", 1) is None
    with EventLog(db) as again:
        assert again.latest_answer(1, "t") == LatestAnswer(2, {"1": "B"})
        assert again.latest_answer(2, "t") == LatestAnswer(1, {"1": "S2"})
        assert again.latest_answer(1, "u") == LatestAnswer(1, {"1": "X"})
        _save(again, "t", 3, {"1": "C"})
        assert again.latest_answer(1, "t") == LatestAnswer(3, {"1": "C"})


def test_a_reader_sees_the_saves_a_service_appends_after_it_opened(tmp_path):
    db = tmp_path / "room.db"
    with EventLog(db) as writer:
        _save(writer, "t", 1, {"1": "A"})
        with EventLog(db, readonly=True) as reader:
            assert reader.latest_answer(1, "t") == LatestAnswer(1, {"1": "A"})
            _save(writer, "t", 2, {"1": "B"})
            _save(writer, "u", 1, {"1": "X"})
            assert reader.latest_answer(1, "t") == LatestAnswer(2, {"1": "B"})
            assert reader.latest_answer(1, "u") == LatestAnswer(1, {"1": "X"})
            assert len(reader.history(ticket="t")) == 2


def test_a_candidate_timeline_holds_saves_and_other_events_in_order_and_pages(tmp_path):
    db = tmp_path / "room.db"
    with EventLog(db) as log:
        seqs = [_login(log, "t"), _save(log, "t", 1, {"1": "A"}), _save(log, "u", 1, {})]
        seqs += [_save(log, "t", 2, {"1": "B"}), _login(log, "t"), _save(log, "t", 3, {"1": "C"})]
        mine = [s for i, s in enumerate(seqs) if i != 2]
        assert [s for s, _ in log.history(ticket="t")] == mine
        assert [s for s, _ in log.history(ticket="t", limit=2)] == mine[:2]
        assert [s for s, _ in log.history(ticket="t", after=mine[1], limit=2)] == mine[2:4]
        assert [s for s, _ in log.history(ticket="t", after=mine[-1])] == []
        assert [s for s, _ in log.history(ticket="u")] == [seqs[2]]
        assert log.history(ticket="nobody") == []


def test_a_log_that_also_has_index_rows_for_its_saves_lists_each_once(tmp_path):
    """Logs written before kept a row in event_tickets for each save too."""
    db = tmp_path / "room.db"
    with EventLog(db) as log:
        saves = [_save(log, "t", n, {"1": str(n)}) for n in (1, 2)]
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.executemany("INSERT INTO event_tickets (ticket, seq) VALUES ('t', ?)", [(s,) for s in saves])
    with EventLog(db) as again:
        assert [s for s, _ in again.history(ticket="t")] == saves
        assert again.latest_answer(1, "t") == LatestAnswer(2, {"1": "2"})


def test_the_index_walks_one_sitting_newest_first_and_pages_by_event():
    index = SaveIndex()
    for event, sitting, seq in [(3, 1, 1), (5, 1, 2), (9, 2, 1), (12, 1, 3)]:
        index.add(event, sitting, "t", seq)
    assert list(index.newest_first(1, "t")) == [(12, 3), (5, 2), (3, 1)]
    assert list(index.newest_first(2, "t")) == [(9, 1)]
    assert list(index.newest_first(1, "u")) == []
    assert index.events_after("t", 0, 10) == [3, 5, 9, 12]
    assert index.events_after("t", 5, 2) == [9, 12]
    assert index.events_after("t", 4, 1) == [5]
    assert index.events_after("t", 12, 10) == [] and index.events_after("u", 0, 10) == []
    assert index.through == 12


def test_a_save_row_that_is_not_a_save_does_not_stop_the_log_opening_and_the_check_names_it(tmp_path):
    db = tmp_path / "room.db"
    with EventLog(db) as log:
        _save(log, "t", 1, {"1": "A"})
        bad = _save(log, "t", 2, {"1": "B"})
        _save(log, "t", 3, {"1": "C"})
    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE events SET data = ? WHERE seq = ?", ('{"kind":"AnswerSaved","sitting":1e99}', bad))
    with EventLog(db) as again:
        assert again.latest_answer(1, "t") == LatestAnswer(3, {"1": "C"})
        with pytest.raises(LogDamaged, match=f"event {bad} "):
            again.check()
