"""Strings from bundles and documents are shown as plain text; the DOCX view fetches nothing."""

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from casereader.bundle.merge import BundleOutcome
from casereader.ui.bundles.dialogs import error_label, show_error
from casereader.ui.bundles.import_results import BundleOutcomeModel
from casereader.ui.documents.docx_view import DocxView
from casereader.ui.plain import plain_tooltip

HOSTILE = '<img src="/etc/hosts"> <b>R2</b>\n&amp;'


def _shown(tooltip: str) -> str:
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc.toPlainText()


def test_a_plain_tooltip_shows_its_exact_characters(qtbot):
    assert _shown(plain_tooltip(HOSTILE)) == HOSTILE
    assert "<img" not in plain_tooltip(HOSTILE)


def test_the_import_results_tooltip_and_error_line_are_plain(qtbot):
    model = BundleOutcomeModel()
    model.set_rows([BundleOutcome(HOSTILE, "refused", HOSTILE)])
    from PySide6.QtCore import Qt

    tip = model.data(model.index(0, 4), Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "&lt;img" in tip
    label = error_label()
    qtbot.addWidget(label)
    show_error(label, HOSTILE)
    assert label.textFormat() == Qt.TextFormat.PlainText


def test_the_case_list_tooltip_escapes_a_reader_id(qtbot):
    from PySide6.QtCore import Qt

    from casereader.store.models import CaseOverview
    from casereader.ui.case_model import REF, CaseListModel

    model = CaseListModel()
    row = CaseOverview(
        case_ref="SA-001", sample_group="core", follow_up=False, age_band="", legal_status="",
        readers=[HOSTILE], status="not_started", documents=1, answered=0, required=1,
        required_answered=0, open_flags=0,
    )  # fmt: skip
    model.set_rows([row])
    tip = model.data(model.index(0, REF), Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip
    assert 'read by <img src="/etc/hosts">' in _shown(tip)


def test_the_docx_view_never_loads_a_file_or_a_network_path(qtbot, tmp_path):
    view = DocxView()
    qtbot.addWidget(view)
    picture = tmp_path / "local.png"
    from PySide6.QtGui import QImage

    image = QImage(4, 4, QImage.Format.Format_RGB32)
    image.fill(0)
    image.save(str(picture))
    kind = QTextDocument.ResourceType.ImageResource
    for url in (QUrl.fromLocalFile(str(picture)), QUrl("file://server/share/x.png"),
                QUrl(str(picture)), QUrl("data:image/png;base64,AAAA")):  # fmt: skip
        got = view.loadResource(kind, url)
        assert isinstance(got, QImage) and got.isNull(), url.toString()


def test_a_suggested_passphrase_fills_both_fields_and_passes_the_rule(qtbot):
    from PySide6.QtWidgets import QLineEdit

    from casereader.domain.passphrase_strength import passphrase_problem
    from casereader.ui.passphrase import suggest_button

    first, again = QLineEdit(), QLineEdit()
    first.setEchoMode(QLineEdit.EchoMode.Password)
    button = suggest_button(first, again)
    qtbot.addWidget(button)
    button.click()
    assert first.text() == again.text() and len(first.text().split("-")) >= 6
    assert passphrase_problem(first.text()) == ""
    assert first.echoMode() == QLineEdit.EchoMode.Normal  # shown, to be written down


def test_the_docx_viewer_refuses_a_zero_filled_part_before_reading_it(qtbot):
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/hidden.bin", "w", force_zip64=True) as part:
            for _ in range(256):
                part.write(bytes(1024 * 1024))
    assert len(out.getvalue()) < 1_000_000
    view = DocxView()
    qtbot.addWidget(view)
    view.cache.prefetch([out.getvalue()])  # the background conversion refuses it too
    message = view.load(out.getvalue())
    assert message.startswith("This Word document cannot be shown: DOCX part word/media/")
    view.cache.clear()
