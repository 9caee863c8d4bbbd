"""A reader bundle's manifest: what it is, whose, for which inspection, and every member's hash.

The manifest is the one signed thing in a bundle: `manifest.sig` is a detached Ed25519 signature
of the exact bytes of `manifest.json`, and the manifest lists the SHA-256 of every other member,
so the signature covers everything. The layout is described for other programs in
docs/bundle-format.md; this module is its reference implementation.
"""

import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from casereader.errors import BundleRejected

BUNDLE_FORMAT = "casereader-bundle"
FORMAT_VERSION = 1

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
ANSWERS = "answers.json"
EVIDENCE_LINKS = "evidence_links.json"
FLAGS = "flags.json"
CASES = "cases.json"
AUDIT = "audit.json"
ANSWERS_CSV = "answers.csv"
# The members of a format-1 bundle, in the order they are written.
CONTENT_MEMBERS = (ANSWERS, EVIDENCE_LINKS, FLAGS, CASES, AUDIT, ANSWERS_CSV)
MEMBER_ORDER = (MANIFEST, SIGNATURE, *CONTENT_MEMBERS)

PACK_FORMAT = "casereader-pack"
PACK_FORMAT_VERSION = 2
# Version 1 packs (no enrolled signing key) still open: the reader store then makes its own key,
# which the coordinator store does not know, so its bundles are refused until a new pack is made.
PACK_FORMAT_VERSIONS_READ = (1, 2)
READER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
PACK_SUFFIX = ".crpack"
PACK_MANIFEST = "pack.json"
TEMPLATE_MEMBER = "template.toml"
PACK_CHECKSUMS = "checksums.json"

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_ASK_AGAIN = "ask the reader to export the bundle again"
_ASK_COORDINATOR = "ask the coordinator for a fresh copy of the pack"


class TemplateRef(BaseModel):
    """The record-reading template every answer in the bundle was made under."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    sha256: str

    @field_validator("sha256")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _HEX64.match(value):
            raise ValueError("not 64 lowercase hex digits")
        return value


class Manifest(BaseModel):
    """The parsed `manifest.json` of a format-1 bundle."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    format: str
    format_version: int
    app_version: str
    created_at: str = Field(min_length=1)
    inspection_id: str = Field(min_length=1)
    inspection_name: str
    template: TemplateRef
    reader_id: str = Field(pattern=READER_ID_PATTERN)
    reader_public_key: str
    sequence: int = Field(ge=1)
    counts: dict[str, int]
    members: dict[str, str]

    @field_validator("reader_public_key")
    @classmethod
    def _key_hex(cls, value: str) -> str:
        if not _HEX64.match(value):
            raise ValueError("not a 32-byte key in 64 lowercase hex digits")
        return value

    @field_validator("members")
    @classmethod
    def _exact_members(cls, value: dict[str, str]) -> dict[str, str]:
        if set(value) != set(CONTENT_MEMBERS):
            missing = sorted(set(CONTENT_MEMBERS) - set(value))
            extra = sorted(set(value) - set(CONTENT_MEMBERS))
            raise ValueError(f"members listed wrongly (missing {missing}, unexpected {extra})")
        for name, digest in value.items():
            if not _HEX64.match(digest):
                raise ValueError(f"SHA-256 of {name} is not 64 lowercase hex digits")
        return value

    @property
    def public_key(self) -> bytes:
        return bytes.fromhex(self.reader_public_key)

    def to_bytes(self) -> bytes:
        """The manifest as written and signed: UTF-8 JSON, keys sorted, two-space indent."""
        return dump_json(self.model_dump())


def dump_compact_json(data: Any) -> bytes:
    """Compact member JSON (UTF-8, no spaces), for what only casereader reads: much quicker."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")


def dump_json(data: Any) -> bytes:
    """Canonical member JSON: UTF-8, keys sorted, two-space indent, final newline."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in a bundle")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"key {key!r} appears twice")
        result[key] = value
    return result


def load_json(raw: bytes, member: str) -> Any:
    """Parse a member's JSON strictly (UTF-8, no NaN, no repeated keys); BundleRejected if not."""
    try:
        text = raw.decode("utf-8")
        return json.loads(text, parse_constant=_no_constants, object_pairs_hook=_no_duplicate_keys)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else "not valid JSON"
        if isinstance(exc, RecursionError):
            reason = "nested too deeply"
        raise BundleRejected(f"{member} is damaged ({reason}); {_ASK_AGAIN}") from None


