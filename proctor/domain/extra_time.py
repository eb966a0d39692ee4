"""Extra time (补时) and the provincial codes that allow more of it: pure decisions (R19-R23, R61).

Cumulative per candidate: up to `extra_time_direct_max_min` the signed-in proctors grant it
directly (R19); up to `extra_time_code_max_min` only with a provincial authorization code bound
to exactly these candidates and minutes (R20); beyond, the console refuses: the ministry's tool
decides (R21). A candidate's own operating error earns none (R22). A profile that takes no
minute tiers (both None: CPA) grants by the time lost, a peripheral or software fault only with
the approval named (R23, 003 六), a power failure as the ministry's office directs (003 一).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from . import authcode, codes, start
from .authcode import AuthRequest, Operation
from .codes import CodeRule
from .events import (
    AuthorizationRequested,
    Event,
    ExtraTimeGranted,
    ExtraTimeReason,
)
from .refusal import Refused
from .room import STATE_ZH, CandidateRun, Phase, RoomState, SittingRun, State

# Time runs for these: a candidate reset onto another machine loses time too (R24, R61).
APPLIES_TO = frozenset({State.ANSWERING, State.RESET})


def direct_max(room: RoomState) -> int:
    return room.policy.extra_time_direct_max_min or 0


def code_max(room: RoomState) -> int:
    return max(room.policy.extra_time_code_max_min or 0, direct_max(room))


CODE = CodeRule(
    op=Operation.EXTRA_TIME.value,
    rule="R20",
    again_zh="如需再次补时，请重新申请授权码",
    no_key_allow_en="a package with its room's authorization-code key; the direct tier needs none",
    no_key_allow_zh="需载入带授权码密钥的考务数据包；直接补时不需要授权码",
)


def _candidates(room: RoomState, tickets: Sequence[str], now: float) -> tuple[SittingRun, list[CandidateRun]]:
    """The candidates named, each answering in the sitting under way with time left."""
    s = room.sitting
    if s is None:
        raise Refused("exam_over", "every sitting has ended", "本批次考试已全部结束")
    if len(set(tickets)) != len(tickets):
        raise Refused("bad_tickets", "a candidate is named twice", "同一考生被选择了两次，请重新选择")
    out = []
    for t in tickets:
        c = s.candidates.get(t)
        if c is None:
            raise Refused(
                "unknown_candidate",
                f"no candidate with ticket number {t[:32]} in this sitting",
                f"本场次没有准考证号为 {t[:32]} 的考生，请核对准考证号",
                ticket=t[:32],
            )
        if s.phase is Phase.SCHEDULED or c.state not in APPLIES_TO:
            raise Refused(
                "not_answering",
                f"candidate {t} is {c.state.value}: only a candidate answering can be given extra time",
                f"考生 {t} 当前不在作答中（{STATE_ZH[c.state]}），不能补时",
                rule="R19",
                allow_en="extra time is for a candidate who is answering and lost time",
                allow_zh="补时仅适用于正在作答且损失了考试时间的考生",
                ticket=t,
                state=c.state.value,
            )
        if now >= s.end_of(c):
            raise Refused(
                "time_over",
                f"candidate {t}'s time is over; they are submitted at their end",
                f"考生 {t} 的作答时间已到，系统已自动交卷，不能再补时",
                rule="R11",
                ticket=t,
            )
        out.append(c)
    return s, out


def _reason(reason: ExtraTimeReason, note: str) -> None:
    if reason is ExtraTimeReason.CANDIDATE_ERROR:
        raise Refused(
            "own_error",
            "time lost through the candidate's own operating error earns no extra time",
            "因考生自身操作失误造成的时间损失不予补时",
            rule="R22",
            allow_en="extra time only for time lost through an incident or fault: name it",
            allow_zh="仅因故障或突发事件损失的时间可补时，请选择具体原因",
        )
    if reason is ExtraTimeReason.OTHER_INCIDENT and not note.strip():
        raise Refused(
            "reason_unnamed",
            "name the incident that cost the time",
            "请写明造成时间损失的突发事件",
            rule="R22",
        )


class Tier(str, Enum):
    DIRECT = "direct"  # R19: the signed-in proctors grant it
    CODE = "code"  # R20: only with a provincial authorization code
    MINISTRY = "ministry"  # R21: the console refuses; the ministry's tool decides
    # The profile takes no minute tiers (CPA, 003 五、六、一): by the time lost, and for some
    # causes only with the approval or direction the note names (R23).
    BY_CAUSE = "by_cause"


def tier_for(total: int, direct: int | None, with_code: int | None) -> Tier:
    """The tier of a candidate's cumulative extra time `total` (minutes) under a profile's
    `extra_time_direct_max_min` and `extra_time_code_max_min` (None: not taken): what a dialog
    says before asking."""
    if direct is None and with_code is None:
        return Tier.BY_CAUSE
    d = direct or 0
    if total > max(with_code or 0, d):
        return Tier.MINISTRY
    return Tier.DIRECT if total <= d else Tier.CODE


def tier(room: RoomState, cs: Sequence[CandidateRun], minutes: int) -> Tier:
    """What the largest total after the grant needs."""
    p = room.policy
    return tier_for(max(c.extra_min for c in cs) + minutes, p.extra_time_direct_max_min, p.extra_time_code_max_min)


# R23 (003 六) and 003 一: these causes earn extra time only with an approval or a direction,
# which the proctors name in the note, when the profile has no minute tiers.
_APPROVED_CAUSES = {
    ExtraTimeReason.PERIPHERAL: ("R23", "a peripheral fault: only after approval", "外设故障须经批准后方可补时"),
    ExtraTimeReason.SOFTWARE: ("R23", "a software fault: only after approval", "软件故障须经批准后方可补时"),
    ExtraTimeReason.POWER: (
        None,
        "a power failure: as the ministry's exam office directs",
        "断电须按上级考试机构的规定或指令补时",
    ),
}


def _by_cause(reason: ExtraTimeReason, note: str) -> None:
    need = _APPROVED_CAUSES.get(reason)
    if need is not None and not note.strip():
        rule, en, zh = need
        raise Refused(
            "approval_unnamed",
            f"{en}; name who approved it in the note",
            f"{zh}，请在备注中写明批准人或指令",
            rule=rule,
            allow_en="the approval (who, when) written in the note",
            allow_zh="在备注中写明批准人及批准时间后再补时",
        )


def _over_the_tiers(room: RoomState, cs: Sequence[CandidateRun], minutes: int) -> None:
    if tier(room, cs, minutes) is Tier.BY_CAUSE:
        return
    top = max(cs, key=lambda c: c.extra_min)
    total = top.extra_min + minutes
    p = room.policy
    if total > code_max(room):
        raise Refused(
            "ministry_only",
            f"candidate {top.ticket}'s extra time would total {total} min: above {code_max(room)} min "
            "the console cannot grant it; report to the ministry",
            f"考生 {top.ticket} 补时累计 {total} 分钟，超过 {code_max(room)} 分钟，本机不能补时，请逐级上报人社部",
            rule=p.rule("extra_time_code_max_min", "R21"),
            allow_en="the ministry's own tool decides extra time beyond this",
            allow_zh="超过此时长的补时由人社部（部级工具）处理",
            ticket=top.ticket,
            total=total,
            already=top.extra_min,
        )


def _needs_code(room: RoomState, cs: Sequence[CandidateRun], minutes: int) -> Refused:
    top = max(cs, key=lambda c: c.extra_min)
    total = top.extra_min + minutes
    return Refused(
        "code_required",
        f"candidate {top.ticket}'s extra time would total {total} min: above {direct_max(room)} min "
        "it needs a provincial authorization code",
        f"补时累计 {total} 分钟，超过 {direct_max(room)} 分钟需省级授权码",
        rule=room.policy.rule("extra_time_code_max_min", "R20"),
        allow_en="ask for a code (request code), read it to the provincial office and enter the code it gives",
        allow_zh="请生成申请码，电话报省级考试机构，并输入其给出的授权码",
        ticket=top.ticket,
        total=total,
        already=top.extra_min,
    )


def decide_request_authorization(
    room: RoomState, op: str, tickets: Sequence[str], minutes: int, by: tuple[str, ...], now: float, nonce: str
) -> list[Event]:
    """A request for a provincial code, for a grant that needs one (or, `op` delayed_start, for
    a delayed start: proctor.domain.start). `nonce`: fresh random hex."""
    if op == Operation.DELAYED_START.value:
        return start.decide_request_delayed_start(room, tickets, minutes, by, now, nonce)
    if op != Operation.EXTRA_TIME.value:
        raise Refused("unknown_operation", f"no operation {op[:32]!r} takes a code", "该操作不需要授权码")
    if not tickets:
        raise Refused("bad_tickets", "name the candidates the extra time is for", "请选择需要补时的考生")
    if codes.room_key(room) is None:
        raise codes.no_key(CODE)
    s, cs = _candidates(room, tickets, now)
    _over_the_tiers(room, cs, minutes)
    if tier(room, cs, minutes) is Tier.BY_CAUSE:
        raise Refused(
            "no_code_tier",
            f"{room.policy.name} takes no provincial authorization codes for extra time",
            f"{room.policy.name}不使用省级授权码补时：按损失的时间补时，部分原因须经批准",
            rule=room.policy.rule("extra_time_code_max_min", "R20"),
        )
    if tier(room, cs, minutes) is Tier.DIRECT:
        raise Refused(
            "code_not_needed",
            f"up to {direct_max(room)} min in all the proctors grant extra time directly",
            f"补时累计不超过 {direct_max(room)} 分钟，监考员可直接补时，无需授权码",
            rule=room.policy.rule("extra_time_direct_max_min", "R19"),
        )
    code = authcode.request_code(codes.room_name(room), op, minutes, tickets, nonce)
    if code in room.requests:  # one in 10**8: the service asks again with another nonce
        raise Refused("request_clash", "request code in use; ask again", "申请码重复，请重新申请")
    return [
        AuthorizationRequested(
            at=now,
            sitting=s.number,
            candidates=tuple(sorted(tickets)),
            request=code,
            op=op,
            minutes=minutes,
            nonce=nonce,
            by=by,
        )
    ]


def _request(room: RoomState, request: str) -> AuthRequest:
    rq = room.requests.get(request)
    if rq is None:
        raise codes.unknown_request(CODE, request)
    codes.usable(CODE, rq)
    return rq


def decide_grant_extra_time(
    room: RoomState,
    tickets: Sequence[str],
    minutes: int,
    reason: ExtraTimeReason,
    by: tuple[str, ...],
    now: float,
    *,
    note: str = "",
    request: str | None = None,
    code: str | None = None,
) -> list[Event]:
    """R19-R22. A wrong code is refused and recorded (AuthorizationCodeRejected, with the
    proctors' names); the last allowed wrong code locks the request and raises an alert."""
    _reason(reason, note)
    s, cs = _candidates(room, tickets, now)
    _over_the_tiers(room, cs, minutes)
    if tier(room, cs, minutes) is Tier.BY_CAUSE and request is None and code is None:
        _by_cause(reason, note)
        return [_granted(s, tickets, minutes, reason, note, by, now, None)]
    needed = tier(room, cs, minutes) is Tier.CODE
    if code is None and request is None:
        if needed:
            raise _needs_code(room, cs, minutes)
        return [_granted(s, tickets, minutes, reason, note, by, now, None)]
    if code is None or request is None:
        raise Refused(
            "code_incomplete",
            "a code goes with the request it answers",
            "授权码须与其申请码一同输入",
            rule="R20",
        )
    if codes.room_key(room) is None:
        raise codes.no_key(CODE)
    rq = _request(room, request)
    if rq.op != Operation.EXTRA_TIME.value or rq.sitting != s.number:
        raise Refused("request_differs", f"request {request} was for another operation", "该申请码不是本场次的补时申请")
    if sorted(tickets) != sorted(rq.tickets) or minutes != rq.minutes:
        raise Refused(
            "request_differs",
            f"request {request} asked for {rq.minutes} min for {', '.join(rq.tickets)}",
            f"申请码 {request} 申请的是 {'、'.join(rq.tickets)} 补时 {rq.minutes} 分钟，与本次补时不符",
            rule="R20",
            allow_en="grant exactly what was requested, or make a new request",
            allow_zh="请按申请内容补时，或重新申请",
        )
    codes.check(room, CODE, rq, code, minutes, tickets, by, now, what_zh="所选考生或补时分钟数")
    return [_granted(s, tickets, minutes, reason, note, by, now, request, codes.typed(code))]


def _granted(
    s: SittingRun,
    tickets: Sequence[str],
    minutes: int,
    reason: ExtraTimeReason,
    note: str,
    by: tuple[str, ...],
    now: float,
    request: str | None,
    code: str | None = None,
) -> ExtraTimeGranted:
    return ExtraTimeGranted(
        at=now,
        sitting=s.number,
        candidates=tuple(sorted(tickets)),
        minutes=minutes,
        reason=reason,
        note=note.strip(),
        by=by,
        request=request,
        code=code,
    )
