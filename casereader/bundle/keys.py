"""The lead inspector's age identity (X25519 key pair) and the recipients bundles are sent to.

An unprotected key file has the same text format as `age-keygen` writes; a protected one is that
text encrypted with a passphrase exactly as `age -p` would, so `age -d -i KEYFILE` asks for the
passphrase and works without casereader.
"""

import os
from datetime import UTC, datetime
from pathlib import Path

import pyrage
from pyrage import x25519

from casereader.bundle import age
from casereader.domain.passphrase_strength import passphrase_problem
from casereader.errors import BundleRejected, UsageError

SECRET_PREFIX = "AGE-SECRET-KEY-1"
_KEY_FILE_MAX_BYTES = 64 * 1024


def key_file_text(identity: x25519.Identity) -> str:
    """The `age-keygen` text of an identity: two comment lines, then the secret key."""
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"# created: {created}\n# public key: {identity.to_public()}\n{identity}\n"


def generate_identity(out: Path, passphrase: str | None = None) -> str:
    """Write a new identity to `out` (mode 0600, never overwriting) and return its "age1…".

    With `passphrase` (which must pass the strength rule) the key is protected as `age -p`
    would; without, the file is age-keygen's plain text (the command line asks for this only
    with an explicit --no-protect)."""
    out = Path(out)
    if out.exists() or out.is_symlink():
        raise UsageError(f"{out} exists; choose another path — a key is never overwritten")
    if not out.parent.is_dir():
        raise UsageError(
            f"cannot write the key: folder {out.parent} does not exist; create it first"
        )
    if passphrase is not None:
        problem = passphrase_problem(passphrase, "key passphrase")
        if problem:
            raise UsageError(problem)
    identity = x25519.Identity.generate()
    content = key_file_text(identity).encode("ascii")
    if passphrase is not None:
        content = age.encrypt_passphrase(content, passphrase)
    try:
        # O_EXCL: even a file appearing between the check above and now is never overwritten.
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError as exc:
        raise UsageError(f"{out} exists; choose another path — a key is never overwritten") from exc
    except OSError as exc:
        raise UsageError(
            f"cannot write the key to {out}: {exc.strerror}; choose another path"
        ) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        out.unlink(missing_ok=True)
        raise UsageError(
            f"cannot write the key to {out}: {exc.strerror}; choose another path"
        ) from exc
    return str(identity.to_public())


def is_protected(path: Path) -> bool:
    """True if the key file is passphrase-protected (an age file), so a passphrase must be asked."""
    return age.looks_like_age(_read_key_file(Path(path))[:256])


def _read_key_file(path: Path) -> bytes:
    if not path.exists():
        raise UsageError(f"key file {path} not found; check the path (keygen writes it)")
    if not path.is_file():
        raise UsageError(f"{path} is not a key file (it is a folder or a device); check the path")
    try:
        with path.open("rb") as handle:
            content = handle.read(_KEY_FILE_MAX_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read key file {path}: {exc.strerror}") from exc
    if len(content) > _KEY_FILE_MAX_BYTES:
        raise UsageError(f"{path} is not a key file (far too large); check the path")
    return content


def load_identity(path: Path, passphrase: str | None = None) -> x25519.Identity:
    """The identity in a key file, decrypting it with `passphrase` if it is protected."""
    path = Path(path)
    content = _read_key_file(path)
    if is_protected(path):
        if passphrase is None:
            raise UsageError(f"key file {path} is protected by a passphrase; give its passphrase")
        try:
            content = age.decrypt_passphrase(content, passphrase)
        except BundleRejected as exc:
            if str(exc) == age.WRONG_PASSPHRASE:
                raise UsageError(
                    f"wrong passphrase for key file {path}; type the passphrase chosen at keygen"
                ) from exc
            raise UsageError(
                f"{path} is not a passphrase-protected key file ({exc}); check the path"
            ) from exc
    return _identity_from_text(path, content)


def _identity_from_text(path: Path, content: bytes) -> x25519.Identity:
    not_key = f"{path} is not an age key file (no AGE-SECRET-KEY-1… line); check the path"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(not_key) from exc
    lines = [line.strip() for line in text.splitlines()]
    secrets = [line for line in lines if line and not line.startswith("#")]
    if not secrets or any(not line.startswith(SECRET_PREFIX) for line in secrets):
        raise UsageError(not_key)
    if len(secrets) > 1:
        raise UsageError(
            f"key file {path} holds {len(secrets)} secret keys; casereader needs a file with one"
        )
    try:
        identity = x25519.Identity.from_str(secrets[0])
    except pyrage.IdentityError as exc:
        raise UsageError(
            f"key file {path} is damaged: the secret key is not valid ({exc})"
        ) from exc
    stated = [line.split(":", 1)[1].strip() for line in lines if line.startswith("# public key:")]
    if stated and stated[0] != str(identity.to_public()):
        raise UsageError(
            f"key file {path} is damaged: its secret key does not match its '# public key' line"
        )
    return identity


def recipient_of(identity: x25519.Identity) -> str:
    """The public "age1…" recipient of an identity, to give to readers."""
    return str(identity.to_public())


def parse_recipient(text: str) -> x25519.Recipient:
    """An age X25519 recipient from "age1…" text; UsageError saying what is wrong otherwise."""
    return age.parse_recipient_text(text)


def read_recipients_file(path: Path) -> list[str]:
    """The recipients in a file, one "age1…" a line; blank lines and # comments are skipped."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise UsageError(f"recipients file {path} not found; check the path") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read recipients file {path}: {exc}") from exc
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            parse_recipient(line)
        except UsageError as exc:
            raise UsageError(f"{path} line {number}: {exc}") from exc
        found.append(line)
    if not found:
        raise UsageError(f"recipients file {path} lists no recipient (age1…); add at least one")
    return found
