"""The room's forms rendered: HTML from the content (`report_html`, `violations_html`,
`transfers_html`, `incident_html`: plain text, testable without Qt, built by the service too),
then paged onto A4 with "n / N" under each page, on a PDF (`write_pdf`) or a printer
(`paint_pages`). QtGui only, imported when painting: no widgets, so `proctor report` runs
without a screen."""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.policy import MEANINGS
from ..domain.refusal import Refused
from .content import Entry, Incident, Person, RoomReport, Violation
from .tounicode import mend_tounicode

if TYPE_CHECKING:
    from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QTextDocument

# The printed form's words for what the log records by code (the seeds' own: 004 附件3 for the acts).
ACT_WORDS = {
    "marked_answers": "在电子答卷上作标记或者在非署名处署名",
    "switched_off_machine": "擅自关闭或重启考试机",
    "moved_equipment": "大幅度调整显示屏摆放位置和角度、搬动主机箱",
    "swapped_or_damaged_equipment": "擅自更换或故意损毁机考设施设备",
    "own_device": "使用自带外接设备",
    "cheating_tool": "安装作弊工具和程序",
    "system_intrusion": "非法侵入考试系统",
    "other": "其他（见事实）",
}
CATEGORY_WORDS = {
    "score_void": "当次该科目考试成绩无效",
    "serious": "严重违纪违规",
    "especially_serious": "特别严重违纪违规",
}
NOTICE_WORDS = {"correction": "试题更正", "reminder": "结束前提醒", "incident": "突发事件", "other": "其他"}
ENTRY_WORDS = {
    "delayed_start": "延迟开考",
    "exam_ended": "结束考试",
    "reset": "重置",
    "extra_time": "补时",
    "standalone_out": "单机考试",
    "standalone_back": "单机作答回收",
    "standalone_written_off": "单机作答作废",
    "leave": "暂离",
    "return": "返回考场",
    "gave_up": "放弃考试",
    "choice": "停考后选择",
}


KEEP_TOGETHER = "七、"  # the report's last part: the defaulted numbers, remarks, signatures and digest
REFUSED_TO_SIGN = "应试人员拒绝签字的，由监考员在此注明：＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿"
ATTEST = "以上记录属实。"  # closes every form, just above the lines to sign (kept with them on one page)
QR_DIGEST = "qr:digest"  # the image of the log's digest, made by paint_pages
# The forms' titles besides the report's own (the profile's `report_form`), in the seeds' words.
VIOLATIONS_TITLE = "考场违纪情况记录单"  # 004 九(三)
TRANSFERS_TITLE = "应试人员跨考场调动单"  # 004 附件4 三(二)
INCIDENT_TITLE = "突发事件处理记录"
HEAD_SHADE = "#e6e6e6"  # a ruled form's header cells, light enough for any printer


def digest_text(report: RoomReport) -> str:
    """What the QR code holds: the last event's seq and hash, for `proctor audit`."""
    return f"proctor-log:{report.last_seq}:{report.last_hash}"


def _tz(report: RoomReport) -> timezone:
    sign = -1 if report.timezone.startswith("-") else 1
    hours, minutes = report.timezone.lstrip("+-").split(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes)))


