"""The main window: title, menus, case list ↔ workspace wiring, status bar, layout memory."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from casereader.bundle.signing import fingerprint
from casereader.store import Store, answers, cases, documents, flags
from casereader.ui import prefs as prefs_module
from casereader.ui.case_model import PROGRESS, REVIEW
from casereader.ui.documents.models import DocumentIdRole
from casereader.ui.grading import review
from casereader.ui.main_window import MainWindow
from casereader.ui.workspace import CaseWorkspace
from tests.ui.conftest import DEMO_PASSPHRASE

pytestmark = pytest.mark.usefixtures("modal_guard")


@pytest.fixture
def window(qtbot, writable_store):
    w = MainWindow(writable_store)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def list_row(window, ref):
    model = window.case_list.model
    return model.row_of(ref)


def menu_texts(window) -> dict[str, list[str]]:
    result = {}
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        result[menu.title().replace("&", "")] = [
            a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()
        ]
    return result


def test_title_list_and_status_bar(window, writable_store):
    assert window.windowTitle() == "casereader — Demo partnership (fictional)"
    assert window.stack.currentWidget() is window.reading
    assert window.case_list.model.rowCount() == 3
    key = fingerprint(bytes.fromhex(writable_store.inspection.signing_public_key))
    assert window.key_label.text() == f"Signing key {key}"
    assert window.who_label.text() == "Reader store · R1"
    review_row = list_row(window, "SA-002")
    # the demo's review has never been exported
    assert window.case_list.model.index(review_row, REVIEW).data() == "Not sent"
    assert window.unsent.label.text() == "Management review not yet sent: SA-002"


def test_menus_hold_the_actions(window):
    menus = menu_texts(window)
    assert list(menus) == ["File", "Edit", "Case", "View", "Help"]
    assert menus["Edit"] == ["Undo", "Redo"]
    assert menus["File"][:2] == ["Open store…", "New inspection…"]
    for wanted in ("Export bundle…", "Send now", "Import bundles…", "Lock", "Quit",
                   "Open reading pack…"):  # fmt: skip
        assert wanted in menus["File"]
    assert menus["Case"] == ["Management review…", "Mark complete…", "Next case", "Previous case"]
    assert menus["View"][:4] == ["Case list", "Documents", "Viewer", "Template"]
    assert menus["Help"] == ["Keyboard shortcuts", "Reading guide", "About casereader"]
    shortcuts = {a.text(): a.shortcut().toString() for a in window.actions()}
    assert shortcuts["Case &list"] == "Ctrl+1" and shortcuts["&Template"] == "Ctrl+4"
    # a reader store has no bundles to import
    assert not window.import_action.isVisible()
    assert window.export_action.isEnabled() and window.open_pack_action.isEnabled()


def test_choosing_a_case_opens_it_and_keys_move_between_cases(qtbot, window):
    window.case_list.select_case("SA-002")
    assert window.workspace.case_ref == "SA-002"
    assert window.workspace.banner.isVisible()  # SA-002 has an open management review
    next_case = next(a for a in window.actions() if a.text() == "&Next case")
    next_case.trigger()
    assert window.workspace.case_ref == "SA-003"
    assert not window.workspace.banner.isVisible()
    previous = next(a for a in window.actions() if a.text() == "&Previous case")
    previous.trigger()
    previous.trigger()
    assert window.workspace.case_ref == "SA-001"
    previous.trigger()  # already the first: stays
    assert window.workspace.case_ref == "SA-001"


def test_shortcuts_move_the_focus(qtbot, window):
    window.activateWindow()
    qtbot.waitActive(window)
    window.case_list.select_case("SA-002")
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace.template.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.case_list.view
    qtbot.keyClick(window.case_list.view, Qt.Key.Key_Return)  # Enter: on to the documents
    assert window.workspace.documents.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace.documents.isAncestorOf(QApplication.focusWidget())
    window.workspace.show_document(window.workspace.first_pdf().id)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    focus = QApplication.focusWidget()
    assert focus is window.workspace.viewer or window.workspace.viewer.isAncestorOf(focus)


def test_saved_answers_refresh_the_case_row(qtbot, window, writable_store):
    window.case_list.select_case("SA-003")
    row = list_row(window, "SA-003")
    before = window.case_list.model.index(row, PROGRESS).data()
    key = next(k for k in writable_store.template.item_keys()
               if k not in answers.answer_map(writable_store, "SA-003"))  # fmt: skip
    item = writable_store.template.item(key)
    value = {"grade": "4", "yes_no": "yes"}.get(item.kind) or (
        item.options[0].id if item.options else "text"
    )
    answers.save_answer(writable_store, "SA-003", key, value=value, note="Seen in the plan.")
    window.workspace.template.answers_changed.emit("SA-003")
    after = window.case_list.model.index(row, PROGRESS).data()
    assert before != after
    assert int(after.split("/")[0]) == int(before.split("/")[0]) + (1 if item.required else 0)


def test_management_review_flow_marks_the_list(qtbot, window, writable_store, monkeypatch):

    def raise_review(parent, store, case_ref, cite=None):
        return flags.raise_flag(store, case_ref, "investigate", "Concern about supervision.")

    monkeypatch.setattr(review, "raise_review", raise_review)
    window.case_list.select_case("SA-003")
    row = list_row(window, "SA-003")
    assert window.case_list.model.index(row, REVIEW).data() == ""
    window.review_action.trigger()
    assert window.case_list.model.index(row, REVIEW).data() == "Not sent"
    assert window.workspace.banner.isVisible()
    assert "2 with an open management review" in window.case_list.count_label.text()


def test_search_hit_in_another_case_opens_that_case(qtbot, window, writable_store):
    window.case_list.select_case("SA-002")
    doc = documents.timeline(writable_store, "SA-001")[0]
    window.workspace.search.hit_chosen.emit("SA-001", doc.id, 1, "plan")
    assert window.workspace.case_ref == "SA-001"
    assert window.case_list.current_case() == "SA-001"
    assert window.workspace.viewer.current_document().id == doc.id


def test_a_document_opened_from_elsewhere_is_marked_in_the_lists(qtbot, window, writable_store):
    window.case_list.select_case("SA-001")
    last = documents.timeline(writable_store, "SA-001")[-1]
    window.workspace.search.hit_chosen.emit("SA-001", last.id, 1, "plan")  # not the first one
    pane = window.workspace.documents
    # Marked once the page is on screen (the page is drawn first).
    qtbot.waitUntil(lambda: pane.timeline.currentIndex().data(DocumentIdRole) == last.id)
    assert pane.tree.currentIndex().data(DocumentIdRole) == last.id


def test_evidence_link_and_citation_round_trip(qtbot, window, writable_store):
    window.case_list.select_case("SA-003")
    pdf = window.workspace.first_pdf()
    assert pdf is not None
    before = len(answers.evidence_links(writable_store, "SA-003"))
    window.workspace.viewer.cite_requested.emit(pdf, 2, "")
    links = answers.evidence_links(writable_store, "SA-003")
    assert len(links) == before + 1 and links[-1].page == 2
    window.workspace.viewer.clear()
    window.workspace.template.evidence_opened.emit(pdf.sha256, 2)
    assert window.workspace.viewer.current_document().id == pdf.id


def test_layout_is_remembered(qtbot, writable_store, demo_store_path):
    # The offscreen screen is 800×800 and a restored window is fitted to its screen, so the
    # height and the vertical splitter are what can be compared exactly here.
    first = MainWindow(writable_store)
    qtbot.addWidget(first)
    first.resize(first.minimumSizeHint().width(), 700)
    first.show()
    first.workspace.left.setSizes([420, 150])
    sizes = first.workspace.left.sizes()
    assert sizes != [420 + 150 - 143, 143] and first.height() == 700
    first.save_layout()
    second = MainWindow(Store.open(demo_store_path, DEMO_PASSPHRASE))
    qtbot.addWidget(second)
    second.show()
    assert second.workspace.left.sizes() == sizes
    assert second.height() == 700
    settings = prefs_module.window_settings()
    assert sorted(settings.allKeys()) == [
        "splitters/columns", "splitters/left", "splitters/reading", "window/geometry",
        "window/state",
    ]  # fmt: skip
    second.close()


def test_no_store_shows_the_welcome_screen(qtbot, window, writable_store):
    prefs = prefs_module.load_prefs()
    assert prefs.last_store == str(writable_store.path.resolve())
    window.set_store(None)
    assert window.windowTitle() == "casereader"
    assert window.stack.currentWidget() is window.welcome
    assert window.welcome.recent.count() == 1
    assert not window.review_action.isEnabled() and not window.complete_action.isEnabled()


def test_opening_a_store_with_a_wrong_then_right_passphrase(qtbot, monkeypatch, store_copy_path):
    from casereader.ui import passphrase

    w = MainWindow()
    qtbot.addWidget(w)
    asked = []

    def ask(parent, path, error):
        asked.append(error)
        return DEMO_PASSPHRASE

    monkeypatch.setattr(passphrase.PassphraseDialog, "ask", staticmethod(ask))
    assert w.open_store_path(str(store_copy_path), "wrong passphrase from the environment")
    assert "wrong passphrase" in asked[0]
    assert w.store is not None and w.windowTitle().endswith("(fictional)")
    w.close()


def test_opening_a_missing_store_says_so_and_forgets_it(qtbot, monkeypatch, tmp_path):
    from casereader.ui import main_window

    gone = tmp_path / "gone.casereader"
    prefs_module.save_prefs(prefs_module.Prefs().remember_store(gone))
    warnings = []

    def warn(parent, title, text):
        warnings.append(text)

    monkeypatch.setattr(main_window.QMessageBox, "warning", staticmethod(warn))
    w = MainWindow()
    qtbot.addWidget(w)
    assert not w.open_store_path(str(gone), "whatever-passphrase")
    assert "no such store" in warnings[0]
    assert prefs_module.load_prefs().recent_stores == []
    w.close()


def test_workspace_without_a_store_refuses_a_case(qtbot):
    workspace = CaseWorkspace()
    qtbot.addWidget(workspace)
    with pytest.raises(RuntimeError, match="set_store"):
        workspace.set_case("SA-001")
    workspace.management_review()  # nothing open: nothing happens
    workspace.complete_case()
    assert workspace.case_ref is None


def test_refresh_case_uses_the_store_overview(window, writable_store):
    flags.raise_flag(writable_store, "SA-001", "other", "Needs a second look.")
    window.refresh_case("SA-001")
    row = list_row(window, "SA-001")
    assert window.case_list.model.index(row, REVIEW).data() == "Open"
    assert cases.overview(writable_store)[0].open_flags == 1


def test_bundle_actions_call_the_bundles_module(qtbot, window, writable_store, monkeypatch):
    from PySide6.QtCore import QObject, Signal

    from casereader.ui import bundles

    class Flow(QObject):
        done = Signal(object)

    calls, flow = [], Flow()
    monkeypatch.setattr(bundles, "export_bundle", lambda parent, store: calls.append("export"))
    monkeypatch.setattr(bundles, "import_bundles",
                        lambda parent, store: calls.append("import") or flow)  # fmt: skip
    window.export_action.trigger()
    window.import_bundles()  # the menu item shows for coordinator stores only
    assert calls == ["export", "import"]
    flags.raise_flag(writable_store, "SA-003", "other", "Seen in the merged bundle.")
    flow.done.emit([])  # the import finished: the list shows what it brought
    row = list_row(window, "SA-003")
    assert window.case_list.model.index(row, REVIEW).data() == "Open"


def test_every_shell_control_has_a_name_for_screen_readers(qtbot, window):
    from PySide6.QtWidgets import QAbstractButton, QWidget

    from casereader.ui.welcome import NewInspectionWizard

    wizard = NewInspectionWizard()
    qtbot.addWidget(wizard)
    roots = [window.case_list, window.welcome, window.idle_lock.screen, wizard,
             window.workspace.review_button, window.workspace.complete_button]  # fmt: skip
    unnamed = []
    for root in roots:
        for w in [root, *root.findChildren(QWidget)]:
            if not w.focusPolicy() & Qt.FocusPolicy.TabFocus or w.window() is not root.window():
                continue  # not reached with Tab (or a drop-down list's own popup window)
            named = w.accessibleName() or (isinstance(w, QAbstractButton) and w.text())
            if not named:
                unnamed.append(f"{type(w).__name__} {w.objectName()!r} in {type(root).__name__}")
    assert unnamed == []


@pytest.mark.parametrize("choice", ["raise", "move on", None])
def test_open_review_offers_a_menu_to_move_on_or_raise_another(
    qtbot, window, writable_store, monkeypatch, choice
):
    from casereader.ui import workspace as workspace_module

    def ask(anchor, open_flags):
        assert len(open_flags) == 1
        return {"raise": workspace_module.RAISE, "move on": open_flags[0]}.get(choice)

    def raise_review(parent, store, ref, cite=None):
        return flags.raise_flag(store, ref, "other", "A second concern.")

    def advance_review(parent, store, flag):
        return flags.advance_flag(store, flag.flag_id, "closed", "Responded; closed.", "Lead")

    monkeypatch.setattr(workspace_module.ReviewMenu, "ask", staticmethod(ask))
    monkeypatch.setattr(review, "raise_review", raise_review)
    monkeypatch.setattr(review, "advance_review", advance_review)
    window.case_list.select_case("SA-002")
    window.review_action.trigger()
    open_now = flags.list_flags(writable_store, "SA-002", open_only=True)
    mark = window.case_list.model.index(list_row(window, "SA-002"), REVIEW).data()
    # The demo's review was never exported: the list says so until a bundle carries it.
    if choice == "raise":
        assert len(open_now) == 2 and mark == "Not sent"
    elif choice == "move on":  # closed, but the closing step is not sent yet
        assert open_now == [] and mark == "Not sent" and not window.workspace.banner.isVisible()
    else:  # menu dismissed: nothing changes
        assert len(open_now) == 1 and mark == "Not sent"


def test_review_menu_lists_each_open_review(qtbot, window, writable_store, monkeypatch):
    from casereader.ui import workspace as workspace_module

    shown = []

    def exec_(menu, pos):
        shown.extend(a.text() for a in menu.actions())
        return menu.actions()[1]

    monkeypatch.setattr(workspace_module.ReviewMenu, "exec", exec_)
    flag = flags.list_flags(writable_store, "SA-002", open_only=True)[0]
    chosen = workspace_module.ReviewMenu.ask(window.workspace.review_button, [flag])
    assert chosen == flag
    assert shown[0] == "Raise another management review…"
    assert shown[1].startswith("Update review (Raised, ")


def test_start_up_paints_the_list_first_then_builds_the_workspace(qtbot, store_copy_path):
    """Given a store at start-up, the window says "Opening…" (no welcome screen is built),
    shows the case list, and builds the workspace and opens the first case after the list has
    painted."""
    w = MainWindow(opening=str(store_copy_path))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.stack.currentWidget() is w.opening
    assert w.opening.text() == f"Opening {store_copy_path.name}…"
    assert w._welcome is None and w._workspace is None
    painted = []
    w.case_list.view.painted.connect(lambda: painted.append(w._workspace is None))
    assert w.open_store_path(str(store_copy_path), DEMO_PASSPHRASE)
    assert w.stack.currentWidget() is w.reading and w._workspace is None
    qtbot.waitUntil(lambda: w._workspace is not None and w.workspace.case_ref == "SA-001")
    assert painted and painted[0]  # the list painted before the workspace existed
    assert w.reading.widget(1) is w.workspace
    assert w.case_list.current_case() == "SA-001"
    assert w._welcome is None
    w.close()


def test_start_up_store_not_opened_falls_back_to_the_welcome_screen(qtbot, monkeypatch,
                                                                    store_copy_path):  # fmt: skip
    from casereader.ui import passphrase

    monkeypatch.setattr(passphrase.PassphraseDialog, "ask",
                        staticmethod(lambda parent, path, error: None))  # fmt: skip
    w = MainWindow(opening=str(store_copy_path))
    qtbot.addWidget(w)
    assert not w.open_store_path(str(store_copy_path), "a wrong passphrase")
    assert w.store is None and w.stack.currentWidget() is w.welcome
    assert w.windowTitle() == "casereader"
    w.close()


def test_a_case_chosen_before_the_first_case_opened_is_kept(qtbot, writable_store, monkeypatch):
    turns = []
    first_case_turn = MainWindow._open_first_case

    def counted(self):
        first_case_turn(self)
        turns.append(self.workspace.case_ref)

    monkeypatch.setattr(MainWindow, "_open_first_case", counted)
    w = MainWindow(writable_store)  # not shown: the first case would open on the next turn
    qtbot.addWidget(w)
    w.open_case("SA-002")
    reopened = []
    monkeypatch.setattr(w.workspace, "set_case", reopened.append)
    qtbot.waitUntil(lambda: len(turns) > 0)  # the pending first-case turn has run…
    assert turns == ["SA-002"] and reopened == []  # …and opened no case over the one chosen
    assert w.workspace.case_ref == "SA-002"
    assert w.case_list.current_case() == "SA-002"
    w.close()


def test_closing_before_the_workspace_is_built_closes_the_store(qtbot, writable_store):
    w = MainWindow(writable_store)
    qtbot.addWidget(w)
    w.close()
    assert w._workspace is None and w._welcome is None and w.store is None


def test_help_lists_every_shortcut_and_about_names_the_store(qtbot, window, monkeypatch):
    from casereader.ui import help as help_module
    from casereader.ui import menus

    shown = []
    record = staticmethod(lambda parent, title, text: shown.append((title, text)))
    monkeypatch.setattr(menus.QMessageBox, "about", record)
    monkeypatch.setattr(help_module.KeysDialog, "ask", classmethod(lambda cls, p: shown.append(p)))
    by_text = {a.text().replace("&", ""): a for a in window.actions()}
    by_text["Keyboard shortcuts"].trigger()
    assert shown[-1] is window  # the keys themselves: tests/ui/test_help_keys.py
    dialog = help_module.KeysDialog(window)
    qtbot.addWidget(dialog)
    keys = [k for _where, k, _what in dialog.rows()]
    for key in ("Ctrl+M", "Ctrl+E", "Ctrl+Shift+C", "F1", "1–6"):
        assert key in keys
    by_text["About casereader"].trigger()
    assert str(window.store.path) in shown[-1][1] and "Signing key" in shown[-1][1]


def test_the_case_list_folds_while_a_case_is_open_and_comes_back(qtbot, window):
    qtbot.waitUntil(lambda: window._workspace is not None and bool(window.workspace.case_ref))
    # the reading layout: a case open, the list is a narrow strip
    assert not window.case_list.isVisible() and not window.toggle_list.isChecked()
    assert window.list_fold.strip.isVisible() and window.list_fold.width() < 40
    window.toggle_list.trigger()
    assert window.case_list.isVisible() and window.toggle_list.isChecked()
    window.toggle_list.trigger()
    assert not window.case_list.isVisible() and not window.toggle_list.isChecked()
    by_text = {a.text(): a for a in window.actions()}
    by_text["Case &list"].trigger()  # Ctrl+1 unfolds it and puts the keyboard on it
    assert window.case_list.isVisible() and window.case_list.view.hasFocus()
    qtbot.keyClick(window.case_list.view, Qt.Key.Key_Return)  # Enter: read it, folded again
    assert not window.case_list.isVisible()


def test_a_store_without_cases_shows_an_empty_list_and_the_workspace(qtbot, tmp_path):
    from casereader.domain.template import find_template

    template = find_template("cso-at-home-2025")
    path = tmp_path / "empty.casereader"
    empty = Store.create(path, DEMO_PASSPHRASE, template, "No cases yet", "reader", "R1")
    w = MainWindow(opening=str(empty.path))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.set_store(empty)
    qtbot.waitUntil(lambda: w._workspace is not None)  # built once the empty list painted
    assert w.case_list.model.rowCount() == 0 and w.workspace.case_ref is None
    assert w.reading.widget(1) is w.workspace
    w.close()


def test_opening_a_case_gets_its_word_documents_ready(qtbot, window, writable_store):
    ref = next(
        r.case_ref
        for r in window.case_list.model.rows()
        if any(d.doc_type == "docx" for d in documents.list_documents(writable_store, r.case_ref))
    )
    words = [d for d in documents.list_documents(writable_store, ref) if d.doc_type == "docx"]
    window.case_list.select_case(ref)
    cache = window.workspace.viewer._docx.cache
    qtbot.waitUntil(lambda: len(cache._futures) == len({d.sha256 for d in words}))


def test_without_a_remembered_layout_the_case_list_is_as_wide_as_its_columns(qtbot, writable_store):
    w = MainWindow(writable_store, remember_layout=False)
    qtbot.addWidget(w)
    w.resize(1440, 900)
    w.show()
    qtbot.waitExposed(w)
    view = w.case_list.view
    assert not view.horizontalScrollBar().isVisible()  # every column shows, no sideways scroll
    columns = sum(view.columnWidth(c) for c in range(w.case_list.model.columnCount()))
    assert w.reading.sizes()[0] >= columns
    assert w.reading.sizes()[0] <= w.case_list.wanted_width() + 20  # and not much more
    assert w.case_list.wanted_width() < 0.35 * w.width()  # a stretched last column not counted
    w.close()
