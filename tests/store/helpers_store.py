"""Small builders shared by the store tests (fictional data only)."""

import hashlib
from pathlib import Path

from casereader.domain.template import find_template
from casereader.store import Store, cases
from casereader.store.cases import CaseIn

PASSPHRASE = "correct horse battery staple"
TEMPLATE_ID = "cso-at-home-2025"


def template():
    """The shipped CSO-at-home template every store test uses."""
    return find_template(TEMPLATE_ID)


def create_store(path: Path, reader: str = "R1", role: str = "reader") -> Store:
    """A new, empty reader store at path."""
    return Store.create(path, PASSPHRASE, template(), "Example partnership", role, reader)


def add_cases(store: Store, core: int = 10, reserve: int = 4) -> list[str]:
    """Cases SA-001… (core first, then reserve), assigned to the store's reader."""
    rows = [
        CaseIn(
            case_ref=f"SA-{n:03d}",
            sample_group="core" if n <= core else "reserve",
            follow_up=n % 4 == 0,
            age_band="5-11",
            legal_status="CSO at home",
            readers=[store.reader_id],
        )
        for n in range(1, core + reserve + 1)
    ]
    with store.db.atomic():
        cases.upsert_cases(store, rows)
    return [r.case_ref for r in rows]


def digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None when there is no such file."""
    path = Path(path)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def folder_state(folder: Path) -> dict[str, str | None]:
    """Every file in a folder (recursively) with its digest: to prove nothing was written."""
    return {
        str(p.relative_to(folder)): digest(p)
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file()
    }
