"""Exporting a reader's bundle: gather, sign, pack as tar, encrypt to every recipient, write.

The work comes in three steps so the desktop app can run the slow middle one off the GUI
thread without handing it the store: `prepare_export` (reads the store, takes the next sequence
number, signs the manifest), `write_bundle` (tar + age + file; no store), `finish_export`
(audits the written bundle). `export_bundle` runs all three, for the command line.

A failed write leaves a gap in the sequence numbers, which is harmless: the coordinator only
needs each bundle's number to be higher than the last one imported from that reader.
"""

import contextlib
import io
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from casereader import __version__
from casereader.bundle import age, archive, keys, signing
from casereader.bundle.contents import content_members
from casereader.bundle.manifest import (
    BUNDLE_FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    SIGNATURE,
    Manifest,
    TemplateRef,
)
from casereader.errors import CaseReaderError, StoreError, TemplateError, UsageError
from casereader.store import bundles as store_bundles
from casereader.store import review_sent
from casereader.store.db import now
from casereader.store.models import CarriedReview
from casereader.store.store import Store

BUNDLE_SUFFIX = ".crbundle"
LEAD_RECIPIENT_SETTING = "lead_recipient"


@dataclass(frozen=True)
class PreparedBundle:
    """A signed bundle's plaintext members, ready to encrypt; holds no store."""

    manifest: Manifest
    manifest_bytes: bytes
    signature: bytes
    members: dict[str, bytes]
    recipients: tuple[str, ...]
    reviews: tuple[CarriedReview, ...] = ()  # each review's latest step, as carried

    def archive_members(self) -> list[tuple[str, bytes]]:
        """Every member in the order it is written: manifest, signature, then the contents."""
        return [
            (MANIFEST, self.manifest_bytes),
            (SIGNATURE, self.signature),
            *((name, self.members[name]) for name in self.manifest.members),
        ]


@dataclass(frozen=True)
class ExportResult:
    """What was written, as the CLI and the app report it."""

    path: Path
    sequence: int
    reader_id: str
    fingerprint: str
    counts: dict[str, int]
    recipients: tuple[str, ...]
    sha256: str
    reviews: tuple[CarriedReview, ...] = ()  # `sent` False: a step this bundle sends first


def default_recipients(store: Store) -> list[str]:
    """The lead inspector's recipient the reading pack brought, if any."""
    lead = (store.setting(LEAD_RECIPIENT_SETTING) or "").strip()
    return [lead] if lead else []


def _checked_recipients(recipients: list[str]) -> tuple[str, ...]:
    cleaned: list[str] = []
    for text in recipients:
        keys.parse_recipient(text)
        if text.strip() not in cleaned:
            cleaned.append(text.strip())
    if not cleaned:
        raise UsageError(
            "no recipient: give the lead inspector's recipient (age1…) with --recipient; "
            "a store opened from a reading pack remembers it"
        )
    return tuple(cleaned)


def prepare_export(store: Store, recipients: list[str]) -> PreparedBundle:
    """Gather the reader's work, take the next sequence number and sign the manifest."""
    if store.role != "reader":
        raise StoreError(
            f"{store.path.name} is the coordinator store; a bundle is exported from a reader's "
            "own store (the coordinator merges bundles instead)"
        )
    checked = _checked_recipients(recipients)
    private = store.signing_private_key()
    public = signing.public_key_of(private)
    # Taken before the members are read: a step added in between counts as not yet sent.
    reviews = tuple(review_sent.review_snapshot(store))
    members, counts, digests = content_members(store, _templates_used(store))
    sequence = store_bundles.reserve_export_sequence(store)
    inspection, template = store.inspection, store.template
    manifest = Manifest(
        format=BUNDLE_FORMAT,
        format_version=FORMAT_VERSION,
        app_version=__version__,
        created_at=now(),
        inspection_id=inspection.inspection_id,
        inspection_name=inspection.name,
        template=TemplateRef(id=template.id, version=template.version, sha256=template.sha256),
        reader_id=inspection.reader_id,
        reader_public_key=public.hex(),
        sequence=sequence,
        counts=counts,
        members=digests,
    )
    manifest_bytes = manifest.to_bytes()
    return PreparedBundle(
        manifest=manifest,
        manifest_bytes=manifest_bytes,
        signature=signing.sign(private, manifest_bytes),
        members=members,
        recipients=checked,
        reviews=reviews,
    )


def _templates_used(store: Store) -> dict:
    found = {}
    shas = {row[0] for row in store.db.execute("SELECT DISTINCT template_sha256 FROM answers")}
    found[store.template.sha256] = store.template
    for sha in shas - {store.template.sha256}:
        # Without the template the CSV shows raw values only; the JSON is complete either way.
        with contextlib.suppress(StoreError, TemplateError):
            found[sha] = store.template_by_sha(sha)
    return found


