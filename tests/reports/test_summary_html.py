"""The summary as HTML (the app's answers view): the printed summary's content, no paper."""

import re
from html import unescape

from coordination_fixtures import PASSPHRASE, copy_store
from reports_fixtures import GAELIC, INSPECTION, one_line, pdf_text

from casereader.reports import build_summary, gather_summary
from casereader.reports.summary_html import (
    HtmlColours,
    evidence_href,
    parse_evidence_href,
    summary_html,
)
from casereader.store import Store
from casereader.store.coordination.moderation import moderate


def plain(page: str) -> str:
    """The page's words, as one line (tags dropped, entities decoded)."""
    return one_line(unescape(re.sub(r"<[^>]+>", " ", page)).replace("\xa0", " "))


def test_the_page_holds_what_the_summary_prints(reader_store):
    s = gather_summary(reader_store, "SA-001")
    page = summary_html(s)
    text = plain(page)
    printed = one_line(pdf_text(build_summary(s, printed_on="2026-03-14")))
    for expected in [
        INSPECTION,
        "SA-001",
        "5-11",
        "CSO at home",
        GAELIC,
        "Chronology (Social work, 2024-03-12), page 2",
        "Concern report (Police, 2024-06-01), page 1",
        "Agreed with the paired inspector",
        "Immediate risk to a child",
        "Sent to the partnership lead.",
        "Lead replied same day.",
        "Completeness",
    ]:
        assert one_line(expected) in text, expected
        assert one_line(expected) in printed, expected  # the same content as the print
    stages = {line.stage_title for line in s.items}
    for title in stages:
        assert f">{title}</h2>" in page.replace("&#x27;", "'"), title
    for line in s.items:
        assert one_line(line.item.label) in text, line.item.label
        reading = line.readings[0]
        if reading.note.strip():
            assert one_line(reading.note) in text
        if line.item.kind == "grade" and reading.value and reading.value.isdigit():
            point = s.template.scale.point(int(reading.value))
            # the number and its label, beside the scale's colour
            assert f"{reading.value} – {point.label}" in text
            assert f"background-color:{point.colour}" in page
    for word in ("Not applicable", "Unable to evaluate"):
        assert word in text


def test_unanswered_items_and_missing_requirements_are_named(reader_store):
    s = gather_summary(reader_store, "SA-002")
    text = plain(summary_html(s))
    assert "— not answered" in text
    assert "still missing:" in text
    assert "No management review has been raised on this case." in text


def test_the_page_escapes_what_readers_typed_and_takes_the_palette(reader_store):
    from casereader.store import answers

    key = reader_store.template.items()[-1][1].key
    answers.save_answer(reader_store, "SA-003", key, note="<b>not bold</b> & <script>x</script>")
    page = summary_html(
        gather_summary(reader_store, "SA-003"), HtmlColours(text="#e0e0e0", muted="#a0a0a0")
    )
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "color:#e0e0e0" in page and "color:#a0a0a0" in page


def test_a_coordinator_page_shows_every_reader_and_the_value_counted(coordinated, tmp_path):
    path = copy_store(coordinated.coordinator, tmp_path / "c.casereader")
    with Store.open(path, PASSPHRASE) as store:
        text = plain(summary_html(gather_summary(store, "SA-001")))
        assert "Reader A (R1)" in text and "Reader B (R2)" in text and "Counted" in text
        assert "Unresolved: readers differ" in text
        moderate(store, "SA-001", "assessment.grade", "3", "Agreed at the meeting: adequate.")
        text = plain(summary_html(gather_summary(store, "SA-001")))
        assert "Agreed at the meeting: adequate." in text and "Moderated" in text
        three = plain(summary_html(gather_summary(store, "SA-002")))
        assert "Agreed with the paired inspector" in three


def test_citations_link_to_their_page(reader_store):
    s = gather_summary(reader_store, "SA-001")
    cite = next(c for line in s.items for r in line.readings for c in r.citations)
    assert cite.document_sha256
    assert f"href='{evidence_href(cite.document_sha256, cite.page)}'" in summary_html(s)
    assert parse_evidence_href(evidence_href("ab12", 3)) == ("ab12", 3)
    assert parse_evidence_href(evidence_href("ab12", None)) == ("ab12", 1)
    for other in ("https://example.org/", "evidence:", "evidence:ab12/", "evidence:ab12/x"):
        assert parse_evidence_href(other) is None
