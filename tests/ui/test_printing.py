"""Printing from the app: the print path onto a QPrinter writing a PDF file, the print dialog's
"Save as PDF…", the flows as jobs (and cancelling), and when the actions are enabled."""

import subprocess

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget

from casereader.reports import build_summary, gather_summary
from casereader.ui.printing import dialogs, flows
from casereader.ui.printing.dialogs import PrintOrSave
from casereader.ui.printing.flows import PrintFlow
from casereader.ui.printing.pdf_print import PdfPrintJob, a4_printer

pytestmark = pytest.mark.usefixtures("modal_guard")


def pdf_file_printer(path, dpi: int = 72) -> QPrinter:
    printer = a4_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(dpi)
    return printer


def pages_of(path) -> int:
    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def test_the_generated_pages_print_onto_a_printer(qtbot, store, tmp_path):
    data = build_summary(gather_summary(store, "SA-001"))
    out = tmp_path / "printed.pdf"
    job = PdfPrintJob(None, data, pdf_file_printer(out))
    progress = []
    job.progress.connect(lambda done, total: progress.append((done, total)))
    with qtbot.waitSignal(job.finished, timeout=60_000) as done:
        job.start()
    expected = pages_of_bytes(data)
    assert done.args == [expected]
    assert progress[-1] == (expected, expected)
    assert pages_of(out) == expected
    assert subprocess.run(["qpdf", "--check", str(out)], capture_output=True).returncode == 0
    # the printed page is the summary's page: dark marking and text near the top, not blank
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")],
        check=True,
    )
    image = QImage(str(next(tmp_path.glob("page*.png"))))
    dark = sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if QImage.pixelColor(image, x, y).lightness() < 128
    )
    assert dark > 200


def pages_of_bytes(data: bytes) -> int:
    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def test_printing_a_page_range_and_cancelling(qtbot, store, tmp_path):
    data = build_summary(gather_summary(store, "SA-001"))
    printer = pdf_file_printer(tmp_path / "two.pdf")
    printer.setFromTo(2, 3)
    job = PdfPrintJob(None, data, printer)
    with qtbot.waitSignal(job.finished, timeout=60_000) as done:
        job.start()
    assert done.args == [3] and pages_of(tmp_path / "two.pdf") == 2
    job = PdfPrintJob(None, data, pdf_file_printer(tmp_path / "none.pdf"))
    job.progress.connect(lambda *_: job.cancel())
    with qtbot.waitSignal(job.cancelled, timeout=60_000):
        job.start()


def test_unreadable_bytes_fail_with_a_message(qtbot, tmp_path):
    job = PdfPrintJob(None, b"%PDF-1.4 not really", pdf_file_printer(tmp_path / "x.pdf"))
    with qtbot.waitSignal(job.failed, timeout=10_000) as failed:
        job.start()
    assert "could not be read" in failed.args[0]


def test_the_print_dialog_has_save_as_pdf_beside_print(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    clicked = []

    def press_save():
        dialog = QApplication.activeModalWidget()
        box = dialog.findChild(QDialogButtonBox)
        save = next(b for b in box.buttons() if b.text() == "Save as PDF…")
        clicked.append(dialog.windowTitle())
        save.click()

    QTimer.singleShot(100, press_save)
    assert PrintOrSave.ask(parent, a4_printer(), "the case summary of SA-001", 4) == "save"
    assert clicked == ["Print the case summary of SA-001"]


def flow_for(qtbot, store, monkeypatch, choice: str, tmp_path):
    parent = QWidget()
    qtbot.addWidget(parent)
    monkeypatch.setattr(PrintOrSave, "ask", classmethod(lambda cls, *a: choice))
    monkeypatch.setattr(flows, "a4_printer", lambda: pdf_file_printer(tmp_path / "out.pdf"))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    return PrintFlow(parent, store)


def test_print_case_summary_prints(qtbot, store, monkeypatch, tmp_path):
    flow = flow_for(qtbot, store, monkeypatch, "print", tmp_path)
    with qtbot.waitSignal(flow.done, timeout=60_000) as done:
        flow.case_summary("SA-001")
    assert done.args == ["printed"]
    assert pages_of(tmp_path / "out.pdf") == flow.generated.pages >= 2


def test_print_concern_form_saves_the_pdf(qtbot, store, monkeypatch, tmp_path):
    flow = flow_for(qtbot, store, monkeypatch, "save", tmp_path)
    target = tmp_path / "concern.pdf"
    monkeypatch.setattr(dialogs.SaveTarget, "ask_file", classmethod(lambda cls, *a: target))
    with qtbot.waitSignal(flow.done, timeout=60_000) as done:
        flow.concern_form("SA-002")
    assert done.args == ["saved"]
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
    assert "Concern about a child" in text and "SA-002" in text


def test_all_summaries_run_as_a_job_then_save_every_file(qtbot, store, monkeypatch, tmp_path):
    flow = flow_for(qtbot, store, monkeypatch, "save", tmp_path)
    folder = tmp_path / "folder"
    monkeypatch.setattr(dialogs.SaveTarget, "ask_folder", classmethod(lambda cls, *a: folder))
    with qtbot.waitSignal(flow.done, timeout=120_000) as done:
        flow.all_summaries()
    assert done.args == ["saved"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "all-summaries.pdf",
        "summary-SA-001.pdf",
        "summary-SA-002.pdf",
        "summary-SA-003.pdf",
    ]


def test_the_report_job_prints(qtbot, store, monkeypatch, tmp_path):
    flow = flow_for(qtbot, store, monkeypatch, "print", tmp_path)
    with qtbot.waitSignal(flow.done, timeout=120_000) as done:
        flow.analysis_report()
    assert done.args == ["printed"]
    assert pages_of(tmp_path / "out.pdf") == flow.generated.pages


def test_cancelling_the_all_summaries_job(qtbot, store, monkeypatch, tmp_path):
    flow = flow_for(qtbot, store, monkeypatch, "print", tmp_path)
    with qtbot.waitSignal(flow.done, timeout=120_000) as done:
        flow.all_summaries()
        flow.runner.cancel()
    assert done.args == ["cancelled"]
    assert not (tmp_path / "out.pdf").exists()


def test_the_print_actions_follow_the_case(qtbot, store):
    from casereader.ui.main_window import MainWindow

    window = MainWindow(store, remember_layout=False)
    qtbot.addWidget(window)
    actions = window.printing.actions
    window.case_list.select_case("SA-001")
    window.printing.refresh()
    assert actions.case_summary.isEnabled() and actions.all_summaries.isEnabled()
    assert actions.report.isEnabled() and not actions.concern.isEnabled()
    window.case_list.select_case("SA-002")
    window.printing.refresh()
    assert actions.concern.isEnabled()
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    for text in (
        "Print case &summary…",
        "Print &all summaries…",
        "Print analysis &report…",
        "Print c&oncern form…",
    ):
        assert text in texts
    window.set_store(None)
    assert not actions.case_summary.isEnabled() and not actions.report.isEnabled()
