#!/usr/bin/env python3
"""Live view: how long a change at an exam machine takes to show on the console's seat map, what
a full repaint of a screenful of tiles costs, and how much memory the console holds.

    python bench/live_view.py --machines 1000 [--duration 30] [--save-every 5] [--drops-per-s 2]
                              [--screenshot shot.png]

Three processes, everything over real sockets on loopback:
- the room service (`proctor serve` on a fresh demo package, the sitting started 5 minutes ago);
- N simulated exam machines (one candidate each, spares stay unconnected) in one asyncio process,
  at niceness 19 by default (`--machines-nice`): in a room they are other computers, and here
  their TLS handshakes would otherwise take a whole core from the service and the console while
  they all connect (measured: the connect burst's p99 ~25 ms niced, 90-130 ms not);
  connect, log in, heartbeat every second, save ~2 KB every `save-every` seconds (random phase);
  and `drops-per-s` times a second one machine whose tile is on screen drops its connection and
  comes back 1-2 s later with its session (resume), as a pulled and replugged cable does;
- the console, in this process: an offscreen QApplication on a qasync loop, ConsoleClient and
  RoomView, and the real MainWindow at 1920x1080 (signed in as two proctors).

Each machine notes when it causes a change (time.monotonic(), one clock for every process on
Linux), so the figure runs from the machine's action, through the network and the service, to
the console: an upper bound of "event received by the service -> tile repainted". A recorder
around the seat map's delegate notes, for every tile painted, when the delegate finished it and
what the console's RoomView said about that machine at that moment. A change counts as shown at
the first paint of its tile, at or after the change (and not before the paint that showed the
machine's previous change), that shows it. Changes that alter a tile:
- online: the machine connects (the time is taken once its TLS connection is open, just before
  it answers the service's challenge with its hello): the connection dot fills, the hatch goes;
- offline: the machine closes its connection: hollow dot, hatch, "offline" badge;
- login: the candidate logs in here: the name is no longer greyed and the state pill changes;
- save: only if a save alters what an answering tile shows at this size ("answered N" on tiles
  tall enough for three lines). This is probed on a tile on screen (the same tile painted with
  the save's row and without): `saves_alter_tiles` says what was found; when false, saves still
  load the service and the console but are not measured.
Only tiles on screen are painted, so only changes at machines whose tile is on screen (the map
as the window lays it out, not scrolled) are measured; the rest of the room loads everything else.

Output, one JSON line on stdout (progress on stderr):
- update_to_paint_p50/p99/max_ms, updates_measured, missed (no paint showing it within 2 s),
  by_kind (the same per kind of change) and by_phase ("connect": every machine connecting and
  logging in within a few seconds; "steady": the room running). Where the time goes:
  link_p99_ms (change -> the console applied the service's message), wait_p99_ms (applied ->
  the seat map's paint event began: the console's loop busy with other work, or the process
  waiting for a core) and paint_p99_ms (paint event began -> this tile painted);
- full_repaint_median_ms / full_repaint_p90_ms: seat_view.viewport().repaint() of the map as
  shown, median of 60 after 5 warm-ups, while the room is connected and heartbeating;
  tiles_on_screen: tiles painted in one such repaint; seat_viewport: its size in pixels;
  map_alone_repaint_median_ms / map_alone_tiles: the same with a SeatMapView alone filling
  1920x1080 over the same room (the map when the table is out of the way);
- rss_mb / peak_rss_mb: this (console) process, VmRSS / VmHWM at the end;
  service_rss_mb / service_peak_rss_mb: the room service's;
- machines, duration_s, saves (sent by the machines), errors (what went wrong; empty is good).
Targets (issue 8): p99 <= 100 ms, repaint <= 16 ms, RSS <= 200 MB. The figures are what they are
on this machine at this moment: other processes share the two cores, so read them with the load
average printed beside them (`loadavg`).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from figures import pct, serve_command  # noqa: E402  (bench/ is the script's own directory)

from bench.link_load import machines_for, raise_fd_limit, seats_of  # noqa: E402

WINDOW = (1920, 1080)
PROCTORS = ["张三", "李四"]
MISS_S = 2.0  # a change whose tile has not shown it within this is missed
START_TIMEOUT_S = 60.0  # the service's first stdout line; the console's first snapshot
LOGIN_TIMEOUT_S = 120.0  # every machine connected and logged in
STOP_TIMEOUT_S = 15.0  # a subprocess after SIGTERM or the end of its input, before SIGKILL
REPAINTS, WARMUPS = 60, 5
BATCH = 100  # machines connecting together


def say(text: str) -> None:
    print(f"live_view: {text}", file=sys.stderr, flush=True)


def memory_mb(pid: int | str = "self") -> tuple[float | None, float | None]:
    """(VmRSS, VmHWM) in MB from /proc (None where there is no /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None, None
    kb = {k: int(v.split()[0]) for k, v in (ln.split(":", 1) for ln in status.splitlines()) if k in ("VmRSS", "VmHWM")}
    return tuple(round(kb[k] / 1024, 1) if k in kb else None for k in ("VmRSS", "VmHWM"))  # type: ignore[return-value]


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


class Child:
    """A subprocess whose stdout lines are JSON objects, read by a thread into a queue."""

    def __init__(self, label: str, cmd: list[str], log_path: Path, stdin: bool = False) -> None:
        self.label = label
        self.log_path = log_path
        with open(log_path, "wb") as err:
            self.proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=err,
                env=child_env(),
                cwd=ROOT,
            )
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, name=f"{label}-stdout", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            try:
                self.lines.put(json.loads(raw))
            except ValueError:
                self.lines.put({"unreadable": raw.decode(errors="replace")[:200]})

    def next_line(self, timeout: float) -> dict[str, Any]:
        """The next stdout line (blocking: only before the Qt loop runs)."""
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"{self.label}: nothing within {timeout:.0f} s; stderr: {self.log_tail()}") from None

    async def wait_line(self, key: str, timeout: float) -> dict[str, Any]:
        """The first stdout line with `key`, polled from the running loop so Qt keeps painting."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get_nowait()
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    raise RuntimeError(f"{self.label} exited ({self.proc.returncode}): {self.log_tail()}") from None
                await asyncio.sleep(0.05)
                continue
            if key in line:
                return line
        raise RuntimeError(f"{self.label}: no {key!r} within {timeout:.0f} s; stderr: {self.log_tail()}")

    def log_tail(self, n: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self, grace: float = STOP_TIMEOUT_S) -> int | None:
        """End of input (then `grace` seconds to finish), then SIGTERM, then SIGKILL; the exit code."""
        p = self.proc
        if p.poll() is None and p.stdin is not None:
            try:
                p.stdin.close()
                return p.wait(grace)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                say(f"{self.label} ignored SIGTERM; killing it")
                p.kill()
                p.wait(STOP_TIMEOUT_S)
        self._reader.join(STOP_TIMEOUT_S)
        return p.returncode


# -- the exam machines (a subprocess: python bench/live_view.py --as-machines ...) -------------------


def machines_main(args: argparse.Namespace) -> int:
    raise_fd_limit(args.machines)
    if args.machines_nice:
        os.nice(args.machines_nice)
    return asyncio.run(_machines(args))


async def _machines(args: argparse.Namespace) -> int:
    import contextlib

    from websockets.exceptions import ConnectionClosed

    from proctor.link import messages as m
    from proctor.link.auth import Credential, handshake, open_connection
    from proctor.package import load_package

    package = load_package(args.package)
    seats = seats_of(package)[: args.machines]
    rng = random.Random(args.seed)
    texts = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz 甲乙丙丁借贷", k=1900)) for _ in range(32)]
    log: list[tuple[float, str, str, Any]] = []  # (monotonic, kind, machine, detail)
    errors: dict[str, int] = {}
    saves = 0
    steady = False
    stopping = False
    heartbeat = m.encode(m.Heartbeat())

    def error(code: str) -> None:
        errors[code] = errors.get(code, 0) + 1

    class Machine:
        def __init__(self, machine: str, ticket: str, id_number: str) -> None:
            self.machine, self.ticket, self.id_number = machine, ticket, id_number
            self.cred = Credential.machine(package.room_key, machine)
            self.rng = random.Random(rng.random())
            self.ws: Any = None
            self.session: str | None = None
            self.seq = 0
            self.acked = 0
            self.replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
            self.tasks: list[asyncio.Task[None]] = []
            self.req = 0
            self.down = False

        async def connect(self) -> None:
            ws = await open_connection(args.url, open_timeout=10)
            resume = m.Resume(ticket=self.ticket, session=self.session, acked=self.acked) if self.session else None
            t = time.monotonic()
            welcome = await handshake(
                ws,
                self.cred,
                clock=time.time(),
                checks=m.Checks(internet=False, removable_media=False),
                resume=resume,
            )
            if not isinstance(welcome, m.Welcome):
                await ws.close()
                raise RuntimeError(f"hello_{getattr(welcome, 'code', 'refused')}")
            log.append((t, "online", self.machine, None))
            self.ws = ws
            self.down = False
            self.tasks = [asyncio.create_task(self._read(ws)), asyncio.create_task(self._beat(ws))]
            if welcome.resume is None:
                await self.login()

        async def login(self) -> None:
            t = time.monotonic()
            reply = await self.request(m.Login(id=self.next_id(), ticket=self.ticket, id_number=self.id_number))
            if reply.get("t") != "login_ok":
                raise RuntimeError(f"login_{reply.get('code')}")
            log.append((t, "login", self.machine, self.ticket))
            self.session = reply["session"]
            self.seq = self.acked = max(self.acked, reply.get("last_seq") or 0)

        def next_id(self) -> int:
            self.req += 1
            return self.req

        async def request(self, msg: Any) -> dict[str, Any]:
            fut = self.replies[msg.id] = asyncio.get_running_loop().create_future()
            await self.ws.send(m.encode(msg))
            return await asyncio.wait_for(fut, 30)

        async def _read(self, ws: Any) -> None:
            try:
                async for raw in ws:
                    msg = json.loads(raw)
                    fut = self.replies.pop(msg.get("id", -1), None)
                    if fut is not None and not fut.done():
                        fut.set_result(msg)
                    elif msg.get("t") == "error":
                        error(f"error_{msg.get('code')}")
            except ConnectionClosed:
                pass
            if not self.down and not stopping:
                error("connection_lost")
            for fut in self.replies.values():
                if not fut.done():
                    fut.set_exception(ConnectionError("closed"))
            self.replies.clear()

        async def _beat(self, ws: Any) -> None:
            await asyncio.sleep(self.rng.random())
            with contextlib.suppress(ConnectionClosed):
                while True:
                    await ws.send(heartbeat)
                    await asyncio.sleep(1.0)

        async def save(self) -> None:
            nonlocal saves
            if self.down or self.ws is None:
                return
            self.seq += 1
            answered = self.seq % 100
            msg = m.Save(
                id=self.next_id(),
                ticket=self.ticket,
                seq=self.seq,
                answers={"q": self.seq % 60 + 1, "text": self.rng.choice(texts)},
                answered=answered,
            )
            t = time.monotonic()
            saves += 1
            try:
                reply = await self.request(msg)
            except (ConnectionError, ConnectionClosed, TimeoutError):
                error("save_unanswered")
                return
            if reply.get("t") != "ack":
                error(f"save_{reply.get('code')}")
                self.seq = self.acked  # a refused save uses no seq
                return
            self.acked = self.seq
            if steady:
                log.append((t, "save", self.machine, [self.seq, answered]))

        async def drop(self) -> None:
            """Close the connection (the service marks it offline), come back 1-2 s later. The
            caller has set `down`, so no save starts; one under way is answered first."""
            ws = self.ws
            for _ in range(500):
                if not self.replies:
                    break
                await asyncio.sleep(0.01)
            for task in self.tasks[1:]:
                task.cancel()
            log.append((time.monotonic(), "offline", self.machine, None))
            await ws.close()
            await asyncio.gather(*self.tasks, return_exceptions=True)
            await asyncio.sleep(self.rng.uniform(1.0, 2.0))
            try:
                await asyncio.wait_for(self.connect(), 30)
            except Exception as exc:  # noqa: BLE001 (counted, and the run goes on)
                error(f"reconnect_{type(exc).__name__}")

        async def close(self) -> None:
            for task in self.tasks[1:]:
                task.cancel()
            if self.ws is not None:
                await self.ws.close()
            await asyncio.gather(*self.tasks, return_exceptions=True)

    machines = [Machine(*seat) for seat in seats]
    t0 = time.monotonic()
    for i in range(0, len(machines), BATCH):
        results = await asyncio.gather(
            *(asyncio.wait_for(mc.connect(), 30) for mc in machines[i : i + BATCH]), return_exceptions=True
        )
        for r in results:
            if isinstance(r, BaseException):
                error(f"open_{r}" if isinstance(r, RuntimeError) else f"open_{type(r).__name__}")
    live = [mc for mc in machines if mc.ws is not None]
    steady_at = time.monotonic()
    ready = {"logged_in": len(live), "of": len(machines), "s": round(steady_at - t0, 2), "steady_at": steady_at}
    print(json.dumps(ready), flush=True)

    steady = True
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2
    stop = start + args.duration
    watched = [mc for mc in live if mc.machine in set(filter(None, args.watch.split(",")))]

    async def saving(mc: Machine) -> None:
        at = start + mc.rng.uniform(0, args.save_every)
        while at < stop:
            await asyncio.sleep(max(0.0, at - loop.time()))
            await mc.save()
            at += args.save_every

    async def dropping() -> None:
        # No drop in the last 3 s: every machine is back before the end.
        drops: set[asyncio.Task[None]] = set()
        if watched and args.drops_per_s > 0:
            at = start + rng.expovariate(args.drops_per_s)
            while at < stop - 3.0:
                await asyncio.sleep(max(0.0, at - loop.time()))
                up = [mc for mc in watched if not mc.down]
                if up:
                    victim = rng.choice(up)
                    victim.down = True
                    task = asyncio.create_task(victim.drop())
                    drops.add(task)
                    task.add_done_callback(drops.discard)
                at += rng.expovariate(args.drops_per_s)
        await asyncio.gather(*drops)

    await asyncio.gather(dropping(), *(saving(mc) for mc in live))
    print(json.dumps({"steady_done": True, "saves": saves}), flush=True)

    # Connected and heartbeating until the console has measured its repaints (end of stdin).
    await loop.run_in_executor(None, sys.stdin.read)
    stopping = True
    await asyncio.wait_for(asyncio.gather(*(mc.close() for mc in machines), return_exceptions=True), 30)
    Path(args.events).write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in log))
    print(json.dumps({"done": True, "saves": saves, "errors": errors}), flush=True)
    return 0


# -- the console (this process) -------------------------------------------------------------------------


Paint = tuple[float, bool, str | None, str | None, int, float]


class PaintRecorder:
    """Wraps the seat map's delegate: for every tile painted, when and what RoomView said then
    about its machine (online, occupant, candidate state, last saved seq), and when the paint
    event that painted it began (an event filter on the viewport)."""

    def __init__(self, seat_view: Any, view: Any, machine_role: int) -> None:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QStyledItemDelegate

        self.view = view
        self.inner = seat_view.itemDelegate()
        self.paints: dict[str, list[Paint]] = defaultdict(list)
        self.on = True
        self.counted = 0
        self.began = 0.0
        recorder = self

        class Recording(QStyledItemDelegate):
            def paint(self, painter: Any, option: Any, index: Any) -> None:
                recorder.inner.paint(painter, option, index)
                recorder.note(index.data(machine_role))

            def sizeHint(self, option: Any, index: Any) -> Any:
                return recorder.inner.sizeHint(option, index)

        class PaintBegins(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint:
                    recorder.began = time.monotonic()
                return False

        self.recording = Recording(seat_view)
        seat_view.setItemDelegate(self.recording)
        self.begins = PaintBegins(seat_view)
        seat_view.viewport().installEventFilter(self.begins)

    def note(self, machine: str | None) -> None:
        if machine is None:
            return
        self.counted += 1
        if not self.on:
            return
        mc = self.view.machines.get(machine) or {}
        ticket = mc.get("ticket")
        c = self.view.candidates.get(ticket) or {} if ticket else {}
        self.paints[machine].append(
            (time.monotonic(), bool(mc.get("online")), ticket, c.get("state"), c.get("last_seq") or 0, self.began)
        )


class Arrivals:
    """When the console applied a message that touched each machine (or the whole room)."""

    def __init__(self, view: Any) -> None:
        self.view = view
        self.by_machine: dict[str, list[float]] = defaultdict(list)
        self.whole: list[float] = []
        # When the service decided each event about a machine (its `at`: the wall clock at
        # time scale 1), on this process's monotonic clock.
        self.decided: dict[str, list[float]] = defaultdict(list)
        self._wall_to_mono = time.monotonic() - time.time()
        view.listen(self.on_change)

    def on_change(self, change: Any) -> None:
        t = time.monotonic()
        for e in change.events:
            for mid in getattr(e, "machines", ()):
                self.decided[mid].append(e.at + self._wall_to_mono)
        if change.whole:
            self.whole.append(t)
            return
        touched = set(change.machines)
        for ticket in change.tickets:
            c = self.view.candidates.get(ticket) or {}
            touched.update(x for x in (c.get("machine"), c.get("seat")) if x)
        for mid in touched:
            self.by_machine[mid].append(t)

    def decided_after(self, machine: str, t: float) -> float | None:
        """The first event about the machine the service decided at or after `t` (to 5 ms: the
        two clocks are read apart)."""
        times = sorted(self.decided.get(machine, ()))
        i = bisect.bisect_left(times, t - 0.005)
        return times[i] if i < len(times) else None

    def first_after(self, machine: str, t: float) -> float | None:
        best = None
        for times in (self.by_machine.get(machine, ()), self.whole):
            i = bisect.bisect_left(times, t)
            if i < len(times) and (best is None or times[i] < best):
                best = times[i]
        return best


def shows(kind: str, machine: str, detail: Any) -> Callable[[Paint], bool]:
    """Whether a recorded paint of the tile shows the change."""
    if kind == "online":
        return lambda p: p[1]
    if kind == "offline":
        return lambda p: not p[1]
    if kind == "login":
        return lambda p: p[2] == detail and p[3] not in (None, "expected")
    seq = detail[0]
    return lambda p: p[4] >= seq


def match(
    events: list[list[Any]],
    rec: PaintRecorder,
    arrivals: Arrivals,
    on_screen: set[str],
    saves_count: bool,
    steady_at: float,
) -> dict[str, Any]:
    """Each change on screen against the first paint of its tile that shows it; the figures
    overall, per kind of change and per phase (the connect burst, then the steady room)."""
    latency: dict[tuple[str, str], list[float]] = defaultdict(list)  # (phase, kind) -> ms
    from_service: dict[str, list[float]] = defaultdict(list)  # phase -> event decided by the service -> painted, ms
    # per phase: change -> applied by the console, applied -> the paint event began, began -> tile painted
    split: dict[str, tuple[list[float], list[float], list[float]]] = {p: ([], [], []) for p in ("connect", "steady")}
    missed: dict[tuple[str, str], int] = defaultdict(int)
    # A machine's changes show in the order it made them: a paint before the one that showed the
    # previous change (a stale "online" while the drop is still on its way) cannot show this one.
    floor: dict[str, int] = defaultdict(int)
    for t, kind, machine, detail in sorted(events, key=lambda e: e[0]):
        if machine not in on_screen or (kind == "save" and not saves_count):
            continue
        phase = "connect" if t < steady_at else "steady"
        ok = shows(kind, machine, detail)
        paints = rec.paints.get(machine, [])
        painted = None
        for i in range(max(bisect.bisect_left(paints, (t,)), floor[machine]), len(paints)):
            p = paints[i]
            if p[0] - t > MISS_S:
                break
            if ok(p):
                painted, began, floor[machine] = p[0], p[5], i
                break
        if painted is None:
            missed[phase, kind] += 1
            continue
        latency[phase, kind].append((painted - t) * 1000)
        decided = arrivals.decided_after(machine, t)
        if decided is not None and decided <= painted:
            from_service[phase].append((painted - decided) * 1000)
        got = arrivals.first_after(machine, t)
        if got is not None and got <= began:
            split[phase][0].append((got - t) * 1000)
            split[phase][1].append((began - got) * 1000)
            split[phase][2].append((painted - began) * 1000)

    def figures(keys: list[tuple[str, str]]) -> dict[str, Any]:
        ms = [x for k in keys for x in latency[k]]
        return {"n": len(ms), "p50_ms": pct(ms, 50), "p99_ms": pct(ms, 99), "missed": sum(missed[k] for k in keys)}

    every = [x for xs in latency.values() for x in xs]
    kinds = ("online", "login", "offline", "save")
    by_phase = {}
    for phase in ("connect", "steady"):
        f = figures([(phase, k) for k in kinds])
        if f["n"] or f["missed"]:
            link, wait, paint = split[phase]
            by_phase[phase] = f | {
                "service_to_paint_p99_ms": pct(from_service[phase], 99),
                "link_p99_ms": pct(link, 99),
                "wait_p99_ms": pct(wait, 99),
                "paint_p99_ms": pct(paint, 99),
            }
    by_kind = {k: figures([("connect", k), ("steady", k)]) for k in kinds}
    return {
        "update_to_paint_p50_ms": pct(every, 50),
        "update_to_paint_p99_ms": pct(every, 99),
        "update_to_paint_max_ms": pct(every, 100),
        "updates_measured": len(every),
        # The issue's own measure: the event received (decided) by the service -> tile repainted.
        "service_to_paint_p50_ms": pct(from_service["connect"] + from_service["steady"], 50),
        "service_to_paint_p99_ms": pct(from_service["connect"] + from_service["steady"], 99),
        "service_to_paint_n": len(from_service["connect"]) + len(from_service["steady"]),
        "missed": sum(missed.values()),
        "link_p99_ms": pct(split["connect"][0] + split["steady"][0], 99),
        "wait_p99_ms": pct(split["connect"][1] + split["steady"][1], 99),
        "paint_p99_ms": pct(split["connect"][2] + split["steady"][2], 99),
        "by_phase": by_phase,
        "by_kind": {k: f for k, f in by_kind.items() if f["n"] or f["missed"]},
    }


def tiles_in_view(seat_view: Any, model: Any, view: Any, whole: bool) -> list[str]:
    """Machines whose tile lies in the seat map's viewport (wholly, or at least partly)."""
    area = seat_view.viewport().rect()
    out = []
    for mid in view.machines:
        r = seat_view.visualRect(model.index_of(mid))
        if r.isValid() and (area.contains(r) if whole else area.intersects(r)):
            out.append(mid)
    return out


