"""The per-case summary: what it prints, that it is valid, reproducible, and survives size."""

import dataclasses
import subprocess

import pytest
from reports_fixtures import GAELIC, INSPECTION, PRINTED, one_line, page_texts, pdf_text, qpdf_check

from casereader.reports import build_summary, gather_summary
from casereader.reports.chips import luminance, text_on
from casereader.reports.summary_data import ItemLine, Reading

GRADE_LABELS = [
    "Excellent",
    "Very good",
    "Good",
    "Adequate",
    "Weak",
    "Unsatisfactory",
    "Not applicable",
    "Unable to evaluate",
]


@pytest.fixture
def summary(reader_store):
    return gather_summary(reader_store, "SA-001")


def test_the_summary_prints_every_fact_answer_note_and_citation(summary):
    data = build_summary(summary, printed_on=PRINTED)
    text = one_line(pdf_text(data))
    for expected in [
        INSPECTION,
        f"cso-at-home-2025 version {summary.template_version}",
        "SA-001",
        "Core",
        "5-11",
        "CSO at home",
        "R1:",
        GAELIC,
        "Printed 2026-03-14",
        "Chronology (Social work, 2024-03-12), page 2",
        "Concern report (Police, 2024-06-01), page 1",
        "Agreed with the paired inspector",
        "Immediate risk to a child",
        "Referred to the partnership",
        "Response received",
        "Sent to the partnership lead.",
        "Lead replied same day.",
        "Completeness",
    ]:
        assert one_line(expected) in text, expected
    for label in GRADE_LABELS:
        assert label in text, label
    for line in summary.items:
        if line.item.kind == "grade":
            assert one_line(line.readings[0].note) in text
            assert one_line(line.item.label) in text
    layout = pdf_text(data, layout=True)
    assert any("Follow-up" in row and "Yes" in row for row in layout.splitlines())


def test_every_page_is_marked_in_header_and_footer_and_numbered(summary):
    pages = page_texts(build_summary(summary, printed_on=PRINTED))
    assert len(pages) >= 2
    for n, page in enumerate(pages, 1):
        assert page.count("OFFICIAL-SENSITIVE") == 2, n
        assert f"Page {n} of {len(pages)}" in page


def test_the_grade_number_is_printed_beside_its_label(summary):
    text = pdf_text(build_summary(summary, printed_on=PRINTED), layout=True)
    # the chip prints the number; the label follows on the same line
    for grade, label in [(6, "Excellent"), (2, "Weak"), (1, "Unsatisfactory")]:
        assert any(f"{grade}" in line and label in line for line in text.splitlines()), label


def test_a_half_read_case_lists_what_is_missing_and_unanswered_items(reader_store):
    s = gather_summary(reader_store, "SA-002")
    text = one_line(pdf_text(build_summary(s, printed_on=PRINTED)))
    assert "— not answered" in text
    assert "still missing" in text
    for gap in s.readers[0].missing[:5]:
        assert one_line(gap) in text
    assert "No management review has been raised on this case." in text


def test_a_built_summary_is_valid_and_byte_identical_when_built_again(summary, tmp_path):
    first = build_summary(summary, tmp_path / "a.pdf", printed_on=PRINTED)
    second = build_summary(summary, tmp_path / "b.pdf", printed_on=PRINTED)
    assert first == second == (tmp_path / "a.pdf").read_bytes()
    assert build_summary(summary, printed_on="2026-03-15") != first
    qpdf_check(tmp_path / "a.pdf", tmp_path)


def test_the_shipped_unicode_font_is_embedded(summary, tmp_path):
    path = tmp_path / "s.pdf"
    build_summary(summary, path, printed_on=PRINTED)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts and "DejaVuSans-Bold" in fonts
    assert "Helvetica" not in fonts


