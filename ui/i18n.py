"""Translators (ours and Qt's own) and the labels of states, flags, alert kinds and phases."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from proctor.domain.events import (
    AlertKind,
    ExtraTimeReason,
    LeaveReason,
    ResetKind,
    ResetReason,
    ViolationAct,
    ViolationCategory,
)
from proctor.domain.room import Flag, Phase, State
from proctor.resources import resources_dir

translate = QCoreApplication.translate

# The domain declares states, flags and phases once, in reading order; the screen follows it.
STATES: tuple[str, ...] = tuple(s.value for s in State)
FLAGS: tuple[str, ...] = tuple(f.value for f in Flag)
ALERT_KINDS: tuple[str, ...] = tuple(k.value for k in AlertKind)


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


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    for t in translators:
        app.removeTranslator(t)


# One table per kind of thing, keyed by the domain's enums (tests/ui/test_legend.py checks that
# each is complete). Built on every call: the translator may change while the console runs.


def state_labels() -> dict[State, str]:
    return {
        State.EXPECTED: translate("Labels", "Not logged in"),
        State.LOGGED_IN: translate("Labels", "Logged in"),
        State.ANSWERING: translate("Labels", "Answering"),
        State.SUBMITTED: translate("Labels", "Submitted"),
        State.ABSENT: translate("Labels", "Absent"),
        State.RESET: translate("Labels", "Reset"),
        State.STANDALONE: translate("Labels", "Standalone"),
        State.TRANSFERRED_OUT: translate("Labels", "Transferred out"),
        State.GAVE_UP: translate("Labels", "Gave up"),
    }


def flag_labels() -> dict[Flag, str]:
    return {
        Flag.OFFLINE: translate("Labels", "Offline"),
        Flag.AWAY: translate("Labels", "Away"),
        Flag.VIOLATION: translate("Labels", "Violation"),
        Flag.ID_CHECKED: translate("Labels", "ID checked"),
        Flag.EXTRA_TIME: translate("Labels", "Extra time"),
        Flag.WRONG_SEAT: translate("Labels", "Wrong seat"),
        Flag.DUPLICATE_LOGIN: translate("Labels", "Duplicate login"),
        Flag.ALERT: translate("Labels", "Alert"),
    }


def alert_labels() -> dict[AlertKind, str]:
    return {
        AlertKind.MACHINE_OFFLINE: translate("Labels", "Exam machine offline"),
        AlertKind.DUPLICATE_LOGIN: translate("Labels", "Duplicate login"),
        AlertKind.WRONG_SEAT: translate("Labels", "Wrong seat"),
        AlertKind.UNKNOWN_MACHINE: translate("Labels", "Unknown exam machine"),
        AlertKind.CLOCK_STEPPED: translate("Labels", "Proctor machine clock stepped"),
        AlertKind.PROCTORS_SHORT: translate("Labels", "Too few proctors"),
        AlertKind.BAD_PROOF: translate("Labels", "Credential check failed"),
        AlertKind.MACHINE_CLASH: translate("Labels", "Exam machine connected twice"),
        AlertKind.MACHINE_CLOCK: translate("Labels", "Exam machine clock not calibrated"),
        AlertKind.MACHINE_UNSEALED: translate("Labels", "Internet or removable media on exam machine"),
        AlertKind.SAVE_CONFLICT: translate("Labels", "Resent answers differ"),
        AlertKind.SAVES_MISSING: translate("Labels", "Acknowledged saves missing"),
        AlertKind.ANSWERS_DAMAGED: translate("Labels", "Saved answers damaged"),
        AlertKind.SIGN_IN_CLOSING: translate("Labels", "Sign-in closes soon"),
        AlertKind.END_REMINDER: translate("Labels", "Remind the candidates: the exam ends soon"),
        AlertKind.AUTHCODE_LOCKED: translate("Labels", "Authorization request locked"),
        AlertKind.IDENTITY_MISMATCH: translate("Labels", "Identity does not match"),
        AlertKind.AWAY_TOO_LONG: translate("Labels", "Away too long"),
        AlertKind.BACKUP_DUE: translate("Labels", "Backup due"),
        # Standalone exam
        AlertKind.STANDALONE_OUTSTANDING: translate("Labels", "Standalone answers not recovered"),
        AlertKind.RESET_MACHINE: translate("Labels", "Reset machine still acting for the candidate"),
        AlertKind.UNLOCK_FAILED: translate("Labels", "Wrong unlock codes at the console"),
        AlertKind.INCIDENT_THRESHOLD: translate("Labels", "An incident's time limit has passed"),
        AlertKind.WIDE_OUTAGE: translate("Labels", "Many machines dropped at once"),
    }


def reason_labels() -> dict[ExtraTimeReason, str]:
    return {
        ExtraTimeReason.MACHINE_FAULT: translate("Labels", "Exam machine fault"),
        ExtraTimeReason.POWER: translate("Labels", "Power failure"),
        ExtraTimeReason.NETWORK: translate("Labels", "Network failure"),
        ExtraTimeReason.PERIPHERAL: translate("Labels", "Keyboard, mouse or screen fault"),
        ExtraTimeReason.SOFTWARE: translate("Labels", "Software fault"),
        ExtraTimeReason.OTHER_INCIDENT: translate("Labels", "Another incident"),
        ExtraTimeReason.CANDIDATE_ERROR: translate("Labels", "The candidate's own error"),
    }


def leave_reason_labels() -> dict[LeaveReason, str]:
    return {
        LeaveReason.TOILET: translate("Labels", "Toilet"),
        LeaveReason.ILLNESS: translate("Labels", "Illness"),
        LeaveReason.OTHER: translate("Labels", "Other (say which)"),
    }


def violation_act_labels() -> dict[ViolationAct, str]:
    """004 附件3's own words for each act."""
    return {
        ViolationAct.MARKED_ANSWERS: translate(
            "Labels", "Marked the electronic answers or signed outside the name field"
        ),
        ViolationAct.SWITCHED_OFF_MACHINE: translate("Labels", "Switched off or restarted the exam machine"),
        ViolationAct.MOVED_EQUIPMENT: translate("Labels", "Moved the screen far or moved the computer case"),
        ViolationAct.SWAPPED_OR_DAMAGED_EQUIPMENT: translate("Labels", "Swapped or damaged exam equipment"),
        ViolationAct.OWN_DEVICE: translate("Labels", "Used an external device of their own"),
        ViolationAct.CHEATING_TOOL: translate("Labels", "Installed cheating tools or programs"),
        ViolationAct.SYSTEM_INTRUSION: translate("Labels", "Broke into the exam system or changed its data"),
        ViolationAct.OTHER: translate("Labels", "Other (describe in the facts)"),
    }


