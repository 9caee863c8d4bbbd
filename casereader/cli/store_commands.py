"""Commands on one store's reading work: status, answers, flags, completion, search; the demo."""

import argparse
import json
import os
import sys
from pathlib import Path

from casereader.cli import review_reports
from casereader.cli.common import (
    CommandFailed,
    err,
    open_store,
    out,
    plural,
    print_json,
)
from casereader.domain.completeness import gap_text
from casereader.domain.values import note_required, shortened_to_month
from casereader.store import Store, answers, cases, completion, documents, flags
from casereader.store.flags import CLI_CATEGORIES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="cases, progress and open flags")
    p.add_argument("store")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("answer", help="answer one template item for a case")
    p.add_argument("store")
    p.add_argument("case")
    p.add_argument("item", help="STAGE.ITEM (see `templates --json`)")
    p.add_argument("value", help="1-6, na, unable; yes/no/na/unable; an option id; text …")
    p.add_argument("--note", help="the evidence note")
    p.add_argument("--agreed", help="the grade agreed with the paired inspector")
    p.set_defaults(func=cmd_answer)

    p = sub.add_parser("flag", help="raise a management review on a case")
    p.add_argument("store")
    p.add_argument("case")
    p.add_argument("--category", required=True, choices=sorted(CLI_CATEGORIES))
    p.add_argument("--description", required=True)
    p.set_defaults(func=cmd_flag)

    p = sub.add_parser("flag-status", help="move a management review along its lifecycle")
    p.add_argument("store")
    p.add_argument("flag_id")
    p.add_argument("status", choices=["referred", "response_received", "closed"])
    p.add_argument("--note", default="")
    p.add_argument("--by", default="")
    p.set_defaults(func=cmd_flag_status)

    p = sub.add_parser("complete", help="mark a case complete (says exactly what is missing)")
    p.add_argument("store")
    p.add_argument("case")
    p.set_defaults(func=cmd_complete)

    p = sub.add_parser("search", help="search the text of the documents")
    p.add_argument("store")
    p.add_argument("query")
    p.add_argument("--case", help="only this case")
    p.add_argument("--limit", type=_at_least_one, default=20, help="most hits (default 20)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("demo", help="generate a fictional demo inspection and open it")
    p.add_argument("--dir", default=None, help="where to write it (default: a folder in your home)")
    p.add_argument("--cases", type=int, default=75)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--no-gui", action="store_true", help="build the store, print its status")
    p.add_argument("--screenshot", help="render the main window to this PNG and exit")
    p.set_defaults(func=cmd_demo)


def _at_least_one(text: str) -> int:
    """An argparse type: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is below 1; give 1 or more")
    return value


def status_json(store: Store) -> dict:
    """What `status --json` prints; tests and scripts rely on these keys."""
    rows = cases.overview(store)
    result = {
        **store_header_json(store),
        "cases": [
            {
                "case_ref": r.case_ref,
                "group": r.sample_group,
                "follow_up": r.follow_up,
                "readers": r.readers,
                "status": r.status,
                "documents": r.documents,
                "answered": r.answered,
                "required": r.required,
                "required_answered": r.required_answered,
                "open_flags": r.open_flags,
                "replaced_by": r.replaced_by,
                "replaces": r.replaces,
            }
            for r in rows
        ],
    }
    result["totals"] = {
        "cases": len(rows),
        "core": sum(r.sample_group == "core" for r in rows),
        "reserve": sum(r.sample_group == "reserve" for r in rows),
        "follow_up": sum(r.follow_up for r in rows),
        "documents": sum(r.documents for r in rows),
        "complete": sum(r.status in ("complete", "moderated") for r in rows),
        "in_progress": sum(r.status == "in_progress" for r in rows),
        "not_started": sum(r.status == "not_started" for r in rows),
        "open_flags": sum(r.open_flags for r in rows),
    }
    if store.role == "reader":
        result["unsent_reviews"] = review_reports.unsent_json(store)
    return result


def store_header_json(store: Store) -> dict:
    """The inspection, template and signing key that every store's `status --json` begins with."""
    inspection = store.inspection
    return {
        "inspection": {
            "id": inspection.inspection_id,
            "name": inspection.name,
            "role": inspection.role,
            "reader_id": inspection.reader_id,
        },
        "template": {
            "id": store.template.id,
            "version": store.template.version,
            "sha256": store.template.sha256,
        },
        "signing_key": signing_key_json(store),
    }


def signing_key_json(store: Store) -> dict:
    public = store.inspection.signing_public_key
    try:
        from casereader.bundle.signing import fingerprint

        print_ = fingerprint(bytes.fromhex(public)) if public else ""
    except ImportError:
        print_ = ""
    return {"public_key": public, "fingerprint": print_}


def cmd_status(args) -> int:
    with open_store(args.store) as store:
        if store.role == "coordinator":
            from casereader.cli.coordinator_commands import print_coordinator_status

            return print_coordinator_status(store, args.json)
        data = status_json(store)
    if args.json:
        print_json(data)
        return 0
    t = data["totals"]
    out(
        f"{data['inspection']['name']} — {data['inspection']['role']} store of "
        f"{data['inspection']['reader_id']}, template {data['template']['id']}"
    )
    out(
        f"{plural(t['cases'], 'case')} ({t['core']} core, {t['reserve']} reserve,"
        f" {t['follow_up']} follow-up), {plural(t['documents'], 'document')};"
        f" {t['complete']} complete, {t['in_progress']} in progress;"
        f" {plural(t['open_flags'], 'open management review')}"
    )
    if "unsent_reviews" in data:
        review_reports.print_unsent(data["unsent_reviews"])
    for c in data["cases"]:
        flag = "  MANAGEMENT REVIEW" if c["open_flags"] else ""
        out(
            f"  {c['case_ref']:<10} {c['group']:<8} {'follow-up' if c['follow_up'] else '':<9} "
            f"{c['status']:<12} {c['required_answered']}/{c['required']} "
            f"{plural(c['documents'], 'doc')}{flag}"
        )
    return 0


def cmd_answer(args) -> int:
    with open_store(args.store) as store:
        kwargs = {"value": args.value}
        if args.note is not None:
            kwargs["note"] = args.note
        if args.agreed is not None:
            kwargs["agreed_value"] = args.agreed
        saved = answers.save_answer(store, args.case, args.item, **kwargs)
        item = store.template.item(args.item)
    if saved.value is None:
        out(f"{saved.case_ref} {saved.item_key}: answer cleared (now unanswered).")
    else:
        out(f"{saved.case_ref} {saved.item_key} = {saved.value}")
    if saved.value is not None and shortened_to_month(item, args.value):
        out(f"  {args.value.strip()} was shortened to its month, {saved.value}: this item "
            "records a month, not a day.")  # fmt: skip
    if note_required(item, saved.value) and not saved.note.strip():
        out(
            f"  Saved, but “{item.label}” = {saved.value} needs an evidence note, not yet "
            f"written: add it with `answer {saved.case_ref} {saved.item_key} {saved.value} "
            "--note TEXT` (the case cannot be completed without it)."
        )
    return 0


def cmd_flag(args) -> int:
    with open_store(args.store) as store:
        flag = flags.raise_flag(store, args.case, args.category, args.description)
    out(f"Management review raised on {flag.case_ref}: {flag.flag_id}")
    return 0


def cmd_flag_status(args) -> int:
    with open_store(args.store) as store:
        flag = flags.advance_flag(store, args.flag_id, args.status, args.note, args.by)
    out(f"Management review {flag.flag_id} on {flag.case_ref} is now {flag.status}.")
    return 0


def cmd_complete(args) -> int:
    with open_store(args.store) as store:
        result = completion.complete_case(store, args.case)
    for w in result.warnings:
        err(
            f"warning: {w.case_ref} {w.item_key}: note {w.finding.message}: "
            f"{w.finding.text!r} (records are pseudonymous)"
        )
    if not result.completed:
        for m in result.missing:
            out(f"  {m.item_key}\t{m.stage_title}: {gap_text(m)}")
        raise CommandFailed(
            f"{args.case} is not complete: {plural(len(result.missing), 'item')} missing (listed "
            "above; `answer STORE CASE ITEM VALUE` takes the item id on the left)."
        )
    out(f"{args.case} is complete.")
    return 0


def cmd_search(args) -> int:
    with open_store(args.store) as store:
        if args.case:
            cases.get_case(store, args.case)
        found = documents.find_pages(store, args.query, case_ref=args.case, limit=args.limit)
    hits = found.hits
    if args.json:
        print_json(
            {"query": args.query, "total": found.total, "hits": [h.model_dump() for h in hits]}
        )
        return 0
    for h in hits:
        marker = " (recognised text)" if h.recognised else ""
        marker += " (header or footer only)" if h.running_only else ""
        out(f"{h.case_ref}\t{h.title} (p. {h.page}){marker}\t{h.snippet}")
    if not hits:
        out("No matches.")
    elif len(hits) < found.total:
        out(f"{len(hits)} of {found.total} pages; --limit shows more.")
    return 0


def cmd_demo(args) -> int:
    from casereader.demo.store import build_demo

    wants_window = not args.no_gui and not args.screenshot
    if not args.no_gui or args.screenshot:
        from casereader.cli.gui_commands import has_screen

        if not has_screen():
            if wants_window:
                # Qt would abort the interpreter with a long message; one line instead.
                raise CommandFailed(
                    "no screen to open a window on (DISPLAY is not set): run the demo on the "
                    "desktop, or add --no-gui (build it only) or --screenshot PNG."
                )
            os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a picture needs no screen
    secret = _demo_passphrase()
    store_path = build_demo(
        Path(args.dir) if args.dir else None, args.cases, args.seed, secret, log=sys.stderr
    )
    if args.no_gui and not args.screenshot:
        with Store.open(store_path, secret) as store:
            data = status_json(store)
        t = data["totals"]
        out(f"Demo store: {store_path} (passphrase from {_DEMO_SOURCE[0]})")
        out(json.dumps(t))
        return 0
    from casereader.app import run_demo_gui  # Qt only from here on

    return run_demo_gui(store_path, secret, screenshot=args.screenshot)


_DEMO_SOURCE = ["the built-in demo passphrase 'demo-passphrase'"]


def _demo_passphrase() -> str:
    from casereader.process_guard import take_env_secret

    secret = take_env_secret("CASEREADER_PASSPHRASE")
    if secret:
        _DEMO_SOURCE[0] = "CASEREADER_PASSPHRASE"
        return secret
    return "demo-passphrase"
