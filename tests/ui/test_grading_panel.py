"""The template panel: grading by keys, autosave, required notes, evidence links, notes check."""

import itertools
import re
import shutil

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)

from casereader.domain.completeness import case_progress, missing_for_completion
from casereader.domain.template import Item, find_template
from casereader.errors import StoreError
from casereader.store import Store, answers, cases, documents
from casereader.store.cases import CaseIn
from casereader.store.documents import DocumentIn
from casereader.ui.documents.citation import citation_label
from casereader.ui.grading import panel as panel_module
from casereader.ui.grading.editors import ComboChoice, RadioChoice, make_editor, yes_no_editor
from casereader.ui.grading.grade import button_style
from casereader.ui.grading.navigator import COUNT_ROLE, DONE_ROLE
from casereader.ui.grading.panel import TemplatePanel
from casereader.ui.grading.reflow import share_out
from casereader.ui.grading.stage_page import StagePage
from casereader.ui.style import contrast_ratio, dark_palette

SCALE = find_template("cso-at-home-2025").scale  # the unable label's one source

VALID_CHI = "1503121232"  # passes the CHI check digit (15 Mar 2012); fictional
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def grading_store(demo_store_path, demo_passphrase, tmp_path_factory):
    """One private copy of the demo store per module; each test grades a new case of its own.

    Opening a store costs about half a second (the passphrase's key derivation), so the tests
    share one and stay apart by case instead.
    """
    target = tmp_path_factory.mktemp("grading") / "grading.casereader"
    shutil.copy2(demo_store_path, target)
    opened = Store.open(target, demo_passphrase)
    yield opened
    opened.close()


def new_case(store: Store) -> str:
    """A new, unanswered case holding copies of two of SA-003's documents."""
    ref = f"T-{next(_numbers):03d}"
    with store.db.atomic():
        cases.upsert_cases(store, [CaseIn(ref, "core", False, readers=["R1"])])
    for doc in documents.list_documents(store, "SA-003")[:2]:
        pages = [text for _, text in documents.page_text(store, doc.id)]
        content = documents.content(store, doc.id)
        copy = DocumentIn(
            ref, doc.sha256, doc.agency, doc.doc_date, doc.date_source, doc.title,
            doc.doc_type, doc.page_count, doc.source_path, content, pages,
        )  # fmt: skip
        documents.add_document(store, copy)
    return ref


@pytest.fixture
def case(grading_store):
    return new_case(grading_store)


@pytest.fixture
def panel(qtbot, grading_store, case):
    widget = TemplatePanel()
    qtbot.addWidget(widget)
    widget.resize(760, 900)
    widget.set_case(grading_store, case)
    return widget


def at(store: Store, stage_id: str) -> int:
    """The index of a stage of the store's template (so tests hold for any template version)."""
    return [stage.id for stage in store.template.stages].index(stage_id)


def stored(store, key, case):
    answer = answers.answers_for(store, case).get(key)
    return answer.value if answer else None


def stored_note(store, key, case):
    answer = answers.answers_for(store, case).get(key)
    return answer.note if answer else ""


def show(qtbot, widget):
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


KEYS = [
    (Qt.Key.Key_1, "1"),
    (Qt.Key.Key_2, "2"),
    (Qt.Key.Key_3, "3"),
    (Qt.Key.Key_4, "4"),
    (Qt.Key.Key_5, "5"),
    (Qt.Key.Key_6, "6"),
    (Qt.Key.Key_N, "na"),
    (Qt.Key.Key_U, "unable"),
]


def test_grade_keys_store_grades_na_and_unable(qtbot, case, panel, grading_store):
    grade = panel.card("assessment.grade").editor.grade
    for key, value in KEYS:
        qtbot.keyClick(grade, key)
        assert stored(grading_store, "assessment.grade", case) == value
        assert grade.buttons[value].isChecked()
    # 0 and other keys are not grades: nothing changes, and 0 is never stored
    qtbot.keyClick(grade, Qt.Key.Key_0)
    qtbot.keyClick(grade, Qt.Key.Key_7)
    assert stored(grading_store, "assessment.grade", case) == "unable"
    qtbot.keyClick(grade, Qt.Key.Key_Delete)
    assert stored(grading_store, "assessment.grade", case) is None


