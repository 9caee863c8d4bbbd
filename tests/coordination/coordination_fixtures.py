"""A coordinator's whole inspection built through real artefacts (no rows written directly).

The coordinator store imports a sample and documents, writes a reading pack for R1, R2 and R3;
each pack is opened into the reader's own store; the readers answer, complete, raise and close
management reviews through the store API as the app does; each reader exports bundles; the
bundles are merged into the coordinator store. Built once per test session; tests copy the store
files before writing (``copy_store``).

The sample (8 cases, fictional):

============  =========  ===========  =============================================
case          group      readers      what the readers did
============  =========  ===========  =============================================
SA-001        core, f-u  R1, R2       R1 grades 4 everywhere; R2 grades 4, but 2 on
                                      assessment and 5 on involvement (gap 2)
SA-002        core       R1, R2, R3   R1 and R2 grade 5; R3 grades 4 with an agreed
                                      grade of 5 on every stage but impact (agreed 3)
SA-003        core       R1           grades 3, good-practice example with its note;
                                      R1 raises a review the coordinator closes
SA-004        core, f-u  R2           grades 4; R2 raises an immediate-risk review,
                                      the coordinator refers it, R2 closes it later
SA-005        core       R3           a few items only (in progress)
SA-006        core       R3           not started; replaced by SA-007
SA-007        reserve    R1           grades 6 (counted in place of SA-006)
SA-008        reserve    R2           grades 2 (counted only with --include-reserve)
============  =========  ===========  =============================================

Bundles: ``R1-1``, ``R2-1``, ``R3-1`` are merged into ``coordinator``; ``R1-2`` (the same work,
one evidence note reworded) and ``R2-2`` (assessment on SA-001 changed from 2 to 3, the SA-004
review closed on R2's laptop) are written but left for the tests to merge.
"""

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path

from casereader.bundle import keys, pack
from casereader.bundle.export import export_bundle
from casereader.bundle.merge import merge_bundles
from casereader.demo.files import generate_inspection_files
from casereader.domain.template import find_template
from casereader.ingest.documents import import_documents
from casereader.ingest.sample import import_sample
from casereader.store import Store, answers, cases, completion, flags

TEMPLATE_ID = "cso-at-home-2025"
TEMPLATE_VERSION = "2025.1"  # the hand-worked figures below count its ten graded stages
PASSPHRASE = "coordination test passphrase"
INSPECTION = "Fictional partnership 2026"
SAMPLE = [
    # case_ref, group, follow_up, age_band, legal_status, readers
    ("SA-001", "core", "yes", "5-11", "CSO at home", "R1;R2"),
    ("SA-002", "core", "no", "0-4", "CSO at home", "R1;R2;R3"),
    ("SA-003", "core", "no", "5-11", "Interim CSO", "R1"),
    ("SA-004", "core", "yes", "12-15", "CSO at home", "R2"),
    ("SA-005", "core", "no", "12-15", "Interim CSO", "R3"),
    ("SA-006", "core", "no", "0-4", "CSO at home", "R3"),
    ("SA-007", "reserve", "no", "5-11", "CSO at home", "R1"),
    ("SA-008", "reserve", "no", "0-4", "Interim CSO", "R2"),
]
READERS = ("R1", "R2", "R3")
SA004_REVIEW = "Police report of an incident at home last month is not in the chronology."
SA003_REVIEW = "No record of who visits at weekends."


@dataclass(frozen=True)
class CoordinatedInspection:
    """Paths of the built inspection (never written to: copy first)."""

    folder: Path
    coordinator: Path  # R1-1, R2-1 and R3-1 merged
    unmerged: Path  # the coordinator store as it was when the packs were written
    readers: dict[str, Path]  # each reader's store after its last export
    bundles: dict[str, Path]  # "R1-1", "R1-2", "R2-1", "R2-2", "R3-1"
    key_file: Path
    recipient: str
    flag_ids: dict[str, str]  # "SA-003", "SA-004" -> the review raised on that case

    def identity(self):
        return keys.load_identity(self.key_file)


def copy_store(source: Path, target: Path) -> Path:
    """A copy of a closed store file (and its WAL, if one was left)."""
    shutil.copyfile(source, target)
    wal = Path(f"{source}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}-wal"))
    return target


def store_bytes(path: Path) -> tuple[bytes, bytes]:
    """The bytes of a store file and its WAL (empty if none), to prove nothing was written."""
    wal = Path(f"{path}-wal")
    return Path(path).read_bytes(), wal.read_bytes() if wal.exists() else b""


def value_for(item, grade: str) -> str:
    """A valid answer of any item kind, graded items taking ``grade``."""
    if item.kind == "grade":
        return grade
    if item.kind == "yes_no":
        return "no"
    if item.kind in ("choice", "multi_choice"):
        return item.options[0].id
    if item.kind == "date":
        return "2024-05" if item.precision == "month" else "2024-05-13"
    if item.kind == "number":
        return str(int(item.min or 0) + 3)
    return "Consistent lead professional; the child's views are recorded."


def answer_all(
    store: Store,
    case_ref: str,
    grade: str,
    grades: dict[str, str] | None = None,
    agreed: dict[str, str] | None = None,
    yes_no: dict[str, str] | None = None,
    complete: bool = True,
) -> None:
    """Answer every item of a case as a reader does (notes everywhere), then complete it."""
    grades, agreed, yes_no = grades or {}, agreed or {}, yes_no or {}
    for stage, item in store.template.items():
        value = value_for(item, grades.get(stage.id, grade))
        if item.kind == "yes_no":
            value = yes_no.get(item.key, value)
        kwargs = {"value": value, "note": f"{stage.title}: evidence in the plan and chronology."}
        if item.key in agreed:
            kwargs["agreed_value"] = agreed[item.key]
        answers.save_answer(store, case_ref, item.key, **kwargs)
    if complete:
        result = completion.complete_case(store, case_ref)
        assert result.completed, result.missing


