"""What a reading pack will hold: the reader's cases, its manifest, and each document's members."""

from dataclasses import dataclass

from casereader import __version__
from casereader.bundle import archive, keys, signing
from casereader.bundle.export import LEAD_RECIPIENT_SETTING
from casereader.bundle.manifest import (
    PACK_FORMAT,
    PACK_FORMAT_VERSION,
    PackCase,
    SubstitutionRecord,
    TemplateRef,
    dump_compact_json,
)
from casereader.errors import UsageError
from casereader.store import bundles as store_bundles
from casereader.store import cases as store_cases
from casereader.store import completion
from casereader.store.db import now
from casereader.store.store import Store


def _reader_case_refs(store: Store, reader_id: str) -> list[str]:
    refs = [
        row[0]
        for row in store.db.execute(
            "SELECT case_ref FROM assignments WHERE reader_id = ? ORDER BY case_ref", [reader_id]
        ).fetchall()
    ]
    if not refs:
        readers = [
            row[0]
            for row in store.db.execute(
                "SELECT DISTINCT reader_id FROM assignments ORDER BY reader_id"
            ).fetchall()
        ]
        raise UsageError(
            f"reader {reader_id} has no cases assigned in this store (readers with cases: "
            f"{', '.join(readers) or 'none'}); assign cases in the sample list's reader column"
        )
    return refs


def lead_recipient(store: Store, recipient: str | None) -> str:
    """The lead inspector's recipient: the one given, else the one the store remembers."""
    text = (recipient or store.setting(LEAD_RECIPIENT_SETTING) or "").strip()
    if not text:
        raise UsageError(
            "no lead inspector's recipient: give --recipient age1… (from `casereader keygen`); "
            "it is remembered in the store for the next packs"
        )
    keys.parse_recipient(text)
    return text


_DOC_COLUMNS = (
    "id, case_ref, sha256, size, agency, doc_date, date_source, title, doc_type, page_count,"
    " source_path"
)


@dataclass(frozen=True)
class PackPlan:
    """What a pack will hold: its manifest as written, and each document's store id and names."""

    manifest: bytes
    documents: list[tuple[int, str, str, str]]  # (id, file member, text member, title)
    cases: int
    case_refs: list[str]
    public_key: str  # the enrolled signing key's public half (hex), recorded once written


def pack_plan(store: Store, reader_id: str, recipient: str) -> PackPlan:
    """The manifest and member names of `reader_id`'s pack, from one look at the store.

    The pack carries a fresh signing key for the reader: its public half is enrolled in this
    store once the pack is written, so only bundles signed with it are merged for the reader.
    """
    refs = _reader_case_refs(store, reader_id)
    signing_key = signing.new_signing_key()
    latest = store_bundles.latest_import(store, reader_id)
    wanted = set(refs)
    pack_cases = [
        PackCase(
            case_ref=c.case_ref,
            sample_group=c.sample_group,
            follow_up=c.follow_up,
            age_band=c.age_band,
            legal_status=c.legal_status,
            attributes=dict(c.attributes),
        ).model_dump(mode="json")
        for c in store_cases.list_cases(store)
        if c.case_ref in wanted
    ]
    substitutions = [
        SubstitutionRecord(**s.model_dump()).model_dump(mode="json")
        for s in store_cases.substitutions(store)
        if {s.core_ref, s.reserve_ref} <= wanted
    ]
    marks = ",".join("?" * len(refs))
    rows = store.db.execute(
        f"SELECT {_DOC_COLUMNS} FROM documents WHERE case_ref IN ({marks})"
        " ORDER BY case_ref, agency, doc_date IS NULL, doc_date, title, id",
        refs,
    ).fetchall()
    # Plain dicts in PackDocument's field order: the opener validates them; a model per
    # document here would only slow a large pack down.
    entries = [
        {
            "file": f"documents/{number:06d}.{kind}",
            "text": f"text/{number:06d}.json",
            "case_ref": case_ref,
            "sha256": sha,
            "size": size,
            "agency": agency,
            "doc_date": doc_date,
            "date_source": source,
            "title": title,
            "doc_type": kind,
            "page_count": pages,
            "source_path": path,
        }
        for number, (_, case_ref, sha, size, agency, doc_date, source, title, kind, pages, path)
        in enumerate(rows, 1)
    ]  # fmt: skip
    template, inspection = store.template, store.inspection
    manifest = {
        "format": PACK_FORMAT,
        "format_version": PACK_FORMAT_VERSION,
        "app_version": __version__,
        "created_at": now(),
        "inspection_id": inspection.inspection_id,
        "inspection_name": inspection.name,
        "reader_id": reader_id,
        "lead_recipient": recipient,
        "template": TemplateRef(
            id=template.id, version=template.version, sha256=template.sha256
        ).model_dump(),
        "template_member_sha256": archive.sha256_hex(template.source_text.encode("utf-8")),
        "identifier_names": completion.identifier_names(store),
        "cases": pack_cases,
        "substitutions": substitutions,
        "documents": entries,
        "reader_signing_key": signing_key.hex(),
        # A reader whose pack is re-issued goes on numbering after the bundles already merged.
        "first_sequence": (latest.sequence + 1) if latest else 1,
    }
    return PackPlan(
        manifest=dump_compact_json(manifest),
        documents=[
            (row[0], e["file"], e["text"], e["title"]) for row, e in zip(rows, entries, strict=True)
        ],
        cases=len(pack_cases),
        case_refs=refs,
        public_key=signing.public_key_of(signing_key).hex(),
    )