def test_grade_buttons_by_mouse_and_descriptor(qtbot, case, panel, grading_store):
    editor = panel.card("assessment.grade").editor
    qtbot.mouseClick(editor.grade.buttons["2"], Qt.MouseButton.LeftButton)
    assert stored(grading_store, "assessment.grade", case) == "2"
    assert editor.descriptor.text() == "2 – Weak: Important weaknesses – priority action required"
    # clicking the chosen grade again clears it
    qtbot.mouseClick(editor.grade.buttons["2"], Qt.MouseButton.LeftButton)
    assert stored(grading_store, "assessment.grade", case) is None
    assert editor.descriptor.text().startswith("Not graded yet")


def test_yes_no_keys(qtbot, case, panel, grading_store):
    editor = panel.card("assessment.present").editor
    for key, value in [
        (Qt.Key.Key_Y, "yes"),
        (Qt.Key.Key_N, "no"),
        (Qt.Key.Key_A, "na"),
        (Qt.Key.Key_U, "unable"),
    ]:
        qtbot.keyClick(editor, key)
        assert stored(grading_store, "assessment.present", case) == value
    # a modifier means a shortcut, not an answer
    qtbot.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored(grading_store, "assessment.present", case) == "unable"


def test_note_autosaves_after_a_pause_with_saved_state(qtbot, case, panel, grading_store):
    states = []
    panel.saved_state.connect(states.append)
    note = panel.card("assessment.grade").note
    qtbot.keyClicks(note.edit, "Assessment is current")
    answer = answers.answers_for(grading_store, case).get("assessment.grade")
    assert answer is None or answer.note == ""  # not yet: the reader is still typing
    qtbot.waitUntil(
        lambda: stored_note(grading_store, "assessment.grade", case) == "Assessment is current",
        timeout=5000,
    )
    assert states[0] == "Saving…"
    assert re.fullmatch(r"Saved \d\d:\d\d:\d\d", states[-1])
    audit = list(
        grading_store.db.query(
            "SELECT * FROM audit_log WHERE action = 'answer.note' AND target = ? AND case_ref = ?",
            ["assessment.grade", case],
        )
    )
    assert len(audit) == 1  # one save for the whole burst of typing


def test_note_saves_on_focus_out(qtbot, case, panel, grading_store):
    show(qtbot, panel)
    panel.focus_item("assessment.grade", note=True)
    note = panel.card("assessment.grade").note.edit
    assert note.hasFocus()
    qtbot.keyClicks(note, "Seen by the reviewer")
    panel.card("assessment.grade").editor.grade.setFocus()
    assert answers.answers_for(grading_store, case)["assessment.grade"].note == (
        "Seen by the reviewer"
    )


def test_save_error_is_shown_and_the_text_kept(qtbot, case, panel, grading_store, monkeypatch):
    def broken(*args, **kwargs):
        raise StoreError("The store is locked; unlock it and try again.")

    monkeypatch.setattr(panel_module.answers, "save_answer", broken)
    states = []
    panel.saved_state.connect(states.append)
    note = panel.card("assessment.grade").note
    qtbot.keyClicks(note.edit, "Important text")
    note.edit.flush()
    assert note.text() == "Important text"
    assert not note.error.isHidden()
    assert "store is locked" in note.error.text()
    assert states[-1].startswith("Not saved")
    # once saving works again, the next chance saves the kept text
    monkeypatch.undo()
    note.edit.flush()
    assert answers.answers_for(grading_store, case)["assessment.grade"].note == "Important text"
    assert note.error.isHidden()


def test_text_answer_kept_when_saving_fails_and_choice_reverted(
    qtbot, case, panel, grading_store, monkeypatch
):
    def broken(*args, **kwargs):
        raise StoreError("The disk is full; free some space and try again.")

    strengths = panel.card("overall.key_strengths")
    grade = panel.card("overall.grade")
    qtbot.keyClick(grade.editor.grade, Qt.Key.Key_5)
    monkeypatch.setattr(panel_module.answers, "save_answer", broken)
    qtbot.keyClicks(strengths.editor, "Strong advocacy")
    strengths.editor.flush()
    assert strengths.editor.toPlainText() == "Strong advocacy"
    assert "disk is full" in strengths.error.text()
    qtbot.keyClick(grade.editor.grade, Qt.Key.Key_2)
    assert grade.editor.value() == "5"  # the button shows what is stored, not what failed
    monkeypatch.undo()
    strengths.editor.flush()
    assert stored(grading_store, "overall.key_strengths", case) == "Strong advocacy"
    assert strengths.error.isHidden()


