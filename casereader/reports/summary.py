"""The per-case summary (SPEC §10): facts, every stage and item with its answers, the notes
with their evidence citations, the management-review history and what is still missing."""

from io import BytesIO
from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from casereader.domain.template import Item
from casereader.domain.values import NA, UNABLE, grade_number
from casereader.reports.chips import GradeBadge
from casereader.reports.document import Furniture, Section, build_pdf
from casereader.reports.fonts import BOLD
from casereader.reports.styles import (
    FRAME_WIDTH,
    LIGHT,
    MUTED,
    styles,
    text,
    wrapped,
)
from casereader.reports.summary_records import CaseSummary, ItemLine, Reading, today
from casereader.reports.tables import PAD, table_style, when
from casereader.store.models import FLAG_CATEGORY_LABELS, FLAG_STATUS_LABELS

KIND = "Case summary"
LONG_ANSWER = 280  # a text answer longer than this is written out under the table
STATE_WORDS = {
    "agreed": "Readers agree",
    "differs": "Unresolved: readers differ",
    "moderated": "Moderated",
    "changed_since_moderation": "Changed since moderation",
    "incomplete": "Not every reader has answered",
}


def fact_pairs(s: CaseSummary, printed_on: str) -> list[tuple[str, str]]:
    """The summary's facts as (label, value) pairs: the printed table and the app's view."""
    readers = "; ".join(f"{r.label}: {r.status}" for r in s.readers) or "none assigned"
    group = "Core" if s.sample_group == "core" else "Reserve"
    if s.replaces:
        group += f" (counted in place of {s.replaces})"
    if s.replaced_by:
        group += f" (replaced by {s.replaced_by})"
    period = "—"
    if s.records_from:
        period = f"{s.records_from} to {s.records_to}"
    changes = [r.last_change for r in s.readers if r.last_change]
    firsts = [r.first_change for r in s.readers if r.first_change]
    reading = f"{when(min(firsts))} to {when(max(changes))}" if changes else "not started"
    return [
        ("Inspection", s.inspection),
        ("Template", f"{s.template_id} version {s.template_version}"),
        ("Case ref", s.case_ref),
        ("Group", group),
        ("Follow-up", "Yes" if s.follow_up else "No"),
        ("Age band", s.age_band or "—"),
        ("Legal status", s.legal_status or "—"),
        ("Reader" + ("s" if len(s.readers) > 1 else ""), readers),
        ("Records dated", f"{period} ({s.documents} document{'s' if s.documents != 1 else ''})"),
        ("Answers made", reading),
        ("Moderated", when(s.moderated_at) if s.moderated_at else "—"),
        ("Printed", printed_on),
    ]


def _facts(s: CaseSummary, printed_on: str) -> Table:
    st = styles()
    pairs = fact_pairs(s, printed_on)
    rows = []
    for i in range(0, len(pairs), 2):
        row = []
        for key, value in pairs[i : i + 2]:
            row += [Paragraph(text(key), st["cell_bold"]), Paragraph(text(value), st["cell"])]
        rows.append(row)
    widths = [0.13, 0.37, 0.13, 0.37]
    table = Table(rows, colWidths=[w * FRAME_WIDTH for w in widths])
    style = table_style(0)
    style.add("BACKGROUND", (0, 0), (0, -1), LIGHT)
    style.add("BACKGROUND", (2, 0), (2, -1), LIGHT)
    table.setStyle(style)
    return table


def answer_cell(s: CaseSummary, item: Item, value: str | None, width: float):
    """A table cell for an answer: a grade badge, or the answer as wrapped plain text."""
    if value is None:
        return NOT_ANSWERED
    if item.kind == "grade":
        grade = grade_number(value) if value in item.answer_values() else None
        if grade is None:
            words = s.display(item, value)
            return (
                GradeBadge(None, words, None)
                if value in (NA, UNABLE)
                else wrapped(words, width - 2 * PAD)
            )
        point = s.template.scale.point(grade)
        return GradeBadge(grade, point.label, point.colour)
    shown = s.display(item, value)
    if item.kind == "text" and len(shown) > LONG_ANSWER:
        shown = shown[:LONG_ANSWER].rstrip() + "… (in full below)"
    return wrapped(shown, width - 2 * PAD)


NOT_ANSWERED = "— not answered"


