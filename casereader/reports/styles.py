"""Paragraph styles, colours and measures shared by every printed document (A4)."""

import re
from functools import cache, lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit

from casereader.reports.fonts import BOLD, REGULAR, register_fonts

PAGE_SIZE = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
SHADE = colors.HexColor("#ececec")  # table headers: a light grey that survives photocopying
LIGHT = colors.HexColor("#f6f6f6")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The named styles (fonts are registered on first use)."""
    register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=REGULAR,
        bulletFontName=REGULAR,
        fontSize=9.5,
        leading=12.5,
        textColor=INK,
        alignment=TA_LEFT,
    )
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "muted": ParagraphStyle("muted", parent=body, fontSize=8, leading=10, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=body, fontName=BOLD, fontSize=8.5, leading=10.5
        ),
        "title": ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=16, leading=20, spaceAfter=6
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=BOLD,
            fontSize=10.5,
            leading=13.5,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "note": ParagraphStyle("note", parent=body, leftIndent=8, spaceBefore=3, spaceAfter=1),
        "note_text": ParagraphStyle("note_text", parent=body, leftIndent=20, spaceAfter=2),
        "cite": ParagraphStyle(
            "cite", parent=body, fontSize=8, leading=10, leftIndent=20, textColor=MUTED
        ),
        "sentence": ParagraphStyle(
            "sentence", parent=body, leftIndent=10, bulletIndent=0, spaceAfter=3
        ),
    }


def text(value: object) -> str:
    """Plain text made safe for a Paragraph: markup characters escaped, line breaks kept.

    Everything printed comes from a store or a bundle, so none of it is ever taken as markup.
    """
    raw = _CONTROL.sub("", str(value if value is not None else ""))
    escaped = escape(raw)
    return escaped.replace("\r\n", "\n").replace("\n", "<br/>")


@lru_cache(maxsize=4096)
def wrapped(value: str, width: float, font: str = REGULAR, size: float = 8.5) -> str:
    """Plain text broken into lines that fit width, for a table cell drawn as plain strings.

    Much quicker than a Paragraph, and the same item labels recur in every case's summary,
    so the breaking is remembered.
    """
    register_fonts()
    out = []
    for line in _CONTROL.sub("", value).splitlines() or [""]:
        out.extend(simpleSplit(line, font, size, width) or [""])
    return "\n".join(out)
