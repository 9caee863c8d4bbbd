"""Management review (banner, raising, lifecycle) and marking a case complete."""

import itertools
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QWidget,
)

from casereader.domain.completeness import missing_for_completion
from casereader.store import Store, answers, cases, flags
from casereader.store.cases import CaseIn
from casereader.ui.grading import completion as completion_ui
from casereader.ui.grading import review
from casereader.ui.grading.completion import (
    MissingDialog,
    NotesWarningDialog,
    complete_case_flow,
    missing_text,
)
from casereader.ui.grading.panel import TemplatePanel
from casereader.ui.grading.review import (
    REVIEW_RED,
    AdvanceReviewDialog,
    ManagementReviewBanner,
    RaiseReviewDialog,
    advance_review,
    raise_review,
)

VALID_CHI = "1503121232"  # passes the CHI check digit; fictional
_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def review_store(demo_store_path, demo_passphrase, tmp_path_factory):
    """One private copy of the demo store per module; each test uses a new case of its own."""
    target = tmp_path_factory.mktemp("review") / "review.casereader"
    shutil.copy2(demo_store_path, target)
    opened = Store.open(target, demo_passphrase)
    yield opened
    opened.close()


@pytest.fixture
def case(review_store):
    ref = f"R-{next(_numbers):03d}"
    with review_store.db.atomic():
        cases.upsert_cases(review_store, [CaseIn(ref, "core", False, readers=["R1"])])
    return ref


