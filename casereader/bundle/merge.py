"""Merging readers' bundles into the coordinator store (SPEC §6, §7).

A bundle is first opened in memory and checked on its own (`bundle.opening`: decrypt, archive,
manifest, signature, hashes, members). Then, against the store: other inspection,
other template, a reader id never issued a pack here, a key other than the one enrolled when
the reader's pack was made (or one revoked since, by a newer pack), work on cases outside the
reader's pack, an older (stale) sequence number, cases or items the store does not know. Only
then is anything written, in one transaction per bundle, so a refused bundle leaves the store
file exactly as it was. What happened to each file is a `BundleOutcome` (`bundle.outcome`).

Bundles given together are merged oldest first per reader (by sequence number), whatever order
they were named in, so dropping a folder of bundles in gives the newest state.
"""

from pathlib import Path

import sqlcipher3

from casereader.bundle import signing
from casereader.bundle.opening import (
    ASK_AGAIN,
    BUNDLE_LIMITS,
    MAX_BUNDLE_FILE_BYTES,
    VerifiedBundle,
    open_bundle,
    read_bundle_file,
    verify_bundle,
)
from casereader.bundle.outcome import BundleOutcome, Outcome, arrived_review_json, arrived_reviews
from casereader.domain.values import normalise_value
from casereader.errors import AnswerRejected, BundleRejected, StoreError
from casereader.store import bundles as store_bundles
from casereader.store.store import Store

__all__ = [
    "BUNDLE_LIMITS",
    "MAX_BUNDLE_FILE_BYTES",
    "BundleOutcome",
    "Outcome",
    "VerifiedBundle",
    "arrived_review_json",
    "arrived_reviews",
    "merge_bundle",
    "merge_bundles",
    "merge_opened",
    "open_bundle",
    "open_bundle_files",
    "read_bundle_file",
    "verify_bundle",
]


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
                f"have; {ASK_AGAIN}"
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
                    f"{value!r}, not a value the template allows; {ASK_AGAIN}"
                )
    clashes = store_bundles.foreign_flags(store, reader, contents.flags)
    if clashes:
        raise BundleRejected(
            f"management review {clashes[0]} is already held here for another reader or case; "
            f"{ASK_AGAIN}"
        )


def _describe(counts: dict[str, int]) -> str:
    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    return ", ".join(
        [
            n(counts.get("answers", 0), "answer", "answers"),
            n(counts.get("evidence_links", 0), "evidence link", "evidence links"),
            n(counts.get("flags", 0), "management review", "management reviews"),
            n(counts.get("cases", 0), "case status", "case statuses"),
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
                    f"the bundle could not be read ({type(exc).__name__}: {exc}); {ASK_AGAIN}",
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
