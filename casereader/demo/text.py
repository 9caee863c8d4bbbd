"""Fictional record text for the demo inspection: pseudonymous, roles only, never real people."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count, islice

from casereader.demo.phrases import (
    HEALTH,
    MANAGEMENT,
    MENTIONS,
    OBSERVATION,
    PLANNING,
    POLICE,
    SCHOOL,
    SCRA,
    SECTION_BANK,
    SLOTS,
)

# A block: ("h", heading) | ("p", paragraph) | ("e", "dd/mm/yyyy", source, entry) in chronologies.
Block = tuple[str, ...]


class _Slots(dict):
    """Fills each {slot} in a template with a fresh random choice."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        if key == "Carer":
            return self.rng.choice(SLOTS["carer"]).capitalize()
        if key == "pct":
            return str(self.rng.randint(62, 98))
        if key == "time":
            return f"{self.rng.randint(0, 23):02d}:{self.rng.choice(('05', '20', '40', '55'))}"
        return self.rng.choice(SLOTS[key])


def _sentence(rng: random.Random, bank: tuple[str, ...]) -> str:
    return rng.choice(bank).format_map(_Slots(rng))


def _paragraph(rng: random.Random, banks: tuple[tuple[str, ...], ...], words: tuple[str, ...]):
    templates: list[str] = []
    for _ in range(rng.randint(2, 5)):
        template = rng.choice(rng.choice(banks))
        if template not in templates:
            templates.append(template)
    sentences = [template.format_map(_Slots(rng)) for template in templates]
    if words and rng.random() < 0.12:
        mention = rng.choice(MENTIONS).format(word=rng.choice(words))
        sentences.insert(rng.randrange(len(sentences) + 1), mention)
    return " ".join(sentences)


def uk_date(day: date) -> str:
    """14 March 2024, as Scottish records write it."""
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class CaseContext:
    """What the text of one case's records depends on (never a name)."""

    case_ref: str
    age_band: str
    legal_status: str
    start: date
    end: date
    words: tuple[str, ...]


@dataclass(frozen=True)
class Kind:
    """A type of record an agency keeps: title, typical length in pages, what it says."""

    title: str
    pages: tuple[int, int]
    banks: tuple[tuple[str, ...], ...]
    headings: tuple[str, ...]
    chronology: bool = False
    ages: tuple[str, ...] = ()  # age bands the record fits; empty for any age


_KINDS: dict[str, tuple[Kind, ...]] = {
    "Social work": (
        Kind("Chronology", (3, 8), (OBSERVATION,), (), chronology=True),
        Kind("Child's plan", (3, 7), (PLANNING,), ("Why this plan", "What needs to change",
             "Actions", "Contingency plan", "Child's views", "Parents' views")),
        Kind("Child's plan review", (2, 5), (PLANNING, OBSERVATION), ("Attendance",
             "Progress since last review", "Views", "Decisions")),
        Kind("Assessment of risks and needs", (4, 8), (OBSERVATION, PLANNING), (
             "Reason for assessment", "My world: how I grow and develop",
             "My world: what I need from the people who look after me",
             "My world: my wider world", "Analysis of risk and cumulative harm", "Conclusion")),
        Kind("Case notes", (2, 6), (OBSERVATION,), ("Contact record",)),
        Kind("IRD minute", (2, 4), (OBSERVATION, POLICE), ("Present (by role)", "Concern",
             "Information shared", "Decision and rationale", "Actions")),
        Kind("CPPM minute", (3, 6), (PLANNING, OBSERVATION), ("Present (by role)",
             "Reports received", "Risks", "Registration decision", "Child protection plan")),
        Kind("Core group minute", (2, 4), (PLANNING, OBSERVATION), ("Present (by role)",
             "Progress against the plan", "Next steps")),
        Kind("Case file audit", (2, 3), (MANAGEMENT,), ("Audit", "Supervisor's comments",
             "Actions")),
        Kind("Report to the Children's Reporter", (3, 7), (OBSERVATION, PLANNING), (
             "Background", "Current concerns", "Assessment", "Recommendation")),
    ),
    "Health": (
        Kind("Health visitor notes", (2, 6), (HEALTH, OBSERVATION), ("Contact",),
             ages=("0-4",)),
        Kind("School nurse contact", (2, 3), (HEALTH,), ("Contact", "Plan"),
             ages=("5-11", "12-15", "16-17")),
        Kind("Paediatric assessment", (2, 5), (HEALTH,), ("Reason for referral", "Findings",
             "Opinion", "Recommendations")),
        Kind("Health chronology", (2, 6), (HEALTH,), (), chronology=True),
    ),
    "Education": (
        Kind("Nursery progress report", (2, 3), (SCHOOL,), ("Learning through play",
             "Health and wellbeing", "Next steps"), ages=("0-4",)),
        Kind("School report", (2, 4), (SCHOOL,), ("Literacy", "Numeracy",
             "Health and wellbeing", "Next steps"), ages=("5-11", "12-15", "16-17")),
        Kind("Attendance and wellbeing summary", (2, 3), (SCHOOL,), ("Attendance",
             "Wellbeing")),
        Kind("Pastoral notes", (2, 5), (SCHOOL, OBSERVATION), ("Pastoral contact",),
             ages=("5-11", "12-15", "16-17")),
        Kind("Additional support plan", (2, 5), (SCHOOL, PLANNING), ("Strengths",
             "Barriers to learning", "Targets", "Review")),
    ),
    "Police": (
        Kind("Concern report (VPD)", (2, 3), (POLICE,), ("Circumstances", "Assessment",
             "Information shared")),
        Kind("Police IRD record", (2, 4), (POLICE, OBSERVATION), ("Concern",
             "Police checks", "Decision and rationale")),
    ),
    "SCRA": (
        Kind("Reporter decision", (1, 2), (SCRA,), ("Decision",)),
        Kind("Statement of grounds", (2, 3), (SCRA,), ("Section 67 grounds",
             "Supporting facts")),
        Kind("Children's hearing decision", (2, 4), (SCRA, PLANNING), ("Decision",
             "Reasons", "Measures")),
    ),
    "Third sector": (
        Kind("Family support worker report", (2, 5), (OBSERVATION, PLANNING), ("Work done",
             "Progress", "Child's views")),
        Kind("Advocacy report", (2, 3), (OBSERVATION,), ("What the child wants people to know",)),
    ),
    "Other": (
        Kind("Housing support note", (2, 3), (OBSERVATION,), ("Tenancy", "Support")),
    ),
}  # fmt: skip

