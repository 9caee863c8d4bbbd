"""Opening readers' bundles and merging them into the coordinator store (SPEC §6, §7).

A bundle is opened in memory and checked in this order, each failure with its own message:
decrypt (wrong key, truncated or damaged) → the tar archive, read defensively → the manifest
(not a bundle, unknown format version) → its signature (missing, or not matching) → every
member's SHA-256 (altered) → the members' own shape. Then, against the store: other inspection,
other template, a reader id never issued a pack here, a key other than the one enrolled when
the reader's pack was made (or one revoked since, by a newer pack), work on cases outside the
reader's pack, an older (stale) sequence number, cases or items the store does not know. Only
then is anything written, in one transaction per bundle, so a refused bundle leaves the store
file exactly as it was.

Bundles given together are merged oldest first per reader (by sequence number), whatever order
they were named in, so dropping a folder of bundles in gives the newest state.
"""

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import sqlcipher3

from casereader.bundle import age, archive, signing
from casereader.bundle.contents import BundleContents, parse_contents
from casereader.bundle.manifest import (
    MANIFEST,
    MEMBER_ORDER,
    SIGNATURE,
    Manifest,
    parse_manifest,
)
from casereader.domain.values import normalise_value
from casereader.domain.wording import plural
from casereader.errors import AnswerRejected, BundleRejected, StoreError
from casereader.store import bundles as store_bundles
from casereader.store.models import FLAG_CATEGORY_LABELS, ArrivedReview
from casereader.store.store import Store

MAX_BUNDLE_FILE_BYTES = 160 * 1024 * 1024
BUNDLE_LIMITS = archive.Limits(
    max_members=16, max_member_bytes=96 * 1024 * 1024, max_total_bytes=128 * 1024 * 1024
)
_ASK_AGAIN = "ask the reader to export the bundle again"

Outcome = Literal["imported", "unchanged", "refused"]


@dataclass(frozen=True)
class VerifiedBundle:
    """A decrypted bundle whose signature, hashes and members have all been checked."""

    file_name: str
    content: bytes
    file_sha256: str
    manifest: Manifest
    manifest_sha256: str
    contents: BundleContents

    @property
    def reader_id(self) -> str:
        return self.manifest.reader_id

    @property
    def sequence(self) -> int:
        return self.manifest.sequence

    @property
    def fingerprint(self) -> str:
        """The short fingerprint of the reader's signing key, to compare with the reader's app."""
        return signing.fingerprint(self.manifest.public_key)


@dataclass(frozen=True)
class BundleOutcome:
    """What happened to one bundle file in a merge."""

    file: str
    outcome: Outcome
    message: str
    reader_id: str | None = None
    sequence: int | None = None
    replaced_sequence: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    fingerprint: str | None = None  # of the key that signed the bundle
    reviews: tuple[ArrivedReview, ...] = ()  # management reviews new here, or with new steps

    @property
    def ok(self) -> bool:
        return self.outcome != "refused"

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "outcome": self.outcome,
            "message": self.message,
            "reader_id": self.reader_id,
            "sequence": self.sequence,
            "replaced_sequence": self.replaced_sequence,
            "counts": self.counts,
            "fingerprint": self.fingerprint,
            "arrived_reviews": [arrived_review_json(r, self.file) for r in self.reviews],
        }


def arrived_review_json(review: ArrivedReview, file: str) -> dict:
    """A newly arrived management review as `merge --json` lists it."""
    return {
        "flag_id": review.flag_id,
        "case_ref": review.case_ref,
        "reader_id": review.reader_id,
        "category": review.category,
        "category_label": FLAG_CATEGORY_LABELS[review.category],
        "immediate_risk": review.immediate_risk,
        "status": review.status,
        "raised_at": review.raised_at,
        "description": review.description,
        "new_review": review.new_review,
        "new_steps": [step.model_dump() for step in review.new_steps],
        "bundle": file,
    }


