"""The per-case summary as HTML, for the app's read-only view of a case's answers.

The same CaseSummary the PDF prints, and the same words (summary.py): every stage and item with
its answers (grades as number, label and colour chip), the notes with their evidence citations,
the management-review history and what is still missing. Colours come from the caller, so the
page follows the app's light or dark palette; a grade's colour is a chip beside its words,
never the only sign of it.
"""

from dataclasses import dataclass
from html import escape

from casereader.domain.template import Item
from casereader.domain.values import grade_number
from casereader.reports.summary import (
    LONG_ANSWER,
    NOT_ANSWERED,
    SAME,
    counted,
    fact_pairs,
)
from casereader.reports.summary_records import CaseSummary, ItemLine, Reading, today
from casereader.reports.tables import when
from casereader.store.models import FLAG_CATEGORY_LABELS, FLAG_STATUS_LABELS


@dataclass(frozen=True)
class HtmlColours:
    """The palette's colours the page is drawn in (CSS colour names or #rrggbb)."""

    text: str = "#000000"
    muted: str = "#555555"
    rule: str = "#8a8a8a"
    shade: str = "#eeeeee"  # the background of the facts' labels and the tables' headers


def _e(value: str) -> str:
    return escape(value, quote=True)


def answer_html(s: CaseSummary, item: Item, value: str | None, c: HtmlColours) -> str:
    """An answer: a grade's chip, number and label; anything else as its words."""
    if value is None:
        return f"<span style='color:{c.muted}'>{NOT_ANSWERED}</span>"
    words = s.display(item, value)
    if item.kind == "grade" and value in item.answer_values():
        grade = grade_number(value)
        if grade is not None:
            point = s.template.scale.point(grade)
            # spaces on the colour: a screen reader (and the page's text) has the words only
            chip = f"<span style='background-color:{point.colour}'>&nbsp;&nbsp;&nbsp;</span>&nbsp;"
            return f"{chip}<b>{grade}</b> – {_e(point.label)}"
    if item.kind == "text" and len(words) > LONG_ANSWER:
        words = words[:LONG_ANSWER].rstrip() + "… (in full below)"
    return _e(words)


def _facts(s: CaseSummary, printed_on: str, c: HtmlColours) -> str:
    pairs = [(k, v) for k, v in fact_pairs(s, printed_on) if k != "Printed"]
    cells = []
    for i in range(0, len(pairs), 2):
        row = "".join(
            f"<td style='background-color:{c.shade}'><b>{_e(k)}</b></td><td>{_e(v)}</td>"
            for k, v in pairs[i : i + 2]
        )
        cells.append(f"<tr>{row}</tr>")
    return _table("".join(cells), c)


def _table(rows: str, c: HtmlColours) -> str:
    return (
        f"<table width='100%' cellspacing='0' cellpadding='4' border='1'"
        f" style='border-color:{c.rule}; border-style:solid; border-collapse:collapse'>"
        f"{rows}</table>"
    )


def _reader_cell(s: CaseSummary, line: ItemLine, reading: Reading, c: HtmlColours) -> str:
    cell = answer_html(s, line.item, reading.value, c)
    if reading.agreed_value is not None and reading.agreed_value != reading.value:
        agreed = answer_html(s, line.item, reading.agreed_value, c)
        cell += (
            f"<br><span style='color:{c.muted}'>Agreed with the paired inspector:</span>"
            f"<br>{agreed}"
        )
    return cell


def _counted_cell(s: CaseSummary, line: ItemLine, c: HtmlColours) -> str:
    value, words = counted(line)
    if value is not None:
        return (
            f"{answer_html(s, line.item, value, c)}<br>"
            f"<span style='color:{c.muted}'>{_e(words)}</span>"
        )
    if words == SAME:
        return f"<span style='color:{c.muted}'>{SAME}</span>"
    return f"<b>{_e(words)}</b>"


