"""The bundle dialogs and flows: export (notes check first), import with results, open a pack."""

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bundle"))

from test_export_fixtures import (  # noqa: E402
    COORDINATOR_PASSPHRASE,
    READER_PASSPHRASE,
    copy_store,
    members_of,
    shared_inspection,
)

from casereader.bundle import keys, pack, signing  # noqa: E402
from casereader.bundle.export import export_bundle as export_to_file  # noqa: E402
from casereader.bundle.merge import BundleOutcome  # noqa: E402
from casereader.store import Store, answers, completion  # noqa: E402
from casereader.store import bundles as store_bundles  # noqa: E402
from casereader.ui import bundles  # noqa: E402
from casereader.ui.bundles import dialogs, export_flow  # noqa: E402


@pytest.fixture(scope="module")
def inspection(tmp_path_factory):
    return shared_inspection(tmp_path_factory.getbasetemp())


@pytest.fixture
def reader(inspection, tmp_path):
    path = copy_store(inspection.readers["R1"], tmp_path / "R1.casereader")
    with Store.open(path, READER_PASSPHRASE) as store:
        yield store


@pytest.fixture
def coordinator(inspection, tmp_path):
    path = copy_store(inspection.coordinator, tmp_path / "coordinator.casereader")
    with Store.open(path, COORDINATOR_PASSPHRASE) as store:
        yield store


@pytest.fixture
def told(monkeypatch):
    """What the flows would have shown in message boxes: (kind, title, text)."""
    shown = []
    # Every flow calls these through `dialogs`, so one patch there stands in for all of them.
    monkeypatch.setattr(dialogs, "warn", lambda p, t, x: shown.append(("warn", t, x)))
    monkeypatch.setattr(dialogs, "inform", lambda p, t, x: shown.append(("inform", t, x)))
    return shown


def test_export_dialog_shows_the_signing_fingerprint_and_the_lead_recipient(
    qtbot, inspection, reader, tmp_path
):
    dialog = bundles.ExportDialog(None, reader)
    qtbot.addWidget(dialog)
    expected = signing.fingerprint(bytes.fromhex(reader.inspection.signing_public_key))
    assert dialog.fingerprint.text() == expected
    assert dialog.recipient_lines() == [inspection.recipient]
    assert dialog.fingerprint.accessibleName() == "Signing key fingerprint"
    dialog.resize(640, 360)
    dialog.grab().save(str(tmp_path / "export-dialog.png"))


def test_export_dialog_refuses_a_bad_recipient_and_a_missing_folder(qtbot, reader, tmp_path):
    dialog = bundles.ExportDialog(None, reader)
    qtbot.addWidget(dialog)
    dialog.recipients.setPlainText("age1notakey")
    dialog._accept()
    assert dialog.request is None and "not a valid age recipient" in dialog.error.text()
    dialog.recipients.setPlainText(keys.recipient_of(keys.x25519.Identity.generate()))
    dialog.out.setText(str(tmp_path / "missing" / "R1.crbundle"))
    dialog._accept()
    assert dialog.request is None and "existing folder" in dialog.error.text()
    dialog.out.setText(str(tmp_path / "R1.crbundle"))
    dialog._accept()
    assert dialog.request is not None and dialog.request.out == tmp_path / "R1.crbundle"


