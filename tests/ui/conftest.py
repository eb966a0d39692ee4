"""A room of 40 candidates at 48 machines as the service sends it: a real RoomState, moved by
the rules' own decisions (logins, the start, saves, a machine dropping), and its snapshot."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import asyncio
import copy
import gc
import random
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import msgspec
import pytest
import qasync
from PySide6.QtCore import QLocale

from proctor.domain.admission import decide_machine_online
from proctor.domain.events import Event, ServiceStarted
from proctor.domain.idcard import make_id
from proctor.domain.package import Candidate, ExamPackage, Machine, Sitting
from proctor.domain.room import (
    RoomState,
    decide_login,
    decide_machine_offline,
    decide_save,
    decide_sign_in_proctors,
    due_events,
)
from proctor.host import RoomOptions, RoomThread, RunningRoom
from proctor.link import messages
from proctor.link.auth import Credential
from proctor.link.console_client import ConsoleClient, RoomChange, RoomView
from proctor.resources import load_policy
from proctor.sim.machines import Plan, SimMachine, Tally
from ui.i18n import install_translators

START = 1_800_000_000.0  # the sitting's start, exam clock
NOW = START + 10 * 60  # ten minutes in: sign-in still open
ROWS, COLS = 6, 8
SPARES = ("F07", "F08")
# Rare characters on purpose: 𠮷 is CJK Extension B (outside the BMP), 䶮 Extension A.
NAMES = ["张伟", "王芳", "林𠮷祥", "刘䶮", "阿依古丽·买买提", "陈静", "杨洋", "赵磊", "黄敏", "周杰"]
ABSENT_LATER = {5, 17}  # not logged in yet
OFFLINE = {9}  # logged in, machine dropped
PROCTORS = ("张三", "李四", "王五")  # 40 candidates call for three: two per 25, one per further 25
# When each phase is shown, on the exam clock.
PHASE_AT = {"scheduled": START - 300, "started": NOW, "sign_in_closed": START + 1860, "ended": START + 7260}


def machine_id(i: int) -> str:
    return f"{'ABCDEF'[i // COLS]}{i % COLS + 1:02d}"


def ticket(i: int) -> str:
    return f"2733030010{i + 1:02d}"


def name(i: int) -> str:
    return NAMES[i] if i < len(NAMES) else f"{'王李张刘陈'[i % 5]}{'一二三四五六七八九十'[i % 10]}"


def make_package(candidates: int = 40, machines: int = ROWS * COLS) -> ExamPackage:
    people = tuple(
        Candidate(
            ticket=ticket(i),
            name=name(i),
            gender="女" if i % 3 else "男",
            id_number=make_id("330302", date(1990, 1, 1 + i % 28), i),
            seat=machine_id(i),
            photo=None,
        )
        for i in range(candidates)
    )
    return ExamPackage(
        exam="2027年度全国会计专业技术资格考试",
        level="初级",
        batch="2027-05-15 上午",
        policy="national-accounting",
        site="温州市第一考点",
        room="第01考场",
        room_key="k" * 32,
        timezone="+08:00",
        machines=tuple(
            Machine(machine_id(i), i // COLS + 1, i % COLS + 1, spare=machine_id(i) in SPARES) for i in range(machines)
        ),
        sittings=(Sitting(1, "初级会计实务", START, 120, tuple(p.ticket for p in people)),),
        candidates=people,
        fingerprint="c77a72f0e1fdca3d" + "0" * 48,
    )


def make_room(
    candidates: int = 40, machines: int = ROWS * COLS, until: float = NOW, proctors: tuple[str, ...] = PROCTORS
) -> RoomState:
    """The room at `until`: proctors signed in, spares on, everyone but ABSENT_LATER logged in
    before the start, saves after it, and the OFFLINE machines dropped a minute before NOW."""
    package = make_package(candidates, machines)
    room = RoomState(package, load_policy(package.policy))
    steps: list[tuple[float, Callable[[float], list[Event]]]] = [
        (START - 3600, lambda t: [ServiceStarted(at=t, package=package.fingerprint, wall=t)]),
    ]
    if proctors:
        steps.append((START - 1200, lambda t: decide_sign_in_proctors(room, proctors, t)))
    steps += [(START - 900, lambda t, m=m: decide_machine_online(room, m.id, t)) for m in package.machines if m.spare]
    for i, p in enumerate(package.candidates):
        if i in ABSENT_LATER or p.seat not in room.machines:
            continue
        steps.append(
            (
                START - 600 + i,
                lambda t, p=p: (
                    decide_machine_online(room, p.seat, t) + decide_login(room, p.seat, p.ticket, p.id_number, t)
                ),
            )
        )
        steps += [  # i % 7 saves, each seq one above the last
            (START + 60 + i + n / 10, lambda t, p=p, n=n: decide_save(room, p.seat, p.ticket, n, "0" * 64, n, t))
            for n in range(1, i % 7 + 1)
        ]
    for i in OFFLINE & set(range(candidates)):
        steps.append((NOW - 60, lambda t, i=i: decide_machine_offline(room, machine_id(i), t, "heartbeat")))

    def apply(events: list[Event]) -> None:
        for e in events:
            room.apply(e)

    for at, step in sorted(steps, key=lambda s: s[0]):
        if at > until:
            break
        while due := due_events(room, at):
            apply(due)
        apply(step(at))
    while due := due_events(room, until):
        apply(due)
    return room


def snapshot_of(room: RoomState, now: float, seq: int = 10) -> dict[str, Any]:
    """The snapshot message as the service sends it (RoomService.room_snapshot), as JSON."""
    msg = messages.Snapshot(room={**room.snapshot(), "now": now, "scale": 1.0}, seq=seq)
    return msgspec.json.decode(messages.encode(msg))


@cache
def _snapshot(candidates: int, machines: int, phase: str, proctors: tuple[str, ...]) -> dict[str, Any]:
    at = PHASE_AT[phase]
    return snapshot_of(make_room(candidates, machines, at, proctors), at)


def make_snapshot(
    candidates: int = 40,
    machines: int = ROWS * COLS,
    phase: str = "started",
    seq: int = 10,
    proctors: tuple[str, ...] = PROCTORS,
) -> dict[str, Any]:
    snap = copy.deepcopy(_snapshot(candidates, machines, phase, proctors))
    snap["seq"] = seq
    return snap


def candidate_row(i: int, **over: Any) -> dict[str, Any]:
    """Candidate i's row as the service sends it now, with `over` changed; from i = 40 on, one
    of a larger room (a candidate transferred in)."""
    rows = _snapshot(max(40, i + 1), ROWS * COLS, "started", PROCTORS)["room"]["candidates"]
    return {**copy.deepcopy(rows[i]), **over}


def machine_row(i: int, **over: Any) -> dict[str, Any]:
    return {**copy.deepcopy(_snapshot(40, ROWS * COLS, "started", PROCTORS)["room"]["machines"][i]), **over}


@pytest.fixture(autouse=True)
def collect_widgets_here() -> Iterator[None]:
    """Widgets a test left in reference cycles are freed on this (the GUI) thread after it, not
    by a collection that happens to run in a room service's thread in a later test (Qt: "Timers
    cannot be stopped from another thread")."""
    yield
    gc.collect()


