"""What the benches share: how they read a percentile (so their figures compare) and how they run the room service."""

from __future__ import annotations

import math


def pct(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile, rounded to 0.01."""
    if not values:
        return None
    s = sorted(values)
    return round(s[max(1, math.ceil(p / 100 * len(s))) - 1], 2)


def serve_command(python: str, package_dir: object, db: object) -> list[str]:
    """`proctor serve` as the benches run it: a port of its own choosing, the sitting started
    5 minutes ago (it prints where it listens as its first line)."""
    return [
        python,
        *("-m", "proctor.cli", "serve", "--package", str(package_dir), "--db", str(db)),
        *("--listen", "127.0.0.1:0", "--start-at", "now-5m"),
    ]