def arrived_reviews(outcomes: list["BundleOutcome"]) -> list[tuple[ArrivedReview, str]]:
    """Every review the merged bundles brought, once each, with the (last) bundle file that
    brought it: immediate risk first. Two bundles of one reader merged together give one
    entry with the steps of both."""
    found: dict[str, tuple[ArrivedReview, str]] = {}
    for outcome in outcomes:
        for review in outcome.reviews:
            if review.flag_id in found:
                earlier = found[review.flag_id][0]
                review = review.model_copy(
                    update={
                        "new_review": earlier.new_review,
                        "new_steps": [*earlier.new_steps, *review.new_steps],
                    }
                )
            found[review.flag_id] = (review, outcome.file)
    ordered = store_bundles.sort_arrivals([r for r, _ in found.values()])
    return [found[r.flag_id] for r in ordered]


def read_bundle_file(path: Path) -> bytes:
    """A bundle file's bytes, refusing anything that cannot be one before reading it all."""
    path = Path(path)
    try:
        if not path.is_file():
            raise BundleRejected(
                f"no such bundle file ({path}); check the path"
                if not path.exists()
                else f"{path} is not a file; choose the .crbundle file itself"
            )
        if path.stat().st_size > MAX_BUNDLE_FILE_BYTES:
            raise BundleRejected(
                f"far too large to be a bundle ({path.stat().st_size} bytes); check you chose "
                "the .crbundle file a reader exported"
            )
        return path.read_bytes()
    except OSError as exc:
        raise BundleRejected(f"cannot read {path}: {exc.strerror or exc}") from exc


def _read_members(plaintext: bytes) -> tuple[dict[str, bytes], dict[str, str]]:
    """Every member's bytes, and its SHA-256 as the archive reader took it while reading."""
    members, digests = {}, {}
    for name, member in archive.iter_archive(io.BytesIO(plaintext), BUNDLE_LIMITS):
        members[name] = member.read()
        digests[name] = member.hexdigest()
    return members, digests


def _check_member_hashes(members: dict, digests: dict[str, str], manifest: Manifest) -> None:
    expected = manifest.members
    if set(members) == {*expected, MANIFEST, SIGNATURE} and all(
        digests[name] == digest for name, digest in expected.items()
    ):
        return  # every member is the one the manifest lists, hashed as it was read
    # archive.check_hashes says which member is wrong, and how.
    archive.check_hashes(members, expected, unhashed=(MANIFEST, SIGNATURE))
    raise BundleRejected(f"the bundle's members do not match its manifest; {_ASK_AGAIN}")


def _check_member_order(members: dict[str, bytes]) -> None:
    """The members must come in the order docs/bundle-format.md §1.2 fixes; none other is read."""
    if tuple(members) != MEMBER_ORDER:
        raise BundleRejected(
            f"the bundle's members are out of order ({', '.join(members)}; expected "
            f"{', '.join(MEMBER_ORDER)}): casereader never writes them so; {_ASK_AGAIN}"
        )


def open_bundle(data: bytes, identity, file_name: str = "bundle") -> VerifiedBundle:
    """Decrypt and verify a bundle without any store: signature, hashes, format and members."""
    with ThreadPoolExecutor(1, thread_name_prefix="bundle-hashing") as hashing:
        # hashlib lets go of the GIL: the file is hashed on another core while it is decrypted.
        file_sha256 = hashing.submit(archive.sha256_hex, data)
        plaintext = age.decrypt_with_identity(data, identity)
        members, digests = _read_members(plaintext)
        file_sha256 = file_sha256.result()
    if MANIFEST not in members:
        raise BundleRejected(
            f"not a casereader bundle: it holds no {MANIFEST}; check you chose a .crbundle file "
            "a reader exported"
        )
    manifest = parse_manifest(members[MANIFEST])
    if SIGNATURE not in members:
        raise BundleRejected(
            f"missing signature: the bundle holds no {SIGNATURE}, so nothing proves who made "
            f"it; {_ASK_AGAIN}"
        )
    signing.verify(manifest.public_key, members[MANIFEST], members[SIGNATURE])
    _check_member_hashes(members, digests, manifest)
    _check_member_order(members)
    contents = parse_contents(members, manifest)
    return VerifiedBundle(
        file_name=file_name,
        content=bytes(data),
        file_sha256=file_sha256,
        manifest=manifest,
        manifest_sha256=digests[MANIFEST],
        contents=contents,
    )


