"""The welcome screen and the new-inspection wizard: every bad input, then a real import."""

import pytest

from casereader.store import Store, cases, documents
from casereader.ui import new_inspection
from casereader.ui.main_window import MainWindow
from casereader.ui.prefs import Prefs
from casereader.ui.welcome import NewInspectionFlow, NewInspectionWizard, WelcomeScreen

pytestmark = pytest.mark.usefixtures("modal_guard")

SECRET = "new-inspection-passphrase"


@pytest.fixture
def wizard(qtbot):
    w = NewInspectionWizard()
    qtbot.addWidget(w)
    return w


def fill(wizard, tmp_path, demo_files_dir, **changes):
    """Fill every page with good values, then apply changes (field name → text)."""
    page = wizard.inspection
    page.name.setText("Joint inspection, Example partnership (fictional)")
    page.reader.setText("R2")
    wizard.store.path.setText(str(tmp_path / "mine"))
    wizard.store.passphrase.setText(SECRET)
    wizard.store.again.setText(SECRET)
    wizard.imports.sample.setText(str(demo_files_dir / "sample.csv"))
    wizard.imports.folder.setText(str(demo_files_dir / "documents"))
    for name, text in changes.items():
        owner = next(
            p for p in (wizard.inspection, wizard.store, wizard.imports) if hasattr(p, name)
        )
        getattr(owner, name).setText(text)


def test_good_answers_make_a_spec(wizard, tmp_path, demo_files_dir):
    fill(wizard, tmp_path, demo_files_dir)
    for page in (wizard.inspection, wizard.store, wizard.imports):
        assert page.validatePage(), page.error.text()
    spec = wizard.result_spec()
    assert spec.store_path == tmp_path / "mine.casereader"
    assert spec.role == "reader" and spec.reader_id == "R2"
    assert spec.template_id in {"cso-at-home-2025", "risk-of-harm-2021"}
    assert spec.documents_dir == demo_files_dir / "documents"


def test_the_template_box_offers_every_version_newest_first(wizard, tmp_path, demo_files_dir):
    box = wizard.inspection.template_box
    offered = [box.itemData(i) for i in range(box.count())]
    assert offered == [
        ("cso-at-home-2025", "2025.2"),
        ("cso-at-home-2025", "2025.1"),
        ("risk-of-harm-2021", "2021.2"),
        ("risk-of-harm-2021", "2021.1"),
    ]
    assert box.currentIndex() == 0 and "2025.2" in box.currentText()
    fill(wizard, tmp_path, demo_files_dir)
    box.setCurrentIndex(offered.index(("risk-of-harm-2021", "2021.1")))
    spec = wizard.result_spec()
    assert (spec.template_id, spec.template_version) == ("risk-of-harm-2021", "2021.1")


def test_coordinator_needs_no_reader_id(wizard, tmp_path, demo_files_dir):
    fill(wizard, tmp_path, demo_files_dir, reader="")
    wizard.inspection.role_box.setCurrentIndex(1)
    assert not wizard.inspection.reader.isEnabled()
    assert wizard.inspection.validatePage()
    assert wizard.result_spec().reader_id == "" and wizard.result_spec().role == "coordinator"


@pytest.mark.parametrize(
    ("page", "changes", "message"),
    [
        ("inspection", {"name": "   "}, "Give the inspection a name."),
        ("inspection", {"reader": ""}, "A reader store needs a reader id"),
        ("store", {"path": ""}, "Choose where to save the store."),
        ("store", {"path": "/no/such/folder/x"}, "The folder /no/such/folder does not exist."),
        ("store", {"passphrase": "short", "again": "short"}, "at least 10 characters"),
        ("store", {"passphrase": "password1234", "again": "password1234"}, "too easy to guess"),
        ("store", {"again": "something else"}, "The two passphrases differ."),
        ("imports", {"sample": ""}, "Choose the sample list (CSV)."),
        ("imports", {"sample": "/no/such/sample.csv"}, "no such file"),
        ("imports", {"folder": "/no/such/folder"}, "/no/such/folder: no such folder."),
    ],
)
def test_each_bad_answer_is_refused_with_a_reason(wizard, tmp_path, demo_files_dir, page, changes,
                                                  message):  # fmt: skip
    fill(wizard, tmp_path, demo_files_dir, **changes)
    target = getattr(wizard, page)
    assert not target.validatePage()
    assert message in target.error.text()


