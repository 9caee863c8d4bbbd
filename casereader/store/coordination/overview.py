"""The merged overview: every reader's work per case and per reader, in one coordinator store.

A case's readers are the readers assigned to it (the sample's ``reader`` column, or a pack) and
every reader whose bundle holds work on it. A case's overall status: *not started* until some
reader has begun it; *complete* once every reader of it is complete; *moderated* once complete,
the coordinator has moderated it (``cases.moderated_at``) and no item is left differing.
"""

from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, ConfigDict

from casereader.errors import BundleRejected
from casereader.store import cases, flags
from casereader.store.models import CaseStatus, Flag
from casereader.store.store import Store


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ReaderReading(_Model):
    """One reader's reading of one case."""

    reader_id: str
    status: CaseStatus
    answered: int
    required: int
    required_answered: int
    open_flags: int  # open management reviews this reader raised on the case


class MergedCase(_Model):
    case_ref: str
    sample_group: Literal["core", "reserve"]
    follow_up: bool
    age_band: str
    legal_status: str
    readers: list[ReaderReading]
    overall_status: CaseStatus
    open_flags: int
    double_read: bool
    documents: int
    replaced_by: str | None = None
    replaces: str | None = None
    moderated_at: str | None = None


class LastBundle(_Model):
    sequence: int
    created_at: str
    imported_at: str
    fingerprint: str


class ReaderProgress(_Model):
    reader_id: str
    assigned: int
    complete: int
    in_progress: int
    not_started: int
    flagged: int  # cases with an open review raised by this reader
    last_bundle: LastBundle | None


class MergedOverview(_Model):
    cases: list[MergedCase]
    readers: list[ReaderProgress]
    flags: list[Flag]

    @property
    def open_flags(self) -> int:
        return sum(f.is_open for f in self.flags)


def case_readers(store: Store) -> dict[str, list[str]]:
    """case_ref -> reader ids (sorted): assigned readers and readers with answers on the case."""
    found: dict[str, set[str]] = defaultdict(set)
    for ref, reader in store.db.execute(
        "SELECT case_ref, reader_id FROM assignments UNION "
        "SELECT DISTINCT case_ref, reader_id FROM answers"
    ).fetchall():
        found[ref].add(reader)
    return {ref: sorted(readers) for ref, readers in found.items()}


def _answer_counts(store: Store) -> tuple[dict, dict]:
    template = store.template
    required = {f"{stage.id}.{item.id}" for stage, item in template.items() if item.required}
    answered: dict[tuple[str, str], int] = defaultdict(int)
    required_answered: dict[tuple[str, str], int] = defaultdict(int)
    for ref, reader, key in store.db.execute(
        "SELECT case_ref, reader_id, item_key FROM answers WHERE value IS NOT NULL"
        " AND template_sha256 = ?",
        [template.sha256],
    ).fetchall():
        answered[(ref, reader)] += 1
        if key in required:
            required_answered[(ref, reader)] += 1
    return answered, required_answered


def overall_status(statuses: list[CaseStatus], moderated: bool) -> CaseStatus:
    """A case's status from its readers' statuses (see the module docstring)."""
    if not statuses or all(s == "not_started" for s in statuses):
        return "not_started"
    if all(s in ("complete", "moderated") for s in statuses):
        return "moderated" if moderated else "complete"
    return "in_progress"


def _last_bundles(store: Store) -> dict[str, LastBundle]:
    from casereader.bundle.signing import fingerprint  # the one place keys are printed from
    from casereader.store.bundles.queries import pinned_keys

    keys = pinned_keys(store)
    result = {}
    for reader, sequence, created, imported in store.db.execute(
        "SELECT reader_id, sequence, created_at, imported_at FROM imported_bundles b"
        " WHERE sequence = (SELECT max(sequence) FROM imported_bundles"
        " WHERE reader_id = b.reader_id)"
    ).fetchall():
        key = keys.get(reader, "")
        try:
            printed = fingerprint(bytes.fromhex(key)) if key else ""
        except (ValueError, BundleRejected):  # a damaged pinned key prints as unknown
            printed = ""
        result[reader] = LastBundle(
            sequence=sequence, created_at=created, imported_at=imported, fingerprint=printed
        )
    return result


def merged_overview(store: Store) -> MergedOverview:
    """Every case with every reader's reading of it, every reader's progress, every review."""
    from casereader.store.coordination.moderation import unsettled_cases

    template = store.template
    required = sum(1 for _, item in template.items() if item.required)
    db = store.db
    readers_of = case_readers(store)
    answered, required_answered = _answer_counts(store)
    statuses = {
        (ref, reader): status
        for ref, reader, status in db.execute(
            "SELECT case_ref, reader_id, status FROM assignments"
        ).fetchall()
    }
    docs = dict(db.execute("SELECT case_ref, count(*) FROM documents GROUP BY case_ref").fetchall())
    all_flags = flags.list_flags(store)
    open_by: dict[tuple[str, str], int] = defaultdict(int)
    open_on: dict[str, int] = defaultdict(int)
    for flag in all_flags:
        if flag.is_open:
            open_by[(flag.case_ref, flag.reader_id)] += 1
            open_on[flag.case_ref] += 1
    subs = {s.core_ref: s.reserve_ref for s in cases.substitutions(store)}
    replaces = {reserve: core for core, reserve in subs.items()}
    differing = unsettled_cases(store)
    merged = []
    for case in cases.list_cases(store):
        ref = case.case_ref
        readings = []
        for reader in readers_of.get(ref, []):
            status = statuses.get((ref, reader)) or (
                "in_progress" if answered.get((ref, reader)) else "not_started"
            )
            readings.append(
                ReaderReading(
                    reader_id=reader,
                    status=status,
                    answered=answered.get((ref, reader), 0),
                    required=required,
                    required_answered=required_answered.get((ref, reader), 0),
                    open_flags=open_by.get((ref, reader), 0),
                )
            )
        moderated = bool(case.moderated_at) and ref not in differing
        merged.append(
            MergedCase(
                case_ref=ref,
                sample_group=case.sample_group,
                follow_up=case.follow_up,
                age_band=case.age_band,
                legal_status=case.legal_status,
                readers=readings,
                overall_status=overall_status([r.status for r in readings], moderated),
                open_flags=open_on.get(ref, 0),
                double_read=len(readings) >= 2,
                documents=docs.get(ref, 0),
                replaced_by=subs.get(ref),
                replaces=replaces.get(ref),
                moderated_at=case.moderated_at,
            )
        )
    return MergedOverview(
        cases=merged, readers=_progress(store, merged, all_flags), flags=all_flags
    )


def _progress(
    store: Store, merged: list[MergedCase], all_flags: list[Flag]
) -> list[ReaderProgress]:
    bundles = _last_bundles(store)
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for case in merged:
        for r in case.readers:
            counts = per[r.reader_id]
            counts["assigned"] += 1
            key = "complete" if r.status in ("complete", "moderated") else r.status
            counts[key] += 1
    flagged: dict[str, set[str]] = defaultdict(set)
    for flag in all_flags:
        if flag.is_open:
            flagged[flag.reader_id].add(flag.case_ref)
    readers = sorted(set(per) | set(bundles) | set(flagged))
    return [
        ReaderProgress(
            reader_id=reader,
            assigned=per[reader]["assigned"],
            complete=per[reader]["complete"],
            in_progress=per[reader]["in_progress"],
            not_started=per[reader]["not_started"],
            flagged=len(flagged.get(reader, ())),
            last_bundle=bundles.get(reader),
        )
        for reader in readers
    ]
