"""The page furniture every printed document shares, and building a PDF from flowables.

Header and footer carry the protective marking OFFICIAL-SENSITIVE; the footer says "Page n of
m". Pages are kept until the end (a deferred canvas) so that m is known when they are drawn. A
document may hold sections (one per case in the combined summaries): each starts a PDF outline
entry, and its pages are numbered within the section as well as in the whole file.

PDFs are built with reportlab's ``invariant`` switch: the same input gives the same bytes.
"""

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from casereader.errors import CaseReaderError
from casereader.reports.fonts import BOLD, REGULAR
from casereader.reports.styles import (
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
    sheet_numbers: bool = False  # combined files: also "sheet n of m" over the whole file


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
        canvas.bookmarkPage(self.key)
        canvas.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
        canvas.section = self.label


class OutlineEntry(Flowable):
    """A zero-size outline (bookmark) entry without starting a new section."""

    def __init__(self, key: str, title: str, level: int = 0):
        super().__init__()
        self.key, self.title, self.level = key, title, level

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=True)


def _marked_canvas(furniture: Furniture, counted: list[int]):
    class MarkedCanvas(Canvas):
        """Keeps every page until save(), then draws the header and footer with the counts."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.section = ""
            self._kept: list[tuple[dict, str]] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._kept.append((dict(self.__dict__), self.section))
            self._startPage()

        def save(self):
            totals: dict[str, int] = {}
            for _, section in self._kept:
                totals[section] = totals.get(section, 0) + 1
            seen: dict[str, int] = {}
            for sheet, (state, section) in enumerate(self._kept, 1):
                self.__dict__.update(state)
                seen[section] = seen.get(section, 0) + 1
                self._furniture(section, seen[section], totals[section], sheet, len(self._kept))
                Canvas.showPage(self)
            counted.append(len(self._kept))
            Canvas.save(self)

        def _furniture(self, section: str, page: int, pages: int, sheet: int, sheets: int):
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
            numbers = f"Page {page} of {pages}"
            if furniture.sheet_numbers:
                numbers += f" · sheet {sheet} of {sheets}"
            self.drawRightString(right, bottom, numbers)
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
    return layout_pdf(flowables, furniture, title, out)[0]


def layout_pdf(
    flowables: list[Flowable],
    furniture: Furniture,
    title: str,
    out: Path | BytesIO | None = None,
) -> tuple[bytes, int]:
    """As build_pdf, also saying how many pages the PDF has."""
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
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    counted: list[int] = []
    doc.build(flowables, canvasmaker=_marked_canvas(furniture, counted))
    data = buffer.getvalue()
    if isinstance(out, BytesIO):
        out.write(data)
    elif out is not None:
        write_file(Path(out), data)
    return data, counted[0]


def write_file(path: Path, data: bytes) -> None:
    """Write next to the target, then rename: a half-written PDF never has the final name."""
    partial = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        partial.replace(path)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise CaseReaderError(
            f"Cannot write {path}: {e.strerror or e}. Choose a folder you can write to."
        ) from e
