"""summary, report and concern on the command line: files written, clear errors, store untouched."""

import hashlib
import shutil

import pytest
from reports_fixtures import PASSPHRASE, one_line, pdf_text, qpdf_check

from casereader.cli import main


def run(*args, passphrase=PASSPHRASE, monkeypatch=None):
    import io
    from contextlib import redirect_stderr, redirect_stdout

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CASEREADER_PASSPHRASE", passphrase)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as e:
                code = e.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def store_path(reader_store_file, tmp_path):
    return shutil.copy2(reader_store_file, tmp_path / "r.casereader")


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_summary_of_one_case(store_path, tmp_path):
    before = digest(store_path)
    code, out, err = run("summary", store_path, "SA-001", "--out", tmp_path / "s.pdf")
    assert (code, err) == (0, "")
    assert out.strip() == str(tmp_path / "s.pdf")
    assert "Case summary — SA-001" in pdf_text(tmp_path / "s.pdf")
    code, out, _ = run("summary", store_path, "SA-002", "--out", tmp_path)
    assert code == 0 and (tmp_path / "summary-SA-002.pdf").exists()
    assert digest(store_path) == before


def test_summary_of_all_cases(store_path, tmp_path):
    code, out, err = run("summary", store_path, "--all", "--out", tmp_path / "all")
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "all").iterdir())
    assert names == [
        "all-summaries.pdf",
        "summary-SA-001.pdf",
        "summary-SA-002.pdf",
        "summary-SA-003.pdf",
    ]
    assert "3 case summaries" in out
    qpdf_check(tmp_path / "all" / "all-summaries.pdf", tmp_path)


def test_report_and_concern(store_path, tmp_path):
    code, _, err = run("report", store_path, "--out", tmp_path / "r.pdf")
    assert code == 0, err
    assert "Record-reading analysis" in pdf_text(tmp_path / "r.pdf")
    code, _, err = run("concern", store_path, "SA-001", "--out", tmp_path / "c.pdf")
    assert code == 0, err
    assert "Immediate risk to a child" in one_line(pdf_text(tmp_path / "c.pdf"))


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["summary", "{store}", "--out", "{tmp}/x.pdf"], 2, "either a case ref or --all"),
        (["summary", "{store}", "SA-001", "--all", "--out", "{tmp}/x"], 2, "either a case"),
        (["summary", "{store}", "SA-001", "--out", "{tmp}/x.txt"], 2, "ending in .pdf"),
        (["summary", "{store}", "--all", "--out", "{store}"], 2, "is a file; with --all"),
        (["summary", "{store}", "SA-999", "--out", "{tmp}/x.pdf"], 1, "No case 'SA-999'"),
        (["concern", "{store}", "SA-002", "--out", "{tmp}/x.pdf"], 1, "no management review"),
        (
            ["concern", "{store}", "SA-001", "--flag", "zz", "--out", "{tmp}/x.pdf"],
            1,
            "no management review 'zz'",
        ),
        (["report", "{store}", "--out", "{tmp}/no/such/dir/x.pdf"], 0, ""),
        (["report", "{tmp}/missing.casereader", "--out", "{tmp}/x.pdf"], 1, ""),
    ],
)
def test_bad_input_says_what_is_wrong_and_writes_nothing_else(
    store_path, tmp_path, args, code, words
):
    before = digest(store_path)
    args = [a.format(store=store_path, tmp=tmp_path) for a in args]
    got, out, err = run(*args)
    assert got == code, err
    if code:
        assert len(err.splitlines()) == 1 and err.startswith("casereader: ")
        assert words in err
        assert not (tmp_path / "x.pdf").exists()
    assert digest(store_path) == before


def test_a_wrong_passphrase_is_refused(store_path, tmp_path):
    code, _, err = run(
        "summary", store_path, "SA-001", "--out", tmp_path / "x.pdf", passphrase="wrong one"
    )
    assert code == 1 and "passphrase" in err.lower()
    assert not (tmp_path / "x.pdf").exists()


def test_an_unwritable_output_is_one_clear_line(store_path, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run("summary", store_path, "SA-001", "--out", blocker / "x.pdf")
    assert code == 1
    assert err.startswith("casereader: Cannot write") and len(err.splitlines()) == 1


def test_starting_the_command_line_does_not_load_reportlab():
    # every command and the app itself start through the parser; printing loads on use
    import subprocess
    import sys

    probe = "import sys, casereader.cli; print(sorted(m for m in sys.modules if 'reportlab' in m))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
