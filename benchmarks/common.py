"""Shared pieces of the benchmark: the standard synthetic inspection, timing and the table."""

import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The standard inspection has 75 cases; `run.py --cases N` tries the benchmark on a smaller one
# (in its own work folder, never written to RESULTS.md).
CASES = int(os.environ.get("CASEREADER_BENCH_CASES", "75"))
_DEFAULT_WORK = HERE / ("work" if CASES == 75 else f"work-{CASES}-cases")
WORK = Path(os.environ.get("CASEREADER_BENCH_DIR", _DEFAULT_WORK))
PASSPHRASE = "benchmark-passphrase"


@dataclass
class Row:
    """One measured operation beside its floor (both in seconds) and the target it is held to."""

    operation: str
    ours: float
    floor: float
    floor_name: str
    target: str = ""
    unit: str = "ms"
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours / self.floor if self.floor else float("inf")


def standard_files() -> Path:
    """The standard inspection's files (75 cases, 2,331 documents), generated once and reused."""
    from casereader.demo.files import generate_inspection_files

    root = WORK / "files"
    marker = root / ".complete"
    if not marker.exists():
        generate_inspection_files(root, cases=CASES, seed=7)
        marker.write_text("ok")
    return root


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def median(values: list[float]) -> float:
    return statistics.median(values)


def fmt(seconds: float, unit: str) -> str:
    if unit == "s":
        return f"{seconds:.2f} s"
    if unit == "MB":
        return f"{seconds:.0f} MB"
    return f"{seconds * 1000:.2f} ms"


def table(rows: list[Row]) -> str:
    lines = [
        "| operation | casereader | floor | floor is | ratio | target | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.operation} | {fmt(r.ours, r.unit)} | {fmt(r.floor, r.unit)} | {r.floor_name}"
            f" | {r.ratio:.2f}× | {r.target} | {r.note} |"
        )
    return "\n".join(lines)
