"""A page of HTML the console makes (a drill's score) saved as a PDF to print: paged, numbered and
with its fonts and characters as the room's forms have them (proctor.report.render.write_pdf)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from proctor.report.render import write_pdf

from . import fonts


def save_pdf(page: str, path: Path) -> bool:
    """`page` written to `path` as A4; False when it could not be."""
    if not (path.parent.is_dir() and os.access(path.parent, os.W_OK)):
        return False
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
    try:
        write_pdf(page, path, fonts.font_chain())
    except (OSError, ValueError):  # not written, or written short (QPdfWriter says nothing)
        return False
    return path.is_file() and path.stat().st_size > 0