def bundle_plaintext(prepared: PreparedBundle) -> bytes:
    """The tar archive inside the age file (tests and `age -d | tar x` see exactly this)."""
    buffer = io.BytesIO()
    archive.write_archive(buffer, prepared.archive_members())
    return buffer.getvalue()


def write_bundle(prepared: PreparedBundle, out: Path, overwrite: bool = False) -> str:
    """Encrypt the bundle to its recipients and write it to `out`; returns the file's SHA-256."""
    out = Path(out)
    _check_out(out, overwrite)
    encrypted = age.encrypt_to_recipients(bundle_plaintext(prepared), list(prepared.recipients))
    # The file's hash is taken on another core while it is written and flushed to disk.
    with ThreadPoolExecutor(1, thread_name_prefix="bundle-hashing") as hashing:
        digest = hashing.submit(archive.sha256_hex, encrypted)
        write_file_atomically(out, encrypted)
        return digest.result()


def _check_out(out: Path, overwrite: bool) -> None:
    if out.is_dir():
        raise UsageError(f"{out} is a folder; give a file name such as R1-bundle.crbundle")
    if not out.parent.is_dir():
        raise UsageError(f"cannot write {out}: folder {out.parent} does not exist")
    if out.exists() and not overwrite:
        raise UsageError(f"{out} exists; choose another name (an export never overwrites)")


def write_file_atomically(out: Path, data: bytes) -> None:
    """Write encrypted bytes beside `out`, flush them to disk, then move them into place."""
    temp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.part")
    try:
        with temp.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, out)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise CaseReaderError(
            f"cannot write {out}: {exc.strerror or exc}; choose another place"
        ) from exc


def finish_export(store: Store, prepared: PreparedBundle, out: Path, sha256: str) -> ExportResult:
    """Audit the written bundle in the reader's store and say what was exported."""
    manifest = prepared.manifest
    with store.db.atomic():  # the export and what it carried, recorded together
        store_bundles.record_export(
            store, manifest.sequence, Path(out).name, sha256, list(prepared.recipients)
        )
        review_sent.record_reviews_sent(
            store, manifest.sequence, Path(out).name, list(prepared.reviews)
        )
    return ExportResult(
        path=Path(out),
        sequence=manifest.sequence,
        reader_id=manifest.reader_id,
        fingerprint=signing.fingerprint(manifest.public_key),
        counts=dict(manifest.counts),
        recipients=prepared.recipients,
        sha256=sha256,
        reviews=prepared.reviews,
    )


def export_bundle(
    store: Store, recipients: list[str], out: Path, overwrite: bool = False
) -> ExportResult:
    """Write the reader's signed bundle, encrypted to every recipient, to `out`."""
    _check_out(Path(out), overwrite)
    prepared = prepare_export(store, recipients)
    sha256 = write_bundle(prepared, Path(out), overwrite=overwrite)
    return finish_export(store, prepared, Path(out), sha256)


def default_bundle_path(store: Store, folder: Path) -> Path:
    """A file name in `folder` that no earlier bundle has: reader, date and the sequence
    number the next export will take (`R1-2026-12-06-bundle4.crbundle`), with -2, -3… added
    if such a file is there already. An export never silently replaces an earlier one."""
    sequence = store_bundles.last_export_sequence(store) + 1
    stem = f"{store.reader_id}-{date.today()}-bundle{sequence}"
    candidate = Path(folder) / f"{stem}{BUNDLE_SUFFIX}"
    extra = 1
    while candidate.exists():
        extra += 1
        candidate = Path(folder) / f"{stem}-{extra}{BUNDLE_SUFFIX}"
    return candidate


EXPORT_FOLDER_SETTING = "export_folder"


def export_folder(store: Store) -> Path | None:
    """The folder the reader's last bundle was written to, if it is still there."""
    folder = store.setting(EXPORT_FOLDER_SETTING)
    return Path(folder) if folder and Path(folder).is_dir() else None


def remember_export(store: Store, result: ExportResult) -> None:
    """Remember where the bundle went and, the first time, to whom: the next export (and
    Send now) writes beside it to the same lead inspector without asking."""
    with store.db.atomic():
        store.set_setting(EXPORT_FOLDER_SETTING, str(Path(result.path).resolve().parent))
        if not default_recipients(store) and result.recipients:
            store.set_setting(LEAD_RECIPIENT_SETTING, result.recipients[0])


def remember_lead_recipient(store: Store, recipient: str) -> str:
    """Check and remember the lead inspector's recipient (age1…) in the store."""
    text = recipient.strip()
    keys.parse_recipient(text)
    store.set_setting(LEAD_RECIPIENT_SETTING, text)
    return text
