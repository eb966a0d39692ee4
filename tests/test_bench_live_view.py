"""The live view benchmark runs end to end at a small size: service, exam machines and console in
their own processes, every change matched with the paint of its tile. The full size is run by
hand (python bench/live_view.py --machines 1000); no timing is asserted here."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = (
    "update_to_paint_p99_ms",
    "updates_measured",
    "missed",
    "full_repaint_median_ms",
    "tiles_on_screen",
    "rss_mb",
    "peak_rss_mb",
    "machines",
    "duration_s",
    "saves",
    "service_rss_mb",
    "errors",
)


def test_live_view_smoke():
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "live_view.py"), "--machines", "20", "--duration", "3"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])
    assert not [k for k in KEYS if k not in figures], figures
    assert figures["errors"] == {}
    assert figures["machines"] == 20 and figures["saves"] > 0
    # Every machine's connection and login at least, each seen on its tile.
    assert figures["updates_measured"] >= 40 and figures["missed"] == 0
    assert figures["tiles_on_screen"] >= 20 and figures["full_repaint_median_ms"] > 0
    assert figures["rss_mb"] > 0