def test_existing_store_and_broken_sample_are_refused(wizard, tmp_path, demo_files_dir):
    (tmp_path / "taken.casereader").write_bytes(b"")
    fill(wizard, tmp_path, demo_files_dir, path=str(tmp_path / "taken"))
    assert not wizard.store.validatePage()
    assert "already exists" in wizard.store.error.text()
    bad = tmp_path / "bad.csv"
    bad.write_text("case_ref,group\nSA-1,core\nSA-2,sideways\n", encoding="utf-8")
    fill(wizard, tmp_path, demo_files_dir, sample=str(bad))
    assert not wizard.imports.validatePage()
    assert "line 3" in wizard.imports.error.text() and "sideways" in wizard.imports.error.text()
    assert [p.name for p in tmp_path.glob("*.casereader")] == ["taken.casereader"]


def test_new_inspection_imports_as_a_job_and_reports(qtbot, tmp_path, demo_files_dir,
                                                     monkeypatch):  # fmt: skip
    parent = WelcomeScreen(Prefs())
    qtbot.addWidget(parent)
    wizard = NewInspectionWizard()
    qtbot.addWidget(wizard)
    fill(wizard, tmp_path, demo_files_dir)
    reports = []
    monkeypatch.setattr(new_inspection, "show_import_report",
                        lambda parent, report, note="": reports.append((report, note)))  # fmt: skip
    flow = NewInspectionFlow(parent, wizard.result_spec())
    with qtbot.waitSignal(flow.created, timeout=120_000) as created:
        assert flow.start()
    assert created.args == [str(tmp_path / "mine.casereader"), SECRET]
    report, note = reports[0]
    assert note == "" and report.imported > 50 and not report.cancelled
    with Store.open(tmp_path / "mine.casereader", SECRET) as store:
        assert store.reader_id == "R2"
        assert len(cases.list_cases(store)) == 3
        assert len(documents.list_documents(store)) == report.imported


def test_flow_refuses_a_store_it_cannot_create(qtbot, tmp_path, demo_files_dir, monkeypatch):
    parent = WelcomeScreen(Prefs())
    qtbot.addWidget(parent)
    wizard = NewInspectionWizard()
    qtbot.addWidget(wizard)
    fill(wizard, tmp_path, demo_files_dir)
    spec = wizard.result_spec()
    spec.store_path.write_bytes(b"someone else's file")
    warnings = []

    def warn(parent, title, text):
        warnings.append(text)

    monkeypatch.setattr(new_inspection.QMessageBox, "warning", staticmethod(warn))
    assert not NewInspectionFlow(parent, spec).start()
    assert "already there" in warnings[0]
    assert spec.store_path.read_bytes() == b"someone else's file"


def test_welcome_lists_recent_stores_and_opens_one(qtbot, demo_store_path, tmp_path):
    prefs = (
        Prefs().remember_store(tmp_path / "moved-away.casereader").remember_store(demo_store_path)
    )
    screen = WelcomeScreen(prefs)
    qtbot.addWidget(screen)
    assert screen.recent.count() == 1  # the moved store is not offered
    with qtbot.waitSignal(screen.open_requested) as opened:
        screen.recent.itemActivated.emit(screen.recent.item(0))
    assert opened.args == [str(demo_store_path.resolve())]
    for button in (screen.open_button, screen.new_button, screen.pack_button):
        assert button.accessibleName()


def test_wizard_cancelled_creates_nothing(qtbot, monkeypatch, tmp_path):
    window = MainWindow()
    qtbot.addWidget(window)
    monkeypatch.setattr(NewInspectionWizard, "ask", classmethod(lambda cls, parent: None))
    window.welcome.new_inspection()
    assert window.welcome.flow is None and window.store is None
    assert list(tmp_path.glob("**/*.casereader")) == []


def test_created_store_opens_in_the_window(qtbot, store_copy_path):
    window = MainWindow()
    qtbot.addWidget(window)
    window.welcome.created.emit(str(store_copy_path), "test-passphrase")
    assert window.store is not None and window.stack.currentWidget() is window.reading
    window.close()
