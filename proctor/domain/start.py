"""Start and delayed start (开考 / 延时开考): pure decisions (R16-R18, 004 附件2 二(一)).

The sitting starts by itself at its start (`room.due_events`). Before it has started, the
proctors may delay it when a power cut or a network fault keeps it from starting on time. The
delay is counted in minutes after the scheduled (统一) start, and its total decides what it needs:
up to `delayed_start_city_max_min` (30) the consent of the city-level exam office, whose person
is recorded (R16); up to `delayed_start_code_max_min` (60) a provincial authorization code
(R17); later, the console refuses: the ministry's centre (部中心) is told and decides (R18).

A profile that takes neither (CPA, 003 一、二): there is no consent to ask for; a fault before
the start solved within 50 minutes of it goes on with the exam time extended, otherwise the
ministry of finance's office (财政部考办) stops the exam. The console refuses and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from . import authcode, codes
from .authcode import AuthRequest, Operation
from .codes import CodeRule
from .events import AuthorizationRequested, Event, StartDelayed, StartDelayReason
from .policy import Policy
from .refusal import Refused
from .room import Phase, RoomState, SittingRun

OP = Operation.DELAYED_START.value


class Tier(str, Enum):
    CONSENT = "consent"  # R16: the city-level exam office consents; the proctors record who
    CODE = "code"  # R17: only with a provincial authorization code
    MINISTRY = "ministry"  # R18: the console refuses; report to the ministry's centre
    NOT_TAKEN = "not_taken"  # the profile has no delayed-start tiers (CPA, 003 一、二)


def tier_for(minutes: int, city_max: int | None, code_max: int | None) -> Tier:
    """What a delay of `minutes` after the scheduled start needs under a profile's
    `delayed_start_city_max_min` and `delayed_start_code_max_min` (None: not taken). The dialog
    says it before asking; the rules below decide by it."""
    # R16-R18 (004 附件2 二(一)): 30分钟之内 consent, 30至60分钟 code, 晚于60分钟 the ministry.
    if city_max is None and code_max is None:
        return Tier.NOT_TAKEN
    city = city_max or 0
    if minutes > max(code_max or 0, city):
        return Tier.MINISTRY
    return Tier.CONSENT if minutes <= city else Tier.CODE


def tier(policy: Policy, minutes: int) -> Tier:
    return tier_for(minutes, policy.delayed_start_city_max_min, policy.delayed_start_code_max_min)


def city_max(policy: Policy) -> int:
    return policy.delayed_start_city_max_min or 0


def code_max(policy: Policy) -> int:
    return max(policy.delayed_start_code_max_min or 0, city_max(policy))


def code_subject(sitting: int) -> tuple[str, ...]:
    """What a delayed start's code is bound to where extra time's names tickets: the sitting."""
    return (str(sitting),)


CODE = CodeRule(
    op=OP,
    rule="R17",
    again_zh="如需再次延时开考，请重新申请授权码",
    no_key_allow_en="a package with its room's authorization-code key; a delay within the city's consent needs none",
    no_key_allow_zh="需载入带授权码密钥的考务数据包；统一开考后 30 分钟之内的延时开考不需要授权码",
)


def _rule(room: RoomState, t: Tier) -> str:
    p = room.policy
    if t is Tier.CONSENT:
        return p.rule("delayed_start_city_max_min", "R16")
    if t is Tier.CODE:
        return "R17"
    return "R18"


# -- what must hold before any delay ----------------------------------------------------------------


def _before_start(room: RoomState, now: float) -> SittingRun:
    """The sitting under way, not started yet (by itself, nor by a delay running out)."""
    s = room.sitting
    if s is None:
        raise Refused("exam_over", "every sitting has ended", "本批次考试已全部结束")
    if s.phase is not Phase.SCHEDULED or now >= s.start:
        # R16 (004 附件2 二(一) 适用场景: 开考前（监考端发出开考指令前）): after the start the
        # time lost is made good as extra time (R19).
        raise Refused(
            "already_started",
            f"sitting {s.number} has started: a delayed start is only before the start; "
            "time lost after it is extra time",
            f"第 {s.number} 场已开考，不能再延时开考；开考后损失的考试时间按补时处理（R19）",
            rule="R16",
            allow_en="give the candidates who lost time extra time (R19-R21)",
            allow_zh="请对损失时间的考生补时（R19–R21）",
            started=s.started_at if s.started_at is not None else s.start,
        )
    return s


def _not_taken(room: RoomState) -> Refused:
    p = room.policy
    stop = p.fault_stop_after_min
    if stop is not None:
        en = (
            f"{p.name} has no delayed start by consent: a fault before the start solved within {stop} min "
            "of the start goes on with the exam time extended; otherwise the exam is stopped"
        )
        zh = (
            f"{p.name}没有经同意或凭授权码延时开考的规定：考试开始前发生的故障在考试开始后 {stop} 分钟内解决的，"
            f"考试继续进行、考试时间相应延长（补时）；{stop} 分钟内无法解决的，由财政部考办宣布停止考试"
        )
    else:
        en = f"{p.name} takes no delayed-start tiers"
        zh = f"{p.name}不适用延时开考的审批档次"
    return Refused(
        "no_delay_tiers",
        en,
        zh,
        # What holds instead: R44 (003 一、七), a fault before the start and its 50 minutes.
        rule="R44" if stop is not None else p.rule("delayed_start_city_max_min", "R16"),
        allow_en="extra time for the time lost once the exam runs (003 一、二)",
        allow_zh="开考后按损失的时间补时；故障无法解决的，报财政部考办（003 一、二）",
    )


def _ministry(room: RoomState, minutes: int) -> Refused:
    top = code_max(room.policy)
    return Refused(
        "ministry_only",
        f"a start {minutes} min after the scheduled start is later than {top} min: "
        "the console cannot give it; report to the ministry's centre",
        f"延迟开考 {minutes} 分钟，晚于统一开考后 {top} 分钟，本机不能发出开考指令：须向部中心汇报，视情况处理",
        rule="R18",
        allow_en="the ministry's centre decides; until then the sitting does not start later than this",
        allow_zh="由部中心视情况处理",
        minutes=minutes,
    )


def _checked_minutes(room: RoomState, s: SittingRun, minutes: int, now: float) -> Tier:
    """The tier of a delay of `minutes`, or a refusal: not this exam's rule, too late for the
    console, or a start already past."""
    t = tier(room.policy, minutes)
    if t is Tier.NOT_TAKEN:
        raise _not_taken(room)
    if t is Tier.MINISTRY:
        raise _ministry(room, minutes)
    start = s.scheduled_start + minutes * 60
    if start < now:
        past = int((now - s.scheduled_start) // 60)
        raise Refused(
            "start_in_past",
            f"a start {minutes} min after the scheduled start is past: it is {past} min after it now",
            f"统一开考后 {minutes} 分钟的开考时间已过（现在已是统一开考后 {past} 分钟），请输入更晚的开考时间",
            rule=_rule(room, t),
            allow_en="a delay that starts the sitting now or later",
            allow_zh="延迟开考的时间须晚于当前时间",
            now_after_min=past,
        )
    if minutes == s.delay_min:
        raise Refused(
            "delay_unchanged",
            f"the start is {minutes} min after the scheduled start already",
            f"开考时间已是统一开考后 {minutes} 分钟，无需更改",
        )
    return t


def _reason(reason: StartDelayReason, note: str) -> None:
    if reason is StartDelayReason.OTHER and not note.strip():
        raise Refused(
            "reason_unnamed",
            "name what keeps the sitting from starting on time",
            "请写明无法按时开考的原因",
            rule="R16",
        )


# -- the request for a provincial code (R17) ------------------------------------------------------


def decide_request_delayed_start(
    room: RoomState, tickets: Sequence[str], minutes: int, by: tuple[str, ...], now: float, nonce: str
) -> list[Event]:
    """A request for a provincial code for a delay of `minutes` that needs one (R17), bound to
    the sitting and the minutes. `nonce`: fresh random hex."""
    if tickets:
        raise Refused(
            "bad_tickets",
            "a delayed start is the sitting's: name no candidates",
            "延时开考针对整个场次，不能选择考生",
        )
    s = _before_start(room, now)
    t = _checked_minutes(room, s, minutes, now)
    if t is Tier.CONSENT:
        raise Refused(
            "code_not_needed",
            f"up to {city_max(room.policy)} min after the scheduled start the city's consent allows it: no code",
            f"延迟开考不超过统一开考后 {city_max(room.policy)} 分钟，经地市级考试机构同意即可，无需授权码",
            rule=_rule(room, t),
        )
    if codes.room_key(room) is None:
        raise codes.no_key(CODE)
    subject = code_subject(s.number)
    code = authcode.request_code(codes.room_name(room), OP, minutes, subject, nonce)
    if code in room.requests:  # one in 10**8: the service asks again with another nonce
        raise Refused("request_clash", "request code in use; ask again", "申请码重复，请重新申请")
    return [
        AuthorizationRequested(
            at=now, sitting=s.number, candidates=(), request=code, op=OP, minutes=minutes, nonce=nonce, by=by
        )
    ]


def _request(room: RoomState, s: SittingRun, request: str, minutes: int) -> AuthRequest:
    rq = room.requests.get(request)
    if rq is None:
        raise codes.unknown_request(CODE, request)
    if rq.op != OP or rq.sitting != s.number:
        raise Refused(
            "request_differs",
            f"request {request} was not for this sitting's delayed start",
            f"申请码 {request} 不是本场次延时开考的申请",
            rule="R17",
            allow_en="request a code for this delayed start",
            allow_zh="请为本次延时开考重新申请授权码",
        )
    codes.usable(CODE, rq)
    if rq.minutes != minutes:
        raise Refused(
            "request_differs",
            f"request {request} asked for a start {rq.minutes} min after the scheduled start, not {minutes}",
            f"申请码 {request} 申请的是延迟开考 {rq.minutes} 分钟，与本次 {minutes} 分钟不符",
            rule="R17",
            allow_en="delay by exactly what was requested, or make a new request",
            allow_zh="请按申请的分钟数延时开考，或重新申请",
        )
    return rq


def _check_code(
    room: RoomState, s: SittingRun, rq: AuthRequest, code: str, minutes: int, by: tuple[str, ...], now: float
) -> None:
    """R17: the code answers this room's request for this sitting and these minutes."""
    codes.check(
        room, CODE, rq, code, minutes, code_subject(s.number), by, now, what_zh=f"本场次延迟开考 {minutes} 分钟"
    )


