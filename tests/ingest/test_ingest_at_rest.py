"""Encrypted at rest: a word from an imported document is nowhere on disk outside its source."""

import os
import random
import string
import tempfile
from pathlib import Path

import pytest
from helpers_ingest import create_store, docx_bytes, minimal_pdf, put

from casereader.ingest.documents import ImportReport, import_documents
from casereader.store import documents


def distinctive_word() -> str:
    """A made-up word no other test or program writes (letters only: one search token)."""
    rng = random.Random()
    return "Zephyrquill" + "".join(rng.choices(string.ascii_lowercase, k=10))


def encodings(word: str) -> list[bytes]:
    lower = word.lower()
    return [lower.encode("utf-8"), lower.encode("utf-16-le"), lower.encode("utf-16-be")]


def files_holding(paths, word: str) -> list[str]:
    """Every file among paths whose bytes contain the word (any case, UTF-8 or UTF-16)."""
    needles = encodings(word)
    found = []
    for path in paths:
        try:
            if path.is_symlink() or not path.is_file():
                continue
            data = path.read_bytes().lower()
        except OSError:
            continue  # another program's temporary file, gone before we looked
        if any(n in data for n in needles):
            found.append(str(path))
    return found


def everything_under(folder: Path, leave_out: Path | None = None) -> list[Path]:
    """Every file below folder (folder itself if it is a file), without following links."""
    if not folder.is_dir() or folder.is_symlink():
        return [folder]
    paths = []
    for here, _, names in os.walk(folder):
        paths += [Path(here, name) for name in names]
    return [p for p in paths if leave_out is None or leave_out not in p.parents]


@pytest.fixture
def private_temp(tmp_path, monkeypatch):
    """Point every temporary-file setting at a folder of our own, so we can look inside."""
    folder = tmp_path / "temp"
    folder.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR"):
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_distinctive_word_is_nowhere_in_the_store_its_wal_shm_or_temp_files(
    tmp_path, private_temp
):
    word = distinctive_word()
    system_temp = Path("/tmp")
    before = set(system_temp.iterdir())
    source = tmp_path / "documents"
    txt = put(source, f"SA-001/Health/2024-01-05 {word} visit.txt", f"Met {word} today.\n".encode())
    put(source, "SA-001/Social work/2024-01-06 Plan.pdf", minimal_pdf([f"The {word} plan."]))
    put(source, "SA-002/Education/2024-01-07 Report.docx", docx_bytes([f"{word} at school."]))
    assert files_holding([txt], word) == [str(txt)]  # the scanner does see a plain copy

    store_dir = tmp_path / "store"
    store_dir.mkdir()
    store = create_store(store_dir / "inspection.casereader")
    try:
        report = ImportReport()
        for _ in import_documents(store, source, report):
            pass
        assert report.imported == 3 and not report.skipped
        hits = documents.search(store, word)
        assert sorted(h.case_ref for h in hits) == ["SA-001", "SA-001", "SA-002"]
        wal = Path(f"{store.path}-wal")
        assert wal.stat().st_size > 0 and Path(f"{store.path}-shm").exists()
        # While open: the file, its -wal and -shm, temp files, the user folder, anything new.
        written = everything_under(tmp_path, leave_out=source)
        for entry in set(system_temp.iterdir()) - before:
            written += everything_under(entry)
        assert files_holding(written, word) == []
    finally:
        store.close()
    # After closing, every page has been checkpointed into the one store file.
    assert sorted(p.name for p in store_dir.iterdir()) == ["inspection.casereader"]
    assert files_holding(everything_under(tmp_path, leave_out=source), word) == []
