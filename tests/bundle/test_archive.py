import hashlib
import io
import shutil
import subprocess
import tarfile

import pytest

from casereader.bundle.archive import (
    Limits,
    check_hashes,
    iter_archive,
    read_archive,
    sha256_hex,
    write_archive,
)
from casereader.errors import BundleRejected

LIMITS = Limits(max_members=20, max_member_bytes=10_000, max_total_bytes=50_000)
ZERO = bytes(512)


# --- crafting archives by hand, so every refusal is exercised on real bytes -------------------


def header(
    name="a.txt", size=0, kind=b"0", linkname="", magic=b"ustar\x0000", prefix="", raw_size=None
):
    block = bytearray(512)
    raw_name = name if isinstance(name, bytes) else name.encode()
    block[0:100] = raw_name.ljust(100, b"\0")[:100]
    block[100:108] = b"0000644\0"
    block[108:116] = b"0000000\0"
    block[116:124] = b"0000000\0"
    block[124:136] = raw_size if raw_size is not None else f"{size:011o}\0".encode()
    block[136:148] = b"00000000000\0"
    block[156:157] = kind
    block[157:257] = linkname.encode().ljust(100, b"\0")
    block[257:265] = magic
    block[345:500] = prefix.encode().ljust(155, b"\0")
    block[148:156] = b" " * 8
    block[148:156] = f"{sum(block):06o}\0 ".encode()
    return bytes(block)


def padded(data):
    return data + bytes(-len(data) % 512)


def member(name, data=b"x", **kw):
    return header(name, len(data), **kw) + padded(data)


def pax_header(records):
    body = b""
    for key, value in records.items():
        text = f" {key}={value}\n".encode()
        length = len(text) + len(str(len(text)))
        length = len(text) + len(str(length))
        body += str(length).encode() + text
    return header("././@PaxHeader", len(body), kind=b"x") + padded(body)


def archive(*parts):
    return b"".join(parts) + ZERO * 2


def refused(data, match, limits=LIMITS):
    with pytest.raises(BundleRejected, match=match) as info:
        read_archive(io.BytesIO(data), limits)
    return str(info.value)


def tar_members(data):
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return tar.getmembers()


def written(members, **kw):
    out = io.BytesIO()
    write_archive(out, members, **kw)
    return out.getvalue()


# --- writing -----------------------------------------------------------------------------------


def test_round_trip_keeps_order_and_content(tmp_path):
    document = tmp_path / "letter.pdf"
    document.write_bytes(b"%PDF-1.4 fictional letter" * 100)
    members = [
        ("manifest.json", b'{"format": 1}'),
        ("documents/case-0001/letter.pdf", document),
        ("notes/" + "n" * 150 + ".txt", b"long name"),
        ("notes/réunion.txt", "café".encode()),
        ("empty.csv", b""),
    ]
    got = read_archive(io.BytesIO(written(members)), LIMITS)
    assert list(got) == [name for name, _ in members]
    assert got["documents/case-0001/letter.pdf"] == document.read_bytes()
    assert got["notes/réunion.txt"] == "café".encode()
    assert got["empty.csv"] == b""


def test_writing_is_deterministic_with_fixed_metadata():
    members = [("b.json", b"1"), ("a.json", b"2")]
    first, second = written(members), written(members)
    assert first == second
    infos = tar_members(first)
    assert [i.name for i in infos] == ["b.json", "a.json"]
    assert {(i.mtime, i.uid, i.gid, i.mode, i.uname, i.type) for i in infos} == {
        (0, 0, 0, 0o644, "", tarfile.REGTYPE)
    }
    stamped = tar_members(written(members, mtime=1_900_000_000))
    assert {i.mtime for i in stamped} == {1_900_000_000}


@pytest.mark.skipif(shutil.which("tar") is None, reason="no tar command on this machine")
def test_standard_tar_extracts_what_we_write(tmp_path):
    (tmp_path / "bundle.tar").write_bytes(
        written([("manifest.json", b"{}"), ("answers/answers.csv", b"case,item\n")])
    )
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(["tar", "xf", str(tmp_path / "bundle.tar"), "-C", str(out)], check=True)
    assert (out / "answers" / "answers.csv").read_bytes() == b"case,item\n"


