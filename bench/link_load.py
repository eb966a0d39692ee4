#!/usr/bin/env python3
"""Link load: how long an exam machine waits for the room service to acknowledge an answer save.

    python bench/link_load.py --machines 1000 --duration 30 [--burst-window-ms 200]
                              [--save-every 5] [--answer-bytes 2048] [--placement apart|shared]

Two runs with the same load code and phases, one after the other:

1. the real room service (`proctor serve`, a subprocess with its own SQLite log), and
2. a bare echo server on the same WebSocket library and the same TLS that acknowledges every save
   at once and checks and stores nothing (the baseline: what the sockets, TLS, framing and JSON
   alone cost here).

Both runs authenticate as protocol v2 asks: TLS with the pinned key, then each machine answers
the challenge with its own key (the echo server accepts any answer).

N machines connect (100 at a time), say hello and log in, then for `duration` seconds each sends
a heartbeat every second and a ~answer-bytes save every `save-every` seconds (random phase per
machine). Then the burst, the end of an exam: every machine saves once at a random moment within
the burst window. Latency is send -> ack received, per save, in this process.

With --rounds N the two take turns N times, each service round on a fresh room, so that both meet
the machine's good and bad moments; the percentiles pool every round's saves (a single burst's
p99 is its 10th-worst save of 1000, and one pause anywhere on the machine moves it), and
`by_round` gives each round's p99s, service then echo.

Reading the output (one JSON line on stdout; progress on stderr):
- ack_p50_ms / ack_p99_ms: steady-state saves against the service; burst_ack_p99_ms: the burst.
- baseline_*: the same figures against the echo server. The difference is what durability
  (validation, the event log, a durable commit per loop turn) adds. Compare within one run, not
  across machines.
- cpus: where the load ran. By default (`--placement apart`, on a machine of two cores or more)
  this load generator runs on one core and the server under test, the service or the echo
  alike, with the processes it starts, on the others: the exam machines are other computers,
  and a generator saturated by the burst on the server's own core was most of the burst's tail
  (docs/architecture.md). `--placement shared` leaves both wherever the system puts them.
- service_rss_mb / service_peak_rss_mb: the service process's resident memory after the run and
  at its peak (Linux /proc), with every machine connected over TLS; service_cpu_s and
  baseline_cpu_s: the CPU seconds each server used, from start to the end of its run.
- service_slow_commits: the service's commits that took over 10 ms (it keeps the latest 20);
  the bench syncs the disk after its own writes (the package, a finished round's room) so that
  their writeback does not land in them;
  service_slow_commits_in_burst: those that ended while the burst's saves waited, [wall ms, CPU
  ms, changes, sync ms] each. A wall time far above the CPU time waited: for the disk's sync
  when the sync ms (from written to synced) is most of it, else for the loop. Every save
  waiting behind it waits as long: the burst's p99 cannot be below it.
- saves: saves sent to the service (steady + burst); lost: saves the service acknowledged but
  does not hold afterwards (asked over a console connection). It must be 0.
- operations (with --operations): what the proctors at a console did meanwhile (done, refused by
  code, request-to-reply times); the acknowledgement figures then include their cost.
- errors: anything that went wrong (refusals, timeouts, dropped connections, lines the service
  logged); keys starting "baseline_" are from the echo run. Exit code 0 only if lost == 0 and
  errors is empty. Percentiles are nearest-rank over the sorted latencies.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import resource
import shutil
import string
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from figures import pct, serve_command  # noqa: E402  (bench/ is the script's own directory)
from websockets.asyncio.client import ClientConnection  # noqa: E402
from websockets.exceptions import ConnectionClosed  # noqa: E402

from proctor.link import messages as m  # noqa: E402
from proctor.link.auth import Credential, handshake, open_connection  # noqa: E402
from proctor.package import load_package  # noqa: E402
from proctor.package.demo import write_demo  # noqa: E402
from proctor.sim.machines import Tally, count_lost, holdings_reply  # noqa: E402
from proctor.sim.operator import Operator  # noqa: E402

BATCH = 100  # connections opened together
START_TIMEOUT_S = 60.0  # a server's first stdout line
STEP_TIMEOUT_S = 30.0  # one batch of logins, the holdings query, closing everything
ACK_WAIT_S = 30.0  # outstanding acks after the burst
STOP_TIMEOUT_S = 10.0  # SIGTERM -> exit, before SIGKILL
HB = m.encode(m.Heartbeat())

# The baseline: the same TLS and challenge, hello/login answered trivially, every save
# acknowledged at once, nothing stored or checked.
ECHO_SERVER = r"""
import asyncio, json, sys
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed
from proctor.link.auth import server_context