def verify_bundle(path: Path, identity) -> VerifiedBundle:
    """Open and check a bundle file without importing it (the `verify` command)."""
    path = Path(path)
    return open_bundle(read_bundle_file(path), identity, path.name)


def _check_store(store: Store) -> None:
    if store.role != "coordinator":
        raise StoreError(
            f"{store.path.name} is {store.reader_id}'s reader store; bundles are merged into the "
            "coordinator store"
        )


def _refuse_against_store(store: Store, bundle: VerifiedBundle) -> Outcome | None:
    """Refuse (BundleRejected) what does not fit this store; "unchanged" if already imported."""
    manifest, inspection, template = bundle.manifest, store.inspection, store.template
    reader = manifest.reader_id
    if manifest.inspection_id != inspection.inspection_id:
        raise BundleRejected(
            f"other inspection: the bundle is for inspection {manifest.inspection_name!r} "
            f"({manifest.inspection_id}), but this store holds {inspection.name!r} "
            f"({inspection.inspection_id}); merge it into that inspection's store"
        )
    if manifest.template.sha256 != template.sha256:
        ref = manifest.template
        raise BundleRejected(
            f"other template: the bundle's answers were made under {ref.id} {ref.version} "
            f"({ref.sha256[:12]}…), but this store uses {template.id} {template.version} "
            f"({template.sha256[:12]}…); an answer is never read as another template version"
        )
    if reader == inspection.reader_id:
        raise BundleRejected(
            f"the bundle is signed as {reader!r}, the id of this coordinator store itself; a "
            "reader's bundle must come from a reader store"
        )
    enrolment = _enrolment_of(store, bundle)
    same = store_bundles.import_by_sequence(store, reader, manifest.sequence)
    if same is not None:
        if same.manifest_sha256 == bundle.manifest_sha256:
            return "unchanged"
        raise BundleRejected(
            f"bundle {manifest.sequence} from {reader} was already imported with different "
            "contents (was the reader's store restored from a backup?); ask the reader to "
            "export again"
        )
    latest = store_bundles.latest_import(store, reader)
    if latest is not None and manifest.sequence < latest.sequence:
        raise BundleRejected(
            f"stale: this is bundle {manifest.sequence} from {reader}, older than bundle "
            f"{latest.sequence} already imported; nothing to do (the newer one stands)"
        )
    _refuse_unknown_work(store, bundle)
    _refuse_unassigned_work(bundle, enrolment)
    return None


def _enrolment_of(store: Store, bundle: VerifiedBundle) -> store_bundles.Enrolment:
    """The enrolment of the key that signed the bundle; refused unless it is the reader's own."""
    reader, key = bundle.reader_id, bundle.manifest.reader_public_key
    issued = store_bundles.enrolments(store, reader)
    if not issued:
        raise BundleRejected(
            f"reader {reader} was never issued a reading pack from this store, so no key is "
            f"enrolled for {reader} (bundle key {bundle.fingerprint}); refused — make {reader}'s "
            "pack here first"
        )
    for enrolment in issued:
        if enrolment.public_key == key and not enrolment.active:
            raise BundleRejected(
                f"signed by a revoked key: {reader}'s key {bundle.fingerprint} was revoked on "
                f"{enrolment.revoked_at[:10]} ({enrolment.revoked_reason}); refused — ask "
                f"{reader} to export from the store opened from the newest pack"
            )
        if enrolment.public_key == key:
            return enrolment
    active = [e for e in issued if e.active]
    expected = signing.fingerprint(bytes.fromhex(active[0].public_key)) if active else "none"
    raise BundleRejected(
        f"signed by a different key than the one enrolled for {reader} (key "
        f"{bundle.fingerprint}, enrolled {expected}); refused — check with {reader} which store "
        "this came from"
    )