def saves_alter_tiles(seat_view: Any, model: Any, view: Any, machines: list[str]) -> bool | None:
    """Paint an answering tile on screen as it is and as the next save would leave it; None if
    no tile on screen has an answering candidate."""
    for mid in machines:
        ticket = (view.machines.get(mid) or {}).get("ticket")
        c = view.candidates.get(ticket) if ticket else None
        if not c or c.get("state") != "answering":
            continue
        rect = seat_view.visualRect(model.index_of(mid))
        before = seat_view.viewport().grab(rect).toImage()
        saved = dict(c)
        try:
            c["last_seq"] = (c.get("last_seq") or 0) + 1
            c["answered"] = ((c.get("answered") or 0) + 1) % 100
            after = seat_view.viewport().grab(rect).toImage()
        finally:
            c.clear()
            c.update(saved)
        return before != after
    return None


def full_repaints(seat_view: Any, rec: PaintRecorder) -> tuple[list[float], int]:
    """Repaint times with the map's own delegate (the recorder out of the way), and the tiles
    painted in one repaint (counted with the recorder back)."""
    viewport = seat_view.viewport()
    seat_view.setItemDelegate(rec.inner)
    times = []
    try:
        for i in range(WARMUPS + REPAINTS):
            t = time.perf_counter()
            viewport.repaint()
            if i >= WARMUPS:
                times.append((time.perf_counter() - t) * 1000)
    finally:
        seat_view.setItemDelegate(rec.recording)
    rec.on, rec.counted = False, 0
    viewport.repaint()
    return times, rec.counted


