"""The notes check: spot CHI numbers, dates of birth, postcodes and listed names in a note.

Records are pseudonymous, so a note that seems to hold one of these is worth a warning before the
case is marked complete or exported (SPEC §5). The check errs towards precision: meeting dates,
QI numbers and phone numbers are everywhere in notes, and a warning that cries wolf gets ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

CHI = "chi"
DATE_OF_BIRTH = "date_of_birth"
POSTCODE = "postcode"
NAME = "name"

_MESSAGES = {
    CHI: "looks like a CHI number",
    DATE_OF_BIRTH: "looks like a date of birth",
    POSTCODE: "looks like a postcode",
    NAME: "matches a name on the coordinator's list",
}


@dataclass(frozen=True)
class Finding:
    """One stretch of a note that looks like an identifier; text == note[start:end]."""

    kind: str
    text: str
    start: int
    end: int
    message: str


def _finding(kind: str, text: str, start: int, end: int) -> Finding:
    return Finding(kind, text[start:end], start, end, _MESSAGES[kind])


_SEP = r"[ \-\u00a0]"
# Grouped forms must not be one group of a longer run of digit groups ("1 234 567 8901"), but
# an unbroken ten digits may sit in a space-separated list of CHI numbers. Ten digits inside a
# longer code of letters and digits ("x1403123454y") are part of that code, not a CHI number,
# unless the letters before them are the cue itself ("CHI1403121230"). The first digit is
# matched before the look-behinds so that the regex engine can skip ahead to digits quickly.
_CHI_RE = re.compile(
    rf"""
    [0-9] (?: (?<!\w[0-9]) | (?<=[Cc][Hh][Ii][0-9]) )
    (?:
        [0-9]{{9}}
      | (?<![0-9]{_SEP}[0-9])
        (?:
            [0-9]{{2}} {_SEP} [0-9]{{3}} {_SEP} [0-9]{{4}}
          | [0-9]{{5}} {_SEP} [0-9]{{4}}
          # in pairs, as the date part is read out: "14 03 12 3454", "14 03 12 34 54"
          | [0-9] {_SEP} [0-9]{{2}} {_SEP} [0-9]{{2}} {_SEP}
            (?: [0-9]{{4}} | [0-9]{{2}} {_SEP} [0-9]{{2}} )
        )
        (?!{_SEP}[0-9])
    )
    (?!\w)
    """,
    re.VERBOSE,
)

_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_ddmmyy(day: int, month: int, yy: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    # The century is unknown; 29 Feb is real in some century whenever yy is a multiple of 4
    # (00 included, because 2000 was a leap year).
    if month == 2 and day == 29:
        return yy % 4 == 0
    return day <= _DAYS_IN_MONTH[month - 1]


def chi_is_valid(digits: str) -> bool:
    """True if digits is ten digits: a real DDMMYY date, then the right mod-11 check digit."""
    if len(digits) != 10 or not all("0" <= c <= "9" for c in digits):
        return False
    values = [int(c) for c in digits]
    day = values[0] * 10 + values[1]
    month = values[2] * 10 + values[3]
    yy = values[4] * 10 + values[5]
    if not _is_ddmmyy(day, month, yy):
        return False
    weighted = sum(
        value * weight for value, weight in zip(values[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - weighted % 11
    if check == 11:
        check = 0
    # A check of 10 cannot be written as one digit, so no CHI number is ever issued with it.
    return check != 10 and check == values[9]


def _find_chi(text: str) -> list[Finding]:
    found = []
    for match in _CHI_RE.finditer(text):
        digits = "".join(c for c in match.group() if "0" <= c <= "9")
        if chi_is_valid(digits):
            found.append(_finding(CHI, text, match.start(), match.end()))
    return found


_DAY = r"(?:0?[1-9]|[12][0-9]|3[01])"
_MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:[0-9]{4}|[0-9]{2})"
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_NUMERIC_DATES = [
    *(rf"{_DAY}{sep}{_MONTH_NUMBER}{sep}{_YEAR}" for sep in (r"/", r"\.", r"-")),
    # "DOB 03 08 2012"; not the first three pairs of a CHI number ("DOB 14 03 12 3454")
    rf"{_DAY}[ \u00a0]{_MONTH_NUMBER}[ \u00a0]{_YEAR}(?![ \u00a0\-]?[0-9])",
    *(rf"[0-9]{{4}}{sep}{_MONTH_NUMBER}{sep}{_DAY}" for sep in (r"-", r"/", r"\.")),
    # "DOB 140312" or "DOB 14032012": only ever looked for next to a birth cue.
    r"(?:0[1-9]|[12][0-9]|3[01])(?:0[1-9]|1[0-2])(?:[0-9]{4}|[0-9]{2})",
]
_WRITTEN_DATES = [
    rf"{_DAY}{_ORDINAL}(?:\s+of)?\s+{_MONTH_WORD}\.?,?\s+(?:[0-9]{{4}}|['’]?[0-9]{{2}})",
    # "3-Aug-2012", "03/Aug/12", "3.aug.2012"
    *(rf"{_DAY}{sep}{_MONTH_WORD}{sep}(?:[0-9]{{4}}|[0-9]{{2}})" for sep in (r"-", r"/", r"\.")),
    rf"{_MONTH_WORD}\.?\s+{_DAY}{_ORDINAL},?\s+[0-9]{{4}}",
]
_DATE = (
    rf"(?<![0-9])(?<![0-9][./-])(?:{'|'.join(_NUMERIC_DATES)})(?![0-9]|[./-][0-9])"
    rf"|\b(?:{'|'.join(_WRITTEN_DATES)})(?![0-9])"
)
_CUE = (
    r"(?:\bd[./]?\s?o[./]?\s?b\b\.?"
    r"|\bdate[\s-]+of[\s-]+birth\b"
    r"|\bbirth[\s-]?date\b"
    r"|\bborn\b)"
)
# Only punctuation and a few linking words may stand between the cue and the date, so that
# "DOB not known; review held on 14/03/2024" does not flag the review date.
_GAP = (
    r"(?:[\s:=,()\[\]\-–—'\"]"
    r"|\b(?:is|was|on|of|as|the|recorded|given|noted|stated|listed|shown|confirmed)\b){0,12}"
)
_DOB_AFTER_CUE_RE = re.compile(rf"{_CUE}(?P<gap>{_GAP})(?P<date>{_DATE})", re.IGNORECASE)
# "DOB recorded on 14/03/2024", "date of birth confirmed on …": the date the birth date was
# written down or checked, not the birth date ("DOB recorded as 14/03/2012" still is one).
_RECORDING_DATE_RE = re.compile(
    r"\b(?:recorded|given|noted|stated|listed|shown|confirmed|checked|verified|updated|entered)"
    r"\s+on\b",
    re.IGNORECASE,
)
# "14/03/2012 (DOB)": only the bracketed form, since "14/03/2024, DOB checked" is a meeting date.
# The bracket is looked for first and the date just before it, because trying every date form
# at every place in the note is what would make the check slow.
_BRACKETED_CUE_RE = re.compile(
    r"\s*[(\[]\s*(?:d[./]?\s?o[./]?\s?b\.?|date\s+of\s+birth)\s*[)\]]", re.IGNORECASE
)
_DATE_AT_END_RE = re.compile(rf"(?:{_DATE})\Z", re.IGNORECASE)
_LONGEST_DATE = 40


def _find_dates_of_birth(text: str) -> list[Finding]:
    spans = {
        match.span("date")
        for match in _DOB_AFTER_CUE_RE.finditer(text)
        if not _RECORDING_DATE_RE.search(match["gap"])
    }
    for cue in _BRACKETED_CUE_RE.finditer(text):
        window_start = max(0, cue.start() - _LONGEST_DATE)
        # Search the whole window so the date's own look-behinds still see what precedes it.
        for offset in range(window_start, cue.start()):
            date = _DATE_AT_END_RE.match(text, offset, cue.start())
            if date:
                spans.add(date.span())
                break
    return [_finding(DATE_OF_BIRTH, text, start, end) for start, end in sorted(spans)]


# Checking the area against the real list keeps case references and codes like "CP1 2AB" out.
_AREAS_TEXT = """
AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY
E EC EH EN EX FK FY G GL GU HA HD HG HP HR HS HU HX IG IP IV KA KT KW KY L LA LD LE LL LN LS
LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO
SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE GY JE IM
"""
_POSTCODE_AREAS = frozenset(_AREAS_TEXT.split())
_POSTCODE_RE = re.compile(
    r"(?<![\w])(?P<area>[A-Z]{1,2})(?P<district>[0-9][0-9A-Z]?)[ \u00a0]{0,2}"
    r"(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})(?![\w])",
    re.IGNORECASE,
)
_ORDINAL_SUFFIX = {"1": "st", "2": "nd", "3": "rd"}
# What an ordinal in a note counts: "S4 3rd year", "G1 1st floor", "P7 2nd term".
_COUNTED_RE = re.compile(
    r"[ \u00a0\t]+(?:year|term|floor|class|stage|level|grade|group|week|month|day|time|period"
    r"|session|visit|meeting|review|attempt|place|quarter|semester|birthday)s?\b",
    re.IGNORECASE,
)


def _is_ordinal(inward: str) -> bool:
    digit, letters = inward[0], inward[1:]
    return letters.lower() == _ORDINAL_SUFFIX.get(digit, "th")


def _find_postcodes(text: str) -> list[Finding]:
    found = []
    for match in _POSTCODE_RE.finditer(text):
        if match["area"].upper() not in _POSTCODE_AREAS:
            continue
        inward = match["inward"]
        # "S4 3rd year", "G1 1st floor": a school year or room then an ordinal of something, not
        # a postcode; "g3 3rd" on its own is a postcode typed in lower case.
        if (
            _is_ordinal(inward)
            and not inward[1:].isupper()
            and _COUNTED_RE.match(text, match.end())
        ):
            continue
        found.append(_finding(POSTCODE, text, match.start(), match.end()))
    return found


_APOSTROPHES = "'’‘`"
_HYPHENS = "-‐‑–"


def _listed_names(names: str | tuple[str, ...]) -> list[str]:
    entries = [names] if isinstance(names, str) else names
    listed = []
    for entry in entries:
        for line in entry.splitlines():
            name = " ".join(line.split())
            # One-letter entries ("A") would flag ordinary words in every note.
            if not name or name.startswith("#") or sum(c.isalnum() for c in name) < 2:
                continue
            listed.append(name)
    return listed


def _name_unit(char: str) -> str:
    if char == " ":
        return r"\s+"
    if char in _APOSTROPHES:
        return f"[{_APOSTROPHES}]"
    if char in _HYPHENS:
        return f"[{_HYPHENS}]"
    return re.escape(char.lower())


_END = ""


def _trie_pattern(node: dict) -> str:
    branches = [unit + _trie_pattern(child) for unit, child in node.items() if unit != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Greedy and optional: "Jamie Smith" is tried before "Jamie" where both are listed.
    return f"(?:{body})?" if _END in node else body


@lru_cache(maxsize=16)
def _names_re(names: str | tuple[str, ...]) -> re.Pattern[str] | None:
    # One regex shaped as a tree of the names' letters: a long list of plain alternatives would
    # be tried one by one at every place in the note.
    tree: dict = {}
    for name in _listed_names(names):
        node = tree
        for char in name:
            node = node.setdefault(_name_unit(char), {})
        node[_END] = {}
    if not tree:
        return None
    # A name just after "O'" is part of another name ("Neill" inside "O'Neill"); a name before
    # "'s" is still the name.
    return re.compile(rf"(?<!\w)(?<!\w[{_APOSTROPHES}]){_trie_pattern(tree)}(?!\w)", re.IGNORECASE)


def _find_names(text: str, names: Iterable[str]) -> list[Finding]:
    pattern = _names_re(names if isinstance(names, str) else tuple(names))
    if pattern is None:
        return []
    return [_finding(NAME, text, match.start(), match.end()) for match in pattern.finditer(text)]


def find_identifiers(text: str, names: Iterable[str] = ()) -> list[Finding]:
    """Everything in a note that looks like a CHI number, date of birth, postcode or listed name."""
    found = (
        _find_chi(text)
        + _find_dates_of_birth(text)
        + _find_postcodes(text)
        + _find_names(text, names)
    )
    return sorted(found, key=lambda finding: (finding.start, finding.end, finding.kind))
