"""The sample CSV reader on mutated and arbitrary files: it reads the file whole, or says one
clear line (naming the file, and the line where it can) and the store is unchanged."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casereader.errors import ImportRejected
from casereader.ingest.sample import parse_sample

GOOD = (
    "\ufeffcase_ref,group,follow_up,age_band,legal_status,reader,school\r\n"
    "SA-001,core,no,0-4,CSO at home,R1,Hillview\r\n"
    'SA-002,core,yes,5-11,"CSO at home, with conditions",R1;R2,"St Mary\'s"\r\n'
    "SA-003,reserve,no,12-15,Interim CSO,,\r\n"
).encode()
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_DIR = Path(tempfile.mkdtemp(prefix="sample-fuzz-"))


def _reads_or_says_why(data: bytes) -> None:
    path = _DIR / "sample.csv"
    path.write_bytes(data)
    try:
        rows = parse_sample(path)
    except ImportRejected as exc:
        message = str(exc)
        assert message.startswith("sample.csv: ") or message.startswith(str(path))
        assert "\n" not in message and "Traceback" not in message
    else:
        refs = [r.case_ref for r in rows]
        assert len(refs) == len(set(refs)) and all(refs)
        assert all(r.sample_group in ("core", "reserve") for r in rows)


def _mutate(data: bytes, kind: str, at: int, extra: bytes) -> bytes:
    at %= len(data) + 1
    if kind == "flip" and at < len(data):
        return data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]
    if kind == "truncate":
        return data[:at]
    if kind == "delete":
        return data[:at] + data[at + len(extra) :]
    return data[:at] + extra + data[at:]


tokens = st.sampled_from(
    [b",", b'"', b"\r\n", b"\n", b"\r", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b";", b"core",
     b"reserve", b"yes", b"maybe", b"SA-001", b"case_ref", b"\xe9", "\u00e9".encode(),
     b" ", b"", b"=cmd|' /C calc'!A0"]
)  # fmt: skip


@FUZZ
@given(
    mutations=st.lists(
        st.tuples(st.sampled_from(["flip", "truncate", "delete", "insert"]),
                  st.integers(0, 1000), st.binary(max_size=8) | tokens),
        min_size=1, max_size=5,
    )
)  # fmt: skip
def test_mutated_samples_are_read_whole_or_refused_clearly(mutations):
    data = GOOD
    for kind, at, extra in mutations:
        data = _mutate(data, kind, at, extra)
    _reads_or_says_why(data)


@FUZZ
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_are_refused_clearly(data):
    _reads_or_says_why(data)


@FUZZ
@given(
    header=st.lists(st.sampled_from(["case_ref", "group", "follow_up", "reader", "age_band",
                                      "", "Case_Ref ", "x", "group"]), min_size=1, max_size=7),
    rows=st.lists(st.lists(st.text(max_size=12), max_size=8), max_size=6),
)  # fmt: skip
def test_generated_tables_are_read_whole_or_refused_clearly(header, rows):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    _reads_or_says_why(out.getvalue().encode("utf-8", "surrogatepass"))
