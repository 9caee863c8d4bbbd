"""Hostile documents: each file is read in a child process under a memory and time budget.

Attacks: a small PDF whose compressed content stream unpacks to far more than it looks, and
a DOCX with a hidden part of hundreds of megabytes of zeros. Each is skipped and listed; the
other files are imported.
"""

import zipfile
from io import BytesIO

import pytest
from helpers_ingest import (
    content_bomb_pdf,
    create_store,
    minimal_pdf,
    put,
    zero_part_docx,
)

from casereader.ingest.budget import OVER_MEMORY, OVER_TIME, QUEUED, Budget, run_bounded
from casereader.ingest.documents import ImportReport, import_documents
from casereader.ingest.extract import Unreadable, check_docx_members, extract
from casereader.store import documents

resource = pytest.importorskip("resource")  # the memory cap is RLIMIT_AS where it exists


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return content_bomb_pdf(64)


def test_the_hostile_files_are_small_on_disk(bomb):
    assert len(bomb) < 400_000
    assert len(zero_part_docx("Note", hidden_mb=256)) < 1_000_000


def _import(tmp_path, files: dict[str, bytes], budget: Budget):
    store = create_store(tmp_path / "s.casereader")
    for relative, data in files.items():
        put(tmp_path / "docs", relative, data)
    report = ImportReport()
    list(import_documents(store, tmp_path / "docs", report, budget=budget))
    return store, report


def test_a_content_stream_bomb_over_the_memory_budget_is_skipped_and_the_rest_imported(
    tmp_path, bomb
):
    files = {
        "SA-001/Police/bomb 2024-03-01.pdf": bomb,
        "SA-001/Police/note 2024-03-02.pdf": minimal_pdf(["A fictional police note."]),
    }
    store, report = _import(tmp_path, files, Budget(memory_bytes=512 * 1024 * 1024))
    [skipped] = report.skipped
    assert skipped.path.endswith("bomb 2024-03-01.pdf") and skipped.reason == OVER_MEMORY
    assert report.imported == 1
    assert [d.title for d in documents.list_documents(store, "SA-001")] == ["note 2024-03-02"]
    assert "over the memory budget" in report.summary()


def test_a_file_over_the_time_budget_is_skipped_and_the_rest_imported(tmp_path, bomb):
    files = {
        "SA-001/Police/bomb 2024-03-01.pdf": bomb,
        "SA-002/Health/visit 2024-04-01.pdf": minimal_pdf(["A fictional health visit."]),
    }
    store, report = _import(tmp_path, files, Budget(timeout_s=1.0))
    [skipped] = report.skipped
    assert skipped.reason == OVER_TIME
    assert report.imported == 1


def test_a_docx_with_a_huge_zero_filled_part_is_refused_before_reading(tmp_path):
    hostile = zero_part_docx("A fictional social work note.", hidden_mb=256)
    with zipfile.ZipFile(BytesIO(hostile)) as archive, pytest.raises(Unreadable, match="DOCX"):
        check_docx_members(archive)
    with pytest.raises(Unreadable, match="DOCX part word/media/hidden.bin"):
        extract(hostile, "docx")
    store, report = _import(tmp_path, {"SA-001/Social work/note.docx": hostile}, Budget())
    [skipped] = report.skipped
    assert "hidden.bin" in skipped.reason and report.imported == 0


def _crash(kind: str):
    if kind == "memory":
        return bytearray(2 * 1024 * 1024 * 1024)
    if kind == "exit":
        import os

        os._exit(9)
    return kind


@pytest.mark.parametrize("workers", [1, 2])
def test_run_bounded_keeps_order_and_survives_children_that_die(workers):
    # each child holds several tasks: those queued behind the one that killed it go to the next
    tasks = [("a",), ("memory",), ("b",), ("exit",), ("c",)]
    budget = Budget(memory_bytes=512 * 1024 * 1024)
    got = list(run_bounded(_crash, tasks, budget, workers=workers))
    assert got == ["a", OVER_MEMORY, "b", OVER_MEMORY, "c"]


def _logged(log: str, task: int, wait_for: int, give_up_s: float) -> int:
    """Task 0 waits until WAIT_FOR other tasks have logged (or GIVE_UP_S has passed); each task
    logs when done."""
    import time
    from pathlib import Path

    path = Path(log)
    if task == 0:
        give_up = time.monotonic() + give_up_s
        while time.monotonic() < give_up:
            if path.exists() and len(path.read_text().split()) >= wait_for:
                break
            time.sleep(0.01)
    with path.open("a") as f:
        f.write(f"{task}\n")
    return task


def _done_before_the_first(log) -> int:
    order = log.read_text().split()
    return order.index("0")


def test_while_the_first_task_is_long_the_other_child_goes_on_as_far_as_the_window(tmp_path):
    # The first child holds task 0 and QUEUED - 1 tasks behind it (2, 4, …); the second child
    # does all the others.
    others = 40 - (QUEUED - 1)
    log = tmp_path / "log.txt"
    tasks = [(str(log), n, others, 30.0) for n in range(41)]
    got = list(run_bounded(_logged, tasks, Budget(), workers=2, window=64))
    assert got == list(range(41)) and _done_before_the_first(log) == others

    log.unlink()  # eight tasks a child: nothing is given beyond task 15 while task 0 is not done
    tasks = [(str(log), n, others, 4.0) for n in range(41)]
    list(run_bounded(_logged, tasks, Budget(), workers=2))
    assert _done_before_the_first(log) == 16 - QUEUED


def test_the_results_held_back_are_bounded_by_their_weight(tmp_path):
    log = tmp_path / "log.txt"
    tasks = [(str(log), n, 40, 4.0) for n in range(41)]
    got = list(
        run_bounded(_logged, tasks, Budget(), workers=2, window=64, weigh=lambda r: 10, max_held=50)
    )
    # no task is given once 5 results are held; the QUEUED - 1 given before are done too
    assert got == list(range(41)) and 5 <= _done_before_the_first(log) <= 5 + QUEUED - 1
