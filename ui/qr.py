"""The package fingerprint as a QR code (DOMAIN §2: the site scans it against its arrangement)."""

from __future__ import annotations

from typing import Any

import segno
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from proctor.domain.package import arrangement_text

from .i18n import translate

BORDER = 4  # quiet zone, in modules, as the QR standard asks


def qr_image(text: str, module_px: int = 6) -> QImage:
    qr = segno.make(text, error="m")
    rows = [list(r) for r in qr.matrix]
    n = len(rows) + 2 * BORDER
    img = QImage(QSize(n * module_px, n * module_px), QImage.Format.Format_RGB32)
    img.fill(QColor("#ffffff"))
    p = QPainter(img)
    black = QColor("#000000")
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                p.fillRect((x + BORDER) * module_px, (y + BORDER) * module_px, module_px, module_px, black)
    p.end()
    return img


def header_arrangement_text(header: dict[str, Any]) -> str | None:
    if not header.get("fingerprint"):
        return None
    return arrangement_text(
        header.get("site", ""), header.get("room", ""), header.get("batch", ""), header["fingerprint"]
    )


class FingerprintDialog(QDialog):
    """Shown with open(), never exec() (see ask.py)."""

    def __init__(self, header: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("Fingerprint", "Exam package fingerprint"))
        text = header_arrangement_text(header) or ""
        self.qr = QLabel(self)
        self.qr.setPixmap(QPixmap.fromImage(qr_image(text)))
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        code = QLabel(header.get("short_code") or "----", self)
        code.setObjectName("shortCode")
        code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        code.setStyleSheet("font-family: monospace; font-size: 16pt; font-weight: bold;")
        fp = header.get("fingerprint") or ""
        full = QLabel(" ".join(fp[i : i + 8] for i in range(0, len(fp), 8)), self)
        full.setWordWrap(True)
        full.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        full.setStyleSheet("font-family: monospace; color: #546e7a;")
        hint = QLabel(
            translate(
                "Fingerprint",
                "Scan or read the code aloud and compare it with the site's published room arrangement before the exam.",
            ),
            self,
        )
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        for w in (self.qr, code, full, hint, buttons):
            lay.addWidget(w)