@pytest.fixture
def snapshot() -> dict[str, Any]:
    return make_snapshot()


@pytest.fixture
def room_view(snapshot: dict[str, Any]) -> RoomView:
    view = RoomView()
    view.apply_message(copy.deepcopy(snapshot))
    view.set_connected(True)
    return view


Feed = Callable[..., RoomChange]


@pytest.fixture
def feed(room_view: RoomView) -> Feed:
    """feed(candidates=[row, ...], machines=[row, ...]) applies one `changed` message."""

    def send(
        candidates: list[dict[str, Any]] = (), machines: list[dict[str, Any]] = (), events: list[dict[str, Any]] = ()
    ) -> RoomChange:
        msg = {
            "t": "changed",
            "seq": room_view.seq + 1,
            "events": list(events),
            "candidates": [copy.deepcopy(c) for c in candidates],
            "machines": [copy.deepcopy(m) for m in machines],
        }
        change = room_view.apply_message(msg)
        assert change is not None
        return change

    return send


@pytest.fixture
def qloop(qapp) -> Iterator[asyncio.AbstractEventLoop]:
    """The qasync loop the console runs on: Qt events and asyncio tasks in one thread."""
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for t in pending:
            t.cancel()
        if pending:
            loop.run_until_complete(asyncio.wait(pending, timeout=2))
        loop.close()
        asyncio.set_event_loop(None)


