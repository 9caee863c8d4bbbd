"""Builders for the importer tests: small real files of every supported kind (fictional text)."""

import hashlib
import io
from pathlib import Path

from docx import Document as WordDocument
from PIL import Image

from casereader.domain.template import find_template
from casereader.store import Store

PASSPHRASE = "correct horse battery staple"
SAMPLE = (
    "case_ref,group,follow_up,age_band,legal_status,reader\r\n"
    "SA-001,core,no,0-4,CSO at home,R1\r\n"
    "SA-002,core,yes,5-11,CSO at home,R1;R2\r\n"
    "SA-003,core,no,12-15,Interim CSO,R2\r\n"
    "SA-004,reserve,no,5-11,CSO at home,\r\n"
)


def create_store(path: Path, sample: str | None = SAMPLE) -> Store:
    """A new reader store for R1, with the four-case sample imported unless sample is None."""
    from casereader.ingest.sample import import_sample

    store = Store.create(
        path, PASSPHRASE, find_template("cso-at-home-2025"), "Example partnership", "reader", "R1"
    )
    if sample is not None:
        csv = Path(path).with_suffix(".csv")
        csv.write_text(sample, encoding="utf-8")
        import_sample(store, csv)
        csv.unlink()
    return store


def _pdf_text(line: str) -> bytes:
    raw = line.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def minimal_pdf(pages: list[str], creation_date: str | None = None) -> bytes:
    """A valid, uncompressed PDF with one text line per page line; no Info unless dated."""
    count = len(pages)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(count))
        + b"] /Count %d >>" % count,
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    for i, text in enumerate(pages):
        lines = b" ".join(b"(%s) '" % _pdf_text(line) for line in text.split("\n"))
        stream = b"BT /F1 11 Tf 14 TL 72 760 Td " + lines + b" ET"
        objects[4 + 2 * i] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects[5 + 2 * i] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    trailer_info = b""
    if creation_date is not None:
        info = 4 + 2 * count
        objects[info] = b"<< /Producer (casereader tests) /CreationDate (%s) >>" % (
            creation_date.encode()
        )
        trailer_info = b" /Info %d 0 R" % info
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        trailer_info,
        xref,
    )
    return bytes(out)


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A Word document with one paragraph per string."""
    document = WordDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def image_bytes(kind: str, shade: int = 200) -> bytes:
    """A small grey 'scanned page' as PNG, JPEG or TIFF."""
    buffer = io.BytesIO()
    Image.new("L", (40, 56), shade).save(buffer, format=kind)
    return buffer.getvalue()


def put(root: Path, relative: str, data: bytes) -> Path:
    path = Path(root) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assert_whole_documents(store: Store) -> int:
    """Every document has its bytes, text documents their text, and nothing is orphaned."""
    db = store.db
    orphans = {
        "documents without content": "SELECT count(*) FROM documents d LEFT JOIN"
        " document_content c ON c.document_id = d.id WHERE c.document_id IS NULL",
        "content without a document": "SELECT count(*) FROM document_content c LEFT JOIN"
        " documents d ON d.id = c.document_id WHERE d.id IS NULL",
        "text without a document": "SELECT count(*) FROM document_text t WHERE"
        " t.document_id NOT IN (SELECT id FROM documents)",
        "text documents without text": "SELECT count(*) FROM documents d WHERE d.doc_type IN"
        " ('pdf', 'docx', 'txt') AND d.id NOT IN (SELECT document_id FROM document_text)",
        "PDFs with pages missing": "SELECT count(*) FROM documents d WHERE d.doc_type = 'pdf'"
        " AND d.page_count != (SELECT count(*) FROM document_text t"
        " WHERE t.document_id = d.id)",
    }
    for what, sql in orphans.items():
        assert db.execute(sql).fetchone()[0] == 0, what
    for sha, size, content in db.execute(
        "SELECT d.sha256, d.size, c.content FROM documents d"
        " JOIN document_content c ON c.document_id = d.id"
    ).fetchall():
        assert (sha256(bytes(content)), len(content)) == (sha, size)
    return db.execute("SELECT count(*) FROM documents").fetchone()[0]


def content_bomb_pdf(unpacked_mb: int = 64) -> bytes:
    """A one-page PDF whose FlateDecode content stream unpacks to `unpacked_mb` MB of text
    operators: about 200 KB on disk for 64 MB, which pdfium takes seconds and ~800 MB to read."""
    import zlib

    op = b"BT /F1 1 Tf 1 0 0 1 10 10 Tm (AAAA) Tj ET\n"
    chunk, packer = op * 20_000, zlib.compressobj(9)
    parts = [packer.compress(chunk) for _ in range(unpacked_mb * 1024 * 1024 // len(chunk))]
    stream = b"".join(parts) + packer.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def zero_part_docx(text: str, hidden_mb: int = 256) -> bytes:
    """A real DOCX with a hidden part of `hidden_mb` MB of zeros: about 1/1000 of that on disk."""
    import zipfile

    out = io.BytesIO(docx_bytes([text]))
    archive = zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED)
    with archive, archive.open("word/media/hidden.bin", "w", force_zip64=True) as part:
        zeros = bytes(1024 * 1024)
        for _ in range(hidden_mb):
            part.write(zeros)
    return out.getvalue()
