import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from casereader.domain.identifiers import Finding, chi_is_valid, find_identifiers

# Fictional names, as a coordinator's list file would hold them.
NAMES = [
    "# family members named in the records",
    "",
    "   ",
    "Jamie Smith",
    "O'Neill",
    "Mary-Jane Brown",
    "Zoë",
    "Aileen",
    "St. John",
    "Ann",
    "A",
]


def check_digit_for(first_nine: str) -> int | None:
    """DOMAIN §3 written out longhand, independently of the module: None when it would be 10."""
    total = 0
    weight = 10
    for char in first_nine:
        total += int(char) * weight
        weight -= 1
    remainder = total % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def kinds(text, names=()):
    return [(f.kind, f.text) for f in find_identifiers(text, names)]


# chi_is_valid


@pytest.mark.parametrize(
    "digits",
    [
        "1403121230",  # 1·10+4·9+0·8+3·7+1·6+2·5+1·4+2·3+3·2 = 99, remainder 0 → check 0
        "1403120080",  # 99 again with a different serial → check 0
        "1403120021",  # 87, remainder 10 → check 1
        "1403121249",  # 101, remainder 2 → check 9
        "2902000030",  # 29 Feb 2000: 00 is a leap year (2000)
        "2902960018",  # 29 Feb 1996
        "3112991230",
        "0509172466",
        "2211104827",
    ],
)
def test_chi_valid(digits):
    assert chi_is_valid(digits)


@pytest.mark.parametrize("last", "0123456789")
def test_chi_remainder_one_is_never_valid(last):
    # 1,4,0,3,1,2,0,0,3 weighs 89 = 8·11 + 1: the check would be 10, so no final digit works.
    assert not chi_is_valid("140312003" + last)


@pytest.mark.parametrize(
    "digits",
    [
        "1403121231",  # check digit off by one
        "1403121239",
        "4103121230",  # date digits swapped: day 41
        "3104123454",  # 31 April, check digit right
        "3201123455",  # day 32
        "0113123450",  # month 13
        "0001123459",  # day 0
        "0100123457",  # month 0
        "3002123455",  # 30 February
        "2902010028",  # 29 February 2001 / 1901
        "2902010052",
    ],
)
def test_chi_invalid(digits):
    assert not chi_is_valid(digits)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "140312123",
        "14031212300",
        "140312 1230",
        "140-312-1230",
        " 1403121230",
        "1403121230\n",
        "abcdefghij",
        "１４０３１２１２３０",  # full-width digits
        "14031212३0",  # a Devanagari digit
    ],
)
def test_chi_is_valid_wants_exactly_ten_ascii_digits(value):
    assert not chi_is_valid(value)


def test_leap_day_is_a_real_date_only_in_leap_years():
    assert check_digit_for("280201005") is not None
    assert chi_is_valid("2802010050")
    assert chi_is_valid("2902040059")
    assert not chi_is_valid("2902010052")
    assert chi_is_valid("2901000053")  # 29 January is always a date


dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31))


@given(dates, st.integers(0, 999))
def test_every_date_and_serial_with_its_check_digit_is_valid(date, serial):
    first_nine = date.strftime("%d%m%y") + f"{serial:03d}"
    check = check_digit_for(first_nine)
    if check is None:
        assert not any(chi_is_valid(first_nine + str(d)) for d in range(10))
    else:
        assert chi_is_valid(first_nine + str(check))


@given(dates, st.integers(0, 999), st.integers(0, 9), st.integers(1, 9))
def test_any_single_wrong_digit_is_caught(date, serial, position, shift):
    first_nine = date.strftime("%d%m%y") + f"{serial:03d}"
    check = check_digit_for(first_nine)
    assume(check is not None)
    digits = list(first_nine + str(check))
    digits[position] = str((int(digits[position]) + shift) % 10)
    assert not chi_is_valid("".join(digits))


@given(dates, st.integers(0, 999), st.integers(0, 8))
def test_any_swap_of_neighbouring_digits_is_caught(date, serial, position):
    first_nine = date.strftime("%d%m%y") + f"{serial:03d}"
    check = check_digit_for(first_nine)
    assume(check is not None)
    digits = list(first_nine + str(check))
    assume(digits[position] != digits[position + 1])
    digits[position], digits[position + 1] = digits[position + 1], digits[position]
    assert not chi_is_valid("".join(digits))


