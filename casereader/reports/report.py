"""The record-reading analysis report (SPEC §7, §10), built from ``analyse(store).to_json()``.

Everything printed is read from that one result, the same numbers the command line's
``analysis --json`` and the app's tables show; the sentences are made from the numbers by
``domain.quantifiers.sentence``, so a printed word never disagrees with its k of n.
"""

from io import BytesIO
from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from casereader.domain.quantifiers import Proportion, percent_text, sentence
from casereader.domain.template import Template
from casereader.domain.wording import plural
from casereader.reports.charts import stacked_grades
from casereader.reports.document import Furniture, OutlineEntry, build_pdf
from casereader.reports.styles import FRAME_WIDTH, styles, text
from casereader.reports.summary_data import today
from casereader.reports.tables import plain_table, when
from casereader.store.models import FLAG_CATEGORY_LABELS, FLAG_STATUS_LABELS

KIND = "Record-reading analysis"
DEFAULT_SCALE = {
    6: "Excellent",
    5: "Very good",
    4: "Good",
    3: "Adequate",
    2: "Weak",
    1: "Unsatisfactory",
}
BANDS = (
    ("good_or_better", "good or better"),
    ("adequate_or_better", "adequate or better"),
    ("weak_or_unsatisfactory", "weak or unsatisfactory"),
)
VALUE_WORDS = {
    ("group", "core"): "Core",
    ("group", "reserve"): "Reserve",
    ("follow_up", "yes"): "Follow-up",
    ("follow_up", "no"): "Not follow-up",
}
BREAKDOWN_TITLES = {
    "group": "By sample group",
    "follow_up": "By follow-up",
    "legal_status": "By legal status",
    "age_band": "By age band",
    "reader": "By reader",
}


def proportion(p: dict | None) -> Proportion:
    """The JSON's P = {k, n, percent, phrase} back as a Proportion."""
    p = p or {}
    return Proportion(
        int(p.get("k") or 0), int(p.get("n") or 0), p.get("percent"), p.get("phrase") or ""
    )


def share(p: dict | None) -> str:
    """E.g. "47 of 60 (78%, most)"; "no applicable records" for n = 0."""
    q = proportion(p)
    if q.n == 0:
        return "no applicable records"
    return f"{q.k} of {q.n} ({percent_text(q)}, {q.phrase})"