class _Page:
    """What every form shares: escaping, the room's local times, a person, a ruled table, the
    form's heading and the lines to sign."""

    def __init__(self, report: RoomReport) -> None:
        self.report = report
        self.tz = _tz(report)

    e = staticmethod(html.escape)

    def t(self, at: float | None, fmt: str = "%H:%M:%S") -> str:
        return datetime.fromtimestamp(at, self.tz).strftime(fmt) if at is not None else "—"

    def person(self, p: Person) -> str:
        return f"{self.e(p.name)}（{self.e(p.ticket)}）"

    def table(self, head: list[str], rows: list[list[str]], empty: str = "无", widths: tuple[int, ...] = ()) -> str:
        """`widths`: each column's percent of the page, where the default share would wrap."""
        if not rows:
            return f"<p>{self.e(empty)}</p>"
        cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        w = [f" width='{x}%'" for x in widths] + [""] * len(head)
        heads = "".join(f"<th bgcolor='{HEAD_SHADE}'{w[i]}>{self.e(h)}</th>" for i, h in enumerate(head))
        return f"<table border='1' cellspacing='0' cellpadding='3' width='100%'><thead><tr>{heads}</tr></thead>{cells}</table>"

    def date(self) -> str:
        first = self.report.sittings[0] if self.report.sittings else None
        return self.t(first.start, "%Y年%m月%d日") if first else ""

    def heading(self, title: str) -> str:
        """The form's title over a ruled grid of the exam and the room, as printed forms have."""
        r = self.report
        grid = [
            [("考试名称", r.exam), ("级别", r.level), ("批次", r.batch)],
            [("考点", r.site), ("考场", r.room), ("日期", self.date())],
        ]
        rows = "".join(
            "<tr>" + "".join(f"<th bgcolor='{HEAD_SHADE}'>{k}</th><td>{self.e(v)}</td>" for k, v in row) + "</tr>"
            for row in grid
        )
        return (
            f"<h1 align='center'>{self.e(title)}</h1>"
            f"<table border='1' cellspacing='0' cellpadding='4' width='100%'>{rows}</table><p></p>"
        )

    @staticmethod
    def signatures(*roles: str, note: str = "") -> str:
        """The attestation, then a line to sign and date for each role, two to a row, and `note`
        under them: kept together on one page (`_keep_together`)."""
        cells = [f"<td>{role}签字：＿＿＿＿＿＿＿＿　日期：＿＿＿＿＿＿</td>" for role in roles]
        rows = ["".join(cells[i : i + 2]) for i in range(0, len(cells), 2)]
        if note:
            rows.append(f"<td colspan='2'><small>{note}</small></td>")
        return (
            f"<p>{ATTEST}</p><table width='100%' cellpadding='8'>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"
        )

    def incident(self, i: Incident) -> str:
        e, t, person = self.e, self.t, self.person
        affected = "、".join(person(p) for p in i.affected) or "全考场"
        return (
            f"<p><b>{i.number}. {e(i.title)}</b>　{t(i.opened_at)} — {t(i.closed_at)}<br>受影响考生：{affected}</p>"
            + self.table(
                ["时间", "步骤", "处理", "监考员", "记录"],
                [[t(s.at), e(s.step), e(s.answer or "已完成"), e("、".join(s.by)), e(s.note)] for s in i.steps],
            )
            + f"<p>处理结果：{e(i.outcome or '处理中')}"
            + ("<br>损失时间：" + "、".join(f"{person(p)} {m} 分钟" for p, m in i.lost) if i.lost else "")
            + "</p>"
        )


def report_html(report: RoomReport) -> str:
    """The room situation report (its title the profile's: 考场情况报告单 or 考场情况记录单)."""
    page = _Page(report)
    e, t, person, table = page.e, page.t, page.person, page.table
    parts = [
        page.heading(report.title),
        f"<p>考试机 {report.machines} 台，备用机 {report.spares} 台　适用规则：{e(report.profile)}</p>",
        "<h3>一、场次与考生</h3>",
        table(
            ["场次", "科目", "开考", "结束", "实际结束", "应到", "实到", "缺考", "已交卷"],
            [
                [
                    str(s.number),
                    e(s.subject),
                    t(s.start, "%H:%M"),
                    t(s.end, "%H:%M"),
                    t(s.ended_at, "%H:%M"),
                    str(s.expected),
                    str(s.present),
                    str(len(s.absent)),
                    str(s.submitted),
                ]
                for s in report.sittings
            ],
        ),
        "<p>缺考考生：" + ("、".join(person(p) for s in report.sittings for p in s.absent) or "无") + "</p>",
        "<h3>二、违纪情况</h3>",
        table(
            ["编号", "时间", "考生", "证件号", "行为", "事实", "证据", "确认监考员"],
            [
                [
                    str(v.number) + (f"（更正 {v.amends}）" if v.amends else ""),
                    t(v.at),
                    f"{e(v.who.name)}<br>{e(v.who.ticket)}",
                    e(v.who.id_number),
                    e(ACT_WORDS.get(v.act, v.act)) + "<br>" + e(CATEGORY_WORDS.get(v.category, v.category)),
                    e(v.facts),
                    e(_evidence(v)),
                    e("、".join(v.confirmed_by)),
                ]
                for v in report.violations
            ],
            widths=(5, 9, 13, 19, 14, 21, 8, 11),
        ),
        "<h3>三、突发事件</h3>",
        "".join(page.incident(i) for i in report.incidents) or "<p>无</p>",
        "<h3>四、考务操作</h3>",
        table(
            ["时间", "操作", "考生", "情况", "监考员"],
            [
                [t(x.at), e(ENTRY_WORDS.get(x.kind, x.kind)), _who(x, person), e(x.what), e("、".join(x.by))]
                for x in report.entries
            ],
        ),
        "<h3>五、通知</h3>",
        table(
            ["时间", "类别", "内容", "考试机数"],
            [[t(a), e(NOTICE_WORDS.get(k, k)), e(text), str(n)] for a, k, text, n in report.notices],
        ),
        "<h3>六、跨考场调动</h3>",
        _transfer_table(page),
        f"<h3>{KEEP_TOGETHER}适用规则取国家默认值的参数</h3>",
        f"<p>{e('、'.join(MEANINGS[k].zh if k in MEANINGS else k for k in report.defaulted) or '无')}</p>",
        "<h3>八、备注</h3>",
        "".join(f"<p>{t(at)}　{e(text)}（{e('、'.join(by))}）</p>" for at, text, by in report.remarks),
        "<p>" + "<br>".join(["＿" * 40] * (1 if report.remarks else 3)) + "</p>",  # and room to write by hand
        f"<p><br>监考员（签到）：{e('、'.join(report.proctors) or '—')}</p>",
        page.signatures("监考员", "监考员", "主考"),
        f"<table><tr><td><img src='{QR_DIGEST}' width='110' height='110'></td><td valign='middle'><small>"
        f"考场日志校验：第 {report.last_seq} 条事件<br>摘要 {e(report.last_hash)}<br>"
        f"（proctor audit 核对本报告与考场数据）</small></td></tr></table>",
    ]
    return "".join(parts)


