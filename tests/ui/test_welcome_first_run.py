"""The welcome screen and the new-inspection steps: no visible "&", the first-run hint, menus
that need a store, and Import → Documents… as a cancellable job."""

import re

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWizard

from casereader.domain.template import find_template
from casereader.ingest import documents as ingest_documents
from casereader.ingest.sample import import_sample
from casereader.store import Store, documents
from casereader.ui import import_documents as flow_module
from casereader.ui.main_window import MainWindow
from casereader.ui.new_inspection import NewInspectionWizard
from casereader.ui.prefs import load_prefs, save_prefs

pytestmark = pytest.mark.usefixtures("modal_guard")

SECRET = "import-documents-passphrase"


def shown_text(widget) -> str:
    """The text as the screen shows it: mnemonics taken out where Qt takes them out."""
    text = widget.text()
    if isinstance(widget, QLabel):
        rich = widget.textFormat().name == "RichText" or (
            widget.textFormat().name == "AutoText" and re.search(r"<[a-z]+[ >]", text)
        )
        if rich:
            document = QTextDocument()
            document.setHtml(text)
            return document.toPlainText()
        if widget.buddy() is None:
            return text  # a label without a buddy shows "&" as it is
    return re.sub(r"&(.)", r"\1", text)  # "&&" shows "&": caught as a visible "&" too


def visible_ampersands(root) -> list[str]:
    found = []
    for widget in [*root.findChildren(QAbstractButton), *root.findChildren(QLabel)]:
        shown = shown_text(widget)
        if "&" in shown:
            found.append(f"{type(widget).__name__}: {widget.text()!r} shows {shown!r}")
    return found


def test_shown_text_finds_a_stray_ampersand(qtbot):
    stray = QLabel("Store &file")  # no buddy: the "&" is on the screen
    doubled = QLabel("Care && protection")
    qtbot.addWidget(stray)
    qtbot.addWidget(doubled)
    assert shown_text(stray) == "Store &file"
    assert "&" in shown_text(doubled)


def test_no_visible_ampersand_on_the_welcome_screen_or_in_the_wizard(qtbot):
    window = MainWindow(remember_layout=False)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentWidget() is window.welcome
    assert visible_ampersands(window.welcome) == []
    wizard = NewInspectionWizard()
    qtbot.addWidget(wizard)
    assert visible_ampersands(wizard) == []
    b = QWizard.WizardButton
    for button in (b.NextButton, b.BackButton, b.FinishButton, b.CancelButton):
        assert "&" not in re.sub(r"&(.)", r"\1", wizard.buttonText(button))
    for page_id in wizard.pageIds():
        page = wizard.page(page_id)
        assert "&" not in page.title() + page.subTitle()


def test_first_run_hint_only_without_recent_stores(qtbot, store_copy_path):
    window = MainWindow(remember_layout=False)
    qtbot.addWidget(window)
    window.show()
    welcome = window.welcome
    assert welcome.first_run.isVisible() and not welcome.recent.isVisible()
    hint = shown_text(welcome.first_run).replace("\xa0", " ")
    for what in ("Open reading pack…", "New inspection…", "casereader demo"):
        assert what in hint
    save_prefs(load_prefs().remember_store(store_copy_path))
    welcome.refresh(load_prefs())
    assert not welcome.first_run.isVisible() and welcome.recent.isVisible()
    assert welcome.recent.count() == 1


def test_case_and_view_actions_need_a_store(qtbot, monkeypatch, store_copy_path):
    from casereader.ui import passphrase

    window = MainWindow(remember_layout=False)
    qtbot.addWidget(window)
    window.show()
    titles = {a.text().replace("&", "") for a in window.store_actions}
    assert {"Management review…", "Next case", "Case list", "Viewer", "Back"} <= titles
    assert "Documents…" in titles  # Import → Documents…
    assert all(not a.isEnabled() for a in window.store_actions)
    monkeypatch.setattr(
        passphrase.PassphraseDialog, "ask", classmethod(lambda cls, *a: "test-passphrase")
    )
    assert window.open_store_path(str(store_copy_path))
    assert all(a.isEnabled() for a in window.store_actions)
    window.set_store(None)
    assert all(not a.isEnabled() for a in window.store_actions)
    window.close()


# Import → Documents… ----------------------------------------------------------------------


@pytest.fixture
def empty_store(tmp_path, demo_files_dir):
    """A new reader store with the demo's sample list and no documents yet."""
    path = tmp_path / "new.casereader"
    template = find_template("cso-at-home-2025")
    with Store.create(path, SECRET, template, "Import test (fictional)", "reader", "R1") as s:
        import_sample(s, demo_files_dir / "sample.csv")
    return path


@pytest.fixture
def import_window(qtbot, empty_store, monkeypatch, demo_files_dir):
    shown = []
    monkeypatch.setattr(
        flow_module.DocumentsFolder,
        "ask",
        classmethod(lambda cls, parent: demo_files_dir / "documents"),
    )
    monkeypatch.setattr(flow_module.ImportPassphrase, "ask", classmethod(lambda cls, *a: SECRET))
    monkeypatch.setattr(
        flow_module.ImportResult, "show", classmethod(lambda cls, *a: shown.append(a))
    )
    window = MainWindow(Store.open(empty_store, SECRET), remember_layout=False)
    qtbot.addWidget(window)
    window.show()
    window.shown_results = shown
    yield window
    window.close()


