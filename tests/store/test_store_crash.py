"""Killing the program (SIGKILL) in the middle of heavy autosaving loses no committed answer."""

import os
import signal
import subprocess
import sys
import textwrap

from helpers_store import PASSPHRASE

from casereader.store import Store, answers

# Saves answers as fast as it can, for ever, printing each only after save_answer has returned.
AUTOSAVER = textwrap.dedent(
    """
    import itertools, sys
    from casereader.store import Store, answers

    store = Store.open(sys.argv[1], sys.argv[2])
    keys = [k for k in store.template.item_keys()
            if store.template.item(k).kind in ("grade", "yes_no")]
    refs = [f"SA-{i:03d}" for i in range(1, 15)]
    words = {"grade": ("1", "2", "3", "4", "5", "6"), "yes_no": ("yes", "no", "na", "unable")}
    for n in itertools.count():
        key, case_ref = keys[n % len(keys)], refs[(n // len(keys)) % len(refs)]
        choices = words[store.template.item(key).kind]
        value, note = choices[n % len(choices)], f"autosave {n}"
        answers.save_answer(store, case_ref, key, value=value, note=note)
        print(case_ref, key, value, n, sep="\\t", flush=True)
    """
)
KILL_AFTER = 60


def test_sigkill_mid_autosave_loses_no_committed_answer(cases_copy):
    child = subprocess.Popen(
        [sys.executable, "-c", AUTOSAVER, str(cases_copy), PASSPHRASE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    while len(lines) < KILL_AFTER:
        line = child.stdout.readline()
        assert line, f"the autosaver stopped early: {child.stderr.read()}"
        lines.append(line)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    # Lines already in the pipe were printed after their commit, so they count too.
    lines += child.stdout.read().splitlines()
    child.stdout.close()
    child.stderr.close()
    last = {}
    for line in lines:
        case_ref, key, value, n = line.rstrip("\n").split("\t")
        last[(case_ref, key)] = (value, int(n))
    final = max(n for _, n in last.values())

    with Store.open(cases_copy, PASSPHRASE) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for (case_ref, key), (value, n) in last.items():
            saved = answers.answers_for(store, case_ref).get(key)
            assert saved is not None, f"{case_ref} {key} was lost"
            stored_n = int(saved.note.split()[-1])
            # At most one save can have committed without being printed: the one after the last.
            assert stored_n in (n, final + 1), f"{case_ref} {key}: {saved.note} after autosave {n}"
            if stored_n == n:
                assert saved.value == value
        audited = store.db.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'answer.note'"
        ).fetchone()[0]
        assert audited >= final + 1


# The crash test script (scripts/crash_test.py), bounded: about ten kills during autosave, and a
# few during a bundle merge and a documents import. The script itself runs 50 + 10 + 10.


def _crash_test_module():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "crash_test.py"
    spec = importlib.util.spec_from_file_location("crash_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_crash_test_script_bounded(tmp_path):
    import random

    crash = _crash_test_module()
    rng = random.Random(20261206)
    setup = crash.build(tmp_path / "inspection", cases=3, documents=12)
    said = []
    autosave = crash.autosave_rounds(
        crash._copy_store(setup.reader, tmp_path / "autosave.casereader"), 10, rng, said.append
    )
    assert autosave.kills == 10 and autosave.outcomes.get("mid-stream", 0) >= 5
    merge = crash.merge_rounds(setup, 3, rng, said.append)
    imports = crash.import_rounds(setup, 3, rng, said.append)
    assert merge.kills == imports.kills == 3
    assert set(merge.outcomes) <= {"store as before", "all of the bundle"}
    assert len(said) == 3


def test_crash_test_notices_a_lost_answer(cases_copy, monkeypatch):
    """The check can fail: a store that forgets answers is caught."""
    import random

    import pytest

    crash = _crash_test_module()
    monkeypatch.setattr(crash, "PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr(crash.answers, "answers_for", lambda store, ref: {})
    with pytest.raises(crash.CrashTestFailed, match="was lost"):
        crash.autosave_rounds(cases_copy, 3, random.Random(5), print)