def violations_html(report: RoomReport) -> str:
    """考场违纪情况记录单 (004 九(三)): one sheet a violation, for the signatures of the candidate
    and two proctors (000 附件3 16: two or more proctors confirm). A correction prints as its own
    sheet naming the record it corrects."""
    page = _Page(report)
    e, t = page.e, page.t
    if not report.violations:
        return page.heading(VIOLATIONS_TITLE) + "<p>本考场无违纪记录。</p>" + page.signatures("监考员", "监考员")
    sheets = []
    for n, v in enumerate(report.violations):
        sitting = next((s for s in report.sittings if s.number == v.sitting), None)
        rows = [
            ("记录编号", str(v.number) + (f"（更正第 {v.amends} 号记录）" if v.amends else "")),
            ("姓名", e(v.who.name)),
            ("准考证号", e(v.who.ticket)),
            ("有效身份证件号", e(v.who.id_number)),
            ("考试科目", e(sitting.subject if sitting else "")),
            ("考试机", e(v.machine or "—")),
            ("发现时间", t(v.at, "%Y-%m-%d %H:%M:%S")),
            ("违纪违规行为", e(ACT_WORDS.get(v.act, v.act))),
            ("认定", e(CATEGORY_WORDS.get(v.category, v.category))),
            ("行为事实", e(v.facts)),
            ("证据", e(_evidence(v)) or "—"),
            ("确认监考员", e("、".join(v.confirmed_by))),
        ]
        body = "".join(
            f"<tr><th width='22%' align='left' bgcolor='{HEAD_SHADE}'>{k}</th><td>{val}</td></tr>" for k, val in rows
        )
        brk = " style='page-break-before: always'" if n else ""
        sheets.append(
            f"<div{brk}>{page.heading(VIOLATIONS_TITLE)}"
            f"<table border='1' cellspacing='0' cellpadding='5' width='100%'>{body}</table><p></p>"
            + page.signatures("应试人员", "监考员", "监考员", "主考", note=REFUSED_TO_SIGN)
            + "</div>"
        )
    return "".join(sheets)


def transfers_html(report: RoomReport) -> str:
    """应试人员跨考场调动单 (004 附件4 三(二), R37): every candidate moved out of or into this
    room, for the chief examiner's signature."""
    page = _Page(report)
    return (
        page.heading(TRANSFERS_TITLE)
        + _transfer_table(page)
        + "<p>调出未被调入的应试人员，由调出考场确认实际参考情况后处理。</p>"
        + page.signatures("主考")
    )


def incident_html(report: RoomReport, number: int) -> str:
    """One incident on a page of its own, with the proctors' signatures; an incident the log
    does not hold is refused (`unknown_incident`), naming those it does."""
    page = _Page(report)
    found = next((i for i in report.incidents if i.number == number), None)
    if found is None:
        numbers = "、".join(str(i.number) for i in report.incidents)
        raise Refused(
            "unknown_incident",
            f"there is no incident {number} in this room's log",
            f"本考场的记录中没有第 {number} 号突发事件",
            allow_en=f"the room's incidents: {numbers or 'none'}",
            allow_zh=f"请选择本考场已有的突发事件：{numbers}" if numbers else "本考场没有突发事件记录",
        )
    return page.heading(INCIDENT_TITLE) + page.incident(found) + page.signatures("监考员", "监考员", "主考")


FORMS = {"report": report_html, "violations": violations_html, "transfers": transfers_html}


def form_html(report: RoomReport, form: str, incident: int = 0) -> str:
    """The form named as `proctor report --form` and the `room_form` command name it."""
    return incident_html(report, incident) if form == "incident" else FORMS[form](report)


def form_title(report: RoomReport, form: str) -> str:
    return {
        "report": report.title,
        "violations": VIOLATIONS_TITLE,
        "transfers": TRANSFERS_TITLE,
        "incident": INCIDENT_TITLE,
    }[form]


