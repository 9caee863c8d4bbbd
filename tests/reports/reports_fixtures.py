"""A reader's store with everything a summary prints (fictional data), and PDF helpers."""

import hashlib
import subprocess
from pathlib import Path

from casereader.domain.template import find_template
from casereader.store import Store, answers, cases, documents, flags
from casereader.store.cases import CaseIn
from casereader.store.documents import DocumentIn

PASSPHRASE = "printing test passphrase"
INSPECTION = "Fictional partnership 2026 – Mòrag’s team"
GAELIC = "Mòrag Nic a' Phearsain – café “quoted”"
PRINTED = "2026-03-14"


def add_document(store: Store, case_ref: str, title: str, agency: str, date: str) -> str:
    content = f"{case_ref} {title} {agency} {date}".encode()
    sha = hashlib.sha256(content).hexdigest()
    documents.add_document(
        store,
        DocumentIn(
            case_ref,
            sha,
            agency,
            date,
            "name",
            title,
            "txt",
            3,
            f"{title}.txt",
            content,
            ["one", "two", "three"],
        ),
    )
    return sha


def value_for(item, grade: str) -> str:
    if item.kind == "grade":
        return grade
    if item.kind == "yes_no":
        return "yes"
    if item.kind in ("choice", "multi_choice"):
        return item.options[0].id
    if item.kind == "date":
        return "2024-05" if item.precision == "month" else "2024-05-13"
    if item.kind == "number":
        return str(int(item.min or 0) + 3)
    return f"The worker {GAELIC} recorded the child's views."


def build_reader_store(path: Path) -> Path:
    """SA-001 answered in full with grades 1–6 and N/A, notes with citations, an agreed grade,
    and a review referred and answered; SA-002 half answered; SA-003 untouched."""
    template = find_template("cso-at-home-2025")
    with Store.create(path, PASSPHRASE, template, INSPECTION, "reader", "R1") as store:
        rows = [
            CaseIn("SA-001", "core", True, "5-11", "CSO at home", ["R1"]),
            CaseIn("SA-002", "core", False, "0-4", "Interim CSO", ["R1"]),
            CaseIn("SA-003", "reserve", False, "12-15", "CSO at home", ["R1"]),
        ]
        with store.db.atomic():
            cases.upsert_cases(store, rows)
        chronology = add_document(store, "SA-001", "Chronology", "Social work", "2024-03-12")
        police = add_document(store, "SA-001", "Concern report", "Police", "2024-06-01")
        graded = [s for s in template.stages if s.grade_item is not None]
        grades = ["6", "5", "4", "3", "2", "1", "na", "unable"]
        for n, stage in enumerate(graded):
            grade = grades[n % len(grades)]
            for item in stage.items:
                value = value_for(item, grade)
                note = ""
                if item.kind == "grade":
                    note = f"Note for {stage.title}: {GAELIC} — evidence in the chronology."
                answers.save_answer(store, "SA-001", item.key, value=value, note=note)
                if item.kind == "grade":
                    answers.add_evidence_link(
                        store, "SA-001", item.key, chronology, 2, "Chronology"
                    )
        answers.save_answer(store, "SA-001", graded[2].grade_item.key, agreed_value="5")
        answers.add_evidence_link(store, "SA-001", graded[0].grade_item.key, police, 1, "Police")
        for _stage, item in template.items()[:6]:
            answers.save_answer(store, "SA-002", item.key, value=value_for(item, "4"))
        flag = flags.raise_flag(
            store, "SA-001", "immediate-risk", f"Police report not in the chronology; {GAELIC}."
        )
        flags.advance_flag(store, flag.flag_id, "referred", "Sent to the partnership lead.")
        flags.advance_flag(store, flag.flag_id, "response_received", "Lead replied same day.")
    return path


def pdf_text(path_or_bytes, layout: bool = False) -> str:
    """pdftotext of a PDF file or bytes (with layout: a table row stays on one line)."""
    args = ["pdftotext", *(["-layout"] if layout else [])]
    if isinstance(path_or_bytes, bytes):
        result = subprocess.run(
            [*args, "-", "-"], input=path_or_bytes, capture_output=True, check=True
        )
    else:
        result = subprocess.run([*args, str(path_or_bytes), "-"], capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def page_texts(data: bytes) -> list[str]:
    return pdf_text(data).split("\f")[:-1] or [pdf_text(data)]


def qpdf_check(path_or_bytes, tmp_path: Path) -> None:
    path = Path(path_or_bytes) if not isinstance(path_or_bytes, bytes) else None
    if path is None:
        path = tmp_path / "checked.pdf"
        path.write_bytes(path_or_bytes)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def one_line(text: str) -> str:
    """Whitespace collapsed, so words broken over lines by the layout still match."""
    return " ".join(text.split())
