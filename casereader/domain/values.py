"""Answer values: the one canonical stored form (a str) for each item kind, and its display.

Canonical forms: grade "1".."6" | "na" | "unable" (never "0"); yes_no "yes" | "no" | "na" |
"unable"; choice an option id; multi_choice option ids joined by ";" in template order; date
"YYYY-MM" or "YYYY-MM-DD" by the item's precision; number a plain decimal ("12", "2.5"); text the
stripped text. An unanswered item has no value (None), never an empty string.
"""

import calendar
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from casereader.domain.template import GRADE_VALUES, YES_NO_VALUES, Item, Scale
from casereader.errors import AnswerRejected

NA, UNABLE = "na", "unable"

_GRADE_WORDS = {
    **{str(g): str(g) for g in range(1, 7)},
    "na": NA,
    "n/a": NA,
    "n": NA,
    "not applicable": NA,
    "unable": UNABLE,
    "u": UNABLE,
    "unable to evaluate": UNABLE,
}
_YES_NO_WORDS = {
    "yes": "yes",
    "y": "yes",
    "no": "no",
    "n": "no",
    "na": NA,
    "n/a": NA,
    "not applicable": NA,
    "unable": UNABLE,
    "u": UNABLE,
    "unable to determine": UNABLE,
    "unable to evaluate": UNABLE,
}
_YES_NO_LABELS = {"yes": "Yes", "no": "No"}  # not applicable and unable: the scale's words

_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_UK_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_UK_MONTH = re.compile(r"^(\d{1,2})/(\d{4})$")
_EARLIEST_YEAR, _LATEST_YEAR = 1990, 2100


def _reject(item: Item, raw: str, accepted: str) -> AnswerRejected:
    shown = raw.strip()
    return AnswerRejected(f"{item.key}: {shown!r} is not an answer for '{item.label}' ({accepted})")


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def normalise_value(item: Item, raw: str) -> str:
    """The canonical stored value for a typed or imported answer; AnswerRejected if it fits not."""
    if not isinstance(raw, str):
        raise AnswerRejected(f"{item.key}: an answer must be text, not {type(raw).__name__}")
    kind = item.kind
    if kind == "grade":
        return _from_words(item, raw, _GRADE_WORDS, "a grade 1 to 6, na or unable; never 0")
    if kind == "yes_no":
        return _from_words(item, raw, _YES_NO_WORDS, "yes, no, na or unable")
    if kind == "choice":
        return _choice(item, raw)
    if kind == "multi_choice":
        return _multi_choice(item, raw)
    if kind == "date":
        return _date(item, raw)
    if kind == "number":
        return _number(item, raw)
    text = raw.strip()
    if not text:
        raise AnswerRejected(
            f"{item.key}: '{item.label}' needs some text; leave it unanswered instead"
        )
    return text


def _from_words(item: Item, raw: str, words: dict[str, str], accepted: str) -> str:
    value = words.get(_words(raw))
    if value is None:
        raise _reject(item, raw, f"expected {accepted}")
    return value


def _option_id(item: Item, text: str) -> str | None:
    wanted = _words(text)
    for option in item.options:
        if wanted in (option.id, _words(option.label)):
            return option.id
    return None


def _options_listed(item: Item) -> str:
    return "expected one of " + ", ".join(f"{o.id} ({o.label})" for o in item.options)


def _choice(item: Item, raw: str) -> str:
    option_id = _option_id(item, raw)
    if option_id is None:
        raise _reject(item, raw, _options_listed(item))
    return option_id


def _multi_choice(item: Item, raw: str) -> str:
    chosen: set[str] = set()
    for part in _choice_parts(item, raw):
        option_id = _option_id(item, part)
        if option_id is None:
            raise _reject(item, part, _options_listed(item) + ", separated by ; or ,")
        chosen.add(option_id)
    if not chosen:
        raise _reject(item, raw, "choose at least one option; " + _options_listed(item))
    return ";".join(o.id for o in item.options if o.id in chosen)


def _choice_parts(item: Item, raw: str) -> list[str]:
    """Split on ";" and then ","; a label that itself holds a comma survives between semicolons."""
    if _option_id(item, raw) is not None:
        return [raw]
    parts: list[str] = []
    for part in raw.split(";"):
        parts.extend([part] if _option_id(item, part) is not None else part.split(","))
    return [p for p in parts if p.strip()]


