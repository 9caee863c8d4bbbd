"""Trim the ICU data library Qt ships on Linux to what casereader can reach (used by the build).

PySide6's Linux wheels carry ICU 73 for Qt Core: `libicudata.so.73` (31 MB) holds ICU's common
data package as one exported symbol, `icudt73_dat`. Qt reaches ICU only for collation (QCollator),
locale-aware case mapping, time-zone display names and named text codecs (QStringConverter); the
app's text is English. This keeps the root and English locale data of every tree, the
supplemental data (likely subtags, plurals, time zones, numbering systems…), normalisation and
property data, collation root/English with the UCA table, break rules without the CJK, Thai, Khmer,
Lao and Burmese dictionaries, and the UTF/Latin-1 converters (algorithmic, no data) plus the
Windows-125x, ISO-8859 and DOS Latin code pages. It drops other locales in every tree,
transliteration, the other legacy code pages (CJK, EBCDIC, Mac…) and the dictionaries.

    python scripts/trim_icu.py SOURCE_LIB OUT_LIB

ICU's own `icupkg` (Debian: icu-devtools) removes the items and checks that every resource
the package keeps still finds what it refers to; GNU `as` and `ld` (binutils) build the
replacement library with the same soname and symbol. Raises TrimError (exit status 1) with
the reason when a tool is missing or a check fails; the caller keeps the original library.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Trees of locale data; in each, only root and English locales stay. Transliteration goes whole.
TREES = {"brkitr", "coll", "curr", "lang", "rbnf", "region", "unit", "zone"}
DROPPED_TREES = {"translit"}
KEPT_LANGUAGES = {"en"}
LOCALE_ID = re.compile(r"^(?P<lang>[a-z]{2,3})(?:_|$)")
# Legacy code pages kept (by ICU file name): Windows-1250…1258, ISO-8859-2…15, DOS 437/850/858.
KEPT_CODEPAGES = {
    "ibm-5346_P100-1998",
    "ibm-5347_P100-1998",
    "ibm-5348_P100-1997",
    "ibm-5349_P100-1998",
    "ibm-5350_P100-1998",
    "ibm-9447_P100-2002",
    "ibm-9448_X100-2005",
    "ibm-9449_P100-2002",
    "ibm-5354_P100-1998",
    "ibm-912_P100-1995",
    "ibm-913_P100-2000",
    "ibm-914_P100-1995",
    "ibm-915_P100-1995",
    "ibm-1089_P100-1995",
    "ibm-9005_X110-2007",
    "ibm-5012_P100-1999",
    "ibm-920_P100-1995",
    "iso-8859_10-1998",
    "ibm-921_P100-1995",
    "iso-8859_14-1998",
    "ibm-923_P100-1998",
    "ibm-437_P100-1995",
    "ibm-850_P100-1995",
    "ibm-858_P100-1997",
}


class TrimError(Exception):
    """The ICU data could not be trimmed; the message says why."""


@dataclass(frozen=True)
class Trimmed:
    items_before: int
    items_after: int
    bytes_before: int
    bytes_after: int


def keep(item: str) -> bool:
    """Whether an item of the package (its name without the `icudt73l/` prefix) stays."""
    *tree, name = item.split("/")
    stem, _, ext = name.rpartition(".")
    if tree:
        if tree[0] in DROPPED_TREES:
            return False
        if tree[0] not in TREES:
            return True
        if ext == "dict":
            return False
    elif ext == "cnv":
        return stem in KEPT_CODEPAGES
    if ext != "res" or stem in ("root", "pool", "res_index"):
        return True
    locale = LOCALE_ID.match(stem)
    return locale is None or locale["lang"] in KEPT_LANGUAGES


def _elf_symbol(data: bytes, symbol: str) -> tuple[int, int]:
    """File offset and size of a dynamic symbol in a little-endian ELF64 shared library."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise TrimError("not a little-endian 64-bit ELF library")
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)
    ]
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        strtab = sections[link][4]
        for at in range(offset, offset + size, entsize):
            st_name, _st_info, _other, shndx, value, st_size = struct.unpack_from(
                "<IBBHQQ", data, at
            )
            end = data.index(b"\0", strtab + st_name)
            if data[strtab + st_name : end].decode() == symbol:
                section = sections[shndx]
                return value - section[3] + section[4], st_size
    raise TrimError(f"the symbol {symbol} is not exported")


def _toc(package: bytes) -> list[str]:
    """The item names in an ICU common data package (little-endian), prefix included."""
    (header_size,) = struct.unpack_from("<H", package, 0)
    (count,) = struct.unpack_from("<I", package, header_size)
    names = []
    for index in range(count):
        name_at, _data_at = struct.unpack_from("<II", package, header_size + 4 + 8 * index)
        start = header_size + name_at
        names.append(package[start : package.index(b"\0", start)].decode("ascii"))
    return names


