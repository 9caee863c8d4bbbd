"""The app's merge report lists the management reviews that arrived first: immediate risk at
the top and in red, with case, reader, category and when it was raised."""

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bundle"))

from test_export_fixtures import (  # noqa: E402
    COORDINATOR_PASSPHRASE,
    READER_PASSPHRASE,
    copy_store,
    shared_inspection,
)

from casereader.bundle.export import export_bundle  # noqa: E402
from casereader.store import Store, flags  # noqa: E402
from casereader.ui import bundles  # noqa: E402
from casereader.ui.bundles import dialogs  # noqa: E402
from casereader.ui.style import review_text_color  # noqa: E402

pytestmark = pytest.mark.usefixtures("modal_guard")


@pytest.fixture(scope="module")
def inspection(tmp_path_factory):
    return shared_inspection(tmp_path_factory.getbasetemp())


def test_the_merge_report_puts_arrived_reviews_first(qtbot, inspection, tmp_path, monkeypatch):
    reader = copy_store(inspection.readers["R1"], tmp_path / "R1.casereader")
    with Store.open(reader, READER_PASSPHRASE) as store:
        ref = store.db.execute("SELECT case_ref FROM flags").fetchone()[0]
        risk = flags.raise_flag(store, ref, "immediate-risk", "Child alone <b>overnight</b>.")
        bundle = export_bundle(store, [inspection.recipient], tmp_path / "R1.crbundle").path
    coordinator = copy_store(inspection.coordinator, tmp_path / "coordinator.casereader")
    request = bundles.ImportRequest([bundle], inspection.key_file, None)
    monkeypatch.setattr(bundles.ImportDialog, "ask", classmethod(lambda cls, p: request))
    shown = []
    monkeypatch.setattr(
        bundles.ImportResultDialog, "show_results", classmethod(lambda cls, p, o: shown.append(o))
    )
    monkeypatch.setattr(dialogs, "warn", lambda *a: None)
    parent = QWidget()
    qtbot.addWidget(parent)
    with Store.open(coordinator, COORDINATOR_PASSPHRASE) as store:
        bundles.import_bundles(parent, store)
    dialog = bundles.ImportResultDialog(None, shown[0])
    qtbot.addWidget(dialog)
    dialog.resize(980, 420)
    dialog.show()
    panel = dialog.reviews
    assert panel.isVisible()
    layout = dialog.layout()
    assert layout.indexOf(panel) < layout.indexOf(dialog.table)  # above the bundles
    assert "1 of immediate risk to a child" in panel.heading.text()
    model = panel.model
    assert model.rowCount() == 2
    top = [model.index(0, c).data() for c in range(model.columnCount())]
    assert top[:3] == [ref, "R1", "Immediate risk to a child"]
    assert top[3] and top[4] == "New review"
    assert top[6] == "Child alone <b>overnight</b>."  # shown as plain text
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) == review_text_color()
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(1, 2).data() == "Concern needing further investigation"
    assert panel.model.reviews()[0].flag_id == risk.flag_id
    dialog.grab().save(str(tmp_path / "merge-report.png"))


def test_no_panel_when_no_review_arrived(qtbot):
    dialog = bundles.ImportResultDialog(None, [])
    qtbot.addWidget(dialog)
    assert dialog.reviews.isHidden()
