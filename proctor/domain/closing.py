"""结束考试: the end of a sitting's exam in the room, after its check list (R27, 004 附件2 一(二)
问题三 第一步: 在监考端发出“结束考试”指令前，第一时间回收单机考试及需手动回收的作答数据，仔细核对
缺考和违纪记录、回收作答数据人数等), then the backup (R15, 000 附件3 19: 考试结束后 30 分钟内 …
备份并上传考试数据). Two items the room shows by itself; three the proctors tick once they have
looked, after the sitting is over. Pure decisions."""

from __future__ import annotations

from dataclasses import dataclass

from .events import ClosingItem, ClosingTicked, Event, ExamEnded
from .refusal import Refused
from .room import CandidateRun, PackageStatus, Phase, RoomState, SittingRun, State
from .submissions import few_answers

TICKED = (ClosingItem.ABSENCES_REVIEWED, ClosingItem.VIOLATIONS_REVIEWED, ClosingItem.EXCEPTIONS_REVIEWED)
_DONE = (State.SUBMITTED, State.GAVE_UP)


@dataclass(frozen=True)
class Reading:
    item: ClosingItem
    met: bool
    facts: str  # in the proctors' words: what the report prints

    def row(self, ticked: dict[str, object] | None) -> dict[str, object]:
        return {"item": self.item.value, "met": self.met, "facts": self.facts, "ticked": ticked}


def closing_sitting(room: RoomState) -> SittingRun | None:
    """The sitting the room would end now: the first that is not closed, once it has started."""
    for s in room.sittings:
        if s.number not in room.closed:
            return s if s.phase is not Phase.SCHEDULED else None
    return None


def _sat(s: SittingRun) -> list[CandidateRun]:
    return [c for c in s.candidates.values() if c.logged_in_at is not None]


def read(room: RoomState, s: SittingRun, item: ClosingItem) -> Reading:
    if item is ClosingItem.SITTING_OVER:
        if s.phase is Phase.ENDED:
            return Reading(item, True, f"第 {s.number} 场考试时间已结束")
        open_ = [c for c in s.candidates.values() if c.state in (State.LOGGED_IN, State.ANSWERING, State.RESET)]
        away = [c for c in s.candidates.values() if c.state is State.STANDALONE]
        return Reading(item, False, f"第 {s.number} 场尚未结束：作答中 {len(open_)} 名，单机考试未回收 {len(away)} 名")
    if item is ClosingItem.TRANSFERS_RESOLVED:
        out = [t for t, x in room.transfers.items() if x.sitting == s.number]
        waiting = [t for t in out if room.transfers[t].received_by is None and not room.transfers[t].resolved]
        tails = "、".join(t[-3:] for t in sorted(waiting))
        return Reading(
            item,
            not waiting,
            f"调出 {len(out)} 名，待处理 {len(waiting)} 名" + (f"（准考证号末三位 {tails}，R36）" if waiting else ""),
        )
    if item is ClosingItem.ABSENCES_REVIEWED:
        absent = sorted(c.ticket for c in s.candidates.values() if c.state is State.ABSENT)
        tails = "、".join(t[-3:] for t in absent[:30]) + ("…" if len(absent) > 30 else "")
        return Reading(item, True, f"缺考 {len(absent)} 名" + (f"（准考证号末三位 {tails}）" if absent else ""))
    if item is ClosingItem.VIOLATIONS_REVIEWED:
        records = [v for v in room.violations.values() if v.ticket in s.candidates and v.superseded_by is None]
        return Reading(item, True, f"违纪记录 {len(records)} 条")
    if item is ClosingItem.EXCEPTIONS_REVIEWED:
        not_in = [c for c in s.candidates.values() if c.logged_in_at is not None and c.state not in _DONE]
        few = [c for c in s.candidates.values() if few_answers(c.state.value, c.answered)]
        offline = [m for m in room.machines.values() if not m.online and room.last_at(s, m.id) is not None]
        listed = "、".join(c.ticket[-3:] for c in few[:20]) + ("…" if len(few) > 20 else "")
        return Reading(
            item,
            True,
            f"未交卷 {len(not_in)} 名，零作答或作答很少的交卷 {len(few)} 名"
            + (f"（准考证号末三位 {listed}）" if few else "")
            + f"，离线考试机 {len(offline)} 台",
        )
    sat = _sat(s)
    answered = [c for c in sat if c.state in _DONE]
    # A standalone package two proctors recorded as unrecoverable (R26) is accounted for, not answered.
    lost = {
        p.ticket for p in room.standalone.values() if p.sitting == s.number and p.status is PackageStatus.WRITTEN_OFF
    }
    unrecoverable = [c for c in sat if c.state not in _DONE and c.ticket in lost]
    facts = f"回收作答数据 {len(answered)} 份，实考 {len(sat)} 名"
    if unrecoverable:
        facts += f"（单机考试作答无法回收 {len(unrecoverable)} 名，已登记）"
    return Reading(item, len(answered) + len(unrecoverable) == len(sat), facts)


