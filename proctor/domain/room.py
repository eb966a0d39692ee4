"""Room state and the rules that decide what may change it.

Every change is an `Event`. `decide_*` functions check a command against the state and the
policy and return the events to append, or raise `Refused`; `RoomState.apply` is the only
code that changes state, both live and when the log is replayed after a restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .idcard import mask_id
from .package import ExamPackage
from .policy import Policy


class State(str, Enum):
    EXPECTED = "expected"  # 未登录
    LOGGED_IN = "logged_in"  # 已登录 (before the start)
    ANSWERING = "answering"  # 作答中
    SUBMITTED = "submitted"  # 已交卷
    ABSENT = "absent"  # 缺考
    RESET = "reset"  # 已重置
    STANDALONE = "standalone"  # 单机考试
    TRANSFERRED_OUT = "transferred_out"  # 已调出
    GAVE_UP = "gave_up"  # 放弃考试


class Flag(str, Enum):
    OFFLINE = "offline"
    AWAY = "away"
    VIOLATION = "violation"
    ID_CHECKED = "id_checked"
    EXTRA_TIME = "extra_time"
    WRONG_SEAT = "wrong_seat"
    DUPLICATE_LOGIN = "duplicate_login"


class Phase(str, Enum):
    SCHEDULED = "scheduled"
    STARTED = "started"
    SIGN_IN_CLOSED = "sign_in_closed"
    ENDED = "ended"


@dataclass(frozen=True)
class Event:
    kind: str
    at: float
    data: dict[str, Any]


class Refused(Exception):
    """A command the rules forbid: `code` for machines, English and Chinese for people."""

    def __init__(self, code: str, en: str, zh: str, **data: Any) -> None:
        super().__init__(f"{code}: {en}")
        self.code, self.en, self.zh, self.data = code, en, zh, data


@dataclass
class CandidateRun:
    ticket: str
    state: State = State.EXPECTED
    machine: str | None = None
    flags: set[Flag] = field(default_factory=set)
    last_seq: int = 0
    answered: int | None = None
    extra_min: int = 0
    logged_in_at: float | None = None
    submitted_at: float | None = None
    submitted_by: str | None = None


@dataclass
class SittingRun:
    number: int
    subject: str
    start: float
    duration_min: int
    phase: Phase = Phase.SCHEDULED
    started_at: float | None = None
    candidates: dict[str, CandidateRun] = field(default_factory=dict)
    by_machine: dict[str, str] = field(default_factory=dict)  # machine -> last ticket logged in there

    @property
    def end(self) -> float:
        return self.start + self.duration_min * 60

    def end_of(self, c: CandidateRun) -> float:
        return self.end + c.extra_min * 60


@dataclass
class MachineRun:
    id: str
    online: bool = False


_OPEN = (State.LOGGED_IN, State.ANSWERING)


class RoomState:
    def __init__(self, package: ExamPackage, policy: Policy) -> None:
        self.package = package
        self.policy = policy
        self.sittings = [
            SittingRun(
                s.number,
                s.subject,
                s.start,
                s.duration_min,
                candidates={t: CandidateRun(t) for t in s.tickets},
            )
            for s in package.sittings
        ]
        self.machines = {m.id: MachineRun(m.id) for m in package.machines}
        self.last_event_at: float | None = None

    # -- reading ---------------------------------------------------------------------------

    @property
    def sitting(self) -> SittingRun | None:
        """The current sitting: the first that has not ended."""
        return next((s for s in self.sittings if s.phase is not Phase.ENDED), None)

    @property
    def shown_sitting(self) -> SittingRun:
        """What consoles show: the current sitting, or the last one once all have ended."""
        return self.sitting or self.sittings[-1]

    def sitting_no(self, number: int) -> SittingRun:
        return self.sittings[number - 1]

    def occupant(self, sitting: SittingRun, machine: str) -> CandidateRun | None:
        c = self.last_at(sitting, machine)
        return c if c is not None and c.state in _OPEN else None

    def last_at(self, sitting: SittingRun, machine: str) -> CandidateRun | None:
        ticket = sitting.by_machine.get(machine)
        c = sitting.candidates[ticket] if ticket else None
        return c if c is not None and c.machine == machine else None

    def sign_in_closes(self, s: SittingRun) -> float:
        return s.start + self.policy.sign_in_closes_after_start_min * 60

    def login_opens(self, s: SittingRun) -> float:
        return s.start - self.policy.login_opens_before_start_min * 60

    def earliest_submit(self, s: SittingRun, c: CandidateRun) -> float:
        return self.policy.earliest_submit(s.start, s.end_of(c))

    # -- changing ----------------------------------------------------------------------------

    def apply(self, e: Event) -> None:
        d = e.data
        self.last_event_at = e.at
        kind = e.kind
        if kind == "ServiceStarted":
            for m in self.machines.values():
                m.online = False
            for s in self.sittings:
                for c in s.candidates.values():
                    if c.state in _OPEN:
                        c.flags.add(Flag.OFFLINE)
        elif kind == "ScheduleShifted":
            for s in self.sittings:
                s.start += d["by_s"]
        elif kind == "MachineOnline":
            self.machines[d["machine"]].online = True
            self._flag_machine(d["machine"], online=True)
        elif kind == "MachineOffline":
            self.machines[d["machine"]].online = False
            self._flag_machine(d["machine"], online=False)
        elif kind == "CandidateLoggedIn":
            s = self.sitting_no(d["sitting"])
            c = s.candidates[d["ticket"]]
            c.machine = d["machine"]
            s.by_machine[c.machine] = c.ticket
            c.logged_in_at = c.logged_in_at or e.at
            c.state = State.ANSWERING if s.phase is not Phase.SCHEDULED else State.LOGGED_IN
            c.flags.discard(Flag.OFFLINE)
            c.flags.discard(Flag.DUPLICATE_LOGIN)
            if d.get("wrong_seat"):
                c.flags.add(Flag.WRONG_SEAT)
            else:
                c.flags.discard(Flag.WRONG_SEAT)
        elif kind == "DuplicateLoginAttempt":
            self.sitting_no(d["sitting"]).candidates[d["ticket"]].flags.add(Flag.DUPLICATE_LOGIN)
        elif kind == "SittingStarted":
            s = self.sitting_no(d["sitting"])
            s.phase, s.started_at = Phase.STARTED, e.at
            for c in s.candidates.values():
                if c.state is State.LOGGED_IN:
                    c.state = State.ANSWERING
        elif kind == "SignInClosed":
            s = self.sitting_no(d["sitting"])
            s.phase = Phase.SIGN_IN_CLOSED
            for c in s.candidates.values():
                if c.state is State.EXPECTED:
                    c.state = State.ABSENT
        elif kind == "AnswerSaved":
            c = self.sitting_no(d["sitting"]).candidates[d["ticket"]]
            c.last_seq = d["seq"]
            if d.get("answered") is not None:
                c.answered = d["answered"]
        elif kind == "CandidateSubmitted":
            c = self.sitting_no(d["sitting"]).candidates[d["ticket"]]
            c.state, c.submitted_at, c.submitted_by = State.SUBMITTED, e.at, d["by"]
        elif kind == "SittingEnded":
            self.sitting_no(d["sitting"]).phase = Phase.ENDED
        else:
            raise ValueError(f"unknown event kind {kind!r}")

    def _flag_machine(self, machine: str, online: bool) -> None:
        s = self.sitting
        if s is None:
            return
        occupant = self.occupant(s, machine)
        if occupant is not None:
            if online:
                occupant.flags.discard(Flag.OFFLINE)
            else:
                occupant.flags.add(Flag.OFFLINE)

    # -- views ------------------------------------------------------------------------------

    def candidate_row(self, s: SittingRun, c: CandidateRun) -> dict[str, Any]:
        p = self.package.candidate(c.ticket)
        assert p is not None
        return {
            "ticket": c.ticket,
            "name": p.name,
            "gender": p.gender,
            "id_masked": mask_id(p.id_number),
            "seat": p.seat,
            "machine": c.machine,
            "state": c.state.value,
            "flags": sorted(f.value for f in c.flags),
            "last_seq": c.last_seq,
            "answered": c.answered,
            "extra_min": c.extra_min,
            "end": s.end_of(c),
            "logged_in_at": c.logged_in_at,
            "submitted_at": c.submitted_at,
        }

    def machine_row(self, machine: str) -> dict[str, Any]:
        # A machine keeps showing who submitted on it, so the map stays readable.
        occupant = self.last_at(self.shown_sitting, machine)
        return {
            "id": machine,
            "online": self.machines[machine].online,
            "ticket": occupant.ticket if occupant else None,
        }

    def sitting_header(self, s: SittingRun) -> dict[str, Any]:
        return {
            "number": s.number,
            "subject": s.subject,
            "start": s.start,
            "end": s.end,
            "phase": s.phase.value,
            "sign_in_closes": self.sign_in_closes(s),
        }

    def snapshot(self) -> dict[str, Any]:
        pkg = self.package
        s = self.shown_sitting
        return {
            "exam": pkg.exam,
            "level": pkg.level,
            "batch": pkg.batch,
            "site": pkg.site,
            "room": pkg.room,
            "policy": {"id": self.policy.id, "name": self.policy.name},
            "fingerprint": pkg.fingerprint,
            "short_code": pkg.short_code,
            "overbooked": pkg.overbooked,
            "sittings": [self.sitting_header(x) for x in self.sittings],
            "sitting": s.number,
            "machines": [
                {"id": m.id, "row": m.row, "col": m.col, "spare": m.spare, **self.machine_row(m.id)}
                for m in pkg.machines
            ],
            "candidates": [self.candidate_row(s, c) for c in s.candidates.values()],
        }


# -- decisions -------------------------------------------------------------------------------


def _current(room: RoomState) -> SittingRun:
    s = room.sitting
    if s is None:
        raise Refused("exam_over", "every sitting has ended", "本批次考试已全部结束")
    return s


def decide_machine_online(room: RoomState, machine: str, now: float) -> list[Event]:
    if machine not in room.machines:
        raise Refused(
            "unknown_machine",
            f"machine {machine} is not in this room's package",
            f"考试机 {machine} 不属于本考场，不能接入",
        )
    if room.machines[machine].online:
        return []
    return [Event("MachineOnline", now, {"machine": machine})]


def decide_machine_offline(room: RoomState, machine: str, now: float, reason: str) -> list[Event]:
    m = room.machines.get(machine)
    if m is None or not m.online:
        return []
    return [Event("MachineOffline", now, {"machine": machine, "reason": reason})]


def decide_login(
    room: RoomState, machine: str, ticket: str, id_number: str, now: float
) -> list[Event]:
    """R06 login with ticket + ID number; R05 opens at T-30; R07 closes at T+30."""
    s = _current(room)
    c = s.candidates.get(ticket)
    person = room.package.candidate(ticket)
    if c is None or person is None or person.id_number.upper() != id_number.strip().upper():
        raise Refused(
            "bad_credentials",
            "ticket number and ID number do not match a candidate of this sitting",
            "准考证号与证件号不匹配本场次的考生，请核对后重新输入",
        )
    if now < room.login_opens(s):
        raise Refused(
            "login_not_open",
            "login opens 30 minutes before the start",
            "登录尚未开放（开考前规定时间起方可登录）",
            opens=room.login_opens(s),
        )
    if c.state is State.SUBMITTED:
        raise Refused("already_submitted", "this candidate has submitted", "该考生已交卷，不能再次登录")
    if c.state is State.ABSENT or (c.state is State.EXPECTED and now >= room.sign_in_closes(s)):
        raise Refused(
            "sign_in_closed",
            "sign-in has closed; the candidate is absent",
            "开考后规定时间已过，停止登录，按缺考处理",
        )
    if c.state not in (State.EXPECTED, State.RESET, *_OPEN):
        raise Refused(
            "not_allowed", f"login not allowed in state {c.state.value}", "该考生当前状态不允许登录"
        )
    occupant = room.occupant(s, machine)
    if occupant is not None and occupant.ticket != ticket:
        raise Refused(
            "machine_occupied",
            f"machine {machine} is in use by another candidate",
            f"考试机 {machine} 已有其他考生登录",
        )
    if c.state in _OPEN and c.machine != machine:
        if room.machines[c.machine].online:
            return [
                Event("DuplicateLoginAttempt", now, {"sitting": s.number, "ticket": ticket, "machine": machine}),
            ]
        raise Refused(
            "needs_reset",
            f"candidate is bound to machine {c.machine}; a proctor must reset first",
            f"该考生已在 {c.machine} 登录，需监考人员重置后才能在本机登录",
        )
    seat = person.seat
    return [
        Event(
            "CandidateLoggedIn",
            now,
            {
                "sitting": s.number,
                "ticket": ticket,
                "machine": machine,
                "wrong_seat": bool(seat) and seat != machine,
                # After a reset the candidate leaves a machine behind; consoles redraw it.
                **({"previous": c.machine} if c.machine and c.machine != machine else {}),
            },
        )
    ]


def _bound(room: RoomState, machine: str, ticket: str) -> tuple[SittingRun, CandidateRun]:
    s = _current(room)
    c = s.candidates.get(ticket)
    if c is None or c.machine != machine or c.state not in _OPEN:
        raise Refused(
            "not_logged_in",
            f"candidate {ticket} is not logged in on machine {machine}",
            "该考生未在本机登录",
        )
    return s, c


def decide_save(
    room: RoomState, machine: str, ticket: str, seq: int, answers: Any, answered: int | None, now: float
) -> list[Event]:
    """An answer save; a seq at or below the last one is a resend and changes nothing."""
    s, c = _bound(room, machine, ticket)
    if seq <= c.last_seq:
        return []
    if c.state is not State.ANSWERING:
        raise Refused("not_started", "the sitting has not started", "考试尚未开始")
    if now >= s.end_of(c):
        raise Refused("time_over", "the candidate's time is over", "作答时间已到，已自动交卷")
    return [
        Event(
            "AnswerSaved",
            now,
            {"sitting": s.number, "ticket": ticket, "seq": seq, "answered": answered, "answers": answers},
        )
    ]


def decide_submit(room: RoomState, machine: str, ticket: str, now: float) -> list[Event]:
    """R08-R10: not before the policy's earliest submit time."""
    s, c = _bound(room, machine, ticket)
    if c.state is not State.ANSWERING:
        raise Refused("not_started", "the sitting has not started", "考试尚未开始")
    opens = room.earliest_submit(s, c)
    if now < opens:
        raise Refused(
            "too_early",
            "submission is not open yet",
            "未到允许交卷时间",
            opens=opens,
        )
    return [Event("CandidateSubmitted", now, {"sitting": s.number, "ticket": ticket, "by": "candidate"})]