def test_export_runs_the_notes_check_first_and_encrypts_off_the_gui_thread(
    qtbot, inspection, reader, tmp_path, monkeypatch, told
):
    completion.set_identifier_names(reader, ["Morag Balfour"])
    ref = reader.db.execute("SELECT case_ref FROM answers LIMIT 1").fetchone()[0]
    key = reader.template.graded_keys()[0]
    answers.save_answer(reader, ref, key, note="Met Morag Balfour at school.")
    seen = []
    monkeypatch.setattr(
        bundles.NotesCheckDialog, "ask", classmethod(lambda cls, p, w: seen.append(w) or True)
    )
    out = tmp_path / "R1.crbundle"
    monkeypatch.setattr(
        bundles.ExportDialog,
        "ask",
        classmethod(lambda cls, p, s: bundles.ExportRequest([inspection.recipient], out)),
    )
    threads = []
    real_write = export_flow.write_bundle

    def write(prepared, path, overwrite=False):
        threads.append(threading.get_ident())
        return real_write(prepared, path, overwrite=overwrite)

    monkeypatch.setattr(export_flow, "write_bundle", write)
    parent = QWidget()
    qtbot.addWidget(parent)
    flow = bundles.export_bundle(parent, reader)
    assert flow is not None
    with qtbot.waitSignal(flow.done, timeout=20000) as done:
        pass
    result = done.args[0]
    assert [w.finding.text for w in seen[0]] == ["Morag Balfour"]
    assert threads and threads[0] != threading.get_ident()
    assert result.sequence == 1 and out.is_file()
    assert members_of(out.read_bytes(), inspection.identity())["manifest.json"]
    assert told[-1][0] == "inform" and "Bundle 1 saved" in told[-1][2]
    assert store_bundles.last_export_sequence(reader) == 1


def test_going_back_to_edit_exports_nothing(qtbot, reader, tmp_path, monkeypatch, told):
    completion.set_identifier_names(reader, ["Morag Balfour"])
    ref = reader.db.execute("SELECT case_ref FROM answers LIMIT 1").fetchone()[0]
    answers.save_answer(reader, ref, reader.template.graded_keys()[0], note="Morag Balfour")
    monkeypatch.setattr(bundles.NotesCheckDialog, "ask", classmethod(lambda cls, p, w: False))
    asked = []
    monkeypatch.setattr(bundles.ExportDialog, "ask", classmethod(lambda cls, p, s: asked.append(1)))
    assert bundles.export_bundle(None, reader) is None
    assert asked == [] and told == []
    assert store_bundles.last_export_sequence(reader) == 0


def test_notes_check_dialog_lists_the_findings(qtbot, reader):
    completion.set_identifier_names(reader, ["Morag Balfour"])
    ref = reader.db.execute("SELECT case_ref FROM answers LIMIT 1").fetchone()[0]
    answers.save_answer(reader, ref, reader.template.graded_keys()[0], note="Morag Balfour")
    dialog = bundles.NotesCheckDialog(None, completion.check_notes(reader))
    qtbot.addWidget(dialog)
    assert "Morag Balfour" in dialog.detailedText()
    assert dialog.export_button.text() == "Export anyway"


@pytest.fixture
def bundle_files(inspection, reader, tmp_path):
    good = export_to_file(reader, [inspection.recipient], tmp_path / "R1.crbundle").path
    bad = tmp_path / "cut.crbundle"
    bad.write_bytes(good.read_bytes()[:-50])
    return good, bad


def test_import_shows_a_result_for_each_bundle(
    qtbot, inspection, coordinator, bundle_files, monkeypatch, told
):
    good, bad = bundle_files
    request = bundles.ImportRequest([bad, good], inspection.key_file, None)
    monkeypatch.setattr(bundles.ImportDialog, "ask", classmethod(lambda cls, p: request))
    shown = []
    monkeypatch.setattr(
        bundles.ImportResultDialog, "show_results", classmethod(lambda cls, p, o: shown.append(o))
    )
    parent = QWidget()
    qtbot.addWidget(parent)
    flow = bundles.import_bundles(parent, coordinator)  # returns when all is done
    assert flow.outcomes == shown[0]
    assert [(o.file, o.outcome) for o in shown[0]] == [
        ("cut.crbundle", "refused"),
        ("R1.crbundle", "imported"),
    ]
    assert [b.reader_id for b in store_bundles.imported_bundles(coordinator)] == ["R1"]
    dialog = bundles.ImportResultDialog(None, shown[0])
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2
    dialog.grab().save(str(Path(coordinator.path).parent / "import-results.png"))


def test_import_into_a_reader_store_is_refused(qtbot, reader, monkeypatch, told):
    asked = []
    monkeypatch.setattr(bundles.ImportDialog, "ask", classmethod(lambda cls, p: asked.append(1)))
    assert bundles.import_bundles(None, reader) is None
    assert asked == [] and "coordinator store" in told[0][2]