def _refuse_unassigned_work(bundle: VerifiedBundle, enrolment: store_bundles.Enrolment) -> None:
    """Every record, status and substitution must be on a case of the reader's pack."""
    contents, reader = bundle.contents, bundle.reader_id
    assigned = set(enrolment.case_refs)
    refs = [a["case_ref"] for a in contents.answers]
    refs += [link["case_ref"] for link in contents.evidence_links]
    refs += [f["case_ref"] for f in contents.flags]
    refs += [s["case_ref"] for s in contents.statuses]
    for sub in contents.substitutions:
        refs += [sub["core_ref"], sub["reserve_ref"]]
    outside = sorted(set(refs) - assigned)
    if outside:
        raise BundleRejected(
            f"the bundle holds work on case {outside[0]}, which is not one of {reader}'s "
            f"assigned cases ({len(assigned)} in {reader}'s pack); refused — {reader} can only "
            "send work on the cases of their own pack"
        )


def _refuse_unknown_work(store: Store, bundle: VerifiedBundle) -> None:
    contents, reader = bundle.contents, bundle.reader_id
    known = store_bundles.known_case_refs(store)
    items = {item.key: item for _, item in store.template.items()}
    refs = [a["case_ref"] for a in contents.answers]
    refs += [link["case_ref"] for link in contents.evidence_links]
    refs += [f["case_ref"] for f in contents.flags]
    refs += [s["case_ref"] for s in contents.statuses]
    unknown = sorted(set(refs) - known)
    if unknown:
        raise BundleRejected(
            f"the bundle holds work on case {unknown[0]}, which this store does not have; "
            "import the full sample into the coordinator store first"
        )
    for record in contents.answers + contents.evidence_links:
        if record["item_key"] not in items:
            raise BundleRejected(
                f"the bundle answers item {record['item_key']!r}, which the template does not "
                f"have; {_ASK_AGAIN}"
            )
    allowed: set[tuple[str, str]] = set()  # (item key, value) found allowed: values repeat
    for answer in contents.answers:
        key = answer["item_key"]
        for value in (answer["value"], answer["agreed_value"]):
            if value is None or (key, value) in allowed:
                continue
            try:
                fits = normalise_value(items[key], value) == value
            except AnswerRejected:
                fits = False
            if fits:
                allowed.add((key, value))
            else:
                raise BundleRejected(
                    f"the answer to {answer['item_key']} on {answer['case_ref']} is "
                    f"{value!r}, not a value the template allows; {_ASK_AGAIN}"
                )
    clashes = store_bundles.foreign_flags(store, reader, contents.flags)
    if clashes:
        raise BundleRejected(
            f"management review {clashes[0]} is already held here for another reader or case; "
            f"{_ASK_AGAIN}"
        )


def _describe(counts: dict[str, int]) -> str:
    return ", ".join(
        [
            plural(counts.get("answers", 0), "answer"),
            plural(counts.get("evidence_links", 0), "evidence link"),
            plural(counts.get("flags", 0), "management review"),
            plural(counts.get("cases", 0), "case status", "case statuses"),
        ]
    )


