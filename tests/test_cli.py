"""The command line (SPEC §9): exit codes 0/1/2, one clear line on errors, JSON for scripts.

Most commands run in-process through casereader.cli.main; a few run as `python -m casereader`
to see exactly what a shell sees (including anything SQLCipher itself might print).
"""

import hashlib
import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from casereader.cli import main
from casereader.domain.template import ITEM_KINDS, find_template
from casereader.store import Store, answers

PASSPHRASE = "correct horse battery staple"
SAMPLE = (
    "case_ref,group,follow_up,age_band,legal_status,reader,locality\n"
    "SA-001,core,no,0-4,CSO at home,R1,North\n"
    "SA-002,core,yes,5-11,CSO at home,R1;R2,South\n"
    "SA-003,reserve,no,12-15,Interim CSO,,East\n"
)
PLAN_PAGES = [
    "Child's plan agreed at the core group.",
    "The kinship carer will collect the child from school.",
]


def run(*args, passphrase: str | None = PASSPHRASE, stdin=None) -> tuple[int, str, str]:
    """Run the CLI in-process; returns (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        if passphrase is None:
            patch.delenv("CASEREADER_PASSPHRASE", raising=False)
        else:
            patch.setenv("CASEREADER_PASSPHRASE", passphrase)
        if stdin is not None:
            patch.setattr(sys, "stdin", stdin)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as e:
                code = e.code
    return code, out.getvalue(), err.getvalue()


def shell(*args, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    """Run `python -m casereader ARGS` as a shell would."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CASEREADER_PASS")}
    return subprocess.run(
        [sys.executable, "-m", "casereader", *map(str, args)],
        env={**environ, **(env or {})},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


def one_error_line(err: str) -> str:
    """The single line a failing command writes to stderr."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("casereader: ")
    assert "Traceback" not in err
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def pdf(pages: list[str]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    for text in pages:
        canvas.drawString(72, 760, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# a demo run in the background: it takes a while, so it starts as the module starts ------------


@pytest.fixture(scope="module", autouse=True)
def demo_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    (folder / "home").mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "casereader", "demo", "--no-gui", "--cases", "3", "--dir",
         str(folder / "inspection")],
        env={**{k: v for k, v in os.environ.items() if not k.startswith("CASEREADER_")},
             "CASEREADER_HOME": str(folder / "home")},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    yield process, folder / "inspection"
    if process.poll() is None:
        process.kill()
    process.communicate()


# an inspection built through the CLI, once for the module ---------------------------------------


@dataclass
class Built:
    folder: Path
    store: Path
    sample: Path
    documents: Path
    init: tuple
    sample_import: tuple
    documents_import: tuple


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    folder = tmp_path_factory.mktemp("cli")
    sample = folder / "sample.csv"
    sample.write_text(SAMPLE, encoding="utf-8")
    docs = folder / "documents"
    files = {
        "SA-001/Social work/2024-03-14 Child's plan.pdf": pdf(PLAN_PAGES),
        "SA-001/Health/2024-04-01 Health visit.txt": b"Health visitor: kinship care is stable.",
        "SA-002/Police/2024-05-01 Concern.txt": b"Police concern report; no kinship care.",
        "SA-002/Police/Case system.exe": b"MZ\x90\x00",
        "SA-002/Health/Empty.pdf": b"",
        "SA-999/Health/Not ours.txt": b"A case folder that is not in the sample.",
    }
    for relative, data in files.items():
        (docs / relative).parent.mkdir(parents=True, exist_ok=True)
        (docs / relative).write_bytes(data)
    store = folder / "inspection.casereader"
    init = run("init", store, "--template", "cso-at-home-2025", "--inspection", "Example",
               "--reader", "R1")  # fmt: skip
    assert init[0] == 0, init
    sample_import = run("import-sample", store, sample)
    assert sample_import[0] == 0, sample_import
    documents_import = run("import-documents", store, docs, "--json")
    return Built(folder, store, sample, docs, init, sample_import, documents_import)


def test_init_creates_a_store(built):
    code, out, err = built.init
    assert (code, err) == (0, "")
    assert "Created" in out and "cso-at-home-2025" in out
    assert built.store.is_file()


def test_import_sample_says_how_many_cases(built):
    code, out, err = built.sample_import
    assert (code, err) == (0, "")
    assert "3 cases added" in out


def test_import_documents_json_lists_skipped_files_and_exits_0(built):
    code, out, err = built.documents_import
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["imported"] == 3 and report["duplicates"] == 0
    reasons = {s["path"]: s["reason"] for s in report["skipped"]}
    assert set(reasons) == {"SA-002/Police/Case system.exe", "SA-002/Health/Empty.pdf"}
    assert "unsupported" in reasons["SA-002/Police/Case system.exe"]
    assert "empty" in reasons["SA-002/Health/Empty.pdf"]
    assert report["stray_case_folders"] == ["SA-999"]
    assert report["cancelled"] is False


def test_status_json_gives_each_case_and_the_totals(built):
    code, out, err = run("status", built.store, "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    required = sum(item.required for _, item in find_template("cso-at-home-2025").items())
    by_ref = {c["case_ref"]: c for c in data["cases"]}
    assert sorted(by_ref) == ["SA-001", "SA-002", "SA-003"]
    for case in data["cases"]:
        for key in ("group", "follow_up", "status", "documents", "answered", "required",
                    "open_flags", "readers"):  # fmt: skip
            assert key in case
        assert case["required"] == required
    assert (by_ref["SA-001"]["documents"], by_ref["SA-002"]["documents"]) == (2, 1)
    assert (by_ref["SA-002"]["group"], by_ref["SA-002"]["follow_up"]) == ("core", True)
    assert by_ref["SA-002"]["readers"] == ["R1", "R2"]
    assert by_ref["SA-003"]["group"] == "reserve"
    totals = data["totals"]
    assert (totals["cases"], totals["core"], totals["reserve"], totals["documents"]) == (3, 2, 1, 3)
    assert data["template"]["id"] == "cso-at-home-2025" and len(data["template"]["sha256"]) == 64


def test_answer_stores_grades_yes_no_and_choices_with_notes_and_agreed_grades(built):
    store = built.store
    calls = [
        (["initial_response.grade", "5", "--note", "Seen.", "--agreed", "4"], "5"),
        (["initial_response.child_seen", "Yes"], "yes"),
        (["case_details.legal_status", "interim_cso"], "interim_cso"),
    ]
    for args, stored in calls:
        code, out, err = run("answer", store, "SA-001", *args)
        assert (code, err) == (0, "")
        assert out.strip() == f"SA-001 {args[0]} = {stored}"
    with Store.open(store, PASSPHRASE) as opened:
        saved = answers.answers_for(opened, "SA-001")
    grade = saved["initial_response.grade"]
    assert (grade.value, grade.agreed_value, grade.note) == ("5", "4", "Seen.")
    assert saved["initial_response.child_seen"].value == "yes"
    assert saved["case_details.legal_status"].value == "interim_cso"


@pytest.mark.parametrize(
    ("case", "item", "value", "message"),
    [
        ("SA-001", "initial_response.grade", "0", "never 0"),
        ("SA-001", "initial_response.child_seen", "maybe", "yes, no, na or unable"),
        ("SA-001", "initial_response.colour", "4", "no item"),
    ],
)
def test_answer_refuses_a_bad_value_or_item_in_one_line(built, case, item, value, message):
    before = digest(built.store)
    code, out, err = run("answer", built.store, case, item, value)
    assert (code, out) == (1, "")
    assert message in one_error_line(err)
    assert digest(built.store) == before


def test_flag_raises_a_management_review_and_refuses_bad_input(built):
    code, out, err = run(
        "flag", built.store, "SA-003", "--category", "immediate-risk", "--description", "Bruise."
    )
    assert (code, err) == (0, "")
    assert out.startswith("Management review raised on SA-003")
    code, _, err = run("flag", built.store, "SA-003", "--category", "urgent", "--description", "x")
    assert code == 2 and err.splitlines()[-1].startswith("casereader: ")
    code, _, err = run("flag", built.store, "SA-003", "--category", "other", "--description", "  ")
    assert code == 1 and "Describe the concern" in one_error_line(err)


def test_complete_lists_what_is_missing_then_completes_when_done(built):
    template = find_template("cso-at-home-2025")
    code, out, err = run("complete", built.store, "SA-002")
    line = one_error_line(err)
    assert code == 1
    assert "SA-002 is not complete" in line and "missing" in line
    listed = out.splitlines()
    assert listed and all(row.startswith("  ") and "\t" in row for row in listed)
    first_key = listed[0].split("\t")[0].strip()
    assert first_key in {item.key for _, item in template.items()}
    assert "not answered" in out and "Initial response" in out
    with Store.open(built.store, PASSPHRASE) as store:  # quicker than one command per item
        for _, item in template.items():
            value = {"grade": "4", "yes_no": "no", "number": "12", "text": "Clear.",
                     "date": "2024-03"}.get(item.kind)  # fmt: skip
            if value is None:
                value = next(o.id for o in item.options if o.id not in item.note_required_for)
            answers.save_answer(store, "SA-002", item.key, value=value)
    code, out, err = run("complete", built.store, "SA-002")
    assert (code, err) == (0, "")
    assert out.strip() == "SA-002 is complete."


def test_search_json_gives_case_title_page_and_marked_snippet(built):
    code, out, err = run("search", built.store, "kinship", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["query"] == "kinship"
    hits = {(h["case_ref"], h["title"], h["page"]) for h in data["hits"]}
    assert hits == {("SA-001", "Child's plan", 2), ("SA-001", "Health visit", 1),
                    ("SA-002", "Concern", 1)}  # fmt: skip
    assert all("«" in h["snippet"] and "»" in h["snippet"] for h in data["hits"])
    assert data["total"] == 3


def test_search_says_how_many_pages_match_beyond_the_limit(built):
    code, out, _ = run("search", built.store, "kinship", "--limit", "1")
    assert code == 0
    assert out.strip().splitlines()[-1] == "1 of 3 pages; --limit shows more."


def test_search_case_restricts_the_hits(built):
    code, out, _ = run("search", built.store, "kinship", "--case", "SA-002", "--json")
    assert code == 0
    assert [h["case_ref"] for h in json.loads(out)["hits"]] == ["SA-002"]


# errors: exit codes and one clear line ---------------------------------------------------------


def test_a_bad_sample_exits_1_naming_line_and_column_and_leaves_the_store(built, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("case_ref,group\nSA-010,core\nSA-011,maybe\n", encoding="utf-8")
    before = digest(built.store)
    code, out, err = run("import-sample", built.store, bad)
    assert (code, out) == (1, "")
    assert "line 3, column 2 (group)" in one_error_line(err)
    assert digest(built.store) == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--template", "no-such-form", "--inspection", "X", "--reader", "R1"], 1, "no template"),
        (["--template", "cso-at-home-2025", "--inspection", "X"], 2, "--reader"),
        (["--template", "cso-at-home-2025", "--inspection", " ", "--reader", "R1"], 1, "name"),
    ],
)
def test_init_refuses_bad_arguments_without_writing(tmp_path, args, code, message):
    path = tmp_path / "new.casereader"
    result = run("init", path, *args)
    assert result[0] == code
    assert message in one_error_line(result[2])
    assert not path.exists()


@pytest.mark.parametrize(
    ("given", "version"),
    [
        ("cso-at-home-2025", "2025.2"),  # the newest
        ("cso-at-home-2025@2025.1", "2025.1"),
        ("cso-at-home-2025@2025.2", "2025.2"),
        ("risk-of-harm-2021", "2021.2"),
        ("risk-of-harm-2021@2021.1", "2021.1"),
    ],
)
def test_init_takes_the_newest_version_or_the_one_named(tmp_path, given, version):
    path = tmp_path / "new.casereader"
    code, out, err = run("init", path, "--template", given, "--inspection", "X",
                         "--reader", "R1")  # fmt: skip
    assert (code, err) == (0, "")
    template_id = given.split("@")[0]
    assert f"template {template_id} {version}" in out
    with Store.open(path, PASSPHRASE) as store:
        assert (store.template.id, store.template.version) == (template_id, version)
        assert store.template.sha256 == find_template(template_id, version=version).sha256


@pytest.mark.parametrize(
    ("given", "code", "message"),
    [
        ("cso-at-home-2025@2019.1", 1, "no template cso-at-home-2025 version 2019.1"),
        ("cso-at-home-2025@", 2, "ID@VERSION"),
        ("@2025.1", 2, "ID@VERSION"),
    ],
)
def test_init_refuses_a_version_it_does_not_have(tmp_path, given, code, message):
    path = tmp_path / "new.casereader"
    result = run("init", path, "--template", given, "--inspection", "X", "--reader", "R1")
    assert result[0] == code
    line = one_error_line(result[2])
    assert message in line
    if code == 1:
        assert "cso-at-home-2025 2025.1" in line and "cso-at-home-2025 2025.2" in line
    assert not path.exists()


def test_init_refuses_a_short_passphrase_and_an_existing_file(built, tmp_path):
    path = tmp_path / "new.casereader"
    code, _, err = run("init", path, "--template", "cso-at-home-2025", "--inspection", "X",
                       "--reader", "R1", passphrase="short")  # fmt: skip
    assert code == 1 and "at least 10" in one_error_line(err)
    code, _, err = run("init", path, "--template", "cso-at-home-2025", "--inspection", "X",
                       "--reader", "R1", passphrase="password1234")  # fmt: skip
    assert code == 1 and "too easy to guess" in one_error_line(err)
    assert not path.exists()
    before = digest(built.store)
    code, _, err = run("init", built.store, "--template", "cso-at-home-2025", "--inspection",
                       "X", "--reader", "R1")  # fmt: skip
    assert code == 1 and "already there" in one_error_line(err)
    assert digest(built.store) == before


def test_a_missing_passphrase_without_a_terminal_exits_2_with_a_clear_line(built):
    code, out, err = run("status", built.store, passphrase=None, stdin=io.StringIO())
    assert (code, out) == (2, "")
    assert "CASEREADER_PASSPHRASE" in one_error_line(err)


def test_errors_show_a_traceback_only_with_debug(tmp_path):
    missing = tmp_path / "missing.casereader"
    code, _, err = run("status", missing)
    assert code == 1 and "no such store" in one_error_line(err)
    code, _, err = run("--debug", "status", missing)
    assert code == 1 and "Traceback" in err and "no such store" in err.splitlines()[-1]


@pytest.mark.parametrize(
    "args",
    [
        ["no-such-command"],
        ["answer", "x.casereader"],
        ["search", "x.casereader", "query", "--limit", "lots"],
        ["status"],
        ["init", "x.casereader", "--template", "cso-at-home-2025", "--inspection", "X",
         "--role", "boss"],
    ],
)  # fmt: skip
def test_usage_errors_exit_2_ending_in_one_clear_line(args):
    code, out, err = run(*args)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1].startswith("casereader: ")
    assert "Traceback" not in err


def test_usage_errors_write_exactly_one_line():
    code, _, err = run("search", "x.casereader", "query", "--limit", "lots")
    assert code == 2
    one_error_line(err)


def test_templates_lists_id_version_title_and_sha256():
    code, out, err = run("templates")
    assert (code, err) == (0, "")
    rows = [line.split("\t") for line in out.splitlines()]
    assert {r[0] for r in rows} >= {"cso-at-home-2025", "risk-of-harm-2021"}
    for template_id, version, title, sha in rows:
        t = find_template(template_id, version=version)
        assert (title, sha) == (t.title, t.sha256)


def test_templates_json_gives_every_stage_and_item_for_scripts():
    code, out, err = run("templates", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert {t["id"] for t in data} >= {"cso-at-home-2025", "risk-of-harm-2021"}
    for t in data:
        assert t["stages"] and len(t["sha256"]) == 64
        for stage in t["stages"]:
            for item in stage["items"]:
                assert item["key"] == f"{stage['id']}.{item['id']}"
                assert item["kind"] in ITEM_KINDS and isinstance(item["required"], bool)
                if item["kind"] in ("choice", "multi_choice"):
                    assert item["options"] and all(
                        {"id", "label"} <= set(o) for o in item["options"]
                    )
                else:
                    assert item["options"] == []
    versions = [(t["id"], t["version"]) for t in data]
    assert versions == [
        ("cso-at-home-2025", "2025.1"),
        ("cso-at-home-2025", "2025.2"),
        ("risk-of-harm-2021", "2021.1"),
        ("risk-of-harm-2021", "2021.2"),
    ]
    for t in data:
        keys = [i["key"] for s in t["stages"] for i in s["items"]]
        assert keys == find_template(t["id"], version=t["version"]).item_keys()


# as a shell sees it ----------------------------------------------------------------------------


def test_help_works_as_a_module():
    result = shell("--help")
    assert (result.returncode, result.stderr) == (0, "")
    for command in ("templates", "init", "import-sample", "import-documents", "status", "answer",
                    "flag", "complete", "search", "demo"):  # fmt: skip
        assert command in result.stdout


def test_a_wrong_passphrase_from_the_shell_is_one_line_and_changes_nothing(built):
    before = sorted((p.name, digest(p)) for p in built.folder.iterdir() if p.is_file())
    result = shell("status", built.store, "--json",
                   env={"CASEREADER_PASSPHRASE": "not the passphrase"})  # fmt: skip
    assert (result.returncode, result.stdout) == (1, "")
    line = one_error_line(result.stderr)
    assert "wrong passphrase" in line
    assert "sqlcipher" not in result.stderr.lower()
    assert sorted((p.name, digest(p)) for p in built.folder.iterdir() if p.is_file()) == before


# last, so that the background demo run overlaps everything above -----------------------------


def test_demo_without_gui_builds_a_small_inspection_and_prints_its_status(demo_run):
    process, folder = demo_run
    out, err = process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    lines = out.splitlines()
    assert lines[0].startswith("Demo store: ") and "demo.casereader" in lines[0]
    totals = json.loads(lines[-1])
    assert totals["cases"] == 3 and totals["core"] + totals["reserve"] == 3
    assert totals["documents"] > 3
    assert totals["open_flags"] == 1 and totals["complete"] == 1
    assert (folder / "demo.casereader").is_file()
    assert (folder / "files" / "sample.csv").is_file()
