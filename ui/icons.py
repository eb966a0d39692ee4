"""Small icons for states, flags and alert kinds: a glyph (a shape, not only a colour) drawn
once in the colour of ui/theme.py and cached."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

from . import theme
from .theme import Glyph

SIZES = (16, 32)  # logical pixels; QIcon picks and scales the nearest
STRIP = 14  # one glyph in a row of flags (the flags column)

_icons: dict[tuple[Glyph, str], QIcon] = {}
_strips: dict[tuple[tuple[str, ...], float], QPixmap] = {}


def state_icon(state: str) -> QIcon:
    t = theme.tint(state)
    return glyph_icon(t.glyph, t.accent)


def flag_icon(flag: str) -> QIcon:
    b = theme.badge(flag)
    return glyph_icon(b.glyph, b.colour)


def alert_icon(kind: str) -> QIcon:
    b = theme.alert_badge(kind)
    return glyph_icon(b.glyph, b.colour)


def glyph_icon(glyph: Glyph, colour: str) -> QIcon:
    key = (glyph, colour)
    icon = _icons.get(key)
    if icon is None:
        icon = QIcon()
        for size in SIZES:
            icon.addPixmap(glyph_pixmap(glyph, colour, size))
        _icons[key] = icon
    return icon


def glyph_pixmap(glyph: Glyph, colour: str, size: int, dpr: float = 1.0) -> QPixmap:
    pm = QPixmap(round(size * dpr), round(size * dpr))
    pm.setDevicePixelRatio(dpr)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    draw_glyph(p, glyph, QRectF(0, 0, size, size), theme.color(colour))
    p.end()
    return pm


def flags_strip(flags: Iterable[str], dpr: float = 1.0) -> QPixmap | None:
    """The glyphs of several flags side by side, most urgent first (the flags column)."""
    flags = tuple(flags)
    if not flags:
        return None
    key = (flags, dpr)
    pm = _strips.get(key)
    if pm is None:
        gap = 2
        w = len(flags) * (STRIP + gap) - gap
        pm = QPixmap(round(w * dpr), round(STRIP * dpr))
        pm.setDevicePixelRatio(dpr)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        for i, f in enumerate(flags):
            b = theme.badge(f)
            draw_glyph(p, b.glyph, QRectF(i * (STRIP + gap), 0, STRIP, STRIP), theme.color(b.colour))
        p.end()
        if len(_strips) > 512:  # combinations are few; this only bounds a misbehaving feed
            _strips.clear()
        _strips[key] = pm
    return pm


def clear_caches() -> None:
    """Drop every cached pixmap: before the QApplication goes, not at interpreter exit."""
    _icons.clear()
    _strips.clear()


# -- the glyphs -----------------------------------------------------------------------------------


def draw_glyph(p: QPainter, glyph: Glyph, box: QRectF, colour: QColor) -> None:
    s = min(box.width(), box.height())
    r = QRectF(box.center().x() - s / 2, box.center().y() - s / 2, s, s).adjusted(s * 0.1, s * 0.1, -s * 0.1, -s * 0.1)
    pen = QPen(colour, max(1.2, s / 9), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    p.save()
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    _DRAW[glyph](p, r, colour)
    p.restore()


def _at(r: QRectF, x: float, y: float) -> QPointF:
    """A point in the glyph's box, x and y from 0 to 1."""
    return QPointF(r.left() + x * r.width(), r.top() + y * r.height())


