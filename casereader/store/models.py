"""What the store hands to everything above it: pydantic models, never rows."""

from typing import Literal

from pydantic import BaseModel, ConfigDict

CaseStatus = Literal["not_started", "in_progress", "complete", "moderated"]
FlagStatus = Literal["raised", "referred", "response_received", "closed"]
FlagCategory = Literal["immediate_risk", "investigate", "other"]
Role = Literal["reader", "coordinator"]

CASE_STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
    "moderated": "Moderated",
}
FLAG_STATUS_ORDER: tuple[FlagStatus, ...] = ("raised", "referred", "response_received", "closed")
FLAG_STATUS_LABELS = {
    "raised": "Raised",
    "referred": "Referred to the partnership",
    "response_received": "Response received",
    "closed": "Closed",
}
FLAG_CATEGORY_LABELS = {
    "immediate_risk": "Immediate risk to a child",
    "investigate": "Concern needing further investigation",
    "other": "Other",
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Inspection(_Model):
    inspection_id: str
    name: str
    role: Role
    reader_id: str
    template_sha256: str
    created_at: str
    signing_public_key: str = ""


class Case(_Model):
    case_ref: str
    sample_group: Literal["core", "reserve"]
    follow_up: bool
    age_band: str = ""
    legal_status: str = ""
    attributes: dict[str, str] = {}
    readers: list[str] = []
    moderated_at: str | None = None


class CaseOverview(_Model):
    """One line of the case list: the case with its counts for the store's reader."""

    case_ref: str
    sample_group: Literal["core", "reserve"]
    follow_up: bool
    age_band: str
    legal_status: str
    readers: list[str]
    status: CaseStatus
    documents: int
    answered: int
    required: int
    required_answered: int
    open_flags: int
    closed_flags: int = 0  # management reviews closed (kept in sight as 'closed')
    replaced_by: str | None = None
    replaces: str | None = None


class Substitution(_Model):
    core_ref: str
    reserve_ref: str
    reason: str
    note: str
    decided_by: str
    decided_at: str


class Document(_Model):
    id: int
    case_ref: str
    sha256: str
    agency: str
    doc_date: str | None
    date_source: str | None
    title: str
    doc_type: str
    page_count: int | None
    size: int
    source_path: str
    imported_at: str
    # Imported as a repair library's copy of a damaged file, whose own SHA-256 is kept.
    repaired: bool = False
    original_sha256: str | None = None


class Answer(_Model):
    case_ref: str
    item_key: str
    reader_id: str
    value: str | None
    agreed_value: str | None
    note: str
    template_id: str
    template_version: str
    template_sha256: str
    updated_at: str


class EvidenceLink(_Model):
    id: int
    case_ref: str
    item_key: str
    reader_id: str
    document_sha256: str
    page: int | None
    label: str
    created_at: str


class FlagEvent(_Model):
    status: FlagStatus
    actor: str
    at: str
    note: str


class Flag(_Model):
    flag_id: str
    case_ref: str
    reader_id: str
    category: FlagCategory
    description: str
    status: FlagStatus
    raised_by: str
    raised_at: str
    updated_at: str
    history: list[FlagEvent] = []

    @property
    def is_open(self) -> bool:
        return self.status != "closed"


class AuditEntry(_Model):
    id: int
    at: str
    actor: str
    action: str
    case_ref: str | None
    target: str | None
    old_value: str | None
    new_value: str | None
    detail: str | None


class SearchHit(_Model):
    case_ref: str
    document_id: int
    title: str
    agency: str
    doc_date: str | None
    page: int
    snippet: str
    recognised: bool = False  # the hit is in text recognised from a scan
    running_only: bool = False  # the page matches only in its running header or footer


class SearchResults(_Model):
    """The best pages of a search, and how many pages match in all."""

    hits: list[SearchHit]
    total: int


class RecognisedPage(_Model):
    """A scanned page's text recognition: status text | empty | failed, the engine's mean
    confidence (0-100), and word boxes (word, x0, y0, x1, y1) in fractions of the page."""

    page: int
    status: str
    confidence: float | None = None
    words: list[tuple[str, float, float, float, float]] = []
    reason: str = ""


class CarriedReview(_Model):
    """A management review as an export carries it: its latest step, and whether that step
    is already in an exported bundle (`sent`, with the latest such bundle's number)."""

    flag_id: str
    case_ref: str
    reader_id: str
    category: FlagCategory
    status: FlagStatus
    raised_at: str
    last_event_id: int
    last_step_at: str
    sent: bool = False
    sent_sequence: int | None = None

    @property
    def immediate_risk(self) -> bool:
        return self.category == "immediate_risk"


class ArrivedReview(_Model):
    """A management review a merged bundle brought: new to this store, or with new steps."""

    flag_id: str
    case_ref: str
    reader_id: str
    category: FlagCategory
    status: FlagStatus
    description: str
    raised_at: str
    new_review: bool
    new_steps: list[FlagEvent] = []

    @property
    def immediate_risk(self) -> bool:
        return self.category == "immediate_risk"
