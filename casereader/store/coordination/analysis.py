"""The record-reading analysis of a store (SPEC §7, §9): the queries here, the arithmetic in
``casereader.domain.analysis``.

The analysed sample is the core cases, with a reserve case counted in place of the core case it
replaced; ``include_reserve`` adds the other reserve cases that some reader has answered. Each
case counts once per item (see ``domain.analysis.counted_value``); breakdowns by group,
follow-up, legal status and age band use that value; the breakdown by reader uses each reader's
own reading (the reader's value, agreed with the paired inspector where there is one).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from casereader.domain.analysis import (
    GradeSummary,
    counted_value,
    grade_summary,
    pair_agreement,
    proportion_json,
    reader_pairs,
    yes_summary,
)
from casereader.store import flags as store_flags
from casereader.store.coordination.overview import overall_status
from casereader.store.store import Store

GOOD_PRACTICE_ITEM = "good_practice"
BREAKDOWNS = ("group", "follow_up", "legal_status", "age_band", "reader")


@dataclass
class Analysis:
    """The analysis, JSON-ready: ``to_json`` is exactly what `analysis --json` prints."""

    inspection: str
    template: dict
    sample: dict
    items: list[dict] = field(default_factory=list)
    yes_no: list[dict] = field(default_factory=list)
    agreement: dict = field(default_factory=dict)
    unresolved: list[dict] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)
    breakdowns: dict = field(default_factory=dict)
    follow_up_cases: list[dict] = field(default_factory=list)
    good_practice: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "inspection": self.inspection,
            "template": self.template,
            "sample": self.sample,
            "items": self.items,
            "yes_no": self.yes_no,
            "agreement": self.agreement,
            "unresolved": self.unresolved,
            "flags": self.flags,
            "breakdowns": self.breakdowns,
            "follow_up_cases": self.follow_up_cases,
            "good_practice": self.good_practice,
        }


def _summary_json(summary: GradeSummary) -> dict:
    return {
        "good_or_better": proportion_json(summary.good_or_better),
        "adequate_or_better": proportion_json(summary.adequate_or_better),
        "weak_or_unsatisfactory": proportion_json(summary.weak_or_unsatisfactory),
    }


@dataclass
class _Case:
    ref: str
    group: str
    follow_up: bool
    legal_status: str
    age_band: str
    moderated_at: str | None
    readers: list[str] = field(default_factory=list)


def analysed_cases(store: Store, include_reserve: bool = False) -> tuple[list[str], list[str]]:
    """(case refs analysed in order, reserve refs among them)."""
    db = store.db
    subs = dict(db.execute("SELECT core_ref, reserve_ref FROM substitutions").fetchall())
    read = {r[0] for r in db.execute("SELECT DISTINCT case_ref FROM answers").fetchall()}
    refs, reserve = [], []
    for ref, group in db.execute("SELECT case_ref, sample_group FROM cases ORDER BY case_ref"):
        if group == "core" and ref not in subs:
            refs.append(ref)
        elif group == "reserve" and (ref in subs.values() or (include_reserve and ref in read)):
            refs.append(ref)
            reserve.append(ref)
    return refs, reserve


def analyse(store: Store, include_reserve: bool = False) -> Analysis:
    """The record-reading analysis of the store's merged work."""
    template = store.template
    bands = template.quantifiers
    db = store.db
    refs, reserve = analysed_cases(store, include_reserve)
    wanted = set(refs)
    cases: dict[str, _Case] = {}
    for ref, group, follow, legal, age, moderated in db.execute(
        "SELECT case_ref, sample_group, follow_up, legal_status, age_band, moderated_at FROM cases"
    ):
        if ref in wanted:
            cases[ref] = _Case(ref, group, bool(follow), legal, age, moderated)
    graded = [(stage, item) for stage, item in template.items() if item.kind == "grade"]
    yes_no = [(stage, item) for stage, item in template.items() if item.kind == "yes_no"]
    counted_keys = [item.key for _, item in [*graded, *yes_no]]
    own: dict[tuple[str, str], dict[str, str | None]] = defaultdict(dict)
    effective: dict[tuple[str, str], dict[str, str | None]] = defaultdict(dict)
    readers_of: dict[str, set[str]] = defaultdict(set)
    for ref, reader in db.execute("SELECT case_ref, reader_id FROM assignments"):
        readers_of[ref].add(reader)
    marks = ",".join("?" * len(counted_keys))
    for ref, key, reader, value, agreed in db.execute(
        "SELECT case_ref, item_key, reader_id, value, agreed_value FROM answers"
        f" WHERE template_sha256 = ? AND item_key IN ({marks})",
        [template.sha256, *counted_keys],
    ):
        if ref not in wanted:
            continue
        readers_of[ref].add(reader)
        pair = (ref, key)
        own[pair][reader] = value
        effective[pair][reader] = value if agreed is None else agreed
    moderations: dict[tuple[str, str], str | None] = {
        (ref, key): value
        for ref, key, value in db.execute(
            "SELECT case_ref, item_key, agreed_value FROM moderations"
        )
        if ref in wanted
    }
    for ref, case in cases.items():
        case.readers = sorted(readers_of.get(ref, ()))

    counted: dict[tuple[str, str], str | None] = {}
    unresolved: list[dict] = []
    for stage, item in [*graded, *yes_no]:
        for ref in refs:
            key = (ref, item.key)
            result = counted_value(effective.get(key, {}), moderations.get(key))
            counted[key] = result.value
            if result.unresolved:
                unresolved.append(
                    {
                        "case_ref": ref,
                        "stage": stage.id,
                        "item": item.id,
                        "values": dict(sorted(effective[key].items())),
                    }
                )

    analysis = Analysis(
        inspection=store.inspection.name,
        template={"id": template.id, "version": template.version, "sha256": template.sha256},
        sample={
            "cases": len(refs),
            "core": len(refs) - len(reserve),
            "reserve_counted": reserve,
            "include_reserve": include_reserve,
        },
        unresolved=unresolved,
    )
    for stage, item in graded:
        values = [counted[(ref, item.key)] for ref in refs]
        summary = grade_summary((v for v in values if v is not None), bands)
        analysis.items.append(
            {
                "stage": stage.id,
                "stage_title": stage.title,
                "item": item.id,
                "label": item.label,
                "n": summary.n,
                "counts": summary.counts,
                **_summary_json(summary),
            }
        )
    for stage, item in yes_no:
        values = [counted[(ref, item.key)] for ref in refs]
        summary = yes_summary((v for v in values if v is not None), bands)
        analysis.yes_no.append(
            {
                "stage": stage.id,
                "stage_title": stage.title,
                "item": item.id,
                "label": item.label,
                "n": summary.n,
                "yes": proportion_json(summary.yes),
            }
        )
    analysis.agreement = _agreement(graded, refs, own)
    analysis.flags = [flag_json(f) for f in store_flags.list_flags(store)]
    analysis.breakdowns = _breakdowns(graded, cases, refs, counted, effective, bands)
    analysis.follow_up_cases = _follow_up(store, cases, refs)
    analysis.good_practice = _good_practice(store, yes_no, refs, effective)
    return analysis


