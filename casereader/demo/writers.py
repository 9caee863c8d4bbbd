"""Write one demo record as PDF (reportlab), DOCX (python-docx) or plain text."""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from itertools import islice

from docx import Document
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from casereader.demo.text import Block, CaseContext, Kind, header_lines, plain_text

_PAGE_W, _PAGE_H = A4
_LEFT, _RIGHT, _TOP, _BOTTOM = 62.0, 62.0, 60.0, 64.0
_BODY, _LEADING = 10.0, 13.0
_CHRONO_TEXT_X = _LEFT + 128.0
_widths: dict[str, float] = {}  # Helvetica at the body size, by word


def _wrap(text: str, room: float) -> list[str]:
    space = stringWidth(" ", "Helvetica", _BODY)
    lines, line, used = [], [], 0.0
    for word in text.split():
        width = _widths.get(word)
        if width is None:
            width = _widths[word] = stringWidth(word, "Helvetica", _BODY)
        if line and used + space + width > room:
            lines.append(" ".join(line))
            line, used = [], 0.0
        used += (space if line else 0.0) + width
        line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines


# A laid-out line is a tuple of spans (font, size, x, text); an empty tuple is a blank line.
_Span = tuple[str, float, float, str]
_Line = tuple[_Span, ...]


def _layout(stream: Iterator[Block], pages: int, last_fill: float) -> list[list[_Line]]:
    """Lines per page: full pages, then the last page filled to `last_fill` of its height."""
    per_page = int((_PAGE_H - _TOP - _BOTTOM) // _LEADING)
    first_page_room = per_page - 8  # title and header block
    body_room = _PAGE_W - _LEFT - _RIGHT
    entry_room = _PAGE_W - _RIGHT - _CHRONO_TEXT_X
    out: list[list[_Line]] = [[]]
    heading: list[_Line] = []

    def room_left() -> int:
        room = first_page_room if len(out) == 1 else per_page
        return room - len(out[-1])

    for block in stream:
        if block[0] == "h":
            # Held back so a heading never ends a page without the text under it.
            heading = [(), (("Helvetica-Bold", 11.0, _LEFT, block[1]),)]
            continue
        if block[0] == "e":
            wrapped = _wrap(block[3], entry_room) or [""]
            left = [block[1], block[2]]
            group: list[_Line] = []
            for row in range(max(len(wrapped), 2)):
                spans: list[_Span] = []
                if row < 2:
                    spans.append(("Helvetica-Bold", _BODY, _LEFT, left[row]))
                if row < len(wrapped):
                    spans.append(("Helvetica", _BODY, _CHRONO_TEXT_X, wrapped[row]))
                group.append(tuple(spans))
        else:
            group = [(("Helvetica", _BODY, _LEFT, text),) for text in _wrap(block[1], body_room)]
        group = heading + group + [()]
        heading = []
        if len(group) > room_left():
            if len(out) == pages:
                break
            out.append([])
        out[-1].extend(group)
        if len(out) == pages and room_left() < (1.0 - last_fill) * per_page:
            break
    return out


def write_pdf(
    path, ctx: CaseContext, agency: str, kind: Kind, day: date, stream, pages: int,
    rng: random.Random, metadata_date: date | None,
) -> int:  # fmt: skip
    """Write a multi-page record; returns the number of pages actually written."""
    layout = _layout(stream, pages, rng.uniform(0.3, 0.9))
    with _without_ascii85():
        data = _render(ctx, agency, kind, day, layout, metadata_date)
    if metadata_date is None:
        data = _blank_dates(data)
    path.write_bytes(data)
    return len(layout)


@contextmanager
def _without_ascii85():
    """ASCII85 on top of Flate only inflates the file and costs a sixth of the time.

    reportlab reads this switch from its global config when a page is written; a PDF made
    elsewhere in the meantime is still valid either way.
    """
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _render(ctx, agency, kind, day, layout, metadata_date) -> bytes:
    total = len(layout)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(kind.title)
    canvas.setAuthor(header_lines(ctx, agency, kind, day)[2].split("Recorded by: ")[1])
    canvas.setSubject(f"{ctx.case_ref} {agency}")
    canvas.setCreator("casereader demo")
    stamp = metadata_date or date(2000, 1, 1)
    canvas.setDateFormatter(lambda *_: f"D:{stamp:%Y%m%d}093000+00'00'")
    footer = f"{ctx.case_ref} | {agency} | {kind.title}"
    for number, lines in enumerate(layout, start=1):
        y = _PAGE_H - _TOP
        if number == 1:
            canvas.setFont("Helvetica-Bold", 15)
            canvas.drawString(_LEFT, y, kind.title)
            y -= 22
            text = canvas.beginText(_LEFT, y)
            text.setFont("Helvetica", 9)
            text.setLeading(12)
            for line in header_lines(ctx, agency, kind, day):
                text.textLine(line)
            canvas.drawText(text)
            y -= 12 * 4 + 8
            canvas.setLineWidth(0.5)
            canvas.line(_LEFT, y, _PAGE_W - _RIGHT, y)
            y -= 18
        text = canvas.beginText(_LEFT, y)
        font = None
        for line in lines:
            plain = len(line) <= 1 and (not line or line[0][2] == _LEFT)
            for name, size, x, words in line:
                if (name, size) != font:
                    font = (name, size)
                    text.setFont(name, size, _LEADING)
                if not plain:
                    text.setTextOrigin(x, y)
                    text.textOut(words)
            if plain:
                # Most lines: one operator, no coordinates; the leading moves to the next line.
                text.textLine(line[0][3] if line else "")
            else:
                text.setTextOrigin(_LEFT, y - _LEADING)
            y -= _LEADING
        canvas.drawText(text)
        canvas.setFont("Helvetica", 8)
        canvas.drawString(_LEFT, 36, footer)
        canvas.drawRightString(_PAGE_W - _RIGHT, 36, f"Page {number} of {total}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _blank_dates(pdf: bytes) -> bytes:
    """Remove the info dates by overwriting them with spaces, so the xref offsets still hold."""
    return re.sub(rb"/(CreationDate|ModDate) \([^)]*\)", lambda m: b" " * len(m.group(0)), pdf)


_ZIP_TIME = (2025, 1, 31, 9, 30, 0)


def write_docx(path, ctx: CaseContext, agency: str, kind: Kind, day: date, stream, count: int):
    """Write a Word record: title, header, headed sections and an actions table."""
    document = Document()
    document.add_heading(kind.title, level=1)  # mammoth maps Heading 1, not Title
    for line in header_lines(ctx, agency, kind, day):
        document.add_paragraph(line)
    table_done = False
    for block in islice(stream, count):
        if block[0] == "h":
            document.add_heading(block[1], level=2)
        elif block[0] == "e":
            document.add_paragraph(f"{block[1]} [{block[2]}] {block[3]}")
        else:
            document.add_paragraph(block[1])
        if not table_done and block[0] != "h":
            _actions_table(document, day)
            table_done = True
    if not table_done:
        _actions_table(document, day)
    properties = document.core_properties
    properties.title = kind.title
    properties.author = header_lines(ctx, agency, kind, day)[2].split("Recorded by: ")[1]
    properties.comments = ""
    properties.created = properties.modified = datetime(day.year, day.month, day.day, 9, 30)
    properties.last_modified_by = ""
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_fixed_zip_times(buffer.getvalue()))


def _actions_table(document, day: date) -> None:
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, ("Action", "Who (role)", "By when"), strict=True):
        cell.text = label
    actions = (
        ("Update the chronology", "Social worker"),
        ("Offer independent advocacy to the child", "Lead professional"),
        ("Share the plan with school and health", "Social worker"),
        ("Check attendance weekly", "Pastoral care teacher"),
    )
    for number, (action, who) in enumerate(actions, start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = action, who
        cells[2].text = f"{date.fromordinal(day.toordinal() + 14 * number):%d/%m/%Y}"


def _fixed_zip_times(data: bytes) -> bytes:
    """python-docx stamps zip members with the current time; the demo must be byte-identical."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def write_txt(path, ctx: CaseContext, agency: str, kind: Kind, day: date, stream, count: int,
              windows: bool) -> None:  # fmt: skip
    """Write a plain-text record: UTF-8, or Windows-1252 with CRLF as exported from old systems."""
    text = plain_text(ctx, agency, kind, day, stream, count)
    if windows:
        text += (
            "\nNote added by admin: the family received a £50 crisis grant; mother now attends "
            "the café drop-in at the family centre on Tuesdays.\n"
        )
        path.write_bytes(text.replace("\n", "\r\n").encode("cp1252"))
    else:
        path.write_bytes(text.encode("utf-8"))
