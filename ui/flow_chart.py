"""The incident's flowchart drawn: each step a box in rows by its distance from the start, arrows
with the answers that lead on, the steps taken ticked, the current one filled; the path taken is
drawn bold. Laid out once per flowchart (`layout_flow`, pure), painted from that layout."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from proctor.domain.flows import Flow, StepKind

from . import theme
from .i18n import translate

BOX_W, BOX_H = 148.0, 58.0
GAP_X, GAP_Y = 8.0, 30.0
MARGIN = 4.0


def timer_answers() -> list[tuple[str, str]]:
    """A timer step's two answers, in words."""
    return [("done", translate("Incident", "Repaired")), ("expired", translate("Incident", "Not repaired in time"))]


@dataclass(frozen=True)
class Box:
    step: str
    rect: QRectF


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    label: str


@dataclass(frozen=True)
class Layout:
    boxes: dict[str, Box]
    arrows: tuple[Arrow, ...]
    size: QSize


def layout_flow(flow: Flow) -> Layout:
    """Rows by the longest way from the start, so every arrow points down; within a row, in the
    order first reached."""
    order = [flow.start]
    queue = deque([flow.start])
    while queue:
        for target in flow.steps[queue.popleft()].targets():
            if target in flow.steps and target not in order:
                order.append(target)
                queue.append(target)
    incoming = {sid: 0 for sid in order}
    for sid in order:
        for target in flow.steps[sid].targets():
            incoming[target] += 1
    depth = {sid: 0 for sid in order}
    ready = deque([flow.start])
    while ready:  # Kahn's order: a step's row is below every step that leads to it
        sid = ready.popleft()
        for target in flow.steps[sid].targets():
            depth[target] = max(depth[target], depth[sid] + 1)
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    rows: dict[int, list[str]] = {}
    for sid in order:
        rows.setdefault(depth[sid], []).append(sid)
    widest = max(len(r) for r in rows.values())
    width = MARGIN * 2 + widest * BOX_W + (widest - 1) * GAP_X
    boxes = {}
    for d, sids in rows.items():
        row_w = len(sids) * BOX_W + (len(sids) - 1) * GAP_X
        x0 = (width - row_w) / 2
        for i, sid in enumerate(sids):
            boxes[sid] = Box(sid, QRectF(x0 + i * (BOX_W + GAP_X), MARGIN + d * (BOX_H + GAP_Y), BOX_W, BOX_H))
    arrows = []
    for sid in order:
        step = flow.steps[sid]
        words = dict(timer_answers()) if step.kind is StepKind.TIMER else {}
        arrows += [Arrow(sid, t, words.get(a, a)) for a, t in step.answers]
        if step.next:
            arrows.append(Arrow(sid, step.next, ""))
    height = MARGIN * 2 + len(rows) * BOX_H + (len(rows) - 1) * GAP_Y
    return Layout(boxes, tuple(arrows), QSize(int(width), int(height)))


class FlowChart(QWidget):
    """Shows one flowchart with the incident's progress on it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chart")
        self.flow: Flow | None = None
        self.layout_: Layout | None = None
        self.done: list[str] = []  # steps taken, in order
        self.current: str | None = None
        self.small = QFont(self.font())
        self.small.setPointSizeF(max(7.5, self.font().pointSizeF() - 1.5))

    def show_progress(self, flow: Flow | None, done: list[str], current: str | None) -> None:
        if flow is not self.flow:
            self.flow = flow
            self.layout_ = layout_flow(flow) if flow else None
            self.setFixedSize(self.layout_.size if self.layout_ else QSize(0, 0))
        self.done, self.current = list(done), current
        self.update()

    def mark(self, step: str) -> str:
        """How a step shows: current, done or waiting."""
        return "current" if step == self.current else ("done" if step in self.done else "waiting")

    def current_rect(self) -> QRectF | None:
        box = self.layout_.boxes.get(self.current or "") if self.layout_ else None
        return box.rect if box else None

    def paintEvent(self, event: object) -> None:  # noqa: N802
        if self.flow is None or self.layout_ is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = list(zip(self.done, [*self.done[1:], self.current], strict=False))
        for a in self.layout_.arrows:
            self._arrow(p, a, (a.source, a.target) in path)
        for box in self.layout_.boxes.values():
            self._box(p, box)
        p.end()

    def _arrow(self, p: QPainter, a: Arrow, taken: bool) -> None:
        boxes = self.layout_.boxes if self.layout_ else {}
        if a.source not in boxes or a.target not in boxes:
            return
        src, dst = boxes[a.source].rect, boxes[a.target].rect
        start = QPointF(src.center().x(), src.bottom())
        end = (
            QPointF(dst.center().x(), dst.top()) if dst.top() > src.bottom() else QPointF(dst.right(), dst.center().y())
        )
        color = QColor(theme.HEADING if taken else theme.BOX_HOVER)
        p.setPen(QPen(color, 2.4 if taken else 1.0))
        line = QPainterPath(start)
        line.cubicTo(QPointF(start.x(), start.y() + GAP_Y / 2), QPointF(end.x(), end.y() - GAP_Y / 2), end)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(line)
        p.setBrush(color)
        p.drawPolygon(QPolygonF([end, QPointF(end.x() - 4, end.y() - 7), QPointF(end.x() + 4, end.y() - 7)]))
        if a.label:
            p.setFont(self.small)
            p.setPen(QColor(theme.TEXT_SECOND))
            mid = QPointF((start.x() + end.x()) / 2, (start.y() + end.y()) / 2)
            p.drawText(QRectF(mid.x() - 60, mid.y() - 9, 120, 18), Qt.AlignmentFlag.AlignCenter, a.label)

    def _box(self, p: QPainter, box: Box) -> None:
        assert self.flow is not None
        step = self.flow.steps[box.step]
        mark = self.mark(box.step)
        fill, border, text = {
            "current": (theme.DEFAULTED_FILL, theme.WARN, theme.TEXT),
            "done": (theme.WHITE, theme.OK, theme.TEXT),
            "waiting": (theme.BOX_FILL, theme.BOX_BORDER, theme.TEXT_MUTED),
        }[mark]
        p.setPen(QPen(QColor(border), 3.0 if mark == "current" else 1.2))
        p.setBrush(QColor(fill))
        radius = 14.0 if step.kind is StepKind.OUTCOME else 4.0
        p.drawRoundedRect(box.rect, radius, radius)
        p.setFont(self.small)
        p.setPen(QColor(text))
        words = ("✓ " if mark == "done" else "") + step.text
        flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        p.drawText(box.rect.adjusted(6, 3, -6, -3), int(flags), words)
