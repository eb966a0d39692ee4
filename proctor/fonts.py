"""Which installed fonts draw Chinese, for the screen and the printed report alike (QtGui only)."""

from __future__ import annotations

from collections.abc import Iterable

MAIN = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimHei")
# For names with CJK Extension A/B characters (PLATFORM.md: WenQuanYi Micro Hei has none). Sans-serif
# first, so that 林𠮷祥 keeps one style and 𠮷 stays apart from 吉 at tile size (fonts-noto-cjk);
# the Ming/Song fonts only for what no sans font has (𡒄 U+21484 is only in HanaMinB).
RARE_SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei")
RARE_SERIF = ("SimSun-ExtB", "MingLiU-ExtB", "HanaMinA", "HanaMinB", "BabelStone Han")


def font_chain(installed: Iterable[str] | None = None) -> list[str]:
    """The main Chinese font, then the installed rare-character fallbacks; empty when none exists."""
    if installed is None:
        from PySide6.QtGui import QFontDatabase

        installed = QFontDatabase.families()
    families = set(installed)
    main = next((f for f in MAIN if f in families), None)
    if main is None:
        return []
    return [main] + [f for f in RARE_SANS + RARE_SERIF if f in families and f != main]