async def handle(ws):
    try:
        await ws.send(json.dumps({"t": "challenge", "v": 2, "nonce": "0" * 32, "room": "echo"}))
        async for raw in ws:
            msg = json.loads(raw)
            t = msg.get("t")
            if t == "save":
                await ws.send(json.dumps({"t": "ack", "id": msg["id"], "seq": msg["seq"]}))
            elif t == "hello":
                await ws.send(json.dumps({"t": "welcome", "v": 2, "room": "echo", "now": 0.0,
                                          "scale": 1.0, "heartbeat_s": 1.0}))
            elif t == "login":
                await ws.send(json.dumps({"t": "login_ok", "id": msg["id"], "candidate": {},
                                          "state": "answering", "end": 0.0, "session": "s"}))
    except ConnectionClosed:
        pass

async def main():
    tls = server_context(sys.argv[1])
    async with serve(handle, "127.0.0.1", 0, ssl=tls, compression=None, max_size=256 * 1024) as server:
        port = server.sockets[0].getsockname()[1]
        print(json.dumps({"listening": f"wss://127.0.0.1:{port}"}), flush=True)
        await asyncio.Event().wait()  # until SIGTERM

asyncio.run(main())
"""


def say(text: str) -> None:
    print(f"link_load: {text}", file=sys.stderr, flush=True)


async def sleep_until(at: float) -> None:
    delay = at - asyncio.get_running_loop().time()
    if delay > 0:
        await asyncio.sleep(delay)


class Refused(Exception):
    pass


class Load:
    """One run's shared state: latencies, acknowledged seqs, errors, outstanding saves."""

    def __init__(self, answer_bytes: int) -> None:
        self.tally = Tally()
        self.steady_ms: list[float] = []
        self.burst_ms: list[float] = []
        self.sent = 0
        self.outstanding = 0
        self.settled = asyncio.Event()
        self.settled.set()
        self.burst = (0.0, 0.0)  # from its start to its last ack, on the monotonic clock
        self.commits: dict[str, Any] = {}  # the service's own commit times (RoomService.commit_times)
        # Pre-made answer texts sized so the whole save message is about answer_bytes.
        probe = m.encode(m.Save(id=99999, ticket="0" * 12, seq=99999, answers={"q": 60, "text": ""}, answered=99))
        n = max(16, answer_bytes - len(probe))
        rng = random.Random(7)
        self.texts = ["".join(rng.choices(string.ascii_letters + string.digits + " ", k=n)) for _ in range(64)]

    def sending(self) -> None:
        self.sent += 1
        self.outstanding += 1
        self.settled.clear()

    def settle(self) -> None:
        self.outstanding -= 1
        if self.outstanding == 0:
            self.settled.set()