def test_grade_of_three_makes_the_note_required(qtbot, case, panel, grading_store):
    card = panel.card("assessment.grade")
    qtbot.keyClick(card.editor.grade, Qt.Key.Key_4)
    assert not card.note.is_required()
    qtbot.keyClick(card.editor.grade, Qt.Key.Key_3)
    assert card.note.is_required()
    assert "required" in card.note.label.text()
    missing = missing_for_completion(
        grading_store.template, answers.answer_map(grading_store, case)
    )
    assert any(m.item_key == "assessment.grade" and m.what == "evidence note" for m in missing)
    done, total = panel.stage_counts()["assessment"]
    assert done < total


def test_optional_note_appears_when_the_answer_needs_one(qtbot, case, panel):
    card = panel.card("case_details.legal_status")
    assert card.note.isHidden()
    card.editor.radios["other"].click()
    assert not card.note.isHidden()
    assert card.note.is_required()
    card.editor.radios["cso_home"].click()
    assert card.note.isHidden()


def test_agreed_grade_stored_separately(qtbot, case, panel, grading_store):
    editor = panel.card("planning.grade").editor
    qtbot.keyClick(editor.grade, Qt.Key.Key_3)
    qtbot.keyClick(editor.agreed, Qt.Key.Key_4)
    answer = answers.answers_for(grading_store, case)["planning.grade"]
    assert (answer.value, answer.agreed_value) == ("3", "4")
    qtbot.keyClick(editor.agreed, Qt.Key.Key_N)
    assert answers.answers_for(grading_store, case)["planning.grade"].agreed_value == "na"


def test_other_item_kinds_save_canonical_values(qtbot, case, panel, grading_store):
    # a fresh answer for each kind: clear the demo's first
    for key in ("case_details.cso_start", "case_details.months_on_cso"):
        answers.save_answer(grading_store, case, key, value=None)
    panel.set_case(grading_store, case)

    date = panel.card("case_details.cso_start").editor
    date.setText("03/2024")
    date.editingFinished.emit()
    assert stored(grading_store, "case_details.cso_start", case) == "2024-03"
    assert date.text() == "2024-03"

    date.setText("2024-13")
    date.editingFinished.emit()
    card = panel.card("case_details.cso_start")
    assert "no such month" in card.error.text()
    assert date.text() == "2024-13"  # kept for the reader to correct
    assert stored(grading_store, "case_details.cso_start", case) == "2024-03"

    number = panel.card("case_details.months_on_cso").editor
    number.spin.setValue(14)
    number.flush()
    assert stored(grading_store, "case_details.months_on_cso", case) == "14"

    agencies = panel.card("case_details.agencies_read").editor
    for box in agencies.boxes.values():
        box.setChecked(False)
    assert stored(grading_store, "case_details.agencies_read", case) is None
    ids = list(agencies.boxes)
    agencies.boxes[ids[2]].setChecked(True)
    agencies.boxes[ids[0]].setChecked(True)
    assert stored(grading_store, "case_details.agencies_read", case) == f"{ids[0]};{ids[2]}"

    strengths = panel.card("overall.key_strengths").editor
    qtbot.keyClicks(strengths, "  Consistent lead professional  ")
    strengths.flush()
    assert stored(grading_store, "overall.key_strengths", case) == "Consistent lead professional"


def test_many_options_become_a_drop_down_and_dates_know_their_precision(qtbot):
    options = [{"id": f"option_{n}", "label": f"Option {n}"} for n in range(1, 8)]
    many = Item.model_validate(
        {"id": "agency", "kind": "choice", "label": "Lead agency", "options": options}
    )
    few = Item.model_validate(
        {"id": "agency", "kind": "choice", "label": "Lead agency", "options": options[:3]}
    )
    combo = make_editor(many, SCALE)
    qtbot.addWidget(combo)
    assert isinstance(combo, ComboChoice) and isinstance(make_editor(few, SCALE), RadioChoice)
    chosen = []
    combo.chosen.connect(chosen.append)
    combo.activated.emit(3)
    combo.activated.emit(0)
    assert chosen == ["option_3", None]
    combo.set_value("option_7")
    assert combo.currentText() == "Option 7"
    day = make_editor(
        Item.model_validate({"id": "seen", "kind": "date", "label": "Seen on"}), SCALE
    )
    qtbot.addWidget(day)
    assert "2024-03-15" in day.placeholderText()
    with pytest.raises(ValueError, match="no editor"):
        make_editor(Item.model_validate({"id": "g", "kind": "grade", "label": "Grade"}), SCALE)


