"""Send now: after a review is raised or moves a step the app offers to send it; the case list
and the status bar say "not yet sent" until a bundle carries its latest step; closing asks
before leaving an unsent immediate-risk review behind; an export never replaces a file
silently."""

from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from casereader.bundle import keys
from casereader.bundle.export import LEAD_RECIPIENT_SETTING
from casereader.store import flags, review_sent
from casereader.ui.bundles import dialogs, export_dialogs, send_now
from casereader.ui.bundles.export_dialogs import ExportDialog, NotesCheckDialog
from casereader.ui.case_model import REVIEW
from casereader.ui.main_window import MainWindow
from casereader.ui.review_status import QUIT, SEND, STAY, UnsentCloseQuestion

pytestmark = pytest.mark.usefixtures("modal_guard")


@pytest.fixture
def lead(tmp_path):
    """The lead inspector's key file and recipient."""
    key = tmp_path / "lead.key"
    return key, keys.generate_identity(key)


@pytest.fixture
def out_folder(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    monkeypatch.setattr(dialogs, "default_folder", lambda: folder)
    monkeypatch.setattr(NotesCheckDialog, "ask", classmethod(lambda cls, p, w: True))
    return folder


@pytest.fixture
def window(qtbot, writable_store):
    w = MainWindow(writable_store, remember_layout=False)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


@pytest.fixture
def sent(monkeypatch):
    """The SentDialog's calls: (result, can_print)."""
    calls = []

    def ask(cls, parent, result, can_print):
        # the window already says the reviews are sent while the reader reads where it went
        calls.append((result, can_print, parent.unsent.isVisible()))
        return send_now.CLOSE

    monkeypatch.setattr(send_now.SentDialog, "ask", classmethod(ask))
    return calls


def review_cell(window, ref):
    model = window.case_list.model
    return model.index(model.row_of(ref), REVIEW).data()


def raise_on(window, monkeypatch, ref, category="immediate-risk"):
    from casereader.ui.grading import review

    def raise_review(parent, store, case_ref, cite=None):
        return flags.raise_flag(store, case_ref, category, "Child left alone overnight.")

    monkeypatch.setattr(review, "raise_review", raise_review)
    window.case_list.select_case(ref)
    window.review_action.trigger()


def test_raising_a_review_offers_send_now_and_the_list_says_not_sent(
    qtbot, window, writable_store, monkeypatch, send_now_offers
):
    raise_on(window, monkeypatch, "SA-003", "investigate")
    [offered] = send_now_offers
    assert [r.case_ref for r in offered] == ["SA-003"]
    assert review_cell(window, "SA-003") == "Not sent"
    model = window.case_list.model
    spoken = model.index(model.row_of("SA-003"), REVIEW).data(model_role_accessible())
    assert "review not yet sent" in spoken
    assert "with a review not yet sent" in window.case_list.count_label.text()
    assert window.unsent.isVisible()
    assert "SA-003" in window.unsent.label.text() and "SA-002" in window.unsent.label.text()
    assert "not yet sent" in window.unsent.label.text()


def model_role_accessible():
    from PySide6.QtCore import Qt

    return Qt.ItemDataRole.AccessibleTextRole


def test_send_now_asks_the_recipient_once_writes_a_bundle_and_says_where(
    qtbot, window, writable_store, monkeypatch, lead, out_folder, sent
):
    key, recipient = lead
    assert not writable_store.setting(LEAD_RECIPIENT_SETTING)  # the demo had no reading pack
    asked = []
    monkeypatch.setattr(
        send_now.RecipientDialog, "ask", classmethod(lambda cls, p: asked.append(1) or recipient)
    )
    monkeypatch.setattr(send_now.SendNowOffer, "ask", classmethod(lambda cls, p, r: True))
    raise_on(window, monkeypatch, "SA-001")
    qtbot.waitUntil(lambda: len(sent) == 1, timeout=20000)
    result, can_print, still_unsent = sent[0]
    assert still_unsent is False
    assert asked == [1] and writable_store.setting(LEAD_RECIPIENT_SETTING) == recipient
    assert result.path.parent == out_folder and result.path.is_file()
    assert result.path.name.endswith("-bundle1.crbundle")
    assert {r.case_ref for r in result.reviews if not r.sent} == {"SA-001", "SA-002"}
    assert can_print is True  # File → Print concern form… exists
    assert review_sent.unsent_reviews(writable_store) == []
    assert not window.unsent.isVisible()
    assert review_cell(window, "SA-001") == "Open" and review_cell(window, "SA-002") == "Open"
    assert keys.load_identity(key)  # the bundle is for this key: verified in the CLI tests

    # A step later: offered again; the recipient is remembered, the earlier file kept.
    first = result.path.read_bytes()
    monkeypatch.setattr(
        send_now.RecipientDialog, "ask", classmethod(lambda cls, p: pytest.fail("asked again"))
    )
    flag = flags.list_flags(writable_store, "SA-001")[0]
    flags.advance_flag(writable_store, flag.flag_id, "referred", "Phoned the lead.")
    window.workspace.review_changed.emit("SA-001")
    qtbot.waitUntil(lambda: len(sent) == 2, timeout=20000)
    second = sent[1][0]
    assert second.path != result.path and second.path.name.endswith("-bundle2.crbundle")
    assert result.path.read_bytes() == first
    assert [r.case_ref for r in second.reviews if not r.sent] == ["SA-001"]


def test_send_now_offers_the_concern_form_when_the_app_can_print_it(
    qtbot, window, writable_store, monkeypatch, lead, out_folder
):
    from casereader.ui.printing.flows import PrintFlow

    writable_store.set_setting(LEAD_RECIPIENT_SETTING, lead[1])
    printed = []
    monkeypatch.setattr(PrintFlow, "concern_form", lambda flow, ref: printed.append(ref))
    monkeypatch.setattr(
        send_now.SentDialog, "ask", classmethod(lambda cls, p, r, can: send_now.PRINT)
    )
    window.case_list.select_case("SA-002")
    window.send_now()
    qtbot.waitUntil(lambda: printed == ["SA-002"], timeout=20000)


def test_without_a_print_action_the_concern_form_is_only_suggested(window):
    for action in window.findChildren(QAction):
        if action.text().replace("&", "").startswith("Print concern form"):
            action.setParent(None)
            window.removeAction(action)
    assert window.concern_form_printer() is None


def test_the_sent_dialog_says_where_and_what(qtbot, window, writable_store, lead, tmp_path):
    from casereader.bundle.export import export_bundle

    result = export_bundle(writable_store, [lead[1]], tmp_path / "R1.crbundle")
    for can_print in (True, False):
        dialog = send_now.SentDialog(None, result, can_print)
        qtbot.addWidget(dialog)
        assert str(tmp_path / "R1.crbundle") in dialog.text()
        assert "SA-002: Immediate risk to a child" in dialog.informativeText()
        assert dialog.print_button.isEnabled() is can_print
        assert ("concern form" in dialog.informativeText()) is True


def test_the_offer_says_a_child_may_be_at_risk(qtbot, writable_store):
    reviews = review_sent.unsent_reviews(writable_store)
    dialog = send_now.SendNowOffer(None, reviews)
    qtbot.addWidget(dialog)
    assert "A child may be at risk" in dialog.informativeText()
    assert dialog.defaultButton() is dialog.send_button


def test_recipient_dialog_refuses_what_is_not_a_key(qtbot):
    dialog = send_now.RecipientDialog(None)
    qtbot.addWidget(dialog)
    dialog._accept()
    assert dialog.request is None and "age1" in dialog.error.text()
    dialog.field.setText("age1notakey")
    dialog._accept()
    assert dialog.request is None and "not a valid age recipient" in dialog.error.text()
    good = keys.recipient_of(keys.x25519.Identity.generate())
    dialog.field.setText(f"  {good} ")
    dialog._accept()
    assert dialog.request == good


@pytest.mark.parametrize("answer", [STAY, QUIT, SEND])
def test_quitting_asks_before_leaving_an_unsent_immediate_risk_review(
    qtbot, window, writable_store, monkeypatch, answer
):
    asked = []
    monkeypatch.setattr(
        UnsentCloseQuestion, "ask", classmethod(lambda cls, p, r: asked.append(r) or answer)
    )
    sends = []
    monkeypatch.setattr(window, "send_now", lambda: sends.append(1))
    window.quit_app()
    [reviews] = asked
    assert [r.case_ref for r in reviews] == ["SA-002"] and reviews[0].immediate_risk
    assert window.isVisible() is (answer != QUIT)
    if answer == SEND:
        qtbot.waitUntil(lambda: sends == [1])


def test_no_question_when_everything_is_sent_or_not_immediate_risk(
    qtbot, window, writable_store, monkeypatch, lead, tmp_path
):
    from casereader.bundle.export import export_bundle

    monkeypatch.setattr(
        UnsentCloseQuestion, "ask", classmethod(lambda cls, p, r: pytest.fail("asked"))
    )
    export_bundle(writable_store, [lead[1]], tmp_path / "R1.crbundle")
    flags.raise_flag(writable_store, "SA-001", "other", "A note for the lead inspector.")
    window.quit_app()
    assert not window.isVisible()


def test_export_dialog_never_replaces_a_file_without_asking(
    qtbot, writable_store, lead, tmp_path, monkeypatch
):
    writable_store.set_setting(LEAD_RECIPIENT_SETTING, lead[1])
    monkeypatch.setattr(export_dialogs, "default_folder", lambda: tmp_path)
    dialog = ExportDialog(None, writable_store)
    qtbot.addWidget(dialog)
    default = Path(dialog.out.text())
    assert default.parent == tmp_path and default.name.endswith("-bundle1.crbundle")
    default.write_bytes(b"an earlier bundle")
    answers = iter([False, True])
    monkeypatch.setattr(
        export_dialogs.ReplaceBundleQuestion, "ask", classmethod(lambda cls, p, o: next(answers))
    )
    dialog._accept()
    assert dialog.request is None and "choose another name" in dialog.error.text()
    dialog._accept()
    assert dialog.request is not None and dialog.request.replace is True
    assert default.read_bytes() == b"an earlier bundle"  # nothing written by the dialog


class _CloseFromTheWindowManager:
    """A close event as the window's close button sends it (spontaneous)."""

    def __init__(self):
        self.ignored = False

    def spontaneous(self) -> bool:
        return True

    def ignore(self) -> None:
        self.ignored = True

    def accept(self) -> None:
        self.ignored = False


def test_the_close_button_asks_too(qtbot, window, monkeypatch):
    asked = []
    monkeypatch.setattr(
        UnsentCloseQuestion, "ask", classmethod(lambda cls, p, r: asked.append(r) or STAY)
    )
    event = _CloseFromTheWindowManager()
    window.closeEvent(event)
    assert event.ignored and len(asked) == 1 and window.store is not None


def test_the_program_closing_the_window_does_not_ask(qtbot, writable_store, monkeypatch):
    monkeypatch.setattr(
        UnsentCloseQuestion, "ask", classmethod(lambda cls, p, r: pytest.fail("asked"))
    )
    w = MainWindow(writable_store, remember_layout=False)
    qtbot.addWidget(w)
    w.show()
    w.close()  # a screenshot run, a test: not the reader leaving
    assert not w.isVisible()