class Machine:
    """One exam machine: hello, login, heartbeats, saves; acks are timed by its reader."""

    def __init__(self, load: Load, machine: str, ticket: str, id_number: str, rng: random.Random) -> None:
        self.load, self.machine, self.ticket, self.id_number, self.rng = load, machine, ticket, id_number, rng
        self.ws: ClientConnection | None = None
        self.seq = 0
        self.state = ""
        self.closing = False
        self.pending: dict[int, tuple[int, bool, float]] = {}  # request id -> (seq, burst, sent at)
        self.replies: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.state_seen = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []
        self._req = 0

    def _next_id(self) -> int:
        self._req += 1
        return self._req

    async def open(self, url: str, key: str) -> None:
        self.ws = await open_connection(url)
        welcome = await handshake(self.ws, Credential.machine(key, self.machine), clock=time.time())
        if not isinstance(welcome, m.Welcome):
            raise Refused(getattr(welcome, "code", "no_welcome"))
        self.tasks.append(asyncio.create_task(self._read()))
        self.tasks.append(asyncio.create_task(self._heartbeats()))
        rid = self._next_id()
        fut = self.replies[rid] = asyncio.get_running_loop().create_future()
        await self.ws.send(m.encode(m.Login(id=rid, ticket=self.ticket, id_number=self.id_number)))
        reply = await fut
        if reply.get("t") != "login_ok":
            raise Refused(reply.get("code", "no_login_ok"))
        self.seq = reply.get("last_seq") or 0
        self.state = reply.get("state", "")
        while self.state != "answering":  # bounded by the caller's timeout
            self.state_seen.clear()
            await self.state_seen.wait()

    async def _read(self) -> None:
        assert self.ws is not None
        load = self.load
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                msg = json.loads(raw)
                t, rid = msg.get("t"), msg.get("id")
                if rid in self.pending and t in ("ack", "error"):
                    seq, burst, sent_at = self.pending.pop(rid)
                    load.settle()
                    if t == "error":
                        load.tally.error(f"save_{msg.get('code')}")
                    elif msg.get("seq") != seq or msg.get("dup"):
                        load.tally.error("ack_mismatch")
                    else:
                        (load.burst_ms if burst else load.steady_ms).append((now - sent_at) * 1000)
                        load.tally.acked_seqs.setdefault(self.ticket, []).append(seq)
                elif rid in self.replies:
                    fut = self.replies.pop(rid)
                    if not fut.done():
                        fut.set_result(msg)
                elif t == "state":
                    self.state = msg.get("state", "")
                    self.state_seen.set()
                elif t == "error":
                    load.tally.error(f"error_{msg.get('code')}")
        except ConnectionClosed:
            pass
        if not self.closing:
            load.tally.error("connection_lost")
        if self.pending:  # never acknowledged: count them and stop waiting for them
            load.tally.errors["unacked"] = load.tally.errors.get("unacked", 0) + len(self.pending)
            for _ in self.pending:
                load.settle()
            self.pending.clear()
        for fut in self.replies.values():
            if not fut.done():
                fut.set_exception(ConnectionError("connection closed"))

    async def _heartbeats(self) -> None:
        assert self.ws is not None
        loop = asyncio.get_running_loop()
        at = loop.time() + self.rng.random()
        try:
            while True:
                await sleep_until(at)
                await self.ws.send(HB)
                at += 1.0
        except ConnectionClosed:
            pass

    async def save(self, burst: bool) -> None:
        assert self.ws is not None
        self.seq += 1
        rid = self._next_id()
        answers = {"q": self.seq % 60 + 1, "text": self.rng.choice(self.load.texts)}
        data = m.encode(m.Save(id=rid, ticket=self.ticket, seq=self.seq, answers=answers, answered=self.seq % 100))
        self.load.sending()
        self.pending[rid] = (self.seq, burst, time.perf_counter())
        try:
            await self.ws.send(data)
        except ConnectionClosed:
            if self.pending.pop(rid, None) is not None:  # the reader may have counted it already
                self.load.settle()
                self.load.tally.error("unsent")
            raise

    async def drive(self, start: float, stop: float, save_every: float, window: float) -> None:
        """Steady saves from start to stop, then one burst save within the window after stop."""
        try:
            at = start + self.rng.uniform(0, save_every)
            while at < stop:
                await sleep_until(at)
                await self.save(False)
                at += save_every
            await sleep_until(stop + self.rng.uniform(0, window))
            await self.save(True)
        except ConnectionClosed:
            pass  # the reader counts it

    async def close(self) -> None:
        self.closing = True
        for t in self.tasks[1:]:
            t.cancel()
        if self.ws is not None:
            await self.ws.close()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def drive(
    label: str,
    url: str,
    key: str,
    seats: list[tuple[str, str, str]],
    args: argparse.Namespace,
    check: Callable[[Load], Awaitable[None]] | None = None,
    operator: Operator | None = None,
) -> Load:
    """Connect every machine, run the steady phase and the burst, wait for acks, then close."""
    load = Load(args.answer_bytes)
    rng = random.Random(args.seed)
    machines = [Machine(load, mid, ticket, idn, random.Random(rng.random())) for mid, ticket, idn in seats]
    loop = asyncio.get_running_loop()
    t = loop.time()
    live: list[Machine] = []
    for i in range(0, len(machines), BATCH):
        batch = machines[i : i + BATCH]
        results = await asyncio.gather(
            *(asyncio.wait_for(mc.open(url, key), STEP_TIMEOUT_S) for mc in batch), return_exceptions=True
        )
        for mc, r in zip(batch, results, strict=True):
            if isinstance(r, BaseException):
                load.tally.error(f"open_{r.args[0]}" if isinstance(r, Refused) else f"open_{type(r).__name__}")
                mc.closing = True
            else:
                live.append(mc)
    say(f"{label}: {len(live)}/{len(machines)} machines logged in in {loop.time() - t:.2f} s")
    gc.collect()
    gc.freeze()  # keep the collector off the long-lived connection objects during the run

    start = loop.time() + 0.5
    stop = start + args.duration
    window = args.burst_window_ms / 1000
    loop_deadline = time.monotonic() + (stop - loop.time())  # the operator's clock is time.monotonic()
    await asyncio.gather(
        *(mc.drive(start, stop, args.save_every, window) for mc in live),
        *([operator.run(loop_deadline)] if operator else []),
    )
    try:
        await asyncio.wait_for(load.settled.wait(), ACK_WAIT_S)
    except TimeoutError:
        load.tally.errors["ack_timeout"] = load.outstanding
    load.burst = (stop, loop.time())  # the loop's clock is time.monotonic, as the service's commit times are
    say(
        f"{label}: {load.sent} saves, steady p50/p99/max {pct(load.steady_ms, 50)}/{pct(load.steady_ms, 99)}/"
        f"{pct(load.steady_ms, 100)} ms, burst p50/p99/max {pct(load.burst_ms, 50)}/{pct(load.burst_ms, 99)}/"
        f"{pct(load.burst_ms, 100)} ms, settled {loop.time() - stop:.2f} s after the burst began"
    )
    if check is not None:
        await check(load)
    try:
        await asyncio.wait_for(asyncio.gather(*(mc.close() for mc in machines), return_exceptions=True), STEP_TIMEOUT_S)
    except TimeoutError:
        load.tally.error("close_timeout")
    gc.unfreeze()
    return load