def _ring(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawEllipse(r.adjusted(1, 1, -1, -1))


def _dot(p: QPainter, r: QRectF, c: QColor) -> None:
    p.setBrush(c)
    p.drawEllipse(r.adjusted(1, 1, -1, -1))


def _play(p: QPainter, r: QRectF, c: QColor) -> None:
    p.setBrush(c)
    p.drawPolygon(QPolygonF([_at(r, 0.2, 0.08), _at(r, 0.92, 0.5), _at(r, 0.2, 0.92)]))


def _check(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawPolyline(QPolygonF([_at(r, 0.08, 0.55), _at(r, 0.38, 0.85), _at(r, 0.92, 0.18)]))


def _cross(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawLine(_at(r, 0.15, 0.15), _at(r, 0.85, 0.85))
    p.drawLine(_at(r, 0.85, 0.15), _at(r, 0.15, 0.85))


def _cycle(p: QPainter, r: QRectF, c: QColor) -> None:
    inner = r.adjusted(r.width() * 0.1, r.height() * 0.1, -r.width() * 0.1, -r.height() * 0.1)
    p.drawArc(inner, 60 * 16, 280 * 16)
    p.setBrush(c)
    p.drawPolygon(QPolygonF([_at(r, 0.62, 0.0), _at(r, 0.95, 0.2), _at(r, 0.6, 0.38)]))


def _square(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawRect(r.adjusted(r.width() * 0.12, r.height() * 0.12, -r.width() * 0.12, -r.height() * 0.12))


def _arrow(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawLine(_at(r, 0.08, 0.5), _at(r, 0.88, 0.5))
    p.drawPolyline(QPolygonF([_at(r, 0.55, 0.18), _at(r, 0.9, 0.5), _at(r, 0.55, 0.82)]))


def _minus(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawEllipse(r.adjusted(1, 1, -1, -1))
    p.drawLine(_at(r, 0.28, 0.5), _at(r, 0.72, 0.5))


def _slash(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawEllipse(r.adjusted(1, 1, -1, -1))
    p.drawLine(_at(r, 0.2, 0.8), _at(r, 0.8, 0.2))


def _pause(p: QPainter, r: QRectF, c: QColor) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c)
    p.drawRect(QRectF(_at(r, 0.18, 0.1), _at(r, 0.42, 0.9)))
    p.drawRect(QRectF(_at(r, 0.58, 0.1), _at(r, 0.82, 0.9)))


def _exclamation(p: QPainter, r: QRectF, top: float, bottom: float) -> None:
    p.drawLine(_at(r, 0.5, top), _at(r, 0.5, bottom))
    p.drawPoint(_at(r, 0.5, bottom + 0.17))


def _warning(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawPolygon(QPolygonF([_at(r, 0.5, 0.04), _at(r, 0.97, 0.92), _at(r, 0.03, 0.92)]))
    _exclamation(p, r, 0.36, 0.58)


def _card(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawRoundedRect(QRectF(_at(r, 0.02, 0.18), _at(r, 0.98, 0.82)), 1.5, 1.5)
    p.drawEllipse(QRectF(_at(r, 0.16, 0.34), _at(r, 0.4, 0.6)))
    p.drawLine(_at(r, 0.54, 0.4), _at(r, 0.84, 0.4))
    p.drawLine(_at(r, 0.54, 0.62), _at(r, 0.84, 0.62))


def _plus(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawLine(_at(r, 0.5, 0.1), _at(r, 0.5, 0.9))
    p.drawLine(_at(r, 0.1, 0.5), _at(r, 0.9, 0.5))


def _diamond(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawPolygon(QPolygonF([_at(r, 0.5, 0.04), _at(r, 0.96, 0.5), _at(r, 0.5, 0.96), _at(r, 0.04, 0.5)]))


def _double(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawRect(QRectF(_at(r, 0.04, 0.04), _at(r, 0.64, 0.64)))
    p.setBrush(c)
    p.drawRect(QRectF(_at(r, 0.36, 0.36), _at(r, 0.96, 0.96)))


def _bang(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawEllipse(r.adjusted(1, 1, -1, -1))
    _exclamation(p, r, 0.22, 0.52)


def _question(p: QPainter, r: QRectF, c: QColor) -> None:
    path = QPainterPath(_at(r, 0.28, 0.32))
    path.cubicTo(_at(r, 0.28, 0.0), _at(r, 0.78, 0.0), _at(r, 0.74, 0.34))
    path.cubicTo(_at(r, 0.7, 0.52), _at(r, 0.5, 0.5), _at(r, 0.5, 0.66))
    p.drawPath(path)
    p.drawPoint(_at(r, 0.5, 0.9))


def _clock(p: QPainter, r: QRectF, c: QColor) -> None:
    p.drawEllipse(r.adjusted(1, 1, -1, -1))
    p.drawPolyline(QPolygonF([_at(r, 0.5, 0.2), _at(r, 0.5, 0.5), _at(r, 0.74, 0.64)]))


def _person(p: QPainter, r: QRectF, c: QColor) -> None:
    p.setBrush(c)
    p.drawEllipse(QRectF(_at(r, 0.32, 0.02), _at(r, 0.68, 0.38)))
    p.drawChord(QRectF(_at(r, 0.08, 0.48), _at(r, 0.92, 1.3)), 0, 180 * 16)


_DRAW: dict[Glyph, Callable[[QPainter, QRectF, QColor], None]] = {
    Glyph.RING: _ring,
    Glyph.DOT: _dot,
    Glyph.PLAY: _play,
    Glyph.CHECK: _check,
    Glyph.CROSS: _cross,
    Glyph.CYCLE: _cycle,
    Glyph.SQUARE: _square,
    Glyph.ARROW: _arrow,
    Glyph.MINUS: _minus,
    Glyph.SLASH: _slash,
    Glyph.PAUSE: _pause,
    Glyph.WARNING: _warning,
    Glyph.CARD: _card,
    Glyph.PLUS: _plus,
    Glyph.DIAMOND: _diamond,
    Glyph.DOUBLE: _double,
    Glyph.BANG: _bang,
    Glyph.QUESTION: _question,
    Glyph.CLOCK: _clock,
    Glyph.PERSON: _person,
}
