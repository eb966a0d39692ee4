"""The console's side of the link: a Qt-free live copy of the room, kept by a WebSocket client,
and the console's commands to the service.

`RoomView` holds what the service last published (a snapshot, then row deltas) and tells
listeners exactly which candidates and machines changed; the Qt models in ui/ adapt it.
`ConsoleClient` keeps the connection, reconnecting with backoff, feeds the view, and sends
commands (`request`), each answered by a reply or a refusal naming its rule.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import itertools
import logging
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from ..domain.commands import (
    RESULT_MAX_BYTES,
    AddEvidence,
    AnswerIncident,
    AssignSeat,
    CheckIdentity,
    Closing,
    Command,
    DelayStart,
    EndExam,
    ExportStandalone,
    ForceSubmit,
    GiveUp,
    GrantExtraTime,
    History,
    ImportStandaloneResult,
    LeaveRoom,
    LockConsole,
    MakeBackup,
    OpenIncident,
    Readiness,
    RecordRemark,
    RecordViolation,
    RegisterChoice,
    RequestAuthorization,
    ResetCandidate,
    ResolveTransfer,
    ReturnToRoom,
    RevealIdNumber,
    RoomForm,
    ScoreDrill,
    SendNotice,
    SignInProctors,
    StopExam,
    TickClosing,
    TickReadiness,
    TransferIn,
    TransferOut,
    TransferSlip,
    UndoSubmit,
    UnlockConsole,
    UnlockFailed,
    WriteOffStandalone,
)
from ..domain.events import (
    AlertAcknowledged,
    AlertRaised,
    AnyEvent,
    ClosingItem,
    Event,
    Evidence,
    ExtraTimeReason,
    LeaveReason,
    NoticeAcknowledged,
    NoticeKind,
    ReadinessItem,
    ResetKind,
    ResetReason,
    StartDelayReason,
    StopChoice,
    ViolationAct,
    ViolationCategory,
)
from ..domain.violations import EVIDENCE_MAX_BYTES as MAX_EVIDENCE_BYTES
from ..domain.violations import EVIDENCE_PART_BYTES as PART_BYTES
from . import messages as m
from .auth import Credential, LinkError, open_link

log = logging.getLogger("proctor.console")

REQUEST_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class RoomChange:
    """What one message from the service changed. `whole` means: re-read everything."""

    whole: bool
    tickets: tuple[str, ...] = ()
    header: bool = False  # the room's header changed (deadlines, proctors, notices, check lists)
    machines: tuple[str, ...] = ()
    events: tuple[Event, ...] = ()


Listener = Callable[[RoomChange], None]


@dataclass(frozen=True)
class HistoryPage:
    """One page of events, oldest first. The events carry no seq of their own: `cursor` is where
    to ask next (the last row's seq if the page was full, else the log's end when it was read)."""

    events: list[Event]
    next: int | None  # where the next page starts; None: this was the last
    last_seq: int  # the room log's last seq when the page was read

    @property
    def cursor(self) -> int:
        return self.next if self.next is not None else self.last_seq


def header_part(room: dict[str, Any]) -> dict[str, Any]:
    """A snapshot's or a header update's header, as RoomView keeps it: the rows, the alerts and
    the notices are kept apart."""
    return {k: v for k, v in room.items() if k not in ("candidates", "machines", "alerts", "notices")}


@dataclass
class RoomView:
    header: dict[str, Any] = field(default_factory=dict)
    candidates: dict[str, dict[str, Any]] = field(default_factory=dict)  # ticket -> row, in roster order
    machines: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> tile
    alerts: dict[int, dict[str, Any]] = field(default_factory=dict)  # open alerts, by id
    notices: dict[int, dict[str, Any]] = field(default_factory=dict)  # notices to the machines, by number
    seq: int = 0
    connected: bool = False
    _listeners: list[Listener] = field(default_factory=list)

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _emit(self, change: RoomChange) -> None:
        for listener in list(self._listeners):
            listener(change)

    def set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self._emit(RoomChange(whole=False))

    def apply_message(self, msg: m.Snapshot | m.Changed | dict[str, Any]) -> RoomChange:
        if isinstance(msg, dict):  # as decoded JSON: checked against the same schema
            msg = msgspec.convert(msg, m.Snapshot | m.Changed)
        if isinstance(msg, m.Snapshot):
            room = msg.room
            self._set_header(room)
            self.candidates = {c["ticket"]: c for c in room["candidates"]}
            self.machines = {mc["id"]: mc for mc in room["machines"]}
            self.alerts = {a["id"]: a for a in room.get("alerts", ())}
            change = RoomChange(whole=True, events=tuple(msg.events))
        else:
            if msg.header is not None:
                self._set_header(msg.header)
            for row in msg.candidates:
                self.candidates[row["ticket"]] = row
            for row in msg.machines:
                self.machines.setdefault(row["id"], {}).update(row)
            for e in msg.events:
                self._follow_alerts(e)
                if msg.header is None:  # a header brings the notices as they stand
                    self._follow_notices(e)
            change = RoomChange(
                whole=False,
                tickets=tuple(r["ticket"] for r in msg.candidates),
                machines=tuple(r["id"] for r in msg.machines),
                events=tuple(msg.events),
                header=msg.header is not None,
            )
        self.seq = msg.seq
        self._emit(change)
        return change

    def _follow_alerts(self, e: Event) -> None:
        if isinstance(e, AlertRaised):
            self.alerts[e.alert] = {
                "id": e.alert,
                "kind": e.alert_kind.value,
                "at": e.at,
                "ticket": e.ticket,
                "machine": e.machine,
                "detail": e.detail,
                "acknowledged_at": None,
                "acknowledged_by": [],
            }
        elif isinstance(e, AlertAcknowledged):
            self.alerts.pop(e.alert, None)

    def _set_header(self, room: dict[str, Any]) -> None:
        self.header = header_part(room)
        self.notices = {n["number"]: n for n in room.get("notices", ())}

    def _follow_notices(self, e: Event) -> None:
        """As RoomState's NoticeRun.row: an acknowledgement is counted once (the service records
        one per machine); a machine not waited for (an idle spare that joined) is counted in."""
        if isinstance(e, NoticeAcknowledged) and (n := self.notices.get(e.number)) is not None:
            if e.machine in n["waiting"]:
                n["waiting"] = [w for w in n["waiting"] if w != e.machine]
            else:
                n["targets"] += 1
            n["acknowledged"] += 1

    # -- reading --------------------------------------------------------------------------------

    def state_counts(self) -> Counter[str]:
        return Counter(c["state"] for c in self.candidates.values())


class CommandRefused(Exception):
    """The service refused a command: `code`, the `rule` row, what is wrong and what would allow it."""

    def __init__(self, error: m.Error) -> None:
        super().__init__(f"{error.code}: {error.message}")
        self.error = error
        self.code, self.rule = error.code, error.rule
        self.message, self.message_zh = error.message, error.message_zh
        self.allow, self.allow_zh = error.allow or "", error.allow_zh or ""
        self.data = error.data or {}


class EvidenceUnreadable(Exception):
    """A file chosen as evidence that cannot be sent: `zh` says why, for the proctor."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


