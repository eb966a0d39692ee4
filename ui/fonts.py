"""Pick a Chinese font that is really installed, with a fallback for rare characters."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

from proctor.resources import resources_dir

MAIN = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei")
# For names with CJK Extension A/B characters (PLATFORM.md: WenQuanYi Micro Hei has none).
RARE = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "SimSun-ExtB",
    "MingLiU-ExtB",
    "HanaMinA",
    "HanaMinB",
    "BabelStone Han",
)
EXT_B_SAMPLE = 0x20BB7  # 𠮷


def _has(family: str, codepoint: int) -> bool:
    f = QFont()
    f.setFamilies([family])
    return QFontMetrics(f).inFontUcs4(codepoint)


def setup_fonts(app: QApplication, point_size: float = 10.0) -> list[str]:
    """Set the application font; returns the family chain, empty when no Chinese font exists."""
    shipped = resources_dir() / "fonts"
    if shipped.is_dir():
        for path in sorted(shipped.glob("*.tt[cf]")) + sorted(shipped.glob("*.otf")):
            QFontDatabase.addApplicationFont(str(path))
    families = set(QFontDatabase.families())
    main = next((f for f in MAIN if f in families), None)
    font = QFont(app.font())
    font.setPointSizeF(point_size)
    if main is None:
        print(
            "proctor-console: no Chinese font found, Chinese text will show as boxes. "
            "Install one, e.g. `apt install fonts-wqy-microhei` (Debian/Ubuntu).",
            file=sys.stderr,
        )
        app.setFont(font)
        return []
    chain = [main] + [f for f in RARE if f in families and f != main]
    font.setFamilies(chain)
    app.setFont(font)
    if not any(_has(f, EXT_B_SAMPLE) for f in chain):
        print(
            f"proctor-console: using {main}; no installed font has CJK Extension B (e.g. 𠮷), "
            "so such names show a box. Install fonts-hanazono (or fonts-noto-cjk) for them.",
            file=sys.stderr,
        )
    return chain
