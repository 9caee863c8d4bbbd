"""Writing a reader's pack: its members streamed as tar into the passphrase envelope."""

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from casereader.bundle import age, archive, signing, words
from casereader.bundle.export import LEAD_RECIPIENT_SETTING
from casereader.bundle.manifest import (
    PACK_CHECKSUMS,
    PACK_MANIFEST,
    TEMPLATE_MEMBER,
    dump_compact_json,
)
from casereader.bundle.pack.common import ProgressCallback, temp_beside
from casereader.bundle.pack.plan import PackPlan, lead_recipient, pack_plan
from casereader.bundle.pack.tar_stream import TarStream
from casereader.bundle.pack.threads import Staging
from casereader.domain.progress import Progress
from casereader.errors import CaseReaderError, StoreError, UsageError
from casereader.store import bundles as store_bundles
from casereader.store import documents as store_documents
from casereader.store.bundles.pack_text import PackText
from casereader.store.store import Store

PASSPHRASE_BITS = 100
_STAGING_HEAD_START_S = 0.005


@dataclass(frozen=True)
class PackResult:
    """A written reading pack and the one-off passphrase that opens it."""

    path: Path
    passphrase: str
    reader_id: str
    cases: int
    documents: int
    size: int
    fingerprint: str = ""  # of the reader's enrolled signing key


def _pack_members(
    store: Store,
    plan: PackPlan,
    staging: Staging,
    progress: ProgressCallback | None,
) -> Iterator[tuple[str, bytes]]:
    staging.wait()  # the store is used by the staging thread until then
    text = staging.text
    yield PACK_MANIFEST, plan.manifest
    yield TEMPLATE_MEMBER, store.template.source_text.encode("utf-8")
    total = len(plan.documents)
    # Text hashes trail the text (listed last) so each text is read from the store only once;
    # a document's bytes are hashed already (documents.sha256), so only the text is hashed here.
    checksums: dict[str, str] = {}
    for n, (doc_id, file, text_member, title) in enumerate(plan.documents):
        yield file, store_documents.content(store, doc_id)
        pages = text.pages_json(n)
        checksums[text_member] = archive.sha256_hex(pages)
        yield text_member, pages
        if progress:
            progress(Progress(n + 1, total, title))
    yield PACK_CHECKSUMS, dump_compact_json({"text_sha256": checksums})


def write_pack(
    store: Store,
    reader_id: str,
    out: Path,
    recipient: str | None = None,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
    passphrase: str | None = None,
) -> PackResult:
    """Write `reader_id`'s reading pack to `out` under a fresh one-off passphrase (returned)."""
    if store.role != "coordinator":
        raise StoreError(
            f"{store.path.name} is a reader store; reading packs are made from the coordinator "
            "store"
        )
    out = Path(out)
    if out.is_dir() or not out.parent.is_dir():
        raise UsageError(f"cannot write {out}: give a file name in an existing folder")
    if out.exists() and not overwrite:
        raise UsageError(f"{out} exists; choose another name (a pack is never overwritten)")
    lead = lead_recipient(store, recipient)
    secret = passphrase or words.one_off_passphrase(PASSPHRASE_BITS)
    temp = temp_beside(out, ".part")
    try:
        # One read transaction: the manifest and the members see the same snapshot.
        with store.db.atomic():
            plan = pack_plan(store, reader_id, lead)
            staging = Staging(PackText(store, [d[0] for d in plan.documents]))
            staging.start()
            try:
                # Seal (in age) only once the staging statement runs, so both work at once: the
                # head start lets it through sqlite3's brief GIL releases before its long one.
                staging.running.wait()
                time.sleep(_STAGING_HEAD_START_S)
                with temp.open("xb") as encrypted:
                    _stream_encrypted(
                        _pack_members(store, plan, staging, progress), encrypted, secret
                    )
                    encrypted.flush()
                    os.fsync(encrypted.fileno())
            finally:
                staging.join()
                staging.text.drop()
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    documents = len(plan.documents)
    try:
        with store.db.atomic():
            if not store.setting(LEAD_RECIPIENT_SETTING):
                store.set_setting(LEAD_RECIPIENT_SETTING, lead)
            # The pack's signing key is enrolled (any earlier key of this reader revoked) only
            # now that the pack exists.
            store_bundles.enrol_reader(
                store, reader_id, plan.public_key, plan.case_refs, pack_file=out.name
            )
            store.audit(
                "pack.created",
                target=reader_id,
                detail={"file": out.name, "cases": plan.cases, "documents": documents},
            )
    except BaseException:
        out.unlink(missing_ok=True)  # a pack whose key is not enrolled would be useless
        raise
    return PackResult(
        out,
        secret,
        reader_id,
        plan.cases,
        documents,
        out.stat().st_size,
        signing.fingerprint(bytes.fromhex(plan.public_key)),
    )


def _stream_encrypted(
    members: Iterator[tuple[str, bytes]], encrypted: BinaryIO, passphrase: str
) -> None:
    """Encrypt the tar of `members` into `encrypted`, the tar made as pyrage reads it."""
    plain = TarStream(members)
    try:
        age.encrypt_stream_passphrase(plain, encrypted, passphrase)
    except BaseException:
        if plain.error is not None:
            raise plain.error from None
        raise
    if plain.error is not None:
        raise plain.error
    if plain.read(1):
        raise CaseReaderError("the encryption stopped early; the pack was not written")