def test_two_hundred_long_notes_still_print(summary, tmp_path):
    base = [line for line in summary.items if line.item.kind == "grade"]
    long_note = " ".join(
        [
            "The chronology was not kept up to date and the plan did not say who "
            "would visit at weekends."
        ]
        * 14
    )
    lines = []
    for n in range(200):
        line = base[n % len(base)]
        reading = dataclasses.replace(line.readings[0], note=f"Note {n:03d}. {long_note}")
        lines.append(dataclasses.replace(line, readings=(reading,)))
    big = dataclasses.replace(summary, items=tuple(lines))
    data = build_summary(big, printed_on=PRINTED)
    pages = page_texts(data)
    assert len(pages) > 40
    text = one_line(pdf_text(data))
    assert "Note 000." in text and "Note 199." in text
    qpdf_check(data, tmp_path)


def test_a_note_longer_than_a_page_flows_across_pages(summary):
    line = next(line for line in summary.items if line.item.kind == "grade")
    words = " ".join(f"word{n:04d}" for n in range(2500))
    reading = dataclasses.replace(line.readings[0], note=words)
    big = dataclasses.replace(summary, items=(dataclasses.replace(line, readings=(reading,)),))
    text = one_line(pdf_text(build_summary(big, printed_on=PRINTED)))
    assert "word0000" in text and "word2499" in text


def test_a_long_text_answer_is_written_out_in_full_below_the_table(summary):
    item_line = next(line for line in summary.items if line.item.kind == "text")
    answer = "Recorded in full. " * 60 + "The last words of the answer."
    reading = dataclasses.replace(item_line.readings[0], value=answer)
    s = dataclasses.replace(summary, items=(dataclasses.replace(item_line, readings=(reading,)),))
    text = one_line(pdf_text(build_summary(s, printed_on=PRINTED)))
    assert "(in full below)" in text
    assert "The last words of the answer." in text


def test_markup_in_notes_is_printed_as_text(summary):
    line = next(line for line in summary.items if line.item.kind == "grade")
    reading = dataclasses.replace(
        line.readings[0], note="<b>not bold</b> & <font size=40>x</font> \x07bell"
    )
    s = dataclasses.replace(summary, items=(dataclasses.replace(line, readings=(reading,)),))
    text = one_line(pdf_text(build_summary(s, printed_on=PRINTED)))
    assert "<b>not bold</b> & <font size=40>x</font> bell" in text


def test_grade_chips_read_in_black_and_white(summary):
    # the number on the chip contrasts with its fill at least 4.5:1 (WCAG AA), which holds in
    # grey as well, since a greyscale printer keeps luminance
    for point in summary.template.scale.points:
        from reportlab.lib import colors

        fill = colors.HexColor(point.colour)
        lf, lt = luminance(fill), luminance(text_on(fill))
        ratio = (max(lf, lt) + 0.05) / (min(lf, lt) + 0.05)
        assert ratio >= 4.5, (point.grade, ratio)


def test_a_coordinator_style_summary_shows_each_reader_and_the_counted_value(summary):
    line = next(line for line in summary.items if line.item.kind == "grade")
    a = Reading("R1", "Reader A (R1)", "4", None, "Reader A's note.", ())
    b = Reading("R2", "Reader B (R2)", "2", None, "Reader B's note.", ())
    differing = ItemLine(line.stage_id, line.stage_title, line.item, (a, b), state="differs")
    moderated = dataclasses.replace(
        differing,
        moderated_value="3",
        rationale="Met and agreed.",
        moderator="Lead",
        state="moderated",
    )
    s = dataclasses.replace(summary, coordinator=True, items=(differing,))
    text = one_line(pdf_text(build_summary(s, printed_on=PRINTED)))
    assert "Reader A (R1)" in text and "Reader B (R2)" in text
    assert "Unresolved: readers differ" in text
    assert "Good" in text and "Weak" in text
    s = dataclasses.replace(summary, coordinator=True, items=(moderated,))
    text = one_line(pdf_text(build_summary(s, printed_on=PRINTED)))
    assert "Adequate" in text and "Moderated" in text and "Met and agreed." in text
