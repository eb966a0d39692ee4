"""Pick a Chinese font that is really installed, with a fallback for rare characters."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF, QRawFont, QTextLayout
from PySide6.QtWidgets import QApplication

from proctor.fonts import RARE_SANS, font_chain
from proctor.resources import resources_dir

EXT_A_SAMPLE = 0x4DAE  # 䶮
EXT_B_SAMPLE = 0x20BB7  # 𠮷
SANS_PACKAGE = "fonts-noto-cjk"  # Debian: Noto Sans CJK SC, sans-serif, covers both samples


def covers(family: str, codepoint: int) -> bool:
    """The family's own font has the character (QFontMetrics.inFontUcs4 counts fallbacks too)."""
    raw = QRawFont.fromFont(QFont(family))
    return raw.isValid() and raw.familyName() == family and raw.supportsCharacter(codepoint)


def drawn_by(chain: list[str], codepoint: int) -> str | None:
    """The first family of the chain that has the character, or None (it shows as a box)."""
    return next((family for family in chain if covers(family, codepoint)), None)


def baseline_drop(text: str, font: QFont) -> float:
    """How much lower than the font's own ascent a laid-out line of `text` puts its baseline:
    a fallback with a taller ascent (Noto Sans CJK for 𠮷) pushes the whole line down. Text
    placed by its top (QStaticText, drawText in a rect) goes this much higher to keep one
    baseline with its neighbours; 0 for text the main font draws alone."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    layout.endLayout()
    return max(0.0, line.ascent() - QFontMetricsF(font).ascent()) if line.isValid() else 0.0


def setup_fonts(app: QApplication, point_size: float = 10.0) -> list[str]:
    """Set the application font; returns the family chain, empty when no Chinese font exists."""
    shipped = resources_dir() / "fonts"
    if shipped.is_dir():
        for path in sorted(shipped.glob("*.tt[cf]")) + sorted(shipped.glob("*.otf")):
            QFontDatabase.addApplicationFont(str(path))
    chain = font_chain()
    font = QFont(app.font())
    font.setPointSizeF(point_size)
    if not chain:
        print(
            "proctor-console: no Chinese font found, Chinese text will show as boxes. "
            "Install one, e.g. `apt install fonts-wqy-microhei` (Debian/Ubuntu).",
            file=sys.stderr,
        )
        app.setFont(font)
        return []
    main = chain[0]
    font.setFamilies(chain)
    app.setFont(font)
    # A widget that names only the main family (a style sheet, setFamily) gets the same fallbacks.
    QFont.removeSubstitutions(main)
    QFont.insertSubstitutions(main, chain[1:])
    drawn = {drawn_by(chain, c) for c in (EXT_A_SAMPLE, EXT_B_SAMPLE)}
    if None in drawn:
        print(
            f"proctor-console: using {main}; no installed font has every CJK Extension A/B character "
            f"(e.g. 䶮, 𠮷), so such names show a box. Install {SANS_PACKAGE} for them.",
            file=sys.stderr,
        )
    elif drawn - {main, *RARE_SANS}:
        print(
            f"proctor-console: names with rare characters (e.g. 𠮷) are drawn in a serif font "
            f"({', '.join(sorted(drawn - {main, *RARE_SANS}))}); install {SANS_PACKAGE} to draw them "
            "in the same style as the rest.",
            file=sys.stderr,
        )
    return chain
