"""Commands for keys, bundles and reading packs: keygen, export, verify, merge, pack, open-pack.

A passphrase-protected key file's passphrase comes from CASEREADER_KEY_PASSPHRASE or is asked
on the terminal, like the store's (CASEREADER_PASSPHRASE) and the pack's
(CASEREADER_PACK_PASSPHRASE).
"""

import argparse
from pathlib import Path

from casereader.bundle import keys
from casereader.bundle.export import default_recipients, export_bundle
from casereader.bundle.merge import BundleOutcome, merge_bundles, verify_bundle
from casereader.bundle.pack import open_pack, write_pack
from casereader.cli import review_reports
from casereader.cli.common import (
    PACK_PASSPHRASE_ENV,
    CommandFailed,
    err,
    open_store,
    out,
    passphrase,
    print_json,
    progress_printer,
)
from casereader.domain.wording import plural
from casereader.store import completion

KEY_PASSPHRASE_ENV = "CASEREADER_KEY_PASSPHRASE"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keygen", help="make the lead inspector's key; prints the recipient age1…")
    p.add_argument("--out", required=True, help="the key file to write (never overwritten)")
    p.add_argument(
        "--no-protect",
        action="store_true",
        help=(
            "write the key unprotected (for tests only); by default it is protected by a "
            f"strong passphrase (asked, or {KEY_PASSPHRASE_ENV})"
        ),
    )
    p.set_defaults(func=cmd_keygen)

    p = sub.add_parser("export", help="write the reader's encrypted, signed bundle")
    p.add_argument("store")
    p.add_argument(
        "--recipient",
        action="append",
        default=[],
        help="age1… to encrypt to (repeatable; default: the lead inspector's, from the pack)",
    )
    p.add_argument("--recipients-file", help="a file of recipients, one age1… a line")
    p.add_argument("--out", required=True, help="the bundle file, e.g. R1.crbundle")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument("--json", action="store_true", help="say what was written as JSON")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("verify", help="check a bundle without importing it")
    p.add_argument("bundle")
    p.add_argument("--identity", required=True, help="the lead inspector's key file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("merge", help="import readers' bundles into the coordinator store")
    p.add_argument("store")
    p.add_argument("bundles", nargs="+", metavar="BUNDLE")
    p.add_argument("--identity", required=True, help="the lead inspector's key file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("pack", help="write a reader's reading pack (prints its passphrase)")
    p.add_argument("store")
    p.add_argument("--reader", required=True, help="the reader id, e.g. R2")
    p.add_argument("--out", required=True, help="the pack file, e.g. R2.crpack")
    p.add_argument(
        "--recipient", help="the lead inspector's age1… (remembered in the store after the first)"
    )
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=cmd_pack)

    p = sub.add_parser("open-pack", help="create the reader's store from a reading pack")
    p.add_argument("pack")
    p.add_argument("store", help="the new store file to create")
    p.set_defaults(func=cmd_open_pack)


def _key_passphrase(confirm: bool = False) -> str:
    return passphrase("Key passphrase: ", env=KEY_PASSPHRASE_ENV, confirm=confirm)


def need_file(path, what: str) -> Path:
    """`path` as a Path, or CommandFailed (exit 1) in one line if there is no such file."""
    path = Path(path)
    if not path.exists():
        raise CommandFailed(f"{what} {path}: no such file; check the path.")
    if not path.is_file():
        raise CommandFailed(f"{what} {path}: is a folder, not a file; check the path.")
    return path


def load_identity(path: str):
    """The lead inspector's identity, asking for its passphrase if the file is protected."""
    key_file = need_file(path, "key file")
    secret = _key_passphrase() if keys.is_protected(key_file) else None
    return keys.load_identity(key_file, secret)


def cmd_keygen(args) -> int:
    secret = None if args.no_protect else _key_passphrase(confirm=True)
    recipient = keys.generate_identity(Path(args.out), secret)
    protected = "" if args.no_protect else " (protected by its passphrase)"
    out(f"Secret key written to {args.out}{protected}; keep it safe and never send it.")
    out("Give readers this recipient:")
    out(recipient)
    return 0


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(
        [
            plural(counts.get("answers", 0), "answer", "answers"),
            plural(counts.get("evidence_links", 0), "evidence link", "evidence links"),
            plural(counts.get("flags", 0), "management review", "management reviews"),
            plural(counts.get("cases", 0), "case status", "case statuses"),
            plural(counts.get("audit_entries", 0), "audit entry", "audit entries"),
        ]
    )


def cmd_export(args) -> int:
    recipients = list(args.recipient)
    if args.recipients_file:
        recipients += keys.read_recipients_file(need_file(args.recipients_file, "recipients file"))
    with open_store(args.store) as store:
        if not recipients:
            recipients = default_recipients(store)
        for w in completion.check_notes(store):
            err(
                f"warning: {w.case_ref} {w.item_key}: note {w.finding.message}: "
                f"{w.finding.text!r} (records are pseudonymous)"
            )
        result = export_bundle(store, recipients, Path(args.out), overwrite=args.force)
    if args.json:
        print_json(
            {
                "file": str(result.path),
                "sequence": result.sequence,
                "reader_id": result.reader_id,
                "fingerprint": result.fingerprint,
                "sha256": result.sha256,
                "recipients": list(result.recipients),
                "counts": result.counts,
                "reviews": review_reports.export_reviews_json(result.reviews),
            }
        )
        return 0
    out(f"Bundle {result.sequence} written to {result.path}: {_counts_text(result.counts)}.")
    out(
        f"Signed by {result.reader_id}, key fingerprint {result.fingerprint}; encrypted to "
        f"{plural(len(result.recipients), 'recipient', 'recipients')}."
    )
    review_reports.print_export_reviews(result.reviews)
    return 0


def cmd_verify(args) -> int:
    need_file(args.bundle, "bundle")
    identity = load_identity(args.identity)
    bundle = verify_bundle(Path(args.bundle), identity)
    m = bundle.manifest
    if args.json:
        print_json(
            {
                "file": bundle.file_name,
                "valid": True,
                "reader_id": m.reader_id,
                "fingerprint": bundle.fingerprint,
                "inspection": {"id": m.inspection_id, "name": m.inspection_name},
                "template": m.template.model_dump(),
                "sequence": m.sequence,
                "created_at": m.created_at,
                "app_version": m.app_version,
                "counts": m.counts,
            }
        )
        return 0
    out(f"{bundle.file_name}: valid bundle, signature and every member's SHA-256 checked.")
    out(f"Reader: {m.reader_id} (key fingerprint {bundle.fingerprint})")
    out(f"Inspection: {m.inspection_name} ({m.inspection_id})")
    out(f"Template: {m.template.id} {m.template.version}")
    out(f"Sequence: {m.sequence}, created {m.created_at}")
    out(f"Contents: {_counts_text(m.counts)}")
    return 0


_LABELS = {"imported": "IMPORTED", "unchanged": "UNCHANGED", "refused": "REFUSED"}


def _summary(outcomes: list[BundleOutcome]) -> str:
    counts = {k: sum(o.outcome == k for o in outcomes) for k in _LABELS}
    return (
        f"{counts['imported']} imported, {counts['unchanged']} unchanged, "
        f"{counts['refused']} refused."
    )


def cmd_merge(args) -> int:
    for bundle in args.bundles:
        need_file(bundle, "bundle")
    identity = load_identity(args.identity)
    with open_store(args.store) as store:
        outcomes = merge_bundles(store, [Path(b) for b in args.bundles], identity)
    if args.json:
        print_json(
            {
                "arrived_reviews": review_reports.merge_reviews_json(outcomes),
                "store": str(args.store),
                "bundles": [o.to_json() for o in outcomes],
                "imported": sum(o.outcome == "imported" for o in outcomes),
                "unchanged": sum(o.outcome == "unchanged" for o in outcomes),
                "refused": sum(o.outcome == "refused" for o in outcomes),
            }
        )
    else:
        review_reports.print_merge_reviews(outcomes)
        for o in outcomes:
            key = f" (key {o.fingerprint})" if o.fingerprint else ""
            out(f"{_LABELS[o.outcome]:<10} {o.file}{key}: {o.message}")
        out(_summary(outcomes))
    refused = [o for o in outcomes if not o.ok]
    for o in refused:
        err(f"casereader: {o.file}: refused: {o.message}")
    return 1 if refused else 0


def cmd_pack(args) -> int:
    with open_store(args.store) as store:
        result = write_pack(
            store,
            args.reader,
            Path(args.out),
            recipient=args.recipient,
            overwrite=args.force,
            progress=progress_printer("Packing documents"),
        )
    size_mb = result.size / (1024 * 1024)
    out(
        f"Reading pack for {result.reader_id} written to {result.path}: "
        f"{plural(result.cases, 'case', 'cases')}, "
        f"{plural(result.documents, 'document', 'documents')} ({size_mb:.1f} MB)."
    )
    out(
        f"{result.reader_id}'s signing key {result.fingerprint} is enrolled (any earlier key of "
        f"{result.reader_id} is revoked); only bundles signed with it are merged."
    )
    out(f"Give {result.reader_id} this one-off passphrase separately, never with the file:")
    out(result.passphrase)
    return 0


def cmd_open_pack(args) -> int:
    need_file(args.pack, "reading pack")
    pack_secret = passphrase("Pack passphrase (the coordinator's words): ", env=PACK_PASSPHRASE_ENV)
    store_secret = passphrase("New store passphrase: ", confirm=True)
    opened = open_pack(
        Path(args.pack),
        pack_secret,
        Path(args.store),
        store_secret,
        progress=progress_printer("Opening documents"),
    )
    out(
        f"Created {opened.reader_id}'s store {opened.store_path} for {opened.inspection_name}: "
        f"{plural(opened.cases, 'case', 'cases')}, "
        f"{plural(opened.documents, 'document', 'documents')}."
    )
    return 0
