"""Answer normalisation: every kind accepts its spellings and refuses the rest, naming the item."""

import pytest

from casereader.domain.template import Item, Option, Scale, ScalePoint
from casereader.domain.values import (
    NA,
    UNABLE,
    display_value,
    grade_number,
    normalise_value,
    note_required,
)
from casereader.errors import AnswerRejected

LABELS = ["Unsatisfactory", "Weak", "Adequate", "Good", "Very good", "Excellent"]
SCALE = Scale(
    points=[
        ScalePoint(grade=g, label=LABELS[g - 1], descriptor=f"d{g}", colour="#000000")
        for g in range(1, 7)
    ],
    not_applicable="Not applicable",
    unable="Unable to evaluate",
)
GRADE = Item(
    id="grade",
    key="assessment.grade",
    kind="grade",
    label="Quality of assessment",
    note_required_for=["1", "2", "3"],
)
YES_NO = Item(
    id="good_practice",
    key="overall.good_practice",
    kind="yes_no",
    label="Good-practice example",
    note_required_for=["yes"],
)
AGENCIES = [
    Option(id="social_work", label="Social work"),
    Option(id="health", label="Health"),
    Option(id="police", label="Police Scotland"),
    Option(id="third_sector", label="Third sector, commissioned"),
]
CHOICE = Item(
    id="evidence",
    key="management_oversight.evidence",
    kind="choice",
    label="Evidence of management oversight",
    options=[Option(id="yes", label="Yes"), Option(id="too_recent", label="Record too recent")],
    note_required_for=["too_recent"],
)
MULTI = Item(
    id="agencies_read",
    key="case_details.agencies_read",
    kind="multi_choice",
    label="Agencies read",
    options=AGENCIES,
    note_required_for=["police"],
)
MONTH = Item(
    id="cso_start", key="case_details.cso_start", kind="date", label="CSO start", precision="month"
)
DAY = Item(id="seen", key="initial_response.seen_on", kind="date", label="Seen on")
NUMBER = Item(
    id="months",
    key="case_details.months",
    kind="number",
    label="Months",
    min=0,
    max=216,
    integer=True,
)
DECIMAL = Item(id="hours", key="x.hours", kind="number", label="Hours", min=0.5)
TEXT = Item(id="key_strengths", key="overall.key_strengths", kind="text", label="Key strengths")


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("4", "4"),
        (" 1 ", "1"),
        ("6", "6"),
        ("na", NA),
        ("N/A", NA),
        ("n", NA),
        ("N", NA),
        ("Not applicable", NA),
        ("not  APPLICABLE", NA),
        ("u", UNABLE),
        ("U", UNABLE),
        ("unable", UNABLE),
        ("Unable to evaluate", UNABLE),
    ],
)
def test_grade_accepts(raw, value):
    assert normalise_value(GRADE, raw) == value


@pytest.mark.parametrize("raw", ["0", "7", "", "  ", "4.0", "four", "good", "yes", "-1", "4 5"])
def test_grade_rejects(raw):
    with pytest.raises(AnswerRejected, match=r"assessment\.grade: .*1 to 6, na or unable"):
        normalise_value(GRADE, raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("yes", "yes"),
        ("Y", "yes"),
        ("NO", "no"),
        ("n", "no"),
        ("n/a", NA),
        ("na", NA),
        ("unable to determine", UNABLE),
        ("Unable", UNABLE),
        ("u", UNABLE),
    ],
)
def test_yes_no_accepts(raw, value):
    assert normalise_value(YES_NO, raw) == value


@pytest.mark.parametrize("raw", ["", "maybe", "1", "true", "yes no"])
def test_yes_no_rejects(raw):
    with pytest.raises(AnswerRejected, match=r"overall\.good_practice: .*yes, no, na or unable"):
        normalise_value(YES_NO, raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("yes", "yes"),
        ("too_recent", "too_recent"),
        ("Record too recent", "too_recent"),
        ("  record TOO recent ", "too_recent"),
    ],
)
def test_choice_accepts_ids_and_labels(raw, value):
    assert normalise_value(CHOICE, raw) == value


@pytest.mark.parametrize("raw", ["", "no", "too recent", "yes;too_recent"])
def test_choice_rejects(raw):
    with pytest.raises(AnswerRejected, match=r"management_oversight\.evidence: .*too_recent \("):
        normalise_value(CHOICE, raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("health", "health"),
        ("police;social_work", "social_work;police"),
        ("Police Scotland, Health", "health;police"),
        ("health,health;HEALTH", "health"),
        ("social_work; health ;", "social_work;health"),
        ("Third sector, commissioned", "third_sector"),
        ("Third sector, commissioned; Health", "health;third_sector"),
    ],
)
def test_multi_choice_accepts(raw, value):
    assert normalise_value(MULTI, raw) == value


@pytest.mark.parametrize("raw", ["", " ; , ", "health;education", "Scotland", "health police"])
def test_multi_choice_rejects(raw):
    with pytest.raises(AnswerRejected, match=r"case_details\.agencies_read: .*social_work"):
        normalise_value(MULTI, raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2024-03", "2024-03"),
        ("2024-3", "2024-03"),
        ("03/2024", "2024-03"),
        ("2024-03-15", "2024-03"),
        ("15/03/2024", "2024-03"),
    ],
)
def test_month_date_accepts(raw, value):
    assert normalise_value(MONTH, raw) == value


