"""The page furniture every printed document shares, and building a PDF from flowables.

Header and footer carry the protective marking OFFICIAL-SENSITIVE; the footer says "Page n of
m". Pages are kept until the end (a deferred canvas) so that m is known when they are drawn. A
document may hold sections (one per case in the combined summaries): each starts a PDF outline
entry, and its pages are numbered within the section as well as in the whole file.

PDFs are built with reportlab's ``invariant`` switch: the same input gives the same bytes.
"""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from casereader.errors import CaseReaderError
from casereader.reports.fonts import BOLD, REGULAR
from casereader.reports.styles import (
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_SIZE,
    RULE,
    styles,
)

MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Furniture:
    """What the header and footer say besides the marking."""

    kind: str  # "Case summary", "Record-reading analysis", "Concern form"
    inspection: str
    printed_on: str  # a date: the same input on the same day gives the same bytes


@dataclass
class Laid:
    """A laid-out PDF: its bytes, its page count, the first page of each section and its
    outline entries (page, key, title, level, closed)."""

    data: bytes = b""
    pages: int = 0
    starts: dict[str, int] = field(default_factory=dict)
    outline: list[tuple[int, str, str, int, bool]] = field(default_factory=list)
    # sections in pages appended after this file's own: label -> first page counted from there
    after: dict[str, int] = field(default_factory=dict)

    def page_of(self, label: str) -> int | None:
        """The page a section starts on, in this file or in the pages appended after it."""
        if label in self.starts:
            return self.starts[label]
        if label in self.after:
            return self.pages + self.after[label]
        return None


class Section(Flowable):
    """A zero-size mark: the pages from here on belong to `label`, with an outline entry."""

    def __init__(self, key: str, label: str, title: str, level: int = 0):
        super().__init__()
        self.key, self.label, self.title, self.level = key, label, title, level
        self.width = self.height = 0

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        canvas = self.canv
        if not hasattr(canvas, "mark_outline"):  # a plain reportlab canvas
            canvas.bookmarkPage(self.key)
            canvas.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
            return
        canvas.mark_outline(self.key, self.title, self.level, closed=False)
        canvas.section = self.label
        canvas.section_started(self.label)


class OutlineEntry(Flowable):
    """A zero-size outline (bookmark) entry without starting a new section."""

    def __init__(self, key: str, title: str, level: int = 0):
        super().__init__()
        self.key, self.title, self.level = key, title, level

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        if hasattr(self.canv, "mark_outline"):
            self.canv.mark_outline(self.key, self.title, self.level, closed=True)
        else:  # a plain reportlab canvas
            self.canv.bookmarkPage(self.key)
            self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=True)


class PageRef(Flowable):
    """The first page of a section, filled in when the whole file has been laid out (so a
    contents page at the front can list pages that come after it in a single pass)."""

    def __init__(self, label: str, size: float = 8.5):
        super().__init__()
        self.label, self.size = label, size

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self.size + 2
        return self.width, self.height

    def draw(self):
        if not hasattr(self.canv, "page_refs"):  # a plain reportlab canvas
            return
        x, y = self.canv.absolutePosition(0, 2)
        self.canv.page_refs.append((len(self.canv.kept_pages) + 1, x, y, self.label, self.size))


