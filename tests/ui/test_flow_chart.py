"""The drawn flowchart: every shipped chart laid out with each step in one box, none overlapping,
each row further from the start than the last; painted, the current step is filled and a step
taken is not."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from proctor.resources import flow_files, load_flow
from ui import theme
from ui.flow_chart import FlowChart, layout_flow


@pytest.mark.parametrize("path", flow_files(), ids=lambda p: p.stem)
def test_every_chart_is_laid_out_without_overlaps_from_the_start_down(path):
    flow = load_flow(path)
    lay = layout_flow(flow)
    assert set(lay.boxes) == set(flow.steps)  # check() proves them reachable
    rects = [b.rect for b in lay.boxes.values()]
    assert not [(a, b) for i, a in enumerate(rects) for b in rects[i + 1 :] if a.intersects(b)]
    for sid, step in flow.steps.items():
        for target in step.targets():
            assert lay.boxes[target].rect.top() > lay.boxes[sid].rect.top() or target == flow.start
    assert {(a.source, a.target) for a in lay.arrows} == {(s, t) for s in flow.steps for t in flow.steps[s].targets()}
    width = max(r.right() for r in rects)
    assert width <= lay.size.width() and max(r.bottom() for r in rects) <= lay.size.height()


def test_the_current_step_is_filled_and_a_step_taken_is_not(qtbot):
    flow = load_flow(next(p for p in flow_files() if p.stem == "power-failure"))
    chart = FlowChart()
    qtbot.addWidget(chart)
    chart.show_progress(flow, ["calm", "report_site"], "repair")
    image = chart.grab().toImage()
    boxes = chart.layout_.boxes

    def inside(step):
        r = boxes[step].rect
        return QColor(image.pixel(int(r.left() + 8), int(r.bottom() - 6))).name()

    assert inside("repair") == QColor(theme.DEFAULTED_FILL).name()
    assert inside("calm") == QColor(theme.WHITE).name()
    assert inside("report_major") == QColor(theme.BOX_FILL).name()
    assert [chart.mark(s) for s in ("calm", "repair", "general_done")] == ["done", "current", "waiting"]
