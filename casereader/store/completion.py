"""Marking a case complete, and the notes check that runs before completion and export."""

from dataclasses import dataclass

from casereader.domain.completeness import Missing, missing_for_completion
from casereader.domain.identifiers import Finding, find_identifiers
from casereader.store import answers, cases
from casereader.store.store import Store

NAMES_SETTING = "identifier_names"


@dataclass(frozen=True)
class NoteWarning:
    case_ref: str
    item_key: str
    finding: Finding


@dataclass(frozen=True)
class CompletionResult:
    completed: bool
    missing: list[Missing]
    warnings: list[NoteWarning]


def identifier_names(store: Store) -> list[str]:
    """The coordinator's list of names the notes check looks for."""
    text = store.setting(NAMES_SETTING, "") or ""
    return [n.strip() for n in text.splitlines() if n.strip() and not n.startswith("#")]


def set_identifier_names(store: Store, names: list[str]) -> int:
    clean = sorted({n.strip() for n in names if n.strip() and not n.strip().startswith("#")})
    with store.db.atomic():
        store.set_setting(NAMES_SETTING, "\n".join(clean))
        store.audit("names.updated", new=str(len(clean)))
    return len(clean)


def check_notes(store: Store, case_refs: list[str] | None = None) -> list[NoteWarning]:
    """Likely identifiers (CHI, date of birth, postcode, listed names) in the reader's notes."""
    names = identifier_names(store)
    sql = "SELECT case_ref, item_key, note FROM answers WHERE reader_id = ? AND note != ''"
    params: list = [store.reader_id]
    if case_refs is not None:
        sql += f" AND case_ref IN ({','.join('?' * len(case_refs))})"
        params += case_refs
    warnings = []
    for ref, key, note in store.db.execute(sql + " ORDER BY case_ref, item_key", params):
        for finding in find_identifiers(note, names):
            warnings.append(NoteWarning(ref, key, finding))
    flag_sql = "SELECT case_ref, description FROM flags WHERE reader_id = ?"
    for ref, text in store.db.execute(flag_sql, [store.reader_id]).fetchall():
        if case_refs is None or ref in case_refs:
            warnings += [
                NoteWarning(ref, "management_review", f) for f in find_identifiers(text, names)
            ]
    return warnings


def complete_case(store: Store, case_ref: str) -> CompletionResult:
    """Complete the case if nothing required is missing; always report the notes check."""
    cases.get_case(store, case_ref)
    missing = missing_for_completion(store.template, answers.answer_map(store, case_ref))
    warnings = check_notes(store, [case_ref])
    if missing:
        return CompletionResult(False, missing, warnings)
    with store.db.atomic():
        cases.set_reader_status(store, case_ref, "complete")
    return CompletionResult(True, [], warnings)
