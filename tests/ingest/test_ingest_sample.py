"""The sample list (CSV): checked as a whole; a bad file names line and column, writes nothing."""

import hashlib
from pathlib import Path

import pytest
from helpers_ingest import create_store

from casereader.errors import ImportRejected
from casereader.ingest.sample import import_sample, parse_sample
from casereader.store import audit, cases


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    opened = create_store(tmp_path_factory.mktemp("sample") / "inspection.casereader", None)
    yield opened
    opened.close()


def write(tmp_path: Path, data: bytes | str, name: str = "sample.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def store_state(store) -> tuple:
    """The store's bytes on disk (file and WAL) and its row counts."""
    files = [store.path, Path(f"{store.path}-wal")]
    digests = tuple(hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.exists())
    counts = tuple(
        store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("cases", "assignments", "audit_log")
    )
    return digests, counts


# refused files ---------------------------------------------------------------------------------

BAD = {
    "no case_ref column": (b"ref,group\nSA-001,core\n", ["line 1", "no case_ref column"]),
    "semicolons, named as such": (
        b"case_ref;group;follow_up\nSA-001;core;no\n",
        ["line 1", "separated by semicolons"],
    ),
    "empty ref": (
        b"case_ref,group,follow_up\nSA-001,core,no\n,core,no\n",
        ["line 3, column 1 (case_ref)", "empty case reference"],
    ),
    "ref with a space": (b"case_ref\nSA 001\n", ["line 2, column 1 (case_ref)", "'SA 001'"]),
    "ref like a path": (b"case_ref\n../SA-001\n", ["line 2, column 1 (case_ref)", "'../SA-001'"]),
    "duplicate ref": (
        b"case_ref,group\nSA-001,core\nSA-002,core\nSA-001,reserve\n",
        ["line 4, column 1 (case_ref)", "already appears on line 2"],
    ),
    "bad group": (
        b"case_ref,follow_up,group\nSA-001,no,core\nSA-002,no,extra\n",
        ["line 3, column 3 (group)", "'extra'", "core or reserve"],
    ),
    "bad follow_up": (
        b"case_ref,group,follow_up\nSA-001,core,maybe\n",
        ["line 2, column 3 (follow_up)", "'maybe'", "yes or no"],
    ),
    "too few fields": (
        b"case_ref,group,follow_up\nSA-001,core,no\nSA-002,core\n",
        ["line 3", "2 fields where the header has 3"],
    ),
    "too many fields": (
        b"case_ref,group,follow_up\nSA-001,core,no,extra\n",
        ["line 2", "4 fields where the header has 3"],
    ),
    "not UTF-8": (
        b"case_ref,group,locality\nSA-001,core,North\nSA-002,core,Caf\xe9\n",
        ["line 3", "not UTF-8"],
    ),
    "UTF-16": ("case_ref,group\nSA-001,core\n".encode("utf-16"), ["line 1", "not UTF-8"]),
    "empty file": (b"", ["empty"]),
    "blank lines only": (b"\r\n  \r\n", ["empty"]),
    "header only": (b"case_ref,group,follow_up\r\n", ["no cases below the header"]),
    "header and blank rows": (b"case_ref,group\r\n,\r\n\r\n", ["no cases below the header"]),
    "bad reader id": (
        b"case_ref,reader\nSA-001,R1\nSA-002,R1;R 2\n",
        ["line 3, column 2 (reader)", "'R 2'", "not a reader id"],
    ),
    "reader named twice": (b"case_ref,reader\nSA-001,R1;R1\n", ["line 2, column 2", "twice"]),
    "column named twice": (
        b"case_ref,group,Group\nSA-001,core,core\n",
        ["line 1, column", "'group' appears twice"],
    ),
    "empty column name": (b"case_ref,,group\nSA-001,x,core\n", ["line 1, column 2", "empty"]),
    "binary data": (b"case_ref\nSA-\x00001\n", ["binary"]),
    "unclosed quote": (b'case_ref,group\nSA-001,core\n"SA-002,core\n', ["line", "not valid CSV"]),
}


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_sample_is_refused_naming_where_and_the_store_is_byte_identical(
    store, tmp_path, name
):
    data, fragments = BAD[name]
    path = write(tmp_path, data)
    before = store_state(store)
    with pytest.raises(ImportRejected) as raised:
        import_sample(store, path)
    message = str(raised.value)
    assert message.startswith("sample.csv: ")
    for fragment in fragments:
        assert fragment in message
    assert "\n" not in message
    assert store_state(store) == before


def test_a_missing_or_oversized_file_is_refused(store, tmp_path):
    before = store_state(store)
    with pytest.raises(ImportRejected, match="no such file"):
        import_sample(store, tmp_path / "nowhere.csv")
    big = write(tmp_path, b"case_ref\n" + b"SA-001\n" * (800 * 1024))
    with pytest.raises(ImportRejected, match="larger than 5 MB"):
        import_sample(store, big)
    assert store_state(store) == before


def test_one_bad_row_among_good_ones_writes_none_of_them(store, tmp_path):
    before = store_state(store)
    rows = "".join(f"GOOD-{n:03d},core,no\n" for n in range(1, 50))
    path = write(tmp_path, "case_ref,group,follow_up\n" + rows + "GOOD-050,core,perhaps\n")
    with pytest.raises(ImportRejected, match="line 51, column 3"):
        import_sample(store, path)
    assert store_state(store) == before


def test_references_differing_only_in_letter_case_are_duplicates(tmp_path):
    # Case folders match references case-insensitively, so SA-001 and sa-001 would share one.
    with pytest.raises(ImportRejected, match="line 3, column 1 .* already appears on line 2"):
        parse_sample(write(tmp_path, "case_ref\nSA-001\nsa-001\n"))


def test_a_reference_differing_only_in_letter_case_from_a_stored_case_is_refused(store, tmp_path):
    import_sample(store, write(tmp_path, "case_ref\nLC-001\n", "first.csv"))
    before = store_state(store)
    with pytest.raises(ImportRejected, match="lc-001 differs only in letter case from LC-001"):
        import_sample(store, write(tmp_path, "case_ref\nLC-002\nlc-001\n", "second.csv"))
    assert store_state(store) == before


# accepted files ----------------------------------------------------------------------------


def test_with_and_without_a_byte_order_mark_the_sample_reads_the_same(store, tmp_path):
    text = "case_ref,group,follow_up,locality\r\nBOM-001,core,yes,Dùn Èideann\r\n"
    plain = parse_sample(write(tmp_path, text, "plain.csv"))
    marked_path = write(tmp_path, "\ufeff" + text, "marked.csv")
    assert parse_sample(marked_path) == plain
    assert plain[0].case_ref == "BOM-001" and plain[0].attributes == {"locality": "Dùn Èideann"}
    import_sample(store, marked_path)
    case = cases.get_case(store, "BOM-001")
    assert (case.sample_group, case.follow_up, case.attributes) == (
        "core",
        True,
        {"locality": "Dùn Èideann"},
    )


def test_header_names_and_cells_are_trimmed_and_blank_lines_skipped(tmp_path):
    text = " Case_Ref , GROUP ,Follow_Up\n\n SP-001 , Reserve , Yes \n,,\nSP-002,,\n"
    rows = parse_sample(write(tmp_path, text))
    assert [(r.case_ref, r.sample_group, r.follow_up) for r in rows] == [
        ("SP-001", "reserve", True),
        ("SP-002", "core", False),
    ]


@pytest.mark.parametrize(
    ("word", "follow_up"),
    [("yes", True), ("Y", True), ("true", True), ("1", True), ("no", False), ("N", False),
     ("false", False), ("0", False), ("", False)],
)  # fmt: skip
def test_follow_up_words(tmp_path, word, follow_up):
    [row] = parse_sample(write(tmp_path, f"case_ref,follow_up\nFU-001,{word}\n"))
    assert row.follow_up is follow_up


def test_two_readers_make_two_assignments_and_extra_columns_are_attributes(store, tmp_path):
    text = (
        "case_ref,group,follow_up,age_band,legal_status,reader,Locality,allocated_team\n"
        "DR-001,core,no,0-4,CSO at home,R1;R2,North,Intake\n"
        "DR-002,core,yes,5-11,Interim CSO, R3 ; ,South,\n"
        "DR-003,reserve,no,12-15,CSO at home,,East,Long-term\n"
    )
    result = import_sample(store, write(tmp_path, text))
    assert (result.added, result.updated, result.cases) == (3, 0, 3)
    got = {c.case_ref: c for c in cases.list_cases(store) if c.case_ref.startswith("DR-")}
    assert got["DR-001"].readers == ["R1", "R2"]
    assert got["DR-002"].readers == ["R3"]
    assert got["DR-003"].readers == []
    assert got["DR-001"].attributes == {"locality": "North", "allocated_team": "Intake"}
    assert got["DR-002"].attributes == {"locality": "South", "allocated_team": ""}
    assert (got["DR-001"].age_band, got["DR-001"].legal_status) == ("0-4", "CSO at home")
    rows = store.db.execute(
        "SELECT case_ref, reader_id, status FROM assignments WHERE case_ref LIKE 'DR-%'"
        " ORDER BY case_ref, reader_id"
    ).fetchall()
    assert rows == [
        ("DR-001", "R1", "not_started"),
        ("DR-001", "R2", "not_started"),
        ("DR-002", "R3", "not_started"),
    ]


def test_importing_again_updates_cases_and_never_duplicates_them(store, tmp_path):
    first = (
        "case_ref,group,age_band,reader,locality\nRE-001,core,0-4,R1,North\nRE-002,core,5-11,R2,\n"
    )
    assert import_sample(store, write(tmp_path, first, "first.csv")).added == 2
    second = (
        "case_ref,group,age_band,reader,locality\n"
        "RE-001,reserve,5-11,R1;R2,South\nRE-002,core,5-11,R2,\nRE-003,core,12-15,,\n"
    )
    result = import_sample(store, write(tmp_path, second, "second.csv"))
    assert (result.added, result.updated) == (1, 2)
    got = {c.case_ref: c for c in cases.list_cases(store) if c.case_ref.startswith("RE-")}
    assert sorted(got) == ["RE-001", "RE-002", "RE-003"]
    assert (got["RE-001"].sample_group, got["RE-001"].age_band) == ("reserve", "5-11")
    assert got["RE-001"].attributes == {"locality": "South"}
    assert got["RE-001"].readers == ["R1", "R2"]
    imported = [e for e in audit.entries(store, action="sample.imported")]
    assert imported[-1].target == "second.csv"
    assert '"added": 1' in imported[-1].detail and '"updated": 2' in imported[-1].detail
