"""The package fingerprint QR code: what it holds, and that the header opens it without blocking."""

from __future__ import annotations

import segno
from PySide6.QtGui import QColor

from proctor.domain.package import arrangement_text
from ui.main_window import MainWindow
from ui.qr import BORDER, qr_image


def test_the_qr_image_is_the_arrangement_text_module_for_module():  # R55
    text = arrangement_text("温州市第一考点", "第01考场", "2027-05-15 上午", "ab" * 32)
    assert text.endswith("ab" * 32) and "第01考场" in text
    px = 5
    img = qr_image(text, module_px=px)
    rows = [list(r) for r in segno.make(text, error="m").matrix]
    assert img.width() == (len(rows) + 2 * BORDER) * px
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            colour = img.pixelColor((x + BORDER) * px + px // 2, (y + BORDER) * px + px // 2)
            assert (colour == QColor("#000000")) == bool(dark)


def test_the_header_opens_the_fingerprint_without_a_nested_loop(room_view, qtbot):
    window = MainWindow(room_view)
    qtbot.addWidget(window)
    dialog = window.header_bar.show_fingerprint()  # returns at once: open(), not exec()
    assert dialog.isVisible()
    assert not dialog.qr.pixmap().isNull()
    assert room_view.header["short_code"] in [w.text() for w in dialog.findChildren(type(dialog.qr))]
    dialog.close()
