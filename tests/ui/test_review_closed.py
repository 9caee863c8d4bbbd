"""Closed management reviews stay in sight with their steps (over the case and as "Closed" in
the case list), and the review menu's entries are short: "Update review (Referred, 5 Dec)"."""

from datetime import datetime

import pytest
from PySide6.QtWidgets import QMenu, QWidget

from casereader.store import flags
from casereader.store.models import Flag, FlagEvent
from casereader.ui.case_model import REVIEW
from casereader.ui.grading import review_closed
from casereader.ui.grading.review_closed import ClosedReviews, lifecycle_text
from casereader.ui.grading.review_menu import ReviewMenu, update_label, update_labels
from casereader.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("modal_guard")
YEAR = datetime.now().year


def a_flag(status="referred", category="investigate", at=f"{YEAR}-12-05T12:00:00+00:00"):
    history = [FlagEvent(status="raised", actor="R1", at=f"{YEAR}-12-01T12:00:00+00:00", note="")]
    if status != "raised":
        history.append(FlagEvent(status=status, actor="Lead", at=at, note="Done."))
    return Flag(
        flag_id=f"f-{status}-{category}", case_ref="SA-001", reader_id="R1", category=category,
        description="A concern.", status=status, raised_by="R1", raised_at=history[0].at,
        updated_at=at, history=history,
    )  # fmt: skip


def test_update_label_is_short_and_exact():
    today = datetime(YEAR, 12, 6).astimezone()
    assert update_label(a_flag("referred"), today) == "Update review (Referred, 5 Dec)"
    assert update_label(a_flag("response_received"), today) == (
        "Update review (Response received, 5 Dec)"
    )
    last_year = a_flag("referred", at=f"{YEAR - 1}-12-05T12:00:00+00:00")
    assert update_label(last_year, today) == f"Update review (Referred, 5 Dec {YEAR - 1})"


def test_two_reviews_at_the_same_step_are_told_apart_by_reason():
    today = datetime(YEAR, 12, 6).astimezone()
    labels = update_labels([a_flag(), a_flag(category="immediate_risk")], today)
    assert labels == [
        "Update review (Referred, 5 Dec, concern)",
        "Update review (Referred, 5 Dec, immediate risk to a child)",
    ]


def test_review_menu_shows_the_short_entry(qtbot, monkeypatch):
    shown = []

    def exec_(menu, pos):
        shown.extend(a.text() for a in menu.actions())
        return menu.actions()[1]

    monkeypatch.setattr(ReviewMenu, "exec", exec_)
    anchor = QWidget()
    qtbot.addWidget(anchor)
    flag = a_flag("referred")
    assert ReviewMenu.ask(anchor, [flag]) == flag
    assert shown == ["Raise another management review…", "Update review (Referred, 5 Dec)…"]
    # it fits: no wider than the review button's column would allow on a 1280 px screen
    assert QMenu().fontMetrics().horizontalAdvance(shown[1]) < 320


def test_lifecycle_text_names_every_step():
    closed = a_flag("closed")
    assert lifecycle_text(closed) == "Raised 1 Dec by R1 → Closed 5 Dec by Lead"


@pytest.fixture
def window(qtbot, writable_store):
    w = MainWindow(writable_store)
    qtbot.addWidget(w)
    w.resize(1440, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def close_demo_review(store) -> Flag:
    flag = flags.list_flags(store, "SA-002", open_only=True)[0]
    flags.advance_flag(store, flag.flag_id, "referred", "Sent to the partnership.", "R1")
    return flags.advance_flag(store, flag.flag_id, "closed", "Plan reviewed; closed.", "Lead")


def test_closed_review_stays_in_the_workspace_with_its_history(
    qtbot, window, writable_store, monkeypatch
):
    closed = close_demo_review(writable_store)
    window.case_list.select_case("SA-002")
    window.workspace.set_case("SA-002")
    strip: ClosedReviews = window.workspace.closed_reviews
    assert not window.workspace.banner.isVisible()  # nothing open: no red banner
    assert strip.isVisible()
    assert [f.flag_id for f in strip.flags()] == [closed.flag_id]
    (text,) = strip.row_texts()
    assert text.startswith("Management review closed: Immediate risk to a child · Raised ")
    assert " → Referred " in text and text.endswith("by Lead")
    seen = []
    monkeypatch.setattr(
        review_closed.ReviewHistoryDialog, "show_for", classmethod(lambda c, p, f: seen.append(f))
    )
    button = next(b for b in strip.findChildren(type(window.workspace.review_button)))
    button.click()
    assert [f.flag_id for f in seen] == [closed.flag_id]
    dialog = review_closed.ReviewHistoryDialog(window, closed)
    assert dialog.history.count() == 3  # raised, referred, closed: each with who and note
    assert "Plan reviewed; closed." in dialog.history.item(2).text()


def test_closing_from_the_banner_moves_the_review_to_the_closed_strip(
    qtbot, window, writable_store, monkeypatch
):
    from casereader.ui.grading import review

    def advance(parent, store, flag):
        return flags.advance_flag(store, flag.flag_id, "closed", "No further action.", "Lead")

    monkeypatch.setattr(review, "advance_review", advance)
    window.case_list.select_case("SA-002")
    window.workspace.set_case("SA-002")
    banner = window.workspace.banner
    assert banner.isVisible() and not window.workspace.closed_reviews.isVisible()
    banner.advance(banner.flags()[0])
    assert not banner.isVisible()
    assert window.workspace.closed_reviews.isVisible()


def test_case_list_says_closed(qtbot, window, writable_store):
    close_demo_review(writable_store)
    window.workspace.case_changed.emit("SA-002")
    model = window.case_list.model
    row = model.row_of("SA-002")
    mark = model.index(row, REVIEW).data()
    # the closing step is not sent yet: "Not sent" wins until a bundle carries it
    assert mark in ("Not sent", "Closed")
    model.set_unsent({})
    assert model.index(row, REVIEW).data() == "Closed"
    assert model.text(model.row_at(row), REVIEW, spoken=True) == "management review closed"
    never = model.row_of("SA-001")
    assert model.index(never, REVIEW).data() == ""
