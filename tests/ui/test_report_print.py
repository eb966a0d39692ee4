"""打印考场记录 over a real room service: the console asks the service for a form built from the
room's log (`room_form`) and saves it as a PDF, paints it for the print preview, or prints it;
what goes wrong (the service refuses, no printer, a folder that cannot be written) is said in
Chinese in the dialog. Opened from 房间 → 打印考场记录… and Ctrl+P."""

from __future__ import annotations

import gc
import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog

from proctor.domain.commands import RoomForm
from proctor.domain.events import ViolationAct
from proctor.link.console_client import CommandRefused
from proctor.resources import load_policy
from tests.ui.test_extra_time_dialog import PROCTORS, answering, answering_room  # noqa: F401  (the served room)
from tests.waiting import until
from ui import report_print
from ui.report_print import RoomFormsDialog

SHOT = Path(os.environ.get("PROCTOR_SHOTS", "/tmp")) / "print-dialog.png"
FACTS = "考生使用自带手机查阅资料，监考员当场发现。"


def pdf_text(pdf: Path) -> str:
    """The PDF's text without white space (a table cell may break a number over lines)."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


async def with_a_violation(live) -> str:
    """The first candidate answering, with a violation recorded: the forms print their ID number."""
    ticket = await answering(live)
    await live.client.record_violation(ticket, ViolationAct.OWN_DEVICE, FACTS, PROCTORS)
    return ticket


def open_dialog(live) -> RoomFormsDialog:
    live.window.findChild(QAction, "printFormsAction").trigger()
    dialog = live.window.dialogs[report_print.DIALOG]
    assert isinstance(dialog, RoomFormsDialog)
    return dialog


def test_the_room_menu_and_ctrl_p_open_the_dialog(chinese, answering_room):  # the window built in Chinese  # noqa: F811
    action = answering_room.window.findChild(QAction, "printFormsAction")
    assert action.text() == "打印考场记录…"
    assert action.shortcut() == QKeySequence("Ctrl+P")
    room_menu = next(
        a.menu() for a in answering_room.window.menuBar().actions() if a.menu() and action in a.menu().actions()
    )
    assert room_menu.title().startswith("考场")  # 考场(&R): the room


def test_the_report_saved_as_pdf_holds_its_title_and_the_candidates_id_number(answering_room, chinese, tmp_path):  # noqa: F811
    live = answering_room
    title = load_policy(live.package.policy).report_form
    pdf = tmp_path / "report.pdf"

    async def scenario() -> None:
        ticket = await with_a_violation(live)
        dialog = open_dialog(live)
        assert [c[0] for c in dialog.choices] == ["report", "violations", "transfers"]
        assert "R38" in dialog.note.text() and "主考" in dialog.note.text()
        dialog.save_pdf(pdf)
        await until(lambda: pdf.is_file() and "已保存" in dialog.done_label.text(), "the PDF saved", timeout=10)
        assert not dialog.error.isVisible()
        text = pdf_text(pdf)
        candidate = live.package.candidate(ticket)
        assert title in text and candidate.id_number in text and ticket in text
        assert "1/" in text  # the pages are numbered
        dialog.adjustSize()
        dialog.grab().save(str(SHOT))

    live.run(scenario(), timeout=30)


def test_the_violation_sheet_is_one_of_the_forms(answering_room, chinese, tmp_path):  # noqa: F811
    live = answering_room
    pdf = tmp_path / "violations.pdf"

    async def scenario() -> None:
        ticket = await with_a_violation(live)
        dialog = open_dialog(live)
        dialog.choose("violations")
        assert "应试人员" in dialog.note.text()
        dialog.save_pdf(pdf)
        await until(lambda: "已保存" in dialog.done_label.text(), "the PDF saved", timeout=10)
        text = pdf_text(pdf)
        assert "考场违纪情况记录单" in text and live.package.candidate(ticket).id_number in text

    live.run(scenario(), timeout=30)


def test_the_preview_paints_the_form_onto_the_printers_pages(answering_room, chinese, tmp_path):  # noqa: F811
    live = answering_room
    pdf = tmp_path / "painted.pdf"

    async def scenario() -> None:
        ticket = await with_a_violation(live)
        dialog = open_dialog(live)
        dialog.preview()
        await until(
            lambda: dialog.findChild(report_print.QPrintPreviewDialog, "printPreview") is not None, "the preview"
        )
        preview = dialog.findChild(report_print.QPrintPreviewDialog, "printPreview")
        assert preview.isVisible() and load_policy(live.package.policy).report_form in preview.windowTitle()
        second = dialog.open_preview(dialog.form)  # a second preview: the first keeps its printer
        gc.collect()
        for each in (preview, second):
            shown = each.findChild(QPrintPreviewWidget)
            shown.updatePreview()  # what the preview does on every change of page set-up: paintRequested
            assert shown.pageCount() >= 1
        second.close()
        # The slot the preview calls, on a printer writing a PDF.
        printer = report_print.new_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf))
        pages = dialog.paint(printer)
        del printer  # the file is complete once the printer is gone
        assert pages >= 1
        text = pdf_text(pdf)
        assert live.package.candidate(ticket).id_number in text and f"1/{pages}" in text
        preview.close()

    live.run(scenario(), timeout=30)


def test_printing_to_a_printer_reports_the_pages_sent(answering_room, chinese, tmp_path):  # noqa: F811
    live = answering_room
    pdf = tmp_path / "printed.pdf"

    async def scenario() -> None:
        await with_a_violation(live)
        dialog = open_dialog(live)
        dialog.choose("transfers")
        dialog.fetch(lambda form: None)
        await until(lambda: dialog.form is not None, "the form")
        printer = report_print.new_printer()
        printer.setOutputFileName(str(pdf))  # a printer that prints into a file: no queue needed here
        assert dialog.print_on(printer)
        assert "应试人员跨考场调动单" in dialog.done_label.text() and "1 页" in dialog.done_label.text()
        del printer
        assert "应试人员跨考场调动单" in pdf_text(pdf)
        # Through the print dialog: accepted, it prints on the printer chosen there; cancelled, nothing.
        chosen = tmp_path / "chosen.pdf"
        ask = dialog.ask_printer(dialog.form)
        ask.printer().setOutputFileName(str(chosen))
        ask.done(QDialog.DialogCode.Rejected)
        assert not chosen.exists()
        ask = dialog.ask_printer(dialog.form)
        ask.printer().setOutputFileName(str(chosen))
        ask.done(QDialog.DialogCode.Accepted)
        await until(lambda: chosen.is_file() and chosen.stat().st_size > 0, "the printed file")
        assert "打印机" in dialog.done_label.text()

    live.run(scenario(), timeout=30)


def test_an_incident_the_log_does_not_hold_is_refused_in_chinese(answering_room, chinese):  # noqa: F811
    live = answering_room

    async def scenario() -> None:
        await with_a_violation(live)
        dialog = open_dialog(live)
        dialog._add_choice("incident", 7, "第 7 号")  # a number the console saw is gone from the log
        dialog.choose("incident", 7)
        dialog.preview()
        await until(lambda: dialog.error.isVisible(), "the refusal shown")
        assert "没有第 7 号突发事件" in dialog.error.text()
        assert "没有突发事件记录" in dialog.error.text()  # and what there is instead
        assert dialog.preview_button.isEnabled()  # free to choose again

    live.run(scenario(), timeout=30)


def test_an_incident_opened_in_the_room_is_offered_and_printed(answering_room, chinese, tmp_path):  # noqa: F811
    live = answering_room
    pdf = tmp_path / "incident.pdf"

    async def scenario() -> None:
        ticket = await answering(live)
        opened = await live.client.open_incident("machine-crash", (ticket,))
        await until(lambda: (live.view.header or {}).get("incidents"), "the incident in the header")
        dialog = open_dialog(live)
        dialog.choose("incident", opened["number"])
        assert "突发事件" in dialog.choice.currentText()
        dialog.save_pdf(pdf)
        await until(lambda: "已保存" in dialog.done_label.text(), "the PDF saved", timeout=10)
        assert "突发事件处理记录" in pdf_text(pdf)

    live.run(scenario(), timeout=30)


def test_a_folder_that_cannot_be_written_and_no_printer_are_said_in_chinese(
    answering_room,  # noqa: F811
    chinese,
    tmp_path,
    monkeypatch,
):
    live = answering_room

    async def scenario() -> None:
        await answering(live)
        dialog = open_dialog(live)
        dialog.save_pdf(tmp_path / "no such folder" / "report.pdf")
        assert dialog.error.isVisible()
        assert "无法保存" in dialog.error.text() and "不存在" in dialog.error.text()
        assert "请换一个文件夹" in dialog.error.text()

        monkeypatch.setattr(report_print, "installed_printers", lambda: [])
        dialog.print_()
        assert "没有安装打印机" in dialog.error.text() and "保存为 PDF" in dialog.error.text()

    live.run(scenario(), timeout=30)


def test_a_console_without_a_room_service_says_nothing_was_done(room_view, qloop, qtbot, chinese):
    dialog = RoomFormsDialog(room_view, None)
    qtbot.addWidget(dialog)
    dialog.open()

    async def scenario() -> None:
        dialog.preview()
        await until(lambda: dialog.error.isVisible(), "the error shown")

    qloop.run_until_complete(scenario())
    assert "未连接考场服务器" in dialog.error.text()


def test_a_hostile_form_request_is_an_error_reply_and_the_service_goes_on(answering_room):  # noqa: F811
    live = answering_room

    async def scenario() -> None:
        await answering(live)
        for bad in (RoomForm(form="../../etc/passwd"), RoomForm(form="incident", incident=-1)):  # type: ignore[arg-type]
            with pytest.raises(CommandRefused) as refused:
                await live.client.request(bad)
            assert refused.value.code == "bad_message"
        with pytest.raises(ValueError):
            await live.client.room_form("everything")
        reply = await live.client.room_form("report")  # the service goes on
        assert reply["last_seq"] > 0 and "<h1" in reply["html"]

    live.run(scenario(), timeout=30)


def test_a_remark_added_in_the_dialog_is_printed_under_its_heading(answering_room, chinese, tmp_path):  # noqa: F811
    live = answering_room
    pdf = tmp_path / "report.pdf"
    words = "第3排空调漏水，已调换至备用机位，未影响考生作答"

    async def scenario() -> None:
        await answering(live)  # connected, proctors signed in
        dialog = open_dialog(live)
        dialog.add_remark()  # nothing written: refused, in Chinese, and nothing recorded
        await until(lambda: dialog.error.isVisible(), "the empty remark refused", timeout=10)
        assert "备注内容为空" in dialog.error.text()
        dialog.remark.insertPlainText(words)
        dialog.add_remark()
        await until(lambda: "备注" in dialog.done_label.text(), "the remark added", timeout=10)
        assert dialog.remark.toPlainText() == ""
        dialog.save_pdf(pdf)
        await until(lambda: pdf.is_file() and "已保存" in dialog.done_label.text(), "the PDF saved", timeout=10)
        text = pdf_text(pdf)
        assert words in text[text.index("八、备注") :]

    live.run(scenario(), timeout=30)