def test_guidance_is_collapsible_and_stays_as_chosen(qtbot, case, panel):
    page = panel.pages.currentWidget()
    assert page.guidance.isHidden()
    page.guidance_button.click()
    assert not page.guidance.isHidden()
    panel.next_stage()
    assert not panel.pages.currentWidget().guidance.isHidden()


def test_evidence_link_cited_shown_opened_and_removed(qtbot, case, panel, grading_store):
    document = documents.list_documents(grading_store, case)[0]
    panel.set_stage(at(grading_store, "chronology"))  # no note focused: the grade item is cited
    link = panel.cite(document, 3)
    assert link is not None and link.item_key == "chronology.grade"
    assert [
        (lk.document_sha256, lk.page)
        for lk in answers.evidence_links(grading_store, case, "chronology.grade")
    ] == [(document.sha256, 3)]
    chip = panel.card("chronology.grade").note.chips()[0]
    assert chip.open_button.full_text() == f"[{citation_label(document, 3)}]"
    assert citation_label(document, 3).startswith(f"{document.title}, {document.agency}, ")
    with qtbot.waitSignal(panel.evidence_opened) as opened:
        qtbot.keyClick(chip.open_button, Qt.Key.Key_Return)
    assert opened.args == [document.sha256, 3]
    with qtbot.waitSignal(panel.evidence_opened) as opened:
        qtbot.mouseClick(chip.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [document.sha256, 3]
    chip.remove_button.click()
    assert answers.evidence_links(grading_store, case, "chronology.grade") == []
    assert panel.card("chronology.grade").note.chips() == []


def test_cite_goes_to_the_note_that_last_had_focus(qtbot, case, panel, grading_store):
    show(qtbot, panel)
    document = documents.list_documents(grading_store, case)[1]
    panel.set_stage(0)  # Case details: no grade item
    assert panel.cite(document, 1) is None
    assert "evidence note first" in panel.message.text()
    assert answers.evidence_links(grading_store, case) == []
    card = panel.card("case_details.legal_status")
    card.editor.radios["other"].click()
    panel.focus_item("case_details.legal_status", note=True)
    link = panel.cite(document, 2)
    assert link.item_key == "case_details.legal_status"
    # on another stage, that note is not the one meant: the stage's grade item is
    panel.set_stage(at(grading_store, "assessment"))
    assert panel.cite(document, 1).item_key == "assessment.grade"


def test_cite_a_document_of_another_case_is_refused(qtbot, case, panel, grading_store):
    other = documents.list_documents(grading_store, "SA-001")[0]
    panel.set_stage(at(grading_store, "chronology"))
    assert panel.cite(other, 1) is None
    assert "no such document" in panel.message.text()


def test_notes_check_warns_about_a_chi_number(qtbot, case, panel):
    note = panel.card("assessment.grade").note
    qtbot.keyClicks(note.edit, f"Mother's record shows {VALID_CHI} on the form")
    qtbot.waitUntil(lambda: not note.warning.isHidden(), timeout=5000)
    assert note.warnings() == [f"⚠ looks like a CHI number: {VALID_CHI} — records are pseudonymous"]
    note.edit.setPlainText("Reviewed at the meeting on 14/03/2024 by the team manager")
    note.run_check()
    assert note.warnings() == []


def test_notes_check_uses_the_coordinators_names(qtbot, case, panel, grading_store):
    names = panel_module.completion.identifier_names(grading_store)
    assert names, "the demo store has a list of names"
    note = panel.card("assessment.grade").note
    note.edit.setPlainText(f"Spoke with {names[0]} at home")
    note.run_check()
    assert note.warnings() and "name on the coordinator's list" in note.warnings()[0]


def test_stage_navigation_and_completeness(qtbot, case, panel, grading_store):
    show(qtbot, panel)
    template = grading_store.template
    done, total = case_progress(template, answers.answer_map(grading_store, case))
    assert panel.progress_label.text().startswith(f"{done} of {total} required answered")
    start = panel.current_stage_index()
    panel.navigator.setFocus()
    qtbot.keyClick(panel.navigator, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert panel.current_stage_index() == start + 1
    qtbot.keyClick(panel.navigator, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert panel.current_stage_index() == start
    for row, stage in enumerate(template.stages):
        counts = panel.stage_counts()[stage.id]
        entry = panel.navigator.item(row)
        assert entry.data(COUNT_ROLE) == f"{counts[0]}/{counts[1]}"
        assert entry.data(DONE_ROLE) == (counts[0] == counts[1])
    # grading a stage's last item ticks it
    index = at(grading_store, "involvement")
    for item in template.stages[index].items:
        answers.save_answer(grading_store, case, item.key, value=None)
    panel.set_case(grading_store, case)
    stage = template.stages[index]
    panel.set_stage(index)
    for item in stage.items:
        qtbot.keyClick(panel.card(item.key).editor.focus_target(), Qt.Key.Key_4)
        qtbot.keyClick(panel.card(item.key).editor.focus_target(), Qt.Key.Key_Y)
    assert panel.navigator.item(index).data(DONE_ROLE) is True


def test_set_case_saves_the_note_being_typed_to_its_own_case(qtbot, case, panel, grading_store):
    note = panel.card("assessment.grade").note
    qtbot.keyClicks(note.edit, "Typed just before switching case")
    panel.set_case(grading_store, "SA-002")
    assert answers.answers_for(grading_store, case)["assessment.grade"].note == (
        "Typed just before switching case"
    )
    other = answers.answers_for(grading_store, "SA-002").get("assessment.grade")
    assert other is None or other.note != "Typed just before switching case"
    assert panel.card("assessment.grade").note.text() == (other.note if other else "")


def test_keyboard_only_tab_order_follows_the_page(qtbot, case, panel, grading_store):
    show(qtbot, panel)
    panel.set_stage(at(grading_store, "chronology"))
    stage = panel.current_stage()
    first = panel.card(stage.items[0].key).editor
    first.setFocus()
    seen = [first]
    for _ in range(len(stage.items) + 2):
        panel.focusNextChild()
        seen.append(QApplication.focusWidget())
    expected = [panel.card(i.key).editor.focus_target() for i in stage.items]
    grade = panel.card(stage.grade_item.key)
    expected += [grade.editor.agreed, grade.note.edit]
    assert seen[: len(expected)] == expected


def test_clear_shows_no_case(qtbot, case, panel):
    panel.clear()
    assert panel.case_ref() is None
    assert panel._outer.currentIndex() == 0


CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox, QListWidget)


def unnamed_controls(root: QWidget) -> list[str]:
    """Every control under root without an accessible name (parts of spin boxes excepted)."""
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS):
            continue
        parent = widget.parentWidget()
        if isinstance(parent, (QAbstractSpinBox, QComboBox)):
            continue  # a spin box's own line edit: the spin box carries the name
        if not widget.accessibleName().strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} {widget!r}")
    return missing


