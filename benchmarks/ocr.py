"""Text recognition: accuracy on generated scans with known text, speed beside the engine's own
command line on the same pages (both cores), memory per worker, and the demo import with and
without recognition.

    python benchmarks/ocr.py [--pages 8] [--cases 10]

Targets: character error rate ≤ 3 % at 200 dpi clean and ≤ 8 % at 150 dpi with 2° skew and
noise; pages per second within 1.2× of `tesseract` run two at a time; ≤ 500 MB per worker.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from casereader.demo.images import encode_scan, plain, record_lines, typed_scan  # noqa: E402
from casereader.ingest import ocr  # noqa: E402
from casereader.ingest.budget import Budget, run_bounded  # noqa: E402
from casereader.ingest.documents import _read_and_extract  # noqa: E402

KINDS = {"200 dpi clean": (200, 0.0, 0.0), "150 dpi, 2° skew, noise": (150, 2.0, 0.003)}
NEEDLES = ("Kilbarchan", "Strathmore", "Auchinleck", "Ballachulish")


def make_pages(folder: Path, count: int) -> list[tuple[str, Path, str]]:
    pages = []
    for kind, (dpi, skew, noise) in KINDS.items():
        for n in range(count):
            rng = random.Random(n * 31 + dpi)
            lines = record_lines(rng, paragraphs=5, needles=NEEDLES[n % 2 :: 2])
            path = folder / f"{dpi}-{n}.png"
            path.write_bytes(encode_scan(typed_scan(lines, rng, dpi, skew, noise), "png", dpi))
            pages.append((kind, path, plain(lines)))
    return pages


def ours(paths: list[Path]) -> tuple[float, list]:
    """The import's path: each file in a bounded child (two), read, decoded and recognised."""
    tasks = [(str(p), "png", 100 * 2**20, 100.0) for p in paths]
    start = time.perf_counter()
    results = list(run_bounded(_read_and_extract, tasks, Budget(), workers=2))
    return time.perf_counter() - start, [r.recognised[1] for r in results]


def bare_cli(paths: list[Path]) -> float:
    """`tesseract FILE stdout tsv`, one thread each, two at a time."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def run(path: Path) -> None:
        subprocess.run(
            ["tesseract", str(path), "stdout", "-l", "eng", "--psm", "3", "tsv"],
            capture_output=True,
            env=env,
            check=True,
        )

    start = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(run, paths))
    return time.perf_counter() - start


def worker_memory(path: Path) -> float:
    """Peak resident memory (MB) of one worker recognising a page plus its engine process."""
    code = (
        "import resource, sys\n"
        "from casereader.ingest.documents import _read_and_extract\n"
        f"_read_and_extract({str(path)!r}, 'png', 100 * 2**20, 100.0)\n"
        "own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "engine = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print((own + engine) / 1024)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1])),
    )  # fmt: skip
    return float(done.stdout.strip())


def demo_import(cases: int, folder: Path) -> tuple[float, float, int]:
    from casereader.demo.files import generate_inspection_files
    from casereader.domain.template import find_template
    from casereader.ingest.documents import ImportReport, import_documents
    from casereader.ingest.sample import import_sample
    from casereader.store import Store

    files = generate_inspection_files(folder / "files", cases=cases, seed=7)
    times = []
    pages = 0
    for recognise in (False, True):
        path = folder / f"demo-{recognise}.casereader"
        with Store.create(
            path,
            "benchmark passphrase words",
            find_template("cso-at-home-2025"),
            "Bench",
            "reader",
            "R1",
        ) as store:
            import_sample(store, files.sample_csv)
            report = ImportReport()
            start = time.perf_counter()
            for _ in import_documents(store, files.documents_dir, report, recognise=recognise):
                pass
            times.append(time.perf_counter() - start)
            pages = max(pages, report.recognised_pages)
    return times[0], times[1], pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=8, help="pages of each kind")
    parser.add_argument("--cases", type=int, default=10, help="demo cases to import (0: skip)")
    args = parser.parse_args()
    if not ocr.available():
        sys.exit("tesseract is not installed: run scripts/setup.sh")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pages = make_pages(folder, args.pages)
        paths = [p for _, p, _ in pages]
        bare_cli(paths[:2])  # warm the disk cache and the language data for both
        ours_s, results = ours(paths)
        floor_s = bare_cli(paths)
        load = os.getloadavg()
        print(f"# Text recognition ({len(paths)} A4 pages, 2 workers, tesseract 5, eng)\n")
        for kind in KINDS:
            rates = [
                ocr.character_error_rate(text, r.text)
                for (k, _, text), r in zip(pages, results, strict=True)
                if k == kind
            ]
            print(
                f"- CER {kind}: mean {100 * sum(rates) / len(rates):.2f} %,"
                f" worst {100 * max(rates):.2f} % over {len(rates)} pages"
            )
        missing = [
            needle
            for (_, _, text), r in zip(pages, results, strict=True)
            for needle in NEEDLES
            if needle in text and needle not in r.text
        ]
        print(f"- needle words not recognised: {len(missing)} {missing or ''}")
        print(
            f"- ours (import path, bounded workers): {len(paths) / ours_s:.2f} pages/s;"
            f" bare `tesseract` CLI two at a time: {len(paths) / floor_s:.2f} pages/s;"
            f" ratio {ours_s / floor_s:.2f}× (target ≤ 1.2×)"
        )
        print(f"- peak memory of one worker + its engine: {worker_memory(paths[0]):.0f} MB")
        print(f"- load average as measured: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}")
        if args.cases:
            off, on, recognised = demo_import(args.cases, folder)
            print(
                f"- demo import, {args.cases} cases: {off:.1f} s without recognition,"
                f" {on:.1f} s with ({recognised} scanned pages recognised)"
            )


if __name__ == "__main__":
    main()
