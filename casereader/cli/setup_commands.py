"""Commands that set a store up: templates, init, the sample and documents imports, the names
list for the notes check, and a reserve case replacing a core case."""

import argparse
import contextlib
from pathlib import Path

from casereader.cli.common import (
    CommandFailed,
    open_store,
    out,
    passphrase,
    plural,
    print_json,
    progress_printer,
)
from casereader.domain.template import available_templates, find_template, template_structure
from casereader.errors import UsageError
from casereader.ingest.documents import ImportReport, import_documents
from casereader.ingest.sample import describe_changes, import_sample
from casereader.store import Store, cases, completion, recognised
from casereader.store.cases import SUBSTITUTION_REASONS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("templates", help="list the record-reading templates in forms/")
    p.add_argument("--json", action="store_true", help="print every template's full structure")
    p.set_defaults(func=cmd_templates)

    p = sub.add_parser("init", help="create a new inspection store")
    p.add_argument("store")
    p.add_argument(
        "--template",
        required=True,
        help="template id, the newest version (see `templates`); ID@VERSION picks a version",
    )
    p.add_argument("--inspection", required=True, help="inspection name")
    p.add_argument("--role", choices=["reader", "coordinator"], default="reader")
    p.add_argument("--reader", help="reader id (required for a reader store), e.g. R1")
    p.add_argument(
        "--no-ocr", action="store_true", help="do not recognise the text of scans at import"
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("import-sample", help="import the sample list (CSV)")
    p.add_argument("store")
    p.add_argument("sample")
    p.add_argument(
        "--force", action="store_true", help="allow the file to move reserve cases into core"
    )
    p.set_defaults(func=cmd_import_sample)

    p = sub.add_parser("import-documents", help="import FOLDER/<case_ref>/<agency>/<files>")
    p.add_argument("store")
    p.add_argument("folder")
    p.add_argument("--json", action="store_true", help="print the import report as JSON")
    p.set_defaults(func=cmd_import_documents)

    p = sub.add_parser("set-names", help="the names list the notes check looks for")
    p.add_argument("store")
    p.add_argument("names", help="a text file, one name a line (# comments allowed)")
    p.set_defaults(func=cmd_set_names)

    p = sub.add_parser("replace", help="a reserve case replaces a core case")
    p.add_argument("store")
    p.add_argument("core")
    p.add_argument("reserve")
    p.add_argument("--reason", required=True, choices=sorted(SUBSTITUTION_REASONS))
    p.add_argument("--note", default="")
    p.add_argument("--by", default="", help="who decided (role), default the store's user")
    p.set_defaults(func=cmd_replace)


def cmd_templates(args) -> int:
    templates = available_templates()
    if args.json:
        print_json([template_structure(t) for t in templates])
        return 0
    for t in templates:
        out(f"{t.id}\t{t.version}\t{t.title}\t{t.sha256}")
    return 0


def cmd_init(args) -> int:
    template_id, at, version = args.template.partition("@")
    if at and not (template_id.strip() and version.strip()):
        raise UsageError(
            f"--template {args.template!r}: write ID or ID@VERSION, e.g. cso-at-home-2025@2025.1"
        )
    template = find_template(template_id.strip(), version=version.strip() if at else None)
    if args.role == "reader" and not args.reader:
        raise UsageError("A reader store needs --reader ID (for example --reader R1).")
    secret = passphrase("New store passphrase: ", confirm=True)
    with Store.create(
        args.store, secret, template, args.inspection, role=args.role, reader_id=args.reader
    ) as store:
        if args.no_ocr:
            recognised.set_enabled(store, False)
        out(f"Created {store.path} ({args.role}, template {template.id} {template.version}).")
    return 0


def cmd_import_sample(args) -> int:
    with open_store(args.store) as store:
        result = import_sample(store, Path(args.sample), force=args.force)
    out(
        f"Sample imported: {plural(result.added, 'case')} added, "
        f"{result.updated} already in the store."
    )
    for line in describe_changes(result):
        out(line)
    return 0


def cmd_import_documents(args) -> int:
    report = ImportReport()
    with open_store(args.store) as store:
        show = progress_printer("Importing")
        # closed inside the store's block: a failure while printing still commits the batch
        with contextlib.closing(import_documents(store, Path(args.folder), report)) as steps:
            for p in steps:
                show(p)
    if args.json:
        print_json(report.to_json())
    else:
        out(report.summary(), lines=True)
    return 0


def cmd_set_names(args) -> int:
    path = Path(args.names)
    if not path.is_file():
        raise CommandFailed(f"{path}: no such file.")
    try:
        names = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as e:
        raise CommandFailed(f"{path.name}: not UTF-8 text.") from e
    with open_store(args.store) as store:
        count = completion.set_identifier_names(store, names)
    out(f"The notes check now looks for {plural(count, 'name')}.")
    return 0


def cmd_replace(args) -> int:
    with open_store(args.store) as store:
        sub = cases.replace_case(store, args.core, args.reserve, args.reason, args.note, args.by)
    out(f"{sub.reserve_ref} replaces {sub.core_ref} ({SUBSTITUTION_REASONS[sub.reason]}).")
    return 0