def _run(*command: str | Path, cwd: Path) -> str:
    if shutil.which(str(command[0])) is None:
        raise TrimError(
            f"`{command[0]}` is not installed (Debian: apt-get install icu-devtools binutils)"
        )
    done = subprocess.run(
        [str(c) for c in command], cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise TrimError(f"{command[0]} failed: {(done.stderr or done.stdout).strip()[-600:]}")
    return done.stdout


def _items(package: Path, work: Path) -> list[str]:
    listing = _run("icupkg", "--ignore-deps", "-l", package, cwd=work)
    return [line.strip() for line in listing.splitlines() if line.strip()]


def _remove(work: Path, package: Path, out: Path) -> None:
    """Remove the items listed in drop.txt, checking that what stays finds what it refers to.

    icupkg reports each kept resource whose parent, pool or alias target is gone. The one gap
    accepted is the break-iterator dictionaries the root rules name: ICU then breaks those
    scripts without a dictionary, as its own data filter (`brkitr_dictionaries`) allows.
    """
    check = subprocess.run(
        ["icupkg", "-r", "drop.txt", str(package), str(out)],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    if check.returncode == 0:
        return
    missing = set(re.findall(r"depends on missing item (\S+)", check.stderr + check.stdout))
    if not missing or any(not item.endswith(".dict") for item in missing):
        raise TrimError(f"icupkg failed: {(check.stderr or check.stdout).strip()[-600:]}")
    _run("icupkg", "--ignore-deps", "-r", "drop.txt", package, out, cwd=work)


def trim(source: Path, out: Path) -> Trimmed:
    """Write a trimmed copy of `source` (libicudataNN.so) to `out`."""
    match = re.fullmatch(r"libicudata\.so\.(\d+)", source.name)
    if not match:
        raise TrimError(f"{source.name} is not an ICU data library (libicudata.so.NN)")
    version = match[1]
    symbol = f"icudt{version}_dat"
    library = source.read_bytes()
    offset, size = _elf_symbol(library, symbol)
    with tempfile.TemporaryDirectory(prefix="icu-trim-") as tmp:
        work = Path(tmp)
        name = f"icudt{version}l"
        (work / "in").mkdir()
        (work / "out").mkdir()
        package, trimmed = work / "in" / f"{name}.dat", work / "out" / f"{name}.dat"
        package.write_bytes(library[offset : offset + size])
        items = _items(package, work)
        dropped = [item for item in items if not keep(item)]
        if not items or not dropped or len(dropped) == len(items):
            raise TrimError(f"unexpected package contents ({len(items)} items)")
        (work / "drop.txt").write_text("\n".join(dropped) + "\n", encoding="ascii")
        _remove(work, package, trimmed)
        kept = _items(trimmed, work)
        if len(kept) != len(items) - len(dropped):
            raise TrimError(f"icupkg kept {len(kept)} items, not {len(items) - len(dropped)}")
        # ICU finds items by the package name their table of contents starts with.
        if any(not entry.startswith(f"{name}/") for entry in _toc(trimmed.read_bytes())):
            raise TrimError(f"the trimmed package's items are not all named {name}/…")
        (work / "data.s").write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n"
            f"\t.type {symbol}, @object\n"
            "\t.balign 16\n"
            f"{symbol}:\n"
            f'\t.incbin "{trimmed}"\n'
            f"\t.size {symbol}, . - {symbol}\n"
            '\t.section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        _run("as", "-o", "data.o", "data.s", cwd=work)
        _run(
            "ld",
            "-shared",
            "-soname",
            source.name,
            "--hash-style=gnu",
            "-z",
            "noexecstack",
            "-o",
            "lib.so",
            "data.o",
            cwd=work,
        )
        built = (work / "lib.so").read_bytes()
        at, length = _elf_symbol(built, symbol)
        if built[at : at + length] != trimmed.read_bytes():
            raise TrimError("the rebuilt library does not hold the trimmed package")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(work / "lib.so", out)
        out.chmod(0o755)
    return Trimmed(len(items), len(kept), len(library), out.stat().st_size)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python scripts/trim_icu.py SOURCE_LIB OUT_LIB", file=sys.stderr)
        return 2
    try:
        result = trim(Path(argv[0]), Path(argv[1]))
    except (TrimError, OSError) as error:
        print(f"ICU data not trimmed: {error}", file=sys.stderr)
        return 1
    print(
        f"ICU data trimmed: {result.items_before} → {result.items_after} items, "
        f"{result.bytes_before / 2**20:.1f} → {result.bytes_after / 2**20:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
