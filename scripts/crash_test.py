#!/usr/bin/env python
"""Crash safety (SPEC §11): a process is killed outright (SIGKILL; TerminateProcess on Windows)
at random moments while it autosaves answers, merges a bundle and imports documents. After each
kill the store must open, pass `PRAGMA integrity_check` (and FTS5's own check), and hold:

- autosave: every answer whose commit had returned before the kill (the child reports each on
  its stdout pipe only after save_answer has returned);
- merge: the store as it was before the merge, or all of the bundle (never part of it);
- import: every document reported imported before the kill, each one whole (metadata, bytes
  matching their hash, page text), and no half document.

    python scripts/crash_test.py [--autosave 50] [--merge 10] [--import 10] [--seed N]

Prints the counts and exits 1 on the first failure. tests/store/test_store_crash.py runs a
bounded version (about ten kills) in the test suite.
"""

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casereader.store import Store, answers  # noqa: E402

PASSPHRASE = "crash-test-passphrase"


class CrashTestFailed(AssertionError):
    pass


@dataclass
class Tally:
    kills: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: str) -> None:
        self.kills += 1
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def __str__(self) -> str:
        parts = ", ".join(f"{k}: {v}" for k, v in sorted(self.outcomes.items()))
        return f"{self.kills} kills ({parts})"


# children ---------------------------------------------------------------------------------------

AUTOSAVER = textwrap.dedent(
    """
    import itertools, random, sys
    from casereader.store import Store, answers

    store = Store.open(sys.argv[1], sys.argv[2])
    rng = random.Random(int(sys.argv[3]))
    start = int(sys.argv[4])
    keys = [k for k in store.template.item_keys()
            if store.template.item(k).kind in ("grade", "yes_no")]
    refs = [r[0] for r in store.db.execute("SELECT case_ref FROM cases ORDER BY case_ref")]
    words = {"grade": ("1", "2", "3", "4", "5", "6"), "yes_no": ("yes", "no", "na", "unable")}
    print("ready", flush=True)
    for n in itertools.count(start):
        key, case_ref = rng.choice(keys), rng.choice(refs)
        value = rng.choice(words[store.template.item(key).kind])
        answers.save_answer(store, case_ref, key, value=value, note=f"autosave {n}")
        print(case_ref, key, value, n, sep="\\t", flush=True)  # only after the commit returned
    """
)

MERGER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from casereader.bundle import keys
    from casereader.bundle.merge import merge_bundles
    from casereader.store import Store

    identity = keys.load_identity(Path(sys.argv[3]))
    with Store.open(sys.argv[1], sys.argv[2]) as store:
        print("ready", flush=True)
        sys.stdin.readline()  # go
        outcomes = merge_bundles(store, [Path(sys.argv[4])], identity)
        print("merged", outcomes[0].outcome, flush=True)
    """
)

IMPORTER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from casereader.ingest.documents import ImportReport, import_documents
    from casereader.store import Store

    with Store.open(sys.argv[1], sys.argv[2]) as store:
        print("ready", flush=True)
        report = ImportReport()
        seen = 0
        for _ in import_documents(store, Path(sys.argv[3]), report, workers=0):
            for f in report.files[seen:]:
                if f.outcome == "imported":  # written and committed
                    print("imported", f.document_id, flush=True)
            seen = len(report.files)
        print("done", flush=True)
    """
)


def _start(code: str, *args) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_ready(child: subprocess.Popen) -> None:
    line = child.stdout.readline()
    if line.strip() != "ready":
        raise CrashTestFailed(f"the child did not start: {line!r} {child.stderr.read()}")


def _kill(child: subprocess.Popen) -> list[str]:
    """Kill outright; return every whole line the child had written before it died."""
    if hasattr(signal, "SIGKILL"):
        os.kill(child.pid, signal.SIGKILL)
    else:
        child.kill()
    child.wait()
    # A line cut off by the kill was not reported: only whole lines count.
    rest = [line for line in child.stdout.read().splitlines(keepends=True) if line.endswith("\n")]
    for pipe in (child.stdin, child.stdout, child.stderr):
        pipe.close()
    return rest


def _check_integrity(store: Store) -> None:
    result = store.db.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise CrashTestFailed(f"integrity_check: {result}")
    store.db.execute("INSERT INTO document_text(document_text) VALUES ('integrity-check')")


# autosave ---------------------------------------------------------------------------------------


