"""The standalone exam (单机考试): pure decisions (R25, R26, R27; docs/standalone.md).

When neither a reset nor another machine lets a candidate go on, the chief examiner may consent
to a standalone exam (004 附件2 二(四)): the console exports the candidate's package, sealed for
one exam machine; the candidate goes on there offline; afterwards the result is brought back by
hand and merged. The sitting does not end while a package is out (004 附件2 一(二) 问题三 第一步),
unless two proctors record it as unrecoverable. The sealing and opening are in
proctor.standalone; these rules see only contents that were opened and authenticated.
"""

from __future__ import annotations

from dataclasses import dataclass

from .events import (
    AnswerSaved,
    CandidateSubmitted,
    Event,
    StandaloneExported,
    StandaloneRecovered,
    StandaloneWrittenOff,
)
from .refusal import Refused
from .room import PackageStatus, Phase, RoomState, StandaloneRun, State, answers_digest, candidate_in_sitting

# Who may go standalone: a candidate answering, or reset and waiting for a machine (R24).
MAY_GO_STANDALONE = frozenset({State.ANSWERING, State.RESET})


@dataclass(frozen=True)
class ExportPlan:
    """What the package will hold, decided before it is sealed."""

    sitting: int
    ticket: str
    machine: str
    remaining_s: float
    last_seq: int
    previous: str | None = None  # the machine they answered on until now


@dataclass(frozen=True)
class OfflineSave:
    seq: int
    answers: bytes  # canonical JSON (proctor.domain.room.canonical_answers)
    answered: int | None = None


@dataclass(frozen=True)
class OfflineResult:
    """A result file's contents, opened and authenticated with its machine's key."""

    fingerprint: str  # the exam package it belongs to
    sitting: int
    ticket: str
    machine: str
    package_id: str
    package_digest: str  # SHA-256 of the package file it continues
    saves: tuple[OfflineSave, ...]
    digest: str  # SHA-256 of the result file itself


@dataclass(frozen=True)
class Recovery:
    """What an import decided: the events and the answers they name by digest; `already`: this
    very result was recovered before, and nothing changes."""

    events: list[Event]
    answers: dict[str, bytes]
    already: bool = False


def plan_export(room: RoomState, ticket: str, machine: str, chief: str, reason: str, now: float) -> ExportPlan:
    s = room.sitting
    if s is None:
        raise Refused("exam_over", "every sitting has ended", "本批次考试已全部结束")
    if not chief.strip():  # R25 (004 附件2 二(四)): the chief examiner's consent first
        raise _no_consent()
    if not reason.strip():
        raise Refused("reason_missing", "say why the candidate goes standalone", "请写明单机考试的原因", rule="R25")
    _, c = candidate_in_sitting(room, ticket)
    if c.state is State.STANDALONE:
        raise Refused(
            "already_standalone",
            f"candidate {ticket} is in a standalone exam already",
            f"考生 {ticket} 已在单机考试中，不能再次导出作答包",
            rule="R25",
            allow_en="recover the result of the package out, or record it as unrecoverable",
            allow_zh="请先回收已导出作答包的作答结果，或登记为无法回收",
        )
    if s.phase is Phase.SCHEDULED or c.state not in MAY_GO_STANDALONE:
        raise Refused(
            "not_answering",
            f"candidate {ticket} is {c.state.value}: only a candidate answering or reset can go standalone",
            f"考生 {ticket} 不在作答中或已重置状态，不能单机考试",
            rule="R25",
            state=c.state.value,
        )
    remaining = s.end_of(c) - now
    if remaining <= 0:
        raise Refused(
            "time_over",
            f"candidate {ticket}'s time is over",
            f"考生 {ticket} 的作答时间已到，不能单机考试",
            rule="R11",
        )
    if machine not in room.machines:
        raise Refused(
            "unknown_machine",
            f"there is no exam machine {machine[:32]} in this room",
            f"本考场没有考试机 {machine[:32]}",
        )
    other = room.occupant(s, machine)
    if other is not None and other.ticket != ticket:
        raise Refused(
            "machine_occupied",
            f"machine {machine} is in use by candidate {other.ticket}",
            f"考试机 {machine} 正由考生 {other.ticket} 使用，请另选一台考试机",
        )
    held = next((p for p in room.standalone_outstanding(s.number) if p.machine == machine), None)
    if held is not None:
        raise Refused(
            "machine_standalone",
            f"machine {machine} holds candidate {held.ticket}'s standalone package",
            f"考试机 {machine} 正在进行考生 {held.ticket} 的单机考试，请另选一台考试机",
            rule="R25",
        )
    return ExportPlan(s.number, ticket, machine, remaining, c.last_seq, c.machine)


def _no_consent() -> Refused:
    return Refused(
        "consent_missing",
        "a standalone exam needs the chief examiner's consent: name them",
        "单机考试须经主考同意，请填写同意的主考姓名",
        rule="R25",
        allow_en="the chief examiner consents; their name is recorded",
        allow_zh="经主考同意后，填写主考姓名再导出",
    )


def decide_export(
    room: RoomState,
    plan: ExportPlan,
    *,
    package_id: str,
    digest: str,
    chief: str,
    reason: str,
    by: tuple[str, ...],
    now: float,
) -> list[Event]:
    """R25 (004 附件2 二(四)): recorded with the chief examiner, the proctors and the package's
    digest; from here the candidate is fenced from every online machine."""
    if package_id in room.standalone:
        raise Refused("package_clash", "package id in use; export again", "作答包编号重复，请重新导出")
    return [
        StandaloneExported(
            at=now,
            sitting=plan.sitting,
            ticket=plan.ticket,
            machine=plan.machine,
            package_id=package_id,
            chief=chief.strip(),
            reason=reason.strip(),
            remaining_s=plan.remaining_s,
            last_seq=plan.last_seq,
            digest=digest,
            by=by,
            previous=plan.previous,
        )
    ]