def test_import_dialog_asks_for_the_passphrase_of_a_protected_key(qtbot, tmp_path):
    key = tmp_path / "lead.key"
    keys.generate_identity(key, "the lead's words")
    dialog = bundles.ImportDialog(None)
    qtbot.addWidget(dialog)
    dialog._accept()
    assert "at least one bundle" in dialog.error.text()
    dialog.add_files([str(tmp_path / "R1.crbundle")])
    dialog.key_file.setText(str(key))
    dialog._accept()
    assert dialog.request is None and "protected" in dialog.error.text()
    dialog.key_passphrase.setText("the lead's words")
    dialog._accept()
    assert dialog.request == bundles.ImportRequest(
        [tmp_path / "R1.crbundle"], key, "the lead's words"
    )


def test_the_outcome_model_without_a_window():
    model = bundles.BundleOutcomeModel()
    model.set_rows(
        [
            BundleOutcome("a.crbundle", "imported", "R1 bundle 2 imported", "R1", 2),
            BundleOutcome("b.crbundle", "refused", "stale: …", "R2", 1),
        ]
    )
    assert model.rowCount() == 2 and model.columnCount() == 5
    assert [model.data(model.index(1, c)) for c in range(4)] == ["b.crbundle", "Refused", "R2", "1"]
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None


def test_open_pack_dialog_checks_what_was_typed(qtbot, tmp_path):
    pack_file = tmp_path / "R1.crpack"
    pack_file.write_bytes(b"x")
    dialog = bundles.OpenPackDialog(None)
    qtbot.addWidget(dialog)
    dialog.set_pack(str(pack_file))
    assert dialog.store_path.text() == str(tmp_path / "R1.casereader")
    dialog.pack_passphrase.setText("acorn tulip")
    dialog.passphrase.setText("a long passphrase")
    dialog.again.setText("another one")
    dialog._accept()
    assert dialog.request is None and "differ" in dialog.error.text()
    dialog.again.setText("a long passphrase")
    dialog._accept()
    assert dialog.request == bundles.OpenPackRequest(
        pack_file, "acorn tulip", tmp_path / "R1.casereader", "a long passphrase"
    )
    dialog.grab().save(str(tmp_path / "open-pack.png"))


@pytest.fixture
def r1_pack(inspection, coordinator, tmp_path):
    return pack.write_pack(
        coordinator, "R1", tmp_path / "R1.crpack", recipient=inspection.recipient
    )


def test_a_pack_opens_in_a_separate_process(qtbot, r1_pack, tmp_path, monkeypatch, told):
    target = tmp_path / "mine.casereader"
    request = bundles.OpenPackRequest(r1_pack.path, r1_pack.passphrase, target, "my passphrase")
    monkeypatch.setattr(bundles.OpenPackDialog, "ask", classmethod(lambda cls, p: request))
    pids = []
    real_run = bundles.PackOpener.run

    def run(self):
        result = real_run(self)
        pids.append(self.process.pid)
        return result

    monkeypatch.setattr(bundles.PackOpener, "run", run)
    assert bundles.open_reading_pack(None) == target
    assert pids[0] and pids[0] != __import__("os").getpid()
    with Store.open(target, "my passphrase") as store:
        assert store.reader_id == "R1"
    assert told == []


def test_a_wrong_pack_passphrase_is_shown_and_leaves_no_store(
    qtbot, r1_pack, tmp_path, monkeypatch, told
):
    target = tmp_path / "mine.casereader"
    request = bundles.OpenPackRequest(r1_pack.path, "wrong-words", target, "my passphrase")
    monkeypatch.setattr(bundles.OpenPackDialog, "ask", classmethod(lambda cls, p: request))
    assert bundles.open_reading_pack(None) is None
    assert told[0][0] == "warn" and "wrong passphrase" in told[0][2]
    assert not list(tmp_path.glob("*mine.casereader*"))
