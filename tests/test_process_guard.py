"""Process-wide protections (SPEC §8): owner-only files, no core dumps, secrets out of the env."""

import os
import stat
import subprocess
import sys

import pytest

from casereader.cli import main
from casereader.process_guard import harden_process, take_env_secret

PASSPHRASE = "lantern-orbit-meadow-velvet"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_harden_process_sets_an_owner_only_umask_and_no_core_dumps():
    harden_process()
    old = os.umask(0o077)
    assert old == 0o077
    resource = pytest.importorskip("resource")
    assert resource.getrlimit(resource.RLIMIT_CORE)[0] == 0


def test_a_store_made_by_the_command_line_is_readable_by_its_owner_only(
    tmp_path, monkeypatch, capsys
):
    os.umask(0o022)  # as a user's shell would leave it
    monkeypatch.setenv("CASEREADER_PASSPHRASE", PASSPHRASE)
    store = tmp_path / "mine.casereader"
    code = main(["init", str(store), "--template", "cso-at-home-2025", "--inspection", "X",
                 "--role", "coordinator"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    made = [p for p in tmp_path.iterdir() if p.name.startswith("mine.casereader")]
    assert made and all(_mode(p) == 0o600 for p in made), {p.name: oct(_mode(p)) for p in made}


def test_the_passphrase_is_taken_out_of_the_environment_so_workers_never_see_it(monkeypatch):
    monkeypatch.setenv("CASEREADER_PASSPHRASE", PASSPHRASE)
    assert take_env_secret("CASEREADER_PASSPHRASE") == PASSPHRASE
    assert "CASEREADER_PASSPHRASE" not in os.environ
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.environ.get('CASEREADER_PASSPHRASE'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == "None"
    assert take_env_secret("CASEREADER_PASSPHRASE") == PASSPHRASE  # still known in-process