# CHI numbers in notes


@pytest.mark.parametrize(
    "text, found",
    [
        ("CHI 1403121230 on the health file.", "1403121230"),
        ("chi: 140312 1249", "140312 1249"),
        ("CHI no. 140-312-1249.", "140-312-1249"),
        ("CHI 140 312 1249 noted by the health visitor", "140 312 1249"),
        ("(1403120021)", "1403120021"),
        ("CHI1403121230", "1403121230"),
        ("born on a leap day, 2902000030", "2902000030"),
        ("140312\u00a01249", "140312\u00a01249"),
        # in pairs, as the date part is read out
        ("CHI 14 03 12 3454", "14 03 12 3454"),
        ("CHI 14 03 12 34 54 on the referral", "14 03 12 34 54"),
        ("chi: 14-03-12-3454", "14-03-12-3454"),
        ("DOB 14 03 12 3454", "14 03 12 3454"),  # a CHI number, not a date of birth
    ],
)
def test_chi_in_a_note_is_found(text, found):
    assert kinds(text) == [("chi", found)]


def test_two_chi_numbers_in_a_list_are_both_found():
    assert kinds("CHIs 1403121230 1403121249") == [("chi", "1403121230"), ("chi", "1403121249")]


@pytest.mark.parametrize(
    "text",
    [
        "Phoned 0131 496 0000 and left a message.",  # 4-3-4 grouping
        "Mobile 07700 900123",
        "Tel 01314960000",
        "Ref 1403121231 on the system",  # wrong check digit
        "Number 1403120036",  # remainder 1: no valid check digit
        "1403121237",
        "3104123454",  # right check digit, 31 April
        "Ref 14031212300",  # eleven digits
        "Ref 91403121230",
        "1 140 312 1230",  # one group of a longer run of digit groups
        "140 312 1230 5",
        "140312 1230 77",
        "1403 121 230",  # not a CHI grouping
        "140312-12-30",
        "Invoice 1234567890",
        # ten valid digits inside a longer code of letters and digits
        "x1403123454y",
        "Ref AB1403123454",
        "Form 1403123454b",
        "file_1403123454",
        # pairs that are one part of a longer run of pairs
        "14 03 12 34 54 99",
        "7 14 03 12 3454",
    ],
)
def test_ten_digits_that_are_not_a_chi_number_are_not_flagged(text):
    assert kinds(text) == []


# Dates of birth


@pytest.mark.parametrize(
    "text, found",
    [
        ("DOB: 14/03/2012", "14/03/2012"),
        ("DOB:14/03/2012", "14/03/2012"),
        ("dob 14/3/2012", "14/3/2012"),
        ("D.O.B. 14.03.12", "14.03.12"),
        ("D.O.B.: 14-03-2012", "14-03-2012"),
        ("DOB - 2012-03-14", "2012-03-14"),
        ("DOB-2012-03-14", "2012-03-14"),
        ("Date of birth: 14 March 2012", "14 March 2012"),
        ("date of birth is 14th Mar 2012", "14th Mar 2012"),
        ("Child's date-of-birth recorded as 1st of May 2010.", "1st of May 2010"),
        ("The child was born on 3rd January 2011 at home.", "3rd January 2011"),
        ("Born 14/3/2012", "14/3/2012"),
        ("born on the 14th of Sept 2012", "14th of Sept 2012"),
        ("Birth date 14 Dec. 12", "14 Dec. 12"),
        ("birthdate: 02.11.2015", "02.11.2015"),
        ("D.O.B.: March 14, 2012", "March 14, 2012"),
        ("DOB (as recorded): 14/03/2012", "14/03/2012"),
        ("DOB\n14/03/2012", "14/03/2012"),
        ("14/03/2012 (DOB)", "14/03/2012"),
        ("Child 14.3.2012\n(D.O.B.)", "14.3.2012"),
        ("21 March 2012 (DOB)", "21 March 2012"),
        ("14 March 2012 [date of birth]", "14 March 2012"),
        ("DOB 31/12/2009", "31/12/2009"),
        ("DOB 14032012", "14032012"),
        ("D.O.B. 140312.", "140312"),
        ("DOB 03 08 2012", "03 08 2012"),
        ("date of birth: 3 8 2012", "3 8 2012"),
        ("DOB 3-Aug-2012", "3-Aug-2012"),
        ("born 03/aug/12", "03/aug/12"),
        ("Date of birth 3.August.2012", "3.August.2012"),
        ("DOB recorded as 14/03/2012", "14/03/2012"),  # "as": the birth date itself
        ("03 08 2012 (DOB)", "03 08 2012"),
    ],
)
def test_date_of_birth_is_found(text, found):
    assert kinds(text) == [("date_of_birth", found)]


