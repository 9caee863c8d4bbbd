"""The concern form: one page about one management review, to hand to the partnership lead.

Case, category, what was found (the description and the evidence the reader cited in the case),
who raised it and when, the lifecycle so far, then ruled space for the partnership lead's
response and signature. The variable part shrinks to fit, so the form is always one page.
"""

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.platypus import Flowable, KeepInFrame, Paragraph, Spacer, Table

from casereader.domain.wording import plural
from casereader.errors import CaseReaderError
from casereader.reports.document import Furniture, build_pdf
from casereader.reports.fonts import BOLD, REGULAR
from casereader.reports.styles import FRAME_WIDTH, INK, LIGHT, MUTED, RULE, styles, text
from casereader.reports.summary_data import Citation, today
from casereader.reports.tables import table_style, when
from casereader.store import answers, cases, documents, flags
from casereader.store.models import FLAG_CATEGORY_LABELS, FLAG_STATUS_LABELS, Case, Flag
from casereader.store.store import Store

KIND = "Concern form"
MAX_CITATIONS = 8
RESPONSE_H = 356.0  # points kept for the response, action and signature


@dataclass(frozen=True)
class Concern:
    inspection: str
    case: Case
    flag: Flag
    citations: tuple[Citation, ...]
    more_citations: int


def choose_flag(store: Store, case_ref: str, flag_id: str | None) -> Flag:
    """The review to print: the one named (an id or its first 8+ characters), else the case's
    only one, else its only open one; otherwise say which ids there are."""
    cases.require_case(store, case_ref)
    on_case = flags.list_flags(store, case_ref)
    if flag_id:
        wanted = flag_id.strip().lower()
        found = [f for f in on_case if f.flag_id == wanted]
        if not found and len(wanted) >= 8:
            found = [f for f in on_case if f.flag_id.startswith(wanted)]
        if len(found) == 1:
            return found[0]
        ids = ", ".join(f.flag_id for f in on_case) or "none"
        raise CaseReaderError(
            f"{case_ref} has no management review {flag_id!r}; its reviews: {ids}."
        )
    if not on_case:
        raise CaseReaderError(
            f"{case_ref} has no management review; a concern form is printed for one."
        )
    open_ = [f for f in on_case if f.is_open]
    for candidates in (on_case, open_):
        if len(candidates) == 1:
            return candidates[0]
    ids = ", ".join(f"{f.flag_id} ({FLAG_STATUS_LABELS[f.status].lower()})" for f in on_case)
    raise CaseReaderError(
        f"{case_ref} has {plural(len(on_case), 'management review')}; choose one with --flag ID "
        f"({ids})."
    )


def gather_concern(store: Store, case_ref: str, flag_id: str | None = None) -> Concern:
    """The case, the review and the evidence its reader cited in the case."""
    flag = choose_flag(store, case_ref, flag_id)
    docs = {d.sha256: d for d in documents.timeline(store, case_ref)}
    seen, cites = set(), []
    for link in answers.evidence_links(store, case_ref, reader_id=flag.reader_id):
        key = (link.document_sha256, link.page)
        if key in seen:
            continue
        seen.add(key)
        doc = docs.get(link.document_sha256)
        cites.append(
            Citation(doc.title, doc.agency, doc.doc_date, link.page, link.label)
            if doc
            else Citation(link.label or "A document not in this store", "", None, link.page)
        )
    return Concern(
        inspection=store.inspection.name,
        case=cases.get_case(store, case_ref),
        flag=flag,
        citations=tuple(cites[:MAX_CITATIONS]),
        more_citations=max(len(cites) - MAX_CITATIONS, 0),
    )


class RuledSpace(Flowable):
    """Ruled lines for handwriting, under a bold caption."""

    def __init__(self, caption: str, lines: int, gap: float = 18.0):
        super().__init__()
        self.caption, self.lines, self.gap = caption, lines, gap

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = 14 + self.lines * self.gap
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.setFillColor(INK)
        c.setFont(BOLD, 9.5)
        c.drawString(0, self.height - 10, self.caption)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        for n in range(1, self.lines + 1):
            y = self.height - 14 - n * self.gap
            c.line(0, y, self.width, y)


