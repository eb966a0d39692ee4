"""Every string the console shows has a finished Simplified Chinese translation, and the shipped
.qm is what the .ts compiles to.

To add strings: pyside6-lupdate ui/*.py -ts resources/i18n/proctor_zh_CN.ts -no-obsolete -locations none,
translate them (pyside6-linguist, or by hand), then
pyside6-lrelease resources/i18n/proctor_zh_CN.ts -qm resources/i18n/proctor_zh_CN.qm
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale

from ui import i18n

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "ui"
TS = ROOT / "resources" / "i18n" / "proctor_zh_CN.ts"
QM = ROOT / "resources" / "i18n" / "proctor_zh_CN.qm"


def used_strings() -> set[tuple[str, str]]:
    """(context, source) of every translate(...) call in ui/; all must be literals."""
    found = set()
    for path in sorted(UI.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name not in ("translate", "tr"):
                continue
            args = node.args
            literal = all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args[:2])
            assert len(args) >= 2 and literal, f"{path.name}:{node.lineno}: translate() needs literal context and text"
            found.add((args[0].value, args[1].value))
    return found


def catalogue() -> dict[tuple[str, str], ET.Element]:
    out = {}
    for ctx in ET.parse(TS).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            out[(name, msg.findtext("source"))] = msg.find("translation")
    return out


def tool(name: str) -> str | None:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else shutil.which(name)


def test_every_string_shown_has_a_finished_chinese_translation():
    used, cat = used_strings(), catalogue()
    assert len(used) > 50
    missing = sorted(u for u in used if u not in cat)
    assert not missing, f"not in {TS.name}: {missing} (run pyside6-lupdate, see the module docstring)"
    unfinished = sorted(
        u
        for u in used
        if cat[u].get("type") in ("unfinished", "obsolete", "vanished") or not (cat[u].text or "").strip()
    )
    assert not unfinished, f"untranslated: {unfinished}"


def test_translations_keep_their_placeholders():
    for (ctx, src), tr in catalogue().items():
        assert set(re.findall(r"\{[^}]*\}", src)) == set(re.findall(r"\{[^}]*\}", tr.text or "")), (ctx, src, tr.text)


def test_lupdate_finds_nothing_the_catalogue_lacks(tmp_path):
    lupdate = tool("pyside6-lupdate")
    if lupdate is None:
        pytest.skip("pyside6-lupdate not installed")
    fresh = tmp_path / "fresh.ts"
    subprocess.run([lupdate, *map(str, sorted(UI.glob("*.py"))), "-ts", str(fresh), "-silent"], check=True, timeout=60)
    theirs = set()
    for ctx in ET.parse(fresh).getroot().iter("context"):
        theirs |= {(ctx.findtext("name"), m.findtext("source")) for m in ctx.iter("message")}
    assert theirs - set(catalogue()) == set()


def test_the_shipped_qm_is_the_compiled_ts(tmp_path):
    lrelease = tool("pyside6-lrelease")
    if lrelease is None:
        pytest.skip("pyside6-lrelease not installed")
    out = tmp_path / "proctor_zh_CN.qm"
    subprocess.run([lrelease, "-silent", str(TS), "-qm", str(out)], check=True, timeout=60)
    assert out.read_bytes() == QM.read_bytes(), "run pyside6-lrelease on the .ts and ship the result"


def test_installed_translators_speak_chinese(qapp):
    installed = i18n.install_translators(qapp, "zh")
    try:
        assert i18n.state_label("answering") == "作答中"
        assert i18n.flag_label("offline") == "离线"
        assert [i18n.state_label(s) for s in ("expected", "absent", "standalone")] == ["未登录", "缺考", "单机考试"]
        qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        if (qt_dir / "qtbase_zh_CN.qm").exists():
            assert len(installed) == 2  # Qt's own buttons speak Chinese too
            assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    finally:
        for t in installed:
            qapp.removeTranslator(t)
        QLocale.setDefault(QLocale.c())
    assert i18n.state_label("answering") == "Answering"


def test_english_installs_nothing(qapp):
    try:
        assert i18n.install_translators(qapp, "en") == []
        assert i18n.state_label("gave_up") == "Gave up"
    finally:
        QLocale.setDefault(QLocale.c())