def _marked_canvas(furniture: Furniture, laid: Laid, checkpoint: Callable[[str], None] | None):
    class MarkedCanvas(Canvas):
        """Keeps every page until save(), then draws the header and footer with the counts."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.section = ""
            self.kept_pages: list[tuple[dict, str]] = []
            self.page_refs: list[tuple[int, float, float, str, float]] = []
            self.outline: list[tuple[int, str, str, int, bool]] = []

        def mark_outline(self, key: str, title: str, level: int, closed: bool) -> None:
            # kept until save(): only then does the PDF have the page to point at
            self.outline.append((len(self.kept_pages) + 1, key, title, level, closed))

        def section_started(self, label: str) -> None:
            laid.starts.setdefault(label, len(self.kept_pages) + 1)
            if checkpoint is not None:
                checkpoint(label)

        def showPage(self):  # noqa: N802 - reportlab's name
            self.kept_pages.append((dict(self.__dict__), self.section))
            self._startPage()

        def save(self):
            laid.pages = len(self.kept_pages)
            totals: dict[str, int] = {}
            for _, section in self.kept_pages:
                totals[section] = totals.get(section, 0) + 1
            seen: dict[str, int] = {}
            refs: dict[int, list] = {}
            for sheet, x, y, label, size in self.page_refs:
                refs.setdefault(sheet, []).append((x, y, label, size))
            marks: dict[int, list] = {}
            for sheet, key, title, level, closed in self.outline:
                marks.setdefault(sheet, []).append((key, title, level, closed))
            for sheet, (state, section) in enumerate(self.kept_pages, 1):
                self.__dict__.update(state)
                for key, title, level, closed in marks.get(sheet, []):
                    self.bookmarkPage(key)
                    self.addOutlineEntry(title, key, level=level, closed=closed)
                seen[section] = seen.get(section, 0) + 1
                self._furniture(section, seen[section], totals[section])
                for x, y, label, size in refs.get(sheet, []):
                    page = laid.page_of(label)
                    self.setFont(REGULAR, size)
                    self.setFillColor(INK)
                    self.drawString(x, y, str(page) if page else "—")
                Canvas.showPage(self)
            laid.outline = list(self.outline)
            Canvas.save(self)

        def _furniture(self, section: str, page: int, pages: int):
            width, height = PAGE_SIZE
            left, right = MARGIN_X, width - MARGIN_X
            top = height - MARGIN_TOP + 9
            bottom = MARGIN_BOTTOM - 12
            self.saveState()
            self.setFillColor(MUTED)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(left, top - 3, right, top - 3)
            self.line(left, bottom + 9, right, bottom + 9)
            self.setFont(BOLD, 9)
            self.drawCentredString(width / 2, top + 1, MARKING)
            self.drawCentredString(width / 2, bottom, MARKING)
            self.setFont(REGULAR, 8)
            self.drawString(left, top + 1, furniture.kind)
            if section:
                self.drawRightString(right, top + 1, section)
            self.drawString(left, bottom, _fit(self, furniture.inspection, 70 * 2.835))
            self.drawRightString(right, bottom, f"Page {page} of {pages}")
            self.drawString(left, bottom - 10, f"Printed {furniture.printed_on}")
            self.restoreState()

    return MarkedCanvas


def _fit(canvas: Canvas, text: str, width: float) -> str:
    """Shorten text with an ellipsis so it fits in width points."""
    if canvas.stringWidth(text, REGULAR, 8) <= width:
        return text
    while text and canvas.stringWidth(text + "…", REGULAR, 8) > width:
        text = text[:-1]
    return text + "…"


def build_pdf(
    flowables: list[Flowable],
    furniture: Furniture,
    title: str,
    out: Path | BytesIO | None = None,
) -> bytes:
    """Lay the flowables out on marked A4 pages; returns the PDF (and writes it to out)."""
    return layout_pdf(flowables, furniture, title, out).data


def layout_pdf(
    flowables: list[Flowable],
    furniture: Furniture,
    title: str,
    out: Path | BytesIO | None = None,
    checkpoint: Callable[[str], None] | None = None,
    after: dict[str, int] | None = None,
) -> Laid:
    """As build_pdf, with the page count and where each section starts.

    ``checkpoint(label)`` is called as each section starts; it may raise to stop the layout.
    ``after`` gives the sections of pages that will be appended to this file (their first
    page counted from the end of this file), so that a contents page can point at them.
    """
    styles()  # registers the fonts
    buffer = BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author="casereader",
        subject=f"{MARKING} · {furniture.kind} · {furniture.inspection}",
        creator="casereader",
        invariant=1,
        pageCompression=1,
        initialFontName=REGULAR,  # else every page names Helvetica, which it never uses
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    laid = Laid(after=dict(after or {}))
    doc.build(list(flowables), canvasmaker=_marked_canvas(furniture, laid, checkpoint))
    laid.data = buffer.getvalue()
    if isinstance(out, BytesIO):
        out.write(laid.data)
    elif out is not None:
        write_file(Path(out), laid.data)
    return laid


def write_file(path: Path, data: bytes) -> None:
    """Write next to the target, then rename: a half-written PDF never has the final name."""
    partial = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as e:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise CaseReaderError(
            f"Cannot write {path}: {e.strerror or e}. Choose a folder you can write to."
        ) from e
