"""The `proctor` command refuses bad input with a message that names what is wrong."""

import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from proctor.resources import sample_package_dir
from tests.factories import DAMAGED_FILES, damage_file


def proctor(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "proctor.cli", *args], capture_output=True, text=True, timeout=60)


def test_a_malformed_package_is_refused_naming_file_line_and_field(tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(sample_package_dir(), pkg)
    csv = pkg / "candidates.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[4].split(",")
    fields[3] = fields[3][:-1] + ("0" if fields[3][-1] != "0" else "1")  # break the check digit
    lines[4] = ",".join(fields)
    csv.write_text("".join(lines), encoding="utf-8")
    run = proctor("serve", "--package", str(pkg), "--db", str(tmp_path / "r.db"))
    assert run.returncode == 1
    assert "candidates.csv line 5, field id_number" in run.stderr and "校验位" in run.stderr
    assert not (tmp_path / "r.db").exists()


def test_a_database_of_another_package_is_refused(tmp_path):
    other = tmp_path / "other"
    assert proctor("demo-roster", "--candidates", "3", "--machines", "4", "--out", str(other)).returncode == 0
    db = tmp_path / "r.db"
    from proctor.store import EventLog

    with EventLog(db) as log:
        log.bind_package("0" * 64)
    run = proctor("serve", "--package", str(other), "--db", str(db), "--listen", "127.0.0.1:0")
    assert run.returncode == 1 and "use a new --db" in run.stderr


def test_sim_says_when_the_service_cannot_be_reached():
    run = proctor(
        "sim",
        "--connect",
        "wss://127.0.0.1:1",
        "--package",
        str(sample_package_dir()),
        "--machines",
        "2",
        "--duration",
        "0.5",
    )
    assert run.returncode == 1 and "cannot reach the room service at wss://127.0.0.1:1" in run.stderr


def test_demo_roster_writes_a_package_that_loads(tmp_path):
    out = tmp_path / "room"
    run = proctor(
        "demo-roster",
        "--candidates",
        "50",
        "--machines",
        "45",
        "--out",
        str(out),
        "--overbooked",
        "--start",
        "2027-05-15T08:30:00+08:00",
    )
    assert run.returncode == 0, run.stderr
    from proctor.package import load_package

    pkg = load_package(out)
    assert len(pkg.candidates) == 50 and pkg.overbooked and all(c.seat is None for c in pkg.candidates)
    assert Path(out / "photos").is_dir()


def test_serve_stops_cleanly_on_sigterm(tmp_path):
    import json
    import signal

    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "proctor.cli",
            "serve",
            "--package",
            str(sample_package_dir()),
            "--db",
            str(tmp_path / "r.db"),
            "--listen",
            "127.0.0.1:0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            line = proc.stdout.readline()  # printed once a stop signal would be handled
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert json.loads(line)["package"], err
    assert proc.returncode == 0
    assert err == ""


def test_audit_finds_an_event_altered_after_the_fact(tmp_path):
    import asyncio
    import sqlite3
    from contextlib import closing

    from tests.factories import START, make_package, opened_service

    async def exam():
        pkg = make_package(candidates=3, machines=4)
        svc = await opened_service(pkg, tmp_path / "room.db", START - 600)
        for c in pkg.candidates:
            await svc.machine_connected(c.seat)
            await svc.login(c.seat, c.ticket, c.id_number)
        await svc.close()
        svc.log.close()

    asyncio.run(exam())
    db = str(tmp_path / "room.db")
    ok = proctor("audit", "--db", db)
    assert ok.returncode == 0 and '"intact": true' in ok.stdout
    with closing(sqlite3.connect(db)) as conn, conn:  # somebody moves a login to another machine
        conn.execute("UPDATE events SET data = replace(data, 'A02', 'A04') WHERE kind = 'CandidateLoggedIn'")
    bad = proctor("audit", "--db", db)
    assert bad.returncode == 1 and '"intact": false' in bad.stdout and "altered" in bad.stderr


# -- the database is the room's -------------------------------------------------------------------

PKG = str(sample_package_dir())


def _served(db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "proctor.cli", "serve", "--package", PKG, "--db", str(db), "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _exam_db(tmp_path) -> Path:
    """A room's database as its service left it: 3 candidates logged in, 2 saves each (14 events)."""
    from tests.factories import START, make_package, room_log

    db = tmp_path / "room.db"
    room_log(make_package(candidates=3, machines=4), db, START + 60)
    return db


def _sql(db: Path, statement: str) -> None:
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(statement)


def _refused(run: subprocess.CompletedProcess, *words: str) -> bool:
    return run.returncode == 2 and "Traceback" not in run.stderr and all(w in run.stderr for w in words)


def test_a_second_service_on_the_same_database_is_refused_and_the_first_serves_on(tmp_path):
    import json
    import signal

    from proctor.store import EventLog

    db = tmp_path / "r.db"
    with _served(db) as first:
        try:
            url = json.loads(first.stdout.readline())["listening"]
            second = proctor("serve", "--package", PKG, "--db", str(db), "--listen", "127.0.0.1:0")
            # The first one still serves, and its log still takes events.
            signed = proctor("do", "--connect", url, "--package", PKG, "sign-in-proctors", "--names", "林𠮷祥", "王芳")
            first.send_signal(signal.SIGTERM)
            _, err = first.communicate(timeout=10)
        finally:
            if first.poll() is None:
                first.kill()
    assert _refused(second, f"in use by another room service (pid {first.pid}, ", "proctor audit")
    assert signed.returncode == 0, signed.stderr
    assert first.returncode == 0 and err == ""
    with EventLog(db, readonly=True) as log:
        assert log.find_damage() is None and log.kinds()["ServiceStarted"] == 1 and "ProctorsSignedIn" in log.kinds()


@pytest.mark.parametrize("kind", DAMAGED_FILES)
def test_a_damaged_or_foreign_database_is_refused_in_words_by_serve_and_audit(tmp_path, kind):
    import re

    db = _exam_db(tmp_path)
    damage_file(kind, db)
    for run in (
        proctor("serve", "--package", PKG, "--db", str(db), "--listen", "127.0.0.1:0"),
        proctor("audit", "--db", str(db)),
    ):
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
        assert re.search(DAMAGED_FILES[kind], run.stderr), run.stderr


def test_events_deleted_from_the_end_are_refused_by_serve_and_found_by_audit(tmp_path):
    db = _exam_db(tmp_path)
    _sql(db, "DELETE FROM events WHERE seq > 11")
    serve = proctor("serve", "--package", PKG, "--db", str(db), "--listen", "127.0.0.1:0")
    assert _refused(serve, "3 events are missing from the end", "standby proctor machine")
    audit = proctor("audit", "--db", str(db))
    assert audit.returncode == 1 and '"intact": false' in audit.stdout and '"missing": 3' in audit.stdout
    assert "3 events are missing from the end of the log (its head is event 14" in audit.stderr


def test_an_edited_event_stops_the_start_naming_it(tmp_path):
    db = _exam_db(tmp_path)
    _sql(db, "UPDATE events SET data = replace(data, '\"seq\":2', '\"seq\":3') WHERE seq = 14")  # the last save
    serve = proctor("serve", "--package", PKG, "--db", str(db), "--listen", "127.0.0.1:0")
    assert _refused(serve, "event 14 (AnswerSaved, ", "was altered", "proctor audit --db", "the backup")


def test_audit_finds_answers_that_no_longer_match_their_digest(tmp_path):
    db = _exam_db(tmp_path)
    _sql(db, 'UPDATE answers SET answers = \'{"1":"D","n":2}\' WHERE event = 13')  # the event the audit names
    audit = proctor("audit", "--db", str(db))
    assert audit.returncode == 1 and '"intact": false' in audit.stdout
    assert "the answers saved with event 13 (AnswerSaved, " in audit.stderr and "do not match" in audit.stderr


# Run `proctor serve` on a disk with no room for one more page of the database: SQLite itself
# refuses the start's first write with "database or disk is full".
_FULL_DISK = """
import runpy, sys
from proctor.store import log

def full_disk(path, _connect=log._connect):
    conn = _connect(path)
    conn.execute("PRAGMA max_page_count = %d" % conn.execute("PRAGMA page_count").fetchone()[0])
    return conn

log._connect = full_disk
sys.argv = ["proctor", *sys.argv[1:]]
runpy.run_module("proctor.cli", run_name="__main__")
"""


def test_a_full_disk_at_start_is_said_in_words(tmp_path):
    import asyncio

    from proctor.domain.events import MachineOffline
    from proctor.host import RoomOptions, start_room
    from proctor.package import load_package
    from proctor.store import EventLog

    db = tmp_path / "r.db"

    async def room_once():
        room = await start_room(load_package(PKG), RoomOptions(db=db))
        await room.stop()

    asyncio.run(room_once())
    with EventLog(db) as log:  # fill the disk: small events until not one more fits
        log.db.conn.execute(f"PRAGMA max_page_count = {log.db.conn.execute('PRAGMA page_count').fetchone()[0]}")
        with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
            for _ in range(1000):
                log.append([MachineOffline(at=log.last_seq, machine="A01", reason="heartbeat")])
    run = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, "serve", "--package", PKG, "--db", str(db), "--listen", "127.0.0.1:0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert _refused(run, "is full", "Free space on it", "start again on the same --db"), run.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_disk_that_fails_writes_at_start_is_said_in_words(tmp_path):
    """The kernel refuses every write past 300 bytes: SQLite's first append at start fails."""
    import asyncio

    from proctor.host import RoomOptions, start_room
    from proctor.package import load_package

    db = tmp_path / "r.db"

    async def room_once():
        room = await start_room(load_package(PKG), RoomOptions(db=db))
        await room.stop()

    asyncio.run(room_once())
    limited = (
        "import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_FSIZE, (300, 300)); "
        "sys.argv = ['proctor', *sys.argv[1:]]; runpy.run_module('proctor.cli', run_name='__main__')"
    )
    # A reader keeps the WAL index open (as a crashed service leaves it): only the log's growth needs the disk.
    with closing(sqlite3.connect(db)) as reader:
        reader.execute("SELECT COUNT(*) FROM events").fetchone()
        run = subprocess.run(
            [sys.executable, "-c", limited, "serve", "--package", PKG, "--db", str(db), "--listen", "127.0.0.1:0"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert _refused(run, "could not be read or written (disk I/O error)", "Check the disk"), run.stderr