def read_evidence(path: Path) -> bytes:
    """The file's bytes, or EvidenceUnreadable saying what is wrong with it."""
    try:
        if not path.is_file():
            raise EvidenceUnreadable(f"{path} is not a file", f"{path.name} 不是文件，请选择证据文件")
        size = path.stat().st_size
        if size == 0:
            raise EvidenceUnreadable(f"{path} is empty", f"{path.name} 是空文件，请选择证据文件")
        if size > MAX_EVIDENCE_BYTES:
            mb = MAX_EVIDENCE_BYTES // (1024 * 1024)
            raise EvidenceUnreadable(
                f"{path} is larger than {mb} MB", f"{path.name} 超过 {mb} MB，请压缩后再添加，或以纸质材料附后"
            )
        return path.read_bytes()
    except OSError as exc:
        raise EvidenceUnreadable(
            f"{path} cannot be read: {exc}", f"无法读取 {path.name}：{exc.strerror or exc}"
        ) from None


class NotConnected(Exception):
    """The console has no connection to the room service just now; nothing was sent or done."""


class ConsoleClient:
    """Connects as role "console", keeps `view` current, reconnects after any loss."""

    def __init__(self, url: str, credential: Credential, view: RoomView | None = None) -> None:
        self.url, self.credential = url, credential
        self.view = view or RoomView()
        self.last_error: str | None = None
        self.proctors: tuple[str, ...] = ()  # the room proctors signed in at this console
        self._task: asyncio.Task[None] | None = None
        self._ws: ClientConnection | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}

    def start(self) -> None:
        self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    # -- commands ---------------------------------------------------------------------------------

    async def request(
        self, cmd: Command, timeout: float = REQUEST_TIMEOUT_S, *, by: Sequence[str] | None = None
    ) -> dict[str, Any]:
        """Send a command by the signed-in proctors (or those of them named in `by`); the
        service's result once it is committed. Raises CommandRefused (with the rule) or NotConnected."""
        ws = self._ws
        if ws is None:
            raise NotConnected("not connected to the room service")
        rid = next(self._ids)
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[rid] = fut
        try:
            names = list(self.proctors if by is None else by)
            await ws.send(m.encode(m.Request(id=rid, cmd=cmd, by=names)))
            return await asyncio.wait_for(fut, timeout)
        except (TimeoutError, ConnectionClosed) as exc:
            raise NotConnected(f"no answer from the room service ({type(exc).__name__})") from exc
        finally:
            self._pending.pop(rid, None)

    async def sign_in(self, names: list[str] | tuple[str, ...]) -> dict[str, Any]:
        result = await self.request(SignInProctors(names=tuple(names)))
        self.proctors = tuple(result["names"])
        return result

    async def reveal_id_number(self, ticket: str) -> str:
        """The candidate's whole ID number, for the proctors signed in here; the service records
        that they asked (IdNumberRevealed) and tells no other console the number."""
        result = await self.request(RevealIdNumber(ticket=ticket))
        return str(result["id_number"])

    async def request_authorization(self, tickets: Sequence[str], minutes: int) -> dict[str, Any]:
        """Ask for a provincial code for extra time: the reply's `request` is the request code a
        proctor reads to the office (with `tries_left`, `status`). Raises CommandRefused when
        no code is needed or none can be given (the rule says which)."""
        return await self.request(RequestAuthorization(tickets=tuple(tickets), minutes=minutes))

    async def grant_extra_time(
        self,
        tickets: Sequence[str],
        minutes: int,
        reason: ExtraTimeReason | str,
        *,
        note: str = "",
        request: str | None = None,
        code: str | None = None,
    ) -> dict[str, Any]:
        """Extra time for these candidates (R19-R22). The reply: `ends` and `extra_min` per
        ticket. A refusal's `code` says why (code_required, code_wrong with data["tries_left"],
        code_used, request_locked, ministry_only, own_error, not_answering, …)."""
        return await self.request(
            GrantExtraTime(
                tickets=tuple(tickets),
                minutes=minutes,
                reason=ExtraTimeReason(reason),
                note=note,
                request=request,
                code=code,
            )
        )

    async def check_identity(self, ticket: str, matches: bool, note: str = "") -> dict[str, Any]:
        """R57: the proctors compared the candidate with the photo and ID card."""
        return await self.request(CheckIdentity(ticket=ticket, matches=matches, note=note))

    async def leave_room(self, ticket: str, reason: LeaveReason | str, escort: str, note: str = "") -> dict[str, Any]:
        """暂离, with the proctor sent along."""
        return await self.request(LeaveRoom(ticket=ticket, reason=LeaveReason(reason), escort=escort, note=note))

    async def return_to_room(self, ticket: str, id_checked: bool = True) -> dict[str, Any]:
        """Back from a temporary leave, the ID card checked (R32); the reply says how long it
        lasted (`away_s`)."""
        return await self.request(ReturnToRoom(ticket=ticket, id_checked=id_checked))

    async def add_evidence(self, path: str | Path, name: str | None = None) -> Evidence:
        """Send a file to the room's evidence folder, in parts; what a record attaches. Raises
        EvidenceUnreadable (with words for the proctor) for a file that cannot be sent."""
        data = read_evidence(Path(path))
        digest = hashlib.sha256(data).hexdigest()
        parts = max(1, -(-len(data) // PART_BYTES))
        for i in range(parts):
            chunk = data[i * PART_BYTES : (i + 1) * PART_BYTES]
            reply = await self.request(
                AddEvidence(
                    sha256=digest, size=len(data), part=i, parts=parts, data=base64.b64encode(chunk).decode("ascii")
                )
            )
            if reply.get("stored"):
                break
        return Evidence(name=(name or Path(path).name)[:120], sha256=digest, size=len(data))

    async def record_violation(
        self,
        ticket: str,
        act: ViolationAct | str,
        facts: str,
        confirmed_by: Sequence[str],
        *,
        category: ViolationCategory | str | None = None,
        evidence: Sequence[Evidence] = (),
        amends: int | None = None,
    ) -> dict[str, Any]:
        """违纪记录 (R30, R31); the reply has the record's `number` and `category`."""
        return await self.request(
            RecordViolation(
                ticket=ticket,
                act=ViolationAct(act),
                category=ViolationCategory(category) if category else None,
                facts=facts,
                evidence=tuple(evidence),
                confirmed_by=tuple(confirmed_by),
                amends=amends,
            )
        )

    async def give_up(self, ticket: str, reason: str) -> dict[str, Any]:
        """放弃考试 (R53)."""
        return await self.request(GiveUp(ticket=ticket, reason=reason))

    async def undo_submit(self, ticket: str, reason: str, approved_by: str) -> dict[str, Any]:
        return await self.request(UndoSubmit(ticket=ticket, reason=reason, approved_by=approved_by))

    async def force_submit(self, ticket: str, reason: str, approved_by: str) -> dict[str, Any]:
        return await self.request(ForceSubmit(ticket=ticket, reason=reason, approved_by=approved_by))

    async def send_notice(
        self, text: str, kind: NoticeKind | str = NoticeKind.OTHER, machines: Sequence[str] | None = None
    ) -> dict[str, Any]:
        """通知 to every exam machine of the room, or to `machines`; the reply has its `number`."""
        return await self.request(
            SendNotice(kind=NoticeKind(kind), text=text, machines=tuple(machines) if machines is not None else None)
        )

    async def readiness(self) -> list[dict[str, Any]]:
        """The check list before the start, each item as the room shows it now, with its tick."""
        return list((await self.request(Readiness()))["items"])

    async def tick_readiness(self, item: ReadinessItem | str, note: str = "", code: str = "") -> list[dict[str, Any]]:
        return list((await self.request(TickReadiness(item=ReadinessItem(item), note=note, code=code)))["items"])

    async def closing(self) -> dict[str, Any]:
        """The end-of-exam check list of the sitting to end (`sitting`, `items`, `ended`)."""
        return await self.request(Closing())

    async def tick_closing(self, item: ClosingItem | str) -> dict[str, Any]:
        return await self.request(TickClosing(item=ClosingItem(item)))

    async def end_exam(self) -> dict[str, Any]:
        return await self.request(EndExam())

    async def make_backup(self, folder: str) -> dict[str, Any]:
        """The room's data, encrypted, into `folder` on the proctor machine; the reply has its `path`."""
        return await self.request(MakeBackup(folder=folder))

    async def assign_seat(self, ticket: str) -> str:
        """R34: the free exam machine, chosen at random, to send an arrival to."""
        return str((await self.request(AssignSeat(ticket=ticket)))["machine"])

    # -- start and delayed start --------------------------------------------------------------------

    async def request_delayed_start_code(self, minutes: int) -> dict[str, Any]:
        """Ask for a provincial code for a delayed start of `minutes` after the scheduled start
        (R17): the reply's `request` is the request code a proctor reads to the office."""
        return await self.request(RequestAuthorization(op="delayed_start", minutes=minutes))

    async def delay_start(
        self,
        minutes: int,
        reason: StartDelayReason | str,
        *,
        note: str = "",
        consent: str | None = None,
        request: str | None = None,
        code: str | None = None,
    ) -> dict[str, Any]:
        """Delayed start (R16-R18): the sitting starts `minutes` after its scheduled start. The
        reply: `start`, `end`, `scheduled_start`. A refusal's `code` says why (consent_required,
        code_required, code_wrong with data["tries_left"], ministry_only, already_started,
        start_in_past, no_delay_tiers, …)."""
        return await self.request(
            DelayStart(
                minutes=minutes,
                reason=StartDelayReason(reason),
                note=note,
                consent=consent,
                request=request,
                code=code,
            )
        )

    # -- standalone exam 单机考试 (docs/standalone.md) ------------------------------------------------

    async def export_standalone(
        self, ticket: str, machine: str, chief: str, reason: str, folder: str | Path
    ) -> dict[str, Any]:
        """R25: export the candidate's package for `machine` and write it into `folder` (the USB
        stick). The folder is checked before the export is asked for: once recorded, the
        candidate is fenced from every online machine. The reply gains `path`."""
        out = Path(folder)
        _check_writable(out)
        result = await self.request(ExportStandalone(ticket=ticket, machine=machine, chief=chief, reason=reason))
        data = base64.b64decode(result.pop("package"))
        result["path"] = str(_write_whole(out / result["file_name"], data))
        return result

    async def import_standalone(self, path: str | Path) -> dict[str, Any]:
        """R26: merge the result file at `path`. The reply: `already` (the same result was merged
        before), `ticket`, `saves`, `last_seq`."""
        data = read_result_file(path)
        return await self.request(ImportStandaloneResult(result=data), timeout=60)

    async def write_off_standalone(self, package_id: str, reason: str, by: Sequence[str]) -> dict[str, Any]:
        """R26: record a package as unrecoverable, by the two (or more) proctors in `by`."""
        return await self.request(WriteOffStandalone(package_id=package_id, reason=reason), by=by)

    # Reset (重置)

    async def reset_candidate(
        self,
        ticket: str,
        kind: ResetKind | str,
        machine: str | None,
        reason: ResetReason | str,
        *,
        note: str = "",
    ) -> dict[str, Any]:
        """Reset a candidate (R24): `resume` on the free spare `machine`, or `restart` on their
        own. The reply: `to`, `end` (unchanged) and `last_seq` they go on from. A refusal's `code`
        says why (not_spare, machine_in_use, spare_promised, machine_offline, not_answering, …)."""
        return await self.request(
            ResetCandidate(ticket=ticket, kind=ResetKind(kind), machine=machine, reason=ResetReason(reason), note=note)
        )

    async def lock_console(self) -> dict[str, Any]:
        return await self.request(LockConsole())

    async def unlock_console(self, how: str = "code") -> dict[str, Any]:
        """`how` "code": the console checked its code; "sign_in": two proctors signed in again."""
        return await self.request(UnlockConsole(how="sign_in" if how == "sign_in" else "code"))

    async def unlock_failed(self) -> dict[str, Any]:
        return await self.request(UnlockFailed())

    async def transfer_out(self, ticket: str, reason: str) -> dict[str, Any]:
        """调出 (R35)."""
        return await self.request(TransferOut(ticket=ticket, reason=reason))

    async def transfer_in(self, from_room: str, from_url: str, ticket: str) -> dict[str, Any]:
        """调入: the room service asks `from_room` at `from_url`; the reply has `ticket`, `name`."""
        return await self.request(TransferIn(from_room=from_room, from_url=from_url, ticket=ticket), timeout=30)

    async def resolve_transfer(self, ticket: str, sat: bool, note: str) -> dict[str, Any]:
        """R36: a transfer no room received, settled."""
        return await self.request(ResolveTransfer(ticket=ticket, sat=sat, note=note))

    async def request_slip(self) -> dict[str, Any]:
        """R37: the transfer slip's rows."""
        return await self.request(TransferSlip())

    async def record_remark(self, text: str) -> dict[str, Any]:
        """A remark (备注) for the room report."""
        return await self.request(RecordRemark(text=text))

    async def room_form(self, form: str, incident: int = 0) -> dict[str, Any]:
        """A printed form of the room built from its log: `form` is "report", "violations",
        "transfers" or "incident" (with the incident's number). The reply: `html`, `qr` (image
        name -> the text of its QR code), `title`, `last_seq` (the last event the form holds).
        A name that is no form is refused here (ValueError), before anything is sent."""
        try:
            cmd = msgspec.convert({"form": form, "incident": incident}, RoomForm)
        except msgspec.ValidationError as exc:
            raise ValueError(f"no such room form: {form!r} {incident} ({exc})") from None
        return await self.request(cmd)

    async def stop_exam(self, directed_by: str, reason: str) -> dict[str, Any]:
        return await self.request(StopExam(directed_by=directed_by, reason=reason))

    async def register_choice(self, ticket: str, choice: str) -> dict[str, Any]:
        """R46: the reply counts the choices so far (`retake`, `refund`)."""
        return await self.request(RegisterChoice(ticket=ticket, choice=StopChoice(choice)))

    async def open_incident(self, flow: str, tickets: Sequence[str] = ()) -> dict[str, Any]:
        """An incident walked by the flowchart `flow`; the reply is its row (`number`, `step`, …)."""
        return await self.request(OpenIncident(flow=flow, tickets=tuple(tickets)))

    async def answer_incident(self, number: int, answer: str = "", note: str = "") -> dict[str, Any]:
        """The current step done (`note`: e.g. whom they called); the reply: the row, and `lost_minutes` so far."""
        return await self.request(AnswerIncident(number=number, answer=answer, note=note))

    async def score_drill(self, drill: str) -> dict[str, Any]:
        """演练评分: the drill held against the room's log (proctor.domain.drill.Score.row)."""
        return await self.request(ScoreDrill(drill=drill))

    async def history(
        self, ticket: str | None = None, after: int = 0, limit: int = 200
    ) -> tuple[list[Event], int | None]:
        """One page of the room's events (or a candidate's), oldest first, and where the next
        page starts (None: this was the last)."""
        result = await self.request(History(ticket=ticket, after=after, limit=limit))
        return msgspec.convert(result["events"], list[AnyEvent]), result["next"]

    async def history_page(self, ticket: str | None = None, after: int = 0, limit: int = 200) -> HistoryPage:
        """As `history`, with the seq to continue from: a timeline asks only for what is newer."""
        result = await self.request(History(ticket=ticket, after=after, limit=limit))
        events = msgspec.convert(result["events"], list[AnyEvent])
        return HistoryPage(events, result["next"], int(result.get("last_seq") or after))

    # -- the connection ---------------------------------------------------------------------------

    async def _run(self) -> None:
        backoff = 0.2
        while True:
            try:
                async with open_link(self.url, self.credential, open_timeout=5, max_size=64 * 1024 * 1024) as (
                    ws,
                    first,
                ):
                    backoff = 0.2
                    self._on_message(ws, first)
                    async for raw in ws:
                        self._on_message(ws, m.decode_outgoing(raw))
            except LinkError as exc:  # not the room's service: say so in the proctors' words
                self.last_error = exc.zh
            except (TimeoutError, OSError, ConnectionClosed, InvalidHandshake, InvalidURI) as exc:
                self.last_error = self.last_error or str(exc)
            except Exception as exc:  # a message we could not apply: start over from a snapshot
                log.exception("console link failed; reconnecting")
                self.last_error = str(exc)
            self._ws = None
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(NotConnected("the connection to the room service was lost"))
            self.view.set_connected(False)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 2.0)

    def _on_message(self, ws: ClientConnection, msg: Any) -> None:
        if isinstance(msg, m.Reply):
            fut = self._pending.get(msg.id)
            if fut is not None and not fut.done():
                fut.set_result(msg.result)
        elif isinstance(msg, m.Error):
            fut = self._pending.get(msg.id) if msg.id is not None else None
            if fut is not None:
                if not fut.done():
                    fut.set_exception(CommandRefused(msg))
            else:
                self.last_error = msg.message_zh or msg.message
                log.warning("service refused the console: %s", msg)
        elif isinstance(msg, (m.Snapshot, m.Changed)):
            self.last_error = None
            self.view.apply_message(msg)
            self._ws = ws
            self.view.set_connected(True)


# -- standalone files ---------------------------------------------------------------------------


class FileProblem(Exception):
    """A file or folder the proctors chose that cannot be used: `zh` says why."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


def _check_writable(folder: Path) -> None:
    if not folder.is_dir():
        raise FileProblem(f"{folder}: no such folder", f"文件夹 {folder} 不存在，请插入U盘并选择文件夹")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".proctor-probe-"):
            pass
    except OSError as exc:
        raise FileProblem(f"{folder}: cannot write ({exc})", f"文件夹 {folder} 无法写入，请换一个文件夹或U盘") from None


def _write_whole(path: Path, data: bytes) -> Path:
    """Written beside, flushed to the stick, then moved into place: never half a file."""
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


def read_result_file(path: str | Path) -> bytes:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > RESULT_MAX_BYTES:
            raise FileProblem(f"{p}: {size} bytes, too large for a result", f"文件 {p.name} 过大，不是单机考试作答结果")
        if size == 0:
            raise FileProblem(f"{p}: empty", f"文件 {p.name} 是空文件，不是单机考试作答结果")
        return p.read_bytes()
    except OSError as exc:
        raise FileProblem(f"{p}: cannot read ({exc})", f"无法读取文件 {p}") from None