def parse_manifest(raw: bytes) -> Manifest:
    """The manifest, checking first that this is a casereader bundle of a format we read."""
    data = load_json(raw, MANIFEST)
    if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
        raise BundleRejected(
            f"not a casereader bundle: {MANIFEST} does not say format {BUNDLE_FORMAT!r}; "
            "check you chose a .crbundle file a reader exported"
        )
    version = data.get("format_version")
    if type(version) is not int:
        raise BundleRejected(f"{MANIFEST} is damaged (no format_version number); {_ASK_AGAIN}")
    if version != FORMAT_VERSION:
        raise BundleRejected(
            f"unknown bundle format version {version}: this casereader reads version "
            f"{FORMAT_VERSION}; the bundle was made by a newer casereader — update casereader "
            "on this computer, then merge it again"
        )
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "manifest"
        raise BundleRejected(
            f"{MANIFEST} is damaged ({where}: {first['msg']}); {_ASK_AGAIN}"
        ) from None


# reading packs ------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class SubstitutionRecord(_Strict):
    """A reserve case replacing a core case, as bundles and packs carry it."""

    core_ref: str = Field(min_length=1)
    reserve_ref: str = Field(min_length=1)
    reason: str
    note: str
    decided_by: str
    decided_at: str


class PackCase(_Strict):
    case_ref: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
    sample_group: Literal["core", "reserve"]
    follow_up: bool
    age_band: str
    legal_status: str
    attributes: dict[str, str]


class PackDocument(_Strict):
    file: str
    text: str
    case_ref: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)
    agency: str
    doc_date: str | None
    date_source: Literal["name", "metadata"] | None
    title: str
    doc_type: Literal["pdf", "docx", "txt", "png", "jpeg", "tiff"]
    page_count: int | None
    source_path: str


class PackManifest(_Strict):
    format: str
    format_version: int
    app_version: str
    created_at: str
    inspection_id: str = Field(min_length=1)
    inspection_name: str = Field(min_length=1)
    reader_id: str = Field(pattern=READER_ID_PATTERN)
    lead_recipient: str
    template: TemplateRef
    template_member_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    identifier_names: list[str]
    cases: list[PackCase]
    substitutions: list[SubstitutionRecord]
    documents: list[PackDocument]
    # Version 2: the reader's Ed25519 signing key, made and enrolled by the coordinator (64 hex
    # digits of the raw private key), and the first sequence number the reader's exports take.
    reader_signing_key: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    first_sequence: int | None = Field(default=None, ge=1)


class PackChecksums(_Strict):
    """The last member of a pack: the SHA-256 of every text member, computed as they streamed."""

    text_sha256: dict[str, str]


class PageText(_Strict):
    """A text member: the text of each page that has any, by page number."""

    # Not strict: JSON has no tuples, and strict mode would refuse a list for one.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)

    pages: list[tuple[int, str]]


def parse_pack_manifest(raw: bytes) -> PackManifest:
    """The reading pack's manifest, checking format, version and that its lists agree."""
    data = load_json(raw, PACK_MANIFEST)
    if not isinstance(data, dict) or data.get("format") != PACK_FORMAT:
        raise BundleRejected(
            f"not a casereader reading pack: {PACK_MANIFEST} does not say format "
            f"{PACK_FORMAT!r}; check you chose the pack file the coordinator gave you"
        )
    version = data.get("format_version")
    if version not in PACK_FORMAT_VERSIONS_READ or type(version) is not int:
        raise BundleRejected(
            f"unknown reading pack format version {version!r}: this casereader reads versions "
            f"{', '.join(map(str, PACK_FORMAT_VERSIONS_READ))}; update casereader on this "
            "computer"
        )
    enrolled = {"reader_signing_key", "first_sequence"}
    if version == 1 and enrolled & set(data):
        raise BundleRejected(
            f"{PACK_MANIFEST} is damaged (a version 1 pack holds no signing key); "
            f"{_ASK_COORDINATOR}"
        )
    if version >= 2 and not enrolled <= set(data):
        raise BundleRejected(
            f"{PACK_MANIFEST} is damaged (no enrolled signing key); {_ASK_COORDINATOR}"
        )
    try:
        manifest = PackManifest.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise BundleRejected(
            f"{PACK_MANIFEST} is damaged ({where}: {first['msg']}); {_ASK_COORDINATOR}"
        ) from None
    refs = {c.case_ref for c in manifest.cases}
    if len(refs) != len(manifest.cases):
        raise BundleRejected(f"{PACK_MANIFEST} lists a case twice; {_ASK_COORDINATOR}")
    names = [d.file for d in manifest.documents] + [d.text for d in manifest.documents]
    if len(set(names)) != len(names):
        raise BundleRejected(f"{PACK_MANIFEST} lists a member twice; {_ASK_COORDINATOR}")
    for doc in manifest.documents:
        if doc.case_ref not in refs:
            raise BundleRejected(
                f"{PACK_MANIFEST} lists a document of case {doc.case_ref}, which is not in the "
                f"pack; {_ASK_COORDINATOR}"
            )
    return manifest
