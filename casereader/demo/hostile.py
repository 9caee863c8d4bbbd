"""A hostile documents folder for importer tests: everything SPEC §4 says must be skipped."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

# Words the importer's skip reason contains (casereader.ingest; compare case-insensitively).
CORRUPT = "corrupt"
ENCRYPTED = "password"
EMPTY = "empty"
UNSUPPORTED = "unsupported"
TOO_LARGE = "too large"
SYMLINK = "symbolic link"
NOT_IN_SAMPLE = "not in the sample"

HUGE_SIZE = 300 * 1024 * 1024


def write_hostile_folder(
    root: Path, case_ref: str, huge_size: int = HUGE_SIZE, stray_case_ref: str = "SA-999"
) -> dict[str, str]:
    """Write root/<case_ref>/… with files an importer must skip; returns {relative path: reason}.

    Also writes a few good files (one plain PDF, odd but valid names) that must be imported,
    and root/<stray_case_ref>/, a case folder that is not in the sample. Links point into
    <root>-outside/, a sibling folder, because they must lead outside the documents folder.
    """
    root = Path(root)
    outside = root.parent / f"{root.name}-outside"
    outside.mkdir(parents=True, exist_ok=True)
    case = root / case_ref
    for agency in ("Social work", "Health", "Education", "Police"):
        (case / agency).mkdir(parents=True, exist_ok=True)
    skipped: dict[str, str] = {}

    def put(relative: str, data: bytes, reason: str | None) -> Path:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if reason:
            skipped[relative] = reason
        return path

    put(
        f"{case_ref}/Health/2024-02-01 Health visitor notes.pdf", _pdf("Health visitor notes"), None
    )
    put(f"{case_ref}/Health/2024-02-02 Paediatric assessment.pdf", _corrupt_pdf(), CORRUPT)
    put(f"{case_ref}/Police/2024-02-03 Concern report (VPD).pdf", _encrypted_pdf(), ENCRYPTED)
    put(f"{case_ref}/Education/2024-02-04 School report.pdf", b"", EMPTY)
    put(f"{case_ref}/Social work/Case recording system.exe", b"MZ" + bytes(510), UNSUPPORTED)
    put(f"{case_ref}/Social work/2024-02-05 Budget.xlsx", _xlsx_like(), UNSUPPORTED)

    # Odd but valid names: these must be imported, so they are not in the returned mapping.
    gaelic = f"{case_ref}/Education/2024-02-06 Aithisg sgoile — Gàidhlig ‘copy’ 👍.pdf"
    put(gaelic, _pdf("Aithisg sgoile"), None)
    put(f"{case_ref}/Education/  spaces   in   the name .txt", b"Spaced-out name.\n", None)
    long_title = "Minute of the core group meeting held in the family centre " * 4
    long_name = f"2024-02-07 {long_title[:220].rstrip()}.pdf"  # near the 255-byte limit
    put(f"{case_ref}/Social work/{long_name}", _pdf("Minute"), None)

    huge = put(f"{case_ref}/Health/2024-02-08 Scanned bundle.pdf", b"%PDF-1.7\n", TOO_LARGE)
    os.truncate(huge, huge_size)  # sparse: takes almost no disk space

    target = outside / "2024-02-09 Not part of this inspection.pdf"
    target.write_bytes(_pdf("Not part of this inspection"))
    link = case / "Social work" / "2024-02-09 Linked record.pdf"
    _symlink(link, target)
    skipped[f"{case_ref}/Social work/2024-02-09 Linked record.pdf"] = SYMLINK
    linked_folder = outside / "another case"
    linked_folder.mkdir(exist_ok=True)
    (linked_folder / "2024-02-10 Child's plan.pdf").write_bytes(_pdf("Child's plan"))
    _symlink(case / "SCRA", linked_folder)
    skipped[f"{case_ref}/SCRA"] = SYMLINK

    put(f"{stray_case_ref}/Social work/2024-02-11 Case notes.pdf", _pdf("Case notes"), None)
    skipped[stray_case_ref] = NOT_IN_SAMPLE
    return skipped


def _symlink(link: Path, target: Path) -> None:
    if link.is_symlink():
        link.unlink()
    link.symlink_to(target, target_is_directory=target.is_dir())


def _pdf(title: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.setTitle(title)
    canvas.drawString(72, 760, title)
    canvas.drawString(72, 740, "A fictional record for importer tests.")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _corrupt_pdf() -> bytes:
    """A PDF header and then noise: no objects, no cross-reference table, nothing to rebuild."""
    noise = b"".join(hashlib.sha256(bytes([i])).digest() for i in range(64))
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + noise.replace(b"obj", b"xxx")


def _encrypted_pdf() -> bytes:
    """A PDF whose standard security handler wants a password nobody has.

    pypdfium2 cannot write encryption and casereader does no cryptography of its own, so the
    /Encrypt dictionary carries fixed owner and user keys that match no password, the empty
    one included. A reader asks for a password; pdfium reports a password error.
    """
    o_key = hashlib.sha256(b"casereader demo owner").digest()
    u_key = hashlib.sha256(b"casereader demo user").digest()
    file_id = hashlib.sha256(b"casereader demo locked record").hexdigest()[:32].upper()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + o_key.hex().upper().encode()
        + b"> /U <"
        + u_key.hex().upper().encode()
        + b"> /P -44 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>] >>\n" % (
        len(objects) + 1,
        file_id.encode(),
        file_id.encode(),
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def _xlsx_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("xl/workbook.xml", date_time=(2025, 1, 31, 9, 30, 0))
        archive.writestr(info, "<workbook/>")
    return buffer.getvalue()
