"""`purge`: remove a store at the end of an inspection (SPEC §8)."""

import argparse
import sys

from casereader.cli.common import passphrase
from casereader.domain.wording import plural
from casereader.store.purge import purge


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "purge",
        help="remove a store with its -wal, -shm, lock and backups (after an export)",
        description="Remove STORE and every file that belongs to it (-wal, -shm, the lock file "
        "and the backups taken before migrations), overwriting each before it is unlinked. "
        "Refused until a bundle or reading pack has been made from the store, unless --force.",
    )
    p.add_argument("store")
    p.add_argument("--force", action="store_true", help="remove it even if it was never exported")
    p.set_defaults(func=cmd_purge)


def cmd_purge(args) -> int:
    # The passphrase proves the store was exported; --force removes it without looking inside.
    secret = None if args.force else passphrase()
    removed = purge(args.store, secret, force=args.force)
    for item in removed:
        print(item.line())
    total = sum(r.size for r in removed)
    print(f"Removed {plural(len(removed), 'file')} ({total:,} bytes).", file=sys.stdout)
    return 0