def console_main(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from proctor.package.demo import write_demo

    n = args.machines
    t = time.monotonic()
    package_dir = tmp / "package"
    package = write_demo(package_dir, candidates=n, machines=machines_for(n), seed=args.seed)
    say(f"demo package: {n} candidates, {len(package.machines)} machines ({time.monotonic() - t:.1f} s)")

    out: dict[str, Any] = {
        "machines": n,
        "duration_s": args.duration,
        "save_every_s": args.save_every,
        "machines_nice": args.machines_nice,
    }
    errors: dict[str, int] = {}
    children: list[Child] = []
    try:
        service = Child(
            "service",
            serve_command(sys.executable, package_dir, tmp / "room.db"),
            tmp / "service.log",
        )
        children.append(service)
        url = service.next_line(START_TIMEOUT_S).get("listening")
        if not url:
            raise RuntimeError(f"the service did not say where it listens: {service.log_tail()}")
        say(f"service listening on {url}")
        out.update(_console(args, package, url, tmp, children, errors))
        out["service_rss_mb"], out["service_peak_rss_mb"] = memory_mb(service.proc.pid)
    finally:
        for child in reversed(children):
            code = child.stop()
            if code not in (0, -signal.SIGTERM):
                errors[f"{child.label}_exit"] = code if code is not None else -1
        for child in children:
            logged = [ln for ln in child.log_tail(20000).splitlines() if ln.strip()]
            if logged:
                errors[f"{child.label}_log_lines"] = len(logged)
                say(f"{child.label} stderr (last 10 lines):\n  " + "\n  ".join(logged[-10:]))
    out["errors"] = errors
    return out


def _console(
    args: argparse.Namespace, package: Any, url: str, tmp: Path, children: list[Child], errors: dict[str, int]
) -> dict[str, Any]:
    import qasync
    import shiboken6
    from PySide6.QtWidgets import QApplication

    from proctor.link.auth import Credential
    from proctor.link.console_client import ConsoleClient, RoomView
    from ui import icons
    from ui.app import package_header
    from ui.fonts import setup_fonts
    from ui.i18n import install_translators
    from ui.main_window import MainWindow
    from ui.seat_map import MACHINE_ROLE, SeatMapView

    app = QApplication.instance() or QApplication([sys.argv[0]])
    translators = install_translators(app, "zh")  # noqa: F841 (kept alive until the end)
    setup_fonts(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    view = RoomView()
    arrivals = Arrivals(view)  # listens first: notes a message before the window handles it
    client = ConsoleClient(url, Credential.console(package.room_key), view)
    window = MainWindow(
        view, client=client, package_header=package_header(package), expected_fingerprint=package.fingerprint
    )
    window.auto_proctors = list(PROCTORS)
    window.resize(*WINDOW)
    window.show()
    seat_view, model = window.seat_view, window.seat_model
    rec = PaintRecorder(seat_view, view, MACHINE_ROLE)
    out: dict[str, Any] = {}

    async def until(cond: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > deadline:
                raise RuntimeError(f"no {what} within {timeout:.0f} s (console: {client.last_error})")
            await asyncio.sleep(0.05)

    async def run() -> None:
        client.start()
        await until(lambda: view.connected and model.rowCount() > 0, START_TIMEOUT_S, "snapshot")
        await until(lambda: bool(client.proctors), START_TIMEOUT_S, "proctors signed in")
        await asyncio.sleep(0.5)  # the window sizes its splitter for the room it now knows
        on_screen = set(tiles_in_view(seat_view, model, view, whole=False))
        watch = tiles_in_view(seat_view, model, view, whole=True)
        say(f"console: {len(on_screen)} tiles on screen at {WINDOW[0]}x{WINDOW[1]}")

        machines = Child(
            "machines",
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--as-machines",
                "--url",
                url,
                "--package",
                str(tmp / "package"),
                "--events",
                str(tmp / "events.jsonl"),
                "--watch",
                ",".join(watch),
                "--machines",
                str(args.machines),
                "--duration",
                str(args.duration),
                "--save-every",
                str(args.save_every),
                "--drops-per-s",
                str(args.drops_per_s),
                "--machines-nice",
                str(args.machines_nice),
                "--seed",
                str(args.seed),
            ],
            tmp / "machines.log",
            stdin=True,
        )
        children.append(machines)
        got = await machines.wait_line("logged_in", LOGIN_TIMEOUT_S)
        say(f"machines: {got['logged_in']}/{got['of']} logged in in {got['s']} s")
        steady_at = got["steady_at"]
        if got["logged_in"] < got["of"]:
            errors["not_logged_in"] = got["of"] - got["logged_in"]
        got = await machines.wait_line("steady_done", args.duration + 60)
        await asyncio.sleep(MISS_S + 0.2)  # the last changes have their chance to show

        rec.on = False
        alter = saves_alter_tiles(seat_view, model, view, sorted(on_screen))
        times, tiles = full_repaints(seat_view, rec)
        out.update(
            full_repaint_median_ms=pct(times, 50),
            full_repaint_p90_ms=pct(times, 90),
            tiles_on_screen=tiles,
            seat_viewport=f"{seat_view.viewport().width()}x{seat_view.viewport().height()}",
            saves_alter_tiles=alter,
        )
        # The same room with the map alone on a 1920x1080 screen, as when the table is put aside.
        alone = SeatMapView()
        alone.setModel(model)
        alone.resize(*WINDOW)
        alone.show()
        try:
            await asyncio.sleep(0.3)  # shown and laid out
            alone_rec = PaintRecorder(alone, view, MACHINE_ROLE)
            alone_rec.on = False
            times, tiles = full_repaints(alone, alone_rec)
            out.update(map_alone_repaint_median_ms=pct(times, 50), map_alone_tiles=tiles)
        finally:
            alone.close()
            alone.deleteLater()
        if args.screenshot:
            window.grab().save(args.screenshot)
        out["rss_mb"], out["peak_rss_mb"] = memory_mb()

        # They close every connection and write down their changes: more than a moment at 1000.
        stopped = await loop.run_in_executor(None, machines.stop, 60.0)
        if stopped != 0:
            errors["machines_exit"] = stopped if stopped is not None else -1
        done: dict[str, Any] = {}
        while not machines.lines.empty():
            line = machines.lines.get_nowait()
            if "done" in line:
                done = line
        out["saves"] = done.get("saves", got.get("saves"))
        for k, v in (done.get("errors") or {}).items():
            errors[f"machines_{k}"] = v
        events = [json.loads(ln) for ln in (tmp / "events.jsonl").read_text().splitlines() if ln.strip()]
        out.update(match(events, rec, arrivals, on_screen, bool(alter), steady_at))
        await client.stop()

    try:
        loop.run_until_complete(asyncio.wait_for(run(), LOGIN_TIMEOUT_S + args.duration + 120))
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.wait(pending, timeout=2))
        loop.close()
        asyncio.set_event_loop(None)
        window.close()
        shiboken6.delete(window)
        icons.clear_caches()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Change at an exam machine -> tile repainted on the console.")
    ap.add_argument("--machines", type=int, default=1000, help="exam machines (one candidate each)")
    ap.add_argument("--duration", type=float, default=30.0, help="steady phase, seconds")
    ap.add_argument("--save-every", type=float, default=5.0, help="seconds between a machine's saves")
    ap.add_argument("--drops-per-s", type=float, default=2.0, help="machines on screen dropping off, per second")
    ap.add_argument("--screenshot", metavar="FILE.png", help="save the console window at the end")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--machines-nice",
        type=int,
        default=19,
        help="niceness of the simulated exam machines (default 19: in a room they are 1000 other "
        "computers, not a process taking the proctor machine's cores; 0 lets them compete)",
    )
    ap.add_argument("--as-machines", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--package", help=argparse.SUPPRESS)
    ap.add_argument("--events", help=argparse.SUPPRESS)
    ap.add_argument("--watch", default="", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.machines < 1 or args.duration <= 0 or args.save_every <= 0 or args.drops_per_s < 0:
        ap.error("--machines, --duration and --save-every must be positive, --drops-per-s not negative")
    if args.as_machines:
        return machines_main(args)

    tmp = Path(tempfile.mkdtemp(prefix="live_view-"))
    t = time.monotonic()
    try:
        out = console_main(args, tmp)
    except Exception as exc:  # still one JSON line, and a failing exit code
        say(f"failed: {exc!r}")
        out = {"machines": args.machines, "duration_s": args.duration, "errors": {"fatal": 1}}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    say(f"done in {time.monotonic() - t:.1f} s")
    print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0 if not out["errors"] and out.get("missed") == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