def autosave_rounds(store_path: Path, kills: int, rng: random.Random, log=print) -> Tally:
    """Start an autosaver on the store and kill it KILLS times, checking after each kill."""
    tally = Tally()
    committed: dict[tuple[str, str], tuple[str, int]] = {}
    n = 0
    for round_ in range(kills):
        child = _start(AUTOSAVER, store_path, PASSPHRASE, rng.randrange(2**31), n)
        _wait_ready(child)
        lines = []
        # Most kills land mid-stream, after some commits; a few right at the start.
        wanted = rng.choice([0, rng.randrange(1, 60), rng.randrange(1, 60), rng.randrange(60, 400)])
        while len(lines) < wanted:
            line = child.stdout.readline()
            if not line:
                raise CrashTestFailed(f"the autosaver stopped: {child.stderr.read()}")
            lines.append(line)
        time.sleep(rng.uniform(0, 0.02))
        lines += _kill(child)
        reported, final = 0, n - 1
        for line in lines:
            case_ref, key, value, number = line.rstrip("\n").split("\t")
            committed[(case_ref, key)] = (value, int(number))
            final = max(final, int(number))
            reported += 1
        with Store.open(store_path, PASSPHRASE) as store:
            _check_integrity(store)
            for (case_ref, key), (value, number) in committed.items():
                saved = answers.answers_for(store, case_ref).get(key)
                if saved is None:
                    raise CrashTestFailed(f"round {round_}: {case_ref} {key} was lost")
                stored = int(saved.note.split()[-1])
                # At most one save can have committed without being reported: the next one.
                if stored not in (number, final + 1):
                    raise CrashTestFailed(
                        f"round {round_}: {case_ref} {key} holds autosave {stored}, but "
                        f"autosave {number} was the last one committed"
                    )
                if stored == number and saved.value != value:
                    raise CrashTestFailed(f"{case_ref} {key}: {saved.value} ≠ {value}")
                if stored != number:  # the unreported save did commit: it is the answer now
                    committed[(case_ref, key)] = (saved.value, stored)
        n = final + 2  # the unreported save, if any, keeps its number
        tally.add("mid-stream" if reported else "before the first commit")
    log(f"autosave: {tally}; {len(committed)} answers checked after every kill")
    return tally


# a bundle merge ---------------------------------------------------------------------------------


def _merge_state(path: Path) -> tuple:
    with Store.open(path, PASSPHRASE) as store:
        _check_integrity(store)
        return tuple(
            store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("imported_bundles", "answers", "reader_audit", "flags", "flag_events",
                          "evidence_links", "audit_log")
        )  # fmt: skip


def merge_rounds(setup: "Setup", kills: int, rng: random.Random, log=print) -> Tally:
    tally = Tally()
    before = _merge_state(setup.coordinator)
    work = setup.folder / "merging.casereader"
    # One merge left to finish: what "all of it" looks like, and how long a run takes.
    _copy_store(setup.coordinator, work)
    child = _start(MERGER, work, PASSPHRASE, setup.key_file, setup.bundle)
    _wait_ready(child)
    start = time.perf_counter()  # the merge itself, the store already open
    child.stdin.write("go\n")
    child.stdin.flush()
    out = child.stdout.readline()
    full_time = time.perf_counter() - start
    rest, err = child.communicate()
    if "merged imported" not in out:
        raise CrashTestFailed(f"the merge did not complete: {out} {err}")
    full_state = _merge_state(work)
    merged_state = full_state[:-1]
    for _ in range(kills):
        _copy_store(setup.coordinator, work)
        child = _start(MERGER, work, PASSPHRASE, setup.key_file, setup.bundle)
        _wait_ready(child)
        child.stdin.write("go\n")
        child.stdin.flush()
        time.sleep(rng.uniform(0, full_time * 1.2))
        lines = _kill(child)
        state = _merge_state(work)
        finished = any(line.startswith("merged") for line in lines)
        if state == before:
            if finished:
                raise CrashTestFailed("the merge had returned, but the store is as before it")
            tally.add("store as before")
        elif state[:-1] == merged_state:
            tally.add("all of the bundle")
        else:
            raise CrashTestFailed(f"a partial merge: {state} (before {before}, all {full_state})")
    log(f"merge: {tally}; a merge takes {full_time:.2f} s once the store is open")
    return tally


# a documents import -----------------------------------------------------------------------------


def _check_documents(path: Path, reported: set[int]) -> int:
    with Store.open(path, PASSPHRASE) as store:
        _check_integrity(store)
        db = store.db
        docs = db.execute(
            "SELECT d.id, d.sha256, c.content FROM documents d"
            " LEFT JOIN document_content c ON c.document_id = d.id"
        ).fetchall()
        for doc_id, sha, content in docs:
            if content is None or hashlib.sha256(content).hexdigest() != sha:
                raise CrashTestFailed(f"document {doc_id} is not whole after the kill")
        ids = {row[0] for row in docs}
        if not reported <= ids:
            raise CrashTestFailed(f"imported documents lost: {sorted(reported - ids)}")
        orphans = db.execute(
            "SELECT count(*) FROM document_content WHERE document_id NOT IN"
            " (SELECT id FROM documents)"
        ).fetchone()[0]
        text_docs = {r[0] for r in db.execute("SELECT DISTINCT document_id FROM document_text")}
        if orphans or not text_docs <= {str(i) for i in ids} | ids:
            raise CrashTestFailed("page text or bytes of a document that is not there")
        return len(ids)


