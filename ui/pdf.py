"""A page of HTML saved as a PDF to print (a drill's score, one incident), in the console's font
chain so the Chinese font embeds and the text extracts."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from PySide6.QtGui import QFont, QPageSize, QPdfWriter, QTextDocument

from . import fonts


def save_pdf(page: str, path: Path) -> bool:
    """`page` written to `path` as A4; False when it could not be (QPdfWriter fails without a word)."""
    if path.parent.is_dir() and os.access(path.parent, os.W_OK):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
        writer = QPdfWriter(str(path))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setResolution(150)
        doc = QTextDocument()
        font = QFont()
        font.setFamilies(fonts.font_chain())
        font.setPointSizeF(10.5)
        doc.setDefaultFont(font)
        doc.setHtml(page)
        doc.print_(writer)
        del writer  # the file is complete once the writer is gone
    return path.is_file() and path.stat().st_size > 0
