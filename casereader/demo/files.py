"""The synthetic demo inspection on disk: sample CSV, documents folder and a names list.

Everything is fictional and pseudonymous: records speak of "the child", "mother", "social
worker"; the names in names.txt appear in no document and exist only to exercise the notes
check. The same seed gives byte-identical files, whichever worker wrote them.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import random
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from casereader.demo import images, phrases, text, writers
from casereader.demo.hostile import write_hostile_folder
from casereader.errors import UsageError

__all__ = ["DemoDocument", "DemoFiles", "generate_inspection_files", "write_hostile_folder"]

# The published example inspection: 60 core + 15 reserve, 15 follow-up, 2,331 documents.
STANDARD_CASES = 75
STANDARD_DOCUMENTS = 2331
PERIOD_END = date(2025, 1, 31)  # records exported for the inspection up to this day
EXPORT_DAY = date(2025, 2, 3)
SCAN_DPI = 200  # the demo's scans: A4 at 200 dpi, typed text for recognition to read
MARKER = ".casereader-demo"  # a folder holding this file is the demo's own to rewrite
READERS = ("R1", "R2", "R3", "R4", "R5", "R6")
SAMPLE_COLUMNS = (
    "case_ref", "group", "follow_up", "age_band", "legal_status", "reader", "locality",
    "allocated_team",
)  # fmt: skip

# Share of each format among all documents; PDF takes the rest. At least one of each.
_FORMAT_SHARE = {"docx": 0.04, "txt": 0.03, "txt-1252": 0.01, "png": 0.025, "jpeg": 0.005,
                 "tiff": 0.005}  # fmt: skip

# Agency folder names as partnerships spell them; each case uses one spelling per agency.
_FOLDER_SPELLINGS = {
    "Social work": ("Social work", "Social Work", "SOCIAL WORK", "social work"),
    "Health": ("Health", "health", "HEALTH"),
    "Education": ("Education", "EDUCATION", "education"),
    "Police": ("Police", "police", "POLICE"),
    "SCRA": ("SCRA", "scra", "Scra"),
    "Third sector": ("Third sector", "Third Sector", "THIRD SECTOR"),
    "Other": ("Housing", "housing", "Adult services"),
}
_AGE_BANDS = (("0-4", 25), ("5-11", 40), ("12-15", 28), ("16-17", 7))
_LEGAL_STATUS = (
    ("CSO at home", 45), ("Interim CSO", 8), ("Child protection register", 25),
    ("Not registered", 12), ("Voluntary measures", 10),
)  # fmt: skip
_LOCALITIES = ("North", "South", "East", "West", "Central")
_TEAMS = ("Intake", "Long-term", "Children with disabilities", "Family support")
_FORENAMES = (
    "Ailsa", "Callum", "Eilidh", "Fraser", "Isla", "Lachlan", "Morag", "Ruaridh", "Skye",
    "Innes", "Kirsty", "Hamish", "Mhairi", "Struan", "Catriona", "Euan", "Fiona", "Gregor",
)  # fmt: skip
_SURNAMES = (
    "Balfour", "Drummond", "Kinnear", "Lennox", "McAlpine", "Rennie", "Strachan", "Tulloch",
    "Urquhart", "Wishart", "Gilchrist", "Ogilvie", "Farquhar", "Baird", "Haldane", "Moncrieff",
)  # fmt: skip


@dataclass(frozen=True)
class DemoDocument:
    """One generated file and what an importer should make of it."""

    path: str  # relative to the documents folder, with "/" separators
    case_ref: str
    agency: str  # the agency the folder name should match (Other for Housing etc.)
    title: str
    date: str | None  # ISO date from the file name, else from PDF metadata, else None
    format: str  # pdf, docx, txt, png, jpeg or tiff
    pages: int | None  # PDFs only


@dataclass
class DemoFiles:
    """Where the demo inspection was written, and what it holds."""

    sample_csv: Path
    documents_dir: Path
    names_file: Path
    case_refs: list[str]
    manifest: list[DemoDocument] = field(default_factory=list)
    search_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # case_ref -> words


@dataclass(frozen=True)
class _CaseJob:
    seed: int
    context: text.CaseContext
    formats: tuple[str, ...]
    documents_dir: str


def generate_inspection_files(
    root: Path, cases: int = STANDARD_CASES, seed: int = 7, documents: int | None = None,
    workers: int | None = None,
) -> DemoFiles:  # fmt: skip
    """Write sample.csv, documents/ and names.txt for a fictional inspection under root."""
    if cases < 1:
        raise UsageError(f"A demo inspection needs at least one case (asked for {cases}).")
    if documents is not None and documents < 0:
        raise UsageError(f"The number of documents cannot be negative (asked for {documents}).")
    root = Path(root)
    documents_dir = root / "documents"
    _claim(root, documents_dir)
    total = round(cases * STANDARD_DOCUMENTS / STANDARD_CASES) if documents is None else documents
    rng = random.Random(f"casereader-demo:{seed}")
    rows = _sample_rows(rng, cases)
    counts = _documents_per_case(rng, cases, total)
    formats = _formats(rng, total)
    words = _words_per_case(rng, cases)

    documents_dir.mkdir(parents=True, exist_ok=True)
    jobs, start = [], 0
    for row, count, case_words in zip(rows, counts, words, strict=True):
        context = text.CaseContext(
            case_ref=row["case_ref"],
            age_band=row["age_band"],
            legal_status=row["legal_status"],
            start=date(2022, 9, 1) + timedelta(days=rng.randint(0, 660)),
            end=PERIOD_END,
            words=case_words,
        )
        jobs.append(
            _CaseJob(seed, context, tuple(formats[start : start + count]), str(documents_dir))
        )
        start += count

    manifest: list[DemoDocument] = []
    for case_documents in _run(jobs, workers, total):
        manifest.extend(case_documents)

    sample_csv = root / "sample.csv"
    sample_csv.write_bytes(_csv_bytes(rows))
    names_file = root / "names.txt"
    names_file.write_text("\n".join(_fictional_names(rng)) + "\n", encoding="utf-8")
    return DemoFiles(
        sample_csv=sample_csv,
        documents_dir=documents_dir,
        names_file=names_file,
        case_refs=[row["case_ref"] for row in rows],
        manifest=manifest,
        search_words={job.context.case_ref: job.context.words for job in jobs},
    )


def _claim(root: Path, documents_dir: Path) -> None:
    """Mark root as a demo folder; clear an earlier (perhaps interrupted) demo, nothing else."""
    marker = root / MARKER
    taken = documents_dir.is_dir() and any(documents_dir.iterdir())
    if marker.exists():
        if documents_dir.exists():
            shutil.rmtree(documents_dir)  # removes links themselves, never what they point to
        for name in ("sample.csv", "names.txt"):
            (root / name).unlink(missing_ok=True)
    elif taken or (root / "sample.csv").exists():
        raise UsageError(
            f"{root} already holds a sample or documents that casereader did not generate; "
            "choose an empty folder for the demo inspection."
        )
    root.mkdir(parents=True, exist_ok=True)
    marker.write_text(
        "This folder holds a fictional casereader demo inspection; generating it again "
        "replaces sample.csv, names.txt and documents/.\n",
        encoding="utf-8",
    )


def _run(jobs: list[_CaseJob], workers: int | None, total: int) -> list[list[DemoDocument]]:
    if workers is None:
        # Starting a worker costs about half a second; only worth it for a real-sized demo.
        workers = 1 if total < 400 else min(os.cpu_count() or 1, 4)
    if workers <= 1:
        return [_write_case(job) for job in jobs]
    # spawn, not fork: the caller may already be running Qt or other threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(_write_case, jobs))


def _sample_rows(rng: random.Random, cases: int) -> list[dict[str, str]]:
    reserve = max(1, round(cases / 5)) if cases >= 4 else 0
    core = cases - reserve
    follow_up = set(rng.sample(range(core), round(core / 4)))
    double_reads = set(rng.sample(range(core), max(1, round(core * 8 / 60)) if core >= 3 else 0))
    order = list(range(core))
    rng.shuffle(order)  # readers get a spread of the sample, not consecutive references
    readers = {case: READERS[slot % len(READERS)] for slot, case in enumerate(order)}
    rows = []
    for index in range(cases):
        is_core = index < core
        reader = readers.get(index, "")
        if index in double_reads:
            second = READERS[(READERS.index(reader) + 1) % len(READERS)]
            reader = f"{reader};{second}"
        rows.append(
            {
                "case_ref": f"SA-{index + 1:03d}",
                "group": "core" if is_core else "reserve",
                "follow_up": "yes" if index in follow_up else "no",
                "age_band": _weighted(rng, _AGE_BANDS),
                "legal_status": _weighted(rng, _LEGAL_STATUS),
                "reader": reader,
                "locality": rng.choice(_LOCALITIES),
                "allocated_team": rng.choice(_TEAMS),
            }
        )
    return rows


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _ in choices], [weight for _, weight in choices])[0]


def _documents_per_case(rng: random.Random, cases: int, total: int) -> list[int]:
    """Split the total unevenly (some files are thick), largest remainder so it adds up exactly."""
    weights = [rng.uniform(0.4, 1.8) for _ in range(cases)]
    shares = [total * weight / sum(weights) for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(cases), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _formats(rng: random.Random, total: int) -> list[str]:
    formats = ["pdf"] * total
    slots = list(range(total))
    rng.shuffle(slots)
    for name, share in _FORMAT_SHARE.items():
        for _ in range(max(1, round(total * share))):
            if len(slots) <= total // 2:  # tiny demos stay mostly PDF
                break
            formats[slots.pop()] = name
    return formats


def _words_per_case(rng: random.Random, cases: int) -> list[tuple[str, ...]]:
    pool = list(phrases.DISTINCTIVE_WORDS)
    rng.shuffle(pool)
    # Two words per case, reused only when there are more cases than words.
    return [(pool[(2 * i) % len(pool)], pool[(2 * i + 1) % len(pool)]) for i in range(cases)]


def _fictional_names(rng: random.Random) -> list[str]:
    pairs = [(first, last) for first in _FORENAMES for last in _SURNAMES]
    return [f"{first} {last}" for first, last in rng.sample(pairs, 40)]


def _csv_bytes(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SAMPLE_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _write_case(job: _CaseJob) -> list[DemoDocument]:
    """Write every document of one case; runs in a worker process for big demos."""
    context = job.context
    rng = random.Random(f"casereader-demo:{job.seed}:{context.case_ref}")
    case_dir = Path(job.documents_dir) / context.case_ref
    folders = {agency: rng.choice(names) for agency, names in _FOLDER_SPELLINGS.items()}
    agencies, weights = zip(*text.AGENCY_WEIGHTS.items(), strict=True)
    taken: set[str] = set()
    mention_pending = True
    written = []
    for number, fmt in enumerate(job.formats, start=1):
        agency = rng.choices(agencies, weights)[0]
        kind = text.pick_kind(rng, agency, context.age_band)
        day = context.start + timedelta(days=rng.randint(0, (context.end - context.start).days))
        has_text = fmt in ("pdf", "docx", "txt", "txt-1252")
        mention = rng.choice(context.words) if has_text and mention_pending else None
        mention_pending = mention_pending and not has_text
        stream = text.blocks(rng, context, kind, day, mention)
        dating = _dating(rng, fmt)
        stem = f"{day.isoformat()} {kind.title}" if dating == "name" else kind.title
        if fmt in ("png", "jpeg", "tiff"):
            stem = (
                f"{day.isoformat()} {kind.title} (scan)"
                if dating == "name"
                else f"scan{number:04d}"
            )
        extension = {"txt-1252": "txt", "jpeg": "jpg", "tiff": "tif"}.get(fmt, fmt)
        name = _unique(f"{stem}.{extension}", taken, folders[agency])
        path = case_dir / folders[agency] / name
        path.parent.mkdir(parents=True, exist_ok=True)
        pages = None
        if fmt == "pdf":
            metadata_day = {"name": EXPORT_DAY, "metadata": day}.get(dating)
            target = rng.choices(range(kind.pages[0], kind.pages[1] + 1))[0]
            pages = writers.write_pdf(path, context, agency, kind, day, stream, target, rng,
                                      metadata_day)  # fmt: skip
        elif fmt == "docx":
            writers.write_docx(path, context, agency, kind, day, stream, rng.randint(6, 16))
        elif fmt in ("txt", "txt-1252"):
            writers.write_txt(path, context, agency, kind, day, stream, rng.randint(5, 14),
                              windows=fmt == "txt-1252")  # fmt: skip
        else:
            lines = text.scan_lines(context, agency, kind, day, stream, rng.randint(4, 7))
            page = images.typed_scan(lines, rng, dpi=SCAN_DPI, skew=rng.uniform(-1.2, 1.2))
            path.write_bytes(images.encode_scan(page, fmt, SCAN_DPI))
        found = day.isoformat() if dating in ("name", "metadata") else None
        written.append(
            DemoDocument(
                path=f"{context.case_ref}/{folders[agency]}/{name}",
                case_ref=context.case_ref,
                agency=agency,
                title=kind.title,
                date=found,
                format=fmt.removesuffix("-1252"),
                pages=pages,
            )
        )
    return written


def _dating(rng: random.Random, fmt: str) -> str:
    """How the document's date can be found: 'name', 'metadata' (PDFs only) or 'none'."""
    roll = rng.random()
    if fmt == "pdf":
        return "name" if roll < 0.82 else "metadata" if roll < 0.94 else "none"
    return "name" if roll < 0.85 else "none"


def _unique(name: str, taken: set[str], folder: str) -> str:
    stem, dot, extension = name.rpartition(".")
    candidate, copy = name, 2
    while f"{folder}/{candidate}".casefold() in taken:
        candidate = f"{stem} ({copy}){dot}{extension}"
        copy += 1
    taken.add(f"{folder}/{candidate}".casefold())
    return candidate