def violation_category_labels() -> dict[ViolationCategory, str]:
    return {
        ViolationCategory.SCORE_VOID: translate("Labels", "Score of this subject void"),
        ViolationCategory.SERIOUS: translate("Labels", "Serious violation"),
        ViolationCategory.ESPECIALLY_SERIOUS: translate("Labels", "Especially serious violation"),
    }


def reason_label(reason: str) -> str:
    return _lookup(reason_labels(), ExtraTimeReason, reason)


# Reset (重置)


def reset_kind_labels() -> dict[ResetKind, str]:
    return {
        ResetKind.RESUME: translate("Labels", "Resume on a spare machine"),
        ResetKind.RESTART: translate("Labels", "Restart on the same machine"),
    }


def reset_kind_label(kind: str) -> str:
    return _lookup(reset_kind_labels(), ResetKind, kind)


def reset_reason_labels() -> dict[ResetReason, str]:
    return {
        ResetReason.MACHINE_FAULT: translate("Labels", "Exam machine fault"),
        ResetReason.NETWORK: translate("Labels", "Network failure"),
        ResetReason.PERIPHERAL: translate("Labels", "Keyboard or mouse fault"),
        ResetReason.CLOUD_ROOM: translate("Labels", "Cloud room system fault"),
        ResetReason.OTHER: translate("Labels", "Another fault"),
    }


def reset_reason_label(reason: str) -> str:
    return _lookup(reset_reason_labels(), ResetReason, reason)


