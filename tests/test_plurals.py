"""Counts in words: "1 evidence link", "2 evidence links", through one helper everywhere."""

import re
from pathlib import Path

import pytest

from casereader.bundle.merge import _describe
from casereader.cli.bundle_commands import _counts_text
from casereader.domain.wording import noun, plural
from casereader.ingest.documents import FileOutcome, ImportReport

PACKAGE = Path(__file__).resolve().parents[1] / "casereader"


@pytest.mark.parametrize(
    ("count", "one", "many", "said"),
    [
        (1, "document", "", "1 document"),
        (0, "document", "", "0 documents"),
        (2, "evidence link", "", "2 evidence links"),
        (1, "case summary", "case summaries", "1 case summary"),
        (3, "case summary", "case summaries", "3 case summaries"),
    ],
)
def test_plural(count, one, many, said):
    assert plural(count, one, many) == said
    assert noun(count, one, many) == said.split(" ", 1)[1]


def test_bundle_counts_say_one_in_the_singular():
    counts = {"answers": 1, "evidence_links": 1, "flags": 1, "cases": 1, "audit_entries": 2}
    for text in (_describe(counts), _counts_text(counts)):
        assert "1 answer," in text and "1 evidence link," in text
        assert "1 management review," in text and "1 case status" in text
    assert "2 evidence links" in _describe({"evidence_links": 2})


def test_imported_one_document():
    report = ImportReport(files=[FileOutcome("A/HEALTH/a.pdf", "A", "imported")])
    assert report.summary().startswith("Imported 1 document;")


def test_the_case_list_says_one_open_management_review(qapp):
    from PySide6.QtCore import Qt

    from casereader.store.models import CaseOverview
    from casereader.ui.case_model import REF, REVIEW, CaseListModel

    row = CaseOverview(case_ref="SA-001", sample_group="core", follow_up=False, age_band="0-4",
                       legal_status="", readers=["R1"], status="in_progress", documents=1,
                       answered=1, required=1, required_answered=1, open_flags=1)  # fmt: skip
    model = CaseListModel()
    model.set_rows([row])
    tip = Qt.ItemDataRole.ToolTipRole
    assert "1 open management review<" in model.index(0, REVIEW).data(tip)
    assert "1 document" in model.index(0, REF).data(tip)
    assert "documents" not in model.index(0, REF).data(tip)


def test_no_count_is_put_into_the_plural_by_hand():
    """Every count with a noun goes through domain/wording.py (no `'s' if n != 1` left)."""
    by_hand = re.compile(r"""["']s["']\s*(if|\*)|\+\s*\(?["']s["']""")
    found = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "wording.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if by_hand.search(line)
    ]
    assert found == []
