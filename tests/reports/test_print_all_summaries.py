"""Every case's summary at once: a file per case, a combined file with contents and bookmarks."""

import multiprocessing

import pypdfium2 as pdfium
import pytest
from reports_fixtures import PRINTED, one_line, page_texts, pdf_text, qpdf_check

from casereader.errors import CaseReaderError
from casereader.reports import (
    file_name,
    gather_summaries,
    lay_out_all,
    summary_workers,
    write_all_summaries,
)
from casereader.reports.summaries import COMBINED_NAME


def run(task):
    try:
        while True:
            next(task)
    except StopIteration as stop:
        return stop.value


@pytest.fixture
def summaries(reader_store):
    return list(gather_summaries(reader_store))


def test_one_file_per_case_and_a_combined_file_with_contents_and_bookmarks(summaries, tmp_path):
    result = run(write_all_summaries(summaries, tmp_path / "out", printed_on=PRINTED))
    assert [p.name for p in result.files] == [file_name(s.case_ref) for s in summaries]
    assert result.combined == tmp_path / "out" / COMBINED_NAME
    combined = result.combined.read_bytes()
    pages = page_texts(combined)
    assert len(pages) == result.pages
    contents = one_line(pages[0])
    assert "Contents" in pages[0] and "Case summaries" in contents
    doc = pdfium.PdfDocument(combined)
    toc = {item.get_title(): item.get_dest().get_index() + 1 for item in doc.get_toc()}
    doc.close()
    assert list(toc) == ["Contents", "SA-001", "SA-002", "SA-003"]
    offset = 0
    for s, path in zip(summaries, result.files, strict=True):
        own = page_texts(path.read_bytes())
        start = toc[s.case_ref]
        # the contents row of the case gives the page its bookmark points at
        row = next(
            line
            for line in pdf_text(combined, layout=True).splitlines()
            if line.strip().startswith(s.case_ref)
        )
        assert row.split()[-1] == str(start)
        assert f"Case summary — {s.case_ref}" in own[0]
        assert f"Case summary — {s.case_ref}" in pages[start - 1]
        assert f"Page 1 of {len(own)}" in own[0]
        assert own == pages[start - 1 : start - 1 + len(own)]
        offset += len(own)
        qpdf_check(path, tmp_path)
    assert offset + 1 == len(pages) or offset + 2 == len(pages)  # the contents' own pages
    qpdf_check(result.combined, tmp_path)


def test_the_files_are_the_same_bytes_when_written_again(summaries, tmp_path):
    first = run(write_all_summaries(summaries, tmp_path / "a", printed_on=PRINTED))
    second = run(write_all_summaries(summaries, tmp_path / "b", printed_on=PRINTED))
    for a, b in zip([*first.files, first.combined], [*second.files, second.combined], strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_progress_names_each_case_and_stopping_leaves_no_file(summaries, tmp_path):
    task = write_all_summaries(summaries, tmp_path / "out", printed_on=PRINTED)
    first = next(task)
    assert (first.done, first.total, first.message) == (0, 4, "SA-001")
    task.close()
    out = tmp_path / "out"
    assert not out.exists() or list(out.iterdir()) == []
    steps = []
    task = write_all_summaries(summaries, tmp_path / "out", printed_on=PRINTED)
    try:
        while True:
            steps.append(next(task))
    except StopIteration:
        pass
    assert [p.message for p in steps][:3] == ["SA-001", "SA-002", "SA-003"]
    assert steps[-1].done == steps[-1].total == 4
    assert not list(out.glob("*.part"))


def test_odd_case_refs_make_safe_file_names():
    assert file_name("SA-001") == "summary-SA-001.pdf"
    assert file_name("../etc/x y") == "summary-etc_x_y.pdf"
    assert file_name("///") == "summary-case.pdf"


def test_parts_laid_out_on_helper_processes_give_the_same_bytes(summaries, monkeypatch):
    # one case a part, so that three parts are shared between this process and a helper
    monkeypatch.setattr(summary_workers, "CASES_PER_PART", 1)
    assert len(summary_workers.plan_parts(summaries, PRINTED)) == 3
    alone = run(lay_out_all(summaries, PRINTED, processes=1))
    shared = run(lay_out_all(summaries, PRINTED, processes=2))
    assert shared.combined == alone.combined
    assert shared.parts == alone.parts
    doc = pdfium.PdfDocument(shared.combined)
    toc = [item.get_title() for item in doc.get_toc()]
    assert toc == ["Contents", "SA-001", "SA-002", "SA-003"]
    doc.close()
    assert not multiprocessing.active_children()


def test_stopping_ends_the_helper_processes(summaries, monkeypatch):
    monkeypatch.setattr(summary_workers, "CASES_PER_PART", 1)
    task = lay_out_all(summaries, PRINTED, processes=3)
    assert next(task).message.startswith("SA-")
    task.close()
    assert not multiprocessing.active_children()


def test_a_failing_layout_is_reported_as_a_clear_error(summaries, monkeypatch):
    def broken(part, started=None):
        raise ValueError("no room for the table")

    monkeypatch.setattr(summary_workers, "lay_out_part", broken)
    with pytest.raises(CaseReaderError, match="Laying out the summaries failed: ValueError"):
        run(lay_out_all(summaries, PRINTED, processes=1))


def test_parts_are_runs_of_cases_of_about_equal_weight(summaries):
    many = summaries * 30  # 90 cases
    parts = summary_workers.plan_parts(many, PRINTED)
    assert len(parts) == summary_workers.MAX_PARTS
    assert [s for p in parts for s in p.summaries] == many
    sizes = [sum(summary_workers.weight(s) for s in p.summaries) for p in parts]
    assert max(sizes) - min(sizes) <= max(summary_workers.weight(s) for s in many)
    assert len(summary_workers.plan_parts(summaries, PRINTED)) == 1


def test_without_helper_processes_the_work_is_done_here(summaries, monkeypatch):
    monkeypatch.setattr(summary_workers, "CASES_PER_PART", 1)

    def refused(self):
        raise OSError(11, "Resource temporarily unavailable")

    with monkeypatch.context() as patched:
        patched.setattr(multiprocessing.process.BaseProcess, "start", refused)
        alone = run(lay_out_all(summaries, PRINTED, processes=3))
    assert alone.combined == run(lay_out_all(summaries, PRINTED, processes=1)).combined
