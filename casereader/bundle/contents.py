"""What goes into a reader bundle, and what comes out of one: the member JSON and CSV.

Going in, `content_members` takes the reader's own work from a reader store as JSON text that
SQLite builds (one record a line; exporting a full reading must stay quick) plus the CSV.
Coming out, `parse_contents` validates every member strictly against the records below, straight
from the bytes, and checks that they agree with the manifest. Documents and document text never
go in: evidence links cite a document only by its SHA-256 and page.
"""

import re
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict

from casereader.bundle.archive import sha256_hex
from casereader.bundle.manifest import (
    ANSWERS,
    ANSWERS_CSV,
    AUDIT,
    CASES,
    EVIDENCE_LINKS,
    FLAGS,
    Manifest,
)
from casereader.domain.template import Template
from casereader.domain.values import display_value
from casereader.errors import BundleRejected
from casereader.store import bundles as store_bundles
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


_STRICT = ConfigDict(extra="forbid", strict=True)
_Text = Annotated[str, Field(min_length=1)]
_Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]

# The records as they travel. TypedDicts, not models: they validate straight from the JSON
# bytes (pydantic's Rust parser) into plain dicts, so a merge never builds a model per record.


@with_config(_STRICT)
class AnswerRecord(TypedDict):
    case_ref: _Text
    item_key: _Text
    reader_id: str
    value: str | None
    agreed_value: str | None
    note: str
    template_id: str
    template_version: str
    template_sha256: str
    updated_at: str


@with_config(_STRICT)
class EvidenceLinkRecord(TypedDict):
    case_ref: _Text
    item_key: _Text
    reader_id: str
    document_sha256: _Sha256
    page: Annotated[int | None, Field(ge=1)]
    label: str
    created_at: str


@with_config(_STRICT)
class FlagEventRecord(TypedDict):
    status: FlagStatus
    actor: str
    at: str
    note: str


@with_config(_STRICT)
class FlagRecord(TypedDict):
    flag_id: Annotated[str, Field(min_length=1, max_length=200)]
    case_ref: _Text
    reader_id: str
    category: FlagCategory
    description: str
    status: FlagStatus
    raised_by: str
    raised_at: str
    updated_at: str
    history: list[FlagEventRecord]


@with_config(_STRICT)
class CaseStatusRecord(TypedDict):
    case_ref: _Text
    status: CaseStatus
    completed_at: str | None
    updated_at: str


@with_config(_STRICT)
class SubstitutionRow(TypedDict):
    core_ref: _Text
    reserve_ref: _Text
    reason: str
    note: str
    decided_by: str
    decided_at: str


@with_config(_STRICT)
class AuditRecord(TypedDict):
    id: int
    at: str
    actor: str
    action: str
    case_ref: str | None
    target: str | None
    old_value: str | None
    new_value: str | None
    detail: str | None


@with_config(_STRICT)
class _AnswersMember(TypedDict):
    answers: list[AnswerRecord]


@with_config(_STRICT)
class _LinksMember(TypedDict):
    evidence_links: list[EvidenceLinkRecord]


@with_config(_STRICT)
class _FlagsMember(TypedDict):
    flags: list[FlagRecord]


@with_config(_STRICT)
class _CasesMember(TypedDict):
    statuses: list[CaseStatusRecord]
    substitutions: list[SubstitutionRow]


@with_config(_STRICT)
class _AuditMember(TypedDict):
    entries: list[AuditRecord]


_ADAPTERS = {
    ANSWERS: TypeAdapter(_AnswersMember),
    EVIDENCE_LINKS: TypeAdapter(_LinksMember),
    FLAGS: TypeAdapter(_FlagsMember),
    CASES: TypeAdapter(_CasesMember),
    AUDIT: TypeAdapter(_AuditMember),
}


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


def _member(*lists: tuple[str, str]) -> bytes:
    """A member object of named lists, one record a line: readable, and built without Python
    touching each record (exporting a full reading stays quick)."""
    body = ",\n".join(
        f'"{name}":[\n{records}{chr(10) if records else ""}]' for name, records in lists
    )
    return ("{" + body + "}\n").encode("utf-8")


def content_members(
    store: Store, templates: dict[str, Template]
) -> tuple[dict[str, bytes], dict[str, int], dict[str, str]]:
    """Every member but the manifest and its signature: name -> bytes, the counts, and each
    member's SHA-256 (hex)."""
    reader = store.reader_id
    answers_json, answer_rows = store_bundles.reader_answers(store, reader)
    work = store_bundles.reader_work_json(store, reader)
    members = {
        ANSWERS: _member(("answers", answers_json)),
        EVIDENCE_LINKS: _member(("evidence_links", work["evidence_links"][0])),
        FLAGS: _member(("flags", work["flags"][0])),
        CASES: _member(
            ("statuses", work["statuses"][0]), ("substitutions", work["substitutions"][0])
        ),
        AUDIT: _member(("entries", work["entries"][0])),
    }
    # hashlib lets go of the GIL while it hashes a large buffer: the JSON members are hashed on
    # another core while the CSV is written here.
    with ThreadPoolExecutor(1, thread_name_prefix="bundle-hashing") as hashing:
        hashed = {name: hashing.submit(sha256_hex, data) for name, data in members.items()}
        members[ANSWERS_CSV] = answers_csv(
            answer_rows, store_bundles.link_rows(store, reader), reader, templates
        )
        hashed[ANSWERS_CSV] = hashing.submit(sha256_hex, members[ANSWERS_CSV])
        digests = {name: digest.result() for name, digest in hashed.items()}
    counts = {
        "answers": len(answer_rows),
        "evidence_links": work["evidence_links"][1],
        "flags": work["flags"][1],
        "cases": work["statuses"][1],
        "substitutions": work["substitutions"][1],
        "audit_entries": work["entries"][1],
    }
    return members, counts, digests


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_FORMULA_START = frozenset("=+-@\t\r")


