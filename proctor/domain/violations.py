"""Violation records (违纪记录): pure decisions.

R30 (000 附件3 16; 001 监考规则 第十五条): the candidate's name, ticket and ID number (from the
package), the facts in detail, the evidence attached, confirmed by two or more of the room's
proctors. R31 (004 附件3 二–四): the act decides the category. A record is never edited: a
correction is a new record that names the one it amends, which stays in the log, superseded.
"""

from __future__ import annotations

from collections.abc import Sequence

from .events import Event, Evidence, ViolationAct, ViolationCategory, ViolationRecorded
from .refusal import Refused
from .room import RoomState, SittingRun, State

MAX_FACTS = 4000  # characters: a page of the report, kept exactly (rare characters included)
MAX_EVIDENCE = 20  # files per record
EVIDENCE_MAX_BYTES = 8 * 1024 * 1024  # a photo or a short clip of a screen; larger: bring it on paper
EVIDENCE_PART_BYTES = 96 * 1024  # raw bytes per part sent: base64 of it fits a console's message

# R31: 004 附件3 二 (score void), 三 (serious), 四 (especially serious). OTHER: the proctors choose.
CATEGORY_OF: dict[ViolationAct, ViolationCategory | None] = {
    ViolationAct.MARKED_ANSWERS: ViolationCategory.SCORE_VOID,
    ViolationAct.SWITCHED_OFF_MACHINE: ViolationCategory.SCORE_VOID,
    ViolationAct.MOVED_EQUIPMENT: ViolationCategory.SCORE_VOID,
    ViolationAct.SWAPPED_OR_DAMAGED_EQUIPMENT: ViolationCategory.SCORE_VOID,
    ViolationAct.OWN_DEVICE: ViolationCategory.SERIOUS,
    ViolationAct.CHEATING_TOOL: ViolationCategory.SERIOUS,
    ViolationAct.SYSTEM_INTRUSION: ViolationCategory.ESPECIALLY_SERIOUS,
    ViolationAct.OTHER: None,
}

# Anyone the room saw: a violation may be found before the start, during, or after a submission.
APPLIES_TO = frozenset({State.LOGGED_IN, State.ANSWERING, State.RESET, State.SUBMITTED, State.STANDALONE})


def category_for(act: ViolationAct, chosen: ViolationCategory | None) -> ViolationCategory | None:
    """The category the act carries (R31); for OTHER, the one the proctors chose."""
    return CATEGORY_OF[act] or chosen


def decide_record_violation(
    room: RoomState,
    ticket: str,
    act: ViolationAct,
    category: ViolationCategory | None,
    facts: str,
    evidence: Sequence[Evidence],
    confirmed_by: Sequence[str],
    by: tuple[str, ...],
    now: float,
    *,
    amends: int | None = None,
    held: frozenset[str] = frozenset(),
) -> list[Event]:
    """`held`: the SHA-256 of every evidence file the room's evidence folder holds (the service
    reads it); a record names only files it holds."""
    act = ViolationAct(act)
    category = ViolationCategory(category) if category is not None else None
    s = _sitting_of(room, ticket)
    c = s.candidates[ticket]
    if c.state not in APPLIES_TO:
        raise Refused(
            "not_in_room",
            f"candidate {ticket} is {c.state.value}: a violation is recorded for a candidate the room saw",
            f"考生 {ticket} 当前状态为 {c.state.value}，未在本考场参加考试，不能记录违纪",
            rule="R30",
        )
    chosen = category_for(act, category)
    if CATEGORY_OF[act] is not None and category not in (None, CATEGORY_OF[act]):
        raise Refused(
            "category_differs",
            f"{act.value} is {CATEGORY_OF[act].value} under 004 附件3",
            "该行为的处理类别由《机考违纪违规行为处理基本规则》规定，不能另选",
            rule="R31",
            category=CATEGORY_OF[act].value,
        )
    if chosen is None:
        raise Refused(
            "category_unchosen",
            "an act not listed in 004 附件3 needs its category chosen",
            "其他违纪违规行为请选择处理类别",
            rule="R31",
        )
    if not facts.strip():
        raise Refused("no_facts", "write down the facts", "请详细记录违纪事实", rule="R30")
    if len(facts) > MAX_FACTS:
        raise Refused(
            "facts_too_long",
            f"the facts are at most {MAX_FACTS} characters",
            f"违纪事实最多 {MAX_FACTS} 字",
            rule="R30",
        )
    _confirmed(room, confirmed_by)
    _evidence(evidence, held)
    if amends is not None:
        old = room.violations.get(amends)
        if old is None or old.ticket != ticket:
            raise Refused(
                "unknown_record",
                f"there is no violation record {amends} for candidate {ticket}",
                f"考生 {ticket} 没有第 {amends} 号违纪记录",
            )
        if old.superseded_by is not None:
            raise Refused(
                "already_amended",
                f"record {amends} was amended by record {old.superseded_by}: amend that one",
                f"第 {amends} 号记录已由第 {old.superseded_by} 号更正，请更正最新的记录",
            )
    return [
        ViolationRecorded(
            at=now,
            sitting=s.number,
            ticket=ticket,
            number=len(room.violations) + 1,
            act=act,
            category=chosen,
            facts=facts.strip(),
            evidence=tuple(evidence),
            confirmed_by=tuple(confirmed_by),
            amends=amends,
            by=by,
        )
    ]


def _sitting_of(room: RoomState, ticket: str) -> SittingRun:
    s = room.sitting or room.shown_sitting
    if ticket not in s.candidates:
        raise Refused(
            "unknown_candidate",
            f"no candidate with ticket number {ticket[:32]} in this sitting",
            f"本场次没有准考证号为 {ticket[:32]} 的考生，请核对准考证号",
        )
    return s


def _confirmed(room: RoomState, names: Sequence[str]) -> None:
    """R30: two or more of the room's proctors signed in at the console confirm it, each once."""
    if len(set(names)) < 2 or len(set(names)) != len(names):
        raise Refused(
            "two_proctors",
            "two different room proctors confirm a violation record",
            "违纪记录须由两名（或以上）监考员分别确认",
            rule="R30",
            allow_en="the second proctor confirms too",
            allow_zh="请第二名监考员一同确认",
        )
    strangers = [n for n in names if n not in room.proctors]
    if strangers:
        raise Refused(
            "not_room_proctor",
            f"{'、'.join(strangers)} is not signed in at this console",
            f"{'、'.join(strangers)} 未在本监考机签到，不能确认违纪记录",
            rule="R30",
        )


def _evidence(evidence: Sequence[Evidence], held: frozenset[str]) -> None:
    if len(evidence) > MAX_EVIDENCE:
        raise Refused("too_much_evidence", f"at most {MAX_EVIDENCE} files", f"每条记录最多附 {MAX_EVIDENCE} 个证据文件")
    missing = [e.name for e in evidence if e.sha256 not in held]
    if missing:
        raise Refused(
            "evidence_missing",
            f"evidence not received: {', '.join(missing)}",
            f"证据文件未上传到本考场：{'、'.join(missing)}，请重新添加",
        )
    if len({e.sha256 for e in evidence}) != len(evidence):
        raise Refused("evidence_twice", "a file is attached twice", "同一证据文件添加了两次")
