"""Offline text recognition of scanned pages with Tesseract (Debian's tesseract-ocr + -eng).

The engine is run as its own command line, one single-threaded process per page, reading a
greyscale PNG on stdin and writing TSV (words, boxes, confidences) on stdout. Nothing is
downloaded and nothing leaves the machine. Pure functions: they run in the import's workers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from io import BytesIO

ENGINE = "tesseract"
LANGUAGE = "eng"
RENDER_DPI = 200  # image-only PDF pages are rendered at this resolution
MIN_WIDTH = 1200  # smaller scans (e.g. 96 dpi) are enlarged so letters are tall enough
MAX_PIXELS = 40_000_000  # a page bigger than this is not recognised (memory)
TIMEOUT_S = 120
# A PDF page with fewer characters than this in its text layer is treated as a scan.
USABLE_TEXT_CHARS = 10


@dataclass
class Recognised:
    """One page's recognition: status text | empty | failed, text, mean confidence (0–100)
    and word boxes as (word, x0, y0, x1, y1) in fractions of the page's width and height."""

    status: str
    text: str = ""
    confidence: float | None = None
    words: list[tuple[str, float, float, float, float]] = field(default_factory=list)
    reason: str = ""


def available() -> bool:
    """Whether the engine and its English data are installed."""
    return shutil.which(ENGINE) is not None


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"  # one core per worker: threads only fight each other
    return env


def recognise_image(image) -> Recognised:
    """Recognise one page given as a Pillow image."""
    from PIL import Image

    if image.width * image.height > MAX_PIXELS:
        return Recognised("failed", reason="the page image is too large to recognise")
    grey = image.convert("L")
    if grey.width < MIN_WIDTH:
        factor = MIN_WIDTH / grey.width
        grey = grey.resize(
            (MIN_WIDTH, max(round(grey.height * factor), 1)), Image.Resampling.LANCZOS
        )
    buffer = BytesIO()
    grey.save(buffer, "PNG", compress_level=1)
    try:
        done = subprocess.run(
            [ENGINE, "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "tsv"],
            input=buffer.getvalue(),
            capture_output=True,
            env=_environment(),
            timeout=TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError:
        return Recognised("failed", reason="text recognition is not installed")
    except subprocess.TimeoutExpired:
        return Recognised("failed", reason="text recognition took too long")
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return Recognised("failed", reason=(message[-1] if message else "the engine failed"))
    return parse_tsv(done.stdout.decode("utf-8", "replace"), grey.width, grey.height)


def parse_tsv(tsv: str, width: int, height: int) -> Recognised:
    """Tesseract's TSV as page text (lines, blank line between blocks) and word boxes."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    words: list[tuple[str, float, float, float, float]] = []
    confidences: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        word = cols[11].strip()
        conf = float(cols[10])
        if not word or conf < 0:
            continue
        left, top, w, h = (int(c) for c in cols[6:10])
        lines.setdefault((int(cols[2]), int(cols[3]), int(cols[4])), []).append(word)
        words.append(
            (
                word,
                round(left / width, 5),
                round(top / height, 5),
                round((left + w) / width, 5),
                round((top + h) / height, 5),
            )
        )
        confidences.append(conf)
    if not words:
        return Recognised("empty")
    text_parts: list[str] = []
    previous_block = None
    for (block, _par, _line), line_words in lines.items():
        if previous_block is not None and block != previous_block:
            text_parts.append("")
        text_parts.append(" ".join(line_words))
        previous_block = block
    return Recognised(
        "text",
        text="\n".join(text_parts),
        confidence=round(sum(confidences) / len(confidences), 1),
        words=words,
    )


def image_pages(content: bytes):
    """Every page (frame) of a PNG, JPEG or TIFF as a Pillow image."""
    from PIL import Image, ImageSequence

    image = Image.open(BytesIO(content))
    for frame in ImageSequence.Iterator(image):
        yield frame.copy()


def render_pdf_page(page):
    """A pypdfium2 page as a greyscale Pillow image at RENDER_DPI (smaller if huge)."""
    width, height = page.get_size()
    scale = RENDER_DPI / 72
    pixels = width * height * scale * scale
    if pixels > MAX_PIXELS:
        scale *= (MAX_PIXELS / pixels) ** 0.5
    return page.render(scale=scale, grayscale=True).to_pil()


def pages_to_recognise(doc_type: str, pages: list[str], page_count: int | None) -> list[int]:
    """Pages (from 1) without a usable text layer: every page of an image, scanned PDF pages."""
    if doc_type in ("png", "jpeg", "tiff"):
        return list(range(1, (page_count or 1) + 1))
    if doc_type != "pdf":
        return []
    count = page_count or len(pages)
    return [
        n
        for n in range(1, count + 1)
        if n > len(pages) or len(pages[n - 1].strip()) < USABLE_TEXT_CHARS
    ]


def recognise_document(
    content: bytes, doc_type: str, wanted: list[int], deadline: float | None = None
) -> dict[int, Recognised]:
    """Recognise the WANTED pages (from 1) of a PDF or image document; once DEADLINE (a
    time.monotonic() value) has passed, the remaining pages are left out of the result."""
    import time

    def late() -> bool:
        return deadline is not None and time.monotonic() > deadline

    wanted_set = set(wanted)
    results: dict[int, Recognised] = {}
    if not wanted_set:
        return results
    if doc_type == "pdf":
        import pypdfium2 as pdfium

        try:
            pdf = pdfium.PdfDocument(content)
        except pdfium.PdfiumError:
            return {n: Recognised("failed", reason="the PDF cannot be opened") for n in wanted}
        try:
            for n in sorted(wanted_set):
                if n > len(pdf) or late():
                    continue
                page = pdf[n - 1]
                try:
                    results[n] = recognise_image(render_pdf_page(page))
                except pdfium.PdfiumError:
                    results[n] = Recognised("failed", reason="the page cannot be rendered")
                finally:
                    page.close()
        finally:
            pdf.close()
        return results
    from PIL import Image, UnidentifiedImageError

    try:
        for n, frame in enumerate(image_pages(content), 1):
            if n in wanted_set and not late():
                results[n] = recognise_image(frame)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
        for n in wanted_set - results.keys():
            if not late():
                results[n] = Recognised("failed", reason="the image cannot be decoded")
    return results


def character_error_rate(expected: str, recognised: str) -> float:
    """Edit distance between the texts (whitespace runs as one space) over the expected length:
    the measure the accuracy test and benchmark hold recognition to."""
    a, b = " ".join(expected.split()), " ".join(recognised.split())
    if not a:
        return 0.0 if not b else 1.0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] / len(a)