def _stage_table(s: CaseSummary, lines: list[ItemLine], c: HtmlColours) -> str:
    readings = lines[0].readings
    if s.coordinator:
        header = ["Item", *[r.label for r in readings], "Counted"]
        show_agreed = False
    else:
        show_agreed = any(r.agreed_value is not None for line in lines for r in line.readings)
        header = ["Item", "Answer"] + (["Agreed with the paired inspector"] if show_agreed else [])
    head = "".join(
        f"<th align='left' style='background-color:{c.shade}'>{_e(h)}</th>" for h in header
    )
    rows = [f"<tr>{head}</tr>"]
    for line in lines:
        label = _e(line.item.label) + (" *" if line.item.required else "")
        cells = [f"<td width='40%'>{label}</td>"]
        if s.coordinator:
            cells += [f"<td>{_reader_cell(s, line, r, c)}</td>" for r in line.readings]
            cells.append(f"<td>{_counted_cell(s, line, c)}</td>")
        else:
            reading = line.readings[0] if line.readings else None
            value = reading.value if reading else None
            cells.append(f"<td>{answer_html(s, line.item, value, c)}</td>")
            if show_agreed:
                agreed = reading.agreed_value if reading else None
                cells.append(f"<td>{answer_html(s, line.item, agreed, c) if agreed else ''}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return _table("".join(rows), c)


def _notes(s: CaseSummary, lines: list[ItemLine], c: HtmlColours) -> str:
    out = []
    for line in lines:
        for reading in line.readings:
            value = reading.value or ""
            long_text = line.item.kind == "text" and len(value) > LONG_ANSWER
            if not (reading.note.strip() or reading.citations or long_text):
                continue
            who = f" — {_e(reading.label)}" if s.coordinator else ""
            out.append(f"<p style='margin-bottom:0'><b>{_e(line.item.label)}</b>{who}</p>")
            if long_text:
                out.append(_paragraphs(value))
            if reading.note.strip():
                out.append(_paragraphs(reading.note.strip()))
            for cite in reading.citations:
                words = _e(cite.text())
                if cite.document_sha256:
                    href = _e(evidence_href(cite.document_sha256, cite.page))
                    words = f"<a href='{href}'>{words}</a>"
                out.append(f"<p style='margin:0 0 0 16px; color:{c.muted}'>Evidence: {words}</p>")
        if line.moderated_value is not None and line.rationale:
            by = ", ".join(x for x in (line.moderator, when(line.moderated_at)) if x and x != "—")
            out.append(
                f"<p><b>{_e(line.item.label)}</b> — moderation"
                f"{' (' + _e(by) + ')' if by else ''}: {_e(line.rationale)}</p>"
            )
    if not out:
        return ""
    return "<h3>Notes and evidence</h3>" + "".join(out)


def _paragraphs(text: str) -> str:
    body = "<br>".join(_e(line) for line in text.splitlines())
    return f"<p style='margin:0 0 0 16px'>{body}</p>"


def _flags(s: CaseSummary, c: HtmlColours) -> str:
    out = ["<h2>Management reviews</h2>"]
    if not s.flags:
        out.append("<p>No management review has been raised on this case.</p>")
        return "".join(out)
    for flag in s.flags:
        category = FLAG_CATEGORY_LABELS.get(flag.category, flag.category)
        status = FLAG_STATUS_LABELS.get(flag.status, flag.status)
        out.append(f"<h3>{_e(category)} — {_e(status)}</h3>")
        out.append(
            f"<p style='color:{c.muted}'>Raised by {_e(flag.raised_by)} on "
            f"{_e(when(flag.raised_at))}; review {_e(flag.flag_id)}</p>"
        )
        out.append(_paragraphs(flag.description))
        head = "".join(
            f"<th align='left' style='background-color:{c.shade}'>{h}</th>"
            for h in ("Step", "By", "When", "Note")
        )
        rows = [f"<tr>{head}</tr>"]
        for event in flag.history:
            step = FLAG_STATUS_LABELS.get(event.status, event.status)
            rows.append(
                f"<tr><td>{_e(step)}</td><td>{_e(event.actor)}</td>"
                f"<td>{_e(when(event.at))}</td><td>{_e(event.note)}</td></tr>"
            )
        out.append(_table("".join(rows), c))
    return "".join(out)


def _completeness(s: CaseSummary) -> str:
    out = ["<h2>Completeness</h2>"]
    if not s.readers:
        out.append("<p>No reader is assigned to this case.</p>")
    for reader in s.readers:
        met, required = reader.requirements
        who = f"{_e(reader.label)}: " if s.coordinator else ""
        if not reader.missing:
            out.append(f"<p>{who}{met} of {required} requirements met; nothing is missing.</p>")
            continue
        out.append(f"<p>{who}{met} of {required} requirements met; still missing:</p><ul>")
        out += [f"<li>{_e(gap)}</li>" for gap in reader.missing]
        out.append("</ul>")
    return "".join(out)


EVIDENCE_SCHEME = "evidence"


def evidence_href(document_sha256: str, page: int | None) -> str:
    """The link of a citation: "evidence:<sha256>/<page>" (the app opens that page)."""
    return f"{EVIDENCE_SCHEME}:{document_sha256}/{page or 1}"


def parse_evidence_href(href: str) -> tuple[str, int] | None:
    """(document sha256, page) of a citation's link, or None for any other link."""
    scheme, _, rest = href.partition(":")
    sha, _, page = rest.partition("/")
    if scheme != EVIDENCE_SCHEME or not sha or not page.isdigit():
        return None
    return sha, int(page)


def stage_anchor(stage_id: str) -> str:
    """The name of a stage's heading in the page (to scroll to it)."""
    return f"stage-{stage_id}"


def summary_html(s: CaseSummary, colours: HtmlColours | None = None) -> str:
    """One case's summary as an HTML page (the printed summary's content, without the paper)."""
    c = colours or HtmlColours()
    out = [
        f"<html><body style='color:{c.text}'>",
        f"<h1>Answers — {_e(s.case_ref)}</h1>",
        f"<p style='color:{c.muted}'>{_e(s.template_title)}</p>",
        _facts(s, today(), c),
        f"<p style='color:{c.muted}'>* a required item</p>",
    ]
    stages: dict[str, list[ItemLine]] = {}
    for line in s.items:
        stages.setdefault(line.stage_id, []).append(line)
    for stage_id, lines in stages.items():
        out.append(
            f"<h2><a name='{_e(stage_anchor(stage_id))}'></a>{_e(lines[0].stage_title)}</h2>"
        )
        out.append(_stage_table(s, lines, c))
        out.append(_notes(s, lines, c))
    out.append(_flags(s, c))
    out.append(_completeness(s))
    out.append("</body></html>")
    return "".join(out)
