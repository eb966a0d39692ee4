"""Small exam packages, and room logs, built in code for tests that must not depend on files."""

from __future__ import annotations

import contextlib
import random
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

from proctor.clock import SimulatedClock
from proctor.domain.events import (
    AnswerSaved,
    CandidateLoggedIn,
    MachineOnline,
    ServiceStarted,
    SittingStarted,
)
from proctor.domain.idcard import make_id
from proctor.domain.package import Candidate, ExamPackage, Machine, Sitting
from proctor.domain.policy import Policy
from proctor.domain.room import answers_digest, canonical_answers
from proctor.service import RoomService
from proctor.store import EventLog

START = 1_800_000_000.0  # 2027-01-15 08:00 UTC: a round simulated start
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨𠮷", "赵䶮", "黄磊", "周敏", "吴强", "徐丽", "孙杰"]


def make_package(
    candidates: int = 10,
    machines: int = 12,
    *,
    sittings: tuple[tuple[str, float, int], ...] = (("初级会计实务", START, 120),),
    policy: str = "national-accounting",
    overbooked: bool = False,
) -> ExamPackage:
    people = []
    for i in range(candidates):
        ident = make_id("330302", date(1990, 1, 1 + i % 28), i % 1000)
        people.append(
            Candidate(
                ticket=f"2027330101{i + 1:03d}",
                name=NAMES[i % len(NAMES)],
                gender="男" if int(ident[16]) % 2 else "女",
                id_number=ident,
                seat=None if overbooked else f"A{i + 1:02d}",
                photo=None,
            )
        )
    ms = tuple(Machine(f"A{i + 1:02d}", i // 6 + 1, i % 6 + 1, spare=i >= candidates) for i in range(machines))
    tickets = tuple(p.ticket for p in people)
    return ExamPackage(
        exam="2027年度全国会计专业技术资格考试",
        level="初级",
        batch="2027-01-15 上午",
        policy=policy,
        site="测试考点",
        room="第01考场",
        room_key="k" * 32,
        timezone="+08:00",
        machines=ms,
        sittings=tuple(Sitting(i + 1, subj, st, dur, tickets) for i, (subj, st, dur) in enumerate(sittings)),
        candidates=tuple(people),
        fingerprint="ab" * 32,
        overbooked=overbooked,
    )


def national_policy() -> Policy:
    return Policy(id="national-accounting", name="全国会计专业技术资格考试")


def economics_policy() -> Policy:
    return Policy(
        id="economics-2021",
        name="经济专业技术资格考试",
        earliest_submit_after_start_min=None,
        earliest_submit_before_end_min=15,
    )


def room_service(package: ExamPackage, db, now: float, *, sync_apart: bool = False) -> RoomService:
    """A RoomService on a simulated clock at `now`, its log in the file `db` (not yet opened);
    `sync_apart`: the log syncs in a process of its own, as `proctor serve`'s does."""
    return RoomService(package, national_policy(), EventLog(db, sync_apart=sync_apart), SimulatedClock(now))


async def opened_service(package: ExamPackage, db, now: float, *, sync_apart: bool = False) -> RoomService:
    svc = room_service(package, db, now, sync_apart=sync_apart)
    await svc.open()
    return svc


def room_log(package: ExamPackage, db, now: float, saves: int = 2) -> None:
    """A room's log as its service leaves it, closed: started, every candidate's machine online
    and logged in, then `saves` rounds of saves (3 candidates, 2 saves: 14 events)."""
    sitting = package.sittings[0]
    with EventLog(db) as log:
        log.append([ServiceStarted(at=now, package=package.fingerprint, wall=now)])
        log.append([SittingStarted(at=now, sitting=sitting.number)])
        for c in package.candidates:
            log.append([MachineOnline(at=now, machine=c.seat)])
            log.append([CandidateLoggedIn(at=now, sitting=sitting.number, ticket=c.ticket, machine=c.seat)])
        for n in range(1, saves + 1):
            for c in package.candidates:
                blob = canonical_answers({"1": "ABCD"[n % 4], "n": n})
                saved = AnswerSaved(
                    at=now + n, sitting=sitting.number, ticket=c.ticket, seq=n, digest=answers_digest(blob), answered=1
                )
                log.append([saved], {answers_digest(blob): blob})


# Files a room's database can turn into, and the words they are refused in.
DAMAGED_FILES = {
    "empty": "is empty: the room's data is gone",
    "cut in half": "is cut short",
    "random bytes": "is not a room database",
    "another program's": r"is not a room database \(it holds invoices\)",
    "a text file": "is not a room database",
}


def damage_file(kind: str, db: Path) -> None:
    """Turn the room's database `db` (closed) into one of DAMAGED_FILES."""
    whole = db.read_bytes()
    if kind == "empty":
        db.write_bytes(b"")
    elif kind == "cut in half":
        db.write_bytes(whole[: len(whole) // 2])
    elif kind == "random bytes":
        db.write_bytes(random.Random(7).randbytes(len(whole)))
    elif kind == "another program's":
        db.unlink()
        with contextlib.closing(sqlite3.connect(db)) as conn, conn:
            conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    elif kind == "a text file":
        db.write_text("考场情况记录\n" * 2000, encoding="utf-8")
    else:
        raise ValueError(kind)


def proctor_report(package_dir: Path, db: Path, pdf: Path, *form: str) -> subprocess.CompletedProcess[str]:
    """`proctor report` as a technician runs it after the exam: its own process, no screen."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "proctor.cli",
            "report",
            "--package",
            str(package_dir),
            "--db",
            str(db),
            "--pdf",
            str(pdf),
            *form,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
