"""`proctor do`: the console commands from the command line, against a real `proctor serve`;
and a database that is not this program's is refused in words, not a traceback."""

import json
import sqlite3
import subprocess
import sys

import pytest

from proctor.resources import sample_package_dir

PKG = str(sample_package_dir())


def proctor(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "proctor.cli", *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def served(tmp_path):
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "proctor.cli",
            "serve",
            "--package",
            PKG,
            "--db",
            str(tmp_path / "room.db"),
            "--listen",
            "127.0.0.1:0",
        ],
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            yield json.loads(proc.stdout.readline())["listening"]
        finally:
            proc.terminate()
            proc.wait(10)
            proc.stdout.close()


def test_a_console_command_from_the_command_line(served):
    signed = proctor("do", "--connect", served, "--package", PKG, "sign-in-proctors", "--names", "林𠮷祥", "王芳")
    assert signed.returncode == 0, signed.stderr
    assert json.loads(signed.stdout)["names"] == ["林𠮷祥", "王芳"]

    page = proctor("do", "--connect", served, "--package", PKG, "history", "--limit", "2")
    assert page.returncode == 0, page.stderr
    events = json.loads(page.stdout)["events"]
    assert [e["kind"] for e in events] == ["ServiceStarted", "ProctorsSignedIn"]
    assert events[1]["names"] == ["林𠮷祥", "王芳"]


def test_revealing_an_id_number_from_the_command_line(served):
    from proctor.package import load_package

    c = load_package(PKG).candidates[0]
    refused = proctor("do", "--connect", served, "--package", PKG, "reveal-id-number", "--ticket", c.ticket)
    assert refused.returncode == 1 and "签到" in refused.stderr and c.id_number not in refused.stdout
    proctor("do", "--connect", served, "--package", PKG, "sign-in-proctors", "--names", "林𠮷祥", "王芳")
    shown = proctor(
        "do", "--connect", served, "--package", PKG, "--by", "林𠮷祥,王芳", "reveal-id-number", "--ticket", c.ticket
    )
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["id_number"] == c.id_number
    page = json.loads(proctor("do", "--connect", served, "--package", PKG, "history").stdout)["events"]
    [e] = [e for e in page if e["kind"] == "IdNumberRevealed"]
    assert e["by"] == ["林𠮷祥", "王芳"] and c.id_number not in json.dumps(page, ensure_ascii=False)


def test_a_refusal_on_the_command_line_names_its_rule(served):
    one = proctor("do", "--connect", served, "--package", PKG, "sign-in-proctors", "--names", "王芳")
    assert one.returncode == 1 and "[R02]" in one.stderr and "两名监考员" in one.stderr
    unsigned = proctor("do", "--connect", served, "--package", PKG, "acknowledge-alert", "--alert", "1")
    assert unsigned.returncode == 1 and "签到" in unsigned.stderr
    bad = proctor("do", "--connect", served, "--package", PKG, "history", "--limit", "0")
    assert bad.returncode == 1 and "history" in bad.stderr and "Traceback" not in bad.stderr


def test_a_database_that_is_not_a_room_database_is_refused_in_words(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    for args in (
        ("serve", "--package", PKG, "--db", str(other), "--listen", "127.0.0.1:0"),
        ("audit", "--db", str(other)),
    ):
        run = proctor(*args)
        assert run.returncode == 2 and "not a room database" in run.stderr and "Traceback" not in run.stderr


def test_room_records_from_the_command_line_say_yes_or_no_and_refuse_in_words(served):
    from proctor.package import load_package

    c = load_package(PKG).candidates[0]
    proctor("do", "--connect", served, "--package", PKG, "sign-in-proctors", "--names", "林𠮷祥", "王芳")
    door = ("do", "--connect", served, "--package", PKG, "--by", "林𠮷祥,王芳")
    maybe = proctor(*door, "check-identity", "--ticket", c.ticket, "--matches", "maybe")
    assert maybe.returncode == 2 and "yes or no" in maybe.stderr
    # Nobody is at a machine yet: the candidate cannot be checked, and the refusal says so.
    early = proctor(*door, "check-identity", "--ticket", c.ticket, "--matches", "no", "--note", "照片不符")
    assert early.returncode == 1 and "未登录" in early.stderr and "Traceback" not in early.stderr
    away = proctor(*door, "leave-room", "--ticket", c.ticket, "--reason", "toilet", "--escort", "赵流动")
    assert away.returncode == 1 and "未登录" in away.stderr


def test_a_backup_opens_with_its_rooms_package_and_not_with_another(tmp_path):
    from proctor.package import load_package
    from proctor.store import EventLog
    from proctor.store.backup import write_backup

    package = load_package(PKG)
    EventLog(tmp_path / "room.db").close()
    written = write_backup(
        tmp_path / "room.db", tmp_path / "none", tmp_path, package.room_key, room=package.room, sitting=1, at=1.0
    )
    opened = proctor("backup-open", "--package", PKG, "--file", str(written.path), "--out", str(tmp_path / "b.zip"))
    assert opened.returncode == 0, opened.stderr
    assert json.loads(opened.stdout)["sitting"] == 1 and (tmp_path / "b.zip").read_bytes()[:2] == b"PK"
    cut = tmp_path / "cut.proctor-backup"
    cut.write_bytes(written.path.read_bytes()[:-5])
    refused = proctor("backup-open", "--package", PKG, "--file", str(cut), "--out", str(tmp_path / "c.zip"))
    assert refused.returncode == 1 and "不完整或被改动" in refused.stderr and not (tmp_path / "c.zip").exists()


def test_a_room_form_from_the_command_line_names_the_forms_and_refuses_another():
    listed = proctor("do", "--connect", "wss://127.0.0.1:9", "--package", PKG, "room-form", "--help")
    assert "one of incident, report, transfers, violations" in listed.stdout
    wrong = proctor("do", "--connect", "wss://127.0.0.1:9", "--package", PKG, "room-form", "--form", "diary")
    assert wrong.returncode == 2 and "invalid choice: 'diary'" in wrong.stderr