def merge_bundle(store: Store, bundle: VerifiedBundle) -> BundleOutcome:
    """Merge one verified bundle in one transaction; BundleRejected leaves the store untouched."""
    _check_store(store)
    manifest = bundle.manifest
    base = {
        "reader_id": manifest.reader_id,
        "sequence": manifest.sequence,
        "fingerprint": bundle.fingerprint,
    }
    if _refuse_against_store(store, bundle) == "unchanged":
        return BundleOutcome(
            bundle.file_name,
            "unchanged",
            f"{manifest.reader_id} bundle {manifest.sequence} was already imported; nothing "
            "changed",
            **base,
            counts=dict(manifest.counts),
        )
    contents = bundle.contents
    arrived = store_bundles.arrived_reviews(store, manifest.reader_id, contents.flags)
    record = store_bundles.ReaderImport(
        reader_id=manifest.reader_id,
        public_key=manifest.reader_public_key,
        sequence=manifest.sequence,
        format_version=manifest.format_version,
        manifest_sha256=bundle.manifest_sha256,
        file_sha256=bundle.file_sha256,
        file_name=bundle.file_name,
        created_at=manifest.created_at,
        app_version=manifest.app_version,
        counts=dict(manifest.counts),
        content=bundle.content,
        answers=contents.answers,
        evidence_links=contents.evidence_links,
        flags=contents.flags,
        statuses=contents.statuses,
        substitutions=contents.substitutions,
        audit=contents.audit,
    )
    try:
        written = store_bundles.write_reader_import(store, record)
    except sqlcipher3.DatabaseError as exc:
        # The transaction was rolled back: the store is as it was.
        raise BundleRejected(
            f"the bundle could not be written ({exc}); the store was not changed"
        ) from exc
    message = (
        f"{manifest.reader_id} bundle {manifest.sequence} imported: {_describe(manifest.counts)}"
    )
    if written.replaced_sequence is not None:
        message += f"; replaces bundle {written.replaced_sequence}"
    if written.substitutions_skipped:
        message += (
            f"; {written.substitutions_skipped} substitution(s) not applied (this store "
            "records another decision)"
        )
    return BundleOutcome(
        bundle.file_name,
        "imported",
        message,
        **base,
        replaced_sequence=written.replaced_sequence,
        counts=dict(manifest.counts),
        reviews=tuple(arrived),
    )


def open_bundle_files(paths: list[Path], identity) -> list[VerifiedBundle | BundleOutcome]:
    """Decrypt and verify each file (no store needed): the bundle, or its refusal."""
    opened: list[VerifiedBundle | BundleOutcome] = []
    for path in paths:
        try:
            opened.append(verify_bundle(Path(path), identity))
        except BundleRejected as exc:
            opened.append(BundleOutcome(Path(path).name, "refused", str(exc)))
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the others
            opened.append(
                BundleOutcome(
                    Path(path).name,
                    "refused",
                    f"the bundle could not be read ({type(exc).__name__}: {exc}); {_ASK_AGAIN}",
                )
            )
    return opened


def merge_opened(store: Store, opened: list[VerifiedBundle | BundleOutcome]) -> list[BundleOutcome]:
    """Merge verified bundles oldest first per reader, each in its own transaction."""
    _check_store(store)
    outcomes = {i: o for i, o in enumerate(opened) if isinstance(o, BundleOutcome)}
    bundles = {i: b for i, b in enumerate(opened) if isinstance(b, VerifiedBundle)}
    for index in sorted(bundles, key=lambda i: (bundles[i].reader_id, bundles[i].sequence, i)):
        bundle = bundles[index]
        try:
            outcomes[index] = merge_bundle(store, bundle)
        except (BundleRejected, Exception) as exc:  # noqa: BLE001 - one never stops the others
            message = str(exc)
            if not isinstance(exc, BundleRejected):
                message = f"the bundle could not be merged ({type(exc).__name__}: {exc})"
            outcomes[index] = BundleOutcome(
                bundle.file_name,
                "refused",
                message,
                reader_id=bundle.reader_id,
                sequence=bundle.sequence,
                fingerprint=bundle.fingerprint,
            )
    return [outcomes[i] for i in range(len(opened))]


def merge_bundles(store: Store, paths: list[Path], identity) -> list[BundleOutcome]:
    """Merge every bundle file, each in its own transaction; outcomes in the order given."""
    _check_store(store)
    return merge_opened(store, open_bundle_files(paths, identity))
