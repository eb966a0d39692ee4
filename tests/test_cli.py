"""The `proctor` command refuses bad input with a message that names what is wrong."""

import shutil
import subprocess
import sys
from pathlib import Path

from proctor.resources import sample_package_dir


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
        "ws://127.0.0.1:1",
        "--package",
        str(sample_package_dir()),
        "--machines",
        "2",
        "--duration",
        "0.5",
    )
    assert run.returncode == 1 and "cannot reach the room service at ws://127.0.0.1:1" in run.stderr


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
            await svc.machine_connected(c.seat, None)
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