def _date(item: Item, raw: str) -> str:
    text = raw.strip()
    day: int | None = None
    if m := _ISO_DAY.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _UK_DAY.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := _ISO_MONTH.match(text):
        year, month = int(m[1]), int(m[2])
    elif m := _UK_MONTH.match(text):
        month, year = int(m[1]), int(m[2])
    else:
        raise _reject(item, raw, _date_formats(item))
    if not (_EARLIEST_YEAR <= year <= _LATEST_YEAR) or not 1 <= month <= 12:
        raise _reject(item, raw, "no such month; " + _date_formats(item))
    if item.precision == "month":
        # a full date for a month item loses nothing a reader meant, so keep its month
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise _reject(item, raw, "no such day; " + _date_formats(item))
        return f"{year:04d}-{month:02d}"
    if day is None:
        raise _reject(item, raw, "a day is needed; " + _date_formats(item))
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise _reject(item, raw, "no such day; " + _date_formats(item)) from None


def _date_formats(item: Item) -> str:
    if item.precision == "month":
        return "expected a month like 2024-03 or 03/2024"
    return "expected a date like 2024-03-15 or 15/03/2024"


def _number(item: Item, raw: str) -> str:
    try:
        number = Decimal(raw.strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise _reject(item, raw, "expected a number" + _range(item))
    if item.integer and number != number.to_integral_value():
        raise _reject(item, raw, "expected a whole number" + _range(item))
    too_low = item.min is not None and number < Decimal(str(item.min))
    too_high = item.max is not None and number > Decimal(str(item.max))
    if too_low or too_high:
        raise _reject(item, raw, "expected a number" + _range(item))
    return _plain(number)


def _plain(number: Decimal) -> str:
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _range(item: Item) -> str:
    low = _plain(Decimal(str(item.min))) if item.min is not None else None
    high = _plain(Decimal(str(item.max))) if item.max is not None else None
    if low is not None and high is not None:
        return f" from {low} to {high}"
    if low is not None:
        return f" of at least {low}"
    if high is not None:
        return f" of at most {high}"
    return ""


def display_value(item: Item, value: str | None, scale: Scale) -> str:
    """An answer as a reader sees it ("4 – Good", "Yes", option labels); "" when unanswered."""
    if value is None or value == "":
        return ""
    kind = item.kind
    if kind == "grade":
        if value in (NA, UNABLE):
            return _gap_label(value, scale)
        if value in GRADE_VALUES:
            return f"{value} – {scale.point(int(value)).label}"
    elif kind == "yes_no":
        if value in YES_NO_VALUES:
            return _YES_NO_LABELS.get(value) or _gap_label(value, scale)
    elif kind in ("choice", "multi_choice"):
        labels = [_option_label(item, part) for part in value.split(";")]
        return "; ".join(labels)
    elif kind == "date":
        return _display_date(value)
    else:
        return value
    # a stored value this template does not know is shown as it is, never hidden
    return f"{value} (not in this template)"


def _gap_label(value: str, scale: Scale) -> str:
    """Not applicable and unable, in the template scale's words (one label everywhere)."""
    return scale.not_applicable if value == NA else scale.unable


def _option_label(item: Item, option_id: str) -> str:
    option = item.option(option_id)
    return option.label if option else f"{option_id} (not in this template)"


def _display_date(value: str) -> str:
    parts = value.split("-")
    try:
        year, month = int(parts[0]), int(parts[1])
        name = calendar.month_name[month]
        return f"{int(parts[2])} {name} {year}" if len(parts) == 3 else f"{name} {year}"
    except (ValueError, IndexError):
        return value


def grade_number(value: str | None) -> int | None:
    """The grade 1–6 of a stored grade value; None for na, unable or unanswered (never 0)."""
    if value is None or value in (NA, UNABLE, ""):
        return None
    if value in GRADE_VALUES:
        return int(value)
    raise AnswerRejected(f"{value!r} is not a stored grade (expected 1 to 6, na or unable)")


def shortened_to_month(item: Item, raw: str) -> bool:
    """Whether a full date was given for a month item (and so only its month is kept)."""
    text = raw.strip()
    return item.precision == "month" and bool(_ISO_DAY.match(text) or _UK_DAY.match(text))


def note_required(item: Item, value: str | None) -> bool:
    """Whether this answer needs an evidence note (e.g. any grade of 3 or below)."""
    if not value or not item.note_required_for:
        return False
    if item.kind == "multi_choice":
        return any(part in item.note_required_for for part in value.split(";"))
    return value in item.note_required_for