@pytest.mark.parametrize(
    "name",
    [
        "/etc/passwd",
        "../up.txt",
        "a/../../b",
        "a\\b",
        "nul\0.txt",
        "",
        "a//b",
        "./a",
        "dir/",
        "C:evil",
        "bell\x07",
    ],
)
def test_writer_refuses_unsafe_names(name):
    with pytest.raises(BundleRejected, match="refused"):
        written([(name, b"x")])


@pytest.mark.parametrize(
    "names, why",
    [
        (["a.txt", "a.txt"], "duplicate"),
        (["Notes.txt", "notes.txt"], "letter case"),
        (["docs", "docs/a.pdf"], "both as a file and as a folder"),
        (["docs/a.pdf", "docs"], "both as a file and as a folder"),
    ],
)
def test_writer_refuses_clashing_names(names, why):
    with pytest.raises(BundleRejected, match=why):
        written([(n, b"x") for n in names])


def test_writer_refuses_other_content():
    with pytest.raises(TypeError):
        written([("a.txt", "text, not bytes")])


# --- reading: what is refused ------------------------------------------------------------------


def test_crafted_archive_helper_makes_readable_archives():
    # The hand-made headers are valid: without a trick in them they are read.
    data = archive(
        member("a.txt", b"hello"), pax_header({"path": "long/" + "b" * 120}) + member("x", b"y")
    )
    assert read_archive(io.BytesIO(data), LIMITS) == {"a.txt": b"hello", "long/" + "b" * 120: b"y"}
    assert [m.name for m in tar_members(data)] == [
        "a.txt",
        "long/" + "b" * 120,
    ]


@pytest.mark.parametrize(
    "name, why",
    [
        ("/etc/cron.d/job", "absolute path"),
        ("../../home/reader/.bashrc", "path traversal"),
        ("docs/../../x", "path traversal"),
        ("docs\\..\\x", "backslash"),
        ("docs//x", "empty"),
        ("./x", "empty or"),
        ("esc\x1b[2J", "character"),
    ],
)
def test_reader_refuses_unsafe_names_naming_the_member(name, why):
    message = refused(archive(member("ok.txt"), member(name)), why)
    assert repr(name)[1:8] in message


def test_reader_refuses_unsafe_names_hidden_in_the_ustar_prefix():
    refused(archive(member("passwd", prefix="/etc")), "absolute path")
    refused(archive(member("x", prefix="..")), "path traversal")


def test_reader_refuses_names_hidden_in_pax_headers():
    refused(archive(pax_header({"path": "../../escape"}) + member("innocent.txt")), "traversal")
    refused(archive(pax_header({"path": "nul\0name"}) + member("innocent.txt")), "NUL")


@pytest.mark.parametrize(
    "kind, why",
    [
        (b"2", "links"),
        (b"1", "links"),
        (b"3", "devices"),
        (b"4", "devices"),
        (b"6", "fifos"),
        (b"5", "folder"),
        (b"S", "not a plain file"),
        (b"V", "not a plain file"),
    ],
)
def test_reader_refuses_anything_but_plain_files(kind, why):
    message = refused(archive(header("trap", 0, kind=kind, linkname="/etc/shadow")), why)
    assert "'trap'" in message


def test_reader_refuses_links_made_by_tarfile():
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        link = tarfile.TarInfo("innocent")
        link.type = tarfile.SYMTYPE
        link.linkname = "../../../etc/passwd"
        tar.addfile(link)
    refused(out.getvalue(), "links")


@pytest.mark.parametrize(
    "names, why",
    [
        (["a.txt", "a.txt"], "duplicate"),
        (["Answers.csv", "answers.csv"], "letter case"),
        (["cafe\u0301.txt", "caf\u00e9.txt"], "letter case"),
        (["docs", "docs/a.pdf"], "file and as a folder"),
    ],
)
def test_reader_refuses_clashing_names(names, why):
    refused(archive(*(member(n) for n in names)), why)


