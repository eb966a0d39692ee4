"""PLATFORM.md: PySide6-Essentials 6.12 on CPython 3.11 drops a reference to None on every void
call and aborts on the first paint of a seat map. Fail here, loudly, before that can ship."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QImage, QPainter


def test_void_calls_do_not_leak_references_to_none(qapp):
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    font = QFont()
    try:
        before = sys.getrefcount(None)
        for _ in range(1000):
            painter.setFont(font)
        leaked = before - sys.getrefcount(None)
    finally:
        painter.end()
    # Immortal None (3.12+) reports a huge constant count; a broken pair shows about 1000.
    assert abs(leaked) < 50, f"{leaked} references to None lost: a crashing PySide6/Python pair (see PLATFORM.md)"