# How often each agency's records turn up in a case file (social work holds most).
AGENCY_WEIGHTS = {
    "Social work": 44,
    "Health": 18,
    "Education": 15,
    "Police": 10,
    "SCRA": 7,
    "Third sector": 4,
    "Other": 2,
}


def pick_kind(rng: random.Random, agency: str, age_band: str) -> Kind:
    """A record type this agency keeps for a child of this age."""
    return rng.choice([kind for kind in _KINDS[agency] if not kind.ages or age_band in kind.ages])


def author_role(agency: str) -> str:
    """The job title that signs a record from this agency (staff by job title only)."""
    return {
        "Social work": "Social worker, Children and Families",
        "Health": "Health visitor / school nurse, NHS board",
        "Education": "Depute head teacher",
        "Police": "Police constable, Police Scotland",
        "SCRA": "Children's Reporter",
        "Third sector": "Family support worker",
        "Other": "Housing support officer",
    }[agency]


def header_lines(ctx: CaseContext, agency: str, kind: Kind, day: date) -> list[str]:
    """The block every record opens with: reference, agency, date, author by role."""
    return [
        f"Inspection case reference: {ctx.case_ref}",
        f"Agency: {agency}    Record: {kind.title}",
        f"Date: {uk_date(day)}    Recorded by: {author_role(agency)}",
        f"Legal status: {ctx.legal_status}    Age band: {ctx.age_band}",
    ]


def blocks(
    rng: random.Random, ctx: CaseContext, kind: Kind, day: date, mention: str | None = None
) -> Iterator[Block]:
    """An endless stream of this record's text; the writer takes as much as fits its pages."""
    opening = f"The child talked about the {mention} and was keen to show it. " if mention else ""
    if kind.chronology:
        yield from _chronology(rng, ctx, day, opening)
        return
    logged = day - timedelta(days=120)
    for section in count():
        heading = kind.headings[section] if section < len(kind.headings) else ""
        if len(kind.headings) == 1:
            # Contact logs: one dated entry after another, up to the record's date.
            logged = min(logged + timedelta(days=rng.randint(1, 5)), day)
            heading = f"{kind.headings[0]}, {uk_date(logged)}"
        elif section == len(kind.headings):
            heading = "Further information"
        if heading:
            yield ("h", heading)
        if heading in SECTION_BANK:
            yield ("p", _sentence(rng, SECTION_BANK[heading]))
        for _ in range(rng.randint(1, 3)):
            yield ("p", opening + _paragraph(rng, kind.banks, ctx.words))
            opening = ""


def _chronology(rng: random.Random, ctx: CaseContext, day: date, opening: str) -> Iterator[Block]:
    """Entries in date order up to the record's own date, then the stream ends."""
    yield ("h", "Significant events (multi-agency)")
    step = max((day - ctx.start).days // 60, 2)
    when = ctx.start
    sources = tuple(AGENCY_WEIGHTS)[:5]
    while when <= day:
        source = rng.choice(sources)
        bank = {
            "Health": HEALTH,
            "Education": SCHOOL,
            "Police": POLICE,
            "SCRA": SCRA,
        }.get(source, OBSERVATION)
        yield ("e", f"{when:%d/%m/%Y}", source, opening + _paragraph(rng, (bank,), ctx.words))
        opening = ""
        when += timedelta(days=rng.randint(1, step))


def plain_text(
    ctx: CaseContext, agency: str, kind: Kind, day: date, stream, block_count: int
) -> str:
    """The record as plain text: header, then `block_count` blocks."""
    lines = [kind.title.upper(), *header_lines(ctx, agency, kind, day), ""]
    for block in islice(stream, block_count):
        if block[0] == "h":
            lines += ["", block[1], "-" * len(block[1])]
        elif block[0] == "e":
            lines += [f"{block[1]}  [{block[2]}]  {block[3]}"]
        else:
            lines += [block[1], ""]
    return "\n".join(lines) + "\n"


def scan_lines(
    ctx: CaseContext, agency: str, kind: Kind, day: date, stream, block_count: int
) -> list[str]:
    """The record as lines to type onto a scanned page ('# ' marks a heading, '' a gap)."""
    lines = [f"# {kind.title}", *header_lines(ctx, agency, kind, day), ""]
    for block in islice(stream, block_count):
        if block[0] == "h":
            lines += ["", f"# {block[1]}"]
        elif block[0] == "e":
            lines += [f"{block[1]} [{block[2]}] {block[3]}"]
        else:
            lines += [block[1], ""]
    return lines


def chronology_titles() -> frozenset[str]:
    """The titles of the record types that are chronologies."""
    return frozenset(k.title for kinds in _KINDS.values() for k in kinds if k.chronology)