def _write_sample(path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case_ref", "group", "follow_up", "age_band", "legal_status", "reader"])
        writer.writerows(SAMPLE)


def _read_r1(store: Store) -> dict[str, str]:
    answer_all(store, "SA-001", "4")
    answer_all(store, "SA-002", "5")
    answer_all(store, "SA-003", "3", yes_no={"overall.good_practice": "yes"})
    answers.save_answer(
        store,
        "SA-003",
        "overall.good_practice",
        note="Chronology kept up to date by the family support worker every week.",
    )
    completion.complete_case(store, "SA-003")
    answer_all(store, "SA-007", "6")
    flag = flags.raise_flag(store, "SA-003", "investigate", SA003_REVIEW)
    return {"SA-003": flag.flag_id}


def _read_r2(store: Store) -> dict[str, str]:
    answer_all(store, "SA-001", "4", grades={"assessment": "2", "involvement": "5"})
    answer_all(store, "SA-002", "5", grades={"impact": "3"})
    answer_all(store, "SA-004", "4")
    answer_all(store, "SA-008", "2")
    flag = flags.raise_flag(store, "SA-004", "immediate-risk", SA004_REVIEW)
    return {"SA-004": flag.flag_id}


def _read_r3(store: Store) -> dict[str, str]:
    template = store.template
    agreed = {i.key: "5" for _, i in template.items() if i.kind == "grade"}
    agreed["impact.grade"] = "3"
    answer_all(store, "SA-002", "4", agreed=agreed)
    for _stage, item in template.items()[:5]:
        answers.save_answer(store, "SA-005", item.key, value=value_for(item, "3"))
    return {}


_BUILT: dict[Path, CoordinatedInspection] = {}


def coordinated_inspection(base: Path) -> CoordinatedInspection:
    """Build the inspection once under ``base`` (tmp_path_factory.getbasetemp())."""
    if base in _BUILT:
        return _BUILT[base]
    folder = base / "coordinated-inspection"
    folder.mkdir()
    files = generate_inspection_files(folder / "files", cases=len(SAMPLE), documents=10)
    _write_sample(folder / "sample.csv")
    key_file = folder / "lead.key"
    recipient = keys.generate_identity(key_file)
    coordinator = folder / "coordinator.casereader"
    packs = {}
    with Store.create(
        coordinator,
        PASSPHRASE,
        find_template(TEMPLATE_ID, version=TEMPLATE_VERSION),
        INSPECTION,
        "coordinator",
    ) as store:
        import_sample(store, folder / "sample.csv")
        list(import_documents(store, files.documents_dir))
        cases.replace_case(store, "SA-006", "SA-007", "records_unavailable", who="Lead inspector")
        for reader in READERS:
            packs[reader] = pack.write_pack(
                store, reader, folder / f"{reader}.crpack", recipient=recipient
            )
    unmerged = copy_store(coordinator, folder / "coordinator-unmerged.casereader")
    readers, bundles, flag_ids = {}, {}, {}
    for reader, read in (("R1", _read_r1), ("R2", _read_r2), ("R3", _read_r3)):
        path = folder / f"{reader}.casereader"
        pack.open_pack(packs[reader].path, packs[reader].passphrase, path, PASSPHRASE)
        with Store.open(path, PASSPHRASE) as store:
            flag_ids.update(read(store))
            bundles[f"{reader}-1"] = export_bundle(
                store, [recipient], folder / f"{reader}-1.crbundle"
            ).path
        readers[reader] = path
    with Store.open(coordinator, PASSPHRASE) as store:
        outcomes = merge_bundles(
            store, [bundles[f"{r}-1"] for r in READERS], keys.load_identity(key_file)
        )
        assert [o.outcome for o in outcomes] == ["imported"] * 3, [o.message for o in outcomes]
    with Store.open(readers["R1"], PASSPHRASE) as store:
        answers.save_answer(
            store, "SA-007", "overall.grade", note="Overall: evidence in the plan, reworded."
        )
        completion.complete_case(store, "SA-007")
        bundles["R1-2"] = export_bundle(store, [recipient], folder / "R1-2.crbundle").path
    with Store.open(readers["R2"], PASSPHRASE) as store:
        answers.save_answer(store, "SA-001", "assessment.grade", value="3")
        completion.complete_case(store, "SA-001")
        flags.advance_flag(store, flag_ids["SA-004"], "closed", "Discussed with the lead: safe.")
        bundles["R2-2"] = export_bundle(store, [recipient], folder / "R2-2.crbundle").path
    built = CoordinatedInspection(
        folder, coordinator, unmerged, readers, bundles, key_file, recipient, flag_ids
    )
    _BUILT[base] = built
    return built


def run_cli(*args, passphrase: str | None = PASSPHRASE) -> tuple[int, str, str]:
    """Run the CLI in-process with the store passphrase set; returns (status, stdout, stderr)."""
    import io
    import os
    from contextlib import redirect_stderr, redirect_stdout

    from casereader.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.environ.get("CASEREADER_PASSPHRASE")
    if passphrase is not None:
        os.environ["CASEREADER_PASSPHRASE"] = passphrase
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as e:
                code = e.code
    finally:
        if old is None:
            os.environ.pop("CASEREADER_PASSPHRASE", None)
        else:
            os.environ["CASEREADER_PASSPHRASE"] = old
    return code, out.getvalue(), err.getvalue()
