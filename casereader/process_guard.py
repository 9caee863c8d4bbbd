"""What the app and the command line set for their own process before anything else (SPEC §8).

- files are created readable by their owner only (umask 0o077): stores, their WAL and backups,
  packs, bundles, exports and key files;
- no core dump is written (it would hold decrypted records and keys), where the system allows
  it to be turned off (`resource` is not on Windows, which writes none by default);
- a passphrase handed over in the environment is taken out of it once read
  (`take_env_secret`), so the worker processes the app starts never inherit it.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress

SECRET_ENV = ("CASEREADER_PASSPHRASE", "CASEREADER_PACK_PASSPHRASE", "CASEREADER_KEY_PASSPHRASE")
_TAKEN: dict[str, str] = {}


def harden_process() -> None:
    """Owner-only file modes and no core dumps, for this process and the ones it starts."""
    os.umask(0o077)
    try:
        import resource
    except ImportError:  # Windows
        return
    # A hard limit this process may not lower further: nothing more to do.
    with suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@contextmanager
def secrets_out_of_environment(names: tuple[str, ...] = SECRET_ENV) -> Iterator[None]:
    """While one command runs, its secrets are held here and are not in the environment.

    Afterwards the environment is as it was, for a caller that runs the command line inside its
    own process (the process itself normally ends with the command).
    """
    present = {name: os.environ.pop(name) for name in names if name in os.environ}
    _TAKEN.clear()
    _TAKEN.update({name: value for name, value in present.items() if value})
    try:
        yield
    finally:
        _TAKEN.clear()
        os.environ.update(present)


def take_env_secret(name: str) -> str | None:
    """The secret in environment variable `name`, removed from the environment once read."""
    if name in os.environ:
        value = os.environ.pop(name)
        if value:
            _TAKEN[name] = value
    return _TAKEN.get(name)
