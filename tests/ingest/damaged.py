"""Damaged PDFs that PDFium refuses and qpdf repairs, built from a valid one (fictional text)."""

import io

from helpers_ingest import minimal_pdf

TEXT = ["Chronology reviewed by the team manager.", "Child's plan agreed at the review."]


def _cut_at_xref(good: bytes) -> bytes:
    return good[: good.rindex(b"\nxref\n") + 1]


def damaged_pdfs() -> dict[str, bytes]:
    """name → bytes of a PDF with a broken cross-reference table, trailer or header."""

    def good(n: int) -> bytes:  # each file its own text, so no two repair to the same copy
        return minimal_pdf([TEXT[0], f"{TEXT[1]} Letter {n}."])

    return {
        # The cross-reference table is gone and the trailer lost its /Root.
        "no-xref-rootless-trailer": _cut_at_xref(good(1)) + b"trailer\n<< /Size 9 >>\n%%EOF\n",
        # The cross-reference table is garbage and the trailer's /Root points at nothing.
        "garbage-xref-dangling-root": _cut_at_xref(good(2))
        + b"xref\n0 9\nthis is not a cross-reference table\n"
        + b"trailer\n<< /Size 9 /Root 99 0 R >>\nstartxref\n17\n%%EOF\n",
        # 2,000 bytes of a mail header saved in front of the file: every offset is off.
        "junk-before-header": b"X-Mailer: fictional export\r\n" * 72 + good(3),
    }


def hopeless_pdf() -> bytes:
    """A PDF header and nothing usable after it: no library can open it."""
    return b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


def multipage_tiff(pages: int = 3) -> bytes:
    """A TIFF holding PAGES greyscale images of different shades (PIL, test-only)."""
    from PIL import Image

    images = [Image.new("L", (120 + 10 * i, 160), 40 + 60 * i) for i in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "TIFF", save_all=True, append_images=images[1:])
    return out.getvalue()