class Server:
    """A server subprocess whose first stdout line is a JSON object with "listening"."""

    def __init__(self, label: str, cmd: list[str], log_path: Path, cpus: set[int] | None = None) -> None:
        self.label, self.cmd, self.log_path, self.cpus = label, cmd, log_path, cpus
        self.proc: asyncio.subprocess.Process | None = None
        self.url = ""

    async def start(self) -> str:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
        with open(self.log_path, "wb") as err:
            cpus = self.cpus
            self.proc = await asyncio.create_subprocess_exec(
                *self.cmd,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=err,
                env=env,
                preexec_fn=None if cpus is None else lambda: os.sched_setaffinity(0, cpus),
            )
        assert self.proc.stdout is not None
        try:
            line = await asyncio.wait_for(self.proc.stdout.readline(), START_TIMEOUT_S)
            self.url = json.loads(line)["listening"]
        except (TimeoutError, ValueError, KeyError) as exc:
            raise RuntimeError(f"{self.label} did not start: {exc!r}; stderr: {self.log_text()[-2000:]}") from None
        say(f"{self.label} listening on {self.url}")
        return self.url

    def cpu_s(self) -> float | None:
        """CPU seconds the server process has used so far (Linux /proc; None elsewhere)."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split() if self.proc else []
        except OSError:
            return None
        return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2) if fields else None

    def memory_mb(self) -> tuple[float | None, float | None]:
        """(resident now, peak resident) of the server process, MB (Linux /proc; None elsewhere)."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text() if self.proc else ""
        except OSError:
            return None, None
        kb = {
            k: int(v.split()[0])
            for k, v in (line.split(":", 1) for line in status.splitlines())
            if k in ("VmRSS", "VmHWM")
        }
        return (
            round(kb["VmRSS"] / 1024, 1) if "VmRSS" in kb else None,
            round(kb["VmHWM"] / 1024, 1) if "VmHWM" in kb else None,
        )

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    async def stop(self) -> int | None:
        """Terminate (then kill); the exit code, or None if it had already died before."""
        p = self.proc
        if p is None:
            return None
        died = p.returncode is not None
        if not died:
            p.terminate()
            try:
                await asyncio.wait_for(p.wait(), STOP_TIMEOUT_S)
            except TimeoutError:
                say(f"{self.label} ignored SIGTERM; killing it")
                p.kill()
                await p.wait()
        return None if died else p.returncode


def seats_of(package) -> list[tuple[str, str, str]]:
    """(machine, ticket, id number) for every seated candidate of the first sitting."""
    out = []
    for ticket in package.sittings[0].tickets:
        c = package.candidate(ticket)
        if c is not None and c.seat:
            out.append((c.seat, c.ticket, c.id_number))
    return out


