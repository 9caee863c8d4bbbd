"""The bundle measures: export of a fully answered reading, merge of 10 bundles, a full pack.

The readers' stores are copies of the standard (coordinator) store made the way a reading pack
makes them: a reader store with the coordinator's inspection id, the standard sample and the
reader's cases' documents (bytes and page text), then every item of every case answered, its
signing key enrolled in the coordinator's store. (They
are made directly rather than through `write_pack` + `open_pack`, which keeps the set-up quick
and independent of the pack code measured below.) The set-up is kept under
benchmarks/work/bundles/ and reused while its `.complete` marker matches the store and bundle
code; every timed run works on fresh copies of it.
"""

import json
import multiprocessing
import shutil
import time
from pathlib import Path

import pyrage
import sqlcipher3
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from benchmarks.bundles_setup import (
    FULL_READER,
    HERE,
    MERGE_BUNDLES,
    PACK_TIME_LIMIT_S,
    READERS,
    RUNS,
    SOURCE,
    copy_store,
    lead_identity,
    prepare,
    setup_version,
)
from benchmarks.common import PASSPHRASE, Row, median
from casereader.bundle import age
from casereader.bundle.export import bundle_plaintext, export_bundle, prepare_export
from casereader.bundle.merge import merge_bundles, verify_bundle
from casereader.bundle.pack import write_pack
from casereader.store import Store

# measures --------------------------------------------------------------------------------------


def _export() -> Row:
    recipient = str(lead_identity().to_public())
    work = copy_store(READERS / f"{FULL_READER}.casereader", HERE / "export-run.casereader")
    out = HERE / "out"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    ours, floor = [], []
    with Store.open(work, PASSPHRASE) as store:
        prepared = prepare_export(store, [recipient])
        tar = bundle_plaintext(prepared)
        # The floor serialises the very rows the bundle carries, as Python objects.
        rows = {
            name: json.loads(data)
            for name, data in prepared.members.items()
            if name.endswith(".json")
        }
        bare_recipient = x25519.Recipient.from_str(recipient)
        for n in range(RUNS["export"]):
            start = time.perf_counter()
            export_bundle(store, [recipient], out / f"bundle-{n}.crbundle")
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            json.dumps(rows)
            pyrage.encrypt(tar, [bare_recipient])
            floor.append(time.perf_counter() - start)
        counts = prepared.manifest.counts
    size = (out / "bundle-0.crbundle").stat().st_size
    shutil.rmtree(out)
    for old in HERE.glob("export-run.casereader*"):
        old.unlink()
    cases_answered = counts["cases"]
    return Row(
        f"export a fully answered {cases_answered}-case reading (median of {RUNS['export']})",
        median(ours),
        median(floor),
        "json.dumps of the same rows + pyrage.encrypt of the same tar (in memory)",
        "≤ 200 ms",
        note=(
            f"{counts['answers']} answers, {counts['evidence_links']} evidence links, "
            f"{counts['audit_entries']} audit entries; tar {len(tar) / 1e6:.1f} MB, bundle "
            f"{size / 1e6:.1f} MB; ours also reads the store, signs, writes the CSV and fsyncs"
        ),
    )


def _bare_merge_rows(bundles: list[Path]) -> dict[str, list[tuple]]:
    identity = lead_identity()
    rows: dict[str, list[tuple]] = {
        "answers": [], "links": [], "flags": [], "flag_events": [], "statuses": [], "audit": []
    }  # fmt: skip
    for path in bundles:
        contents = verify_bundle(path, identity).contents
        rows["answers"] += [tuple(a.values()) for a in contents.answers]
        rows["links"] += [tuple(link.values()) for link in contents.evidence_links]
        rows["flags"] += [tuple(v for k, v in f.items() if k != "history") for f in contents.flags]
        reader = contents.answers[0]["reader_id"]
        rows["flag_events"] += [
            (f["flag_id"], *e.values()) for f in contents.flags for e in f["history"]
        ]
        rows["statuses"] += [(reader, *s.values()) for s in contents.statuses]
        rows["audit"] += [(reader, *e.values()) for e in contents.audit]
    return rows


