"""The coordinator's commands: the merged `status`, `flags`, `moderation`, `moderate`, `analysis`.

A reader store's `status` stays in ``store_commands``; a coordinator store's `status` comes here.
"""

import argparse
from pathlib import Path

from casereader.cli.common import open_store, out, plural, print_json
from casereader.errors import UsageError
from casereader.store import Store
from casereader.store.coordination import analysis, moderation, overview
from casereader.store.models import CASE_STATUS_LABELS, FLAG_CATEGORY_LABELS, FLAG_STATUS_LABELS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("flags", help="every management review with its id, step and history")
    p.add_argument("store")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_flags)

    p = sub.add_parser("moderation", help="the moderation queue with each disagreement")
    p.add_argument("store")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="every item, not only the differences")
    p.set_defaults(func=cmd_moderation)

    p = sub.add_parser(
        "moderate", help="record the moderated value of an item of a double-read case"
    )
    p.add_argument("store")
    p.add_argument("case")
    p.add_argument("item", nargs="?", help="STAGE.ITEM (see `moderation`)")
    p.add_argument("value", nargs="?", help="the moderated value: 1-6, na, unable, yes, no …")
    p.add_argument("--rationale", default="", help="why this value (required with ITEM VALUE)")
    p.add_argument(
        "--accept-equal",
        action="store_true",
        help="record every item all readers answered alike as moderated, in one step",
    )
    p.add_argument("--by", default="", help="who moderated (role), default the store's user")
    p.set_defaults(func=cmd_moderate)

    p = sub.add_parser("analysis", help="the record-reading analysis (JSON, CSV or XLSX)")
    p.add_argument("store")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the analysis as JSON")
    out.add_argument("--csv", metavar="DIR", help="write one CSV file per table into DIR")
    out.add_argument("--xlsx", metavar="FILE", help="write a workbook, one sheet per table")
    p.add_argument(
        "--include-reserve", action="store_true", help="add the other reserve cases that were read"
    )
    p.set_defaults(func=cmd_analysis)


# status -------------------------------------------------------------------------------------


def coordinator_status_json(store: Store) -> dict:
    """What `status --json` prints for a coordinator store: the readers' merged work."""
    from casereader.cli.store_commands import store_header_json

    merged = overview.merged_overview(store)
    rows = merged.cases
    return {
        **store_header_json(store),
        "cases": [
            {
                "case_ref": c.case_ref,
                "group": c.sample_group,
                "follow_up": c.follow_up,
                "age_band": c.age_band,
                "legal_status": c.legal_status,
                "readers": [r.reader_id for r in c.readers],
                "status": c.overall_status,
                "double_read": c.double_read,
                "documents": c.documents,
                "open_flags": c.open_flags,
                "replaced_by": c.replaced_by,
                "replaces": c.replaces,
                "moderated_at": c.moderated_at,
                "readings": [r.model_dump() for r in c.readers],
            }
            for c in rows
        ],
        "readers": [
            {
                **r.model_dump(exclude={"last_bundle"}),
                "last_bundle": r.last_bundle.model_dump() if r.last_bundle else None,
            }
            for r in merged.readers
        ],
        "flags": [analysis.flag_json(f) for f in merged.flags],
        "totals": {
            "cases": len(rows),
            "core": sum(c.sample_group == "core" for c in rows),
            "reserve": sum(c.sample_group == "reserve" for c in rows),
            "follow_up": sum(c.follow_up for c in rows),
            "documents": sum(c.documents for c in rows),
            "double_read": sum(c.double_read for c in rows),
            "complete": sum(c.overall_status in ("complete", "moderated") for c in rows),
            "moderated": sum(c.overall_status == "moderated" for c in rows),
            "in_progress": sum(c.overall_status == "in_progress" for c in rows),
            "not_started": sum(c.overall_status == "not_started" for c in rows),
            "open_flags": merged.open_flags,
            "flags": len(merged.flags),
        },
    }