def import_rounds(setup: "Setup", kills: int, rng: random.Random, log=print) -> Tally:
    tally = Tally()
    work = setup.folder / "importing.casereader"
    _copy_store(setup.coordinator_without_documents, work)
    child = _start(IMPORTER, work, PASSPHRASE, setup.documents)
    _wait_ready(child)
    start = time.perf_counter()  # from the store being open to the import's last commit
    lines = []
    while not lines or lines[-1].strip() != "done":
        line = child.stdout.readline()
        if not line:
            raise CrashTestFailed(f"the import did not complete: {child.stderr.read()}")
        lines.append(line)
    full_time = time.perf_counter() - start
    child.communicate()
    total = _check_documents(work, set())
    for _ in range(kills):
        _copy_store(setup.coordinator_without_documents, work)
        child = _start(IMPORTER, work, PASSPHRASE, setup.documents)
        _wait_ready(child)
        time.sleep(rng.uniform(0, full_time))
        lines = _kill(child)
        reported = {int(line.split()[1]) for line in lines if line.startswith("imported")}
        count = _check_documents(work, reported)
        tally.add("all documents" if count == total else "some documents, each whole")
    log(f"import: {tally}; importing {total} documents takes {full_time:.2f} s")
    return tally


# set-up -----------------------------------------------------------------------------------------


@dataclass
class Setup:
    folder: Path
    coordinator: Path  # a coordinator store with its documents, before the merge
    coordinator_without_documents: Path
    reader: Path  # a reader store with answers (the autosaver writes into a copy)
    key_file: Path
    bundle: Path
    documents: Path


def _copy_store(source: Path, target: Path) -> Path:
    for old in target.parent.glob(target.name + "*"):
        old.unlink()
    shutil.copyfile(source, target)
    return target


def build(folder: Path, cases: int = 4, documents: int = 24) -> Setup:
    """A small fictional inspection: coordinator store, one reader's answered store, its bundle."""
    from casereader.bundle import keys
    from casereader.bundle.export import export_bundle
    from casereader.demo.files import generate_inspection_files
    from casereader.domain.template import find_template
    from casereader.ingest.documents import import_documents
    from casereader.ingest.sample import import_sample
    from casereader.store import bundles as store_bundles
    from casereader.store import cases as store_cases

    folder.mkdir(parents=True, exist_ok=True)
    files = generate_inspection_files(folder / "files", cases=cases, documents=documents)
    template = find_template("cso-at-home-2025")
    bare = folder / "coordinator-bare.casereader"
    with Store.create(bare, PASSPHRASE, template, "Crash test (fictional)", "coordinator") as s:
        import_sample(s, files.sample_csv)
        inspection_id = s.inspection.inspection_id
        reader = sorted({r for c in store_cases.list_cases(s) for r in c.readers})[0]
        refs = [c.case_ref for c in store_cases.list_cases(s) if reader in c.readers]
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    coordinator = _copy_store(bare, folder / "coordinator.casereader")
    with Store.open(coordinator, PASSPHRASE) as s:
        list(import_documents(s, files.documents_dir, workers=0))
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    key_file = folder / "lead.key"
    recipient = keys.generate_identity(key_file)
    reader_path = folder / f"{reader}.casereader"
    with Store.create(
        reader_path, PASSPHRASE, template, "Crash test (fictional)", "reader", reader,
        inspection_id,
    ) as s:  # fmt: skip
        import_sample(s, files.sample_csv)
        grades = [k for k in template.item_keys() if template.item(k).kind == "grade"]
        for i, ref in enumerate(refs):
            for j, key in enumerate(grades):
                answers.save_answer(s, ref, key, value=str(1 + (i + j) % 6), note=f"read {j}")
        bundle = folder / f"{reader}-1.crbundle"
        export_bundle(s, [recipient], bundle)
        s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        public_key = s.inspection.signing_public_key
    # The reader's signing key enrolled in the coordinator store, as making its pack does.
    for path in (coordinator, bare):
        with Store.open(path, PASSPHRASE) as c:
            store_bundles.enrol_reader(c, reader, public_key, refs)
            c.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Setup(folder, coordinator, bare, reader_path, key_file, bundle, files.documents_dir)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--autosave", type=int, default=50, help="kills during autosave")
    parser.add_argument("--merge", type=int, default=10, help="kills during a bundle merge")
    parser.add_argument("--import", dest="import_", type=int, default=10,
                        help="kills during a documents import")  # fmt: skip
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    rng = random.Random(seed)
    print(f"crash test, seed {seed}", flush=True)
    with tempfile.TemporaryDirectory(prefix="casereader-crash-") as tmp:
        setup = build(Path(tmp))
        try:
            autosave_rounds(_copy_store(setup.reader, Path(tmp) / "autosave.casereader"),
                            args.autosave, rng)  # fmt: skip
            merge_rounds(setup, args.merge, rng)
            import_rounds(setup, args.import_, rng)
        except CrashTestFailed as e:
            print(f"FAILED: {e}", file=sys.stderr)
            return 1
    print("every kill: the store opened, integrity ok, nothing committed was lost")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
