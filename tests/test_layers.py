"""The layering contracts in pyproject.toml hold, and the headless core loads no widgets."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(exe).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    run = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_whole_core_imports_without_qt_widgets():
    code = (
        "import sys, pkgutil, importlib, proctor\n"
        "for m in pkgutil.walk_packages(proctor.__path__, 'proctor.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6.QtWidgets', 'ui'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_no_core_source_names_qt_widgets():
    # Catches imports inside functions too, which the import test above cannot see.
    hits = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in (ROOT / "proctor").rglob("*.py")
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "QtWidgets" in line or "QtPrintSupport" in line
    ]
    assert not hits, hits
