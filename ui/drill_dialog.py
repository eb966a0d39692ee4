"""演练评分: a drill (resources/drills, 004 九(四)) scored against what the room's log shows was
done — each check passed or failed with what was missed — and saved as a PDF to print and sign."""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from proctor.link.console_client import ConsoleClient, RoomView
from proctor.resources import drill_files, load_drill

from . import commands, theme
from .i18n import translate
from .pdf import save_pdf


def score_html(score: dict[str, Any], header: dict[str, Any], printed_at: float) -> str:
    """The score as one page: the drill, the room, each check, the total and the signatures."""
    e = html.escape
    rows = "".join(
        f"<tr><td style='color:{theme.OK if c['ok'] else theme.ALERT}'>{'✓' if c['ok'] else '✗'}</td>"
        f"<td>{e(c['what'])}</td><td>{e(c['detail'])}</td></tr>"
        for c in score["checks"]
    )
    place = " ".join(str(header.get(k) or "") for k in ("site", "room")).strip()
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(printed_at))
    words = {
        "title": translate("Drill", "Drill score"),
        "place": translate("Drill", "Room"),
        "proctors": translate("Drill", "Trainees"),
        "at": translate("Drill", "Scored at"),
        "points": translate("Drill", "Points"),
        "check": translate("Drill", "Check"),
        "detail": translate("Drill", "What the log shows"),
        "sign": translate("Drill", "Trainees' signatures:"),
        "lead": translate("Drill", "Drill lead's signature:"),
    }
    return (
        f"<h2>{e(words['title'])}：{e(score['title'])}</h2>"
        f"<p>{e(str(header.get('exam') or ''))}　{e(words['place'])}：{e(place)}<br>"
        f"{e(words['proctors'])}：{e('、'.join(header.get('proctors') or ()))}　{e(words['at'])}：{when}</p>"
        f"<p style='font-size:16pt'><b>{e(words['points'])}：{score['points']} / {score['total']}</b></p>"
        f"<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        f"<tr><th></th><th>{e(words['check'])}</th><th>{e(words['detail'])}</th></tr>{rows}</table>"
        f"<p><br>{e(words['sign'])}＿＿＿＿＿＿＿＿　　{e(words['lead'])}＿＿＿＿＿＿＿＿</p>"
    )


class DrillDialog(QDialog):
    def __init__(self, view: RoomView, client: ConsoleClient | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drill")
        self.setWindowTitle(translate("Drill", "Drill score"))
        self.view, self.client = view, client
        self.score: dict[str, Any] | None = None
        self.page = ""
        self.choice = QComboBox(self)
        for d in sorted(map(load_drill, drill_files()), key=lambda d: d.title):
            self.choice.addItem(d.title, d.id)
        self.score_button = QPushButton(translate("Drill", "Score (Enter)"), self)
        self.score_button.setDefault(True)
        self.score_button.clicked.connect(self.ask_score)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("drillScore")
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.pdf_button = QPushButton(translate("Drill", "Save as PDF to print…"), self)
        self.pdf_button.setEnabled(False)
        self.pdf_button.clicked.connect(self._ask_pdf)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(translate("Drill", "Drill:"), self))
        top.addWidget(self.choice, 1)
        top.addWidget(self.score_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.browser, 1)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.setStyleSheet(f"#error {{ color: {theme.ALERT}; }}")
        self.resize(820, 560)

    def ask_score(self) -> None:
        drill = self.choice.currentData()
        if not drill or self.client is None:
            return
        self.error.hide()
        commands.run(self, self.client.score_drill(drill), self._scored, on_error=self._show_error)

    def _scored(self, score: dict[str, Any]) -> None:
        self.score = score
        self.page = score_html(score, self.view.header, time.time())
        self.browser.setHtml(self.page)
        self.pdf_button.setEnabled(True)

    def _ask_pdf(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, translate("Drill", "Save the drill score"), "drill-score.pdf", "PDF (*.pdf)"
        )
        if name:
            self.save(Path(name))

    def save(self, path: Path) -> bool:
        if not save_pdf(self.page, path):
            self._show_error(
                translate("Drill", "Could not write {path}: choose a folder you can write to").format(path=path)
            )
            return False
        return True

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