def package_for(room: RoomState, package_id: str, *, fingerprint: str, machine: str, ticket: str) -> StandaloneRun:
    """The package a result file says it continues, checked against what its readable header
    claims (before it is opened: the key to open it is the recorded machine's)."""
    if fingerprint != room.package.fingerprint:
        raise Refused(
            "another_room",
            "the result belongs to another room or exam package",
            "该作答结果不属于本考场（考务数据包不同），不能导入",
            rule="R26",
        )
    p = room.standalone.get(package_id)
    if p is None:
        raise Refused(
            "unknown_package",
            "no standalone package with this id was exported here",
            "本考场没有导出过与该作答结果对应的单机考试作答包",
            rule="R26",
        )
    if machine != p.machine:
        raise Refused(
            "another_machine",
            f"the package was for machine {p.machine}; the result says {machine[:32]}",
            f"作答包是为考试机 {p.machine} 导出的，该作答结果来自 {machine[:32]}，不能导入",
            rule="R26",
        )
    if ticket != p.ticket:
        raise Refused(
            "another_candidate",
            f"the package was candidate {p.ticket}'s; the result is {ticket[:32]}'s",
            f"作答包属于考生 {p.ticket}，该作答结果属于 {ticket[:32]}，不能导入",
            rule="R26",
        )
    return p


def decide_import(room: RoomState, result: OfflineResult, by: tuple[str, ...], now: float) -> Recovery:
    """R26 (004 附件2 二(四)): every offline save appended in order, the candidate submitted,
    one event recording the recovery. The same result twice changes nothing."""
    # R26 (004 附件2 二(四)): exactly the package exported, from exactly its machine.
    p = package_for(
        room, result.package_id, fingerprint=result.fingerprint, machine=result.machine, ticket=result.ticket
    )
    if result.sitting != p.sitting or result.package_digest != p.digest:
        raise Refused(
            "another_package",
            "the result continues another package than the one exported",
            "该作答结果与导出的作答包不对应，不能导入",
            rule="R26",
        )
    if p.status is PackageStatus.RECOVERED:
        if p.result_digest == result.digest:
            return Recovery([], {}, already=True)
        raise Refused(
            "recovered_already",
            f"candidate {p.ticket}'s standalone answers were recovered already from another result",
            f"考生 {p.ticket} 的单机考试作答已回收（来自另一份作答结果），不能再导入",
            rule="R26",
        )
    if p.status is PackageStatus.WRITTEN_OFF:
        raise Refused(
            "written_off",
            f"candidate {p.ticket}'s package was recorded as unrecoverable",
            f"考生 {p.ticket} 的单机考试作答包已登记为无法回收，不能再导入",
            rule="R26",
        )
    expected = p.last_seq + 1
    for save in result.saves:
        if save.seq != expected:
            raise Refused(
                "seq_gap",
                f"the result's saves do not continue: save {save.seq} where {expected} was due",
                f"作答结果的保存序号不连续（应为 {expected}，实为 {save.seq}），不能导入",
                rule="R26",
                expected=expected,
            )
        expected += 1
    events: list[Event] = []
    answers: dict[str, bytes] = {}
    for save in result.saves:
        digest = answers_digest(save.answers)
        answers[digest] = save.answers
        events.append(
            AnswerSaved(at=now, sitting=p.sitting, ticket=p.ticket, seq=save.seq, digest=digest, answered=save.answered)
        )
    events.append(
        StandaloneRecovered(
            at=now,
            sitting=p.sitting,
            ticket=p.ticket,
            machine=p.machine,
            package_id=p.package_id,
            digest=result.digest,
            saves=len(result.saves),
            first_seq=p.last_seq + 1,
            last_seq=expected - 1,
            by=by,
        )
    )
    events.append(CandidateSubmitted(at=now, sitting=p.sitting, ticket=p.ticket, by="standalone"))
    return Recovery(events, answers)


def decide_write_off(room: RoomState, package_id: str, reason: str, by: tuple[str, ...], now: float) -> list[Event]:
    """R26: a package that will not come back (the machine died, the stick is lost) lets the
    sitting end only when two proctors record it, with the reason."""
    p = room.standalone.get(package_id)
    if p is None:
        raise Refused(
            "unknown_package",
            f"no standalone package {package_id[:32]} was exported here",
            f"本考场没有编号为 {package_id[:32]} 的单机考试作答包",
        )
    if p.status is not PackageStatus.OUTSTANDING:
        done = "recovered" if p.status is PackageStatus.RECOVERED else "written off"
        done_zh = "已回收" if p.status is PackageStatus.RECOVERED else "已登记为无法回收"
        raise Refused("not_outstanding", f"the package is {done} already", f"考生 {p.ticket} 的单机考试作答包{done_zh}")
    if not reason.strip():
        raise Refused("reason_missing", "say why it cannot be recovered", "请写明无法回收的原因", rule="R26")
    if len(set(by)) < 2:  # R26 (004 附件2 一(二) 问题三 第一步): the end waits unless two confirm
        raise Refused(
            "two_proctors",
            "two different proctors confirm that a standalone package cannot be recovered",
            "登记单机考试作答无法回收须由两名监考员共同确认",
            rule="R26",
            allow_en="two signed-in proctors tick their own names",
            allow_zh="请两名已签到的监考员各自勾选本人姓名后再登记",
        )
    return [
        StandaloneWrittenOff(
            at=now,
            sitting=p.sitting,
            ticket=p.ticket,
            machine=p.machine,
            package_id=p.package_id,
            reason=reason.strip(),
            by=by,
        )
    ]