def test_every_control_has_an_accessible_name(qtbot, case, panel, grading_store):
    panel.set_stage(at(grading_store, "chronology"))
    panel.cite(documents.list_documents(grading_store, case)[0], 1)
    assert panel.card("chronology.grade").note.chips()
    for index in range(len(grading_store.template.stages)):
        panel.set_stage(index)  # pages are built when first shown
    assert len(panel.findChildren(StagePage)) == len(grading_store.template.stages)
    assert unnamed_controls(panel) == []
    assert (
        panel.card("assessment.grade")
        .editor.grade.accessibleDescription()
        .startswith("Current answer:")
    )


def test_descriptor_follows_the_hovered_grade(qtbot, case, panel):
    editor = panel.card("assessment.grade").editor
    qtbot.keyClick(editor.grade, Qt.Key.Key_5)
    QApplication.sendEvent(editor.grade.buttons["1"], QEvent(QEvent.Type.Enter))
    assert editor.descriptor.text().startswith("1 – Unsatisfactory: Major weaknesses")
    QApplication.sendEvent(editor.grade.buttons["1"], QEvent(QEvent.Type.Leave))
    assert editor.descriptor.text() == "5 – Very good: Major strengths"


def overflowing(page) -> list[str]:
    """Widgets shown on a stage page whose right edge lies beyond the page's viewport."""
    viewport = page.viewport()
    wide = []
    for widget in page.widget().findChildren(QWidget):
        if not widget.isVisibleTo(page):
            continue
        right = widget.mapTo(viewport, QPoint(widget.width(), 0)).x()
        if right > viewport.width():
            wide.append(f"{type(widget).__name__} {widget.accessibleName()!r} ends at {right}")
    return wide


