"""What goes into a reader bundle, and what comes out of one: the member JSON and CSV.

Going in, `gather` reads the reader's own work from a reader store as plain dicts (no models:
exporting must stay quick) and `content_members` turns them into the member bytes. Coming out,
`parse_contents` validates every member strictly against the records below and checks that they
agree with the manifest. Documents and document text never go in: evidence links cite a
document only by its SHA-256 and page.
"""

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from casereader.bundle.manifest import (
    ANSWERS,
    ANSWERS_CSV,
    AUDIT,
    CASES,
    EVIDENCE_LINKS,
    FLAGS,
    Manifest,
    SubstitutionRecord,
    dump_json,
    load_json,
)
from casereader.domain.template import Template
from casereader.domain.values import display_value
from casereader.errors import BundleRejected
from casereader.store.models import CaseStatus, FlagCategory, FlagStatus
from casereader.store.store import Store

_ASK_AGAIN = "ask the reader to export the bundle again"

CSV_COLUMNS = (
    "case_ref",
    "stage",
    "item",
    "question",
    "reader_id",
    "value",
    "value_label",
    "agreed_value",
    "agreed_label",
    "note",
    "evidence",
    "template_id",
    "template_version",
    "template_sha256",
    "updated_at",
)


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class AnswerRecord(_Record):
    case_ref: str = Field(min_length=1)
    item_key: str = Field(min_length=1)
    reader_id: str
    value: str | None
    agreed_value: str | None
    note: str
    template_id: str
    template_version: str
    template_sha256: str
    updated_at: str


class EvidenceLinkRecord(_Record):
    case_ref: str = Field(min_length=1)
    item_key: str = Field(min_length=1)
    reader_id: str
    document_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    page: int | None = Field(ge=1)
    label: str
    created_at: str


class FlagEventRecord(_Record):
    status: FlagStatus
    actor: str
    at: str
    note: str


class FlagRecord(_Record):
    flag_id: str = Field(min_length=1, max_length=200)
    case_ref: str = Field(min_length=1)
    reader_id: str
    category: FlagCategory
    description: str
    status: FlagStatus
    raised_by: str
    raised_at: str
    updated_at: str
    history: list[FlagEventRecord]


class CaseStatusRecord(_Record):
    case_ref: str = Field(min_length=1)
    status: CaseStatus
    completed_at: str | None
    updated_at: str


class AuditRecord(_Record):
    id: int
    at: str
    actor: str
    action: str
    case_ref: str | None
    target: str | None
    old_value: str | None
    new_value: str | None
    detail: str | None


class _AnswersMember(_Record):
    answers: list[AnswerRecord]


class _LinksMember(_Record):
    evidence_links: list[EvidenceLinkRecord]


class _FlagsMember(_Record):
    flags: list[FlagRecord]


class _CasesMember(_Record):
    statuses: list[CaseStatusRecord]
    substitutions: list[SubstitutionRecord]


class _AuditMember(_Record):
    entries: list[AuditRecord]


_MEMBER_MODELS: dict[str, type[_Record]] = {
    ANSWERS: _AnswersMember,
    EVIDENCE_LINKS: _LinksMember,
    FLAGS: _FlagsMember,
    CASES: _CasesMember,
    AUDIT: _AuditMember,
}
_ADAPTERS = {name: TypeAdapter(model) for name, model in _MEMBER_MODELS.items()}


