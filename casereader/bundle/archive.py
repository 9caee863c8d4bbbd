"""The container of members inside a bundle or reading pack: an uncompressed POSIX tar archive.

Why tar: a lead inspector with only standard tools can run `age -d -i key f.crbundle | tar x`
and read the JSON and CSV inside. Why uncompressed: the members are small text (bundles) or
already-compressed documents (packs), and no decompressor means no decompression bomb.

Writing goes through the standard `tarfile` module (pax format, so long and non-ASCII names
survive) with fixed mtime, owner and mode, so the same members always give the same bytes.

Reading never uses `tarfile`: it follows every header size it meets (pax and GNU long-name
headers included) before any check could run. The reader here parses the 512-byte headers
itself, checks each name, type and size BEFORE reading a byte of content, and never touches the
filesystem. It accepts plain files only, in ustar headers optionally preceded by one pax
extended header; anything else is refused with BundleRejected naming the member.
"""

import hashlib
import io
import re
import tarfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from casereader.errors import BundleRejected

BLOCK = 512
MAX_NAME_CHARS = 1024
_MAX_PAX_BYTES = 64 * 1024
_MAX_TRAILER_BYTES = 64 * 1024
_REGULAR_TYPES = (b"0", b"\0", b"7")
_LINK_TYPES = (b"1", b"2", b"K")
_DEVICE_TYPES = (b"3", b"4", b"6")
_ZERO_BLOCK = bytes(BLOCK)
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
_FORBIDDEN_CHARS = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]')
_ASK_AGAIN = "the file was not made by casereader or was altered; ask the sender for a fresh copy"


@dataclass(frozen=True)
class Limits:
    """How much an archive may hold before it is refused unread."""

    max_members: int
    max_member_bytes: int
    max_total_bytes: int

    def __post_init__(self) -> None:
        for field in ("max_members", "max_member_bytes", "max_total_bytes"):
            value = getattr(self, field)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"Limits.{field} must be a positive whole number, not {value!r}")


def _shown(name: str) -> str:
    text = name if len(name) <= 80 else name[:77] + "…"
    return repr(text)


def _refuse(name: str, why: str) -> BundleRejected:
    return BundleRejected(f"archive member {_shown(name)} refused: {why}; {_ASK_AGAIN}")


def check_member_name(name: str) -> None:
    """Refuse (BundleRejected) a member name that could land outside the folder it is read into."""
    if not isinstance(name, str) or not name:
        raise BundleRejected(f"archive member with an empty or non-text name refused; {_ASK_AGAIN}")
    if len(name) > MAX_NAME_CHARS:
        raise _refuse(name, f"name longer than {MAX_NAME_CHARS} characters")
    if "\0" in name:
        raise _refuse(name, "name contains a NUL character")
    if "\\" in name:
        raise _refuse(name, "name contains a backslash (a Windows path separator)")
    if name.startswith("/"):
        raise _refuse(name, "absolute path")
    bad = _FORBIDDEN_CHARS.search(name)
    if bad:
        raise _refuse(name, f"name contains the character {bad.group()!r}")
    parts = name.split("/")
    if ".." in parts:
        raise _refuse(name, 'name contains ".." (path traversal)')
    if "." in parts or "" in parts:
        raise _refuse(name, 'name has an empty or "." part (or ends with "/")')


class _NameBook:
    """Names seen so far: refuses duplicates, case-only twins and file/folder clashes."""

    def __init__(self) -> None:
        self._exact: set[str] = set()
        self._files: dict[str, str] = {}
        self._folders: set[str] = set()

    def add(self, name: str) -> None:
        if name in self._exact:
            raise _refuse(name, "duplicate name")
        folded = unicodedata.normalize("NFC", name).casefold()
        if folded in self._files:
            raise _refuse(
                name, f"name differs only in letter case from {_shown(self._files[folded])}"
            )
        parts = folded.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts))]
        if folded in self._folders or any(p in self._files for p in prefixes):
            raise _refuse(name, "name is used both as a file and as a folder")
        self._exact.add(name)
        self._files[folded] = name
        self._folders.update(prefixes)


def write_archive(
    dst: BinaryIO, members: Iterable[tuple[str, bytes | Path]], mtime: int = 0
) -> None:
    """Write members, in the given order, as a deterministic tar archive of plain files."""
    book = _NameBook()
    with tarfile.open(fileobj=dst, mode="w|", format=tarfile.PAX_FORMAT, encoding="utf-8") as tar:
        for name, content in members:
            check_member_name(name)
            book.add(name)
            info = tarfile.TarInfo(name)
            info.type = tarfile.REGTYPE
            info.mode = 0o644
            info.mtime = int(mtime)
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if isinstance(content, bytes | bytearray | memoryview):
                info.size = len(content)
                tar.addfile(info, io.BytesIO(bytes(content)))
            elif isinstance(content, Path):
                with content.open("rb") as handle:
                    info.size = content.stat().st_size
                    tar.addfile(info, handle)
            else:
                raise TypeError(f"member {name!r}: content must be bytes or a Path")


