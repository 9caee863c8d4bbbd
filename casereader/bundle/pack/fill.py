"""Filling a new reader store from a pack's members, each checked against pack.json as it comes."""

from collections.abc import Iterator

from pydantic import ValidationError

from casereader.bundle import archive
from casereader.bundle.export import LEAD_RECIPIENT_SETTING
from casereader.bundle.manifest import (
    PACK_CHECKSUMS,
    PACK_MANIFEST,
    PackChecksums,
    PackManifest,
    PageText,
    load_json,
)
from casereader.bundle.pack.common import (
    ASK_AGAIN,
    MAX_PACK_JSON_BYTES,
    PACK_LIMITS,
    ProgressCallback,
)
from casereader.domain.progress import Progress
from casereader.errors import BundleRejected
from casereader.store import cases as store_cases
from casereader.store import completion
from casereader.store import documents as store_documents
from casereader.store.cases import CaseIn
from casereader.store.documents import DocumentIn
from casereader.store.store import Store


def next_member(members: Iterator, expected: str, max_bytes: int) -> bytes:
    """The next member's bytes, refused unless it is `expected` and within `max_bytes`."""
    try:
        name, member = next(members)
    except StopIteration:
        raise BundleRejected(
            f"the pack ends before {expected}: it is incomplete; {ASK_AGAIN}"
        ) from None
    if name != expected:
        raise BundleRejected(f"the pack holds {name!r} where {expected!r} should be; {ASK_AGAIN}")
    if member.size > max_bytes:
        raise BundleRejected(f"{expected} is larger than a pack allows; {ASK_AGAIN}")
    return member.read()


def check_digest(name: str, data: bytes, expected: str) -> None:
    """Refuse `data` unless its SHA-256 is the one pack.json gives."""
    if archive.sha256_hex(data) != expected:
        raise BundleRejected(
            f"{name} does not match its SHA-256 in {PACK_MANIFEST} (altered or damaged); "
            + ASK_AGAIN
        )


def _check_text_digests(raw: bytes, found: dict[str, str]) -> None:
    """Every text member against the hashes listed last; the store is still unused here."""
    try:
        listed = PackChecksums.model_validate(load_json(raw, PACK_CHECKSUMS)).text_sha256
    except ValidationError:
        raise BundleRejected(f"{PACK_CHECKSUMS} is damaged; {ASK_AGAIN}") from None
    for name, digest in found.items():
        if listed.get(name) != digest:
            raise BundleRejected(
                f"{name} does not match its SHA-256 in {PACK_CHECKSUMS} (altered or damaged); "
                + ASK_AGAIN
            )
    if set(listed) != set(found):
        raise BundleRejected(
            f"{PACK_CHECKSUMS} lists other members than the pack holds; {ASK_AGAIN}"
        )


def _page_list(name: str, raw: bytes) -> list[str]:
    try:
        parsed = PageText.model_validate(load_json(raw, name))
    except ValidationError:
        raise BundleRejected(f"{name} is damaged (not page text); {ASK_AGAIN}") from None
    numbers = [page for page, _ in parsed.pages]
    if any(n < 1 or n > 100_000 for n in numbers) or len(set(numbers)) != len(numbers):
        raise BundleRejected(f"{name} is damaged (page numbers out of range); {ASK_AGAIN}")
    pages = [""] * max(numbers, default=0)
    for page, text in parsed.pages:
        pages[page - 1] = text
    return pages


def fill_store(
    store: Store,
    manifest: PackManifest,
    members: Iterator,
    pack_name: str,
    progress: ProgressCallback | None,
) -> None:
    """Write the pack's cases and documents into `store` in one transaction, checking each."""
    reader = manifest.reader_id
    with store.db.atomic():
        store_cases.upsert_cases(
            store,
            [
                CaseIn(
                    case_ref=c.case_ref,
                    sample_group=c.sample_group,
                    follow_up=c.follow_up,
                    age_band=c.age_band,
                    legal_status=c.legal_status,
                    readers=[reader],
                    attributes=dict(c.attributes),
                )
                for c in manifest.cases
            ],
        )
        for sub in manifest.substitutions:
            store.db["substitutions"].insert(sub.model_dump())
        completion.set_identifier_names(store, manifest.identifier_names)
        store.set_setting(LEAD_RECIPIENT_SETTING, manifest.lead_recipient)
        total = len(manifest.documents)
        text_digests: dict[str, str] = {}
        for done, doc in enumerate(manifest.documents, 1):
            content = next_member(members, doc.file, PACK_LIMITS.max_member_bytes)
            if len(content) != doc.size:
                raise BundleRejected(
                    f"{doc.file} is not the size {PACK_MANIFEST} gives; {ASK_AGAIN}"
                )
            check_digest(doc.file, content, doc.sha256)
            text = next_member(members, doc.text, PACK_LIMITS.max_member_bytes)
            text_digests[doc.text] = archive.sha256_hex(text)
            store_documents.add_document(
                store,
                DocumentIn(
                    case_ref=doc.case_ref,
                    sha256=doc.sha256,
                    agency=doc.agency,
                    doc_date=doc.doc_date,
                    date_source=doc.date_source,
                    title=doc.title,
                    doc_type=doc.doc_type,
                    page_count=doc.page_count,
                    source_path=doc.source_path,
                    content=content,
                    pages=_page_list(doc.text, text),
                ),
            )
            if progress:
                progress(Progress(done, total, doc.title))
        _check_text_digests(next_member(members, PACK_CHECKSUMS, MAX_PACK_JSON_BYTES), text_digests)
        extra = next(members, None)
        if extra is not None:
            raise BundleRejected(
                f"the pack holds {extra[0]!r}, which {PACK_MANIFEST} does not list; {ASK_AGAIN}"
            )
        store.audit(
            "pack.opened",
            target=pack_name,
            detail={"cases": len(manifest.cases), "documents": total},
        )