def test_too_many_members():
    small = Limits(max_members=3, max_member_bytes=100, max_total_bytes=1000)
    read_archive(io.BytesIO(archive(*(member(f"{i}.txt") for i in range(3)))), small)
    message = refused(
        archive(*(member(f"{i}.txt") for i in range(4))), "more than 3 members", small
    )
    assert "'3.txt'" in message


class CountingReader(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_member_size_is_checked_before_reading_its_content():
    # A header claiming 10 GB, followed by nothing: refused for its size, not for truncation.
    src = CountingReader(header("huge.pdf", 10 * 1024**3))
    with pytest.raises(BundleRejected, match="'huge.pdf'.*over the limit"):
        read_archive(src, LIMITS)
    assert src.bytes_read == 512


def test_member_over_the_limit_is_refused():
    read_archive(io.BytesIO(archive(member("edge.bin", b"x" * 10_000))), LIMITS)
    refused(archive(member("big.bin", b"x" * 10_001)), "'big.bin'.*10001 bytes is over the limit")


def test_pax_size_is_the_one_checked():
    data = archive(pax_header({"size": str(10**12)}) + member("sneaky.bin", b"x"))
    refused(data, "'sneaky.bin'.*over the limit")


def test_total_over_the_limit_is_refused():
    parts = [member(f"{i}.bin", b"x" * 9_000) for i in range(6)]
    message = refused(archive(*parts), "add up to more than 50000 bytes")
    assert "'5.bin'" in message


def test_base256_sizes_are_read_and_negative_ones_refused():
    big = bytes([0x80]) + (20_000).to_bytes(11, "big")
    refused(archive(header("b256.bin", raw_size=big)), "over the limit")
    refused(archive(header("neg.bin", raw_size=b"\xff" * 12)), "negative size")
    refused(archive(header("bad.bin", raw_size=b"12x45678901\0")), "damaged size")


@pytest.mark.parametrize(
    "data, why",
    [
        (b"", "empty"),
        (member("a.txt", b"hello"), "truncated"),
        (member("a.txt", b"hello")[:515], "truncated inside this member"),
        (header("a.txt", 5) + b"hello", "truncated after this member"),
        (member("a.txt", b"hi") + header("b.txt", 2)[:300], "truncated"),
        (pax_header({"path": "x" * 200})[:700], "truncated inside a pax header"),
    ],
)
def test_truncated_archives_are_refused(data, why):
    refused(data, why)


def test_archive_cut_at_a_member_boundary_is_refused():
    whole = written([("a.txt", b"1"), ("b.txt", b"2")])
    refused(whole[:1024], "truncated")


def test_data_after_the_end_marker_is_refused():
    refused(archive(member("a.txt")) + b"smuggled", "after the end")


def test_not_a_tar_archive():
    refused(b"PK\x03\x04" + bytes(600), "not a tar archive")
    refused(b"\x1f\x8b\x08" + bytes(600), "gzip")
    block = bytearray(header("a.txt"))
    block[0] ^= 1
    refused(bytes(block) + ZERO * 2, "damaged header")
    refused(archive(member("a.txt"), header("b.txt", magic=b"nope\0\0\0\0")), "after the last good")


def test_other_tar_dialects_are_refused():
    refused(
        archive(header("././@LongLink", 10, kind=b"L") + padded(b"x" * 10), member("x")), "GNU long"
    )
    refused(archive(header("glob", 0, kind=b"g"), member("x")), "global pax")
    refused(archive(pax_header({"GNU.sparse.size": "10", "path": "s.bin"}) + member("s")), "sparse")


def test_malformed_pax_headers_are_refused():
    refused(archive(pax_header({"path": "a"}) + pax_header({"path": "b"}) + member("x")), "two pax")
    refused(archive(header("p", 70_000, kind=b"x")), "pax extended header larger")
    bad = b"99 path=a\n"
    refused(archive(header("p", len(bad), kind=b"x") + padded(bad) + member("x")), "damaged pax")
    refused(archive(pax_header({"size": "12abc"}) + member("x")), "damaged size")
    refused(archive(pax_header({"path": "a"})), "describes nothing")


def test_names_that_are_not_utf8_are_refused():
    refused(archive(member(b"caf\xe9.txt")), "not valid UTF-8")


def test_gnu_tar_headers_are_accepted():
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as tar:
        info = tarfile.TarInfo("short.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"abc"))
    assert read_archive(io.BytesIO(out.getvalue()), LIMITS) == {"short.txt": b"abc"}


def test_limits_must_be_positive():
    with pytest.raises(ValueError):
        Limits(max_members=0, max_member_bytes=1, max_total_bytes=1)
    with pytest.raises(ValueError):
        Limits(max_members=1, max_member_bytes=1.5, max_total_bytes=1)


# --- streaming ---------------------------------------------------------------------------------


def test_streaming_gives_chunks_and_the_hash():
    big = bytes(range(256)) * 39  # 9,984 bytes
    data = written([("manifest.json", b"{}"), ("doc.pdf", big), ("skipped.txt", b"unread")])
    seen = {}
    for name, doc in iter_archive(io.BytesIO(data), LIMITS):
        if name == "doc.pdf":
            pieces = list(doc.chunks(1000))
            assert max(len(p) for p in pieces) == 1000
            assert b"".join(pieces) == big
            assert doc.hexdigest() == hashlib.sha256(big).hexdigest()
        elif name == "manifest.json":
            with pytest.raises(ValueError, match="read all of it"):
                doc.hexdigest()
            seen[name] = doc.read(1)
        seen.setdefault(name, b"")
    assert list(seen) == ["manifest.json", "doc.pdf", "skipped.txt"]


def test_a_member_cannot_be_read_after_the_archive_moves_on():
    data = written([("a.txt", b"aaa"), ("b.txt", b"bbb")])
    members = iter_archive(io.BytesIO(data), LIMITS)
    _, first = next(members)
    _, second = next(members)
    with pytest.raises(ValueError, match="moved on"):
        first.read()
    assert second.read() == b"bbb"


def test_streaming_refuses_before_yielding_the_bad_member():
    data = archive(member("ok.txt", b"ok"), member("../bad.txt", b"bad"))
    names = []
    with pytest.raises(BundleRejected, match="traversal"):
        for name, doc in iter_archive(io.BytesIO(data), LIMITS):
            names.append((name, doc.read()))
    assert names == [("ok.txt", b"ok")]


# --- hashes ------------------------------------------------------------------------------------


MEMBERS = {"manifest.json": b"{}", "answers.csv": b"a,b\n", "notes.json": b"[]"}
EXPECTED = {"answers.csv": sha256_hex(b"a,b\n"), "notes.json": sha256_hex(b"[]")}


def test_hashes_that_match_pass():
    check_hashes(MEMBERS, EXPECTED, unhashed=["manifest.json"])
    check_hashes(MEMBERS, {k: v.upper() for k, v in EXPECTED.items()}, unhashed=["manifest.json"])


def test_altered_member_is_refused():
    altered = dict(MEMBERS, **{"answers.csv": b"a,c\n"})
    with pytest.raises(BundleRejected, match="'answers.csv' does not match"):
        check_hashes(altered, EXPECTED, unhashed=["manifest.json"])


def test_missing_member_is_refused():
    fewer = {k: v for k, v in MEMBERS.items() if k != "notes.json"}
    with pytest.raises(BundleRejected, match="'notes.json' is listed in the manifest but missing"):
        check_hashes(fewer, EXPECTED, unhashed=["manifest.json"])


def test_extra_member_is_refused():
    with pytest.raises(BundleRejected, match="'manifest.json' is not listed"):
        check_hashes(MEMBERS, EXPECTED)


@pytest.mark.parametrize("digest", ["abc", "g" * 64, None, "0" * 63])
def test_malformed_listed_hash_is_refused(digest):
    with pytest.raises(BundleRejected, match="malformed SHA-256"):
        check_hashes(MEMBERS, dict(EXPECTED, **{"notes.json": digest}), unhashed=["manifest.json"])


@pytest.mark.parametrize("size", ["²", "١٢", "+5", " 5", "5 ", "0x10", "1" * 21])
def test_a_pax_size_must_be_ascii_digits(size):
    refused(archive(pax_header({"size": size}) + member("odd.bin", b"x")), "damaged size")