def read_exactly(src: BinaryIO, size: int) -> bytes:
    """`size` bytes from `src`, fewer only where it ends (a stream may return less per read)."""
    chunks, remaining = [], size
    while remaining > 0:
        chunk = src.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


class ArchiveMember:
    """One plain-file member being read from the archive; valid until the next member starts."""

    def __init__(self, src: BinaryIO, name: str, size: int) -> None:
        self.name = name
        self.size = size
        self._src = src
        self._left = size
        self._sha256 = hashlib.sha256()
        self._closed = False

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes of content (all that is left if size < 0); b"" at the end."""
        if self._closed:
            raise ValueError(f"member {self.name!r} can no longer be read: the archive moved on")
        wanted = self._left if size is None or size < 0 else min(size, self._left)
        if wanted == 0:
            return b""
        data = read_exactly(self._src, wanted)
        if len(data) < wanted:
            raise _refuse(self.name, "archive is truncated inside this member")
        self._left -= len(data)
        self._sha256.update(data)
        return data

    def chunks(self, chunk_size: int = 1 << 20) -> Iterator[bytes]:
        """The remaining content in pieces of at most `chunk_size` bytes."""
        while chunk := self.read(chunk_size):
            yield chunk

    def hexdigest(self) -> str:
        """SHA-256 (hex) of the content; only once it has all been read."""
        if self._left:
            raise ValueError(f"member {self.name!r}: read all of it before asking for its hash")
        return self._sha256.hexdigest()

    def _finish(self) -> None:
        for _ in self.chunks():
            pass
        padding = -self.size % BLOCK
        if len(read_exactly(self._src, padding)) < padding:
            raise _refuse(self.name, "archive is truncated after this member")
        self._closed = True


def _number(field: bytes, what: str, name: str) -> int:
    if field and field[0] & 0x80:
        if field[0] == 0xFF:
            raise _refuse(name, f"negative {what} in its header")
        return int.from_bytes(bytes([field[0] & 0x7F]) + field[1:], "big")
    text = field.replace(b"\0", b" ").strip()
    if not text:
        return 0
    if not re.fullmatch(rb"[0-7]+", text):
        raise _refuse(name, f"damaged {what} in its header")
    return int(text, 8)


def _text(field: bytes, name_so_far: str = "?") -> str:
    raw = field.split(b"\0", 1)[0]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _refuse(name_so_far or repr(raw), "name is not valid UTF-8") from exc


def _checksum_ok(block: bytes) -> bool:
    try:
        stated = int(block[148:156].replace(b"\0", b" ").strip() or b"-1", 8)
    except ValueError:
        return False
    blanked = block[:148] + b" " * 8 + block[156:]
    unsigned = sum(blanked)
    signed = sum(b - 256 if b > 127 else b for b in blanked)
    return stated in (unsigned, signed)


def _parse_pax(data: bytes, name: str) -> dict[str, str]:
    records: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        if data[pos:].strip(b"\0") == b"":
            break
        space = data.find(b" ", pos)
        length_text = data[pos:space] if space > pos else b""
        if not length_text.isdigit():
            raise _refuse(name, "damaged pax extended header")
        length = int(length_text)
        record = data[pos : pos + length]
        if len(record) != length or length <= len(length_text) + 1:
            raise _refuse(name, "damaged pax extended header")
        if not record.endswith(b"\n") or b"=" not in record:
            raise _refuse(name, "damaged pax extended header")
        key, value = record[len(length_text) + 1 : -1].split(b"=", 1)
        try:
            records[key.decode("utf-8")] = value.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _refuse(name, "pax extended header is not valid UTF-8") from exc
        pos += length
    if any(key.startswith("GNU.sparse") for key in records):
        raise _refuse(records.get("path", name), "sparse files are not accepted")
    return records


def _check_trailer(src: BinaryIO) -> None:
    # After the end-of-archive block only zero padding may follow (tar pads to 10 KiB records).
    rest = read_exactly(src, _MAX_TRAILER_BYTES + 1)
    if len(rest) > _MAX_TRAILER_BYTES or rest.strip(b"\0"):
        raise BundleRejected(f"unexpected data after the end of the archive; {_ASK_AGAIN}")


def iter_archive(src: BinaryIO, limits: Limits) -> Iterator[tuple[str, ArchiveMember]]:
    """Each (name, member) in order, all checks done before its content is read; streaming."""
    book = _NameBook()
    count = total = 0
    pax: dict[str, str] | None = None
    first = True
    while True:
        block = read_exactly(src, BLOCK)
        if first and block[:2] == b"\x1f\x8b":
            raise BundleRejected(
                f"archive is gzip-compressed; casereader accepts only plain tar; {_ASK_AGAIN}"
            )
        if len(block) < BLOCK:
            if first and not block:
                raise BundleRejected(f"archive is empty; {_ASK_AGAIN}")
            raise BundleRejected(f"archive is truncated (no end-of-archive marker); {_ASK_AGAIN}")
        if block == _ZERO_BLOCK:
            if pax is not None:
                raise BundleRejected(
                    f"archive ends with a header that describes nothing; {_ASK_AGAIN}"
                )
            _check_trailer(src)
            return
        if block[257:263] not in (b"ustar\0", b"ustar ") or not _checksum_ok(block):
            where = "" if first else " after the last good member"
            raise BundleRejected(f"not a tar archive, or a damaged header{where}; {_ASK_AGAIN}")
        first = False
        posix = block[257:263] == b"ustar\0"
        type_flag = block[156:157]
        header_name = _text(block[0:100])
        prefix = _text(block[345:500]) if posix else ""
        name = f"{prefix}/{header_name}" if prefix else header_name
        size = _number(block[124:136], "size", name)

        if type_flag == b"x":
            if pax is not None:
                raise _refuse(name, "two pax extended headers in a row")
            if size > _MAX_PAX_BYTES:
                raise _refuse(name, f"pax extended header larger than {_MAX_PAX_BYTES} bytes")
            data = read_exactly(src, size + (-size % BLOCK))
            if len(data) < size + (-size % BLOCK):
                raise BundleRejected(f"archive is truncated inside a pax header; {_ASK_AGAIN}")
            pax = _parse_pax(data[:size], name)
            continue
        if type_flag == b"g":
            raise _refuse(name, "global pax headers are not accepted")
        if type_flag == b"L":
            raise _refuse(name, "GNU long-name headers are not accepted (casereader writes pax)")

        if pax:
            name = pax.get("path", name)
            if "size" in pax:
                # ASCII digits only: str.isdigit() takes "²" too, which int() then refuses.
                if not re.fullmatch(r"[0-9]{1,20}", pax["size"], flags=re.ASCII):
                    raise _refuse(name, "damaged size in its pax header")
                size = int(pax["size"])
        pax = None
        check_member_name(name)
        if type_flag in _LINK_TYPES:
            raise _refuse(name, "links (symbolic or hard) are not accepted")
        if type_flag in _DEVICE_TYPES:
            raise _refuse(name, "devices and fifos are not accepted")
        if type_flag == b"5":
            raise _refuse(name, "folder entries are not accepted, only plain files")
        if type_flag not in _REGULAR_TYPES:
            raise _refuse(name, f"entry of type {type_flag!r} is not a plain file")
        count += 1
        if count > limits.max_members:
            raise _refuse(name, f"more than {limits.max_members} members")
        if size > limits.max_member_bytes:
            raise _refuse(name, f"{size} bytes is over the limit of {limits.max_member_bytes}")
        total += size
        if total > limits.max_total_bytes:
            raise _refuse(name, f"members add up to more than {limits.max_total_bytes} bytes")
        book.add(name)

        member = ArchiveMember(src, name, size)
        yield name, member
        member._finish()


def read_archive(src: BinaryIO, limits: Limits) -> dict[str, bytes]:
    """All members' contents by name, after every check; for small archives such as bundles."""
    return {name: member.read() for name, member in iter_archive(src, limits)}


