"""The link benchmark runs and keeps its promises at a small size (the full size is run by hand:
python bench/link_load.py --machines 1000 --duration 30). No timing is asserted: the figures are
for reading side by side with the baseline of the same run."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def link_load(*args: str) -> tuple[dict, str]:
    """The bench's figures and what it said on stderr; it must have exited 0."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "link_load.py"), *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1]), run.stderr


def test_link_load_smoke():
    figures, _ = link_load("--machines", "100", "--duration", "5", "--operations", "0.3")
    assert figures["lost"] == 0 and figures["errors"] == {}
    assert figures["saves"] >= 100 * 2
    ops = figures["operations"]  # the proctors' operations mixed in, against the service
    assert sum(ops["done"].values()) >= 5 and ops["refused"] == {}, ops
    for key in ("ack_p50_ms", "ack_p99_ms", "burst_ack_p99_ms", "baseline_p99_ms", "baseline_burst_p99_ms"):
        assert figures[key] > 0
    assert figures["service_slow_commits"] >= len(figures["service_slow_commits_in_burst"])
    assert all(len(c) == 4 for c in figures["service_slow_commits_in_burst"])  # wall, cpu, changes, sync
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cores) >= 2:  # by default the generator and the servers run apart
        assert figures["cpus"] == {"load": cores[:1], "servers": cores[1:]}


def test_link_load_takes_turns_and_pools_the_rounds():
    figures, said = link_load("--machines", "30", "--duration", "2", "--rounds", "2", "--placement", "shared")
    assert figures["cpus"] == "shared"
    assert figures["lost"] == 0 and figures["errors"] == {}
    assert figures["rounds"] == 2 and len(figures["by_round"]) == 2
    assert all("slow_commits_in_burst" in r for r in figures["by_round"])
    assert said.count("service listening") == 2 and said.count("echo listening") == 2
    worst = max(r["burst_ack_p99_ms"][0] for r in figures["by_round"])
    assert 0 < figures["burst_ack_p99_ms"] <= worst  # pooled: no worse than the worst round
