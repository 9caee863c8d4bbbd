"""Bugs found by driving the command line: each one, as a shell user would meet it."""

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from casereader.cli import main
from casereader.store import Store, cases

PASSPHRASE = "correct horse battery staple"
SAMPLE = (
    "case_ref,group,follow_up,age_band,legal_status,reader,locality\n"
    "SB-001,core,yes,0-4,CSO at home,R1,North\n"
    "SB-002,core,no,5-11,CSO at home,R1,South\n"
    "SB-003,reserve,yes,12-15,Interim CSO,R2,East\n"
)


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CASEREADER_PASSPHRASE", PASSPHRASE)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as e:
                code = e.code
    return code, out.getvalue(), err.getvalue()


def one_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("casereader: ") and "Traceback" not in err
    return lines[0]


@pytest.fixture
def store(tmp_path) -> Path:
    path = tmp_path / "inspection.casereader"
    code, _, err = run("init", path, "--template", "cso-at-home-2025", "--inspection", "Bugs",
                       "--reader", "R1")  # fmt: skip
    assert code == 0, err
    sample = tmp_path / "sample.csv"
    sample.write_text(SAMPLE, encoding="utf-8")
    code, _, err = run("import-sample", path, sample)
    assert code == 0, err
    return path


def stored(path: Path) -> dict:
    with Store.open(path, PASSPHRASE) as s:
        return {c.case_ref: c for c in cases.list_cases(s)}


# import-sample -------------------------------------------------------------------------------


def test_a_missing_column_leaves_the_stored_values(store, tmp_path):
    before = stored(store)
    only_refs = tmp_path / "refs.csv"
    only_refs.write_text("case_ref\nSB-001\nSB-002\nSB-003\n", encoding="utf-8")
    code, out, err = run("import-sample", store, only_refs)
    assert code == 0, err
    assert stored(store) == before
    assert "0 cases added, 3 already in the store" in out
    assert "No case already in the store changed." in out
    assert "left as they were: group, follow_up, age_band, legal_status, reader" in out


def test_a_changed_column_is_named_with_its_cases(store, tmp_path):
    changed = tmp_path / "changed.csv"
    changed.write_text("case_ref,age_band\nSB-001,5-11\nSB-002,5-11\nSB-004,0-4\n")
    code, out, err = run("import-sample", store, changed)
    assert code == 0, err
    assert "1 case added" in out
    assert "age_band: 1 case changed (SB-001)" in out
    after = stored(store)
    assert after["SB-001"].age_band == "5-11" and after["SB-001"].follow_up is True
    assert after["SB-001"].attributes == {"locality": "North"}
    assert after["SB-003"].sample_group == "reserve"
    assert after["SB-004"].sample_group == "core"


def test_reserve_into_core_is_refused_without_force(store, tmp_path):
    before = stored(store)
    promote = tmp_path / "promote.csv"
    promote.write_text("case_ref,group\nSB-001,core\nSB-003,core\n")
    code, out, err = run("import-sample", store, promote)
    assert code == 1 and out == ""
    line = one_line(err)
    assert "1 case from reserve into core (SB-003)" in line and "--force" in line
    assert stored(store) == before
    code, out, err = run("import-sample", store, promote, "--force")
    assert code == 0, err
    assert "group: 1 case changed (SB-003)" in out
    assert stored(store)["SB-003"].sample_group == "core"


# demo without a screen -----------------------------------------------------------------------


def _no_display_env(tmp_path: Path) -> dict:
    hidden = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    env = {k: v for k, v in os.environ.items() if k not in hidden and "PASSPHRASE" not in k}
    env["CASEREADER_HOME"] = str(tmp_path / "home")
    return env


def test_demo_without_a_screen_says_so_in_one_line(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "casereader", "demo", "--cases", "2", "--dir", tmp_path / "d"],
        env=_no_display_env(tmp_path), capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    line = one_line(done.stderr)
    assert "no screen" in line and "--screenshot" in line
    assert not (tmp_path / "d").exists()