def _reader_cell(s: CaseSummary, line: ItemLine, reading: Reading, width: float):
    cell = answer_cell(s, line.item, reading.value, width)
    if reading.agreed_value is not None and reading.agreed_value != reading.value:
        agreed = answer_cell(s, line.item, reading.agreed_value, width)
        st = styles()
        return [
            cell if isinstance(cell, Flowable) else Paragraph(text(cell), st["cell"]),
            Paragraph("Agreed with the paired inspector:", st["muted"]),
            agreed if isinstance(agreed, Flowable) else Paragraph(text(agreed), st["cell"]),
        ]
    return cell


def counted(line: ItemLine) -> tuple[str | None, str]:
    """A coordinator's "Counted" column: the moderated value (None: none) and the words under it
    ("Readers agree" when every reader gave the same)."""
    if line.moderated_value is not None:
        return line.moderated_value, STATE_WORDS.get(line.state) or "Moderated"
    values = {r.agreed_value or r.value for r in line.readings}
    if len(values) > 1:
        answered = {v for v in values if v is not None}
        word = "Unresolved: readers differ" if len(answered) > 1 else "Not every reader answered"
        return None, word
    return None, SAME


def _counted_cell(s: CaseSummary, line: ItemLine, width: float):
    st = styles()
    value, words = counted(line)
    if value is not None:
        cell = answer_cell(s, line.item, value, width)
        return [
            cell if isinstance(cell, Flowable) else Paragraph(text(cell), st["cell"]),
            Paragraph(text(words), st["muted"]),
        ]
    if words != SAME:
        return Paragraph(f"<b>{text(words)}</b>", st["cell"])
    return SAME


SAME = "Readers agree"


def _stage_table(s: CaseSummary, lines: list[ItemLine]) -> Table:
    readings = lines[0].readings
    if s.coordinator:
        header = ["Item", *[r.label for r in readings], "Counted"]
        item_share = 0.34 if len(readings) < 3 else 0.28
        show_agreed = False
    else:
        show_agreed = any(r.agreed_value is not None for line in lines for r in line.readings)
        header = ["Item", "Answer"] + (["Agreed with the paired inspector"] if show_agreed else [])
        item_share = 0.46
    others = (1 - item_share) / (len(header) - 1)
    widths = [item_share * FRAME_WIDTH] + [others * FRAME_WIDTH] * (len(header) - 1)
    pairs = zip(header, widths, strict=True)
    rows: list[list] = [[wrapped(h, w - 2 * PAD, BOLD) for h, w in pairs]]
    for line in lines:
        label = line.item.label + (" *" if line.item.required else "")
        row: list = [wrapped(label, widths[0] - 2 * PAD)]
        if s.coordinator:
            row += [_reader_cell(s, line, r, widths[1]) for r in line.readings]
            row.append(_counted_cell(s, line, widths[-1]))
        else:
            reading = line.readings[0] if line.readings else None
            row.append(answer_cell(s, line.item, reading.value if reading else None, widths[1]))
            if show_agreed:
                agreed = reading.agreed_value if reading else None
                row.append(answer_cell(s, line.item, agreed, widths[2]) if agreed else "")
        rows.append(row)
    table = Table(rows, colWidths=widths, repeatRows=1, splitByRow=1)
    style = table_style()
    for r, row in enumerate(rows[1:], 1):
        for c, cell in enumerate(row):
            if cell in (NOT_ANSWERED, SAME):
                style.add("TEXTCOLOR", (c, r), (c, r), MUTED)
    table.setStyle(style)
    return table


def _notes(s: CaseSummary, lines: list[ItemLine]) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = []
    for line in lines:
        for reading in line.readings:
            long_text = (
                line.item.kind == "text" and reading.value and len(reading.value) > LONG_ANSWER
            )
            if not (reading.note.strip() or reading.citations or long_text):
                continue
            who = f" — {text(reading.label)}" if s.coordinator else ""
            out.append(Paragraph(f"<b>{text(line.item.label)}</b>{who}", st["note"]))
            if long_text:
                out.append(Paragraph(text(reading.value), st["note_text"]))
            if reading.note.strip():
                out.append(Paragraph(text(reading.note.strip()), st["note_text"]))
            for cite in reading.citations:
                out.append(Paragraph("Evidence: " + text(cite.text()), st["cite"]))
        if line.moderated_value is not None and line.rationale:
            by = ", ".join(x for x in (line.moderator, when(line.moderated_at)) if x and x != "—")
            out.append(
                Paragraph(
                    f"<b>{text(line.item.label)}</b> — moderation"
                    f"{' (' + text(by) + ')' if by else ''}: {text(line.rationale)}",
                    st["note"],
                )
            )
    if out:
        out.insert(0, Paragraph("Notes and evidence", st["h2"]))
    return out