@pytest.mark.parametrize(
    "text",
    [
        "Review held on 14/03/2024.",
        "CPPM 14 March 2024; IRD 2024-03-12; core group 21.3.24.",
        "DOB not known; review held on 14/03/2024.",
        "Child (DOB withheld) attended the review on 14/03/2024.",
        "Meeting 14/03/2024, DOB checked with the school.",
        "The child was born in 2012.",
        "Born March 2012.",  # month and year only
        "Born prematurely; first seen by the health visitor on 14/03/2012.",
        "Mr Dobson's report dated 14/03/2012",  # fictional agency name, not a cue
        "A stillborn sibling is mentioned in the chronology dated 14/03/2012.",
        "DOB 32/13/2012",  # not a date
        "DOB 143212",
        "DOB 1403201",
        "Case 140312 reviewed",  # six digits without a birth cue
        "DOB 14/03/2012/5",
        "Form ref 3.14/03/2012 (DOB)",  # the date would be part of a longer number
        "QI 2.1 and QI 5.3 graded; version 1.2.3",
        # the date the birth date was recorded or checked, not the birth date
        "DOB recorded on 14/03/2024",
        "date of birth confirmed on 14 March 2024 by the school",
        "D.O.B. checked on 2024-03-14 with the GP practice",
        "Date of birth updated on 3-Aug-2024.",
        "DOB was noted on 03 08 2024 at the review",
    ],
)
def test_dates_without_a_birth_cue_are_not_flagged(text):
    assert [kind for kind, _ in kinds(text)] == []


# Postcodes


