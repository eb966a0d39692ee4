"""Translators (ours and Qt's own) and the labels of states, flags and phases."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from proctor.resources import resources_dir

translate = QCoreApplication.translate

# The order a proctor reads a room in: who is here, who works, who is done, who is not.
STATES = (
    "expected",
    "logged_in",
    "answering",
    "submitted",
    "absent",
    "reset",
    "standalone",
    "transferred_out",
    "gave_up",
)
FLAGS = ("offline", "away", "violation", "extra_time", "wrong_seat", "duplicate_login", "id_checked")


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def install_translators(app: QCoreApplication, lang: str = "zh") -> list[QTranslator]:
    """Install our catalogue and Qt's own for `lang` ("zh" or "en"); missing files fail soft.

    Returns the translators so the caller keeps them alive (Qt does not own them)."""
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return []
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    installed = []
    ours = QTranslator(app)
    if ours.load("proctor_zh_CN", str(i18n_dir())):
        app.installTranslator(ours)
        installed.append(ours)
    else:
        print(f"proctor-console: no translation catalogue in {i18n_dir()}; showing English", file=sys.stderr)
    # Qt's own strings (standard buttons, context menus); PySide6-Essentials may lack them.
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qtbase = QTranslator(app)
    if qtbase.load("qtbase_zh_CN", qt_dir):
        app.installTranslator(qtbase)
        installed.append(qtbase)
    return installed


def state_label(state: str) -> str:
    labels = {
        "expected": translate("Labels", "Not logged in"),
        "logged_in": translate("Labels", "Logged in"),
        "answering": translate("Labels", "Answering"),
        "submitted": translate("Labels", "Submitted"),
        "absent": translate("Labels", "Absent"),
        "reset": translate("Labels", "Reset"),
        "standalone": translate("Labels", "Standalone"),
        "transferred_out": translate("Labels", "Transferred out"),
        "gave_up": translate("Labels", "Gave up"),
    }
    return labels.get(state, state)


def flag_label(flag: str) -> str:
    labels = {
        "offline": translate("Labels", "Offline"),
        "away": translate("Labels", "Away"),
        "violation": translate("Labels", "Violation"),
        "id_checked": translate("Labels", "ID checked"),
        "extra_time": translate("Labels", "Extra time"),
        "wrong_seat": translate("Labels", "Wrong seat"),
        "duplicate_login": translate("Labels", "Duplicate login"),
    }
    return labels.get(flag, flag)


def phase_label(phase: str) -> str:
    labels = {
        "scheduled": translate("Labels", "Not started"),
        "started": translate("Labels", "In progress, sign-in open"),
        "sign_in_closed": translate("Labels", "In progress, sign-in closed"),
        "ended": translate("Labels", "Ended"),
    }
    return labels.get(phase, phase)


def gender_label(gender: str) -> str:
    # The package keeps gender as on the ID card (男/女); English readers get M/F.
    return {"男": translate("Labels", "M"), "女": translate("Labels", "F")}.get(gender, gender)