def _cell(text: str | None) -> str | None:
    """A free-text CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if text and text[0] in _FORMULA_START and not _NUMBER.match(text):
        return "'" + text
    return text


def _field(text: str | None) -> str:
    """A CSV field exactly as the csv module's default (excel) dialect writes it."""
    if not text:
        return ""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


class _Formatted(dict):
    """Formatted CSV fields by what they show: each distinct value is formatted once."""

    def __init__(self, make) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key):
        formatted = self[key] = self._make(key)
        return formatted


def answers_csv(
    answers: list[tuple], links: list[tuple], reader_id: str, templates: dict[str, Template]
) -> bytes:
    """The answers as CSV (UTF-8 with BOM, for spreadsheets), one row per answer.

    Only the free-text cells can start like a formula; identifiers, hashes and times cannot.
    Written without the csv module, whose character-by-character writer was most of an
    export's time: every field goes through `_field`, and what repeats is formatted once.
    """
    cited: dict[tuple[str, str], list[str]] = defaultdict(list)
    for case_ref, item_key, sha, page, label in links:
        cited[(case_ref, item_key)].append(f"{label or sha[:12]}{f' p{page}' if page else ''}")
    evidence = {key: _field(_cell("; ".join(found))) for key, found in cited.items()}
    items = {sha: {i.key: i for _, i in t.items()} for sha, t in templates.items()}

    def shown(sha_key_value: tuple) -> str:
        """The value and value_label fields of one distinct answer value."""
        sha, key, value = sha_key_value
        item = items.get(sha, {}).get(key)
        text = display_value(item, value, templates[sha].scale) if item else ""
        return f"{_field(_cell(value))},{_field(_cell(text))}"

    def question(sha_key: tuple) -> str:
        item = items.get(sha_key[0], {}).get(sha_key[1])
        return _field(item.label) if item else ""

    refs = _Formatted(_field)
    stage_item = _Formatted(lambda key: ",".join(_field(part) for part in key.partition(".")[::2]))
    questions = _Formatted(question)
    values = _Formatted(shown)
    template_fields = _Formatted(lambda ref: ",".join(_field(part) for part in ref))
    reader = _field(reader_id)
    lines = [",".join(CSV_COLUMNS)]
    lines += [
        f"{refs[ref]},{stage_item[key]},{questions[sha, key]},{reader},"
        f"{values[sha, key, value]},{values[sha, key, agreed]},{_field(_cell(note))},"
        f"{evidence.get((ref, key), '')},{template_fields[t_id, t_version, sha]},{_field(updated)}"
        for ref, key, value, agreed, note, t_id, t_version, sha, updated in answers
    ]
    lines.append("")
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-8")


def _damaged(member: str, why: str) -> BundleRejected:
    return BundleRejected(f"{member} is damaged ({why}); {_ASK_AGAIN}")


def _validated(name: str, raw: bytes) -> dict:
    try:
        return _ADAPTERS[name].validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "json_invalid":
            raise _damaged(name, "not valid JSON") from None
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise _damaged(name, f"{where}: {first['msg']}") from None


def _no_repeats(member: str, keys: list, what: str) -> None:
    repeated = [k for k, n in Counter(keys).items() if n > 1]
    if repeated:
        raise _damaged(member, f"{what} {repeated[0]!r} appears twice")


def parse_contents(members: dict[str, bytes], manifest: Manifest) -> BundleContents:
    """Validate every content member (already hash-checked) and its agreement with the manifest.

    Repeated keys inside a record are not looked for here (the last one would win): these
    members are covered by the signed manifest's hashes, and casereader never writes them.
    """
    answers = _validated(ANSWERS, members[ANSWERS])["answers"]
    links = _validated(EVIDENCE_LINKS, members[EVIDENCE_LINKS])["evidence_links"]
    flags = _validated(FLAGS, members[FLAGS])["flags"]
    cases = _validated(CASES, members[CASES])
    audit = _validated(AUDIT, members[AUDIT])["entries"]
    reader = manifest.reader_id
    for member, records in ((ANSWERS, answers), (EVIDENCE_LINKS, links), (FLAGS, flags)):
        for record in records:
            if record["reader_id"] != reader:
                raise _damaged(
                    member, f"holds work of reader {record['reader_id']!r}, not of {reader!r}"
                )
    template = manifest.template
    for answer in answers:
        if answer["template_sha256"] != template.sha256:
            raise BundleRejected(
                f"other template: the answer to {answer['item_key']} on {answer['case_ref']} "
                f"was made under template {answer['template_id']} {answer['template_version']} "
                f"({answer['template_sha256'][:12]}…), not the bundle's {template.id} "
                f"{template.version}; this store cannot read it as another version"
            )
    _no_repeats(ANSWERS, [(a["case_ref"], a["item_key"]) for a in answers], "answer")
    _no_repeats(FLAGS, [f["flag_id"] for f in flags], "flag")
    _no_repeats(CASES, [s["case_ref"] for s in cases["statuses"]], "case status")
    _no_repeats(AUDIT, [e["id"] for e in audit], "audit entry")
    contents = BundleContents(
        answers=answers,
        evidence_links=links,
        flags=flags,
        statuses=cases["statuses"],
        substitutions=cases["substitutions"],
        audit=audit,
    )
    if contents.counts() != manifest.counts:
        raise BundleRejected(
            f"the manifest's counts do not match the members ({manifest.counts} stated, "
            f"{contents.counts()} found); {_ASK_AGAIN}"
        )
    return contents
