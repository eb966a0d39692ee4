"""The console's command line, and the whole demo started the way a newcomer starts it."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from ui.app import build_parser, parse_size

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
        [sys.executable, "-m", "ui.app", "--demo", "--size", "1024x768", "--screenshot", str(shot), "--quit-after", "2.5"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 0, run.stderr
    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1024, 768)
    assert "Traceback" not in run.stderr
