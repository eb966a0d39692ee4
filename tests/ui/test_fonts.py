"""Names with CJK Extension A/B characters (䶮 U+4DAE, 𠮷 U+20BB7) are drawn in a sans-serif fallback
beside the main font (WenQuanYi Micro Hei has neither), and 𠮷 does not look like 吉."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter, QRawFont, QTextLayout
from PySide6.QtWidgets import QLabel

from ui.fonts import EXT_A_SAMPLE, EXT_B_SAMPLE, SANS_PACKAGE, baseline_drop, drawn_by, font_chain, setup_fonts

MAIN = "WenQuanYi Micro Hei"
FALLBACK = "Noto Sans CJK SC"
NAMES = "林𠮷祥 王䶮"


@pytest.fixture
def installed(qapp):
    families = set(QFontDatabase.families())
    for family, package in ((MAIN, "fonts-wqy-microhei"), (FALLBACK, SANS_PACKAGE)):
        if family not in families:
            pytest.skip(
                f"{family} is not installed: `sudo apt-get install {package}` (installer/setup.sh does it as root)"
            )


@pytest.fixture
def app_fonts(qapp, installed):
    """setup_fonts on the running application, undone afterwards."""
    before = QFont(qapp.font())
    chain = setup_fonts(qapp)
    yield chain
    QFont.removeSubstitutions(chain[0])
    qapp.setFont(before)


def runs(font: QFont, text: str) -> dict[str, str]:
    """Each character of the text → the family whose glyph draws it."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    out = {}
    at = 0  # UTF-16 offset: 𠮷 takes two units
    for ch in text:
        units = len(ch.encode("utf-16-le")) // 2
        if not ch.isspace():
            (run,) = layout.glyphRuns(at, units)
            out[ch] = run.rawFont().familyName()
        at += units
    return out


def glyph_image(font: QFont, text: str) -> QImage:
    image = QImage(40, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor("black"))
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return image


def test_the_chain_puts_a_sans_serif_fallback_for_extension_a_and_b_after_the_main_font(installed):
    chain = font_chain()
    assert chain[:2] == [MAIN, FALLBACK]
    assert drawn_by(chain, EXT_A_SAMPLE) == FALLBACK
    assert drawn_by(chain, EXT_B_SAMPLE) == FALLBACK
    raw = QRawFont.fromFont(QFont(FALLBACK))
    assert raw.familyName() == FALLBACK
    assert raw.supportsCharacter(EXT_A_SAMPLE) and raw.supportsCharacter(EXT_B_SAMPLE)
    assert not QRawFont.fromFont(QFont(MAIN)).supportsCharacter(EXT_B_SAMPLE)


def test_without_the_sans_font_the_serif_one_draws_rather_than_a_box(qapp):
    families = set(QFontDatabase.families())
    if not {MAIN, "HanaMinB"} <= families:
        pytest.skip("needs fonts-wqy-microhei and fonts-hanazono (installer/setup.sh installs both as root)")
    chain = font_chain(families - {FALLBACK, "Source Han Sans SC", "Microsoft YaHei"})
    assert chain[0] == MAIN and FALLBACK not in chain
    assert drawn_by(chain, EXT_B_SAMPLE) in ("HanaMinA", "HanaMinB")


def test_a_name_with_rare_characters_is_drawn_in_the_main_font_and_the_sans_fallback(qtbot, app_fonts):
    label = QLabel(NAMES)
    qtbot.addWidget(label)
    font = label.font()
    font.setPointSizeF(10)
    label.setFont(font)
    assert font.families()[0] == MAIN
    drawn = runs(font, NAMES)
    assert drawn == {"林": MAIN, "𠮷": FALLBACK, "祥": MAIN, "王": MAIN, "䶮": FALLBACK}

    # A font naming only the main family (a style sheet, setFamily) falls back the same way.
    only_main = QFont(MAIN)
    only_main.setPointSizeF(10)
    assert runs(only_main, NAMES) == drawn

    # At tile size 𠮷 (土 over 口) is told apart from 吉 (士 over 口).
    assert glyph_image(font, "𠮷") != glyph_image(font, "吉")

    label.adjustSize()
    shot = label.grab()
    assert not shot.isNull()
    out = os.environ.get("PROCTOR_SHOTS")
    if out:
        shot.save(str(Path(out) / "rare-names-10pt.png"))


def test_a_name_with_a_fallback_glyph_says_how_far_its_baseline_drops(app_fonts):
    font = QFont()
    font.setFamilies(app_fonts)
    font.setPointSizeF(11)
    assert baseline_drop("程怡晶", font) == 0
    drop = baseline_drop("林𠮷祥", font)
    assert 1 < drop < font.pointSizeF()  # Noto Sans CJK's taller ascent: a few pixels
    assert baseline_drop("刘䶮", font) == drop
    assert baseline_drop("", font) == 0
