"""Text and facts from one document file. Pure functions: they run in worker processes."""

import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from xml.etree import ElementTree

from casereader.ingest import ocr
from casereader.ingest.repair import (
    RepairRefused,
    has_pdf_header_further_in,
    repair_pdf,
    tiff_page_count,
)

SUPPORTED = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "txt",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".tif": "tiff",
    ".tiff": "tiff",
}
_MAGIC = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "tiff": (b"II*\x00", b"MM\x00*"),
}
MAX_DOCX_XML_BYTES = 64 * 1024 * 1024
# Every member of a DOCX is checked from the zip directory before a byte is read: a hidden part
# of a gigabyte of zeros is a megabyte on disk, and reading it would take gigabytes.
MAX_DOCX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_DOCX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_DOCX_MEMBERS = 10_000
MAX_DOCX_RATIO = 200  # unpacked / packed, for members over RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class Unreadable(Exception):
    """The file cannot be used; the message is the reason shown in the import report."""


@dataclass
class Extracted:
    sha256: str
    content: bytes
    pages: list[str] = field(default_factory=list)
    page_count: int | None = None
    metadata_date: str | None = None
    recognised: dict[int, ocr.Recognised] = field(default_factory=dict)
    # Pages that needed recognition while the engine was not installed.
    unrecognised: int = 0
    postponed: int = 0  # pages left unrecognised because the deadline passed
    # A damaged PDF imported as its repaired copy: the hash of the file as it was received.
    original_sha256: str | None = None

    @property
    def repaired(self) -> bool:
        return self.original_sha256 is not None


def extract(
    content: bytes, doc_type: str, recognise: bool = False, deadline: float | None = None
) -> Extracted:
    """Hash the bytes and pull out per-page text, page count and (PDF) metadata date.

    With RECOGNISE, pages without a usable text layer (scans) are run through the OCR engine.
    """
    if not content:
        raise Unreadable("empty file")
    sha = hashlib.sha256(content).hexdigest()
    result = Extracted(sha256=sha, content=content)
    if doc_type == "pdf":
        _pdf(content, result)
    elif doc_type == "docx":
        result.pages = [_docx_text(content)]
    elif doc_type == "txt":
        result.pages = [_decode_text(content)]
    else:
        if not content.startswith(_MAGIC[doc_type]):
            raise Unreadable(f"not a valid {doc_type.upper()} image")
        result.page_count = 1
        if doc_type == "tiff":
            result.page_count = tiff_page_count(content)
            if result.page_count == 0:
                raise Unreadable("corrupt TIFF (no readable image directory)")
    if recognise:
        wanted = ocr.pages_to_recognise(doc_type, result.pages, result.page_count)
        if wanted and not ocr.available():
            result.unrecognised = len(wanted)
        elif wanted:
            result.recognised = ocr.recognise_document(result.content, doc_type, wanted, deadline)
            result.postponed = len(wanted) - len(result.recognised)
    return result


def _open_pdf(content: bytes):
    """PDFium's document, or None when PDFium refuses the file (damaged: try a repair)."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) == 4:
            raise Unreadable("password-protected PDF") from e
        return None
    if len(pdf) == 0:
        pdf.close()
        return None
    return pdf


def _pdf(content: bytes, result: Extracted) -> None:
    import pypdfium2 as pdfium

    header = b"%PDF" in content[:1024]
    if not header and not has_pdf_header_further_in(content):
        raise Unreadable("not a PDF (no PDF header)")
    pdf = _open_pdf(content) if header else None
    if pdf is None:
        try:
            repaired = repair_pdf(content)
        except RepairRefused as e:
            raise Unreadable(str(e)) from e
        pdf = _open_pdf(repaired) if repaired else None
        if pdf is None:
            raise Unreadable("corrupt or unreadable PDF (no library could repair it)")
        result.original_sha256 = result.sha256
        result.content, result.sha256 = repaired, hashlib.sha256(repaired).hexdigest()
    try:
        result.page_count = len(pdf)
        if result.page_count == 0:
            raise Unreadable("PDF has no pages")
        for page in pdf:
            textpage = page.get_textpage()
            result.pages.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        result.metadata_date = pdf_date(pdf.get_metadata_value("CreationDate"))
    except pdfium.PdfiumError as e:
        raise Unreadable("corrupt or unreadable PDF") from e
    finally:
        pdf.close()


def pdf_date(value: str) -> str | None:
    """A PDF date string (D:YYYYMMDD…) as YYYY-MM-DD, or None if it is not a real date."""
    m = re.match(r"^(?:D:)?(\d{4})(\d{2})(\d{2})", value or "")
    if not m:
        return None
    return valid_date(*m.groups())


def valid_date(year: str, month: str, day: str) -> str | None:
    import datetime

    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def check_docx_members(z: zipfile.ZipFile) -> None:
    """Refuse (Unreadable) a DOCX whose declared sizes or compression ratios are implausible."""
    infos = z.infolist()
    if len(infos) > MAX_DOCX_MEMBERS:
        raise Unreadable(f"DOCX with {len(infos)} parts (a Word document has far fewer)")
    total = 0
    for info in infos:
        if info.file_size > MAX_DOCX_MEMBER_BYTES:
            raise Unreadable(
                f"DOCX part {info.filename} declares {info.file_size} bytes, over the limit "
                f"of {MAX_DOCX_MEMBER_BYTES}"
            )
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_DOCX_RATIO * max(
            info.compress_size, 1
        ):
            raise Unreadable(
                f"DOCX part {info.filename} unpacks {info.file_size // max(info.compress_size, 1)}"
                " times larger than it is stored (a compression bomb)"
            )
        total += info.file_size
    if total > MAX_DOCX_TOTAL_BYTES:
        raise Unreadable(f"DOCX parts add up to {total} bytes, over the limit")


def _docx_text(content: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(content)) as z:
            check_docx_members(z)
            info = z.getinfo("word/document.xml")
            if info.file_size > MAX_DOCX_XML_BYTES:
                raise Unreadable("DOCX text part is implausibly large")
            xml = z.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as e:
        raise Unreadable("corrupt DOCX (not a Word document)") from e
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as e:
        raise Unreadable("corrupt DOCX (damaged text)") from e
    lines = []
    for para in root.iter(f"{_W}p"):
        lines.append("".join(t.text or "" for t in para.iter(f"{_W}t")))
    return "\n".join(lines)


def _decode_text(content: bytes) -> str:
    if b"\x00" in content[:65536]:
        raise Unreadable("binary data in a .txt file")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Windows-1252 is what Word's "plain text" gives on UK council PCs.
        return content.decode("cp1252", errors="replace")