def documents_of(store_path) -> list:
    with Store.open(store_path, SECRET) as store:
        return documents.list_documents(store)


def test_import_documents_from_the_app(qtbot, import_window, empty_store, demo_files_dir):
    action = next(a for a in import_window.store_actions if a.text() == "&Documents…")
    assert documents_of(empty_store) == []
    action.trigger()
    flow = import_window.documents_flow
    with qtbot.waitSignal(flow.done, timeout=60_000):
        pass
    report = flow.report
    imported = documents_of(empty_store)
    files = [p for p in (demo_files_dir / "documents").rglob("*") if p.is_file()]
    assert report.imported == len(imported) > 1 and not report.cancelled
    assert len(files) == report.imported + report.duplicates + len(report.skipped)
    ((_parent, shown_report, *_note),) = import_window.shown_results
    assert shown_report is report
    assert report.headline().startswith(f"Imported {report.imported} documents")
    # the case list counts them at once
    rows = {r.case_ref: r for r in import_window.case_list.model.rows()}
    assert sum(r.documents for r in rows.values()) == len(imported)

    # again: nothing new, said in the singular/plural the counts need
    import_window.shown_results.clear()
    action.trigger()
    with qtbot.waitSignal(import_window.documents_flow.done, timeout=60_000):
        pass
    again = import_window.documents_flow.report
    assert again.imported == 0 and again.duplicates == report.imported
    assert again.headline().startswith("Imported 0 documents;")


def test_cancelled_import_keeps_whole_documents_only(
    qtbot, import_window, empty_store, monkeypatch
):
    real_write = ingest_documents._write
    written = []

    def write_then_cancel(store, cand, result):
        outcome = real_write(store, cand, result)
        written.append(outcome)
        if len(written) == 2:
            import_window.documents_flow.runner.job.cancel()  # the reader presses Cancel
        return outcome

    monkeypatch.setattr(ingest_documents, "_write", write_then_cancel)
    import_window.import_documents()
    flow = import_window.documents_flow
    with qtbot.waitSignal(flow.done, timeout=60_000):
        pass
    assert flow.report.cancelled and flow.report.imported == 2
    ((_parent, report, note),) = import_window.shown_results
    assert "cancelled" in note.lower() and report.headline().startswith("Imported 2 documents")
    kept = documents_of(empty_store)
    assert len(kept) == 2
    with Store.open(empty_store, SECRET) as store:
        for doc in kept:  # each whole: its bytes, and its text for every page it has
            assert documents.content(store, doc.id)
            pages = documents.page_text(store, doc.id)
            assert len(pages) == max(doc.page_count, 1) or doc.page_count == 0


def test_a_folder_without_case_folders_is_refused_and_nothing_changes(
    qtbot, import_window, empty_store, monkeypatch, tmp_path
):
    wrong = tmp_path / "not-documents"
    (wrong / "misc").mkdir(parents=True)
    (wrong / "misc" / "a.txt").write_text("nothing", encoding="utf-8")
    monkeypatch.setattr(flow_module.DocumentsFolder, "ask", classmethod(lambda cls, p: wrong))
    warnings = []
    monkeypatch.setattr(
        flow_module.QMessageBox, "warning", staticmethod(lambda *a: warnings.append(a[2]))
    )
    import_window.import_documents()
    with qtbot.waitSignal(import_window.documents_flow.failed, timeout=30_000):
        pass
    assert "no folder here is named after a case" in warnings[0]
    assert documents_of(empty_store) == []
    assert import_window.shown_results == []


def test_cancelling_the_folder_or_the_passphrase_starts_nothing(
    qtbot, import_window, empty_store, monkeypatch, demo_files_dir
):
    monkeypatch.setattr(flow_module.DocumentsFolder, "ask", classmethod(lambda cls, p: None))
    import_window.import_documents()
    assert import_window.documents_flow.runner is None
    folder = demo_files_dir / "documents"  # the folder chosen, the passphrase cancelled
    monkeypatch.setattr(flow_module.DocumentsFolder, "ask", classmethod(lambda cls, p: folder))
    monkeypatch.setattr(flow_module.ImportPassphrase, "ask", classmethod(lambda cls, *a: None))
    import_window.import_documents()
    assert import_window.documents_flow.runner is None
    assert documents_of(empty_store) == []
    assert QApplication.activeModalWidget() is None


def test_the_result_counts_are_plural_correct():
    from casereader.ingest.documents import FileOutcome, ImportReport

    report = ImportReport(
        files=[
            FileOutcome("A/HEALTH/a.pdf", "A", "imported", repaired=True),
            FileOutcome("A/HEALTH/b.pdf", "A", "skipped", "encrypted"),
            FileOutcome("A/HEALTH/c.pdf", "A", "duplicate"),
        ]
    )
    first, counts = flow_module.result_lines(report)
    assert first == "Imported 1 document."
    assert counts.startswith("1 document repaired") and "1 file skipped" in counts
    assert "1 document already in the store" in counts
    report.files.append(FileOutcome("A/HEALTH/d.pdf", "A", "imported"))
    assert flow_module.result_lines(report)[0] == "Imported 2 documents."
    clean = ImportReport(files=[FileOutcome("A/HEALTH/e.pdf", "A", "imported")])
    assert flow_module.result_lines(clean) == ("Imported 1 document.", "")  # no zero counts
    assert report.headline() == (
        "Imported 2 documents (1 repaired); 1 already in the store; 1 skipped."
    )