@pytest.fixture
def chinese(qapp) -> Iterator[None]:
    """The console as a proctor sees it: our catalogue and Qt's own, in Simplified Chinese."""
    installed = install_translators(qapp, "zh")
    try:
        yield
    finally:
        for t in installed:
            qapp.removeTranslator(t)
        QLocale.setDefault(QLocale.c())


@dataclass
class LiveRoom:
    """A real room service on a loopback socket (in its own thread, as in the demo) and the
    console's window over it, on the qasync loop the app uses."""

    package: ExamPackage
    room: RunningRoom
    loop: asyncio.AbstractEventLoop
    view: RoomView
    client: ConsoleClient
    window: Any  # ui.main_window.MainWindow

    def run(self, scenario: Awaitable[Any], timeout: float = 10.0) -> Any:
        return self.loop.run_until_complete(asyncio.wait_for(scenario, timeout))

    def start(self) -> None:
        self.client.start()

    def machine_of(self, candidate: Candidate) -> SimMachine:
        """A simulated exam machine at the candidate's seat that logs them in at once."""
        plan = Plan(login_after_s=0.0, submit_after_s=None)
        return SimMachine(self.room.url, self.package, candidate.seat, candidate, plan, Tally(), random.Random(1))


@pytest.fixture
def live_room(qloop, qtbot, tmp_path) -> Iterator[LiveRoom]:
    """12 candidates at 14 machines, sitting 1 starting within ten minutes; call start()."""
    from proctor.package.demo import generate
    from ui.app import package_header
    from ui.main_window import MainWindow

    package = generate(candidates=12, machines=14, seed=3)
    room_thread = RoomThread(package, RoomOptions(db=tmp_path / "room.db"))
    room = room_thread.start_and_wait()
    view = RoomView()
    client = ConsoleClient(room.url, Credential.console(package.room_key), view)
    window = MainWindow(
        view, client=client, package_header=package_header(package), expected_fingerprint=package.fingerprint
    )
    qtbot.addWidget(window)
    try:
        yield LiveRoom(package, room, qloop, view, client, window)
    finally:
        qloop.run_until_complete(client.stop())  # also after a failure, so the service stops at once
        room_thread.stop()


class Recorder:
    """Every dataChanged (top-left, bottom-right) and reset of a model, in order."""

    def __init__(self, model) -> None:
        self.changed: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self.resets = 0
        model.dataChanged.connect(
            lambda a, b, roles=(): self.changed.append(((a.row(), a.column()), (b.row(), b.column())))
        )
        model.modelReset.connect(self._reset)

    def _reset(self) -> None:
        self.resets += 1

    def rows(self) -> set[int]:
        return {r for (tl, br) in self.changed for r in range(tl[0], br[0] + 1)}

    def cells(self) -> set[tuple[int, int]]:
        return {(r, c) for (tl, br) in self.changed for r in range(tl[0], br[0] + 1) for c in range(tl[1], br[1] + 1)}


@pytest.fixture
def recorder() -> Callable[[Any], Recorder]:
    return Recorder


def pytest_collection_modifyitems(items) -> None:
    # qutebrowser's rule (STYLE.md): a Qt warning in a UI test is a failure.
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            # The offscreen platform says this of every dialog; it is about the platform, not us.
            item.add_marker(pytest.mark.qt_log_ignore("does not support propagateSizeHints"))