def _good_practice(store: Store, yes_no, refs: list[str], effective) -> list[dict]:
    """Every reader's Yes to the template's good-practice item, with the reader's note."""
    keys = [item.key for _, item in yes_no if item.id == GOOD_PRACTICE_ITEM]
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    notes = {
        (ref, key, reader): note
        for ref, key, reader, note in store.db.execute(
            f"SELECT case_ref, item_key, reader_id, note FROM answers WHERE item_key IN ({marks})",
            keys,
        )
    }
    return [
        {
            "case_ref": ref,
            "reader_id": reader,
            "item": key,
            "note": notes.get((ref, key, reader), ""),
        }
        for key in keys
        for ref in refs
        for reader, value in sorted(effective.get((ref, key), {}).items())
        if value == "yes"
    ]


def _agreement(graded, refs: list[str], own) -> dict:
    by_stage = {}
    every: list[tuple[str, str]] = []
    for stage, item in graded:
        pairs = [p for ref in refs for p in reader_pairs(own.get((ref, item.key), {}))]
        every.extend(pairs)
        by_stage[stage.id] = pair_agreement(pairs).to_json()
    return {"overall": pair_agreement(every).to_json(), "by_stage": by_stage}


def flag_json(flag) -> dict:
    """A management review as the JSON outputs give it (analysis, status, flags)."""
    return {
        "flag_id": flag.flag_id,
        "case_ref": flag.case_ref,
        "reader_id": flag.reader_id,
        "category": flag.category,
        "status": flag.status,
        "description": flag.description,
        "raised_by": flag.raised_by,
        "raised_at": flag.raised_at,
        "updated_at": flag.updated_at,
        "history": [e.model_dump() for e in flag.history],
    }


def _breakdowns(graded, cases, refs, counted, effective, bands) -> dict:
    groups: dict[str, dict[str, list[str]]] = {name: defaultdict(list) for name in BREAKDOWNS}
    for ref in refs:
        case = cases[ref]
        groups["group"][case.group].append(ref)
        groups["follow_up"]["yes" if case.follow_up else "no"].append(ref)
        groups["legal_status"][case.legal_status or "(not given)"].append(ref)
        groups["age_band"][case.age_band or "(not given)"].append(ref)
        for reader in case.readers:
            groups["reader"][reader].append(ref)
    result: dict[str, dict] = {}
    for name in BREAKDOWNS:
        result[name] = {}
        for value in sorted(groups[name]):
            members = groups[name][value]
            rows = []
            for stage, item in graded:
                if name == "reader":
                    values = [effective.get((r, item.key), {}).get(value) for r in members]
                else:
                    values = [counted[(r, item.key)] for r in members]
                summary = grade_summary((v for v in values if v is not None), bands)
                rows.append(
                    {"stage": stage.id, "item": item.id, "n": summary.n, **_summary_json(summary)}
                )
            result[name][value] = {"cases": len(members), "items": rows}
    return result


def _follow_up(store, cases, refs) -> list[dict]:
    from casereader.store.coordination.moderation import unsettled_cases

    statuses: dict[str, dict[str, str]] = defaultdict(dict)
    for ref, reader, status in store.db.execute(
        "SELECT case_ref, reader_id, status FROM assignments"
    ):
        statuses[ref][reader] = status
    follow = [ref for ref in refs if cases[ref].follow_up]
    unsettled = unsettled_cases(store) if any(cases[r].moderated_at for r in follow) else set()
    return [
        {
            "case_ref": ref,
            "readers": cases[ref].readers,
            "overall_status": overall_status(
                [statuses[ref].get(r) or "in_progress" for r in cases[ref].readers],
                cases[ref].moderated_at is not None and ref not in unsettled,
            ),
        }
        for ref in follow
    ]
