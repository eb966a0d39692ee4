#!/usr/bin/env python3
"""Log check: how long a room's start spends checking its event log, and an audit, on a big log.

    python bench/log_check.py --events 1000000 [--machines 1000] [--answer-bytes 2048] [--db PATH]

Builds a log of N events with `EventLog.append` in batches of 500, as a room at the end of a long
exam would leave it (mostly AnswerSaved with their answers, some machines going offline), unless
--db names one built before. Then times, each on a fresh open of the closed file:

- open_s: opening it to serve (the writer's lock, the file's header, the head against the last event,
  the index of every candidate's saves);
- check_s: `EventLog.check()`, what `proctor serve` runs before it starts: every event's link in the
  hash chain, up to the head;
- replay_s: decoding every event, what the service does next to rebuild the room (for comparison);
- audit_s: `find_damage()`, what `proctor audit` runs: the chain and every saved answer's digest;
- login_ms: `latest_answer` for every candidate, the mean per login.

One JSON line on stdout; progress on stderr. The file is kept (it is large: ~4 GB at the defaults).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from proctor.domain.events import AnswerSaved, MachineOffline  # noqa: E402
from proctor.domain.room import answers_digest, canonical_answers  # noqa: E402
from proctor.store import EventLog  # noqa: E402


def build(path: Path, events: int, machines: int, answer_bytes: int) -> None:
    seqs = [0] * machines
    at = 1_800_000_000.0
    batch: list = []
    answers: dict[str, bytes] = {}
    with EventLog(path) as log:
        for i in range(events):
            m = i % machines
            ticket = f"2027330101{m:04d}"
            at += 0.003
            if i % 50 == 7:
                batch.append(MachineOffline(at=at, machine=f"A{m:04d}", reason="heartbeat", ticket=ticket))
            else:
                seqs[m] += 1
                blob = canonical_answers({"essay": "x" * answer_bytes, "n": i})
                answers[answers_digest(blob)] = blob
                batch.append(
                    AnswerSaved(at=at, sitting=1, ticket=ticket, seq=seqs[m], digest=answers_digest(blob), answered=1)
                )
            if len(batch) == 500:
                log.append(batch, answers)
                batch, answers = [], {}
                if (i + 1) % 100_000 == 0:
                    print(f"built {i + 1} events", file=sys.stderr)
        log.append(batch, answers)


def timed(f):
    t = time.perf_counter()
    result = f()
    return result, round(time.perf_counter() - t, 2)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--machines", type=int, default=1000)
    p.add_argument("--answer-bytes", type=int, default=2048)
    p.add_argument("--db", type=Path, help="a log built before by this script (built here if missing)")
    args = p.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="log-check-")) / "room.db"
    built_s = None
    if not db.exists():
        _, built_s = timed(lambda: build(db, args.events, args.machines, args.answer_bytes))

    log, open_s = timed(lambda: EventLog(db))
    with log:
        _, check_s = timed(log.check)
    with EventLog(db) as log:
        n, replay_s = timed(lambda: sum(1 for _ in log.replay()))
        logins = []
        for m in range(args.machines):
            t = time.perf_counter()
            log.latest_answer(1, f"2027330101{m:04d}")
            logins.append(time.perf_counter() - t)
    with EventLog(db, readonly=True) as log:
        damage, audit_s = timed(log.find_damage)
    print(
        json.dumps(
            {
                "db": str(db),
                "events": n,
                "db_mb": round(db.stat().st_size / 2**20),
                "built_s": built_s,
                "open_s": open_s,
                "check_s": check_s,
                "replay_s": replay_s,
                "audit_s": audit_s,
                "intact": damage is None,
                "login_ms": round(statistics.mean(logins) * 1000, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
