"""The room check list before the start (考前检查): each item is read from the room as it is
when the proctors tick it, recorded with what it showed, and, when it falls short of its rule,
only with a note of what was done about it. Pure: the room and the time come in.

- R04 (000 附件3 1–2, 考前 90 分钟): every exam machine on and at the login screen;
- R01 (001 考务规则 第七条): about 5% spare machines (at least 5% of the candidates, rounded up);
- R03 (001 考务规则 第十一条): the papers imported an hour before the start;
- R02 (001 监考规则 第二条): proctors signed in for the room's size;
- R55 (004 附件2 一 问题一): the room's data checked against its code before the exam.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .events import Event, ReadinessItem, ReadinessTicked
from .refusal import Refused
from .room import Phase, RoomState

RULE_OF = {
    ReadinessItem.MACHINES_AT_LOGIN: "R04",
    ReadinessItem.SPARES: "R01",
    ReadinessItem.PAPERS_IMPORTED: "R03",
    ReadinessItem.PROCTORS: "R02",
    ReadinessItem.PACKAGE_CHECKED: "R55",
}
PAPERS_BEFORE_START_MIN = 60  # R03


@dataclass(frozen=True)
class Reading:
    item: ReadinessItem
    met: bool
    facts: str  # in the proctors' words (Chinese): what the report prints

    def row(self) -> dict[str, object]:
        return {"item": self.item.value, "rule": RULE_OF[self.item], "met": self.met, "facts": self.facts}


def spares_needed(room: RoomState) -> int:
    candidates = max((len(s.candidates) for s in room.sittings), default=0)
    return math.ceil(candidates * room.policy.spare_machines_percent / 100)


def read(room: RoomState, item: ReadinessItem, now: float) -> Reading:
    """What the room shows for `item` now."""
    machines = list(room.package.machines)
    if item is ReadinessItem.MACHINES_AT_LOGIN:
        online = sum(1 for m in machines if room.machines[m.id].online)
        return Reading(item, online == len(machines), f"考试机在线 {online}/{len(machines)} 台")
    if item is ReadinessItem.SPARES:
        spares = [m for m in machines if m.spare]
        online = sum(1 for m in spares if room.machines[m.id].online)
        need = spares_needed(room)
        return Reading(item, len(spares) >= need, f"备用机 {len(spares)} 台（在线 {online} 台），应不少于 {need} 台")
    if item is ReadinessItem.PAPERS_IMPORTED:
        s = room.sitting or room.shown_sitting
        left = (s.start - now) / 60
        met = left >= PAPERS_BEFORE_START_MIN
        return Reading(item, met, f"考务数据包已载入，距第 {s.number} 场开考 {max(0, math.floor(left))} 分钟")
    if item is ReadinessItem.PROCTORS:
        need = room.proctors_required()
        return Reading(item, len(room.proctors) >= need, f"已签到监考员 {len(room.proctors)} 名，应不少于 {need} 名")
    return Reading(item, True, f"考场数据校验码 {room.package.short_code}")


def readings(room: RoomState, now: float) -> list[dict[str, object]]:
    """Every item as the room shows it now, with its tick if it has one."""
    out = []
    for item in ReadinessItem:
        row = read(room, item, now).row()
        row["ticked"] = room.readiness.get(item.value)
        out.append(row)
    return out


def decide_tick(
    room: RoomState, item: ReadinessItem, note: str, by: tuple[str, ...], now: float, *, code: str = ""
) -> list[Event]:
    """`code`: for R55, the code the proctors read from the arrangement, compared with the package's."""
    item = ReadinessItem(item)
    s = room.sitting
    if s is None or s.phase is not Phase.SCHEDULED:
        raise Refused(
            "already_started",
            "the check list is for before the start",
            "考前检查须在开考前完成；开考后请在考场情况中记录",
        )
    reading = read(room, item, now)
    rule = RULE_OF[item]
    if item is ReadinessItem.PACKAGE_CHECKED:
        given = code.strip().upper().replace(" ", "")
        if given != room.package.short_code.replace(" ", "").upper():
            raise Refused(
                "code_differs",
                "the code read from the arrangement is not this package's: this may be another room's data",
                "输入的校验码与本考场考务数据不符，可能载入了其他考场的数据，请核对后重新输入或联系技术人员",
                rule=rule,
            )
    if not reading.met and not note.strip():
        raise Refused(
            "not_met",
            f"{item.value} falls short of {rule}: say what was done",
            f"{reading.facts}，未达到要求（{rule}）：请在备注中写明处理情况",
            rule=rule,
            facts=reading.facts,
        )
    return [ReadinessTicked(at=now, item=item, met=reading.met, facts=reading.facts, note=note.strip(), by=by)]
