"""The report benchmark runs on its busy room and prints a full report with every font embedded (the
timings are for reading by hand: python bench/report_render.py). No timing is asserted."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_report_render_bench_prints_the_busy_rooms_report():
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "report_render.py"), "--runs", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 1, run.stdout
    figures = json.loads(lines[0])
    assert figures["pages"] >= 2
    assert figures["fonts_embedded"] is True and figures["fonts"], figures
    assert (figures["candidates"], figures["violations"], figures["incidents"]) == (130, 20, 3)
    assert {"build_s", "render_s", "pdf_kb"} <= figures.keys()  # reported, not judged
