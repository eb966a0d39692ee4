"""What the benches print: one way to read a percentile, shared so their figures compare."""

from __future__ import annotations

import math


def pct(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile, rounded to 0.01."""
    if not values:
        return None
    s = sorted(values)
    return round(s[max(1, math.ceil(p / 100 * len(s))) - 1], 2)
