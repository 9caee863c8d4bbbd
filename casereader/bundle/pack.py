"""Reading packs (coordinator → reader): a reader's cases and documents, under a passphrase.

A pack is a tar archive streamed through age under a one-off passphrase (see `age` for the
passphrase envelope), never whole in memory and never as plaintext on disk:

    pack.json              what the pack is: inspection, reader, template, lead inspector's
                           recipient, the names list, the cases, and every document's metadata
                           with the SHA-256 of its bytes
    template.toml          the record-reading template, byte for byte
    documents/000001.pdf   a document's bytes ...
    text/000001.json       ... then its page text: {"pages": [[page, text], ...]}
    ...                    (one pair per document, in pack.json's order)
    checksums.json         the SHA-256 of every text member (computed as they were written, so
                           each text is read from the store once)

Writing: pyrage pulls the tar from `_TarStream`, which makes it as it is read, one document at
a time (no pipe, no thread, no plaintext file). The scrypt seal of the one-off key comes first
and holds the GIL for a second or more; meanwhile a thread has SQLite stage the page text as
JSON (store.bundles.PackText, memory only, bounded), which the GIL does not hold up.

Opening: a thread decrypts into a pipe while the archive is read from it defensively, each
member checked against pack.json before it is written into a NEW store file under a temporary
name; the store is renamed into place only when everything checked out (the text hashes
last), and deleted on any failure. pyrage holds the GIL while it works, so the desktop app
runs `open_pack` in a separate process (`open_pack_in_child`).
"""

import os
import re
import secrets
import tarfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from casereader import __version__
from casereader.bundle import age, archive, keys, words
from casereader.bundle.export import LEAD_RECIPIENT_SETTING
from casereader.bundle.manifest import (
    PACK_CHECKSUMS,
    PACK_FORMAT,
    PACK_FORMAT_VERSION,
    PACK_MANIFEST,
    TEMPLATE_MEMBER,
    PackCase,
    PackChecksums,
    PackManifest,
    PageText,
    SubstitutionRecord,
    TemplateRef,
    dump_compact_json,
    load_json,
    parse_pack_manifest,
)
from casereader.domain.progress import Progress
from casereader.domain.template import parse_template
from casereader.errors import BundleRejected, CaseReaderError, StoreError, UsageError
from casereader.store import bundles as store_bundles
from casereader.store import cases as store_cases
from casereader.store import completion
from casereader.store import documents as store_documents
from casereader.store.cases import CaseIn
from casereader.store.db import now
from casereader.store.documents import DocumentIn
from casereader.store.store import Store

PASSPHRASE_BITS = 100
MAX_PACK_JSON_BYTES = 64 * 1024 * 1024
MAX_TEMPLATE_BYTES = 4 * 1024 * 1024
PACK_LIMITS = archive.Limits(
    max_members=200_002,
    max_member_bytes=512 * 1024 * 1024,
    max_total_bytes=256 * 1024 * 1024 * 1024,
)
_ASK_AGAIN = "ask the coordinator for a fresh copy of the pack"
_STAGING_HEAD_START_S = 0.005

ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class PackResult:
    """A written reading pack and the one-off passphrase that opens it."""

    path: Path
    passphrase: str
    reader_id: str
    cases: int
    documents: int
    size: int


@dataclass(frozen=True)
class OpenedPack:
    """The reader store a pack was opened into."""

    store_path: Path
    inspection_name: str
    reader_id: str
    cases: int
    documents: int


# writing -------------------------------------------------------------------------------------


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


def _lead_recipient(store: Store, recipient: str | None) -> str:
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
class _PackPlan:
    """What a pack will hold: its manifest as written, and each document's store id and names."""

    manifest: bytes
    documents: list[tuple[int, str, str, str]]  # (id, file member, text member, title)
    cases: int