def _flags(s: CaseSummary) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Paragraph("Management reviews", st["h1"])]
    if not s.flags:
        out.append(Paragraph("No management review has been raised on this case.", st["body"]))
        return out
    for flag in s.flags:
        title = (
            f"{FLAG_CATEGORY_LABELS.get(flag.category, flag.category)} — "
            f"{FLAG_STATUS_LABELS.get(flag.status, flag.status)}"
        )
        out.append(Paragraph(text(title), st["h2"]))
        out.append(
            Paragraph(
                text(
                    f"Raised by {flag.raised_by} on {when(flag.raised_at)}; review {flag.flag_id}"
                ),
                st["muted"],
            )
        )
        out.append(Paragraph(text(flag.description), st["note"]))
        rows = [[Paragraph(f"<b>{h}</b>", st["cell"]) for h in ("Step", "By", "When", "Note")]]
        for event in flag.history:
            rows.append(
                [
                    Paragraph(text(FLAG_STATUS_LABELS.get(event.status, event.status)), st["cell"]),
                    Paragraph(text(event.actor), st["cell"]),
                    Paragraph(text(when(event.at)), st["cell"]),
                    Paragraph(text(event.note), st["cell"]),
                ]
            )
        widths = [0.22, 0.14, 0.16, 0.48]
        table = Table(rows, colWidths=[w * FRAME_WIDTH for w in widths], repeatRows=1)
        table.setStyle(table_style())
        out += [Spacer(1, 3), table]
    return out


def _completeness(s: CaseSummary) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = [Paragraph("Completeness", st["h1"])]
    if not s.readers:
        out.append(Paragraph("No reader is assigned to this case.", st["body"]))
    for reader in s.readers:
        met, required = reader.requirements
        who = f"{reader.label}: " if s.coordinator else ""
        if not reader.missing:
            out.append(
                Paragraph(
                    text(f"{who}{met} of {required} requirements met; nothing is missing."),
                    st["body"],
                )
            )
            continue
        out.append(
            Paragraph(
                text(f"{who}{met} of {required} requirements met; still missing:"), st["body"]
            )
        )
        out += [Paragraph(text(gap), st["sentence"], bulletText="•") for gap in reader.missing]
    return out


def summary_flowables(s: CaseSummary, printed_on: str, outline_level: int = 0) -> list[Flowable]:
    """The flowables of one case's summary (a combined file puts several in a row)."""
    st = styles()
    out: list[Flowable] = [
        Section(f"case-{s.case_ref}", s.case_ref, f"{s.case_ref}", level=outline_level),
        Paragraph(text(f"Case summary — {s.case_ref}"), st["title"]),
        Paragraph(text(s.template_title), st["muted"]),
        Spacer(1, 4),
        _facts(s, printed_on),
        Paragraph("* a required item", st["muted"]),
    ]
    stages: dict[str, list[ItemLine]] = {}
    for line in s.items:
        stages.setdefault(line.stage_id, []).append(line)
    for lines in stages.values():
        heading = Paragraph(text(lines[0].stage_title), st["h1"])
        table = _stage_table(s, lines)
        out.append(KeepTogether([heading, table]) if len(lines) <= 6 else heading)
        if len(lines) > 6:
            out.append(table)
        out += _notes(s, lines)
    out += _flags(s)
    out += _completeness(s)
    return out


def build_summary(
    s: CaseSummary, out: Path | BytesIO | None = None, printed_on: str | None = None
) -> bytes:
    """One case's summary as an A4 PDF (bytes; also written to out when given)."""
    printed_on = printed_on or today()
    furniture = Furniture(KIND, s.inspection, printed_on)
    title = f"Case summary {s.case_ref} — {s.inspection}"
    return build_pdf(summary_flowables(s, printed_on), furniture, title, out)
