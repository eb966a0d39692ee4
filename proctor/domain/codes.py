"""What every operation that a provincial authorization code (授权码) allows shares: a code goes
with the request it answers, is used once, is checked offline against the room's key, and five
wrong ones lock the request; each wrong one is recorded with the proctors' names, and the last
raises an alert. Extra time (R20) and a delayed start (R17) say their own words around it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import authcode
from .authcode import MAX_WRONG_CODES, AuthRequest, RequestStatus
from .events import AlertKind, AuthorizationCodeRejected, Event
from .refusal import Refused
from .room import RoomState, alert_once


@dataclass(frozen=True)
class CodeRule:
    """An operation's code: its rule row, and what to say to ask again."""

    op: str
    rule: str  # "R20" for extra time, "R17" for a delayed start
    again_zh: str  # after a used code: what to do for another
    no_key_allow_en: str
    no_key_allow_zh: str


def room_name(room: RoomState) -> str:
    return authcode.room_id(room.package.site, room.package.room)


def room_key(room: RoomState) -> bytes | None:
    text = room.package.authcode_key
    return authcode.parse_key(text) if text else None


def no_key(rule: CodeRule) -> Refused:
    return Refused(
        "no_code_key",
        "this exam package carries no key for authorization codes",
        "本考场的考务数据包没有授权码密钥，不能核验省级授权码",
        rule=rule.rule,
        allow_en=rule.no_key_allow_en,
        allow_zh=rule.no_key_allow_zh,
    )


def unknown_request(rule: CodeRule, request: str) -> Refused:
    return Refused(
        "unknown_request",
        f"no request {request[:16]} was made at this console",
        f"本考场没有申请码 {request[:16]}，请核对申请码",
        rule=rule.rule,
    )


def usable(rule: CodeRule, rq: AuthRequest) -> None:
    """A request whose code was used, or that is locked, allows nothing more."""
    if rq.status is RequestStatus.USED:
        raise Refused(
            "code_used",
            f"the code for request {rq.code} was used already",
            f"申请码 {rq.code} 的授权码已经使用过，不能重复使用",
            rule=rule.rule,
            allow_en="a new request and a new code",
            allow_zh=rule.again_zh,
        )
    if rq.status is RequestStatus.LOCKED:
        raise Refused(
            "request_locked",
            f"request {rq.code} is locked after {MAX_WRONG_CODES} wrong codes",
            f"申请码 {rq.code} 已输错 {MAX_WRONG_CODES} 次，已锁定",
            rule=rule.rule,
            allow_en="make a new request and read its code to the provincial office",
            allow_zh="请重新生成申请码并报省级考试机构",
            tries_left=0,
        )


def typed(code: str) -> str:
    """A code as typed (groups of digits, spaces or dashes between) to its digits."""
    return code.strip().replace(" ", "").replace("-", "")


def check(
    room: RoomState,
    rule: CodeRule,
    rq: AuthRequest,
    code: str,
    minutes: int,
    subject: Sequence[str],
    by: tuple[str, ...],
    now: float,
    *,
    what_zh: str,
) -> None:
    """The code answers `rq` for `minutes` and `subject` (the tickets, or the sitting). A
    mistyped one (its check digit) costs no try; a wrong one is recorded and refused, and the
    last allowed raises `authcode_locked`. `what_zh`: what the request was for, in the refusal."""
    key = room_key(room)
    if key is None:
        raise no_key(rule)
    code = typed(code)
    if not authcode.well_formed(code):
        raise Refused(
            "code_mistyped",
            f"a code is {authcode.CODE_LENGTH} digits and this one's check digit does not match: check each digit",
            f"授权码应为 {authcode.CODE_LENGTH} 位数字，校验位不符，请逐位核对后重新输入（不计入错误次数）",
            rule=rule.rule,
            tries_left=MAX_WRONG_CODES - len(rq.wrong),
        )
    if authcode.verify(key, code, room_name(room), rq.code, rule.op, minutes, subject):
        return
    attempt = len(rq.wrong) + 1
    record: list[Event] = [
        AuthorizationCodeRejected(
            at=now, sitting=rq.sitting, candidates=rq.tickets, request=rq.code, attempt=attempt, by=by
        )
    ]
    left = MAX_WRONG_CODES - attempt
    if left <= 0:
        record += alert_once(room, AlertKind.AUTHCODE_LOCKED, now, detail=rq.code)
    raise Refused(
        "code_wrong",
        f"the code does not answer request {rq.code} for {minutes} min; {left} tries left",
        f"授权码与申请码 {rq.code}（{what_zh}）不符，还可输入 {left} 次"
        + ("；该申请已锁定，请重新申请" if left <= 0 else ""),
        rule=rule.rule,
        allow_en="check the code with the provincial office; after the last try, a new request",
        allow_zh="请与省级考试机构核对授权码；次数用完后须重新申请",
        record=record,
        tries_left=left,
    )