def _pack_plan(store: Store, reader_id: str, recipient: str) -> _PackPlan:
    refs = _reader_case_refs(store, reader_id)
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
    }
    return _PackPlan(
        manifest=dump_compact_json(manifest),
        documents=[
            (row[0], e["file"], e["text"], e["title"]) for row, e in zip(rows, entries, strict=True)
        ],
        cases=len(pack_cases),
    )


def _pack_members(
    store: Store,
    plan: _PackPlan,
    staging: "_Staging",
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


class _Staging(threading.Thread):
    """Stages the pack's page text (one SQLite statement) while the calling thread seals the key.

    pyrage holds the GIL for the whole scrypt seal (a second or more); SQLite does not need it,
    so the text is read, decrypted and made JSON meanwhile. The calling thread touches the store
    again only after `wait()`.
    """

    def __init__(self, text: store_bundles.PackText) -> None:
        super().__init__(daemon=True, name="pack-text-staging")
        self.text = text
        self.running = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.text.stage(about_to_run=self.running.set)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread by wait()
            self.error = exc
        finally:
            self.running.set()

    def wait(self) -> None:
        """Until the text is staged; raises what the staging raised."""
        self.join()
        if self.error is not None:
            raise self.error


_TAR_RECORD = 20 * archive.BLOCK  # tar pads the archive to whole 10 KiB records
_SMALL_MEMBER = 64 * 1024
# Every name a pack holds: pack.json, template.toml, checksums.json and the numbered pairs.
_PACK_MEMBER_NAME = re.compile(r"[a-z]+\.(json|toml)|documents/\d{6,}\.[a-z]+|text/\d{6,}\.json")


def _header_template() -> bytes:
    info = tarfile.TarInfo("x")
    info.type, info.mode, info.mtime, info.uid, info.gid = tarfile.REGTYPE, 0o644, 0, 0, 0
    info.uname = info.gname = ""
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8")


# The ustar header archive.write_archive writes for a short ASCII name, as tarfile fills it;
# only the name, the size and the checksum differ from member to member.
_HEADER = _header_template()
_FIXED_BEFORE_SIZE = _HEADER[100:124]  # mode, uid, gid
_FIXED_BEFORE_CHECKSUM = _HEADER[136:148]  # mtime
_FIXED_AFTER_CHECKSUM = _HEADER[156:]  # type, link name, magic, owner names, device numbers
_CHECKSUM_OF_FIXED = (
    sum(_FIXED_BEFORE_SIZE)
    + sum(_FIXED_BEFORE_CHECKSUM)
    + sum(b" " * 8)
    + sum(_FIXED_AFTER_CHECKSUM)
)


def tar_header(name: str, size: int) -> bytes:
    """The ustar header archive.write_archive writes for a pack member of `size` bytes."""
    if not _PACK_MEMBER_NAME.fullmatch(name) or len(name) > 100 or not 0 <= size < 8**11:
        raise ValueError(f"{name!r} ({size} bytes) is not a reading pack member")
    raw = name.encode("ascii")
    size_field = b"%011o\0" % size
    checksum = _CHECKSUM_OF_FIXED + sum(raw) + sum(size_field)
    return b"".join(
        (
            raw,
            bytes(100 - len(raw)),
            _FIXED_BEFORE_SIZE,
            size_field,
            _FIXED_BEFORE_CHECKSUM,
            b"%06o\0 " % checksum,
            _FIXED_AFTER_CHECKSUM,
        )
    )


class _TarStream:
    """The pack's tar archive, made as the encryption reads it: no pipe, no thread, no file.

    The same bytes as archive.write_archive over the same members (the tests compare them), but
    without tarfile's per-member work, which dominated a pack of a few thousand documents.
    """

    def __init__(self, members: Iterator[tuple[str, bytes]]) -> None:
        self._pieces = self._pieces_of(members)
        self._piece = b""
        self._at = 0
        self.error: BaseException | None = None

    @staticmethod
    def _pieces_of(members: Iterator[tuple[str, bytes]]) -> Iterator[bytes]:
        written = 0
        for name, content in members:
            size = len(content)
            padding = bytes(-size % archive.BLOCK)
            if size <= _SMALL_MEMBER:
                yield tar_header(name, size) + content + padding
            else:
                yield tar_header(name, size)
                yield content
                yield padding
            written += archive.BLOCK + size + len(padding)
        end = 2 * archive.BLOCK
        yield bytes(end + (-(written + end) % _TAR_RECORD))

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes of the archive (b"" once it has all been read)."""
        try:
            while self._at >= len(self._piece):
                piece = next(self._pieces, None)
                if piece is None:
                    return b""
                self._piece, self._at = piece, 0
            end = len(self._piece) if size is None or size < 0 else self._at + size
            data = self._piece[self._at : end]
            self._at += len(data)
            return data
        except BaseException as exc:
            # The encryption reports a failed read its own way; the caller raises this instead.
            self.error = self.error or exc
            raise


class _Worker(threading.Thread):
    """Runs one pyrage stream call, keeping its exception, closing `close_after` at the end."""

    def __init__(self, work: Callable[[], None], close_after: BinaryIO) -> None:
        super().__init__(daemon=True)
        self._work = work
        self._close_after = close_after
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            self.error = exc
        finally:
            try:
                self._close_after.close()
            except OSError as exc:
                self.error = self.error or exc


def _temp_beside(path: Path, suffix: str) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}{suffix}")


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
    lead = _lead_recipient(store, recipient)
    secret = passphrase or words.one_off_passphrase(PASSPHRASE_BITS)
    temp = _temp_beside(out, ".part")
    try:
        # One read transaction: the manifest and the members see the same snapshot.
        with store.db.atomic():
            plan = _pack_plan(store, reader_id, lead)
            staging = _Staging(store_bundles.PackText(store, [d[0] for d in plan.documents]))
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
    with store.db.atomic():
        if not store.setting(LEAD_RECIPIENT_SETTING):
            store.set_setting(LEAD_RECIPIENT_SETTING, lead)
        store.audit(
            "pack.created",
            target=reader_id,
            detail={"file": out.name, "cases": plan.cases, "documents": documents},
        )
    return PackResult(out, secret, reader_id, plan.cases, documents, out.stat().st_size)


def _stream_encrypted(
    members: Iterator[tuple[str, bytes]], encrypted: BinaryIO, passphrase: str
) -> None:
    """Encrypt the tar of `members` into `encrypted`, the tar made as pyrage reads it."""
    plain = _TarStream(members)
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


# opening -------------------------------------------------------------------------------------


def _next_member(members: Iterator, expected: str, max_bytes: int) -> bytes:
    try:
        name, member = next(members)
    except StopIteration:
        raise BundleRejected(
            f"the pack ends before {expected}: it is incomplete; {_ASK_AGAIN}"
        ) from None
    if name != expected:
        raise BundleRejected(f"the pack holds {name!r} where {expected!r} should be; {_ASK_AGAIN}")
    if member.size > max_bytes:
        raise BundleRejected(f"{expected} is larger than a pack allows; {_ASK_AGAIN}")
    return member.read()


def _check_digest(name: str, data: bytes, expected: str) -> None:
    if archive.sha256_hex(data) != expected:
        raise BundleRejected(
            f"{name} does not match its SHA-256 in {PACK_MANIFEST} (altered or damaged); "
            + _ASK_AGAIN
        )


def _check_text_digests(raw: bytes, found: dict[str, str]) -> None:
    """Every text member against the hashes listed last; the store is still unused here."""
    try:
        listed = PackChecksums.model_validate(load_json(raw, PACK_CHECKSUMS)).text_sha256
    except ValidationError:
        raise BundleRejected(f"{PACK_CHECKSUMS} is damaged; {_ASK_AGAIN}") from None
    for name, digest in found.items():
        if listed.get(name) != digest:
            raise BundleRejected(
                f"{name} does not match its SHA-256 in {PACK_CHECKSUMS} (altered or damaged); "
                + _ASK_AGAIN
            )
    if set(listed) != set(found):
        raise BundleRejected(
            f"{PACK_CHECKSUMS} lists other members than the pack holds; {_ASK_AGAIN}"
        )


def _page_list(name: str, raw: bytes) -> list[str]:
    try:
        parsed = PageText.model_validate(load_json(raw, name))
    except ValidationError:
        raise BundleRejected(f"{name} is damaged (not page text); {_ASK_AGAIN}") from None
    numbers = [page for page, _ in parsed.pages]
    if any(n < 1 or n > 100_000 for n in numbers) or len(set(numbers)) != len(numbers):
        raise BundleRejected(f"{name} is damaged (page numbers out of range); {_ASK_AGAIN}")
    pages = [""] * max(numbers, default=0)
    for page, text in parsed.pages:
        pages[page - 1] = text
    return pages


def _fill_store(
    store: Store,
    manifest: PackManifest,
    members: Iterator,
    pack_name: str,
    progress: ProgressCallback | None,
) -> None:
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
            content = _next_member(members, doc.file, PACK_LIMITS.max_member_bytes)
            if len(content) != doc.size:
                raise BundleRejected(
                    f"{doc.file} is not the size {PACK_MANIFEST} gives; {_ASK_AGAIN}"
                )
            _check_digest(doc.file, content, doc.sha256)
            text = _next_member(members, doc.text, PACK_LIMITS.max_member_bytes)
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
        _check_text_digests(
            _next_member(members, PACK_CHECKSUMS, MAX_PACK_JSON_BYTES), text_digests
        )
        extra = next(members, None)
        if extra is not None:
            raise BundleRejected(
                f"the pack holds {extra[0]!r}, which {PACK_MANIFEST} does not list; {_ASK_AGAIN}"
            )
        store.audit(
            "pack.opened",
            target=pack_name,
            detail={"cases": len(manifest.cases), "documents": total},
        )


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
    if len(store_passphrase or "") < 8:
        raise UsageError("choose a store passphrase of at least 8 characters")
    if not pack_path.is_file():
        raise UsageError(f"no such reading pack: {pack_path}; check the path")
    temp = _temp_beside(store_path, ".opening")
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
    worker = _Worker(
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
        raise BundleRejected(
            f"the pack could not be read to its end ({worker.error}); {_ASK_AGAIN}"
        )
    return result


def _read_pack(
    plain: BinaryIO,
    temp: Path,
    store_passphrase: str,
    pack_name: str,
    progress: ProgressCallback | None,
) -> tuple[str, str, int, int]:
    members = archive.iter_archive(plain, PACK_LIMITS)
    manifest = parse_pack_manifest(_next_member(members, PACK_MANIFEST, MAX_PACK_JSON_BYTES))
    source = _next_member(members, TEMPLATE_MEMBER, MAX_TEMPLATE_BYTES)
    _check_digest(TEMPLATE_MEMBER, source, manifest.template_member_sha256)
    try:
        template = parse_template(source.decode("utf-8"), source=f"{pack_name}:template")
    except (UnicodeDecodeError, CaseReaderError) as exc:
        raise BundleRejected(f"the pack's template cannot be read ({exc}); {_ASK_AGAIN}") from exc
    if template.sha256 != manifest.template.sha256:
        raise BundleRejected(
            f"the pack's template does not match its SHA-256 in {PACK_MANIFEST}; {_ASK_AGAIN}"
        )
    try:
        keys.parse_recipient(manifest.lead_recipient)
    except UsageError as exc:
        raise BundleRejected(
            f"the pack's lead inspector recipient is not valid ({exc}); {_ASK_AGAIN}"
        ) from None
    store = Store.create(
        temp,
        store_passphrase,
        template,
        manifest.inspection_name,
        role="reader",
        reader_id=manifest.reader_id,
        inspection_id=manifest.inspection_id,
    )
    try:
        _fill_store(store, manifest, members, pack_name, progress)
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