# -- the delay ----------------------------------------------------------------------------------------


def decide_delay_start(
    room: RoomState,
    minutes: int,
    reason: StartDelayReason,
    by: tuple[str, ...],
    now: float,
    *,
    note: str = "",
    consent: str | None = None,
    request: str | None = None,
    code: str | None = None,
) -> list[Event]:
    """R16-R18 (004 附件2 二(一)): the current sitting starts `minutes` after its scheduled start.
    Before the start only, and not in the past; a second delay replaces the first, decided
    by its own total."""
    s = _before_start(room, now)
    _reason(reason, note)
    t = _checked_minutes(room, s, minutes, now)
    who = (consent or "").strip()
    if t is Tier.CONSENT:
        if request is not None or code is not None:
            raise Refused(
                "code_not_needed",
                f"up to {city_max(room.policy)} min the city's consent allows it: no code",
                f"延迟开考不超过统一开考后 {city_max(room.policy)} 分钟，经地市级考试机构同意即可，无需授权码",
                rule=_rule(room, t),
            )
        if not who:
            # R16 (004 附件2 二(一)): 30分钟之内，考点经地市级考试机构同意后，可以发出开考指令.
            raise Refused(
                "consent_required",
                f"a start {minutes} min after the scheduled start needs the city exam office's consent: "
                "name who consented",
                f"延迟开考 {minutes} 分钟（统一开考后 {city_max(room.policy)} 分钟之内）须经地市级考试机构同意，"
                "请填写同意人姓名",
                rule=_rule(room, t),
                allow_en="phone the city-level exam office and enter the name of the person who consented",
                allow_zh="请电话报地市级考试机构，经同意后填写同意人姓名",
            )
        return [_delayed(s, minutes, reason, note, who, None, by, now)]
    # R17 (004 附件2 二(一)): 30至60分钟，考点向省级考试机构申请授权码后，可以发出开考指令.
    if request is None or code is None:
        if request is None and code is None:
            raise Refused(
                "code_required",
                f"a start {minutes} min after the scheduled start is later than {city_max(room.policy)} min: "
                "it needs a provincial authorization code",
                f"延迟开考 {minutes} 分钟，超过统一开考后 {city_max(room.policy)} 分钟，须向省级考试机构申请授权码",
                rule="R17",
                allow_en="ask for a code (request code), read it to the provincial office and enter the code it gives",
                allow_zh="请生成申请码，电话报省级考试机构，并输入其给出的授权码",
                minutes=minutes,
            )
        raise Refused(
            "code_incomplete", "a code goes with the request it answers", "授权码须与其申请码一同输入", rule="R17"
        )
    rq = _request(room, s, request, minutes)
    _check_code(room, s, rq, code, minutes, by, now)
    return [_delayed(s, minutes, reason, note, who or None, request, by, now, codes.typed(code))]


def _delayed(
    s: SittingRun,
    minutes: int,
    reason: StartDelayReason,
    note: str,
    consent: str | None,
    request: str | None,
    by: tuple[str, ...],
    now: float,
    code: str | None = None,
) -> StartDelayed:
    return StartDelayed(
        at=now,
        sitting=s.number,
        minutes=minutes,
        start=s.scheduled_start + minutes * 60,
        previous=s.start,
        reason=reason,
        note=note.strip(),
        consent=consent,
        request=request,
        code=code,
        by=by,
    )