def test_demo_screenshot_without_a_screen_renders_offscreen(tmp_path):
    png = tmp_path / "demo.png"
    done = subprocess.run(
        [sys.executable, "-m", "casereader", "demo", "--cases", "2", "--dir", tmp_path / "d",
         "--screenshot", png],
        env=_no_display_env(tmp_path), capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert png.read_bytes().startswith(b"\x89PNG")


# answer and complete ---------------------------------------------------------------------------


def test_clearing_a_text_answer_says_cleared(store):
    assert run("answer", store, "SB-001", "overall.key_strengths", "Clear plan.")[0] == 0
    code, out, err = run("answer", store, "SB-001", "overall.key_strengths", "")
    assert (code, err) == (0, "")
    assert "answer cleared" in out and "None" not in out


def test_a_grade_that_needs_a_note_is_saved_and_the_note_named(store):
    code, out, err = run("answer", store, "SB-001", "chronology.grade", "2")
    assert (code, err) == (0, "")
    assert "SB-001 chronology.grade = 2" in out
    assert "Saved, but" in out and "needs an evidence note" in out and "--note" in out
    code, out, _ = run("answer", store, "SB-001", "chronology.grade", "2", "--note", "Gaps.")
    assert code == 0 and "evidence note" not in out


def test_a_full_date_for_a_month_item_says_it_was_shortened(store):
    code, out, err = run("answer", store, "SB-001", "case_details.cso_start", "2024-03-14")
    assert (code, err) == (0, "")
    assert "= 2024-03" in out and "shortened" in out
    code, out, _ = run("answer", store, "SB-001", "case_details.cso_start", "2024-04")
    assert code == 0 and "shortened" not in out


def test_complete_lists_each_missing_item_on_its_own_line_with_its_id(store):
    run("answer", store, "SB-001", "chronology.grade", "2")
    code, out, err = run("complete", store, "SB-001")
    assert code == 1
    line = one_line(err)
    assert "SB-001 is not complete" in line and "missing" in line
    rows = [row.strip().split("\t") for row in out.splitlines()]
    keys = [key for key, _ in rows]
    assert "case_details.age_band" in keys and "overall.grade" in keys
    notes = [text for key, text in rows if key == "chronology.grade"]
    assert len(notes) == 1 and notes[0].endswith("evidence note not written")
    assert f"{len(rows)} items missing" in line


# clearer messages ----------------------------------------------------------------------------


def _sealed_to_new_key() -> tuple[bytes, object]:
    from pyrage import x25519

    from casereader.bundle import age

    identity = x25519.Identity.generate()
    return age.encrypt_to_recipients(b"bundle " * 200, [str(identity.to_public())]), identity


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:40] + b"!" + b[41:],  # not base64 in the key share
        lambda b: b[:40] + b[41:],  # a character of the key share lost
    ],
)
def test_a_damaged_age_header_says_damaged(damage):
    from casereader.bundle import age
    from casereader.errors import BundleRejected

    sealed, identity = _sealed_to_new_key()
    assert sealed.startswith(b"age-encryption.org/v1\n-> X25519 ")
    with pytest.raises(BundleRejected, match="damaged"):
        age.decrypt_with_identity(damage(sealed), identity)
    with pytest.raises(BundleRejected, match="damaged"):
        age.decrypt_stream_identity(io.BytesIO(damage(sealed)), io.BytesIO(), identity)


def test_a_file_for_another_key_still_says_so():
    from pyrage import x25519

    from casereader.bundle import age
    from casereader.errors import BundleRejected

    sealed, _ = _sealed_to_new_key()
    with pytest.raises(BundleRejected, match="^not encrypted to this key"):
        age.decrypt_with_identity(sealed, x25519.Identity.generate())


def test_import_documents_given_a_file_says_it_needs_a_folder(store, tmp_path):
    code, out, err = run("import-documents", store, tmp_path / "sample.csv")
    assert code == 1 and out == ""
    assert "needs a folder" in one_line(err)


def test_a_semicolon_separated_sample_is_named_as_such(store, tmp_path):
    before = stored(store)
    semi = tmp_path / "semi.csv"
    semi.write_text("case_ref;group;follow_up\nSB-009;core;no\n", encoding="utf-8")
    code, out, err = run("import-sample", store, semi)
    assert code == 1 and out == ""
    assert "separated by semicolons" in one_line(err)
    assert stored(store) == before


@pytest.mark.parametrize("limit", ["0", "-3", "many"])
def test_search_limit_below_one_is_a_usage_error(store, limit):
    code, out, err = run("search", store, "plan", "--limit", limit)
    assert code == 2 and out == ""
    assert "--limit" in one_line(err)


MISSING_INPUTS = {
    "import-sample": ["{store}", "{gone}/sample.csv"],
    "import-documents": ["{store}", "{gone}/documents"],
    "set-names": ["{store}", "{gone}/names.txt"],
    "status": ["{gone}/inspection.casereader"],
    "answer": ["{gone}/inspection.casereader", "SB-001", "chronology.grade", "4"],
    "complete": ["{gone}/inspection.casereader", "SB-001"],
    "search": ["{gone}/inspection.casereader", "plan"],
    "export": ["{store}", "--recipients-file", "{gone}/recipients.txt", "--out", "{tmp}/x"],
    "verify": ["{gone}/R1.crbundle", "--identity", "{key}"],
    "verify-key": ["{tmp}/sample.csv", "--identity", "{gone}/lead.key"],
    "merge": ["{store}", "{gone}/R1.crbundle", "--identity", "{key}"],
    "open-pack": ["{gone}/R1.crpack", "{tmp}/new.casereader"],
    "gui": ["{gone}/inspection.casereader"],
}


@pytest.mark.parametrize("command", sorted(MISSING_INPUTS))
def test_a_missing_input_file_is_exit_1_with_one_line(store, tmp_path, command):
    key = tmp_path / "lead.key"
    assert run("keygen", "--out", key, "--no-protect")[0] == 0
    names = {"store": store, "gone": tmp_path / "gone", "tmp": tmp_path, "key": key}
    args = [a.format(**names) for a in MISSING_INPUTS[command]]
    code, _, err = run(command.removesuffix("-key"), *args)
    assert code == 1, err
    line = one_line(err)
    assert "no such" in line.lower() or "not found" in line.lower() or "does not exist" in line


# plurals -------------------------------------------------------------------------------------


def test_counts_of_one_are_singular(store, tmp_path):
    doc = tmp_path / "docs" / "SB-001" / "Health" / "2024-04-01 Health visit.txt"
    doc.parent.mkdir(parents=True)
    doc.write_bytes(b"Health visitor: the child was seen at home.")
    code, out, err = run("import-documents", store, tmp_path / "docs")
    assert code == 0, err
    assert out.startswith("Imported 1 document;")
    code, _, err = run("flag", store, "SB-001", "--category", "other", "--description", "Check.")
    assert code == 0, err
    code, out, err = run("status", store)
    assert code == 0, err
    assert "3 cases (" in out and "1 document;" in out
    assert "1 open management review" in out and "1 open management reviews" not in out
    assert " 1 doc " in out and "1 docs" not in out
