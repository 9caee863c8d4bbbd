"""Damaged PDFs that PDFium refuses, repaired with qpdf (through pikepdf); TIFF page counts.

Pure functions on bytes, run where text extraction runs (a worker process).
"""

import struct
from io import BytesIO

# Leading junk (a mail or web header saved with the file) further in than PDFium looks.
MAX_HEADER_SEARCH = 1024 * 1024
MAX_TIFF_PAGES = 10_000


class RepairRefused(Exception):
    """The file is password-protected: repairing cannot help."""


def repair_pdf(content: bytes) -> bytes | None:
    """A well-formed copy of a damaged PDF (cross-reference table or trailer rebuilt), or None.

    qpdf reconstructs the object table by scanning the file; the copy is written with a
    deterministic ID, so repairing the same damaged file twice gives the same bytes.
    """
    import pikepdf

    try:
        with pikepdf.open(BytesIO(content), attempt_recovery=True) as pdf:
            if len(pdf.pages) == 0:
                return None
            out = BytesIO()
            pdf.save(out, deterministic_id=True, recompress_flate=False)
            return out.getvalue()
    except pikepdf.PasswordError as e:
        raise RepairRefused("password-protected PDF") from e
    except Exception:  # noqa: BLE001 - qpdf gives up on this file in many ways; all mean "no"
        return None


def has_pdf_header_further_in(content: bytes) -> bool:
    return b"%PDF-" in content[:MAX_HEADER_SEARCH]


def tiff_page_count(content: bytes) -> int:
    """How many images (pages) a TIFF holds, by walking its chain of image directories.

    Returns 0 when the first directory cannot be read. A loop or a directory pointing past the
    end stops the walk (the pages before it count).
    """
    if len(content) < 8:
        return 0
    order = {b"II": "<", b"MM": ">"}.get(content[:2])
    if order is None:
        return 0
    magic = struct.unpack_from(order + "H", content, 2)[0]
    if magic == 42:
        offset = struct.unpack_from(order + "I", content, 4)[0]
        count_fmt, entry_size, next_fmt = "H", 12, "I"
    elif magic == 43 and len(content) >= 16:  # BigTIFF
        offset = struct.unpack_from(order + "Q", content, 8)[0]
        count_fmt, entry_size, next_fmt = "Q", 20, "Q"
    else:
        return 0
    count_size = struct.calcsize(count_fmt)
    next_size = struct.calcsize(next_fmt)
    pages, seen = 0, set()
    while offset and offset not in seen and pages < MAX_TIFF_PAGES:
        seen.add(offset)
        if offset + count_size > len(content):
            break
        entries = struct.unpack_from(order + count_fmt, content, offset)[0]
        end = offset + count_size + entries * entry_size
        if entries == 0 or end + next_size > len(content):
            break
        pages += 1
        offset = struct.unpack_from(order + next_fmt, content, end)[0]
    return pages
