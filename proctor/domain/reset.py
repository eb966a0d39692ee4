"""Reset (重置): pure decisions (R24, R54; R61 is extra time's).

R24 (004 附件2 二(二); 003 五; 001 应急预案 第九条(三)): when an exam machine fails, the network
drops it, or its keyboard or mouse fails, the proctors reset the candidate at the console and
send them to log in again "on the machine after the swap" (更换后的考试机), where they go on.
The seeds keep the answers either way (003 五: 考试结果将自动保存), and none lets a candidate
start over with fresh answers, so both kinds keep the last acknowledged answers and the end:

- `resume` (续考): on a spare (备用机) that is free: online, not used by another candidate, not
  promised to another reset (001 第九条(三): 该考场或该考点的备用机);
- `restart`: on their own machine, restarted or with the keyboard or mouse swapped (003 五
  重新启动考试机; 004 更换设备).

The machine left behind is fenced: it can no longer save or submit for the candidate, its token
no longer resumes them, and each try is refused (已重置) and raised once while open.

R54 (004 附件2 一(五)): in a cloud room (云机房) a failure is reset "at once" so that no time is
lost: the service resets a candidate whose machine drops while answering, with no proctor, and
they log in again on any free machine.

Time lost is made up by extra time (R61, proctor.domain.extra_time), never automatically.
"""

from __future__ import annotations

from collections.abc import Sequence

from .events import (
    AlertKind,
    CandidateReset,
    Event,
    MachineOffline,
    Proctors,
    ResetKind,
    ResetReason,
)
from .refusal import Refused
from .room import (
    STATE_ZH,
    CandidateRun,
    Phase,
    RoomState,
    SittingRun,
    State,
    alert_once,
    candidate_in_sitting,
    decide_login,
    decide_machine_offline,
)

# A candidate with a session to move: logged in (before the start), answering, or reset and not
# back yet (sent elsewhere again when the promised spare fails too).
APPLIES_TO = frozenset({State.LOGGED_IN, State.ANSWERING, State.RESET})
_OPEN = (State.LOGGED_IN, State.ANSWERING)


# -- which spares are free -----------------------------------------------------------------------


def promised_to(room: RoomState, s: SittingRun, machine: str) -> CandidateRun | None:
    """The reset candidate waiting to log in on `machine`, if any."""
    for (number, ticket), run in room.resets.items():
        if number == s.number and run.to == machine:
            c = s.candidates[ticket]
            if c.state is State.RESET:
                return c
    return None


def _spare_refusal(room: RoomState, s: SittingRun, machine: str, ticket: str | None) -> Refused | None:
    """Why `machine` cannot take the candidate `ticket` (None: anyone) for a resume (R24)."""
    m = room.machines.get(machine)
    if m is None:
        return Refused(
            "unknown_machine",
            f"there is no exam machine {machine[:32]} in this room",
            f"本考场没有考试机 {machine[:32]}",
            rule="R24",
            allow_en="choose one of this room's free spare machines",
            allow_zh="请选择本考场空闲的备用机",
        )
    if not any(p.id == machine and p.spare for p in room.package.machines):
        return Refused(
            "not_spare",
            f"{machine} is not a spare machine",
            f"{machine} 不是备用机，不能用于续考",
            rule="R24",
            allow_en="resume on a spare machine (备用机), or restart on the candidate's own machine",
            allow_zh="请选择备用机续考；或选择“原机重启”在原考试机上继续",
        )
    # Whoever was last on it — answering, submitted there, or reset away from it and not yet
    # back elsewhere — holds it: a spare is free only for a candidate nobody has used it for.
    holder = room.last_at(s, machine)
    if holder is not None and holder.ticket != ticket:
        return Refused(
            "machine_in_use",
            f"spare {machine} is used by candidate {holder.ticket} ({holder.state.value})",
            f"备用机 {machine} 已由考生 {holder.ticket} 使用（{STATE_ZH[holder.state]}）",
            rule="R24",
            allow_en="choose a free spare machine",
            allow_zh="请选择空闲的备用机",
        )
    promised = promised_to(room, s, machine)
    if promised is not None and promised.ticket != ticket:
        return Refused(
            "spare_promised",
            f"spare {machine} is kept for candidate {promised.ticket}, reset onto it",
            f"备用机 {machine} 已留给已重置的考生 {promised.ticket}",
            rule="R24",
            allow_en="choose another free spare machine",
            allow_zh="请选择其他空闲的备用机",
        )
    if not m.online:
        return Refused(
            "machine_offline",
            f"spare {machine} is not connected to the room",
            f"备用机 {machine} 未连接考场服务器（离线）",
            rule="R24",
            allow_en="switch the spare on at its login screen, or choose another free spare",
            allow_zh="请先开启该备用机并停在登录界面，或选择其他空闲的备用机",
        )
    return None