def print_coordinator_status(store: Store, as_json: bool) -> int:
    data = coordinator_status_json(store)
    if as_json:
        print_json(data)
        return 0
    t = data["totals"]
    out(
        f"{_clean(data['inspection']['name'])} — coordinator store, template "
        f"{data['template']['id']} {data['template']['version']}"
    )
    out(
        f"{plural(t['cases'], 'case')} ({t['core']} core, {t['reserve']} reserve, "
        f"{t['follow_up']} follow-up, {t['double_read']} double-read), "
        f"{plural(t['documents'], 'document')}; "
        f"{t['complete']} complete ({t['moderated']} moderated), {t['in_progress']} in progress, "
        f"{t['not_started']} not started; {t['open_flags']} open of "
        f"{plural(t['flags'], 'management review')}"
    )
    out("Readers:")
    for r in data["readers"]:
        last = r["last_bundle"]
        bundle = (
            f"last bundle {last['sequence']} of {last['created_at'][:16]}, "
            f"key {last['fingerprint']}"
            if last
            else "no bundle yet"
        )
        out(
            f"  {_clean(r['reader_id']):<8} {r['assigned']} assigned, {r['complete']} complete, "
            f"{r['in_progress']} in progress, {r['flagged']} flagged; {bundle}"
        )
    out("Cases:")
    for c in data["cases"]:
        readings = ", ".join(
            f"{_clean(r['reader_id'])} {_status(r['status'])} "
            f"{r['required_answered']}/{r['required']}" + (" (review)" if r["open_flags"] else "")
            for r in c["readings"]
        )
        extra = "  MANAGEMENT REVIEW" if c["open_flags"] else ""
        note = f" (replaced by {c['replaced_by']})" if c["replaced_by"] else ""
        out(
            f"  {_clean(c['case_ref']):<10} {c['group']:<8} "
            f"{'follow-up' if c['follow_up'] else '':<9} {_status(c['status']):<12} "
            f"{readings or 'no reader'}{note}{extra}"
        )
    _print_flags(data["flags"])
    return 0


def _status(status: str) -> str:
    return CASE_STATUS_LABELS.get(status, status).lower()


def _clean(text) -> str:
    """Strip control characters from text that came from a bundle or a document."""
    return "".join(ch if ch.isprintable() else " " for ch in str(text))


def _print_flags(flags: list[dict]) -> None:
    out(f"Management reviews ({len(flags)}):")
    if not flags:
        out("  none")
    for f in flags:
        out(
            f"  {f['flag_id']}  {_clean(f['case_ref'])}  {_clean(f['reader_id'])}  "
            f"{FLAG_CATEGORY_LABELS.get(f['category'], f['category'])}  "
            f"{FLAG_STATUS_LABELS.get(f['status'], f['status'])}  raised {f['raised_at'][:16]}, "
            f"updated {f['updated_at'][:16]}"
        )
        out(f"      {_clean(f['description'])}")
        for e in f["history"]:
            note = f": {_clean(e['note'])}" if e["note"] else ""
            out(
                f"      {e['at'][:16]} {FLAG_STATUS_LABELS.get(e['status'], e['status'])} "
                f"by {_clean(e['actor'])}{note}"
            )


def cmd_flags(args) -> int:
    from casereader.store import flags

    with open_store(args.store) as store:
        data = [analysis.flag_json(f) for f in flags.list_flags(store)]
    if args.json:
        print_json({"flags": data})
    else:
        _print_flags(data)
    return 0


# moderation ---------------------------------------------------------------------------------


def _comparison_json(case: moderation.ModerationCase, everything: bool = True) -> dict:
    return {
        "case_ref": case.case_ref,
        "readers": case.readers,
        "reader_labels": case.reader_labels,
        "open_flags": case.open_flags,
        "max_gap": case.max_gap,
        "differences": case.differences,
        "moderated_at": case.moderated_at,
        "items": [
            {
                "item": i.item_key,
                "stage": i.stage_id,
                "label": i.label,
                "kind": i.kind,
                "state": i.state,
                "gap": i.gap,
                "values": {r.reader_id: r.value for r in i.readings},
                "agreed_values": {r.reader_id: r.agreed_value for r in i.readings},
                "effective_values": i.effective_values,
                "moderated_value": i.moderated_value,
                "rationale": i.rationale,
                "moderator": i.moderator,
                "moderated_at": i.moderated_at,
            }
            for i in case.items
            if i.compared and (everything or i.needs_attention)
        ],
    }


def cmd_moderation(args) -> int:
    with open_store(args.store) as store:
        queue = moderation.moderation_queue(store)
    if args.json:
        print_json({"cases": [_comparison_json(c, args.all) for c in queue]})
        return 0
    if not queue:
        out("No double-read cases yet.")
        return 0
    out(
        f"{plural(len(queue), 'double-read case')}; open management reviews first, "
        "then the grade gap."
    )
    for case in queue:
        labels = case.reader_labels
        who = ", ".join(f"{labels[r]} = {_clean(r)}" for r in case.readers)
        review = f", {case.open_flags} open review(s)" if case.open_flags else ""
        done = ", moderated" if case.moderated_at and not case.differences else ""
        out(
            f"{_clean(case.case_ref)}: {who}; {case.differences} to look at, largest gap "
            f"{case.max_gap}{review}{done}"
        )
        for i in case.items:
            if not i.compared or not (args.all or i.needs_attention):
                continue
            values = "  ".join(
                f"{labels[r.reader_id]}: {_value(r.value, r.agreed_value)}" for r in i.readings
            )
            moderated = f"  moderated: {i.moderated_value}" if i.moderated_value else ""
            out(f"  {i.item_key:<34} {i.state:<24} {values}{moderated}")
    return 0


