"""One incident on a page to print on its own: what happened when, each step with its answer,
who answered and what they wrote, the outcome in the report's words, the minutes each affected
candidate lost, and the proctors' signatures."""

from __future__ import annotations

import html
from typing import Any

from proctor.domain.flows import Flow, StepKind
from proctor.link.console_client import RoomView

from .header_bar import clock_hms
from .i18n import translate


def timer_answers() -> list[tuple[str, str]]:
    """A timer step's two answers, in words."""
    return [("done", translate("Incident", "Repaired")), ("expired", translate("Incident", "Not repaired in time"))]


def answer_words(flow: Flow, step_id: str, answer: str) -> str:
    """An answer as the record reads it: a timer's done or expired in words, a question's own."""
    step = flow.steps.get(step_id)
    if step is not None and step.kind is StepKind.TIMER:
        return dict(timer_answers()).get(answer, answer)
    return answer or translate("Incident", "Done")


def incident_html(row: dict[str, Any], flow: Flow, view: RoomView) -> str:
    e = html.escape
    header = view.header
    tickets = list(row.get("tickets") or ())

    def who(ticket: str) -> str:
        c = view.candidates.get(ticket) or {}
        return f"{e(ticket)} {e(str(c.get('name') or ''))}"

    steps = "".join(
        f"<tr><td>{clock_hms(s['at'])}</td><td>{e(flow.steps[s['step']].text if s['step'] in flow.steps else s['step'])}</td>"
        f"<td>{e(answer_words(flow, s['step'], s.get('answer') or ''))}</td><td>{e('、'.join(s.get('by') or ()))}</td>"
        f"<td>{e(s.get('note') or '')}</td></tr>"
        for s in row.get("steps") or ()
    )
    lost = "".join(f"<tr><td>{who(t)}</td><td>{m}</td></tr>" for t, m in sorted((row.get("lost") or {}).items()))
    closed = row.get("closed_at")
    outcome = (
        e(row.get("report") or flow.steps[row["outcome"]].report)
        if closed and row.get("outcome") in flow.steps
        else e(translate("Incident", "Still being handled"))
    )
    affected = (
        e(translate("Incident", "{n} candidates:").format(n=len(tickets)))
        + "、".join(who(t) for t in tickets[:60])
        + ("…" if len(tickets) > 60 else "")
        if tickets
        else e(translate("Incident", "the whole room"))
    )
    words = {
        k: e(v)
        for k, v in {
            "title": translate("Incident", "Incident record"),
            "room": translate("Incident", "Room"),
            "opened": translate("Incident", "Began"),
            "closed": translate("Incident", "Closed"),
            "affected": translate("Incident", "Candidates affected"),
            "time": translate("Incident", "Time"),
            "step": translate("Incident", "Step"),
            "answer": translate("Incident", "Answer"),
            "by": translate("Incident", "Proctors"),
            "note": translate("Incident", "Record"),
            "outcome": translate("Incident", "Outcome"),
            "lost": translate("Incident", "Minutes lost"),
            "sign": translate("Incident", "Proctors' signatures:"),
        }.items()
    }
    place = e(" ".join(str(header.get(k) or "") for k in ("site", "room")).strip())
    lost_table = (
        f"<p><b>{words['lost']}</b></p><table border='1' cellspacing='0' cellpadding='3'>{lost}</table>" if lost else ""
    )
    return (
        f"<h2>{words['title']} {row['number']}：{e(row['title'])}</h2>"
        f"<p>{e(str(header.get('exam') or ''))}　{words['room']}：{place}<br>"
        f"{words['opened']}：{clock_hms(row['opened_at'])}　{words['closed']}：{clock_hms(closed) if closed else '—'}<br>"
        f"{words['affected']}：{affected}</p>"
        f"<table border='1' cellspacing='0' cellpadding='3' width='100%'><tr><th>{words['time']}</th>"
        f"<th>{words['step']}</th><th>{words['answer']}</th><th>{words['by']}</th><th>{words['note']}</th></tr>"
        f"{steps}</table>"
        f"<p><b>{words['outcome']}</b>：{outcome}</p>{lost_table}"
        f"<p><br>{words['sign']}＿＿＿＿＿＿＿＿　＿＿＿＿＿＿＿＿</p>"
    )