def is_free_spare(room: RoomState, machine: str) -> bool:
    """A spare a reset may send a candidate to now (published on the machine rows)."""
    s = room.sitting
    return s is not None and _spare_refusal(room, s, machine, None) is None


def free_spares(room: RoomState) -> list[str]:
    """The free spares in the room plan's order."""
    return [m.id for m in room.package.machines if m.spare and is_free_spare(room, m.id)]


# -- the reset -----------------------------------------------------------------------------------


def _candidate(room: RoomState, ticket: str, now: float) -> tuple[SittingRun, CandidateRun]:
    s, c = candidate_in_sitting(room, ticket)
    if c.state not in APPLIES_TO or c.machine is None:
        raise Refused(
            "not_answering",
            f"candidate {ticket} is {c.state.value}: only a candidate logged in or answering can be reset",
            f"考生 {ticket} 当前{STATE_ZH[c.state]}，不能重置",
            rule="R24",
            allow_en="reset is for a candidate logged in or answering whose machine failed",
            allow_zh="重置仅适用于已登录或正在作答、考试机出现故障的考生"
            + ("；单机考试的考生按单机考试处理" if c.state is State.STANDALONE else ""),
            state=c.state.value,
        )
    if s.phase is not Phase.SCHEDULED and now >= s.end_of(c):
        raise Refused(
            "time_over",
            f"candidate {ticket}'s time is over; they are submitted at their end",
            f"考生 {ticket} 的作答时间已到，系统自动交卷，不能再重置",
            rule="R11",
            allow_en="a reset is for a candidate with time left",
            allow_zh="重置仅适用于作答时间未到的考生",
        )
    return s, c


def decide_reset_candidate(
    room: RoomState,
    ticket: str,
    kind: ResetKind,
    machine: str | None,
    reason: ResetReason,
    by: Proctors,
    now: float,
    *,
    note: str = "",
) -> list[Event]:
    """R24 (004 附件2 二(二)): the proctors `by` reset the candidate `ticket` to go on on `machine`:
    a free spare (resume), or their own machine (restart)."""
    s, c = _candidate(room, ticket, now)
    if reason is ResetReason.OTHER and not note.strip():
        raise Refused(
            "reason_unnamed",
            "name the fault in the note",
            "请在备注中写明故障情况",
            allow_en="write what failed in the note, or choose the reason that fits",
            allow_zh="在备注中写明故障情况，或选择对应的原因",
        )
    if kind is ResetKind.RESTART:
        if machine is not None and machine != c.machine:
            raise Refused(
                "restart_elsewhere",
                f"a restart goes on on the candidate's own machine {c.machine}, not {machine[:32]}",
                f"原机重启只能在考生原考试机 {c.machine} 上继续；换到 {machine[:32]} 请选择“备用机续考”",
                rule="R24",
                allow_en="choose resume on a spare to move the candidate",
                allow_zh="换机请选择“备用机续考”",
            )
        to = c.machine
        occupant = room.occupant(s, to)
        if occupant is not None and occupant.ticket != ticket:
            raise Refused(
                "machine_in_use",
                f"machine {to} is in use by candidate {occupant.ticket}",
                f"考试机 {to} 已有考生 {occupant.ticket} 登录使用",
                rule="R24",
                allow_en="resume on a free spare machine",
                allow_zh="请选择空闲的备用机续考",
            )
    else:
        if machine is None:
            raise Refused(
                "no_machine",
                "name the free spare machine the candidate goes on on",
                "请选择考生续考的空闲备用机",
                rule="R24",
                allow_en="choose one of the free spare machines, or restart on the candidate's own machine",
                allow_zh="请从空闲备用机中选择一台；或选择“原机重启”",
            )
        if machine == c.machine and c.state is not State.RESET:
            raise Refused(
                "same_machine",
                f"{machine} is the candidate's own machine",
                f"{machine} 是考生原考试机",
                rule="R24",
                allow_en="to go on on the same machine, choose restart",
                allow_zh="在原考试机上继续请选择“原机重启”",
            )
        run = room.resets.get((s.number, ticket))
        if run is not None and machine in run.away:
            raise Refused(
                "reset_away",
                f"the candidate was reset away from {machine}",
                f"考生已从 {machine} 重置离开，不能再回到该机续考",
                rule="R24",
                allow_en="choose another free spare machine, or restart if the machine works again",
                allow_zh="请选择其他空闲的备用机；该机修复后可选择“原机重启”",
            )
        refusal = _spare_refusal(room, s, machine, ticket)
        if refusal is not None:
            raise refusal
        to = machine
    return [
        CandidateReset(
            at=now,
            sitting=s.number,
            ticket=ticket,
            reset_kind=kind,
            machine=c.machine,
            to=to,
            reason=reason,
            note=note.strip(),
            by=by,
        )
    ]