def lower_first(label: str) -> str:
    """ "Quality of review" → "quality of review"; "IRD held" keeps its capitals."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def finding_sentences(items: list[dict]) -> list[str]:
    """Two sentences per graded item: good or better, and weak or unsatisfactory."""
    out = []
    for row in items:
        subject = lower_first(row.get("label") or row.get("stage_title") or row["item"])
        good = proportion(row.get("good_or_better"))
        out.append(sentence(good, "records", f"the {subject} was good or better") + ".")
        weak = proportion(row.get("weak_or_unsatisfactory"))
        if weak.n and weak.k:
            out.append(sentence(weak, "records", f"the {subject} was weak or unsatisfactory") + ".")
    return out


def _sample(a: dict) -> str:
    s = a.get("sample", {})
    reserve = s.get("reserve_counted") or []
    text_ = f"{plural(s.get('cases', 0), 'case')} analysed: {s.get('core', 0)} core"
    if reserve:
        text_ += f", with reserve {', '.join(reserve)} counted in place of core cases"
    if s.get("include_reserve"):
        text_ += "; reserve cases read on request included"
    return text_ + "."


def _grade_table(a: dict) -> Table:
    header = [
        "Item",
        "6",
        "5",
        "4",
        "3",
        "2",
        "1",
        "N/A",
        "Unable",
        "n",
        "Good or better",
        "Adequate or better",
        "Weak or unsatisfactory",
    ]
    rows = []
    for row in a.get("items", []):
        c = row.get("counts", {})
        rows.append(
            [row.get("stage_title") or row.get("label", "")]
            + [c.get(k, 0) for k in ("6", "5", "4", "3", "2", "1", "na", "unable")]
            + [row.get("n", 0)]
            + [share(row.get(key)) for key, _ in BANDS]
        )
    shares = [0.14] + [0.033] * 6 + [0.05, 0.085, 0.047] + [0.16, 0.16, 0.16]
    return plain_table(header, rows, shares)


def _yes_no_table(a: dict) -> Table:
    rows = [
        [r.get("stage_title", ""), r.get("label", ""), r.get("n", 0), share(r.get("yes"))]
        for r in a.get("yes_no", [])
    ]
    return plain_table(["Stage", "Item", "n", "Yes"], rows, [0.18, 0.5, 0.07, 0.25])


def _agreement(a: dict, titles: dict[str, str], heading: Flowable) -> list[Flowable]:
    st = styles()
    agreement = a.get("agreement") or {}

    def fmt(value, suffix="%"):
        return "—" if value is None else f"{value}{suffix}"

    def row(name, x):
        x = x or {}
        kappa = "—" if x.get("kappa_quadratic") is None else f"{x['kappa_quadratic']:.2f}"
        note = x.get("kappa_note") or ""
        exact, within = fmt(x.get("exact_percent")), fmt(x.get("within_one_percent"))
        return [name, x.get("pairs", 0), exact, within, kappa, x.get("excluded_pairs", 0), note]

    rows = [row("All graded items", agreement.get("overall"))]
    rows += [row(titles.get(k, k), v) for k, v in (agreement.get("by_stage") or {}).items()]
    header = [
        "Stage",
        "Pairs",
        "Exact",
        "Within one",
        "Kappa (quadratic)",
        "N/A or unable pairs",
        "Note",
    ]
    intro = Paragraph(
        "Double-read graded items, the readers' own grades compared (not agreed ones). "
        "Pairs holding N/A or unable are counted apart.",
        st["muted"],
    )
    table = plain_table(header, rows, [0.22, 0.07, 0.08, 0.09, 0.13, 0.11, 0.3], muted_col=6)
    return [KeepTogether([heading, intro, Spacer(1, 3), table])]


def _breakdowns(a: dict, titles: dict[str, str]) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = []
    for name, groups in (a.get("breakdowns") or {}).items():
        if not groups:
            continue
        values = list(groups)
        out.append(Paragraph(text(BREAKDOWN_TITLES.get(name, name)), st["h2"]))
        for start in range(0, len(values), 4):
            chunk = values[start : start + 4]
            header = ["Good or better"] + [
                f"{VALUE_WORDS.get((name, v), v)} ({plural(groups[v].get('cases', 0), 'case')})"
                for v in chunk
            ]
            stage_rows: dict[str, list] = {}
            for v in chunk:
                for item in groups[v].get("items", []):
                    key = item.get("stage", "")
                    stage_rows.setdefault(key, [titles.get(key, key)]).append(
                        share(item.get("good_or_better"))
                    )
            rows = [r + [""] * (len(header) - len(r)) for r in stage_rows.values()]
            rest = (1 - 0.24) / len(chunk)
            out += [plain_table(header, rows, [0.24] + [rest] * len(chunk)), Spacer(1, 4)]
    return out or [Paragraph("No breakdowns.", st["body"])]


def _flags(a: dict) -> list[Flowable]:
    st = styles()
    flags = a.get("flags") or []
    if not flags:
        return [Paragraph("No management review has been raised.", st["body"])]
    rows = []
    for f in flags:
        last = (f.get("history") or [{}])[-1]
        rows.append(
            [
                f.get("case_ref", ""),
                FLAG_CATEGORY_LABELS.get(f.get("category"), f.get("category", "")),
                FLAG_STATUS_LABELS.get(f.get("status"), f.get("status", "")),
                f"{f.get('raised_by', '')}, {when(f.get('raised_at'))}",
                Paragraph(text(f.get("description", "")), st["cell"]),
                f"{last.get('actor', '')}, {when(last.get('at'))}",
            ]
        )
    header = ["Case", "Category", "Status", "Raised", "What was found", "Last step"]
    return [plain_table(header, rows, [0.09, 0.15, 0.13, 0.14, 0.35, 0.14])]


def _good_practice(a: dict, labels: dict[str, str]) -> list[Flowable]:
    st = styles()
    examples = a.get("good_practice") or []
    if not examples:
        return [Paragraph("No good-practice examples were recorded.", st["body"])]
    out: list[Flowable] = []
    for e in examples:
        item = labels.get(e.get("item", ""), e.get("item", ""))
        out.append(
            Paragraph(
                f"<b>{text(e.get('case_ref', ''))}</b> — {text(item)} "
                f"({text(e.get('reader_id', ''))})",
                st["note"],
            )
        )
        out.append(Paragraph(text(e.get("note", "")), st["note_text"]))
    return out


def report_flowables(a: dict, template: Template | None, printed_on: str) -> list[Flowable]:
    """The report's flowables from the analysis JSON (and the template's scale labels)."""
    st = styles()
    scale = (
        {p.grade: p.label for p in template.scale.points} if template is not None else DEFAULT_SCALE
    )
    titles = {r.get("stage"): r.get("stage_title", r.get("stage")) for r in a.get("items", [])}
    titles.update({r.get("stage"): r.get("stage_title", "") for r in a.get("yes_no", [])})
    if template is not None:
        titles.update({s.id: s.title for s in template.stages})
    item_labels = {}
    if template is not None:
        item_labels = {i.key: i.label for _, i in template.items()}
    tpl = a.get("template") or {}

    def section(key: str, title: str) -> list[Flowable]:
        return [OutlineEntry(key, title), Paragraph(text(title), st["h1"])]

    out: list[Flowable] = [
        OutlineEntry("top", "Record-reading analysis"),
        Paragraph(text(f"Record-reading analysis — {a.get('inspection', '')}"), st["title"]),
        Paragraph(
            text(
                f"Template {tpl.get('id', '')} version {tpl.get('version', '')}. "
                f"{_sample(a)} Printed {printed_on}."
            ),
            st["muted"],
        ),
    ]
    out += section("findings", "Key findings")
    out += [
        Paragraph(text(s), st["sentence"], bulletText="•")
        for s in finding_sentences(a.get("items", []))
    ]
    unresolved = a.get("unresolved") or []
    if unresolved:
        out.append(
            Paragraph(
                text(
                    f"{len(unresolved)} double-read disagreements are unresolved: they are "
                    "left out of the counts and listed at the end."
                ),
                st["sentence"],
                bulletText="•",
            )
        )
    out += section("grades", "Grades by stage")
    chart = stacked_grades(a.get("items", []), FRAME_WIDTH, scale)
    out += [KeepTogether([chart]), Spacer(1, 8), _grade_table(a)]
    out += section("yes-no", "Yes/no items")
    out.append(_yes_no_table(a))
    out.append(OutlineEntry("agreement", "Agreement between readers"))
    out += _agreement(a, titles, Paragraph("Agreement between readers", st["h1"]))
    out += section("breakdowns", "Breakdowns")
    out += _breakdowns(a, titles)
    out += section("reviews", "Management reviews")
    out += _flags(a)
    out += section("follow-up", "Follow-up cases")
    follow = a.get("follow_up_cases") or []
    if follow:
        rows = [
            [
                f.get("case_ref", ""),
                ", ".join(f.get("readers") or []),
                str(f.get("overall_status", "")).replace("_", " "),
            ]
            for f in follow
        ]
        out.append(plain_table(["Case", "Readers", "Status"], rows, [0.2, 0.5, 0.3]))
    else:
        out.append(Paragraph("No follow-up cases in the analysed sample.", st["body"]))
    out += section("good-practice", "Good-practice examples")
    out += _good_practice(a, item_labels)
    if unresolved:
        out += section("unresolved", "Unresolved disagreements")
        rows = [
            [
                u.get("case_ref", ""),
                titles.get(u.get("stage"), u.get("stage", "")),
                "; ".join(f"{r}: {v}" for r, v in (u.get("values") or {}).items()),
            ]
            for u in unresolved
        ]
        out.append(plain_table(["Case", "Stage", "Readers' values"], rows, [0.15, 0.35, 0.5]))
    return out


def build_report(
    analysis: dict,
    template: Template | None = None,
    out: Path | BytesIO | None = None,
    printed_on: str | None = None,
) -> bytes:
    """The analysis report as an A4 PDF (bytes; also written to out when given)."""
    printed_on = printed_on or today()
    furniture = Furniture(KIND, analysis.get("inspection", ""), printed_on)
    title = f"Record-reading analysis — {analysis.get('inspection', '')}"
    return build_pdf(report_flowables(analysis, template, printed_on), furniture, title, out)