@dataclass
class BundleContents:
    """A reader's work as it travels: plain dicts shaped like the records above."""

    answers: list[dict] = field(default_factory=list)
    evidence_links: list[dict] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)
    statuses: list[dict] = field(default_factory=list)
    substitutions: list[dict] = field(default_factory=list)
    audit: list[dict] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many of each record, as the manifest states them."""
        return {
            "answers": len(self.answers),
            "evidence_links": len(self.evidence_links),
            "flags": len(self.flags),
            "cases": len(self.statuses),
            "substitutions": len(self.substitutions),
            "audit_entries": len(self.audit),
        }


def _rows(store: Store, sql: str, params: list | None = None) -> list[dict]:
    cur = store.db.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def gather(store: Store) -> BundleContents:
    """The store's reader's answers, links, flags, statuses, substitutions and audit log."""
    reader = store.reader_id
    answers = _rows(
        store,
        "SELECT case_ref, item_key, reader_id, value, agreed_value, note, template_id,"
        " template_version, template_sha256, updated_at FROM answers WHERE reader_id = ?"
        " ORDER BY case_ref, item_key",
        [reader],
    )
    links = _rows(
        store,
        "SELECT case_ref, item_key, reader_id, document_sha256, page, label, created_at"
        " FROM evidence_links WHERE reader_id = ? ORDER BY id",
        [reader],
    )
    flags = _rows(
        store,
        "SELECT flag_id, case_ref, reader_id, category, description, status, raised_by,"
        " raised_at, updated_at FROM flags WHERE reader_id = ? ORDER BY raised_at, flag_id",
        [reader],
    )
    history: dict[str, list[dict]] = defaultdict(list)
    for event in _rows(
        store,
        "SELECT e.flag_id, e.status, e.actor, e.at, e.note FROM flag_events e"
        " JOIN flags f ON f.flag_id = e.flag_id WHERE f.reader_id = ? ORDER BY e.id",
        [reader],
    ):
        history[event.pop("flag_id")].append(event)
    for flag in flags:
        flag["history"] = history.get(flag["flag_id"], [])
    statuses = _rows(
        store,
        "SELECT case_ref, status, completed_at, updated_at FROM assignments"
        " WHERE reader_id = ? ORDER BY case_ref",
        [reader],
    )
    substitutions = _rows(
        store,
        "SELECT core_ref, reserve_ref, reason, note, decided_by, decided_at FROM substitutions"
        " ORDER BY id",
    )
    audit = _rows(
        store,
        "SELECT id, at, actor, action, case_ref, target, old_value, new_value, detail"
        " FROM audit_log ORDER BY id",
    )
    return BundleContents(answers, links, flags, statuses, substitutions, audit)


def content_members(contents: BundleContents, templates: dict[str, Template]) -> dict[str, bytes]:
    """Member name -> bytes for every member but the manifest and its signature."""
    return {
        ANSWERS: dump_json({"answers": contents.answers}),
        EVIDENCE_LINKS: dump_json({"evidence_links": contents.evidence_links}),
        FLAGS: dump_json({"flags": contents.flags}),
        CASES: dump_json({"statuses": contents.statuses, "substitutions": contents.substitutions}),
        AUDIT: dump_json({"entries": contents.audit}),
        ANSWERS_CSV: answers_csv(contents, templates),
    }


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    if text and text[0] in "=+-@\t\r" and not _NUMBER.match(text):
        return "'" + text
    return text


def answers_csv(contents: BundleContents, templates: dict[str, Template]) -> bytes:
    """The answers as CSV (UTF-8 with BOM, for spreadsheets), one row per answer."""
    cited: dict[tuple[str, str], list[str]] = defaultdict(list)
    for link in contents.evidence_links:
        page = f" p{link['page']}" if link["page"] else ""
        label = link["label"] or link["document_sha256"][:12]
        cited[(link["case_ref"], link["item_key"])].append(f"{label}{page}")
    items = {sha: {i.key: i for _, i in t.items()} for sha, t in templates.items()}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in contents.answers:
        template = templates.get(a["template_sha256"])
        stage_id, _, item_id = a["item_key"].partition(".")
        question = value_label = agreed_label = ""
        item = items.get(a["template_sha256"], {}).get(a["item_key"])
        if template is not None and item is not None:
            question = item.label
            value_label = display_value(item, a["value"], template.scale)
            agreed_label = display_value(item, a["agreed_value"], template.scale)
        row = [
            a["case_ref"],
            stage_id,
            item_id,
            question,
            a["reader_id"],
            a["value"],
            value_label,
            a["agreed_value"],
            agreed_label,
            a["note"],
            "; ".join(cited.get((a["case_ref"], a["item_key"]), [])),
            a["template_id"],
            a["template_version"],
            a["template_sha256"],
            a["updated_at"],
        ]
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _damaged(member: str, why: str) -> BundleRejected:
    return BundleRejected(f"{member} is damaged ({why}); {_ASK_AGAIN}")


def _validated(name: str, raw: bytes) -> _Record:
    data = load_json(raw, name)
    try:
        return _ADAPTERS[name].validate_python(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise _damaged(name, f"{where}: {first['msg']}") from None


def _no_repeats(member: str, keys: list, what: str) -> None:
    repeated = [k for k, n in Counter(keys).items() if n > 1]
    if repeated:
        raise _damaged(member, f"{what} {repeated[0]!r} appears twice")


def parse_contents(members: dict[str, bytes], manifest: Manifest) -> BundleContents:
    """Validate every content member (already hash-checked) and its agreement with the manifest."""
    answers = _validated(ANSWERS, members[ANSWERS]).answers
    links = _validated(EVIDENCE_LINKS, members[EVIDENCE_LINKS]).evidence_links
    flags = _validated(FLAGS, members[FLAGS]).flags
    cases = _validated(CASES, members[CASES])
    audit = _validated(AUDIT, members[AUDIT]).entries
    reader = manifest.reader_id
    for member, records in ((ANSWERS, answers), (EVIDENCE_LINKS, links), (FLAGS, flags)):
        for record in records:
            if record.reader_id != reader:
                raise _damaged(
                    member, f"holds work of reader {record.reader_id!r}, not of {reader!r}"
                )
    template = manifest.template
    for answer in answers:
        if answer.template_sha256 != template.sha256:
            raise BundleRejected(
                f"other template: the answer to {answer.item_key} on {answer.case_ref} was made "
                f"under template {answer.template_id} {answer.template_version} "
                f"({answer.template_sha256[:12]}…), not the bundle's {template.id} "
                f"{template.version}; this store cannot read it as another version"
            )
    _no_repeats(ANSWERS, [(a.case_ref, a.item_key) for a in answers], "answer")
    _no_repeats(FLAGS, [f.flag_id for f in flags], "flag")
    _no_repeats(CASES, [s.case_ref for s in cases.statuses], "case status")
    _no_repeats(AUDIT, [e.id for e in audit], "audit entry")
    contents = BundleContents(
        answers=[a.model_dump() for a in answers],
        evidence_links=[link.model_dump() for link in links],
        flags=[f.model_dump() for f in flags],
        statuses=[s.model_dump() for s in cases.statuses],
        substitutions=[s.model_dump() for s in cases.substitutions],
        audit=[e.model_dump() for e in audit],
    )
    if contents.counts() != manifest.counts:
        raise BundleRejected(
            f"the manifest's counts do not match the members ({manifest.counts} stated, "
            f"{contents.counts()} found); {_ASK_AGAIN}"
        )
    return contents