def sha256_hex(data: bytes) -> str:
    """SHA-256 of `data` as 64 lowercase hex digits, as a manifest lists it."""
    return hashlib.sha256(data).hexdigest()


def check_hashes(
    members: Mapping[str, bytes], expected: Mapping[str, str], unhashed: Iterable[str] = ()
) -> None:
    """Refuse unless every member matches its listed SHA-256 and none is missing or extra."""
    for name, digest in expected.items():
        if not isinstance(digest, str) or not _SHA256_HEX.match(digest.lower()):
            raise BundleRejected(
                f"the manifest lists a malformed SHA-256 for {_shown(name)}; {_ASK_AGAIN}"
            )
    missing = sorted(set(expected) - set(members))
    if missing:
        raise BundleRejected(
            f"archive member {_shown(missing[0])} is listed in the manifest but missing; "
            + _ASK_AGAIN
        )
    extra = sorted(set(members) - set(expected) - set(unhashed))
    if extra:
        raise BundleRejected(
            f"archive member {_shown(extra[0])} is not listed in the manifest; {_ASK_AGAIN}"
        )
    for name, digest in expected.items():
        if sha256_hex(members[name]) != digest.lower():
            raise BundleRejected(
                f"archive member {_shown(name)} does not match its SHA-256 in the manifest "
                f"(altered or damaged); {_ASK_AGAIN}"
            )
