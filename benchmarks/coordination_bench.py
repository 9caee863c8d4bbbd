"""The coordinator's desk: the analysis JSON and the moderation queue of a merged inspection.

    python benchmarks/coordination_bench.py   (or: python benchmarks/run.py --only coordination)

The inspection: 75 cases (60 core, 15 reserve, the demo generator's sample), six readers, 15
cases read twice, every item of every reading answered, merged into a coordinator store. The
readers' work is written with the merge's own write path (``store.bundles.apply``: answers and
statuses replaced per reader, as a bundle does) rather than through 90 exports and merges, which
would only lengthen the set-up: the rows the analysis reads are the same.

Measured (median of several runs, store already open):
- ``analyse`` + ``json.dumps``: the whole `analysis --json` document, beside the bare SQL
  aggregate of the same counts (GROUP BYs over the answers of the graded and yes/no items: per
  item, and per item within each of the five breakdowns).
- ``moderation_queue``: every double-read case compared item by item, beside a bare SQL
  select of the double-read cases' answers.
"""

import json
import shutil
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bundles_setup import answer_value
from benchmarks.common import PASSPHRASE, WORK, Row, median
from casereader.domain.template import find_template
from casereader.store import Store, cases
from casereader.store.bundles.apply import replace_answers, set_statuses
from casereader.store.cases import CaseIn
from casereader.store.coordination.analysis import analyse
from casereader.store.coordination.moderation import moderation_queue
from casereader.store.db import now

HERE = WORK / "coordination"
STORE = HERE / "coordinator.casereader"
READERS = ["R1", "R2", "R3", "R4", "R5", "R6"]
CASES, CORE, DOUBLE = 75, 60, 15
RUNS = 15


def build() -> Path:
    """The merged coordinator store (made once, reused while its marker is there)."""
    marker = HERE / ".complete"
    if marker.exists() and STORE.exists():
        return STORE
    if HERE.exists():
        shutil.rmtree(HERE)
    HERE.mkdir(parents=True)
    template = find_template("cso-at-home-2025")
    rows, reading = [], {}
    for c in range(CASES):
        ref = f"SA-{c + 1:03d}"
        readers = [READERS[c % 6]]
        if c < DOUBLE * 4 and c % 4 == 0:  # 15 double reads spread over the core sample
            readers.append(READERS[(c + 1) % 6])
        rows.append(
            CaseIn(
                ref,
                "core" if c < CORE else "reserve",
                c % 4 == 1,
                ["0-4", "5-11", "12-15"][c % 3],
                ["CSO at home", "Interim CSO"][c % 2],
                readers,
            )
        )
        reading[ref] = readers
    created = Store.create(STORE, PASSPHRASE, template, "Benchmark 2026", "coordinator")
    with created as store, store.db.atomic():
        cases.upsert_cases(store, rows)
        for r, reader in enumerate(READERS):
            refs = [ref for ref, readers in reading.items() if reader in readers]
            stamp = now()
            replace_answers(
                store,
                reader,
                [
                    {
                        "case_ref": ref,
                        "item_key": item.key,
                        "value": answer_value(item, i + c + r),
                        "agreed_value": None,
                        "note": f"{stage.title}: the chronology and the plan agree.",
                        "template_id": template.id,
                        "template_version": template.version,
                        "template_sha256": template.sha256,
                        "updated_at": stamp,
                    }
                    for c, ref in enumerate(refs)
                    for i, (stage, item) in enumerate(template.items())
                ],
            )
            set_statuses(
                store,
                reader,
                [
                    {
                        "case_ref": ref,
                        "status": "complete",
                        "completed_at": stamp,
                        "updated_at": stamp,
                    }
                    for ref in refs
                ],
            )
    marker.write_text("ok")
    return STORE


def _time_pair(ours, floor, runs: int = RUNS) -> tuple[float, float]:
    """Medians of both, run in alternation so that a busy moment weighs on both alike."""
    ours(), floor()  # warm: the template parsed, pages in the cache
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, into in ((ours, times[0]), (floor, times[1])):
            start = time.perf_counter()
            fn()
            into.append(time.perf_counter() - start)
    return median(times[0]), median(times[1])


def _bare_counts(store: Store) -> list:
    """The counts the analysis reports, straight from SQL: per graded and yes/no item, and per
    item within each breakdown (group, follow-up, legal status, age band, reader), counting
    every answer as it stands (no once-per-case rule, no moderation, no unresolved list)."""
    template = store.template
    keys = [item.key for _, item in template.items() if item.kind in ("grade", "yes_no")]
    marks = ",".join("?" * len(keys))
    base = (
        " FROM answers a JOIN cases c USING (case_ref) WHERE a.template_sha256 = ?"
        f" AND a.item_key IN ({marks})"
    )
    params = [template.sha256, *keys]
    rows = store.db.execute(
        f"SELECT a.item_key, a.value, count(*){base} GROUP BY a.item_key, a.value", params
    ).fetchall()
    for column in ("c.sample_group", "c.follow_up", "c.legal_status", "c.age_band", "a.reader_id"):
        rows += store.db.execute(
            f"SELECT {column}, a.item_key, a.value, count(*){base}"
            f" GROUP BY {column}, a.item_key, a.value",
            params,
        ).fetchall()
    return rows


def _bare_item_counts(store: Store) -> list:
    """Only the per-item counts: one GROUP BY, no breakdowns."""
    template = store.template
    keys = [item.key for _, item in template.items() if item.kind in ("grade", "yes_no")]
    marks = ",".join("?" * len(keys))
    return store.db.execute(
        "SELECT item_key, value, count(*) FROM answers WHERE template_sha256 = ?"
        f" AND item_key IN ({marks}) GROUP BY item_key, value",
        [template.sha256, *keys],
    ).fetchall()


def _bare_double_reads(store: Store) -> list:
    return store.db.execute(
        "SELECT case_ref, item_key, reader_id, value, agreed_value, note FROM answers"
        " WHERE case_ref IN (SELECT case_ref FROM assignments GROUP BY case_ref"
        " HAVING count(*) >= 2) ORDER BY case_ref, item_key, reader_id"
    ).fetchall()


def run() -> list[Row]:
    path = build()
    with Store.open(path, PASSPHRASE) as store:
        answers = store.db.execute("SELECT count(*) FROM answers").fetchone()[0]
        ours, floor = _time_pair(
            lambda: json.dumps(analyse(store).to_json(), allow_nan=False),
            lambda: _bare_counts(store),
        )
        _, items_only = _time_pair(lambda: None, lambda: _bare_item_counts(store))
        queue, queue_floor = _time_pair(
            lambda: moderation_queue(store), lambda: _bare_double_reads(store)
        )
        doubles = len(moderation_queue(store))
    return [
        Row(
            f"analysis JSON, 75 cases, 6 readers, {doubles} double reads ({answers} answers)",
            ours,
            floor,
            "bare SQL GROUP BYs of the same counts (items and the 5 breakdowns)",
            "≤ 300 ms, ≤ 3×",
            note=f"the per-item GROUP BY alone: {items_only * 1000:.1f} ms "
            f"({ours / items_only:.0f}×)",
        ),
        Row(
            f"moderation queue ({doubles} double-read cases compared item by item)",
            queue,
            queue_floor,
            "bare SQL select of the double reads' answers",
            "first paint ≤ 200 ms",
        ),
    ]


if __name__ == "__main__":
    from benchmarks.common import table

    print(table(run()))
