"""Check that the ICU data Qt loads serves what casereader can reach (used by the build).

    LD_LIBRARY_PATH=dist/casereader/_internal/PySide6/Qt/lib python scripts/check_icu.py DIR

Run with the same PySide6 as the build; LD_LIBRARY_PATH makes Qt load the built folder's Qt and
ICU libraries, and DIR is where libicudata must come from. Checks collation (English, numeric,
accents), locale case mapping, time-zone names, the Windows/ISO/DOS code pages and an English
long date, and that ICU said nothing. Exit status 1 with what failed.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (  # noqa: E402
    QByteArray,
    QCollator,
    QCoreApplication,
    QDate,
    QLocale,
    QStringDecoder,
    QTimeZone,
    qInstallMessageHandler,
)

WORDS = ["Zoë", "zebra", "Émile", "apple", "Éclair", "eagle", "case 10", "case 9", "O'Neil", "oak"]
SORTED = ["apple", "case 9", "case 10", "eagle", "Éclair", "Émile", "O'Neil", "oak", "zebra", "Zoë"]


def _loaded_icu_data() -> Path | None:
    for line in Path("/proc/self/maps").read_text().splitlines():
        if "libicudata.so" in line:
            return Path(line.split()[-1]).resolve()
    return None


def problems() -> list[str]:
    messages: list[str] = []
    qInstallMessageHandler(lambda _kind, _context, text: messages.append(text))
    _app = QCoreApplication.instance() or QCoreApplication([])
    found: list[str] = []
    english = QLocale("en_GB")
    collator = QCollator(english)
    collator.setNumericMode(True)
    ordered = sorted(WORDS, key=functools.cmp_to_key(collator.compare))
    if ordered != SORTED:
        found.append(f"collation: {ordered}")
    for locale in ("en_US", "de_DE", "fr_FR"):  # other locales fall back to the root order
        order = sorted(
            ["b", "ä", "a", "Z", "é"], key=functools.cmp_to_key(QCollator(QLocale(locale)).compare)
        )
        if order != ["a", "ä", "b", "é", "Z"]:
            found.append(f"collation {locale}: {order}")
    upper = (english.toUpper("straße"), QLocale("tr_TR").toUpper("i"))
    if upper != ("STRASSE", "İ"):
        found.append(f"case mapping: {upper}")
    london = QTimeZone(QByteArray(b"Europe/London"))
    names = tuple(
        london.displayName(kind, QTimeZone.NameType.LongName, english)
        for kind in (QTimeZone.TimeType.StandardTime, QTimeZone.TimeType.DaylightTime)
    )
    if names != ("Greenwich Mean Time", "British Summer Time"):
        found.append(f"time-zone names: {names}")
    for codec in ("windows-1252", "windows-1250", "ISO-8859-15", "IBM850"):
        if not QStringDecoder(codec).isValid():
            found.append(f"code page {codec} missing")
    date = english.toString(QDate(2024, 3, 1), QLocale.FormatType.LongFormat)
    if date != "Friday, 1 March 2024":
        found.append(f"long date: {date}")
    found.extend(f"Qt said: {text}" for text in messages)
    return found


def main(argv: list[str]) -> int:
    found = problems()
    loaded = _loaded_icu_data()
    if argv and (loaded is None or loaded.parent != Path(argv[0]).resolve()):
        found.append(f"libicudata came from {loaded}, not {argv[0]} (set LD_LIBRARY_PATH)")
    if found:
        print("ICU check failed:\n  " + "\n  ".join(found), file=sys.stderr)
        return 1
    size = loaded.stat().st_size / 2**20 if loaded else 0
    print(
        f"ICU data ({loaded}, {size:.1f} MB): collation, case mapping, time-zone names, "
        "code pages and English dates all right."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