def _bare_insert(rows: dict[str, list[tuple]], path: Path) -> float:
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    for table, sample in rows.items():
        columns = ", ".join(f"c{i}" for i in range(len(sample[0])))
        conn.execute(f"CREATE TABLE {table} ({columns})")
    start = time.perf_counter()
    conn.execute("BEGIN")
    for table, values in rows.items():
        marks = ", ".join("?" * len(values[0]))
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def _merge() -> Row:
    bundles = sorted(MERGE_BUNDLES.glob("*.crbundle"))
    identity = lead_identity()
    rows = _bare_merge_rows(bundles)
    ours, floor, decrypt = [], [], []
    target = HERE / "merge-run.casereader"
    for _ in range(RUNS["merge"]):
        start = time.perf_counter()
        for path in bundles:
            age.decrypt_with_identity(path.read_bytes(), identity)
        decrypt.append(time.perf_counter() - start)
        with Store.open(copy_store(SOURCE, target), PASSPHRASE) as store:
            start = time.perf_counter()
            outcomes = merge_bundles(store, bundles, identity)
            ours.append(time.perf_counter() - start)
        refused = [o.message for o in outcomes if not o.ok]
        if refused:
            raise RuntimeError(f"a benchmark bundle was refused: {refused[0]}")
        floor.append(_bare_insert(rows, HERE / "bare-merge.db"))
    for old in (*HERE.glob("merge-run.casereader*"), *HERE.glob("bare-merge.db*")):
        old.unlink()
    n_rows = sum(len(v) for v in rows.values())
    return Row(
        f"merge {len(bundles)} bundles with overlapping cases (median of {RUNS['merge']})",
        median(ours),
        median(floor),
        "one SQLCipher transaction executemany-inserting the same rows (no checks, no decrypt)",
        "≤ 1 s",
        note=(
            f"{n_rows} rows ({len(rows['answers'])} answers, {len(rows['audit'])} audit "
            f"entries); 8 double-read cases and 4 second bundles superseding first ones; "
            f"decrypting the 10 files alone takes {median(decrypt) * 1000:.0f} ms"
        ),
    )


