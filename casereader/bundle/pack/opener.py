"""Opening a reading pack into a new reader store: decrypted in a thread, read, renamed in place."""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from casereader.bundle import age, archive, keys, words
from casereader.bundle.manifest import PACK_MANIFEST, TEMPLATE_MEMBER, parse_pack_manifest
from casereader.bundle.pack.common import (
    ASK_AGAIN,
    MAX_PACK_JSON_BYTES,
    MAX_TEMPLATE_BYTES,
    PACK_LIMITS,
    ProgressCallback,
    temp_beside,
)
from casereader.bundle.pack.fill import check_digest, fill_store, next_member
from casereader.bundle.pack.threads import Worker
from casereader.domain.passphrase_strength import passphrase_problem
from casereader.domain.progress import Progress
from casereader.domain.template import parse_template
from casereader.errors import BundleRejected, CaseReaderError, UsageError
from casereader.store.bundles import SEQUENCE_SETTING
from casereader.store.store import Store


@dataclass(frozen=True)
class OpenedPack:
    """The reader store a pack was opened into."""

    store_path: Path
    inspection_name: str
    reader_id: str
    cases: int
    documents: int


def _remove_store_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def open_pack(
    pack_path: Path,
    pack_passphrase: str,
    store_path: Path,
    store_passphrase: str,
    progress: ProgressCallback | None = None,
) -> OpenedPack:
    """Create the reader's own store from a reading pack; on any failure no store is left."""
    pack_path, store_path = Path(pack_path), Path(store_path)
    secret = words.normalise_passphrase(pack_passphrase or "")
    if not secret:
        raise UsageError("no pack passphrase given: type the words the coordinator gave you")
    if store_path.exists():
        raise UsageError(f"{store_path} exists; choose a new name for the reader's store")
    if not store_path.parent.is_dir():
        raise UsageError(f"cannot create {store_path}: folder {store_path.parent} does not exist")
    problem = passphrase_problem(store_passphrase or "", "store passphrase")
    if problem:
        raise UsageError(problem)
    if not pack_path.is_file():
        raise UsageError(f"no such reading pack: {pack_path}; check the path")
    temp = temp_beside(store_path, ".opening")
    try:
        with pack_path.open("rb") as encrypted:
            opened = _open_stream(
                encrypted, secret, temp, store_passphrase, pack_path.name, progress
            )
        if store_path.exists():
            raise UsageError(f"{store_path} appeared while the pack was opened; nothing replaced")
        os.replace(temp, store_path)
    except BaseException:
        _remove_store_files(temp)
        raise
    return OpenedPack(store_path, *opened)


def _open_stream(
    encrypted: BinaryIO,
    passphrase: str,
    temp: Path,
    store_passphrase: str,
    pack_name: str,
    progress: ProgressCallback | None,
) -> tuple[str, str, int, int]:
    read_fd, write_fd = os.pipe()
    plain_in = open(read_fd, "rb")  # noqa: SIM115 - closed below
    plain_out = open(write_fd, "wb")  # noqa: SIM115 - closed by the worker
    worker = Worker(
        lambda: age.decrypt_stream_passphrase(encrypted, plain_out, passphrase), plain_out
    )
    worker.start()
    try:
        result = _read_pack(plain_in, temp, store_passphrase, pack_name, progress)
    except CaseReaderError as exc:
        plain_in.close()
        worker.join()
        # A wrong passphrase or a damaged file shows here only as an archive cut short.
        if isinstance(worker.error, CaseReaderError):
            raise worker.error from exc
        raise
    except BaseException:
        plain_in.close()
        worker.join()
        raise
    plain_in.close()
    worker.join()
    if worker.error is not None:
        if isinstance(worker.error, CaseReaderError):
            raise worker.error
        raise BundleRejected(f"the pack could not be read to its end ({worker.error}); {ASK_AGAIN}")
    return result


def _read_pack(
    plain: BinaryIO,
    temp: Path,
    store_passphrase: str,
    pack_name: str,
    progress: ProgressCallback | None,
) -> tuple[str, str, int, int]:
    members = archive.iter_archive(plain, PACK_LIMITS)
    manifest = parse_pack_manifest(next_member(members, PACK_MANIFEST, MAX_PACK_JSON_BYTES))
    source = next_member(members, TEMPLATE_MEMBER, MAX_TEMPLATE_BYTES)
    check_digest(TEMPLATE_MEMBER, source, manifest.template_member_sha256)
    try:
        template = parse_template(source.decode("utf-8"), source=f"{pack_name}:template")
    except (UnicodeDecodeError, CaseReaderError) as exc:
        raise BundleRejected(f"the pack's template cannot be read ({exc}); {ASK_AGAIN}") from exc
    if template.sha256 != manifest.template.sha256:
        raise BundleRejected(
            f"the pack's template does not match its SHA-256 in {PACK_MANIFEST}; {ASK_AGAIN}"
        )
    try:
        keys.parse_recipient(manifest.lead_recipient)
    except UsageError as exc:
        raise BundleRejected(
            f"the pack's lead inspector recipient is not valid ({exc}); {ASK_AGAIN}"
        ) from None
    store = Store.create(
        temp,
        store_passphrase,
        template,
        manifest.inspection_name,
        role="reader",
        reader_id=manifest.reader_id,
        inspection_id=manifest.inspection_id,
        signing_key=(
            bytes.fromhex(manifest.reader_signing_key) if manifest.reader_signing_key else None
        ),
    )
    try:
        if manifest.first_sequence and manifest.first_sequence > 1:
            store.set_setting(SEQUENCE_SETTING, str(manifest.first_sequence - 1))
        fill_store(store, manifest, members, pack_name, progress)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    return (
        manifest.inspection_name,
        manifest.reader_id,
        len(manifest.cases),
        len(manifest.documents),
    )


def open_pack_in_child(conn, pack_path: str, pack_passphrase: str, store_path: str,
                       store_passphrase: str) -> None:  # fmt: skip
    """Entry point of the separate process the desktop app opens a pack in; reports on `conn`."""

    def report(p: Progress) -> None:
        conn.send(("progress", p.done, p.total, p.message))

    try:
        opened = open_pack(
            Path(pack_path), pack_passphrase, Path(store_path), store_passphrase, report
        )
        conn.send(("done", str(opened.store_path), opened.cases, opened.documents))
    except CaseReaderError as exc:
        conn.send(("error", str(exc)))
    except Exception as exc:  # noqa: BLE001 - the parent shows it; the child just ends
        conn.send(("error", f"unexpected error: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()
