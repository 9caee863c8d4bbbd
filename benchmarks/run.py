"""casereader's benchmark (SPEC §11): each operation beside its floor, measured in the same run.

    python benchmarks/run.py [--only store,gui,bundles,…] [--cases N] [--list]

Every `benchmarks/<name>_bench.py` with a `run() -> list[Row]` is a section: the store
measures, the GUI measures and the bundle measures first, then every other section found
(coordination, moderation paint, printing…) in name order, so a new measure is a new file and
nothing here changes. A section written as a script (a `main()` and no `run()`, such as
printing) is run with no arguments and the rows it prints with `common.table` are its rows. A
section that cannot run (a missing optional part) is listed and skipped, never fatal.

Generates the standard synthetic inspection (75 cases, 2,331 documents) once into
benchmarks/work/, prints the table of ratios and targets and rewrites benchmarks/RESULTS.md.
`--cases N` runs on a smaller inspection in benchmarks/work-N-cases/ (to try the benchmark;
its results go to RESULTS-N-cases.md, never to RESULTS.md); `--only` writes RESULTS-<names>.md.
"""

import argparse
import os
import platform
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

FIRST = ["store", "gui", "bundles"]


def sections() -> list[str]:
    """Every section in run order: the first three, then the others by name."""
    found = sorted(p.name[: -len("_bench.py")] for p in HERE.glob("*_bench.py"))
    return [s for s in FIRST if s in found] + [s for s in found if s not in FIRST]


def _load(name: str):
    """The section's run() -> list[Row]."""
    module = __import__(f"benchmarks.{name}_bench", fromlist=["run"])
    if callable(getattr(module, "run", None)):
        return module.run
    if callable(getattr(module, "main", None)) and callable(getattr(module, "table", None)):
        return lambda: _run_script(module)
    raise ImportError(f"benchmarks/{name}_bench.py has no run()")


def _run_script(module) -> list:
    """Run a section written as a script: its main() with no arguments, collecting the rows
    it hands to `table` (which it still prints and writes as it would alone)."""
    rows: list = []
    printed = module.table

    def table(section):
        rows.extend(section)
        return printed(section)

    argv, sys.argv = sys.argv, [module.__file__]
    module.table = table
    try:
        module.main()
    finally:
        sys.argv, module.table = argv, printed
    if not rows:
        raise RuntimeError(f"{module.__name__}.main() measured nothing")
    return rows


def _load_average() -> str:
    try:
        return " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except (AttributeError, OSError):
        return "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="comma-separated sections (default: all)")
    parser.add_argument("--cases", type=int, help="a smaller inspection, to try the benchmark")
    parser.add_argument("--list", action="store_true", help="list the sections and stop")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(sections()))
        return 0
    if args.cases is not None:
        if args.cases < 4:
            parser.error("--cases needs at least 4 cases")
        os.environ["CASEREADER_BENCH_CASES"] = str(args.cases)
    # Imported after --cases is known: benchmarks.common reads it.
    from benchmarks.common import CASES, WORK, table

    chosen = args.only.split(",") if args.only else sections()
    unknown = [name for name in chosen if name not in sections()]
    if unknown:
        parser.error(f"no such section: {', '.join(unknown)} (see --list)")
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CASEREADER_HOME", str(WORK / "home"))
    rows, skipped, timings = [], [], []
    for name in chosen:
        try:
            section_run = _load(name)
        except ImportError as e:
            skipped.append(f"{name} (not available: {e})")
            print(f"(section {name} not available: {e})")
            continue
        start = time.perf_counter()
        load = _load_average()
        print(f"== {name} (load average {load})", flush=True)
        try:
            section = section_run()
        except Exception as e:  # noqa: BLE001 - one broken section must not lose the others
            traceback.print_exc()
            skipped.append(f"{name} (failed: {type(e).__name__}: {e})")
            continue
        elapsed = time.perf_counter() - start
        timings.append(f"{name} {elapsed:.0f} s (load average {load} as it began)")
        print(f"{name}: {elapsed:.0f} s")
        print(table(section), flush=True)
        rows += section
    over = [r for r in rows if _over_target(r)]
    text = (
        "# Benchmark results\n\n"
        f"Run {time.strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; `python benchmarks/run.py"
        + (f" --cases {CASES}" if CASES != 75 else "")
        + (f" --only {args.only}" if args.only else "")
        + f"` on {'the standard' if CASES == 75 else 'a smaller'} inspection ({CASES} cases). "
        "Each line measures casereader beside its floor in the same run. "
        f"Sections: {', '.join(timings) or 'none'}"
        + (f"; skipped: {'; '.join(skipped)}" if skipped else "")
        + ".\n\n"
        + table(rows)
        + "\n"
    )
    if over:
        text += "\nOver the ratio of its target: " + "; ".join(r.operation for r in over) + "\n"
    if args.only is None and CASES == 75:
        target = HERE / "RESULTS.md"
    else:
        parts = ([f"{CASES}-cases"] if CASES != 75 else []) + (
            [args.only.replace(",", "-")] if args.only else []
        )
        target = HERE / f"RESULTS-{'-'.join(parts)}.md"
    target.write_text(text, encoding="utf-8")
    print(text)
    print(f"Wrote {target}")
    return 1 if skipped and not rows else 0


def _over_target(row) -> bool:
    """Whether the row's ratio is above the ratio its target names (e.g. '≤ 2× and ≤ 5 ms')."""
    import re

    m = re.search(r"≤\s*([\d.]+)×", row.target or "")
    return bool(m) and row.ratio > float(m.group(1))


if __name__ == "__main__":
    raise SystemExit(main())