def due_events(room: RoomState, now: float) -> list[Event]:
    """What the schedule makes happen by `now`: start, sign-in close, auto-submit, end."""
    s = room.sitting
    if s is None:
        return []
    out: list[Event] = []
    if s.phase is Phase.SCHEDULED and now >= s.start:
        out.append(Event("SittingStarted", s.start, {"sitting": s.number}))
    if s.phase in (Phase.SCHEDULED, Phase.STARTED) and now >= room.sign_in_closes(s):
        out.append(Event("SignInClosed", room.sign_in_closes(s), {"sitting": s.number}))
    if s.phase is not Phase.SCHEDULED or out:
        # R11: everyone not submitted is submitted at their own end.
        for c in s.candidates.values():
            if c.state in _OPEN and now >= s.end_of(c):
                out.append(
                    Event("CandidateSubmitted", s.end_of(c), {"sitting": s.number, "ticket": c.ticket, "by": "auto"})
                )
        latest_end = max([s.end_of(c) for c in s.candidates.values()], default=s.end)
        if now >= max(latest_end, s.end) and now >= room.sign_in_closes(s):
            out.append(Event("SittingEnded", max(latest_end, s.end), {"sitting": s.number}))
    return out


def next_due(room: RoomState) -> float | None:
    """The next time `due_events` will have something to say."""
    s = room.sitting
    if s is None:
        return None
    if s.phase is Phase.SCHEDULED:
        return s.start
    times = [max(s.end_of(c) for c in s.candidates.values()) if s.candidates else s.end, s.end]
    if s.phase is Phase.STARTED:
        times.append(room.sign_in_closes(s))
    times += [s.end_of(c) for c in s.candidates.values() if c.state in _OPEN]
    return min(times)
