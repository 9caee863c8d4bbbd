"""casereader's benchmark (SPEC §11): each operation beside its floor, measured in the same run.

    python benchmarks/run.py [--only store,gui,bundles]

Generates the standard synthetic inspection (75 cases, 2,331 documents) once into
benchmarks/work/, prints a table of ratios and writes benchmarks/RESULTS.md.
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import HERE, WORK, table  # noqa: E402

SECTIONS = ["store", "gui", "bundles"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default=",".join(SECTIONS))
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CASEREADER_HOME", str(WORK / "home"))
    rows = []
    for name in args.only.split(","):
        try:
            module = __import__(f"benchmarks.{name}_bench", fromlist=["run"])
        except ModuleNotFoundError as e:
            print(f"(section {name} not available: {e})")
            continue
        start = time.perf_counter()
        section = module.run()
        print(f"{name}: {time.perf_counter() - start:.0f} s")
        print(table(section))
        rows += section
    text = (
        "# Benchmark results\n\n"
        f"Run {time.strftime('%Y-%m-%d %H:%M')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; `python benchmarks/run.py`. Each line measures "
        "casereader beside its floor in the same run.\n\n" + table(rows) + "\n"
    )
    if args.only == ",".join(SECTIONS):
        (HERE / "RESULTS.md").write_text(text)
    else:
        (HERE / f"RESULTS-{args.only.replace(',', '-')}.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
