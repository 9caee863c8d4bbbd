"""What a case summary prints, gathered from a store into plain frozen records (no reportlab).

In a reader's store the summary holds that reader's own answers (and any grade agreed with the
paired inspector). In a coordinator's store it holds every reader of the case side by side,
"Reader A", "Reader B", … in reader-id order, with the moderated or agreed value that counts.
"""

from collections.abc import Iterator

from casereader.domain.completeness import case_progress, gap_text, missing_for_completion
from casereader.domain.template import Template
from casereader.reports.summary_records import (
    CaseSummary,
    Citation,
    ItemLine,
    ReaderState,
    Reading,
    today,
)
from casereader.store import answers, cases, documents, flags
from casereader.store.coordination.moderation import case_comparison, reader_label
from casereader.store.models import CASE_STATUS_LABELS, Answer, Document, EvidenceLink
from casereader.store.store import Store

__all__ = [
    "CaseSummary",
    "Citation",
    "ItemLine",
    "ReaderState",
    "Reading",
    "gather_summaries",
    "gather_summary",
    "today",
]


def _citation(link: EvidenceLink, docs: dict[str, Document]) -> Citation:
    doc = docs.get(link.document_sha256)
    if doc is None:
        return Citation(link.label or "A document not in this store", "", None, link.page)
    return Citation(
        doc.title, doc.agency, doc.doc_date, link.page, link.label, link.document_sha256
    )


def _coordination(store: Store, case_ref: str, assigned: list[str]):
    """(reader ids, their labels, item_key -> moderation) for one case."""
    if store.role != "coordinator":
        return [store.reader_id], {store.reader_id: store.reader_id}, {}
    comparison = case_comparison(store, case_ref)
    readers = comparison.readers or sorted(assigned)
    labels = {r: f"{reader_label(i)} ({r})" for i, r in enumerate(readers)}
    moderation = {
        c.item_key: {
            "moderated_value": c.moderated_value,
            "rationale": c.rationale,
            "moderator": c.moderator,
            "moderated_at": c.moderated_at,
            "state": c.state,
        }
        for c in comparison.items
    }
    return readers, labels, moderation


def gather_summary(store: Store, case_ref: str) -> CaseSummary:
    """Everything the summary of one case prints, read from the store."""
    template = store.template
    case = cases.get_case(store, case_ref)
    overview = {row.case_ref: row for row in cases.overview(store)}[case_ref]
    return _gather(store, template, case, overview.replaces, overview.replaced_by)


def gather_summaries(store: Store, case_refs: list[str] | None = None) -> Iterator[CaseSummary]:
    """The summaries of many cases (every case, by default) in case-ref order."""
    template = store.template
    rows = {row.case_ref: row for row in cases.overview(store)}
    wanted = case_refs if case_refs is not None else sorted(rows)
    by_ref = {c.case_ref: c for c in cases.list_cases(store)}
    for ref in wanted:
        if ref not in by_ref:
            cases.require_case(store, ref)
        row = rows[ref]
        yield _gather(store, template, by_ref[ref], row.replaces, row.replaced_by)


def _gather(store, template: Template, case, replaces, replaced_by) -> CaseSummary:
    ref = case.case_ref
    coordinator = store.role == "coordinator"
    reader_ids, labels, moderation = _coordination(store, ref, case.readers)
    timeline = documents.timeline(store, ref)
    docs = {d.sha256: d for d in timeline}
    dated = [d.doc_date for d in timeline if d.doc_date]
    by_reader: dict[str, dict[str, Answer]] = {}
    cites: dict[str, dict[str, list[Citation]]] = {}
    states = []
    for reader in reader_ids:
        own = answers.answers_for(store, ref, reader)
        by_reader[reader] = own
        per_item: dict[str, list[Citation]] = {}
        for link in answers.evidence_links(store, ref, reader_id=reader):
            per_item.setdefault(link.item_key, []).append(_citation(link, docs))
        cites[reader] = per_item
        answer_map = {k: (a.value, a.note) for k, a in own.items()}
        gaps = missing_for_completion(template, answer_map)
        stamps = sorted(a.updated_at for a in own.values() if a.updated_at)
        states.append(
            ReaderState(
                reader_id=reader,
                label=labels[reader],
                status=CASE_STATUS_LABELS.get(cases.reader_status(store, ref, reader), "—"),
                first_change=stamps[0] if stamps else None,
                last_change=stamps[-1] if stamps else None,
                requirements=case_progress(template, answer_map),
                missing=tuple(f"{g.stage_title}: {gap_text(g)}" for g in gaps),
            )
        )
    lines = []
    for stage, item in template.items():
        readings = []
        for reader in reader_ids:
            a = by_reader[reader].get(item.key)
            readings.append(
                Reading(
                    reader_id=reader,
                    label=labels[reader],
                    value=a.value if a else None,
                    agreed_value=a.agreed_value if a else None,
                    note=a.note if a else "",
                    citations=tuple(cites[reader].get(item.key, ())),
                )
            )
        lines.append(
            ItemLine(stage.id, stage.title, item, tuple(readings), **moderation.get(item.key, {}))
        )
    return CaseSummary(
        inspection=store.inspection.name,
        template_id=template.id,
        template_version=template.version,
        template_title=template.title,
        case_ref=ref,
        sample_group=case.sample_group,
        follow_up=case.follow_up,
        age_band=case.age_band,
        legal_status=case.legal_status,
        replaces=replaces,
        replaced_by=replaced_by,
        coordinator=coordinator,
        readers=tuple(states),
        documents=len(timeline),
        records_from=dated[0] if dated else None,
        records_to=dated[-1] if dated else None,
        moderated_at=case.moderated_at,
        items=tuple(lines),
        flags=tuple(flags.list_flags(store, ref)),
        template=template,
    )