def _who(x: Entry, person: Callable[[Person], str]) -> str:
    if not x.who:
        return "全考场"
    return "、".join(person(p) for p in x.who[:10]) + (f" 等 {len(x.who)} 人" if len(x.who) > 10 else "")


def _evidence(v: Violation) -> str:
    return "；".join(f"{n}（{size} 字节，SHA-256 {sha[:16]}…）" for n, size, sha in v.evidence)


def _transfer_table(page: _Page) -> str:
    e, t = page.e, page.t
    return page.table(
        ["方向", "准考证号", "姓名", "时间", "对方考场", "处理情况"],
        [
            [
                ("调出" if r["direction"] == "out" else "调入"),
                e(str(r["ticket"])),
                e(str(r["name"])),
                t(r["at"]),  # type: ignore[arg-type]
                e(str(r["room"] or "—")),
                e(_transfer_state(r)),
            ]
            for r in page.report.transfers
        ],
    )


def _transfer_state(row: dict[str, object]) -> str:
    if row["direction"] != "out":
        return "已调入本考场"
    if row.get("room"):
        return "已被调入"
    return "已确认处理" if row.get("resolved") else "未被调入"


def write_pdf(page: str, path: Path, families: list[str], qr: dict[str, str] | None = None) -> int:
    """`page` as an A4 PDF; the number of pages. Needs a QGuiApplication."""
    from PySide6.QtGui import QPdfWriter

    writer = QPdfWriter(str(path))
    writer.setPageLayout(a4())
    writer.setResolution(300)
    pages = paint_pages(writer, page, families, qr)
    mend_tounicode(path, page)  # names with 𠮷 and the like extract and search as themselves
    return pages


def a4() -> QPageLayout:
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(15, 15, 15, 18))


def paint_pages(device: QPagedPaintDevice, page: str, families: list[str], qr: dict[str, str] | None = None) -> int:
    """`page` on the device's pages (a PDF writer or a printer, laid out by the caller) with
    "n / N" under each; the number of pages. `qr`: image name -> the text its QR code holds. The
    part from `KEEP_TOGETHER` on (the signatures) is moved whole to a new page rather than split,
    so that the signatures never stand alone."""
    from PySide6.QtCore import QRectF, QSizeF, Qt
    from PySide6.QtGui import QPainter

    doc = _document(device, page, families, qr)
    body = device.pageLayout().paintRectPixels(device.resolution())
    footer_h = 60.0 * device.resolution() / 300
    page_h = body.height() - footer_h
    doc.setPageSize(QSizeF(body.width(), page_h))
    _keep_together(doc, page_h)
    pages = doc.pageCount()
    painter = QPainter(device)
    try:
        for n in range(pages):
            if n:
                device.newPage()
            painter.save()
            painter.translate(0, -n * page_h)
            doc.drawContents(painter, QRectF(0, n * page_h, body.width(), page_h))
            painter.restore()
            painter.setFont(doc.defaultFont())
            painter.drawText(
                QRectF(0, page_h, body.width(), footer_h), int(Qt.AlignmentFlag.AlignCenter), f"{n + 1} / {pages}"
            )
    finally:
        painter.end()
    return pages


def _document(device: QPagedPaintDevice, page: str, families: list[str], qr: dict[str, str] | None) -> QTextDocument:
    import segno
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QFont, QImage, QTextDocument

    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)  # points at the device's resolution, not the screen's
    font = QFont()
    font.setFamilies(families)
    font.setPointSizeF(9.5)
    doc.setDefaultFont(font)
    for name, text in (qr or {}).items():
        out = io.BytesIO()
        segno.make(text, error="m").save(out, kind="png", scale=8, border=2)
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), QImage.fromData(out.getvalue()))
    doc.setHtml(page)
    return doc


def _keep_together(doc: QTextDocument, page_h: float) -> None:
    """What must not be split moves whole to a new page when it would run over a page's end: the
    report's last part (from KEEP_TOGETHER to the end), and on every form the attestation with
    the lines to sign under it (ATTEST), so that the signatures never stand alone on a page."""
    from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextFormat

    layout = doc.documentLayout()
    block = doc.begin()
    while block.isValid():
        text = block.text()
        end = None
        if text.startswith(KEEP_TOGETHER):
            end = layout.documentSize().height()
        elif text.startswith(ATTEST):
            table = QTextCursor(block.next()).currentTable()
            end = layout.frameBoundingRect(table).bottom() if table is not None else None
        if end is not None:
            top = layout.blockBoundingRect(block).top()
            if int(top // page_h) != int((end - 1) // page_h) and end - top <= page_h:
                fmt = QTextBlockFormat()
                fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                QTextCursor(block).mergeBlockFormat(fmt)
        block = block.next()