@pytest.fixture
def errors(monkeypatch):
    """The error messages shown to the reader, instead of modal message boxes."""
    shown = []
    monkeypatch.setattr(review, "show_error", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(completion_ui, "show_error", lambda parent, title, text: shown.append(text))
    return shown


def audit(store, action, case_ref):
    return list(
        store.db.query(
            "SELECT * FROM audit_log WHERE action = ? AND case_ref = ? ORDER BY id",
            [action, case_ref],
        )
    )


def answer_everything(store, case_ref, note="Evidence in the chronology and the plan."):
    """Answer every item so nothing is missing (grades of 4 need no note, but get one)."""
    for _, item in store.template.items():
        value = {
            "grade": "4",
            "yes_no": "no",
            "number": "14",
            "text": "Consistent lead professional.",
        }.get(item.kind)
        if item.kind in ("choice", "multi_choice"):
            value = item.options[0].id
        if item.kind == "date":
            value = "2024-05" if item.precision == "month" else "2024-05-13"
        answers.save_answer(store, case_ref, item.key, value=value, note=note)


# --- raising a review ----------------------------------------------------------------------


def test_raise_dialog_needs_a_category_and_a_description(qtbot):
    dialog = RaiseReviewDialog(None, "SA-009")
    qtbot.addWidget(dialog)
    assert not dialog.ok.isEnabled()
    dialog.description.setPlainText("The child was left alone overnight, police report p. 2.")
    assert not dialog.ok.isEnabled()  # a description without a category
    dialog.description.setPlainText("")
    radios = {b.property("value"): b for b in dialog.category.buttons()}
    assert set(radios) == {"immediate_risk", "investigate", "other"}
    radios["immediate_risk"].setChecked(True)
    assert not dialog.ok.isEnabled()  # a category without a description
    dialog.description.setPlainText("   \n  ")
    assert not dialog.ok.isEnabled()  # blank is not a description
    dialog.description.setPlainText("The child was left alone overnight, police report p. 2.")
    assert dialog.ok.isEnabled()
    assert dialog.values() == (
        "immediate_risk",
        "The child was left alone overnight, police report p. 2.",
    )


def test_raise_dialog_runs_the_notes_check(qtbot):
    dialog = RaiseReviewDialog(None, "SA-009", names=("Jamie Testperson",))
    qtbot.addWidget(dialog)
    dialog.description.setPlainText(f"Jamie Testperson, CHI {VALID_CHI}, seen at home")
    assert not dialog.warning.isHidden()
    assert "CHI number" in dialog.warning.text()
    assert "coordinator's list" in dialog.warning.text()
    dialog.description.setPlainText("Seen at home by the health visitor")
    assert dialog.warning.isHidden()


def test_raise_review_raises_and_audits(qtbot, review_store, case, monkeypatch):
    asked = []

    def ask(parent, case_ref, names=(), category="", description="", **kwargs):
        asked.append(case_ref)
        return "investigate", "No IRD recorded after the police concern report (p. 3)."

    monkeypatch.setattr(RaiseReviewDialog, "ask", ask)
    flag = raise_review(None, review_store, case)
    assert asked == [case]
    assert (flag.case_ref, flag.category, flag.status) == (case, "investigate", "raised")
    assert flags.list_flags(review_store, case) == [flag]
    entries = audit(review_store, "flag.raised", case)
    assert [(e["target"], e["new_value"]) for e in entries] == [(flag.flag_id, "investigate")]


def test_raise_review_cancelled_raises_nothing(qtbot, review_store, case, monkeypatch):
    monkeypatch.setattr(RaiseReviewDialog, "ask", lambda *args, **kwargs: None)
    assert raise_review(None, review_store, case) is None
    assert flags.list_flags(review_store, case) == []
    assert audit(review_store, "flag.raised", case) == []


def test_raise_review_error_is_shown_and_what_was_typed_kept(
    qtbot, review_store, case, monkeypatch, errors
):
    calls = []

    def ask(parent, case_ref, names=(), category="", description="", **kwargs):
        calls.append((category, description))
        if len(calls) == 1:
            return "not-a-category", "A long description the reader must not lose."
        return None

    monkeypatch.setattr(RaiseReviewDialog, "ask", ask)
    assert raise_review(None, review_store, case) is None
    assert len(errors) == 1 and "Unknown category" in errors[0]
    assert calls[1] == ("not-a-category", "A long description the reader must not lose.")
    assert flags.list_flags(review_store, case) == []


# --- the lifecycle -----------------------------------------------------------------------


def test_advance_dialog_offers_only_later_steps_and_needs_a_note_to_close(
    qtbot, review_store, case
):
    flag = flags.raise_flag(review_store, case, "other", "Records of two children mixed up.")
    flag = flags.advance_flag(review_store, flag.flag_id, "referred", "Sent to the partnership")
    dialog = AdvanceReviewDialog(None, flag, who="R1")
    qtbot.addWidget(dialog)
    offered = [b.property("value") for b in dialog.status.buttons()]
    assert offered == ["response_received", "closed"]
    assert dialog.history.count() == 2
    assert "Referred to the partnership" in dialog.history.item(1).text()
    assert dialog.ok.isEnabled()  # response received: a note is optional
    closed = next(b for b in dialog.status.buttons() if b.property("value") == "closed")
    closed.setChecked(True)
    assert not dialog.ok.isEnabled()
    assert "required to close" in dialog.note_label.text()
    dialog.note.setPlainText("Partnership confirmed the records were separated.")
    assert dialog.ok.isEnabled()
    dialog.who.setText("  ")
    assert not dialog.ok.isEnabled()  # someone took the step
    dialog.who.setText("Lead inspector")
    assert dialog.values() == (
        "closed",
        "Partnership confirmed the records were separated.",
        "Lead inspector",
    )


def test_advance_review_forward_with_who_and_audit(qtbot, review_store, case, monkeypatch):
    flag = flags.raise_flag(review_store, case, "immediate-risk", "Child left alone overnight.")
    seen = {}

    def ask(parent, flag_asked, who="", status="", note="", keep=None):
        seen["who"] = who
        return "referred", "Phoned the duty manager", "R1"

    monkeypatch.setattr(AdvanceReviewDialog, "ask", ask)
    updated = advance_review(None, review_store, flag)
    assert seen["who"] == review_store.reader_id  # the default is the store's reader
    assert updated.status == "referred"
    assert [e.status for e in updated.history] == ["raised", "referred"]
    assert updated.history[-1].note == "Phoned the duty manager"
    entries = audit(review_store, "flag.status", case)
    assert [(e["old_value"], e["new_value"]) for e in entries] == [("raised", "referred")]


def test_advance_review_never_goes_back(qtbot, review_store, case, monkeypatch, errors):
    flag = flags.raise_flag(review_store, case, "other", "Unclear who holds parental rights.")
    flags.advance_flag(review_store, flag.flag_id, "response_received", "Letter received")
    answers_given = iter([("referred", "", "R1"), None])
    monkeypatch.setattr(AdvanceReviewDialog, "ask", lambda *a, **k: next(answers_given))
    # the banner's copy of the flag is stale; the store's says response received
    assert advance_review(None, review_store, flag) is None
    assert len(errors) == 1 and "only move forward" in errors[0]
    assert flags.get_flag(review_store, flag.flag_id).status == "response_received"


def test_advance_review_of_a_closed_review_says_so(qtbot, review_store, case, errors):
    flag = flags.raise_flag(review_store, case, "other", "Duplicate record.")
    flag = flags.advance_flag(review_store, flag.flag_id, "closed", "Merged by the partnership")
    assert advance_review(None, review_store, flag) is None
    assert errors == ["This management review is already closed."]


# --- the banner ----------------------------------------------------------------------------


def test_banner_shows_open_reviews_only(qtbot, review_store, case):
    banner = ManagementReviewBanner()
    qtbot.addWidget(banner)
    assert banner.isHidden()
    flag = flags.raise_flag(review_store, case, "immediate-risk", "Child left alone overnight.")
    banner.set_flags(flags.list_flags(review_store, case))
    assert not banner.isHidden()
    texts = " | ".join(label.text() for label in banner.findChildren(review.QLabel))
    assert "Management review: Immediate risk to a child — Raised" in texts
    assert f"Raised by R1 on {review.day_text(flag.raised_at)}" in texts
    assert "Child left alone overnight." in texts
    closed = flags.advance_flag(review_store, flag.flag_id, "closed", "Child now safe at kin's")
    banner.set_flags([closed])
    assert banner.isHidden()


def test_banner_update_runs_the_flow_and_hides_when_closed(qtbot, review_store, case, monkeypatch):
    flag = flags.raise_flag(review_store, case, "investigate", "No chronology since 2023.")
    banner = ManagementReviewBanner()
    qtbot.addWidget(banner)
    banner.set_flags(flags.list_flags(review_store, case, open_only=True), review_store)
    monkeypatch.setattr(
        AdvanceReviewDialog, "ask", lambda *a, **k: ("closed", "Chronology now in place", "R1")
    )
    button = banner.findChildren(review.QPushButton)[0]
    with qtbot.waitSignal(banner.flags_changed) as changed:
        button.click()
    assert changed.args == [case]
    assert flags.get_flag(review_store, flag.flag_id).status == "closed"
    assert banner.isHidden()


def test_banner_without_a_store_asks_its_owner(qtbot, review_store, case):
    flag = flags.raise_flag(review_store, case, "other", "Sibling's records filed here.")
    banner = ManagementReviewBanner()
    qtbot.addWidget(banner)
    banner.set_flags([flag])
    with qtbot.waitSignal(banner.advance_requested) as requested:
        banner.findChildren(review.QPushButton)[0].click()
    assert requested.args == [flag]


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("dark", [False, True])
def test_banner_is_red_and_readable_in_light_and_dark(qtbot, review_store, case, dark, tmp_path):
    app = QApplication.instance()
    before = app.palette()
    if dark:
        palette = QPalette()
        for role, rgb in [
            (QPalette.ColorRole.Window, (45, 45, 48)),
            (QPalette.ColorRole.WindowText, (230, 230, 230)),
            (QPalette.ColorRole.Base, (30, 30, 30)),
            (QPalette.ColorRole.Text, (230, 230, 230)),
            (QPalette.ColorRole.Button, (55, 55, 58)),
            (QPalette.ColorRole.ButtonText, (230, 230, 230)),
        ]:
            palette.setColor(role, QColor(*rgb))
        app.setPalette(palette)
    try:
        flag = flags.raise_flag(review_store, case, "immediate-risk", "Child left alone.")
        banner = ManagementReviewBanner()
        qtbot.addWidget(banner)
        banner.set_flags([flag])
        banner.resize(700, 90)
        banner.show()
        qtbot.waitExposed(banner)
        image = banner.grab().toImage()
        image.save(str(tmp_path / f"banner-{'dark' if dark else 'light'}.png"))
        background = image.pixelColor(image.width() - 4, image.height() // 2)
        assert background.name() == REVIEW_RED
        text = QColor("#ffffff")
        ratio = (_luminance(text) + 0.05) / (_luminance(background) + 0.05)
        assert ratio >= 4.5  # WCAG AA for normal text
    finally:
        app.setPalette(before)


# --- completion ----------------------------------------------------------------------------


def test_raise_dialog_says_what_is_still_needed_until_it_can_be_raised(qtbot):
    dialog = RaiseReviewDialog(None, "SA-009")
    qtbot.addWidget(dialog)
    labels = {w.text() for w in dialog.findChildren(QLabel)}
    assert {"&Reason (required)", "&Description (required)"} <= labels
    assert not dialog.hint.isHidden() and not dialog.ok.isEnabled()
    assert dialog.hint.text() == "Choose a reason and describe the concern to raise it."
    dialog.description.setPlainText("Police report p. 2")
    assert dialog.hint.text() == "Choose a reason to raise it."
    dialog.description.setPlainText("")
    dialog.category.buttons()[1].setChecked(True)
    assert dialog.hint.text() == "Describe the concern to raise it."
    assert not dialog.hint.isHidden() and not dialog.ok.isEnabled()
    dialog.description.setPlainText("Police report p. 2")
    assert dialog.hint.isHidden() and dialog.ok.isEnabled()
    dialog.description.setPlainText("  ")
    assert not dialog.hint.isHidden() and not dialog.ok.isEnabled()


@pytest.fixture
def panel(qtbot, review_store, case):
    widget = TemplatePanel()
    qtbot.addWidget(widget)
    widget.resize(760, 900)
    widget.set_case(review_store, case)
    return widget


def test_completion_lists_exactly_what_is_missing_and_jumps(
    qtbot, review_store, case, panel, monkeypatch
):
    answer_everything(review_store, case)
    answers.save_answer(review_store, case, "planning.grade", value=None)
    answers.save_answer(review_store, case, "review.grade", value="2", note="")
    answers.save_answer(review_store, case, "chronology.present", value=None)
    shown = {}

    def ask(parent, template, case_ref, missing, warnings):
        shown["missing"] = [(m.item_key, m.what) for m in missing]
        return "review.grade", True

    monkeypatch.setattr(MissingDialog, "ask", ask)
    assert complete_case_flow(panel, review_store, case) is False
    assert shown["missing"] == [
        ("chronology.present", "answer"),
        ("planning.grade", "answer"),
        ("review.grade", "evidence note"),
    ]
    assert cases.reader_status(review_store, case) == "in_progress"
    assert panel.current_stage().id == "review"  # the jump went to the gap


def row_texts(dialog) -> list[str]:
    return [row.text(0) for row in dialog.rows]


def heading_texts(dialog) -> list[str]:
    tree = dialog.list
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def test_missing_dialog_groups_by_stage_in_one_wording(qtbot, review_store, case):
    template = review_store.template
    answers.save_answer(review_store, case, "review.grade", value="2", note="")
    missing = missing_for_completion(template, answers.answer_map(review_store, case))
    dialog = MissingDialog(None, template, case, missing, [])
    qtbot.addWidget(dialog)
    required = [item.key for _, item in template.items() if item.required]
    assert len(dialog.rows) == len(missing) == len(required)  # review.grade: its note only
    assert heading_texts(dialog) == [stage.title for stage in template.stages]
    first = dialog.list.topLevelItem(0)
    assert [first.child(i).text(0) for i in range(first.childCount())][:1] == [
        missing_text(missing[0])
    ]
    texts = row_texts(dialog)
    assert "“Quality of chronology” — grade not given" in texts
    assert "“Quality of review” — evidence note not written" in texts
    assert "“Chronology is multi-agency” — not answered" in texts
    assert all(t.startswith("“") and "” — " in t for t in texts)
    go_buttons = [b for b in dialog.findChildren(QPushButton) if b.text().startswith("Go to")]
    assert go_buttons == [dialog.go_button]  # one button for the chosen row, not one per row


def test_missing_dialog_goes_to_the_chosen_gap_by_button_enter_or_double_click(
    qtbot, review_store, case
):
    template = review_store.template
    answers.save_answer(review_store, case, "review.grade", value="2", note="")
    missing = missing_for_completion(template, answers.answer_map(review_store, case))
    note_gap = next(i for i, m in enumerate(missing) if m.what == "evidence note")

    def opened():
        dialog = MissingDialog(None, template, case, missing, [])
        qtbot.addWidget(dialog)
        return dialog

    dialog = opened()
    assert dialog.list.currentItem() is dialog.rows[0]  # Enter works at once
    dialog.list.setCurrentItem(dialog.list.topLevelItem(1))  # a heading is not a gap
    assert not dialog.go_button.isEnabled()
    dialog.list.setCurrentItem(dialog.rows[5])
    assert dialog.go_button.isEnabled()
    dialog.go_button.click()
    assert dialog.jump_to == (missing[5].item_key, False)
    assert dialog.result() == dialog.DialogCode.Rejected

    dialog = opened()
    dialog.list.setCurrentItem(dialog.rows[note_gap])
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert dialog.jump_to == (missing[note_gap].item_key, True)

    dialog = opened()
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.list.scrollToItem(dialog.rows[7])
    where = dialog.list.visualItemRect(dialog.rows[7]).center()
    # a real double-click is a press, a release, then the double-click
    qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert dialog.jump_to == (missing[7].item_key, False)

    dialog = opened()
    dialog.list.setCurrentItem(dialog.list.topLevelItem(0))
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)  # Enter on a heading goes nowhere
    assert dialog.jump_to is None


def test_missing_dialog_opens_tall_enough_for_most_of_the_list(qtbot, review_store, case):
    template = review_store.template
    missing = missing_for_completion(template, answers.answer_map(review_store, case))
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(1400, 1000)
    dialog = MissingDialog(window, template, case, missing, [])
    dialog.show()
    qtbot.waitExposed(dialog)
    assert 700 <= dialog.height() <= 800  # 80% of the window, not the 360 px minimum
    shown = [
        row
        for row in dialog.rows
        if dialog.list.viewport().rect().intersects(dialog.list.visualItemRect(row))
    ]
    assert len(shown) >= 30
    dialog.close()
    few = MissingDialog(window, template, case, missing[:2], [])
    qtbot.addWidget(few)
    assert few.height() < 500  # a short list gets a short dialog


def test_completion_completes_when_nothing_is_missing(
    qtbot, review_store, case, panel, monkeypatch
):
    answer_everything(review_store, case)

    def not_expected(*args, **kwargs):
        raise AssertionError("no dialog is needed")

    monkeypatch.setattr(MissingDialog, "ask", not_expected)
    monkeypatch.setattr(NotesWarningDialog, "ask", not_expected)
    changed = []
    panel.answers_changed.connect(changed.append)
    assert complete_case_flow(panel, review_store, case) is True
    assert cases.reader_status(review_store, case) == "complete"
    assert changed == [case]
    assert "complete" in panel.progress_label.text()


def test_completion_warns_about_identifiers_first(qtbot, review_store, case, monkeypatch):
    answer_everything(review_store, case)
    answers.save_answer(review_store, case, "impact.grade", note=f"CHI {VALID_CHI} on the plan")
    choices = iter([(False, ("impact.grade", True)), (True, None)])
    seen = []

    def ask(parent, template, case_ref, warnings):
        seen.append([(w.item_key, w.finding.text) for w in warnings])
        return next(choices)

    monkeypatch.setattr(NotesWarningDialog, "ask", ask)
    jumps = []
    go_back = complete_case_flow(None, review_store, case, jump=lambda *a: jumps.append(a))
    assert go_back is False
    assert cases.reader_status(review_store, case) == "in_progress"
    assert jumps == [("impact.grade", True)]
    assert complete_case_flow(None, review_store, case) is True  # "Complete anyway"
    assert cases.reader_status(review_store, case) == "complete"
    assert seen[0] == [("impact.grade", VALID_CHI)]


def test_notes_warning_dialog_lists_findings_with_both_choices(qtbot, review_store, case):
    answers.save_answer(review_store, case, "impact.grade", value="4", note=f"CHI {VALID_CHI}")
    warnings = review.completion.check_notes(review_store, [case])
    dialog = NotesWarningDialog(None, review_store.template, case, warnings)
    qtbot.addWidget(dialog)
    assert row_texts(dialog) == [
        f"Note on “Impact on the child”: looks like a CHI number: {VALID_CHI}"
    ]
    assert heading_texts(dialog) == ["Impact"]
    buttons = {b.text() for b in dialog.buttons.buttons()}
    assert buttons == {"Complete anyway", "Go back"}
    dialog.go_button.click()
    assert dialog.jump_to == ("impact.grade", True)


# --- accessibility -----------------------------------------------------------------------

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QListWidget,
    QTreeWidget,
)


def unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS):
            continue
        if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue
        if not widget.accessibleName().strip():
            missing.append(f"{type(widget).__name__} {widget!r}")
    return missing


def test_every_control_in_the_dialogs_and_banner_has_an_accessible_name(qtbot, review_store, case):
    flag = flags.raise_flag(review_store, case, "other", "Records mixed up.")
    answers.save_answer(review_store, case, "impact.grade", value="4", note=f"CHI {VALID_CHI}")
    template = review_store.template
    missing = missing_for_completion(template, answers.answer_map(review_store, case))
    warnings = review.completion.check_notes(review_store, [case])
    banner = ManagementReviewBanner()
    banner.set_flags([flag])
    widgets = [
        banner,
        RaiseReviewDialog(None, case),
        AdvanceReviewDialog(None, flag),
        MissingDialog(None, template, case, missing, warnings),
        NotesWarningDialog(None, template, case, warnings),
    ]
    for widget in widgets:
        qtbot.addWidget(widget)
        assert unnamed_controls(widget) == [], type(widget).__name__
