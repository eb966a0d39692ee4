"""The console's command line, and the whole demo started the way a newcomer starts it."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import msgspec
import pytest
from PySide6.QtGui import QColor, QImage

from proctor.clock import SimulatedClock
from proctor.link import messages
from proctor.link.console_client import RoomView
from proctor.resources import load_policy
from proctor.service import RoomService
from proctor.store import EventLog
from tests.factories import START, make_package
from ui import theme
from ui.app import build_parser, package_header, parse_size
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_size_is_width_by_height():
    assert parse_size("1024x768") == (1024, 768)
    with pytest.raises(argparse.ArgumentTypeError):
        parse_size("1024")


def test_connect_and_demo_exclude_each_other():
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--demo", "--connect", "ws://127.0.0.1:1"])
    args = build_parser().parse_args(["--demo"])
    assert args.lang == "zh" and args.size == (1280, 800)


def test_the_demo_starts_and_saves_a_screenshot(tmp_path):
    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui.app",
            "--demo",
            "--size",
            "1024x768",
            "--screenshot",
            str(shot),
            "--quit-after",
            "2.5",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1024, 768)
    # The header (top tenth) has its text: the exam, the clock, the counts.
    header = colour_counts(image, 0.0, 0.1)
    dark = sum(n for rgb, n in header.items() if QColor(rgb).lightness() < 100)
    assert len(header) > 100 and dark > 1000, f"the header looks empty: {len(header)} colours, {dark} dark pixels"
    # The seat map (below the header, above the table) is covered with the room's tiles, filled and
    # edged in their states' colours: by 2.5 s some candidates have logged in and some have not.
    seats = colour_counts(image, 0.15, 0.6)
    band = sum(seats.values())
    fills = {st: seats[rgb(t.fill)] / band for st, t in theme.STATE_TINTS.items()}
    accents = sum(seats[rgb(t.accent)] for t in theme.STATE_TINTS.values()) / band
    shown = sorted(st for st, share in fills.items() if share > 0.02)
    assert sum(fills.values()) > 0.4 and accents > 0.02 and len(shown) >= 2, (
        f"the seat map shows no room: tile fills cover {sum(fills.values()):.0%} ({shown}), accents {accents:.1%}"
    )


def rgb(hex_: str) -> int:
    return QColor(hex_).rgb() & 0xFFFFFF


def colour_counts(image: QImage, top: float, bottom: float) -> Counter[int]:
    """Pixels per colour (0xRRGGBB) in a band of the image, given as fractions of its height."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    line = image.bytesPerLine()
    rows = image.constBits()[int(top * image.height()) * line : int(bottom * image.height()) * line]
    return Counter(p & 0xFFFFFF for p in rows.cast("I"))


def test_before_the_service_answers_the_header_is_the_one_the_service_will_send(tmp_path):
    package = make_package(candidates=30, machines=32)

    async def first_snapshot() -> dict:
        service = RoomService(
            package, load_policy(package.policy), EventLog(tmp_path / "room.db"), SimulatedClock(START - 3600)
        )
        await service.open()
        try:
            return msgspec.json.decode(
                messages.encode(messages.Snapshot(room=service.room_snapshot(), seq=service.log.last_seq))
            )
        finally:
            await service.close()
            service.log.close()

    view = RoomView()
    view.apply_message(asyncio.run(first_snapshot()))
    served = {k: v for k, v in view.header.items() if k not in ("now", "scale")}
    assert package_header(package) == served
    assert served["policy"]["name"] == "全国会计专业技术资格考试"
    assert (served["proctors"], served["proctors_required"]) == ([], 3)  # 30 candidates call for three proctors


def test_without_its_policy_file_the_package_header_shows_the_room_without_the_policy(qtbot):
    package = make_package(policy="no-such-profile")
    header = package_header(package)
    assert header["policy"] == {"id": "no-such-profile", "name": "", "defaulted": []}
    assert header["sittings"][0]["subject"] == "初级会计实务"
    window = MainWindow(RoomView(), package_header=header)
    qtbot.addWidget(window)
    assert window.header_bar.short_code.text() == package.short_code
    assert not window.header_bar.policy_button.isEnabled()  # nothing to show: no profile name


def test_proctors_are_given_as_a_comma_separated_list():
    args = build_parser().parse_args(["--demo", "--proctors", "张三，李四, 王五"])
    assert args.proctors == ["张三", "李四", "王五"]
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--demo", "--proctors", " , "])