def phase_labels() -> dict[Phase, str]:
    return {
        Phase.SCHEDULED: translate("Labels", "Not started"),
        Phase.STARTED: translate("Labels", "In progress, sign-in open"),
        Phase.SIGN_IN_CLOSED: translate("Labels", "In progress, sign-in closed"),
        Phase.ENDED: translate("Labels", "Ended"),
    }


def _lookup(labels: dict, enum: type[Enum], value: str) -> str:
    """The label of `value`; one this console does not know (a newer service) shows as it is."""
    try:
        return labels.get(enum(value), value)
    except ValueError:
        return value


def state_label(state: str) -> str:
    return _lookup(state_labels(), State, state)


def flag_label(flag: str) -> str:
    return _lookup(flag_labels(), Flag, flag)


def alert_label(kind: str) -> str:
    return _lookup(alert_labels(), AlertKind, kind)


def phase_label(phase: str) -> str:
    return _lookup(phase_labels(), Phase, phase)


def alert_detail(kind: str, detail: str) -> str:
    """An alert's detail in words: the service sends a reason code, a seat, a count or a step."""
    if not detail:
        return ""
    try:
        kind = AlertKind(kind)
    except ValueError:
        return detail
    if kind is AlertKind.MACHINE_UNSEALED:
        words = {"internet": translate("Labels", "Internet"), "removable_media": translate("Labels", "Removable media")}
        parts = [
            translate("Labels", "Internet address {address}").format(address=part.removeprefix("address "))
            if part.startswith("address ")
            else words.get(part, part)
            for part in detail.split(", ")
        ]
        return translate("Labels", "Reports {detail}").format(detail="、".join(parts))
    if kind is AlertKind.MACHINE_OFFLINE:
        return {
            "heartbeat": translate("Labels", "No heartbeat"),
            "disconnected": translate("Labels", "Connection closed"),
        }.get(detail, detail)
    template = {
        AlertKind.WRONG_SEAT: translate("Labels", "Assigned seat {detail}"),
        AlertKind.UNKNOWN_MACHINE: translate("Labels", "From {detail}"),
        AlertKind.CLOCK_STEPPED: translate("Labels", "Stepped by {detail}"),
        AlertKind.PROCTORS_SHORT: translate("Labels", "Signed in {detail}"),
        AlertKind.BAD_PROOF: translate("Labels", "From {detail}"),
        AlertKind.MACHINE_CLASH: translate("Labels", "Second connection from {detail}"),
        AlertKind.MACHINE_CLOCK: translate("Labels", "Off by {detail}"),
        AlertKind.SAVE_CONFLICT: translate("Labels", "Save {detail}"),
        AlertKind.SAVES_MISSING: translate("Labels", "Held/acknowledged {detail}"),
        AlertKind.ANSWERS_DAMAGED: translate("Labels", "Saves {detail}"),
        AlertKind.SIGN_IN_CLOSING: translate("Labels", "{detail} not logged in yet"),
        AlertKind.END_REMINDER: translate("Labels", "{detail} min to the end (R12)"),
        AlertKind.AUTHCODE_LOCKED: translate("Labels", "Request {detail}: too many wrong codes"),
        AlertKind.AWAY_TOO_LONG: translate("Labels", "Out of the room for {detail} min"),
        AlertKind.BACKUP_DUE: translate("Labels", "Sitting {detail}: not backed up 30 min after the end (R15)"),
        # Standalone exam
        AlertKind.STANDALONE_OUTSTANDING: translate("Labels", "Recover first (R26): {detail}"),
        AlertKind.RESET_MACHINE: translate("Labels", "The candidate was sent to {detail}"),
        AlertKind.UNLOCK_FAILED: translate("Labels", "{detail} wrong codes since the lock"),
        AlertKind.INCIDENT_THRESHOLD: translate("Labels", "Incident/step {detail}"),
        AlertKind.WIDE_OUTAGE: translate("Labels", "offline/in use: {detail}; start 应急处理"),
    }.get(kind)
    return template.format(detail=detail) if template else detail


def gender_label(gender: str) -> str:
    # The package keeps gender as on the ID card (男/女); English readers get M/F.
    return {"男": translate("Labels", "M"), "女": translate("Labels", "F")}.get(gender, gender)