def test_panel_at_480_px_reflows_with_no_horizontal_scrolling(qtbot, grading_store, case):
    widget = TemplatePanel()
    qtbot.addWidget(widget)
    widget.resize(480, 800)
    widget.set_case(grading_store, case)
    show(qtbot, widget)
    # the stage list gives its room to the stage: a drop-down above it instead
    assert widget.narrow() and widget.stage_combo.isVisible() and not widget.navigator.isVisible()
    for index in range(len(grading_store.template.stages)):
        widget.set_stage(index)
        page = widget.pages.currentWidget()
        QApplication.processEvents()
        viewport = page.viewport().width()
        assert viewport > 420, "the stage must take the panel's width"
        assert not page.horizontalScrollBar().isVisible()
        assert page.widget().width() <= viewport
        assert page.widget().minimumSizeHint().width() <= viewport, page.stage.id
        for key, card in page.cards.items():
            assert card.editor.width() <= viewport, key
        assert overflowing(page) == [], page.stage.id
    # the grade grid has wrapped: fewer than eight buttons on its first line
    grade = widget.card("chronology.grade").editor.grade
    first_line = [b for b in grade.buttons.values() if b.y() == grade.buttons["1"].y()]
    assert 2 <= len(first_line) <= 3


def test_stage_drop_down_and_list_follow_each_other_as_the_panel_narrows(qtbot, case, panel):
    show(qtbot, panel)
    assert not panel.narrow() and panel.navigator.isVisible()
    panel.navigator.setFocus()
    panel.resize(500, 800)
    qtbot.waitUntil(panel.narrow)
    assert panel.stage_combo.hasFocus() and not panel.navigator.isVisible()
    panel.stage_combo.setCurrentIndex(4)
    assert panel.current_stage_index() == 4 and panel.navigator.currentRow() == 4
    panel.next_stage()
    assert panel.stage_combo.currentIndex() == 5
    assert panel.stage_combo.itemData(5, Qt.ItemDataRole.AccessibleTextRole).startswith(
        panel.current_stage().title
    )
    panel.resize(760, 800)
    qtbot.waitUntil(lambda: not panel.narrow())
    assert panel.navigator.hasFocus() and panel.navigator.currentRow() == 5
    title = panel.current_stage().title
    assert panel.navigator.item(5).toolTip().startswith(title)  # elided titles: whole in the tip


def test_answer_buttons_wrap_onto_more_lines_when_narrow(qtbot):
    item = Item.model_validate({"id": "seen", "kind": "yes_no", "label": "Child seen"})
    row = yes_no_editor(item, SCALE)
    qtbot.addWidget(row)
    row.show()
    narrowest = row.minimumSizeHint().width()
    assert narrowest < 200  # one "Unable to evaluate" button and the row's margins
    lines = {}
    for width in (600, 250, narrowest):
        row.resize(width, row.heightForWidth(width))
        row.grid.setGeometry(row.rect())
        buttons = row.buttons.values()
        lines[width] = len({b.y() for b in buttons})
        assert all(b.geometry().right() < width for b in buttons), width
        assert all(b.width() >= b.sizeHint().width() for b in buttons), "no text cut off"
        assert row.heightForWidth(width) >= max(b.geometry().bottom() for b in buttons)
    assert lines[600] == 1 and lines[250] == 2 and lines[narrowest] == 4
    # widened columns grow together, narrowest first, and never past the room given
    assert share_out([50, 45, 50, 150], 100) == [81, 82, 82, 150]
    assert share_out([50, 45, 50, 150], 400) == [173, 174, 174, 174]
    assert share_out([150, 120], 0) == [150, 120]
    assert share_out([150, 120], -5) == [150, 120]


def test_answer_button_borders_show_on_light_and_dark_windows(qtbot):
    light = QApplication.style().standardPalette()
    for palette in (light, dark_palette()):
        style = button_style(palette)
        border = QColor(re.search(r"border: 1px solid (#[0-9a-f]{6})", style).group(1))
        window = palette.color(QPalette.ColorRole.Window)
        assert contrast_ratio(border, window) >= 2, (border.name(), window.name())
    item = Item.model_validate({"id": "seen", "kind": "yes_no", "label": "Child seen"})
    row = yes_no_editor(item, SCALE)
    qtbot.addWidget(row)
    assert row.styleSheet() == button_style(QApplication.palette())
