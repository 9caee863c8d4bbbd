"""The pack's tar archive, made member by member as the encryption reads it."""

import re
import tarfile
from collections.abc import Iterator

from casereader.bundle import archive

_TAR_RECORD = 20 * archive.BLOCK  # tar pads the archive to whole 10 KiB records
_SMALL_MEMBER = 64 * 1024
# Every name a pack holds: pack.json, template.toml, checksums.json and the numbered pairs.
_PACK_MEMBER_NAME = re.compile(r"[a-z]+\.(json|toml)|documents/\d{6,}\.[a-z]+|text/\d{6,}\.json")


def _header_template() -> bytes:
    info = tarfile.TarInfo("x")
    info.type, info.mode, info.mtime, info.uid, info.gid = tarfile.REGTYPE, 0o644, 0, 0, 0
    info.uname = info.gname = ""
    return info.tobuf(tarfile.PAX_FORMAT, "utf-8")


# The ustar header archive.write_archive writes for a short ASCII name, as tarfile fills it;
# only the name, the size and the checksum differ from member to member.
_HEADER = _header_template()
_FIXED_BEFORE_SIZE = _HEADER[100:124]  # mode, uid, gid
_FIXED_BEFORE_CHECKSUM = _HEADER[136:148]  # mtime
_FIXED_AFTER_CHECKSUM = _HEADER[156:]  # type, link name, magic, owner names, device numbers
_CHECKSUM_OF_FIXED = (
    sum(_FIXED_BEFORE_SIZE)
    + sum(_FIXED_BEFORE_CHECKSUM)
    + sum(b" " * 8)
    + sum(_FIXED_AFTER_CHECKSUM)
)


def tar_header(name: str, size: int) -> bytes:
    """The ustar header archive.write_archive writes for a pack member of `size` bytes."""
    if not _PACK_MEMBER_NAME.fullmatch(name) or len(name) > 100 or not 0 <= size < 8**11:
        raise ValueError(f"{name!r} ({size} bytes) is not a reading pack member")
    raw = name.encode("ascii")
    size_field = b"%011o\0" % size
    checksum = _CHECKSUM_OF_FIXED + sum(raw) + sum(size_field)
    return b"".join(
        (
            raw,
            bytes(100 - len(raw)),
            _FIXED_BEFORE_SIZE,
            size_field,
            _FIXED_BEFORE_CHECKSUM,
            b"%06o\0 " % checksum,
            _FIXED_AFTER_CHECKSUM,
        )
    )


class TarStream:
    """The pack's tar archive, made as the encryption reads it: no pipe, no thread, no file.

    The same bytes as archive.write_archive over the same members (the tests compare them), but
    without tarfile's per-member work, which dominated a pack of a few thousand documents.
    """

    def __init__(self, members: Iterator[tuple[str, bytes]]) -> None:
        self._pieces = self._pieces_of(members)
        self._piece = b""
        self._at = 0
        self.error: BaseException | None = None

    @staticmethod
    def _pieces_of(members: Iterator[tuple[str, bytes]]) -> Iterator[bytes]:
        written = 0
        for name, content in members:
            size = len(content)
            padding = bytes(-size % archive.BLOCK)
            if size <= _SMALL_MEMBER:
                yield tar_header(name, size) + content + padding
            else:
                yield tar_header(name, size)
                yield content
                yield padding
            written += archive.BLOCK + size + len(padding)
        end = 2 * archive.BLOCK
        yield bytes(end + (-(written + end) % _TAR_RECORD))

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes of the archive (b"" once it has all been read)."""
        try:
            while self._at >= len(self._piece):
                piece = next(self._pieces, None)
                if piece is None:
                    return b""
                self._piece, self._at = piece, 0
            end = len(self._piece) if size is None or size < 0 else self._at + size
            data = self._piece[self._at : end]
            self._at += len(data)
            return data
        except BaseException as exc:
            # The encryption reports a failed read its own way; the caller raises this instead.
            self.error = self.error or exc
            raise
