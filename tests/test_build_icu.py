"""The build's ICU data trimming (scripts/trim_icu.py) and its check (scripts/check_icu.py)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


trim_icu = _load("trim_icu")


def _qt_icu_data() -> Path | None:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    return found[0] if found else None


needs_tools = pytest.mark.skipif(
    not sys.platform.startswith("linux")
    or _qt_icu_data() is None
    or not all(shutil.which(tool) for tool in ("icupkg", "as", "ld")),
    reason="Linux PySide6 with its own ICU, and icupkg/as/ld (icu-devtools, binutils)",
)


@pytest.mark.parametrize(
    "item",
    [
        "root.res",
        "en.res",
        "en_GB.res",
        "en_US_POSIX.res",
        "pool.res",
        "res_index.res",
        "likelySubtags.res",
        "plurals.res",
        "zoneinfo64.res",
        "metaZones.res",
        "timezoneTypes.res",
        "numberingSystems.res",
        "cnvalias.icu",
        "nfkc.nrm",
        "uts46.nrm",
        "ibm-5348_P100-1997.cnv",
        "ibm-923_P100-1998.cnv",
        "coll/root.res",
        "coll/en.res",
        "coll/ucadata.icu",
        "coll/res_index.res",
        "brkitr/root.res",
        "brkitr/word.brk",
        "brkitr/line.brk",
        "brkitr/en.res",
        "zone/en_GB.res",
        "zone/tzdbNames.res",
        "zone/pool.res",
        "curr/supplementalData.res",
        "unit/en.res",
        "lang/root.res",
        "rbnf/en.res",
    ],
)
def test_keeps_root_english_and_shared_data(item: str) -> None:
    assert trim_icu.keep(item)


@pytest.mark.parametrize(
    "item",
    [
        "de.res",
        "fr_CA.res",
        "zh_Hant_TW.res",
        "yue.res",
        "ars.res",
        "coll/zh.res",
        "coll/de_.res",
        "coll/ko.res",
        "brkitr/cjdict.dict",
        "brkitr/thaidict.dict",
        "brkitr/ja.res",
        "zone/de.res",
        "curr/ja.res",
        "lang/fr.res",
        "region/es.res",
        "unit/ru.res",
        "rbnf/es.res",
        "translit/root.res",
        "translit/en.res",
        "ibm-943_P15A-2003.cnv",
        "gb18030.cnv",
        "ibm-37_P100-1995.cnv",
        "macos-0_2-10.2.cnv",
    ],
)
def test_drops_other_locales_dictionaries_and_legacy_code_pages(item: str) -> None:
    assert not trim_icu.keep(item)


def test_refuses_a_library_that_is_not_icu_data(tmp_path: Path) -> None:
    other = tmp_path / "libicudata.so.73"
    other.write_bytes(b"\x7fELF\x02\x01" + b"\0" * 200)
    with pytest.raises(trim_icu.TrimError, match="icudt73_dat"):
        trim_icu.trim(other, tmp_path / "out" / other.name)
    with pytest.raises(trim_icu.TrimError, match="not an ICU data library"):
        trim_icu.trim(tmp_path / "libfoo.so.1", tmp_path / "out.so")
    assert not (tmp_path / "out").exists()


@needs_tools
def test_a_missing_tool_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(trim_icu.TrimError, match="icu-devtools"):
        trim_icu.trim(_qt_icu_data(), tmp_path / "out" / "libicudata.so.73")
    assert not (tmp_path / "out").exists()


def _check(lib_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, LD_LIBRARY_PATH=str(lib_dir), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, str(SCRIPTS / "check_icu.py"), str(lib_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@needs_tools
def test_trimmed_data_serves_qt(tmp_path: Path) -> None:
    source = _qt_icu_data()
    out = tmp_path / source.name
    result = trim_icu.trim(source, out)
    assert result.items_after < result.items_before / 3
    assert result.bytes_after < 6 * 2**20 < 25 * 2**20 < result.bytes_before
    dynamic = subprocess.run(
        ["readelf", "-d", "--dyn-syms", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert f"Library soname: [{source.name}]" in dynamic
    assert f"icudt{source.name.rsplit('.', 1)[1]}_dat" in dynamic
    checked = _check(tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert str(out) in checked.stdout


@needs_tools
def test_the_check_catches_missing_data(tmp_path: Path) -> None:
    """A package whose items ICU cannot find (a wrong name prefix) fails the check loudly."""
    source = _qt_icu_data()
    data = source.read_bytes()
    offset, size = trim_icu._elf_symbol(data, f"icudt{source.name.rsplit('.', 1)[1]}_dat")
    package = bytearray(data[offset : offset + size])
    names = trim_icu._toc(bytes(package))
    prefix = names[0].split("/")[0].encode()
    renamed = bytes(package).replace(prefix + b"/", b"xxxxxxxx/"[: len(prefix)] + b"/")
    broken = bytearray(data)
    broken[offset : offset + size] = renamed
    (tmp_path / source.name).write_bytes(bytes(broken))
    checked = _check(tmp_path)
    assert checked.returncode == 1
    assert "collation" in checked.stderr and "code page windows-1252 missing" in checked.stderr
