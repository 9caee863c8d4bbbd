"""Scanning a documents folder (FOLDER/<case_ref>/<agency>/<files>) without following links."""

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from casereader.ingest.extract import SUPPORTED, valid_date

AGENCY_NAMES = {
    "social work": "Social work",
    "health": "Health",
    "education": "Education",
    "police": "Police",
    "scra": "SCRA",
    "third sector": "Third sector",
}
_SYSTEM_FILES = {"thumbs.db", "desktop.ini"}
_DATED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ _\-.]+(.*))?$")


def agency_for(folder_name: str) -> str:
    """Match an agency folder name case-insensitively; anything else is Other."""
    key = re.sub(r"[\s_\-]+", " ", folder_name).strip().lower()
    return AGENCY_NAMES.get(key, "Other")


def display(path: str) -> str:
    """A path as text that SQLite and JSON accept, even from an undecodable file name."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def title_and_date(file_name: str) -> tuple[str, str | None]:
    """'2025-03-14 Child's plan.pdf' → ("Child's plan", '2025-03-14'); else (stem, None)."""
    stem = display(Path(file_name).stem).strip()
    m = _DATED.match(stem)
    if m:
        date = valid_date(*m.groups()[:3])
        if date:
            return (m.group(4) or "").strip() or stem, date
    return stem, None


@dataclass
class Candidate:
    path: Path
    relative: str
    case_ref: str
    agency: str
    doc_type: str
    size: int


@dataclass
class Scan:
    candidates: list[Candidate] = field(default_factory=list)
    skipped: list[tuple[str, str | None, str]] = field(default_factory=list)  # rel, case, reason
    stray_cases: list[str] = field(default_factory=list)
    case_folders: list[str] = field(default_factory=list)


def scan(root: Path, case_refs: set[str], max_bytes: int) -> Scan:
    """List what can be imported and why anything else is skipped; never follows a link."""
    result = Scan()
    root_real = root.resolve()
    by_lower = {ref.lower(): ref for ref in case_refs}

    def rel(p: Path) -> str:
        return display(str(p.relative_to(root)))

    for entry in sorted(root.iterdir()):
        if entry.is_symlink():
            result.skipped.append((rel(entry), None, "symbolic link (not followed)"))
            continue
        if not entry.is_dir():
            result.skipped.append((rel(entry), None, "not inside a case folder"))
            continue
        ref = entry.name if entry.name in case_refs else by_lower.get(entry.name.lower())
        if ref is None:
            result.stray_cases.append(display(entry.name))
            continue
        result.case_folders.append(ref)
        for dirpath, dirnames, filenames in os.walk(entry, followlinks=False):
            here = Path(dirpath)
            for d in list(dirnames):
                if (here / d).is_symlink():
                    result.skipped.append((rel(here / d), ref, "symbolic link (not followed)"))
                    dirnames.remove(d)
            dirnames.sort()
            parts = here.relative_to(entry).parts
            agency = agency_for(parts[0]) if parts else "Other"
            for name in sorted(filenames):
                path = here / name
                reason = _why_not(path, root_real, max_bytes)
                if reason:
                    result.skipped.append((rel(path), ref, reason))
                    continue
                result.candidates.append(
                    Candidate(
                        path=path,
                        relative=rel(path),
                        case_ref=ref,
                        agency=agency,
                        doc_type=SUPPORTED[path.suffix.lower()],
                        size=path.lstat().st_size,
                    )
                )
    return result


def _why_not(path: Path, root_real: Path, max_bytes: int) -> str | None:
    try:
        st = path.lstat()
    except OSError as e:
        return f"cannot be read ({e.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return "symbolic link (not followed)"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    if not path.resolve().is_relative_to(root_real):
        return "outside the documents folder"
    if path.name.startswith(".") or path.name.lower() in _SYSTEM_FILES:
        return "hidden or system file"
    if path.suffix.lower() not in SUPPORTED:
        return f"unsupported file type ({path.suffix.lower() or 'no extension'})"
    if st.st_size == 0:
        return "empty file"
    if st.st_size > max_bytes:
        return f"too large ({st.st_size / 2**20:.0f} MB; the limit is {max_bytes / 2**20:.0f} MB)"
    return None
