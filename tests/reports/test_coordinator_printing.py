"""Printing from a coordinator's merged store: every reader's value, and the counted one."""

from coordination_fixtures import PASSPHRASE, copy_store
from reports_fixtures import PRINTED, one_line, pdf_text

from casereader.reports import build_report, build_summary, gather_summary
from casereader.store import Store
from casereader.store.coordination.analysis import analyse
from casereader.store.coordination.moderation import moderate


def test_a_double_read_summary_shows_both_readers_and_the_moderated_value(coordinated, tmp_path):
    path = copy_store(coordinated.coordinator, tmp_path / "c.casereader")
    with Store.open(path, PASSPHRASE) as store:
        s = gather_summary(store, "SA-001")
        assert [r.label for r in s.readers] == ["Reader A (R1)", "Reader B (R2)"]
        text = one_line(pdf_text(build_summary(s, printed_on=PRINTED)))
        assert "Reader A (R1)" in text and "Reader B (R2)" in text
        assert "Unresolved: readers differ" in text  # assessment 4 vs 2
        moderate(store, "SA-001", "assessment.grade", "3", "Agreed at the meeting: adequate.")
        s = gather_summary(store, "SA-001")
        line = next(x for x in s.items if x.item.key == "assessment.grade")
        assert line.moderated_value == "3" and line.counted_value == "3"
        text = one_line(pdf_text(build_summary(s, printed_on=PRINTED)))
        assert "Agreed at the meeting: adequate." in text
        assert "Moderated" in text
        three = gather_summary(store, "SA-002")
        assert len(three.readers) == 3
        text = one_line(pdf_text(build_summary(three, printed_on=PRINTED)))
        assert "Agreed with the paired inspector" in text  # R3's agreed grades
        report = one_line(
            pdf_text(build_report(analyse(store).to_json(), store.template, printed_on=PRINTED))
        )
        assert "Agreement between readers" in report
        assert "No record of who visits at weekends." in report
