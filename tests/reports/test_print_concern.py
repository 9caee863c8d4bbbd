"""The concern form: one page, the review's facts and lifecycle, room for the response."""

import dataclasses

import pytest
from reports_fixtures import GAELIC, PRINTED, one_line, page_texts, pdf_text, qpdf_check

from casereader.errors import CaseReaderError
from casereader.reports import build_concern, gather_concern
from casereader.store import flags


def test_the_form_prints_the_review_on_one_page(reader_store, tmp_path):
    concern = gather_concern(reader_store, "SA-001")
    data = build_concern(concern, tmp_path / "c.pdf", printed_on=PRINTED)
    pages = page_texts(data)
    assert len(pages) == 1
    text = one_line(pages[0])
    for expected in [
        "Concern about a child",
        "SA-001",
        "Immediate risk to a child",
        "5-11",
        "CSO at home",
        f"Police report not in the chronology; {GAELIC}.",
        "Raised by",
        "R1",
        "Referred to the partnership",
        "Sent to the partnership lead.",
        "Response received",
        "Lead replied same day.",
        "Chronology (Social work, 2024-03-12), page 2",
        "Concern report (Police, 2024-06-01), page 1",
        "Response from the partnership lead",
        "Action taken",
        "Signature",
        "Date",
        "Name",
    ]:
        assert one_line(expected) in text, expected
    assert concern.flag.flag_id in text.replace(" ", "")  # the id may wrap in its cell
    assert text.count("OFFICIAL-SENSITIVE") == 2 and "Page 1 of 1" in text
    qpdf_check(tmp_path / "c.pdf", tmp_path)
    assert build_concern(concern, printed_on=PRINTED) == data


def test_a_very_long_description_still_fits_one_page(reader_store):
    concern = gather_concern(reader_store, "SA-001")
    flag = concern.flag.model_copy(update={"description": "A long account. " * 400})
    data = build_concern(dataclasses.replace(concern, flag=flag), printed_on=PRINTED)
    assert len(page_texts(data)) == 1
    assert "Signature" in pdf_text(data)


def test_which_review_is_printed(reader_store):
    only = flags.list_flags(reader_store, "SA-001")[0]
    assert gather_concern(reader_store, "SA-001", only.flag_id[:8]).flag.flag_id == only.flag_id
    second = flags.raise_flag(reader_store, "SA-001", "other", "Second concern.")
    with pytest.raises(CaseReaderError, match="2 management reviews; choose one with --flag"):
        gather_concern(reader_store, "SA-001")
    assert gather_concern(reader_store, "SA-001", second.flag_id).flag.description == (
        "Second concern."
    )
    with pytest.raises(CaseReaderError, match="no management review 'nope'"):
        gather_concern(reader_store, "SA-001", "nope")
    with pytest.raises(CaseReaderError, match="SA-002 has no management review"):
        gather_concern(reader_store, "SA-002")
    with pytest.raises(CaseReaderError, match="No case 'SA-999'"):
        gather_concern(reader_store, "SA-999")
