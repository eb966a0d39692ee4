"""The WAL's sync in a process of its own (`proctor.store.walsync`): a serving log's commits
are durable once a sync asked for after them has returned, never before; a sync that is held
up holds up the answer, and a sync process that is gone is a failure, not a silence."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys

import pytest

from proctor.domain.events import ServiceStarted
from proctor.store import EventLog, LogRefused, walsync
from proctor.store.walsync import SyncFailed

WAIT_S = 10.0  # for what must come
QUIET_S = 0.3  # for what must not come meanwhile


def _started(n: int) -> list[ServiceStarted]:
    return [ServiceStarted(at=float(i), package="ab" * 32, wall=float(i)) for i in range(n)]


def _answered(log: EventLog, timeout: float) -> bool:
    assert log.syncer is not None
    return bool(select.select([log.syncer.fileno()], [], [], timeout)[0])


@pytest.fixture
def log(tmp_path):
    with EventLog(tmp_path / "room.db", sync_apart=True) as opened:
        yield opened


def test_a_serving_log_commits_without_syncing_and_says_so_when_the_sync_returns(log):
    log.append(_started(3), sync=False)
    syncer = log.syncer
    assert syncer is not None and syncer.asked == 0
    syncer.ask()
    syncer.ask()  # a second commit's ask, while the first may be syncing
    assert _answered(log, WAIT_S)
    done = 0
    while done < 2 and _answered(log, WAIT_S):
        done += syncer.done()
    assert done == 2 and syncer.asked == 0
    assert log.last_seq == 3


def test_a_returned_sync_is_counted_from_shared_memory_before_its_answer_is_read(log):
    log.append(_started(1), sync=False)
    syncer = log.syncer
    assert syncer is not None and syncer.synced() == 0
    syncer.ask()
    assert _answered(log, WAIT_S)  # the count is written before the answer
    assert syncer.synced() == 1 and syncer.asked == 0
    assert syncer.synced() == 0  # counted once
    assert syncer.done() == 0  # the answer read later counts nothing again
    log.append(_started(1), sync=False)
    syncer.ask()
    assert _answered(log, WAIT_S) and syncer.done() == 1 and syncer.synced() == 0


def test_the_sync_process_runs_first_when_the_system_lets_it(log):
    assert log.syncer is not None
    may = [sys.executable, "-c", "import os; os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(1))"]
    if subprocess.run(may, capture_output=True).returncode != 0:
        pytest.skip("this system does not let the tests' user use the real-time policy (root or CAP_SYS_NICE)")
    assert os.sched_getscheduler(log.syncer.pid) == os.SCHED_FIFO


def test_an_append_that_syncs_returns_once_its_sync_has(log):
    log.append(_started(1))  # sync=True: through the same process, waited for
    assert log.syncer is not None and log.syncer.asked == 0


def test_a_sync_held_up_holds_up_its_answer(log):
    assert log.syncer is not None
    os.kill(log.syncer.pid, signal.SIGSTOP)  # a disk that does not come back from the sync
    try:
        log.append(_started(1), sync=False)
        log.syncer.ask()
        assert not _answered(log, QUIET_S)
        assert log.syncer.synced() == 0 and log.syncer.done() == 0 and log.syncer.asked == 1
    finally:
        os.kill(log.syncer.pid, signal.SIGCONT)
    assert _answered(log, WAIT_S) and log.syncer.done() == 1


def test_a_sync_process_that_is_gone_is_a_failure(log):
    assert log.syncer is not None
    log.append(_started(1), sync=False)
    os.kill(log.syncer.pid, signal.SIGKILL)
    with pytest.raises(SyncFailed, match="could not be synced"):
        log.syncer.ask()  # refused at once when the pipe is already known to be broken
        assert _answered(log, WAIT_S)  # else its end is the answer
        log.syncer.done()


def test_a_wal_that_cannot_be_synced_is_a_failure_with_the_reason(tmp_path):
    with EventLog(tmp_path / "room.db", sync_apart=True) as opened:
        assert opened.syncer is not None
        wal = opened.syncer.wal  # the process was told its path at start: take the file away
        os.rename(wal, str(wal) + ".gone")
        try:
            opened.syncer.ask()
            assert _answered(opened, WAIT_S)
            with pytest.raises(SyncFailed, match="No such file"):
                opened.syncer.done()
        finally:
            os.rename(str(wal) + ".gone", wal)


def test_a_room_whose_sync_process_cannot_start_is_refused_and_its_file_let_go(tmp_path, monkeypatch):
    monkeypatch.setattr(walsync, "_SYNCER", "import sys; sys.exit(3)")
    with pytest.raises(LogRefused, match="sync process did not start"):
        EventLog(tmp_path / "room.db", sync_apart=True)
    monkeypatch.undo()
    with EventLog(tmp_path / "room.db", sync_apart=True) as again:  # not held by the first try
        again.append(_started(1))
        assert again.last_seq == 1