class SignatureBlock(Flowable):
    """Name, role, signature and date, each on its own ruled field."""

    FIELDS = (
        ("Name", 0.0, 0.48),
        ("Role", 0.52, 1.0),
        ("Signature", 0.0, 0.66),
        ("Date", 0.7, 1.0),
    )

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, 70
        return self.width, self.height

    def draw(self):
        c = self.canv
        for i, (label, start, end) in enumerate(self.FIELDS):
            y = self.height - 30 - (i // 2) * 34
            c.setStrokeColor(INK)
            c.setLineWidth(0.6)
            c.line(start * self.width, y, end * self.width, y)
            c.setFillColor(MUTED)
            c.setFont(REGULAR, 8)
            c.drawString(start * self.width, y - 10, label)


def concern_flowables(concern: Concern, printed_on: str) -> list[Flowable]:
    st = styles()
    flag, case = concern.flag, concern.case
    facts = [
        (
            "Case ref",
            case.case_ref,
            "Category",
            FLAG_CATEGORY_LABELS.get(flag.category, flag.category),
        ),
        ("Age band", case.age_band or "—", "Legal status", case.legal_status or "—"),
        ("Raised by", flag.raised_by, "Raised on", when(flag.raised_at)),
        ("Status", FLAG_STATUS_LABELS.get(flag.status, flag.status), "Review id", flag.flag_id),
    ]
    rows = [
        [
            Paragraph(text(a), st["cell_bold"]),
            Paragraph(text(b), st["cell"]),
            Paragraph(text(c), st["cell_bold"]),
            Paragraph(text(d), st["cell"]),
        ]
        for a, b, c, d in facts
    ]
    facts_table = Table(rows, colWidths=[w * FRAME_WIDTH for w in (0.14, 0.36, 0.14, 0.36)])
    style = table_style(0)
    style.add("BACKGROUND", (0, 0), (0, -1), LIGHT)
    style.add("BACKGROUND", (2, 0), (2, -1), LIGHT)
    facts_table.setStyle(style)
    found: list[Flowable] = [
        Paragraph("What was found", st["h2"]),
        Paragraph(text(flag.description), st["body"]),
    ]
    if concern.citations:
        found.append(Paragraph("Evidence the reader cited in this case", st["h2"]))
        found += [Paragraph(text(c.text()), st["cite"], bulletText="•") for c in concern.citations]
        if concern.more_citations:
            found.append(
                Paragraph(f"and {concern.more_citations} more (see the case summary)", st["cite"])
            )
    history = [[Paragraph(f"<b>{h}</b>", st["cell"]) for h in ("Step", "By", "When", "Note")]]
    for e in flag.history:
        history.append(
            [
                Paragraph(text(FLAG_STATUS_LABELS.get(e.status, e.status)), st["cell"]),
                Paragraph(text(e.actor), st["cell"]),
                Paragraph(text(when(e.at)), st["cell"]),
                Paragraph(text(e.note), st["cell"]),
            ]
        )
    life = Table(history, colWidths=[w * FRAME_WIDTH for w in (0.22, 0.14, 0.16, 0.48)])
    life.setStyle(table_style())
    found += [Paragraph("The review so far", st["h2"]), life]
    head_h = 135.0
    body_h = 842 - 62 - 57 - RESPONSE_H - head_h  # A4 frame less the fixed parts
    return [
        Paragraph("Concern about a child — management review", st["title"]),
        Paragraph(
            text(
                f"{concern.inspection}. For the partnership lead: please record the response "
                "and the action taken, sign, and return this form to the inspection team."
            ),
            st["muted"],
        ),
        Spacer(1, 6),
        facts_table,
        KeepInFrame(FRAME_WIDTH, body_h, found, mode="shrink"),
        Spacer(1, 8),
        RuledSpace("Response from the partnership lead", 8),
        RuledSpace("Action taken", 5),
        Spacer(1, 4),
        SignatureBlock(),
    ]


def build_concern(
    concern: Concern, out: Path | BytesIO | None = None, printed_on: str | None = None
) -> bytes:
    """The one-page concern form as a PDF (bytes; also written to out when given)."""
    printed_on = printed_on or today()
    furniture = Furniture(KIND, concern.inspection, printed_on)
    title = f"Concern form {concern.case.case_ref} — {concern.inspection}"
    return build_pdf(concern_flowables(concern, printed_on), furniture, title, out)