class _TimedSeal:
    """pyrage.passphrase as casereader.bundle.age uses it, timing each encrypt (the pack's seal)."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def encrypt(self, *args, **kwargs) -> bytes:
        start = time.perf_counter()
        try:
            return age_passphrase.encrypt(*args, **kwargs)
        finally:
            self.seconds.append(time.perf_counter() - start)

    def __getattr__(self, name: str):
        return getattr(age_passphrase, name)


def _pack_child(conn, store_path: str, recipient: str, runs: int) -> None:
    """In its own process (as the app runs packs): time write_pack, then the floors, per run.

    The floor is `age -p` of the same tar (pyrage.passphrase.encrypt): a bare passphrase file,
    as the pack is one. age calibrates its scrypt work factor on every call (about 1 to 3 s
    here), so the seal the pack paid is timed inside write_pack too, for the note; so is
    pyrage.encrypt_file of the tar to an X25519 recipient (the stream alone, no passphrase).
    """
    out, tar = HERE / "full.crpack", HERE / "full-pack.tar"
    bare_out = HERE / "full-pack.tar.age"
    seal = _TimedSeal()
    age.age_passphrase = seal  # this child process only
    with Store.open(store_path, PASSPHRASE) as store:
        for n in range(runs):
            out.unlink(missing_ok=True)
            seal.seconds.clear()
            start = time.perf_counter()
            made = write_pack(store, FULL_READER, out, recipient=recipient)
            ours = time.perf_counter() - start
            sealed = sum(seal.seconds)  # 0 if the pack no longer seals through age.py
            if n == 0:
                with out.open("rb") as src, tar.open("wb") as dst:
                    age.decrypt_stream_passphrase(src, dst, made.passphrase)
            bare_out.unlink(missing_ok=True)
            one_off = x25519.Identity.generate().to_public()
            start = time.perf_counter()
            pyrage.encrypt_file(str(tar), str(bare_out), [one_off])
            stream = time.perf_counter() - start
            plain = tar.read_bytes()
            start = time.perf_counter()
            age_passphrase.encrypt(plain, made.passphrase)
            floor_p = time.perf_counter() - start
            del plain
            sizes = (out.stat().st_size, tar.stat().st_size, made.cases, made.documents)
            conn.send((ours, floor_p, stream, sealed, sizes))
    conn.close()


def _pack() -> Row:
    recipient = str(lead_identity().to_public())
    work = copy_store(SOURCE, HERE / "pack-run.casereader")
    receive, send = multiprocessing.get_context("spawn").Pipe(duplex=False)
    worker = multiprocessing.get_context("spawn").Process(
        target=_pack_child, args=(send, str(work), recipient, RUNS["pack"])
    )
    start = time.perf_counter()
    worker.start()
    send.close()
    results = []
    deadline = start + PACK_TIME_LIMIT_S
    while len(results) < RUNS["pack"] and time.perf_counter() < deadline:
        if receive.poll(1):
            try:
                results.append(receive.recv())
            except EOFError:
                break
    stopped = worker.is_alive() and len(results) < RUNS["pack"]
    if stopped:
        worker.terminate()
    worker.join()
    if worker.exitcode not in (0, None) and not stopped and len(results) < RUNS["pack"]:
        raise RuntimeError(f"the pack benchmark process failed (exit {worker.exitcode})")
    for path in (*HERE.glob("full*"), *HERE.glob(".full*"), *HERE.glob("pack-run.casereader*")):
        path.unlink(missing_ok=True)
    operation = f"pack the full inspection (reader {FULL_READER} assigned all 75 cases)"
    floor_name = "`age -p` of the same tar: pyrage.passphrase.encrypt (scrypt + stream, in memory)"
    if not results:
        return Row(
            operation + " — did not finish",
            PACK_TIME_LIMIT_S,
            float("nan"),
            floor_name + " (not reached)",
            "≤ 1.3×",
            unit="s",
            note=f"stopped after {PACK_TIME_LIMIT_S} s",
        )
    ours = median([r[0] for r in results])
    streams = [r[2] for r in results]
    seals = [r[3] for r in results]
    size, tar_size, n_cases, n_docs = results[0][4]
    beyond = median([r[0] - r[2] - r[3] for r in results])
    return Row(
        f"{operation}: {n_cases} cases, {n_docs} documents (median of {len(results)})",
        ours,
        median([r[1] for r in results]),
        floor_name,
        "≤ 1.3×",
        unit="s",
        note=(
            f"tar {tar_size / 1e6:.0f} MB, pack {size / 1e6:.0f} MB; beside "
            f"pyrage.encrypt_file of the tar to an X25519 recipient (no passphrase: "
            f"{median(streams):.2f} s) the ratio is {ours / median(streams):.0f}×, because a "
            f"pack must be opened with a passphrase and age's scrypt seal alone took "
            f"{' '.join(f'{s:.2f}' for s in seals)} s in these packs (age calibrates it); "
            f"beyond seal + stream, ours reads every document and its page text from SQLCipher, "
            f"hashes, makes the tar and fsyncs: {beyond * 1000:.0f} ms"
        ),
    )


def run() -> list[Row]:
    from benchmarks.gui_bench import load_note

    load = load_note()
    marker = HERE / ".complete"
    if not marker.exists() or marker.read_text() != setup_version():
        start = time.perf_counter()
        prepare()
        took = time.perf_counter() - start
        print(f"bundles: set-up (7 reader stores answered, 10 bundles) {took:.0f} s")
    rows = [_export(), _merge(), _pack()]
    rows[0].note += f"; {load}"
    return rows
