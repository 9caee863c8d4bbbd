"""Building the demo inspection's store from the generated files (SPEC §9 `demo`)."""

from pathlib import Path
from typing import TextIO

from casereader.demo.files import DemoDocument, generate_inspection_files
from casereader.demo.record_facts import (
    PRESENT_ITEMS,
    CaseRecords,
    evidence_source,
    facts_from_records,
    review_description,
)
from casereader.domain.template import find_template
from casereader.domain.values import note_required
from casereader.domain.wording import plural
from casereader.ingest.documents import ImportReport, import_documents
from casereader.ingest.sample import import_sample
from casereader.paths import user_dir
from casereader.store import Store, answers, cases, completion, documents, flags

DEMO_READER = "R1"
DEMO_TEMPLATE = "cso-at-home-2025"
STORE_NAME = "demo.casereader"


def default_dir() -> Path:
    return user_dir() / "demo"


def build_demo(
    folder: Path | None,
    case_count: int,
    seed: int,
    passphrase: str,
    log: TextIO | None = None,
) -> Path:
    """Generate the fictional files and a reader store over them; reuse a store already built.

    The demo store is reader R1's store holding the whole sample, so that every screen has
    something to show; a few answers, one completed case and one open management review are
    added as R1.
    """
    folder = Path(folder) if folder else default_dir()
    store_path = folder / STORE_NAME
    if store_path.exists():
        _say(log, f"Using the demo inspection already built at {store_path}")
        return store_path
    folder.mkdir(parents=True, exist_ok=True)
    _say(log, f"Generating a fictional inspection of {plural(case_count, 'case')} in {folder} …")
    files = generate_inspection_files(folder / "files", cases=case_count, seed=seed)
    partial = store_path.with_name(STORE_NAME + ".part")
    for leftover in folder.glob(STORE_NAME + ".part*"):
        leftover.unlink()
    template = find_template(DEMO_TEMPLATE)
    with Store.create(
        partial, passphrase, template, "Demo partnership (fictional)", "reader", DEMO_READER
    ) as store:
        import_sample(store, files.sample_csv)
        report = ImportReport()
        for _ in import_documents(store, files.documents_dir, report):
            pass
        _say(log, report.summary().splitlines()[0])
        completion.set_identifier_names(store, files.names_file.read_text().splitlines())
        _add_demo_answers(store, files.manifest)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(store_path)
    return store_path


def _add_demo_answers(store: Store, generated: list[DemoDocument]) -> None:
    """A few answers as R1, each agreeing with the documents generated for its case."""
    template = store.template
    item_keys = set(template.item_keys())
    refs = [c.case_ref for c in cases.list_cases(store) if c.sample_group == "core"]
    grades = ["4", "3", "5", "2", "4", "4", "3", "5", "6", "4", "3", "4"]
    flagged = refs[1] if len(refs) > 1 else None
    # One case answered in full and completed, three part-answered.
    for n, ref in enumerate(refs[:4]):
        records = CaseRecords(d for d in generated if d.case_ref == ref)
        facts = _case_facts(store, ref) | facts_from_records(records, item_keys)
        if ref == flagged and not records.has_ird and "initial_response.ird_held" in item_keys:
            facts["initial_response.ird_held"] = "no"  # the review says one was needed
        planned = _planned_answers(template, facts, grades, n)
        items = template.items() if n == 0 else template.items()[: 8 + 6 * n]
        for stage, item in items:
            value = planned[item.key]
            note = _note(stage, item, value, records)
            answers.save_answer(store, ref, item.key, value=value, note=note)
        if n == 0:
            completion.complete_case(store, ref)
    if flagged is not None:
        records = CaseRecords(d for d in generated if d.case_ref == flagged)
        flags.raise_flag(store, flagged, "immediate-risk", review_description(records))


# Stages where work that stalls shows as drift or delay in the record.
_DRIFT_STAGES = ("planning", "review", "intervention")


def _planned_answers(template, facts: dict[str, str], grades: list[str], n: int) -> dict[str, str]:
    """A whole case's answers: facts copied from the case, grades from the demo's list, and
    the answers that follow from those grades made to agree with them."""
    planned = {
        item.key: facts.get(item.key)
        or facts.get(item.id)
        or _demo_value(item, grades[(i + n) % len(grades)])
        for i, (_, item) in enumerate(template.items())
    }
    involvement = planned.get("involvement.grade")
    for key in ("involvement.child_relationship", "involvement.parents_relationship"):
        if key in planned and involvement is not None:
            planned[key] = "yes" if int(involvement) >= 4 else "no"
    if "overall.drift_delay" in planned:
        weak = [s for s in _DRIFT_STAGES if planned.get(f"{s}.grade", "6") in ("1", "2")]
        planned["overall.drift_delay"] = "yes" if weak else "no"
    return planned


def _note(stage, item, value: str, records: CaseRecords) -> str:
    source = evidence_source(records)
    if item.kind == "grade":
        if stage.id in PRESENT_ITEMS and not records.present(stage.id):
            return f"{stage.title}: none found in the records of any agency read for this case."
        return (
            f"{stage.title}: evidence from {source}; the lead professional's recording was "
            "clear about the risks."
        )
    if not note_required(item, value):
        return ""
    if item.id == "drift_delay":
        return (
            "The child's plan was not reviewed for seven months after the change of worker; "
            "the agreed support for the parents did not start in that time."
        )
    if item.id == "good_practice":
        return "The lead professional's direct work with the child, recorded in their own words."
    return f"{item.label}: see {source}."


_LEGAL_OPTIONS = {"CSO at home": "cso_home", "Interim CSO": "interim_cso"}
_AGENCY_OPTIONS = {"Social work": "social_work", "Health": "health", "Education": "education",
                   "Police": "police", "SCRA": "scra", "Third sector": "third_sector"}  # fmt: skip


def _case_facts(store: Store, case_ref: str) -> dict[str, str]:
    """Answers a reader copies from the case itself: age band, legal status, the agencies
    read and the period the records cover (so the demo's answers agree with its case)."""
    case = cases.get_case(store, case_ref)
    docs = documents.timeline(store, case_ref)
    dates = sorted(d.doc_date for d in docs if d.doc_date)
    agencies = sorted({_AGENCY_OPTIONS[d.agency] for d in docs if d.agency in _AGENCY_OPTIONS})
    facts = {
        "age_band": "age_" + case.age_band.replace("-", "_"),
        "agencies_read": ";".join(agencies),
        "registration_status": (
            "registered" if "register" in case.legal_status.lower() else "not_registered"
        ),
    }
    if case.legal_status in _LEGAL_OPTIONS:
        facts["legal_status"] = _LEGAL_OPTIONS[case.legal_status]
    if dates:
        facts["review_from"], facts["review_to"] = dates[0][:7], dates[-1][:7]
    return {k: v for k, v in facts.items() if v}


def _demo_value(item, grade: str) -> str:
    if item.kind == "grade":
        return grade
    if item.kind == "yes_no":
        return "yes" if int(grade) >= 4 else "no"
    if item.kind == "choice":
        return item.options[0].id
    if item.kind == "multi_choice":
        return ";".join(o.id for o in item.options[:2])
    if item.kind == "date":
        return "2024-05" if item.precision == "month" else "2024-05-13"
    if item.kind == "number":
        return str(int(item.min or 0) + 14)
    return "Consistent lead professional; the child's views are recorded in their own words."


def _say(log: TextIO | None, text: str) -> None:
    if log is not None:
        log.write(text + "\n")
        log.flush()