def machines_for(n: int) -> int:
    """The smallest machine count whose regular seats (R01: ~5% spares) hold n candidates."""
    total = n + 1
    while total - max(1, (total * 5 + 50) // 100) < n:
        total += 1
    return total


def raise_fd_limit(n: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 4 * n + 64
    if soft != resource.RLIM_INFINITY and soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        say(f"file descriptor limit {soft} -> {new}")


async def service_round(
    args: argparse.Namespace, package, seats: list[tuple[str, str, str]], tmp: Path, errors: dict[str, int], out: dict
) -> tuple[Load, int | None]:
    """One run against the room service, on a fresh database: the load and what it lost."""
    lost: int | None = None
    service = Server(
        "service",
        serve_command(sys.executable, tmp / "package", tmp / "room.db"),
        tmp / "service.log",
        args.server_cpus,
    )
    try:
        url = await service.start()
        if service.cpus is not None and service.proc is not None:  # where it runs, as the system says
            out["cpus"]["servers"] = sorted(os.sched_getaffinity(service.proc.pid))

        async def check(load: Load) -> None:
            nonlocal lost
            try:
                reply = await asyncio.wait_for(holdings_reply(url, package.room_key), STEP_TIMEOUT_S)
                lost = count_lost(load.tally, reply["sittings"])
                load.commits = reply.get("commits") or {}
            except (TimeoutError, OSError, ConnectionClosed) as exc:
                load.tally.error(f"holdings_{type(exc).__name__}")

        operator = (
            Operator(url, package.room_key, random.Random(args.seed), args.operations) if args.operations else None
        )
        load = await drive("service", url, package.room_key, seats, args, check, operator)
        _merge(errors, load.tally.errors)
        if operator is not None:
            out["operations"] = operator.tally.summary()
        rss, peak = service.memory_mb()
        out.update(service_rss_mb=rss, service_peak_rss_mb=max(peak or 0, out.get("service_peak_rss_mb") or 0) or None)
        out["service_cpu_s"] = round((out.get("service_cpu_s") or 0) + (service.cpu_s() or 0), 2)
    finally:
        code = await service.stop()
    if code is None:
        _merge(errors, {"service_died": 1})
    elif code != 0:
        _merge(errors, {f"service_exit_{code}": 1})
    logged = [line for line in service.log_text().splitlines() if line.strip()]
    if logged:
        _merge(errors, {"service_log_lines": len(logged)})
        say("service stderr (last 20 lines):\n  " + "\n  ".join(logged[-20:]))
    for leftover in tmp.glob("room.db*"):  # the next round starts a fresh room
        leftover.unlink()
    os.sync()  # and the blocks freed are given back now, not during its commits
    return load, lost


async def echo_round(
    args: argparse.Namespace, package, seats: list[tuple[str, str, str]], tmp: Path, errors: dict[str, int], out: dict
) -> Load:
    """One run of the same load against the bare echo server."""
    echo = Server("echo", [sys.executable, "-c", ECHO_SERVER, package.room_key], tmp / "echo.log", args.server_cpus)
    try:
        base = await drive("baseline", await echo.start(), package.room_key, seats, args)
        _merge(errors, {f"baseline_{k}": v for k, v in base.tally.errors.items()})
        out["baseline_cpu_s"] = round((out.get("baseline_cpu_s") or 0) + (echo.cpu_s() or 0), 2)
    finally:
        code = await echo.stop()
    if code is None:
        _merge(errors, {"baseline_server_died": 1})
    return base


def slow_in_burst(load: Load) -> list[list[float]]:
    """The service's slow commits (over its `slow_ms`) while the burst's saves waited: [wall ms,
    CPU ms, changes, sync ms] each. Every save behind one waits at least its wall time."""
    start, end = load.burst
    return [c[1:] for c in load.commits.get("latest", []) if start <= c[0] <= end]


def _merge(into: dict[str, int], more: dict[str, int]) -> None:
    for k, v in more.items():
        into[k] = into.get(k, 0) + v


async def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    n = args.machines
    t = time.monotonic()
    write_demo(tmp / "package", candidates=n, machines=machines_for(n), seed=args.seed)
    os.sync()  # the package's own writeback must not land in the service's commits
    package = load_package(tmp / "package")
    seats = seats_of(package)
    say(
        f"demo package: {len(seats)} seated candidates, {len(package.machines)} machines ({time.monotonic() - t:.1f} s)"
    )
    errors: dict[str, int] = {}
    out: dict[str, Any] = {"machines": n, "duration_s": args.duration, "cpus": args.cpus}
    if args.rounds > 1:
        out["rounds"] = args.rounds
    lost: int | None = 0
    loads: list[Load] = []
    bases: list[Load] = []
    # The service and the echo take turns, so that both meet the machine's good and bad moments.
    for r in range(args.rounds):
        if args.rounds > 1:
            say(f"round {r + 1} of {args.rounds}")
        load, round_lost = await service_round(args, package, seats, tmp, errors, out)
        lost = None if lost is None or round_lost is None else lost + round_lost
        loads.append(load)
        bases.append(await echo_round(args, package, seats, tmp, errors, out))

    def pooled(runs: list[Load], attr: str) -> list[float]:
        return [x for run_ in runs for x in getattr(run_, attr)]

    out.update(
        saves=sum(load.sent for load in loads),
        ack_p50_ms=pct(pooled(loads, "steady_ms"), 50),
        ack_p99_ms=pct(pooled(loads, "steady_ms"), 99),
        burst_ack_p99_ms=pct(pooled(loads, "burst_ms"), 99),
        baseline_p50_ms=pct(pooled(bases, "steady_ms"), 50),
        baseline_p99_ms=pct(pooled(bases, "steady_ms"), 99),
        baseline_burst_p99_ms=pct(pooled(bases, "burst_ms"), 99),
    )
    out.update(
        service_slow_commits=sum(load.commits.get("slow", 0) for load in loads),
        service_slow_commits_in_burst=[c for load in loads for c in slow_in_burst(load)],
    )
    if args.rounds > 1:  # each round's own figures, service then echo
        out["by_round"] = [
            {
                "ack_p99_ms": [pct(a.steady_ms, 99), pct(b.steady_ms, 99)],
                "burst_ack_p99_ms": [pct(a.burst_ms, 99), pct(b.burst_ms, 99)],
                "slow_commits_in_burst": slow_in_burst(a),
            }
            for a, b in zip(loads, bases, strict=True)
        ]
    out.update(lost=lost, errors=errors)
    return out


def place(placement: str) -> tuple[set[int] | None, dict[str, list[int]] | str]:
    """Pins this process to one core and gives the others to the servers, for `apart` where the
    system can; returns the servers' cores (None: not pinned) and what to report."""
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if placement == "shared" or len(cores) < 2:
        return None, "shared"
    load, servers = {cores[0]}, set(cores[1:])
    os.sched_setaffinity(0, load)
    return servers, {"load": sorted(load), "servers": sorted(servers)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Save acknowledgement latency under load, against a bare echo baseline.")
    ap.add_argument("--machines", type=int, required=True, help="exam machines (one candidate each)")
    ap.add_argument("--duration", type=float, required=True, help="steady phase, seconds")
    ap.add_argument("--burst-window-ms", type=float, default=200.0, help="every machine saves once within this window")
    ap.add_argument("--save-every", type=float, default=5.0, help="seconds between a machine's saves")
    ap.add_argument("--answer-bytes", type=int, default=2048, help="size of one save message")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="service and echo take turns this many times; the percentiles pool every round's saves",
    )
    ap.add_argument(
        "--operations",
        type=float,
        metavar="SECONDS",
        help="against the service, proctors at a console apply an operation (extra time, …) about this often",
    )
    ap.add_argument(
        "--placement",
        choices=("apart", "shared"),
        default="apart",
        help="apart: this generator on one core, the server under test on the others (where there are two or more)",
    )
    args = ap.parse_args(argv)
    if args.machines < 1 or args.duration <= 0 or args.save_every <= 0 or args.rounds < 1:
        ap.error("--machines, --duration, --save-every and --rounds must be positive")
    args.server_cpus, args.cpus = place(args.placement)

    raise_fd_limit(args.machines)
    tmp = Path(tempfile.mkdtemp(prefix="link_load-"))
    t = time.monotonic()
    try:
        out = asyncio.run(run(args, tmp))
    except Exception as exc:  # still one JSON line, and a failing exit code
        say(f"failed: {exc!r}")
        out = {"machines": args.machines, "duration_s": args.duration, "lost": None, "errors": {"fatal": 1}}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    say(f"done in {time.monotonic() - t:.1f} s")
    print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0 if out["lost"] == 0 and not out["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
