"""The shape of the code: a Qt-free core, and DDL only in the store's migrations."""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "casereader"
CORE = ["domain", "store", "ingest", "bundle", "reports", "demo", "tasks", "cli"]

# Imports every module of the core packages (and tasks, if it exists), then reports what
# Qt got loaded. Run in a fresh interpreter: this test process may already hold Qt.
IMPORT_CORE = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    import casereader

    imported = []
    for name in sys.argv[1:]:
        try:
            module = importlib.import_module(f"casereader.{name}")
        except ModuleNotFoundError as e:
            if e.name == f"casereader.{name}":
                continue  # not written yet (tasks)
            raise
        imported.append(module.__name__)
        for info in pkgutil.walk_packages(getattr(module, "__path__", []), module.__name__ + "."):
            importlib.import_module(info.name)
            imported.append(info.name)
    qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
    print(len(imported), " ".join(qt))
    """
)


def test_importing_the_core_leaves_pyside6_out():
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_CORE, *CORE], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    count, _, qt = result.stdout.strip().partition(" ")
    assert int(count) >= 30, "the walk found too few modules to prove anything"
    assert qt == "", f"the core imported Qt: {qt}"


def test_the_check_would_see_qt_if_the_core_loaded_it():
    probe = IMPORT_CORE.replace("import casereader\n", "import casereader, PySide6.QtCore\n")
    result = subprocess.run([sys.executable, "-c", probe, "domain"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "PySide6.QtCore" in result.stdout


TEMP_WORK = re.compile(r"CREATE\s+TEMP\s+TABLE|DROP\s+TABLE\s+IF\s+EXISTS\s+\{self\._table")
DDL = re.compile(
    r"\b(CREATE\s+(UNIQUE\s+)?INDEX|CREATE\s+(TEMP(ORARY)?\s+)?(TABLE|VIEW|TRIGGER)|"
    r"CREATE\s+VIRTUAL\s+TABLE|ALTER\s+TABLE|DROP\s+(TABLE|INDEX|TRIGGER|VIEW))\b"
)


def test_ddl_lives_only_in_the_store_migrations():
    migrations = PACKAGE / "store" / "migrations.py"
    assert DDL.search(migrations.read_text(encoding="utf-8")), "the pattern no longer matches"
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == migrations:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # A TEMP table lives in memory for one task (temp_store=MEMORY): not the schema.
            if TEMP_WORK.search(line):
                continue
            if DDL.search(line):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}")
    assert offenders == [], "schema changes belong in store/migrations.py:\n" + "\n".join(offenders)


# sqlite-utils can change the schema without SQL text; in the core that belongs in migrations too.
SQLITE_UTILS_DDL = re.compile(
    r"\.(create_table|create_index|create_view|add_column|add_foreign_key|enable_fts|transform)"
    r"\(|\]\.create\("
)


def test_no_sqlite_utils_schema_calls_outside_the_migrations():
    migrations = PACKAGE / "store" / "migrations.py"
    offenders = []
    for name in CORE:
        for path in sorted((PACKAGE / name).rglob("*.py")):
            if path == migrations:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if SQLITE_UTILS_DDL.search(line):
                    offenders.append(f"{path.relative_to(PACKAGE.parent)}:{number}")
    assert offenders == [], "schema changes belong in store/migrations.py: " + ", ".join(offenders)
