"""What a case summary prints: plain frozen records, with no store and no reportlab, so that a
process laying summaries out needs only these and the layout."""

from dataclasses import dataclass, field
from datetime import date

from casereader.domain.template import Item, Template
from casereader.domain.values import display_value
from casereader.store.models import Flag


@dataclass(frozen=True)
class Citation:
    title: str
    agency: str
    doc_date: str | None
    page: int | None
    label: str = ""
    document_sha256: str = ""  # the app's answers view opens the page it cites

    def text(self) -> str:
        """E.g. "Chronology (Social work, 2024-03-12), page 3"."""
        facts = ", ".join(x for x in (self.agency, self.doc_date or "undated") if x)
        where = f", page {self.page}" if self.page else ""
        extra = f" — {self.label}" if self.label and self.label != self.title else ""
        return f"{self.title} ({facts}){where}{extra}"


@dataclass(frozen=True)
class Reading:
    """One reader's answer to one item."""

    reader_id: str
    label: str  # "R1" in a reader's store, "Reader A (R1)" in a coordinator's
    value: str | None
    agreed_value: str | None
    note: str
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class ItemLine:
    stage_id: str
    stage_title: str
    item: Item
    readings: tuple[Reading, ...]
    moderated_value: str | None = None
    rationale: str = ""
    moderator: str | None = None
    moderated_at: str | None = None
    state: str = ""  # agreed | differs | moderated | changed_since_moderation | incomplete | ""

    @property
    def counted_value(self) -> str | None:
        """The value the analysis counts: moderated, else one every reader gave (agreed first)."""
        if self.moderated_value is not None:
            return self.moderated_value
        values = {r.agreed_value or r.value for r in self.readings}
        return values.pop() if len(values) == 1 else None


@dataclass(frozen=True)
class ReaderState:
    reader_id: str
    label: str
    status: str
    first_change: str | None
    last_change: str | None
    requirements: tuple[int, int]  # (met, required)
    missing: tuple[str, ...]  # "Stage: “Label” — grade not given"


@dataclass(frozen=True)
class CaseSummary:
    inspection: str
    template_id: str
    template_version: str
    template_title: str
    case_ref: str
    sample_group: str
    follow_up: bool
    age_band: str
    legal_status: str
    replaces: str | None
    replaced_by: str | None
    coordinator: bool
    readers: tuple[ReaderState, ...]
    documents: int
    records_from: str | None
    records_to: str | None
    moderated_at: str | None
    items: tuple[ItemLine, ...]
    flags: tuple[Flag, ...]
    template: Template = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    def display(self, item: Item, value: str | None) -> str:
        return display_value(item, value, self.template.scale)


def today() -> str:
    return date.today().isoformat()
