"""RoomService: the one owner of a room's state.

Every change takes one path: command -> rule check (proctor.domain) -> events applied and
appended -> committed (group commit, one transaction per loop turn) -> acknowledged ->
published to consoles and exam machines. Nothing else writes state.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import logging
import secrets
import sqlite3
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from . import standalone as files
from .clock import Clock, ExamTime
from .domain import standalone
from .domain.admission import MachineHello, decide_machine_clock, decide_machine_online, resumable, session_digest
from .domain.closing import decide_end_exam, decide_tick_closing
from .domain.closing import readings as closing_readings
from .domain.commands import (
    AcknowledgeAlert,
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
    command_name,
)
from .domain.console_lock import decide_lock, decide_unlock, decide_unlock_failed
from .domain.drill import SCORED_KINDS, Drill, score
from .domain.events import (
    AlertAcknowledged,
    AlertRaised,
    AnswerSaved,
    AuthorizationCodeRejected,
    AuthorizationRequested,
    BackupMade,
    CandidateGaveUp,
    CandidateLoggedIn,
    CandidateReset,
    CandidateSubmitted,
    ClosingTicked,
    ConsoleLocked,
    ConsoleUnlocked,
    ConsoleUnlockFailed,
    DuplicateLoginAttempt,
    Event,
    ExamEnded,
    ExamStopped,
    ExtraTimeGranted,
    FormIssued,
    IdentityChecked,
    IdNumberRevealed,
    IncidentClosed,
    IncidentOpened,
    MachineClockMoved,
    MachineOffline,
    MachineOnline,
    NoticeAcknowledged,
    NoticeSent,
    ProctorsSignedIn,
    ReadinessTicked,
    RemarkRecorded,
    ReturnedToRoom,
    SavesMissing,
    ScheduleShifted,
    SeatAssigned,
    ServiceStarted,
    SittingStarted,
    StandaloneExported,
    StartDelayed,
    SubmissionUndone,
    SubmittedByProctors,
    ViolationRecorded,
)
from .domain.extra_time import decide_grant_extra_time, decide_request_authorization
from .domain.flows import Flow
from .domain.incidents import decide_answer, decide_open, lost_minutes
from .domain.notices import decide_notice_seen, decide_send_notice, pending_for
from .domain.overbooking import decide_assign_seat
from .domain.package import ExamPackage
from .domain.policy import Policy
from .domain.readiness import decide_tick, readings
from .domain.records import decide_check_identity, decide_leave_room, decide_record_remark, decide_return_to_room
from .domain.refusal import Refused
from .domain.reset import (
    decide_login_where_sent,
    decide_machine_dropped,
    decide_reset_candidate,
    decide_resume_refused,
    refuse_if_reset_away,
)
from .domain.room import (
    RoomState,
    State,
    answers_digest,
    canonical_answers,
    check_reported_ack,
    decide_acknowledge_alert,
    decide_answers_damaged,
    decide_clock_step,
    decide_reported_ack,
    decide_reveal_id_number,
    decide_save,
    decide_sign_in_proctors,
    decide_submit,
    due_events,
    next_due,
)
from .domain.start import decide_delay_start
from .domain.stopping import decide_register_choice, decide_stop
from .domain.submissions import decide_force_submit, decide_give_up, decide_undo_submit
from .domain.transfers import (
    Claimed,
    check_can_receive,
    decide_claim,
    decide_resolve,
    decide_transfer_in,
    decide_transfer_out,
    slip,
)
from .domain.violations import decide_record_violation
from .report.content import RoomReport, build
from .report.render import QR_DIGEST, digest_text, form_html, form_title
from .store import EventLog, LogRefused, StoredEvent
from .store.backup import BackupRefused, write_backup
from .store.evidence import EvidenceRefused, EvidenceStore, Uploads
from .store.walsync import SyncFailed

log = logging.getLogger("proctor.service")

GROUP_COMMIT_MAX = 256  # changes waiting (a save is one) that commit at once, growing or not
GROUP_COMMIT_WAIT_S = 0.001  # how long a growing batch may wait for more
QUIET_DISK_S = 0.001  # a log synced apart: after this long with no sync, a save commits in its own turn
CLOSE_SYNC_WAIT_S = 10.0  # how long closing waits for the syncs of what was committed
SLOW_COMMIT_MS = 10.0  # a commit this long holds up every save that waits on the loop behind it


class CommitTimes:
    """How the log's commits went since the service started, for whoever measures the room
    (`holdings?`): a commit whose wall time is far above its CPU time waited for the disk's sync,
    and every save behind it waited as long. The wall time runs from the commit's start until
    its saves can be acknowledged; `sync` is the part after it was written (the sync process's
    answer, behind any sync under way), 0 for a commit that synced itself."""

    KEEP = 20  # the latest slow commits kept, each (at, wall ms, cpu ms, changes, sync ms)

    def __init__(self) -> None:
        self.commits = 0
        self.slow = 0
        self.latest: deque[tuple[float, float, float, int, float]] = deque(maxlen=self.KEEP)

    def add(self, at: float, wall_s: float, cpu_s: float, changes: int, sync_s: float = 0.0) -> None:
        self.commits += 1
        wall_ms = wall_s * 1000
        if wall_ms >= SLOW_COMMIT_MS:
            self.slow += 1
            self.latest.append((at, round(wall_ms, 2), round(cpu_s * 1000, 2), changes, round(sync_s * 1000, 2)))

    def figures(self) -> dict[str, Any]:
        """`at` is the monotonic clock's (time.monotonic), which other processes of the machine share."""
        return {
            "commits": self.commits,
            "slow_ms": SLOW_COMMIT_MS,
            "slow": self.slow,
            "latest": list(map(list, self.latest)),
        }


@dataclass(slots=True)
class _Change:
    """Events decided and applied, waiting for their commit: what the commit's future gives
    whoever awaits it, and `then`, called as soon as they are durable (None) or cannot be (the
    error), inside the turn that learns it."""

    events: list[Event]
    answers: Mapping[str, bytes] | None
    done: asyncio.Future[list[StoredEvent]]
    then: Callable[[BaseException | None], None] | None = None


_Batch = list[_Change]


@dataclass(frozen=True)
class _Written:
    """A batch committed to the log and waiting for its sync: what waits on it, and its cost."""

    batch: _Batch
    stored: list[StoredEvent]
    began: float  # perf_counter at the start of its commit
    cpu_s: float
    written: float  # perf_counter once written


@dataclass(frozen=True)
class RoomUpdate:
    """What one committed batch changed, for consoles: the events as logged, and either the
    whole room (`room`, when an event touches all of it) or the rows of exactly the candidates
    and machines the events name."""

    seq: int
    events: list[StoredEvent]
    room: dict[str, Any] | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)
    machines: list[dict[str, Any]] = field(default_factory=list)
    header: dict[str, Any] | None = None  # the room's header, when an event changed it