def readings(room: RoomState) -> dict[str, object]:
    s = closing_sitting(room)
    if s is None:
        return {"sitting": None, "items": [], "ended": sorted(room.closed)}
    ticks = room.closing_ticks.get(s.number, {})
    return {
        "sitting": s.number,
        "items": [read(room, s, item).row(ticks.get(item.value)) for item in ClosingItem],
        "ended": sorted(room.closed),
    }


def _sitting(room: RoomState) -> SittingRun:
    s = closing_sitting(room)
    if s is None:
        if room.closed and len(room.closed) == len(room.sittings):
            raise Refused("all_ended", "every sitting's exam is ended", "本考场各场次均已结束考试")
        raise Refused("not_started", "the sitting has not started", "考试尚未开始，不能结束考试")
    return s


def decide_tick_closing(room: RoomState, item: ClosingItem, by: tuple[str, ...], now: float) -> list[Event]:
    """The proctors have looked: only once the sitting is over, so that they look at all of it."""
    s = _sitting(room)
    item = ClosingItem(item)
    if item not in TICKED:
        raise Refused("not_ticked", "the room shows this item by itself", "此项由系统核对，无需勾选", rule="R27")
    over = read(room, s, ClosingItem.SITTING_OVER)
    if not over.met:
        raise Refused(
            "not_over",
            "check the records once the sitting is over",
            f"{over.facts}；请在考试结束、作答数据全部回收后再核对",
            rule="R27",
        )
    return [ClosingTicked(at=now, sitting=s.number, item=item, facts=read(room, s, item).facts, by=by)]


def decide_end_exam(room: RoomState, by: tuple[str, ...], now: float) -> list[Event]:
    """R27: every item met; each one open is named in the refusal."""
    s = _sitting(room)
    ticks = room.closing_ticks.get(s.number, {})
    missing = []
    for item in ClosingItem:
        reading = read(room, s, item)
        if item in TICKED and item.value not in ticks:
            missing.append(f"未核对：{_ZH[item]}")
        elif item not in TICKED and not reading.met:
            missing.append(reading.facts)
    if missing:
        raise Refused(
            "checklist_open",
            f"{len(missing)} item(s) of the end-of-exam check list are open",
            "结束考试前须完成：" + "；".join(missing),
            rule="R27",
            open=len(missing),
        )
    facts = tuple(read(room, s, item).facts for item in ClosingItem)
    return [ExamEnded(at=now, sitting=s.number, facts=facts, by=by)]


_ZH = {
    ClosingItem.SITTING_OVER: "考试结束",
    ClosingItem.TRANSFERS_RESOLVED: "调出考生处理",
    ClosingItem.ABSENCES_REVIEWED: "缺考记录",
    ClosingItem.VIOLATIONS_REVIEWED: "违纪记录",
    ClosingItem.EXCEPTIONS_REVIEWED: "异常情况（未交卷、零作答、离线考试机）",
    ClosingItem.ANSWER_SETS_MATCH: "回收作答数据人数",
}
