"""Notices (通知) to the exam machines: a corrected question (002 第二十二条), the reminder before
the end (R12, 001 监考规则 第十二条), an incident. Sent to all the room's exam machines or the ones
chosen, shown to the candidate, acknowledged by each machine; a machine offline when it is sent
gets it when it comes back. Pure decisions."""

from __future__ import annotations

from collections.abc import Sequence

from .events import Event, NoticeAcknowledged, NoticeKind, NoticeSent
from .refusal import Refused
from .room import RoomState

MAX_TEXT = 500
MAX_OPEN_PER_MACHINE = 50  # notices a machine has not acknowledged that the welcome carries


def reminder_text(minutes: int) -> str:
    """R12's words, for the console to offer when the reminder is due."""
    return f"距考试结束还有 {minutes} 分钟，请注意掌握时间。"


def decide_send_notice(
    room: RoomState,
    kind: NoticeKind,
    text: str,
    machines: Sequence[str] | None,
    by: tuple[str, ...],
    now: float,
) -> list[Event]:
    """`machines` None: every exam machine of the room."""
    kind = NoticeKind(kind)
    text = text.strip()
    if not text:
        raise Refused("no_text", "write what the candidates must read", "请填写通知内容")
    if len(text) > MAX_TEXT:
        raise Refused("text_too_long", f"a notice is at most {MAX_TEXT} characters", f"通知最多 {MAX_TEXT} 字")
    if machines is None:
        targets = tuple(room.machines)
    else:
        if not machines:
            raise Refused("no_machines", "choose the exam machines to tell", "请选择接收通知的考试机")
        unknown = [m for m in machines if m not in room.machines]
        if unknown:
            shown = "、".join(u[:16] for u in unknown[:5])
            raise Refused("unknown_machine", f"not machines of this room: {shown}", f"不是本考场的考试机：{shown}")
        targets = tuple(dict.fromkeys(machines))
    return [NoticeSent(at=now, number=len(room.notices) + 1, notice_kind=kind, text=text, targets=targets, by=by)]


def decide_notice_seen(room: RoomState, machine: str, number: int, now: float) -> list[Event]:
    """A machine says it showed the notice: recorded once; a notice not sent to it is refused."""
    n = room.notices.get(number)
    if n is None or machine not in n.targets:
        raise Refused("unknown_notice", f"no notice {number} for machine {machine}", f"本机没有编号为 {number} 的通知")
    if machine in n.acknowledged:
        return []
    return [NoticeAcknowledged(at=now, number=number, machine=machine)]


def pending_for(room: RoomState, machine: str) -> list[dict[str, object]]:
    """The notices a machine has not acknowledged, oldest first: what it is given when it joins."""
    out = [n.message() for n in room.notices.values() if machine in n.targets and machine not in n.acknowledged]
    return out[-MAX_OPEN_PER_MACHINE:]
