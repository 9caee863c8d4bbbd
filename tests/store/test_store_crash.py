"""Killing the program (SIGKILL) in the middle of heavy autosaving loses no committed answer."""

import os
import signal
import subprocess
import sys
import textwrap

from helpers_store import PASSPHRASE

from casereader.store import Store, answers

# Saves answers as fast as it can, printing each one only after save_answer has returned.
AUTOSAVER = textwrap.dedent(
    """
    import sys
    from casereader.store import Store, answers

    store = Store.open(sys.argv[1], sys.argv[2])
    keys = [k for k in store.template.item_keys()
            if store.template.item(k).kind in ("grade", "yes_no")]
    words = {"grade": ("1", "2", "3", "4", "5", "6"), "yes_no": ("yes", "no", "na", "unable")}
    n = 0
    for case_ref in [f"SA-{i:03d}" for i in range(1, 15)]:
        for key in keys:
            choices = words[store.template.item(key).kind]
            value, note = choices[n % len(choices)], f"autosave {n}"
            answers.save_answer(store, case_ref, key, value=value, note=note)
            print(case_ref, key, value, note, sep="\\t", flush=True)
            n += 1
    print("FINISHED", flush=True)
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
    committed = []
    while len(committed) < KILL_AFTER:
        line = child.stdout.readline()
        assert line, f"the autosaver stopped early: {child.stderr.read()}"
        committed.append(line.rstrip("\n").split("\t"))
    assert child.poll() is None, "the autosaver finished before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    # Lines already in the pipe were printed after their commit, so they count too.
    committed += [line.rstrip("\n").split("\t") for line in child.stdout.read().splitlines()]
    child.stdout.close()
    child.stderr.close()
    assert committed[-1][0] != "FINISHED"

    with Store.open(cases_copy, PASSPHRASE) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for case_ref, key, value, note in committed:
            saved = answers.answers_for(store, case_ref).get(key)
            assert saved is not None, f"{case_ref} {key} was lost"
            assert (saved.value, saved.note) == (value, note)
        audited = store.db.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'answer.value'"
        ).fetchone()[0]
        assert audited >= len(committed)