@pytest.mark.parametrize(
    "text, found",
    [
        ("Family moved to EH1 2NG last year.", "EH1 2NG"),
        ("G12 8QQ", "G12 8QQ"),
        ("address: KA7 1AB.", "KA7 1AB"),
        ("eh1 2ng", "eh1 2ng"),
        ("AB10 1XG", "AB10 1XG"),
        ("(DD1 4HN)", "DD1 4HN"),
        ("IV2 3HH, ZE1 0AA and KY16 9AJ", "IV2 3HH"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("W1A 0AX", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("EH12NG", "EH12NG"),
        ("ML3 0AA", "ML3 0AA"),
        ("G2 2ND", "G2 2ND"),  # capitals: written as a postcode, not an ordinal
        ("TD9\u00a09AA", "TD9\u00a09AA"),
        ("EH1  2NG", "EH1  2NG"),  # two spaces
        ("KA7 \u00a01AB", "KA7 \u00a01AB"),
        # lower case, the inward code reading like an ordinal, but nothing it counts after it
        ("Family now at g3 3rd.", "g3 3rd"),
        ("moved to g2 2nd last year", "g2 2nd"),
        ("address g1 1st, near the school", "g1 1st"),
        ("S4 3rd", "S4 3rd"),
    ],
)
def test_postcode_is_found(text, found):
    assert kinds(text)[0] == ("postcode", found)


def test_several_postcodes_are_all_found():
    assert [text for _, text in kinds("IV2 3HH, ZE1 0AA and KY16 9AJ")] == [
        "IV2 3HH",
        "ZE1 0AA",
        "KY16 9AJ",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "QI 5.3 graded adequate",
        "Reader R1 and R2 disagreed",
        "Case SA-017, reader R3",
        "Review 14/03/2024 at 10:30",
        "Moved school in P7 2nd term",
        "Now in S4 3rd year group",
        "Room G1 1st floor",
        "S4 3rd years and S5",
        "G2 2nd Meeting",
        "CP1 2AB",  # CP is not a postcode area
        "QQ1 2AB",
        "EH1 2CI",  # C and I never appear in the inward code
        "EH1",  # outward code only
        "EH1 2NGX",
        "KA7 1AB9",
        "Vitamin B12 prescribed",
        "GIRFEC wellbeing indicators SHANARRI",
        "A9 road, M8 motorway",
    ],
)
def test_things_that_are_not_postcodes_are_not_flagged(text):
    assert kinds(text) == []


# Names


@pytest.mark.parametrize(
    "text, found",
    [
        ("Jamie Smith attended the review.", "Jamie Smith"),
        ("jamie   smith attended", "jamie   smith"),
        ("Letter from Jamie\nSmith", "Jamie\nSmith"),
        ("Mrs O'Neill phoned.", "O'Neill"),
        ("Mrs O’Neill phoned.", "O’Neill"),
        ("O'Neill's partner", "O'Neill"),
        ("MARY-JANE BROWN", "MARY-JANE BROWN"),
        ("Mary–Jane Brown", "Mary–Jane Brown"),
        ("Zoë is settled at school", "Zoë"),
        ("zoë", "zoë"),
        ("Aileen.", "Aileen"),
        ("'Aileen'", "Aileen"),
        ("St. John visited", "St. John"),
        ("Ann's view", "Ann"),
    ],
)
def test_listed_name_is_found(text, found):
    assert kinds(text, NAMES) == [("name", found)]


@pytest.mark.parametrize(
    "text",
    [
        "Jamieson attended",  # whole words only
        "Smith attended",  # part of a listed full name only
        "Jamie attended",
        "The Annual review; Joanne; Anne",
        "Aileens",
        "The social worker and the health visitor met mother.",
        "Stx John",  # the dot in "St. John" is a dot, not any character
        "a child in a family",  # one-letter entries are ignored
        "Mary Jane Brown",  # the listed name has a hyphen
        "Zoe",
    ],
)
def test_words_that_are_not_listed_names_are_not_flagged(text):
    assert kinds(text, NAMES) == []


def test_comment_lines_and_blank_lines_in_the_list_are_ignored():
    assert kinds("family members named in the records", NAMES) == []
    assert kinds("# Smith", ["# Smith"]) == []
    assert kinds("Smith", ["#Smith", "", "  \t"]) == []


def test_a_name_inside_another_name_after_an_apostrophe_is_not_flagged():
    assert kinds("Mrs O'Neill phoned", ["Neill"]) == []
    assert kinds("Neill phoned", ["Neill"]) == [("name", "Neill")]


def test_the_longest_listed_name_wins():
    assert kinds("Jamie Smith and Jamie", ["Jamie", "Jamie Smith"]) == [
        ("name", "Jamie Smith"),
        ("name", "Jamie"),
    ]


def test_names_sharing_their_first_letters_are_each_found_whole():
    listed = ["Ann", "Anna", "Annabel", "Ann Marie", "Annie-Rose", "Bel"]
    text = "Annabel, Anna, Ann Marie, Ann, Annie-Rose; not Annab, Annie, Ann Mari or Annabelle."
    assert [found for _, found in kinds(text, listed)] == [
        "Annabel",
        "Anna",
        "Ann Marie",
        "Ann",
        "Annie-Rose",
        "Ann",
    ]


def test_a_long_list_of_names_is_checked():
    listed = [f"Forename{i} Surname{i}" for i in range(500)] + ["Aileen"]
    text = "Forename250 Surname250 met Aileen; Forename25 Surname2 did not attend."
    assert kinds(text, listed) == [("name", "Forename250 Surname250"), ("name", "Aileen")]


def test_the_list_may_be_given_as_the_file_text():
    assert kinds("Aileen and Jamie Smith", "# names\nAileen\r\nJamie Smith\n") == [
        ("name", "Aileen"),
        ("name", "Jamie Smith"),
    ]


def test_names_with_surrounding_spaces_and_duplicates_are_tidied():
    assert kinds("Aileen", ["  Aileen  ", "AILEEN", "aileen"]) == [("name", "Aileen")]


def test_no_names_means_no_name_findings():
    assert kinds("Jamie Smith") == []
    assert kinds("Jamie Smith", []) == []
    assert kinds("Jamie Smith", ["#", ""]) == []


def test_names_with_regex_characters_are_taken_literally():
    assert kinds("Sm.th", ["Sm.th"]) == [("name", "Sm.th")]
    assert kinds("Smith", ["Sm.th"]) == []
    assert kinds("Smith", ["Sm[aeiou]th"]) == []


# Whole notes


REALISTIC_NOTE = """\
Chronology is weak: IRD on 12/02/2024 not recorded; CPPM 14 March 2024 and core group
21.3.24 minuted. QI 2.1 graded 3 (adequate); QI 5.3 not evident. Lead professional (social
worker) phoned the health visitor on 0131 496 0000 at 10:30 and mobile 07700 900123.
The child moved from P7 2nd term to S1; 5 of 12 SHANARRI indicators evidenced.
Case SA-017 read by R1, moderated with R2. Chronology entry 2024-03-14: "DOB checked" by
the school nurse. Ref 1234567890 on the SCRA letter. Vitamin B12 noted by the GP.
The Promise: 2030. Respected and included: 87% of actions met.
"""


def test_a_realistic_note_raises_nothing():
    assert find_identifiers(REALISTIC_NOTE, NAMES) == []


def test_every_kind_in_one_note_comes_back_in_order_with_its_place():
    note = (
        "Aileen (DOB 14/03/2012, CHI 140312 1249) lives at KA7 1AB with Mrs O'Neill.\n"
        "Review on 14/03/2024."
    )
    findings = find_identifiers(note, NAMES)
    assert [(f.kind, f.text) for f in findings] == [
        ("name", "Aileen"),
        ("date_of_birth", "14/03/2012"),
        ("chi", "140312 1249"),
        ("postcode", "KA7 1AB"),
        ("name", "O'Neill"),
    ]
    for finding in findings:
        assert note[finding.start : finding.end] == finding.text
    assert [f.message for f in findings] == [
        "matches a name on the coordinator's list",
        "looks like a date of birth",
        "looks like a CHI number",
        "looks like a postcode",
        "matches a name on the coordinator's list",
    ]


def test_a_finding_is_a_frozen_value():
    finding = find_identifiers("G12 8QQ")[0]
    assert finding == Finding("postcode", "G12 8QQ", 0, 7, "looks like a postcode")
    with pytest.raises(AttributeError):
        finding.text = "x"


def test_empty_note_raises_nothing():
    assert find_identifiers("", NAMES) == []


@given(dates, st.integers(0, 999), st.sampled_from(["", " ", "-"]))
def test_a_generated_chi_number_is_found_in_a_sentence(date, serial, separator):
    first_nine = date.strftime("%d%m%y") + f"{serial:03d}"
    check = check_digit_for(first_nine)
    assume(check is not None)
    digits = first_nine + str(check)
    written = digits if not separator else digits[:6] + separator + digits[6:]
    note = f"Health file shows CHI {written} for the child."
    assert kinds(note) == [("chi", written)]


@given(st.text(max_size=300))
def test_any_text_gives_findings_that_point_at_themselves(text):
    for finding in find_identifiers(text, NAMES):
        assert text[finding.start : finding.end] == finding.text
        assert finding.start < finding.end


def test_a_long_note_is_checked():
    note = (REALISTIC_NOTE * 40) + "Contact: Jamie Smith, EH1 2NG."
    findings = find_identifiers(note, NAMES)
    assert [(f.kind, f.text) for f in findings] == [
        ("name", "Jamie Smith"),
        ("postcode", "EH1 2NG"),
    ]


def test_a_chi_number_after_a_birth_cue_is_a_chi_number_not_a_date_of_birth():
    assert kinds("DOB 1403121230") == [("chi", "1403121230")]