def _value(value, agreed) -> str:
    shown = _clean(value) if value is not None else "-"
    return f"{shown} (agreed {_clean(agreed)})" if agreed is not None else shown


def cmd_moderate(args) -> int:
    if args.accept_equal:
        if args.item or args.value:
            raise UsageError("Give either ITEM VALUE --rationale TEXT or --accept-equal, not both.")
        with open_store(args.store) as store:
            count = moderation.accept_equal(store, args.case, args.by or None)
            case = moderation.case_comparison(store, args.case)
        out(
            f"{args.case}: {count} equal answer(s) accepted as moderated; "
            f"{case.differences} item(s) still to look at."
        )
        return 0
    if not args.item or args.value is None:
        raise UsageError("Give ITEM and VALUE (e.g. assessment.grade 4), or --accept-equal.")
    if not args.rationale.strip():
        raise UsageError("Give the rationale for the moderated value: --rationale TEXT.")
    with open_store(args.store) as store:
        item = moderation.moderate(
            store, args.case, args.item, args.value, args.rationale, args.by or None
        )
        case = moderation.case_comparison(store, args.case)
    out(
        f"{args.case} {item.item_key} moderated to {item.moderated_value}; "
        f"{case.differences} item(s) still to look at."
    )
    return 0


# analysis -----------------------------------------------------------------------------------


def cmd_analysis(args) -> int:
    with open_store(args.store) as store:
        result = analysis.analyse(store, include_reserve=args.include_reserve)
    if args.json:
        print_json(result.to_json())
        return 0
    if args.csv or args.xlsx:
        from casereader.reports import spreadsheets

        if args.csv:
            written = spreadsheets.write_csv(result, Path(args.csv))
            out(f"{len(written)} CSV files written to {args.csv}.")
        else:
            spreadsheets.write_xlsx(result, Path(args.xlsx))
            out(f"Workbook written to {args.xlsx}.")
        return 0
    _print_analysis(result.to_json())
    return 0


def _p(p: dict) -> str:
    if p["percent"] is None:
        return "–"
    return f"{p['percent']:.1f}% ({p['k']}/{p['n']}, {p['phrase']})"


def _print_analysis(data: dict) -> None:
    s = data["sample"]
    reserve = (
        f", reserve counted: {', '.join(s['reserve_counted'])}" if s["reserve_counted"] else ""
    )
    out(f"{_clean(data['inspection'])}: {plural(s['cases'], 'case')} analysed{reserve}")
    out("Graded items (good or better / adequate or better / weak or unsatisfactory):")
    for i in data["items"]:
        key = f"{i['stage']}.{i['item']}"
        out(
            f"  {key:<28} n={i['n']:<3} {_p(i['good_or_better'])}  "
            f"{_p(i['adequate_or_better'])}  {_p(i['weak_or_unsatisfactory'])}"
        )
    out("Yes/no items (% yes):")
    for i in data["yes_no"]:
        key = f"{i['stage']}.{i['item']}"
        out(f"  {key:<44} n={i['n']:<3} {_p(i['yes'])}")
    a = data["agreement"]["overall"]
    kappa = a["kappa_quadratic"] if a["kappa_quadratic"] is not None else f"– ({a['kappa_note']})"
    exact = "–" if a["exact_percent"] is None else f"{a['exact_percent']}%"
    within = "–" if a["within_one_percent"] is None else f"{a['within_one_percent']}%"
    out(
        f"Agreement over {a['pairs']} pairs ({a['excluded_pairs']} with N/A or unable left "
        f"out): exact {exact}, within one {within}, weighted kappa {kappa}"
    )
    out(f"Unresolved disagreements: {len(data['unresolved'])}")
    for u in data["unresolved"]:
        values = ", ".join(f"{_clean(r)}={_clean(v)}" for r, v in u["values"].items())
        out(f"  {u['case_ref']} {u['stage']}.{u['item']}: {values}")
    out(
        f"Management reviews: {len(data['flags'])}; follow-up cases: "
        f"{len(data['follow_up_cases'])}; good-practice examples: {len(data['good_practice'])}"
    )