@pytest.mark.parametrize(
    "raw", ["", "2024", "2024-13", "2024-00", "March 2024", "1899-05", "2024-02-30", "24-03"]
)
def test_month_date_rejects(raw):
    with pytest.raises(AnswerRejected, match=r"case_details\.cso_start: .*2024-03"):
        normalise_value(MONTH, raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("2024-03-05", "2024-03-05"), ("5/3/2024", "2024-03-05"), ("2024-2-29", "2024-02-29")],
)
def test_day_date_accepts(raw, value):
    assert normalise_value(DAY, raw) == value


@pytest.mark.parametrize("raw", ["2024-03", "2023-02-29", "31/04/2024", "2024/03/05", "yesterday"])
def test_day_date_rejects(raw):
    with pytest.raises(AnswerRejected, match=r"initial_response\.seen_on: .*2024-03-15"):
        normalise_value(DAY, raw)


@pytest.mark.parametrize(
    ("item", "raw", "value"),
    [
        (NUMBER, "12", "12"),
        (NUMBER, " 0 ", "0"),
        (NUMBER, "216", "216"),
        (NUMBER, "12.0", "12"),
        (NUMBER, "012", "12"),
        (DECIMAL, "2.50", "2.5"),
        (DECIMAL, "0.5", "0.5"),
        (DECIMAL, "1000000", "1000000"),
    ],
)
def test_number_accepts(item, raw, value):
    assert normalise_value(item, raw) == value


@pytest.mark.parametrize(
    ("item", "raw"),
    [
        (NUMBER, "-1"),
        (NUMBER, "217"),
        (NUMBER, "2.5"),
        (NUMBER, "twelve"),
        (NUMBER, ""),
        (NUMBER, "nan"),
        (NUMBER, "inf"),
        (DECIMAL, "0.4"),
        (DECIMAL, "1,5"),
    ],
)
def test_number_rejects(item, raw):
    with pytest.raises(AnswerRejected, match=rf"{item.key}: .*number"):
        normalise_value(item, raw)


def test_number_range_is_in_the_message():
    with pytest.raises(AnswerRejected, match="from 0 to 216"):
        normalise_value(NUMBER, "300")
    with pytest.raises(AnswerRejected, match="at least 0.5"):
        normalise_value(DECIMAL, "0")


def test_text_is_stripped_and_never_empty():
    assert normalise_value(TEXT, "  Clear plan.\n") == "Clear plan."
    with pytest.raises(AnswerRejected, match=r"overall\.key_strengths: .*needs some text"):
        normalise_value(TEXT, " \n ")


def test_non_text_input_rejected():
    with pytest.raises(AnswerRejected, match="must be text"):
        normalise_value(GRADE, 4)


@pytest.mark.parametrize(
    ("item", "value", "shown"),
    [
        (GRADE, "4", "4 – Good"),
        (GRADE, "1", "1 – Unsatisfactory"),
        (GRADE, NA, "Not applicable"),
        (GRADE, UNABLE, "Unable to evaluate"),
        (GRADE, None, ""),
        (YES_NO, "yes", "Yes"),
        (YES_NO, UNABLE, "Unable to evaluate"),
        (YES_NO, NA, "Not applicable"),
        (CHOICE, "too_recent", "Record too recent"),
        (MULTI, "health;police", "Health; Police Scotland"),
        (MONTH, "2024-03", "March 2024"),
        (DAY, "2024-03-05", "5 March 2024"),
        (NUMBER, "12", "12"),
        (TEXT, "Clear plan.", "Clear plan."),
    ],
)
def test_display_value(item, value, shown):
    assert display_value(item, value, SCALE) == shown


def test_display_never_hides_an_unknown_stored_value():
    assert display_value(GRADE, "0", SCALE) == "0 (not in this template)"
    assert display_value(CHOICE, "gone", SCALE) == "gone (not in this template)"


@pytest.mark.parametrize(
    ("value", "number"), [("1", 1), ("6", 6), (NA, None), (UNABLE, None), (None, None)]
)
def test_grade_number(value, number):
    assert grade_number(value) == number


@pytest.mark.parametrize("value", ["0", "7", "good"])
def test_grade_number_refuses_what_is_not_a_grade(value):
    with pytest.raises(AnswerRejected):
        grade_number(value)


@pytest.mark.parametrize(
    ("item", "value", "needed"),
    [
        (GRADE, "3", True),
        (GRADE, "1", True),
        (GRADE, "4", False),
        (GRADE, NA, False),
        (GRADE, None, False),
        (YES_NO, "yes", True),
        (YES_NO, "no", False),
        (CHOICE, "too_recent", True),
        (CHOICE, "yes", False),
        (MULTI, "health;police", True),
        (MULTI, "health", False),
        (TEXT, "x", False),
    ],
)
def test_note_required(item, value, needed):
    assert note_required(item, value) is needed
