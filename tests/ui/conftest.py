"""A room of 40 candidates at 48 machines, written by hand in the shape the service sends."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import copy
from typing import Any, Callable

import pytest

from proctor.link.console_client import RoomChange, RoomView

START = 1_800_000_000.0  # the sitting's start, exam clock
NOW = START + 10 * 60  # ten minutes in: sign-in still open
ROWS, COLS = 6, 8
SPARES = ("F07", "F08")
# Rare characters on purpose: 𠮷 is CJK Extension B (outside the BMP), 䶮 Extension A.
NAMES = ["张伟", "王芳", "林𠮷祥", "刘䶮", "阿依古丽·买买提", "陈静", "杨洋", "赵磊", "黄敏", "周杰"]
ABSENT_LATER = {5, 17}  # not logged in yet
OFFLINE = {9}  # logged in, machine dropped


def machine_id(i: int) -> str:
    return f"{'ABCDEF'[i // COLS]}{i % COLS + 1:02d}"


def ticket(i: int) -> str:
    return f"2733030010{i + 1:02d}"


def candidate_row(i: int, **over: Any) -> dict[str, Any]:
    logged_in = i not in ABSENT_LATER
    row = {
        "ticket": ticket(i),
        "name": NAMES[i % len(NAMES)] if i < len(NAMES) else f"{'王李张刘陈'[i % 5]}{'一二三四五六七八九十'[i % 10]}",
        "gender": "女" if i % 3 else "男",
        "id_masked": f"330302********{i:03d}X",
        "seat": machine_id(i),
        "machine": machine_id(i) if logged_in else None,
        "state": "answering" if logged_in else "expected",
        "flags": ["offline"] if i in OFFLINE else [],
        "last_seq": i % 7 if logged_in else 0,
        "answered": i % 7 if logged_in else None,
        "extra_min": 0,
        "end": START + 7200,
        "logged_in_at": START - 600 + i if logged_in else None,
        "submitted_at": None,
    }
    row.update(over)
    return row


def machine_row(i: int, **over: Any) -> dict[str, Any]:
    mid = machine_id(i)
    seated = i < 40 and i not in ABSENT_LATER
    row = {
        "id": mid,
        "row": i // COLS + 1,
        "col": i % COLS + 1,
        "spare": mid in SPARES,
        "online": seated and i not in OFFLINE or mid in SPARES,
        "ticket": ticket(i) if seated else None,
    }
    row.update(over)
    return row


def make_snapshot(candidates: int = 40, machines: int = ROWS * COLS, phase: str = "started", seq: int = 10) -> dict[str, Any]:
    return {
        "t": "snapshot",
        "seq": seq,
        "room": {
            "exam": "2027年度全国会计专业技术资格考试",
            "level": "初级",
            "batch": "2027-05-15 上午",
            "site": "温州市第一考点",
            "room": "第01考场",
            "policy": {"id": "national-accounting", "name": "全国会计专业技术资格考试"},
            "fingerprint": "c77a72f0e1fdca3d" + "0" * 48,
            "short_code": "C77A-72F0-E1FD-CA3D",
            "overbooked": False,
            "sittings": [
                {"number": 1, "subject": "初级会计实务", "start": START, "end": START + 7200, "phase": phase, "sign_in_closes": START + 1800}
            ],
            "sitting": 1,
            "now": NOW,
            "scale": 1.0,
            "machines": [machine_row(i) for i in range(machines)],
            "candidates": [candidate_row(i) for i in range(candidates)],
        },
    }


@pytest.fixture
def snapshot() -> dict[str, Any]:
    return make_snapshot()


@pytest.fixture
def room_view(snapshot: dict[str, Any]) -> RoomView:
    view = RoomView()
    view.apply_message(copy.deepcopy(snapshot))
    view.set_connected(True)
    return view


Feed = Callable[..., RoomChange]


@pytest.fixture
def feed(room_view: RoomView) -> Feed:
    """feed(candidates=[row, ...], machines=[row, ...]) applies one `changed` message."""

    def send(candidates: list[dict[str, Any]] = (), machines: list[dict[str, Any]] = (), events: list[dict[str, Any]] = ()) -> RoomChange:
        msg = {
            "t": "changed",
            "seq": room_view.seq + 1,
            "events": list(events),
            "candidates": [copy.deepcopy(c) for c in candidates],
            "machines": [copy.deepcopy(m) for m in machines],
        }
        change = room_view.apply_message(msg)
        assert change is not None
        return change

    return send


class Recorder:
    """Every dataChanged (top-left, bottom-right) and reset of a model, in order."""

    def __init__(self, model) -> None:
        self.changed: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self.resets = 0
        model.dataChanged.connect(lambda a, b, roles=(): self.changed.append(((a.row(), a.column()), (b.row(), b.column()))))
        model.modelReset.connect(self._reset)

    def _reset(self) -> None:
        self.resets += 1

    def rows(self) -> set[int]:
        return {r for (tl, br) in self.changed for r in range(tl[0], br[0] + 1)}

    def cells(self) -> set[tuple[int, int]]:
        return {(r, c) for (tl, br) in self.changed for r in range(tl[0], br[0] + 1) for c in range(tl[1], br[1] + 1)}


@pytest.fixture
def recorder() -> Callable[[Any], Recorder]:
    return Recorder


def pytest_collection_modifyitems(items) -> None:
    # qutebrowser's rule (STYLE.md): a Qt warning in a UI test is a failure.
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            # The offscreen platform says this of every dialog; it is about the platform, not us.
            item.add_marker(pytest.mark.qt_log_ignore("does not support propagateSizeHints"))