# -- the fence -----------------------------------------------------------------------------------


def _away(room: RoomState, s: SittingRun, c: CandidateRun, machine: str) -> bool:
    run = room.resets.get((s.number, c.ticket))
    return run is not None and machine in run.away and not (c.state in _OPEN and c.machine == machine)


def refuse_if_reset_away(room: RoomState, machine: str, ticket: str, now: float) -> None:
    """R24: a machine the candidate was reset away from saves, submits or resumes for them: each
    try is refused (已重置) and raised once while the alert is open."""
    s = room.sitting
    c = s.candidates.get(ticket) if s else None
    if s is None or c is None or not _away(room, s, c, machine):
        return
    run = room.resets[(s.number, ticket)]
    where = c.machine if c.state in _OPEN else run.to  # back on another machine, or where they were sent
    go = f"请到考试机 {where} 登录继续作答" if where and where != machine else "请重新登录继续作答"
    raise Refused(
        "reset",
        f"candidate {ticket} was reset: this machine no longer acts for them",
        f"该考生已重置，本机不能再为其保存或交卷；{go}",
        rule=run.rule,
        record=alert_once(room, AlertKind.RESET_MACHINE, now, ticket=ticket, machine=machine, detail=where or ""),
        to=where,
    )


def decide_resume_refused(room: RoomState, machine: str, ticket: str, now: float) -> list[Event]:
    """A machine reconnecting with the session of a candidate reset away from it: raised."""
    try:
        refuse_if_reset_away(room, machine, ticket, now)
    except Refused as r:
        return r.record
    return []


def decide_login_where_sent(
    room: RoomState, machine: str, ticket: str, id_number: str, now: float, *, session: str | None = None
) -> list[Event]:
    """A login (R06, `decide_login`), and R24: a reset candidate logs in on the machine they were
    sent to, nowhere else (a cloud room's, R54, on any free one); a spare kept for a reset
    candidate takes nobody else."""
    events = decide_login(room, machine, ticket, id_number, now, session=session)  # credentials first
    s = room.sitting
    assert s is not None
    c = s.candidates[ticket]
    run = room.resets.get((s.number, ticket))
    if c.state is State.RESET and run is not None and run.to is not None and machine != run.to:
        record = (
            alert_once(room, AlertKind.RESET_MACHINE, now, ticket=ticket, machine=machine, detail=run.to)
            if machine in run.away
            else []
        )
        raise Refused(
            "reset_elsewhere",
            f"candidate {ticket} was reset onto machine {run.to}: log in there",
            f"该考生已重置到考试机 {run.to}，请到 {run.to} 上登录继续作答",
            rule=run.rule,
            allow_en=f"log in on {run.to}, or the proctors reset the candidate again onto another spare",
            allow_zh=f"请在 {run.to} 上登录；如需换到其他考试机，请监考人员重新重置",
            record=record,
            to=run.to,
        )
    promised = promised_to(room, s, machine)
    if promised is not None and promised.ticket != ticket:
        raise Refused(
            "spare_promised",
            f"machine {machine} is kept for a reset candidate",
            f"考试机 {machine} 已留给已重置的考生续考",
            rule="R24",
            allow_en="log in at your own seat, or ask a proctor",
            allow_zh="请到本人座位登录，或联系监考人员",
        )
    return events


# -- R54: a cloud room resets at once --------------------------------------------------------------


def decide_cloud_reset(room: RoomState, dropped: Sequence[Event], now: float) -> list[Event]:
    """R54 (004 附件2 一(五)): in a cloud room, each candidate answering (time left) whose machine
    dropped in `dropped` is reset at once, with no proctor, to log in again on any free machine."""
    if not room.package.cloud or room.sitting is None:
        return []
    s = room.sitting
    out: list[Event] = []
    for e in dropped:
        if not isinstance(e, MachineOffline) or e.ticket is None:
            continue
        c = s.candidates.get(e.ticket)
        if c is None or c.state is not State.ANSWERING or c.machine != e.machine or now >= s.end_of(c):
            continue
        out.append(
            CandidateReset(
                at=now,
                sitting=s.number,
                ticket=c.ticket,
                reset_kind=ResetKind.RESUME,
                machine=e.machine,
                to=None,
                reason=ResetReason.CLOUD_ROOM,
                by=(),
                rule="R54",
            )
        )
    return out


def decide_machine_dropped(room: RoomState, machine: str, now: float, reason: str) -> list[Event]:
    """A machine went offline (`decide_machine_offline`), and in a cloud room its candidate is
    reset at once (R54)."""
    events = decide_machine_offline(room, machine, now, reason)
    return events + decide_cloud_reset(room, events, now)