ConsoleListener = Callable[[RoomUpdate], None]
MachineListener = Callable[[str, dict[str, Any]], None]
Handler = Callable[[Any, tuple[str, ...]], Awaitable[dict[str, Any]]]


class RoomService:
    def __init__(
        self,
        package: ExamPackage,
        policy: Policy,
        log_: EventLog,
        clock: Clock,
        *,
        scale: float = 1.0,
        first_start_at: float | None = None,
        flows: Mapping[str, Flow] | None = None,
        drills: Mapping[str, Drill] | None = None,
    ) -> None:
        self.package = package
        self.policy = policy
        self.log = log_
        self.clock = clock
        self.time = ExamTime(clock, scale)
        self.room = RoomState(package, policy)
        self.room.flows = dict(flows or {})  # before the log is replayed: incidents' timers read them
        self.drills = dict(drills or {})
        self._first_start_at = first_start_at
        self._pending: _Batch = []
        self._flush_scheduled = False
        self._gathered, self._gather_until = 0, 0.0  # the batch's size at the last turn, and how long it may grow
        self.commit_times = CommitTimes()
        self._syncing: list[_Written] = []  # committed, each waiting for the answer to its sync's ask
        self._settled = asyncio.Event()  # nothing committed waits for a sync
        self._settled.set()
        self._quiet_after = 0.0  # when the disk's last sync is long enough ago for a save to commit at once
        self._consoles: list[ConsoleListener] = []
        self._machine_listeners: list[MachineListener] = []
        self._last_seen: dict[str, float] = {}
        # Saves decided and not yet committed: their digest, and the commit to wait for.
        self._unflushed: dict[tuple[int, str, int], tuple[str, asyncio.Future[list[StoredEvent]]]] = {}
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.evidence = Uploads(EvidenceStore.beside(log_.path))
        # How this room asks another room of the site for a candidate it transferred out (调入):
        # (url, from_room, ticket) -> the candidate; set by whoever runs the room (proctor.host).
        self.claim_from: Callable[[str, str, str], Awaitable[dict[str, Any]]] | None = None
        self.failed: BaseException | None = None
        self.failed_event = asyncio.Event()  # whoever runs the service restarts it on this
        self._report_lock = asyncio.Lock()  # one room form built at a time, whoever asks
        # The console commands: one table, read by the link server and the `proctor do` command.
        self.commands: dict[type[Command], Handler] = {
            SignInProctors: self._sign_in_proctors,
            AcknowledgeAlert: self._acknowledge_alert,
            RevealIdNumber: self._reveal_id_number,
            History: self._history,
            RequestAuthorization: self._request_authorization,
            GrantExtraTime: self._grant_extra_time,
            CheckIdentity: self._check_identity,
            LeaveRoom: self._leave_room,
            ReturnToRoom: self._return_to_room,
            AddEvidence: self._add_evidence,
            RecordViolation: self._record_violation,
            GiveUp: self._give_up,
            UndoSubmit: self._undo_submit,
            ForceSubmit: self._force_submit,
            SendNotice: self._send_notice,
            Readiness: self._readiness,
            TickReadiness: self._tick_readiness,
            Closing: self._closing,
            TickClosing: self._tick_closing,
            EndExam: self._end_exam,
            MakeBackup: self._make_backup,
            AssignSeat: self._assign_seat,
            DelayStart: self._delay_start,
            ExportStandalone: self._export_standalone,
            ImportStandaloneResult: self._import_standalone,
            WriteOffStandalone: self._write_off_standalone,
            ResetCandidate: self._reset_candidate,
            LockConsole: self._lock_console,
            UnlockConsole: self._unlock_console,
            UnlockFailed: self._unlock_failed,
            TransferOut: self._transfer_out,
            TransferIn: self._transfer_in,
            ResolveTransfer: self._resolve_transfer,
            TransferSlip: self._transfer_slip,
            RoomForm: self._room_form,
            RecordRemark: self._record_remark,
            StopExam: self._stop_exam,
            RegisterChoice: self._register_choice,
            OpenIncident: self._open_incident,
            AnswerIncident: self._answer_incident,
            ScoreDrill: self._score_drill,
        }

    # -- life ---------------------------------------------------------------------------------

    def now(self) -> float:
        """Exam time (epoch seconds): what schedules and rules read."""
        return self.time.now()

    async def open(self) -> None:
        """Replay the log, continue exam time from it, and record this start (and a rehearsal's
        schedule shift, once)."""
        self.log.bind_package(self.package.fingerprint)
        fresh = self.log.last_seq == 0
        for se in self.log.replay():
            self.room.apply(se.event)
        anchor, floor = self.room.clock_anchor, self.room.last_event_at
        mark = self.log.time_mark()
        if mark is not None and anchor is not None and mark.exam > anchor.exam:
            anchor = mark  # more recent than the last anchor event
            floor = max(floor or mark.exam, mark.exam)
        stepped_back = self.time.resume(anchor, floor)
        now = self.now()
        first: list[Event] = [
            ServiceStarted(at=now, package=self.package.fingerprint, wall=self.time.wall(), scale=self.time.scale)
        ]
        if fresh and self._first_start_at is not None:
            by = self._first_start_at - self.package.sittings[0].start
            first.append(ScheduleShifted(at=now, by_s=by, reason="rehearsal"))
        await self.commit(first)
        if stepped_back is not None:
            log.warning("the wall clock went back %.0f s while the service was down", -stepped_back)
            await self.commit(decide_clock_step(self.room, stepped_back, self.time.wall(), now))
        self._tasks = [
            asyncio.create_task(self._run_schedule(), name="schedule"),
            asyncio.create_task(self._run_watch(), name="watch"),
        ]

    async def close(self) -> None:
        for t in self._tasks:
            t.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        # What was committed is acknowledged before the log closes (a sync stuck on a dead disk
        # is given up on: those saves were not acknowledged, and their machines resend them).
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._settled.wait(), CLOSE_SYNC_WAIT_S)
        if self.log.syncer is not None:
            asyncio.get_running_loop().remove_reader(self.log.syncer.fileno())

    # -- the one write path ---------------------------------------------------------------------

    async def commit(self, events: list[Event], answers: Mapping[str, bytes] | None = None) -> list[StoredEvent]:
        """Apply now (so the next check sees it), acknowledge after the batch's commit."""
        return await self._queue(events, answers)

    def _queue(
        self,
        events: list[Event],
        answers: Mapping[str, bytes] | None = None,
        then: Callable[[BaseException | None], None] | None = None,
    ) -> asyncio.Future[list[StoredEvent]]:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[list[StoredEvent]] = loop.create_future()
        if self.failed is not None:
            self._fail(
                [_Change(events, answers, fut, then)], RuntimeError("the event log failed; the service must restart")
            )
            return fut
        if not events:
            fut.set_result([])
            return fut
        for e in events:
            self.room.apply(e)
        self._pending.append(_Change(events, answers, fut, then))
        if self._flush_scheduled:
            return fut
        if self.log.syncer is not None and not self._syncing and loop.time() >= self._quiet_after:
            # The disk has been idle a while (not in a burst): its sync starts now, a turn
            # sooner. In a burst, what a turn decides commits together at the next.
            self._flush()
        else:
            self._flush_scheduled = True
            self._gather_until = loop.time() + GROUP_COMMIT_WAIT_S
            loop.call_soon(self._flush)
        return fut

    async def _decide(
        self, decide: Callable[[], list[Event]], answers: Mapping[str, bytes] | None = None
    ) -> list[StoredEvent]:
        """Run a rule check and commit what it decides; a refusal's own record is committed
        before the refusal goes back to whoever asked."""
        return await self.commit(await self._refuse_or(decide), answers)

    async def _refuse_or(self, decide: Callable[[], list[Event]]) -> list[Event]:
        try:
            return decide()
        except Refused as r:
            await self._record(r)
            raise

    async def _record(self, refused: Refused) -> None:
        if refused.record:
            await self.commit(refused.record)

    def _flush(self) -> None:
        # A commit that syncs on the loop costs an fsync, far more than one more save in it (~250
        # against ~50 us of CPU here): while each turn of the loop brings more (a burst), wait
        # another turn, within bounds. A lone save waits one turn. A commit synced apart commits
        # what the last turn decided: asks that come while the disk syncs share the next sync, and
        # every turn waited would hold up every save in the batch by a turn of the burst.
        loop = asyncio.get_running_loop()
        n = len(self._pending)
        if (
            self.log.syncer is None
            and n != self._gathered
            and n < GROUP_COMMIT_MAX
            and loop.time() < self._gather_until
        ):
            self._gathered = n
            loop.call_soon(self._flush)
            return
        self._flush_scheduled = False
        self._gathered = 0
        batch, self._pending = self._pending, []
        if self.failed is not None:  # a sync failed while this batch gathered
            self._fail(batch, self.failed)
            return
        answers: dict[str, bytes] = {}
        for c in batch:
            if c.answers:
                answers.update(c.answers)
        changes = [e for c in batch for e in c.events]
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            stored = self.log.append(changes, answers, sync=False)
        except BaseException as exc:  # disk full, I/O error: memory is ahead of the log now
            self._fail(batch, exc)
            return
        written = _Written(batch, stored, wall, time.thread_time() - cpu, time.perf_counter())
        syncer = self.log.syncer
        if syncer is None:  # this log's commits sync themselves
            self._acknowledge(written)
            return
        # The disk's wait off the loop: the sync process syncs what was written before each ask
        # (asks that wait while it syncs share its next sync), and answers each ask in order. So
        # the loop reads, checks and writes the next saves while the disk syncs the last ones; a
        # save is acknowledged, and published, once a sync asked after its commit returned.
        if not self._syncing:
            asyncio.get_running_loop().add_reader(syncer.fileno(), self._synced)
            self._settled.clear()
        self._syncing.append(written)
        try:
            syncer.ask()
        except SyncFailed as exc:
            self._sync_failed(exc)

    def _synced(self) -> None:
        syncer = self.log.syncer
        assert syncer is not None
        try:
            done = syncer.done()
        except SyncFailed as exc:
            self._sync_failed(exc)
            return
        self._acknowledge_synced(done)

    def _look_for_syncs(self) -> None:
        # A sync's answer is read between any two messages, not only when the loop next polls
        # its pipe: in a burst, a turn of the loop runs the handlers of many sockets (~4 ms),
        # and every save of a synced commit would wait for all of them.
        if self._syncing:
            syncer = self.log.syncer
            assert syncer is not None
            self._acknowledge_synced(syncer.synced())

    def _acknowledge_synced(self, done: int) -> None:
        if not done:
            return
        synced, self._syncing = self._syncing[:done], self._syncing[done:]
        if not self._syncing:
            assert self.log.syncer is not None
            loop = asyncio.get_running_loop()
            loop.remove_reader(self.log.syncer.fileno())
            self._settled.set()
            self._quiet_after = loop.time() + QUIET_DISK_S
        for w in synced:
            self._acknowledge(w)

    def _sync_failed(self, exc: SyncFailed) -> None:
        # After a failed fsync, what the OS still holds cannot be trusted: nothing unsynced is
        # acknowledged, and the service stops for a restart (which reads what the disk has).
        if self.log.syncer is not None:
            asyncio.get_running_loop().remove_reader(self.log.syncer.fileno())
        waiting = [f for w in self._syncing for f in w.batch]
        self._syncing = []
        self._fail(waiting, exc)
        self._settled.set()

    def _acknowledge(self, w: _Written) -> None:
        now = time.perf_counter()
        self.commit_times.add(time.monotonic(), now - w.began, w.cpu_s, len(w.stored), now - w.written)
        i = 0
        for c in w.batch:
            if not c.done.done():
                c.done.set_result(w.stored[i : i + len(c.events)])
            if c.then is not None:
                _tell(c.then, None)
            i += len(c.events)
        self._publish(w.stored)
        if any(_moves_schedule(se.event) for se in w.stored):
            self._wake.set()

    def _fail(self, batch: _Batch, exc: BaseException) -> None:
        if self.failed is None:
            log.critical("the event log failed: %s", exc)
            self.failed = exc
            self.failed_event.set()
        for c in batch:
            if not c.done.done():
                c.done.set_exception(exc)
            if c.then is not None:
                c.done.exception()  # `then` is told; whoever else waits on it sees it too
                _tell(c.then, exc)

    def _publish(self, stored: list[StoredEvent]) -> None:
        if self._consoles:
            update = self._update_for_consoles(stored)
            for listener in list(self._consoles):
                listener(update)
        if self._machine_listeners:
            for machine, state in self._machine_pushes(stored):
                for listener in list(self._machine_listeners):
                    listener(machine, state)

    def _update_for_consoles(self, stored: list[StoredEvent]) -> RoomUpdate:
        seq = stored[-1].seq
        if any(se.event.room_wide for se in stored):
            return RoomUpdate(seq, stored, room=self.room_snapshot())
        tickets: dict[str, None] = {}
        machines: dict[str, None] = {}
        for se in stored:
            tickets.update(dict.fromkeys(se.event.tickets))
            machines.update(dict.fromkeys(se.event.machines))
        s = self.room.shown_sitting
        header = (
            {**self.room.header(), "now": self.now(), "scale": self.time.scale}
            if any(se.event.header_wide for se in stored)
            else None
        )
        return RoomUpdate(
            seq,
            stored,
            candidates=[self.room.candidate_row(s, s.candidates[t]) for t in tickets if t in s.candidates],
            machines=[self.room.machine_row(m) for m in machines if m in self.room.machines],
            header=header,
        )

    def _machine_pushes(self, stored: list[StoredEvent]) -> list[tuple[str, dict[str, Any]]]:
        out = []
        for se in stored:
            e = se.event
            if isinstance(e, NoticeSent):
                notice = {"t": "notice", **self.room.notices[e.number].message()}
                out += [(machine, notice) for machine in e.targets]
                continue
            if isinstance(e, StartDelayed):
                out += self._delay_pushes(e)
                continue
            if isinstance(e, StandaloneExported) and e.previous:  # standalone exam: the old machine stops
                s = self.room.sitting_no(e.sitting)
                out.append(
                    (e.previous, {"ticket": e.ticket, "state": "standalone", "end": s.end_of(s.candidates[e.ticket])})
                )
                continue
            if isinstance(e, CandidateReset):  # the machine left behind shows it was reset (R24)
                out += self._reset_push(e)
                continue
            if not isinstance(e, (SittingStarted, ExtraTimeGranted, *_ENDS_AT_MACHINE, SubmissionUndone)):
                continue
            s = self.room.sitting_no(e.sitting)
            for t in e.tickets or tuple(s.candidates):
                c = s.candidates[t]
                if c.machine and (isinstance(e, _ENDS_AT_MACHINE) or c.state is State.ANSWERING):
                    out.append((c.machine, {"ticket": t, "state": c.state.value, "end": s.end_of(c)}))
        return out

    # -- subscriptions --------------------------------------------------------------------------

    def subscribe_console(self, listener: ConsoleListener) -> None:
        self._consoles.append(listener)

    def room_snapshot(self) -> dict[str, Any]:
        # The exam clock rides along so a console shows the same time as the rules use.
        return {**self.room.snapshot(), "now": self.now(), "scale": self.time.scale}

    def unsubscribe_console(self, listener: ConsoleListener) -> None:
        if listener in self._consoles:
            self._consoles.remove(listener)

    def listen_machines(self, listener: MachineListener) -> None:
        self._machine_listeners.append(listener)

    # -- commands from exam machines --------------------------------------------------------------

    async def record_refusal(self, decide: Callable[[float], Refused]) -> Refused:
        """A refusal decided at the door (unknown machine, failed proof, clash), its own record
        committed before it goes back."""
        refused = decide(self.now())
        await self._record(refused)
        return refused

    async def machine_connected(
        self,
        machine: str,
        *,
        peer: str = "",
        clock: float | None = None,
        internet: bool | None = None,
        removable_media: bool | None = None,
        resume: tuple[str, str, int] | None = None,
    ) -> tuple[dict[str, Any], str | None]:
        """A machine proved who it is. Returns its welcome and the candidate it continues with,
        if `resume` (ticket, session token, highest acknowledged seq) is that candidate's login
        on this machine."""
        now = self.now()
        hello = MachineHello(
            peer=peer,
            clock_skew_s=None if clock is None else clock - self.time.wall(),
            internet=internet,
            removable_media=removable_media,
        )
        if resume is not None and self.room.sitting is not None:
            check_reported_ack(self.room, resume[0], resume[2])  # before anything is recorded
        await self._decide(lambda: decide_machine_online(self.room, machine, now, hello))
        self._last_seen[machine] = self.clock.monotonic()
        s = self.room.sitting
        info = None
        bound = None
        if s is not None and resume is not None and not resumable(self.room, machine, *resume[:2]):
            await self.commit(decide_resume_refused(self.room, machine, resume[0], self.now()))  # R24
        if s is not None and resume is not None and resumable(self.room, machine, resume[0], resume[1]):
            bound = resume[0]
            if resume[2]:
                await self._decide(lambda: decide_reported_ack(self.room, machine, bound, resume[2], self.now()))
            c = s.candidates[bound]
            info = {"ticket": bound, "state": c.state.value, "last_seq": c.last_seq, "end": s.end_of(c)}
        welcome = {
            "room": self.package.room,
            "now": now,
            "sitting": self.room.sitting_header(s) if s else None,
            "resume": info,
            "notices": pending_for(self.room, machine),  # what it missed while away
        }
        return welcome, bound

    async def machine_seen(self, machine: str, *, clock: float | None = None) -> None:
        """A sign of life; a machine that fell silent but kept its connection comes back online.
        `clock`: its own wall clock, if the heartbeat says it (R59). Every save and heartbeat
        passes here: what the disk has synced meanwhile is acknowledged first."""
        self._look_for_syncs()
        self._last_seen[machine] = self.clock.monotonic()
        skew = None if clock is None else clock - self.time.wall()
        if not self.room.machines[machine].online:
            hello = MachineHello(clock_skew_s=skew)
            await self._decide(lambda: decide_machine_online(self.room, machine, self.now(), hello))
        elif skew is not None:
            await self._decide(lambda: decide_machine_clock(self.room, machine, self.now(), skew))

    async def machine_disconnected(self, machine: str, reason: str = "disconnected") -> None:
        self._last_seen.pop(machine, None)
        await self.commit(decide_machine_dropped(self.room, machine, self.now(), reason))

    async def notice_seen(self, machine: str, number: int) -> None:
        await self._decide(lambda: decide_notice_seen(self.room, machine, number, self.now()))

    async def login(self, machine: str, ticket: str, id_number: str, *, acked: int = 0) -> dict[str, Any]:
        """R06. The machine gets a session token: with it, and only with it, a reconnect resumes
        this candidate. `acked`: the highest seq the machine had acknowledged for them."""
        now = self.now()
        check_reported_ack(self.room, ticket, acked)  # before the login, so a refusal undoes nothing
        token = secrets.token_urlsafe(24)
        await self._decide(
            lambda: decide_login_where_sent(self.room, machine, ticket, id_number, now, session=session_digest(token))
        )
        if acked:
            await self._decide(lambda: decide_reported_ack(self.room, machine, ticket, acked, self.now()))
        s = self.room.sitting
        assert s is not None
        c = s.candidates[ticket]
        last = self.log.latest_answer(s.number, ticket)
        if last is not None and last.damaged:
            log.error("answers of %s on disk do not match the chain at seq %s", ticket, last.damaged)
            await self.commit(decide_answers_damaged(self.room, machine, ticket, last.damaged, self.now()))
        row = self.room.candidate_row(s, c)
        return {
            "candidate": {k: row[k] for k in ("ticket", "name", "gender", "id_masked", "seat")},
            "state": c.state.value,
            "end": s.end_of(c),
            "start": s.start,
            "session": token,
            "last_seq": c.last_seq,  # where to go on from (above what the log holds after SavesMissing)
            "answers": last.answers if last else None,
        }

    async def save(
        self,
        machine: str,
        ticket: str,
        seq: int,
        answers: Any,
        answered: int | None,
        then: Callable[[BaseException | None], None] | None = None,
    ) -> bool | None:
        """Returns True when the save was a resend of one already held, False once a new save is
        durable; or, given `then`, None as soon as a new save is decided, and `then` is called
        once it is durable (with None) or cannot be (with the error): so whoever acknowledges it
        does so in the turn that commits it, and reads its next message meanwhile."""
        await self.machine_seen(machine)
        canonical = canonical_answers(answers)
        digest = answers_digest(canonical)
        now = self.now()
        s = self.room.sitting
        c = s.candidates.get(ticket) if s else None
        key = (s.number if s else 0, ticket, seq)
        pending = self._unflushed.get(key)
        held = None
        if c is not None and seq <= c.last_seq:  # a resend: compare with what is held
            held = pending[0] if pending else self.log.answer_digest(*key)

        def decide() -> list[Event]:
            refuse_if_reset_away(self.room, machine, ticket, now)  # R24: a fenced machine saves nothing
            return decide_save(self.room, machine, ticket, seq, digest, answered, now, held=held)

        events = await self._refuse_or(decide)
        if not events:
            if pending is not None:  # the same save, not on disk yet: acknowledged once it is
                await asyncio.shield(pending[1])
            return True

        def committed(exc: BaseException | None) -> None:
            self._unflushed.pop(key, None)
            if then is not None:
                then(exc)

        commit = self._queue(events, {digest: canonical}, committed)
        if not commit.done():  # (done already when the log has failed)
            self._unflushed[key] = (digest, commit)
        if then is not None:
            return None
        await commit
        return False

    async def submit(self, machine: str, ticket: str) -> None:
        now = self.now()

        def decide() -> list[Event]:
            refuse_if_reset_away(self.room, machine, ticket, now)  # R24
            return decide_submit(self.room, machine, ticket, now)

        await self._decide(decide)

    async def holdings_read_apart(self) -> dict[str, dict[str, list[int]]]:
        """`EventLog.holdings`, as committed, read on a connection and a thread of their own: it scans
        every save in the log (0.3 s at 100,000), which must not stop the loop."""

        def read() -> dict[str, dict[str, list[int]]]:
            with EventLog(self.log.path, readonly=True) as reader:
                return reader.holdings()

        return await asyncio.to_thread(read)

    # -- commands from consoles ---------------------------------------------------------------------

    async def execute(self, cmd: Command, by: tuple[str, ...]) -> dict[str, Any]:
        """A console's command, by the signed-in proctors named in `by`: checked, recorded with
        their names, answered after the commit. Queries need no names."""
        handler = self.commands.get(type(cmd))
        if handler is None:
            raise Refused("unknown_command", f"no command {command_name(cmd)!r}", "没有此操作")
        if not cmd.reads_only and not isinstance(cmd, SignInProctors):
            signed_in = set(self.room.proctors)
            if not by or not set(by) <= signed_in:
                raise Refused(
                    "not_signed_in",
                    "every operation is recorded with the names of the room proctors signed in at the console",
                    "每项操作都记录监考员姓名：请先在监考机上签到",
                    allow_en="the room proctors sign in at the console",
                    allow_zh="监考员在监考机上签到后再操作",
                    signed_in=sorted(signed_in),
                )
        return await handler(cmd, by)

    async def _sign_in_proctors(self, cmd: SignInProctors, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_sign_in_proctors(self.room, cmd.names, now))
        return {"seq": stored[-1].seq, "names": list(self.room.proctors)}

    async def _acknowledge_alert(self, cmd: AcknowledgeAlert, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_acknowledge_alert(self.room, cmd.alert, by, now))
        return {"seq": stored[-1].seq}

    async def _reveal_id_number(self, cmd: RevealIdNumber, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_reveal_id_number(self.room, cmd.ticket, by, now))
        person = self.package.candidate(cmd.ticket)
        assert person is not None  # the rule check refused an unknown ticket
        # Only this reply carries the whole number: the event and what consoles get do not.
        return {"seq": stored[-1].seq, "ticket": cmd.ticket, "id_number": person.id_number}

    async def _request_authorization(self, cmd: RequestAuthorization, by: tuple[str, ...]) -> dict[str, Any]:
        """The reply's `request` is what a proctor reads to the provincial office."""
        for _ in range(3):  # a new nonce if the request code is taken (one in 10**8)
            nonce = secrets.token_hex(8)
            try:
                events = decide_request_authorization(
                    self.room, cmd.op, cmd.tickets or (), cmd.minutes, by, self.now(), nonce
                )
            except Refused as r:
                if r.code == "request_clash":
                    continue
                raise
            stored = await self.commit(events)
            asked = stored[-1].event
            assert isinstance(asked, AuthorizationRequested)
            return {"seq": stored[-1].seq, **self.room.requests[asked.request].row()}
        raise Refused("request_clash", "request code in use; ask again", "申请码重复，请重新申请")

    async def _grant_extra_time(self, cmd: GrantExtraTime, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(
            lambda: decide_grant_extra_time(
                self.room,
                cmd.tickets,
                cmd.minutes,
                cmd.reason,
                by,
                now,
                note=cmd.note,
                request=cmd.request,
                code=cmd.code,
            )
        )
        granted = stored[-1].event
        assert isinstance(granted, ExtraTimeGranted)
        s = self.room.sitting_no(granted.sitting)
        ends = {t: s.end_of(s.candidates[t]) for t in cmd.tickets}
        totals = {t: s.candidates[t].extra_min for t in cmd.tickets}
        return {"seq": stored[-1].seq, "ends": ends, "extra_min": totals}

    # -- room records (proctor.domain.records) ----------------------------------------------------

    async def _check_identity(self, cmd: CheckIdentity, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(
            lambda: decide_check_identity(self.room, cmd.ticket, cmd.matches, cmd.note, by, now)
        )
        return {"seq": stored[-1].seq}

    async def _leave_room(self, cmd: LeaveRoom, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(
            lambda: decide_leave_room(self.room, cmd.ticket, cmd.reason, cmd.note, cmd.escort, by, now)
        )
        return {"seq": stored[-1].seq}

    async def _return_to_room(self, cmd: ReturnToRoom, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_return_to_room(self.room, cmd.ticket, cmd.id_checked, by, now))
        back = stored[-1].event
        assert isinstance(back, ReturnedToRoom)
        return {"seq": stored[-1].seq, "away_s": back.at - back.left_at}

    # -- violations (proctor.domain.violations) ---------------------------------------------------

    async def _add_evidence(self, cmd: AddEvidence, by: tuple[str, ...]) -> dict[str, Any]:
        try:
            data = base64.b64decode(cmd.data, validate=True)
        except binascii.Error:
            raise Refused("evidence_parts", "a part is not base64", "证据文件分段有误，请重新添加") from None
        try:
            # A file write on the loop: at most 96 KiB a part, and the whole file fsynced once.
            done = self.evidence.add(cmd.sha256, cmd.size, cmd.part, cmd.parts, data)
        except EvidenceRefused as no:
            raise Refused(no.code, no.en, no.zh) from None
        except OSError as exc:
            log.error("evidence file not written: %s", exc)
            raise Refused(
                "evidence_not_kept",
                f"the file could not be kept: {exc}",
                "证据文件无法保存（磁盘错误），请联系技术人员",
            ) from None
        return {"sha256": cmd.sha256, "stored": done}

    async def _record_violation(self, cmd: RecordViolation, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        held = self.evidence.store.held()
        stored = await self._decide(
            lambda: decide_record_violation(
                self.room,
                cmd.ticket,
                cmd.act,
                cmd.category,
                cmd.facts,
                cmd.evidence,
                cmd.confirmed_by,
                by,
                now,
                amends=cmd.amends,
                held=held,
            )
        )
        recorded = stored[-1].event
        assert isinstance(recorded, ViolationRecorded)
        return {"seq": stored[-1].seq, "number": recorded.number, "category": recorded.category.value}

    # -- leaving and submissions (proctor.domain.submissions) -------------------------------------

    async def _give_up(self, cmd: GiveUp, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_give_up(self.room, cmd.ticket, cmd.reason, by, now))
        return {"seq": stored[-1].seq}

    async def _undo_submit(self, cmd: UndoSubmit, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(
            lambda: decide_undo_submit(self.room, cmd.ticket, cmd.reason, cmd.approved_by, by, now)
        )
        return {"seq": stored[-1].seq}

    async def _force_submit(self, cmd: ForceSubmit, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(
            lambda: decide_force_submit(self.room, cmd.ticket, cmd.reason, cmd.approved_by, by, now)
        )
        return {"seq": stored[-1].seq}

    # -- notices (proctor.domain.notices) ---------------------------------------------------------

    async def _send_notice(self, cmd: SendNotice, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_send_notice(self.room, cmd.kind, cmd.text, cmd.machines, by, now))
        sent = stored[-1].event
        assert isinstance(sent, NoticeSent)
        online = sum(1 for t in sent.targets if self.room.machines[t].online)
        return {"seq": stored[-1].seq, "number": sent.number, "targets": len(sent.targets), "online": online}

    # -- the room check list before the start (proctor.domain.readiness) --------------------------

    async def _readiness(self, cmd: Readiness, by: tuple[str, ...]) -> dict[str, Any]:
        return {"items": readings(self.room, self.now())}

    async def _tick_readiness(self, cmd: TickReadiness, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_tick(self.room, cmd.item, cmd.note, by, now, code=cmd.code))
        return {"seq": stored[-1].seq, "items": readings(self.room, self.now())}

    # -- the end of the exam (proctor.domain.closing) ----------------------------------------------

    async def _closing(self, cmd: Closing, by: tuple[str, ...]) -> dict[str, Any]:
        return closing_readings(self.room)

    async def _tick_closing(self, cmd: TickClosing, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_tick_closing(self.room, cmd.item, by, now))
        return {"seq": stored[-1].seq, **closing_readings(self.room)}

    async def _end_exam(self, cmd: EndExam, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_end_exam(self.room, by, now))
        ended = stored[-1].event
        assert isinstance(ended, ExamEnded)
        return {"seq": stored[-1].seq, "sitting": ended.sitting, "facts": list(ended.facts)}

    async def _make_backup(self, cmd: MakeBackup, by: tuple[str, ...]) -> dict[str, Any]:
        """R15/R56: the copy and the encryption run in a thread: the room goes on meanwhile."""
        s = next((x for x in reversed(self.room.sittings) if x.number in self.room.sitting_ended_at), None)
        if s is None:
            raise Refused("not_ended", "back up after a sitting has ended", "考试结束后再备份考试数据", rule="R15")
        try:
            written = await asyncio.to_thread(
                write_backup,
                self.log.path,
                self.evidence.store.folder,
                Path(cmd.folder),
                self.package.room_key,
                room=self.package.room,
                sitting=s.number,
                at=self.now(),
            )
        except BackupRefused as no:
            raise Refused("backup_failed", no.en, no.zh, rule="R15") from None
        made = BackupMade(
            at=self.now(), sitting=s.number, path=str(written.path), sha256=written.sha256, size=written.size, by=by
        )
        stored = await self.commit([made])
        return {"seq": stored[-1].seq, "path": str(written.path), "sha256": written.sha256, "size": written.size}

    # -- overbooked rooms (proctor.domain.overbooking) --------------------------------------------

    async def _assign_seat(self, cmd: AssignSeat, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        rng = secrets.SystemRandom()
        stored = await self._decide(lambda: decide_assign_seat(self.room, cmd.ticket, by, now, rng.choice))
        seated = stored[-1].event
        assert isinstance(seated, SeatAssigned)
        return {"seq": stored[-1].seq, "ticket": cmd.ticket, "machine": seated.machine}

    # -- start and delayed start (proctor.domain.start) -------------------------------------------------

    async def _delay_start(self, cmd: DelayStart, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(
            lambda: decide_delay_start(
                self.room,
                cmd.minutes,
                cmd.reason,
                by,
                now,
                note=cmd.note,
                consent=cmd.consent,
                request=cmd.request,
                code=cmd.code,
            )
        )
        delayed = stored[-1].event
        assert isinstance(delayed, StartDelayed)
        header = self.room.sitting_header(self.room.sitting_no(delayed.sitting))
        return {"seq": stored[-1].seq, **{k: header[k] for k in ("number", "start", "end", "scheduled_start")}}

    def _delay_pushes(self, e: StartDelayed) -> list[tuple[str, dict[str, Any]]]:
        """A machine with a candidate logged in before the start hears the new start and end."""
        s = self.room.sitting_no(e.sitting)
        return [
            (c.machine, {"ticket": c.ticket, "state": c.state.value, "end": s.end_of(c), "start": s.start})
            for c in s.candidates.values()
            if c.machine and c.state is State.LOGGED_IN
        ]

    # -- standalone exam 单机考试 (proctor.domain.standalone, proctor.standalone) -------------------

    async def _export_standalone(self, cmd: ExportStandalone, by: tuple[str, ...]) -> dict[str, Any]:
        """R25: the reply carries the sealed package (bytes) for the proctors to write to a stick."""
        now = self.now()
        plan = standalone.plan_export(self.room, cmd.ticket, cmd.machine, cmd.chief, cmd.reason, now)
        last = self.log.latest_answer(plan.sitting, plan.ticket)
        if last is not None and (last.damaged or last.seq != plan.last_seq):
            raise Refused(
                "answers_damaged",
                "the candidate's latest acknowledged answers are not intact on disk",
                "该考生最近确认的作答数据在监考机上校验不符，不能导出单机考试作答包，请联系技术人员",
                rule="R26",
            )
        package_id = secrets.token_hex(16)
        sealed = files.seal_package(
            self.package,
            sitting=plan.sitting,
            ticket=plan.ticket,
            machine=plan.machine,
            package_id=package_id,
            exported_at=now,
            remaining_s=plan.remaining_s,
            last_seq=plan.last_seq,
            answers=last.answers if last else None,
        )
        stored = await self._decide(
            lambda: standalone.decide_export(
                self.room,
                plan,
                package_id=package_id,
                digest=files.digest(sealed),
                chief=cmd.chief,
                reason=cmd.reason,
                by=by,
                now=now,
            )
        )
        header = files.header_of(self.package, plan.sitting, plan.ticket, plan.machine, package_id)
        return {
            "seq": stored[-1].seq,
            "package_id": package_id,
            "file_name": files.file_name(files.PACKAGE, header),
            "package": sealed,
            "remaining_s": plan.remaining_s,
            "last_seq": plan.last_seq,
        }

    async def _import_standalone(self, cmd: ImportStandaloneResult, by: tuple[str, ...]) -> dict[str, Any]:
        """R26: the result opened with the key of the machine its package was recorded for."""
        try:
            h = files.read_header(cmd.result, files.RESULT)
            standalone.package_for(
                self.room, h.package_id, fingerprint=h.fingerprint, machine=h.machine, ticket=h.ticket
            )
            result = files.open_result(self.package, cmd.result, self.room.standalone[h.package_id].machine)
        except files.SealError as bad:
            raise Refused(bad.code, bad.en, bad.zh, rule="R26") from None
        recovery = standalone.decide_import(self.room, result, by, self.now())
        p = self.room.standalone[result.package_id]
        if recovery.already:
            return {"seq": self.log.last_seq, "already": True, "ticket": p.ticket, "package_id": p.package_id}
        stored = await self.commit(recovery.events, recovery.answers)
        return {
            "seq": stored[-1].seq,
            "already": False,
            "ticket": p.ticket,
            "package_id": p.package_id,
            "saves": len(result.saves),
            "last_seq": self.room.sitting_no(p.sitting).candidates[p.ticket].last_seq,
        }

    async def _write_off_standalone(self, cmd: WriteOffStandalone, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: standalone.decide_write_off(self.room, cmd.package_id, cmd.reason, by, now))
        return {"seq": stored[-1].seq, "package_id": cmd.package_id}

    # -- reset (重置) ----------------------------------------------------------------------------

    async def _reset_candidate(self, cmd: ResetCandidate, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(
            lambda: decide_reset_candidate(
                self.room, cmd.ticket, cmd.kind, cmd.machine, cmd.reason, by, now, note=cmd.note
            )
        )
        reset = stored[-1].event
        assert isinstance(reset, CandidateReset)
        s = self.room.sitting_no(reset.sitting)
        c = s.candidates[reset.ticket]
        return {
            "seq": stored[-1].seq,
            "ticket": reset.ticket,
            "to": reset.to,
            "end": s.end_of(c),
            "last_seq": c.last_seq,
        }

    def _reset_push(self, e: CandidateReset) -> list[tuple[str, dict[str, Any]]]:
        if e.machine is None:
            return []
        s = self.room.sitting_no(e.sitting)
        end = s.end_of(s.candidates[e.ticket])
        return [(e.machine, {"ticket": e.ticket, "state": State.RESET.value, "end": end, "continue_on": e.to})]

    # -- the console lock (proctor.domain.console_lock) -------------------------------------------

    async def _lock_console(self, cmd: LockConsole, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_lock(self.room, by, now))
        return {"seq": stored[-1].seq}

    async def _unlock_console(self, cmd: UnlockConsole, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_unlock(self.room, cmd.how, by, now))
        return {"seq": stored[-1].seq}

    async def _unlock_failed(self, cmd: UnlockFailed, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_unlock_failed(self.room, now))
        return {"seq": stored[-1].seq, "attempt": self.room.unlock_failures}

    # -- transfers between rooms (proctor.domain.transfers) ---------------------------------------

    async def _transfer_out(self, cmd: TransferOut, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_transfer_out(self.room, cmd.ticket, cmd.reason, by, now))
        return {"seq": stored[-1].seq}

    async def claim_transfer(self, to_room: str, ticket: str) -> dict[str, Any]:
        """Another room of the site claims a candidate transferred out of this one: this room's
        log decides, in order, so the first claim is granted and any later one refused."""
        claimed: list[Claimed] = []

        def decide() -> list[Event]:
            events, c = decide_claim(self.room, ticket, to_room, self.now())
            claimed.append(c)
            return events

        await self._decide(decide)
        return claimed[0].row()

    async def _transfer_in(self, cmd: TransferIn, by: tuple[str, ...]) -> dict[str, Any]:
        if self.claim_from is None or not self.package.site_secret:
            raise Refused(
                "no_site_secret",
                "this room cannot receive transfers: its package carries no site secret",
                "本考场的考务数据包没有考点密钥，不能调入考生",
                rule="R35",
            )
        check_can_receive(self.room, cmd.ticket)
        try:
            row = await self.claim_from(cmd.from_url, cmd.from_room, cmd.ticket)  # a refusal says why
            claimed = msgspec.convert(row, Claimed)
        except (OSError, TimeoutError, msgspec.ValidationError) as exc:
            raise Refused(
                "claim_failed",
                f"no answer from {cmd.from_room}: {exc}",
                f"无法连接{cmd.from_room}的考场服务器，请核对地址后重试",
                rule="R35",
            ) from None
        if claimed.ticket != cmd.ticket:
            raise Refused("claim_failed", "the answer is for another candidate", "调出考场答复的考生不符", rule="R35")
        now = self.now()
        stored = await self._decide(lambda: decide_transfer_in(self.room, claimed, cmd.from_room, by, now))
        return {"seq": stored[-1].seq, "ticket": claimed.ticket, "name": claimed.name}

    async def _resolve_transfer(self, cmd: ResolveTransfer, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_resolve(self.room, cmd.ticket, cmd.sat, cmd.note, by, now))
        return {"seq": stored[-1].seq}

    async def _transfer_slip(self, cmd: TransferSlip, by: tuple[str, ...]) -> dict[str, Any]:
        return {"room": self.package.room, "rows": slip(self.room)}

    # -- the room's printed forms (proctor.report) -------------------------------------------------

    async def _room_form(self, cmd: RoomForm, by: tuple[str, ...]) -> dict[str, Any]:
        """A printed form's HTML from the room's log, for the console to paint onto A4."""
        report = await self._room_report()
        page = form_html(report, cmd.form, cmd.incident)
        await self.commit(
            [FormIssued(at=self.now(), form=cmd.form, incident=cmd.incident, upto=report.last_seq, by=by)]
        )
        return {
            "form": cmd.form,
            "title": form_title(report, cmd.form),
            "html": page,
            "qr": {QR_DIGEST: digest_text(report)},
            "last_seq": report.last_seq,
        }

    async def _record_remark(self, cmd: RecordRemark, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_record_remark(cmd.text, by, now))
        return {"seq": stored[-1].seq}

    async def _room_report(self) -> RoomReport:
        """The room report's content, built from the log as committed. Replaying a busy log holds
        a thread for most of a second (130 candidates saving every 5 s: 180,000 events, 0.65 s),
        so it is built in a worker thread over a read-only connection of its own, one build at a
        time; the loop goes on acknowledging meanwhile (its lag stayed under 2 ms)."""
        async with self._report_lock:
            return await asyncio.to_thread(self._build_report, dict(self.room.flows))

    def _build_report(self, flows: dict[str, Flow]) -> RoomReport:
        try:
            with EventLog(self.log.path, readonly=True) as reader:
                return build(self.package, self.policy, reader.replay(), flows)
        except LogRefused as exc:
            raise Refused(
                "log_unreadable",
                f"the room's log cannot be read for the form: {exc}",
                "无法读取本考场的考试记录，不能生成表单",
                allow_en="try again; if it fails again, call the technician",
                allow_zh="请重试；仍不能生成的，请联系技术人员",
            ) from None

    # -- a stopped exam (proctor.domain.stopping) --------------------------------------------------

    async def _stop_exam(self, cmd: StopExam, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_stop(self.room, cmd.directed_by, cmd.reason, by, now))
        return {"seq": stored[-1].seq}

    async def _register_choice(self, cmd: RegisterChoice, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        stored = await self._decide(lambda: decide_register_choice(self.room, cmd.ticket, cmd.choice, by, now))
        counts = Counter(self.room.choices.values())
        return {"seq": stored[-1].seq, "retake": counts["retake"], "refund": counts["refund"]}

    # -- incidents (proctor.domain.incidents) ---------------------------------------------------

    def _flow(self, flow_id: str) -> Flow:
        flow = self.room.flows.get(flow_id)
        if flow is None:
            raise Refused("unknown_flow", f"no flowchart {flow_id[:32]!r}", f"没有名为 {flow_id[:32]} 的应急流程")
        return flow

    async def _open_incident(self, cmd: OpenIncident, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        flow = self._flow(cmd.flow)
        stored = await self._decide(lambda: decide_open(self.room, flow, cmd.tickets, by, now))
        opened = stored[-1].event
        assert isinstance(opened, IncidentOpened)
        return {"seq": stored[-1].seq, **self.room.incidents[opened.number].row()}

    async def _answer_incident(self, cmd: AnswerIncident, by: tuple[str, ...]) -> dict[str, Any]:
        now = self.now()
        run = self.room.incidents.get(cmd.number)
        if run is None:
            raise Refused(
                "unknown_incident", f"there is no incident {cmd.number}", f"没有编号为 {cmd.number} 的突发事件"
            )
        flow = self._flow(run.flow)
        stored = await self._decide(lambda: decide_answer(self.room, flow, cmd.number, cmd.answer, by, now, cmd.note))
        row = self.room.incidents[cmd.number].row()
        return {"seq": stored[-1].seq, **row, "lost_minutes": lost_minutes(self.room.incidents[cmd.number], now)}

    async def _score_drill(self, cmd: ScoreDrill, by: tuple[str, ...]) -> dict[str, Any]:
        drill = self.drills.get(cmd.drill)
        if drill is None:
            raise Refused("unknown_drill", f"no drill {cmd.drill!r}", f"没有名为 {cmd.drill} 的演练")
        events = (se.event for se in self.log.of_kinds(SCORED_KINDS))
        return score(drill, events, self.room.flows, self.policy).row()

    async def _history(self, cmd: History, by: tuple[str, ...]) -> dict[str, Any]:
        if cmd.ticket is not None and self.package.candidate(cmd.ticket) is None:
            raise Refused("unknown_candidate", "no such candidate in this room", "本考场没有此准考证号的考生")
        rows = self.log.history(cmd.after, cmd.limit, cmd.ticket)
        return {
            "events": [msgspec.Raw(data) for _, data in rows],  # as logged, not decoded and re-encoded
            "next": rows[-1][0] if len(rows) == cmd.limit else None,
            "last_seq": self.log.last_seq,
        }

    # -- time ---------------------------------------------------------------------------------

    async def run_due(self) -> None:
        """Append whatever the schedule makes due by now (start, sign-in close, auto-submit, end)."""
        while due := due_events(self.room, self.now()):
            await self.commit(due)

    async def _run_schedule(self) -> None:
        while True:
            await self.run_due()
            at = next_due(self.room, self.now())
            self._wake.clear()
            waits = [asyncio.ensure_future(self._wake.wait())]
            if at is not None:
                waits.append(asyncio.ensure_future(self.clock.sleep_until(self.time.mono_at(at))))
            try:
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for w in waits:
                    w.cancel()

    def _mark_time(self) -> None:
        if self.failed is not None:
            return
        try:
            self.log.mark_time(self.now(), self.time.wall(), self.time.scale)
        except sqlite3.Error as exc:  # advisory: the next append will say whether the disk is gone
            log.warning("could not keep the exam clock's mark: %s", exc)

    async def _run_watch(self) -> None:
        """Every heartbeat interval: machines that fell silent go offline; a wall-clock step is
        recorded and raised (exam time does not follow it)."""
        interval = self.policy.heartbeat_interval_s
        limit = interval * self.policy.heartbeats_missed_offline
        while True:
            await self.clock.sleep(interval)
            step = self.time.wall_step()
            if step is not None:
                log.warning("the wall clock was stepped by %+.0f s; exam time runs on", step)
                await self.commit(decide_clock_step(self.room, step, self.time.wall(), self.now()))
            self._mark_time()
            mono = self.clock.monotonic()
            silent = [m for m, seen in self._last_seen.items() if mono - seen > limit]
            # Each decided and applied before the next, so alerts are numbered in order.
            pending = []
            for m in silent:
                del self._last_seen[m]
                pending.append(self._queue(decide_machine_dropped(self.room, m, self.now(), "heartbeat")))
            if pending:
                await asyncio.gather(*pending)


# Saves, logins, submissions, machines coming and going, proctors and alerts cannot make anything
# due sooner (a login's end is the sitting's end, already awaited; a submission only takes a
# candidate off the list): the scheduler sleeps on. Waking it for each of 1000 logins cost a pass
# over every candidate each time, 1.5 s of the loop in all.
_TIMELESS = (
    AnswerSaved,
    SavesMissing,
    CandidateLoggedIn,
    CandidateSubmitted,
    MachineOnline,
    MachineOffline,
    MachineClockMoved,
    DuplicateLoginAttempt,
    ProctorsSignedIn,
    AlertRaised,
    AlertAcknowledged,
    IdNumberRevealed,
    FormIssued,
    RemarkRecorded,
    AuthorizationRequested,
    AuthorizationCodeRejected,
    IdentityChecked,
    ViolationRecorded,
    NoticeSent,
    NoticeAcknowledged,
    ReadinessTicked,
    ClosingTicked,
    ExamEnded,
    SeatAssigned,
    ConsoleLocked,
    ConsoleUnlocked,
    ConsoleUnlockFailed,
    IncidentClosed,
)


# What ends a candidate's work at their exam machine: the machine is told, whatever the state.
_ENDS_AT_MACHINE = (CandidateSubmitted, CandidateGaveUp, SubmittedByProctors, ExamStopped)


def _tell(then: Callable[[BaseException | None], None], outcome: BaseException | None) -> None:
    # One acknowledgement that goes wrong (a bug) must not keep the rest of its batch waiting.
    try:
        then(outcome)
    except Exception:
        log.exception("telling a commit's outcome failed")


def _moves_schedule(e: Event) -> bool:
    return not isinstance(e, _TIMELESS)
