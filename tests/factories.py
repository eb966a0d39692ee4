"""Small exam packages built in code, for tests that must not depend on files."""

from __future__ import annotations

from datetime import date

from proctor.clock import SimulatedClock
from proctor.domain.idcard import make_id
from proctor.domain.package import Candidate, ExamPackage, Machine, Sitting
from proctor.domain.policy import Policy
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


def room_service(package: ExamPackage, db, now: float) -> RoomService:
    """A RoomService on a simulated clock at `now`, its log in the file `db` (not yet opened)."""
    return RoomService(package, national_policy(), EventLog(db), SimulatedClock(now))


async def opened_service(package: ExamPackage, db, now: float) -> RoomService:
    svc = room_service(package, db, now)
    await svc.open()
    return svc
