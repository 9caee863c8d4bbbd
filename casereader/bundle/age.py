"""Thin wrappers over pyrage (age encryption) that speak in casereader's errors.

Two kinds of file come through here:

* Files to recipients (X25519, `age1…`): standard age files, in memory (`encrypt_to_recipients`)
  or streamed (`encrypt_stream_recipients`) — `age -d -i KEY` opens both.
* Files under a passphrase (age scrypt): `encrypt_passphrase` makes exactly what `age -p` makes,
  but pyrage 1.4 only offers scrypt for whole byte strings, and a reading pack with its documents
  may be far larger than memory should hold. So `encrypt_stream_passphrase` writes a passphrase
  *envelope* instead, composed only of standard age files:

      casereader-passphrase-envelope/v1\\n
      -----BEGIN AGE ENCRYPTED FILE-----        an armored `age -p` file (scrypt) whose content is
      …                                         a fresh one-off X25519 identity, in the
      -----END AGE ENCRYPTED FILE-----\\n        `age-keygen` text format
      <binary age file>                         the payload, streamed to that identity's recipient

  Someone with only the `age` command and the passphrase can still open it:

      sed -n '2,/^-----END AGE ENCRYPTED FILE-----$/p' pack > key.age
      sed '1,/^-----END AGE ENCRYPTED FILE-----$/d' pack | age -d -i key.age > pack.tar

  (`age -i` accepts a passphrase-protected identity file and asks for the passphrase.)

Streaming decryption writes plaintext as each authenticated chunk arrives, so after an error
`dst` holds a partial result: callers write to a temporary file and discard it on any error.
"""

import base64
import binascii
from collections.abc import Sequence
from typing import BinaryIO

import pyrage
from pyrage import passphrase as age_passphrase
from pyrage import x25519

from casereader.bundle.archive import read_exactly
from casereader.errors import BundleRejected, UsageError

AGE_MAGIC = b"age-encryption.org/v1\n"
ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
ARMOR_END = b"-----END AGE ENCRYPTED FILE-----"
ENVELOPE_MAGIC = b"casereader-passphrase-envelope/v1\n"
_PEEK_BYTES = 256
_ENVELOPE_KEY_MAX_BYTES = 16 * 1024

NOT_AGE = (
    "not an age file: this file is not an encrypted casereader bundle or pack (or its start is "
    "damaged); check you chose the right file"
)
NOT_FOR_THIS_KEY = (
    "not encrypted to this key: the file was made for a different recipient (age1…), or its "
    "key stanza was altered in copying; use the "
    "secret key that matches the recipient it was sent to, or ask the sender to export it again "
    "to your recipient"
)
NEEDS_PASSPHRASE_NOT_KEY = (
    "this file is protected by a passphrase, not encrypted to a key; open it as a reading pack "
    "with the passphrase the coordinator gave you"
)
NEEDS_KEY_NOT_PASSPHRASE = (
    "this file is encrypted to a key, not protected by a passphrase; open it with the secret key "
    "it was sent to"
)
DAMAGED = (
    "truncated or damaged: the encrypted file fails its integrity check (cut short in copying, or "
    "altered); ask the sender for a fresh copy"
)
DAMAGED_HEADER = (
    "damaged: the encrypted file's header is damaged (altered or cut in copying), so no key can "
    "open it; ask the sender for a fresh copy"
)
WRONG_PASSPHRASE = (
    "wrong passphrase: it does not open this file; check the words (separated by hyphens) and "
    "try again"
)


def parse_recipient_text(text: str) -> x25519.Recipient:
    """An X25519 recipient from "age1…" text (keys.parse_recipient is the public name)."""
    if not isinstance(text, str) or not text.strip():
        raise UsageError('no recipient given: a recipient is a public key "age1…"')
    cleaned = text.strip()
    if cleaned.upper().startswith("AGE-SECRET-KEY-"):
        raise UsageError(
            "that is a SECRET key, not a recipient: give the public key (age1…) shown by "
            "`casereader keygen`, and keep the secret key private"
        )
    if not cleaned.startswith("age1"):
        raise UsageError(
            f'not an age recipient: "{_shorten(cleaned)}" — a recipient starts with "age1" '
            "(copy it again from the lead inspector's keygen output)"
        )
    try:
        return x25519.Recipient.from_str(cleaned)
    except pyrage.RecipientError as exc:
        raise UsageError(
            f'not a valid age recipient: "{_shorten(cleaned)}" ({exc}); a character may have '
            "been lost or mistyped — copy it again from the lead inspector's keygen output"
        ) from exc


def _shorten(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"


def _recipients(recipients: Sequence[str]) -> list[x25519.Recipient]:
    if isinstance(recipients, str):
        recipients = [recipients]
    parsed = [r if isinstance(r, x25519.Recipient) else parse_recipient_text(r) for r in recipients]
    if not parsed:
        raise UsageError("no recipient given: name at least the lead inspector's recipient")
    return parsed


def _identities(identity) -> list:
    return list(identity) if isinstance(identity, list | tuple) else [identity]


def _header_of(prefix: bytes) -> bytes | None:
    """The start of the binary age header, also for armored files; None if not an age file."""
    if prefix.startswith(AGE_MAGIC):
        return prefix
    stripped = prefix.lstrip()
    if not stripped.startswith(ARMOR_BEGIN):
        return None
    lines = stripped.split(b"\n")[1:]
    body = b"".join(line.strip() for line in lines[:3] if len(line.strip()) == 64)
    try:
        return base64.b64decode(body) if body else b""
    except binascii.Error:
        return b""


def looks_like_age(prefix: bytes) -> bool:
    """True if these first bytes (256 are plenty) start an age file, binary or armored."""
    return _header_of(prefix) is not None


def _is_scrypt(header: bytes) -> bool:
    return b"\n-> scrypt " in header[:_PEEK_BYTES]


class _Guarded:
    """A caller's file as pyrage sees it, remembering errors pyrage's Rust side would lose."""

    def __init__(self, file: BinaryIO, prefix: bytes = b"") -> None:
        self._file = file
        self._prefix = prefix
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        if self._prefix:
            size = len(self._prefix) if size < 0 else size
            data, self._prefix = self._prefix[:size], self._prefix[size:]
            return data
        try:
            data = self._file.read(size)
        except Exception as exc:
            self.error = exc
            raise
        return data if isinstance(data, bytes) else bytes(data or b"")

    def write(self, data: bytes) -> int:
        try:
            self._file.write(data)
        except Exception as exc:
            # pyrage's buffered writer drops errors from its final flush; keep them here.
            self.error = exc
            raise
        return len(data)


def _raise_caller_error(*files: _Guarded) -> None:
    for guarded in files:
        if guarded.error is not None:
            raise guarded.error


def _decrypt_error(exc: Exception, header: bytes | None) -> BundleRejected:
    text = str(exc)
    if "No matching keys" in text:
        if _is_scrypt(header or b""):
            return BundleRejected(NEEDS_PASSPHRASE_NOT_KEY)
        # age reads a mangled key stanza as "not for this key"; a stanza that cannot be one
        # (wrong length, not base64) means the header itself was damaged.
        return BundleRejected(DAMAGED_HEADER if _x25519_malformed(header) else NOT_FOR_THIS_KEY)
    return BundleRejected(DAMAGED)


def _x25519_malformed(header: bytes | None) -> bool:
    """Whether a complete X25519 stanza in these header bytes is not well formed."""
    lines = (header or b"").split(b"\n")[:-1]  # the last piece may be cut short
    for i, line in enumerate(lines):
        if line.startswith(b"---"):
            break
        if not line.startswith(b"-> X25519"):
            continue
        parts = line.split(b" ")
        if len(parts) != 3 or not _is_key_base64(parts[2]):
            return True
        if i + 1 < len(lines) and not _is_key_base64(lines[i + 1]):
            return True
    return False


def _is_key_base64(text: bytes) -> bool:
    """32 bytes in age's canonical unpadded base64 (43 characters)."""
    if len(text) != 43:
        return False
    try:
        raw = base64.b64decode(text + b"=", validate=True)
    except binascii.Error:
        return False
    return len(raw) == 32 and base64.b64encode(raw).rstrip(b"=") == text


def encrypt_to_recipients(data: bytes, recipients: list[str]) -> bytes:
    """A standard binary age file of `data` that any of `recipients` (age1…) can open."""
    try:
        return pyrage.encrypt(bytes(data), _recipients(recipients))
    except pyrage.EncryptError as exc:
        raise UsageError(f"cannot encrypt to these recipients: {exc}") from exc


def decrypt_with_identity(data: bytes, identity) -> bytes:
    """The plaintext of an age file (binary or armored) encrypted to `identity` (or a list)."""
    header = _header_of(bytes(data[:_PEEK_BYTES]))
    if header is None:
        raise BundleRejected(NOT_AGE)
    try:
        return pyrage.decrypt(bytes(data), _identities(identity))
    except pyrage.DecryptError as exc:
        raise _decrypt_error(exc, header) from exc


def encrypt_passphrase(data: bytes, passphrase: str) -> bytes:
    """Exactly what `age -p` makes (scrypt), in memory; for small things such as a key file."""
    _check_passphrase(passphrase)
    return age_passphrase.encrypt(bytes(data), passphrase)


def decrypt_passphrase(data: bytes, passphrase: str) -> bytes:
    """The plaintext of an `age -p` file (binary or armored), in memory."""
    _check_passphrase(passphrase)
    header = _header_of(bytes(data[:_PEEK_BYTES]))
    if header is None:
        raise BundleRejected(NOT_AGE)
    if not _is_scrypt(header):
        raise BundleRejected(NEEDS_KEY_NOT_PASSPHRASE)
    try:
        return age_passphrase.decrypt(bytes(data), passphrase)
    except pyrage.DecryptError as exc:
        raise BundleRejected(
            WRONG_PASSPHRASE if "Decryption failed" in str(exc) else DAMAGED
        ) from exc


def _check_passphrase(passphrase: str) -> None:
    if not isinstance(passphrase, str) or not passphrase:
        raise UsageError("no passphrase given: type the passphrase (it cannot be empty)")


def encrypt_stream_recipients(src: BinaryIO, dst: BinaryIO, recipients: list[str]) -> None:
    """Stream `src` into `dst` as a standard age file to `recipients`, in bounded memory."""
    parsed = _recipients(recipients)
    reader, writer = _Guarded(src), _Guarded(dst)
    try:
        pyrage.encrypt_io(reader, writer, parsed)
    except pyrage.EncryptError as exc:
        _raise_caller_error(reader, writer)
        raise UsageError(f"cannot encrypt: {exc}") from exc
    _raise_caller_error(reader, writer)


def decrypt_stream_identity(src: BinaryIO, dst: BinaryIO, identity) -> None:
    """Stream an age file encrypted to `identity` from `src` into `dst` (discard dst on error)."""
    prefix = read_exactly(src, _PEEK_BYTES)
    header = _header_of(prefix)
    if header is None:
        raise BundleRejected(NOT_AGE)
    reader, writer = _Guarded(src, prefix), _Guarded(dst)
    try:
        pyrage.decrypt_io(reader, writer, _identities(identity))
    except (pyrage.DecryptError, OSError) as exc:
        # A failing chunk surfaces as OSError("decryption error") from pyrage's copy loop.
        _raise_caller_error(reader, writer)
        raise _decrypt_error(exc, header) from exc
    _raise_caller_error(reader, writer)


def encrypt_stream_passphrase(src: BinaryIO, dst: BinaryIO, passphrase: str) -> None:
    """Stream `src` into `dst` under `passphrase`, as a passphrase envelope (module docstring)."""
    _check_passphrase(passphrase)
    one_off = x25519.Identity.generate()
    recipient = str(one_off.to_public())
    key_text = f"# one-off key of a casereader passphrase envelope\n# public key: {recipient}\n"
    key_text += f"{one_off}\n"
    sealed_key = age_passphrase.encrypt(key_text.encode("ascii"), passphrase, armored=True)
    if not sealed_key.endswith(b"\n"):
        sealed_key += b"\n"
    writer = _Guarded(dst)
    writer.write(ENVELOPE_MAGIC)
    writer.write(sealed_key)
    encrypt_stream_recipients(src, dst, [recipient])


def decrypt_stream_passphrase(src: BinaryIO, dst: BinaryIO, passphrase: str) -> None:
    """Stream a passphrase envelope from `src` into `dst` (discard dst on error)."""
    _check_passphrase(passphrase)
    first = src.readline(len(ENVELOPE_MAGIC))
    if first != ENVELOPE_MAGIC:
        if _header_of(first + read_exactly(src, _PEEK_BYTES)) is not None:
            raise BundleRejected(
                "this is an age file but not a casereader reading pack (no one-off key inside); "
                "ask the coordinator for the pack file casereader made"
            )
        raise BundleRejected(NOT_AGE)
    sealed_key = _read_sealed_key(src)
    try:
        key_text = age_passphrase.decrypt(sealed_key, passphrase).decode("ascii")
        secret = next(line for line in key_text.splitlines() if line.startswith("AGE-SECRET-KEY-1"))
        one_off = x25519.Identity.from_str(secret)
    except pyrage.DecryptError as exc:
        raise BundleRejected(
            WRONG_PASSPHRASE if "Decryption failed" in str(exc) else DAMAGED
        ) from exc
    except (UnicodeDecodeError, StopIteration, pyrage.IdentityError) as exc:
        raise BundleRejected(DAMAGED) from exc
    decrypt_stream_identity(src, dst, one_off)


def _read_sealed_key(src: BinaryIO) -> bytes:
    lines, size = [], 0
    while size <= _ENVELOPE_KEY_MAX_BYTES:
        line = src.readline(_ENVELOPE_KEY_MAX_BYTES)
        if not line:
            break
        lines.append(line)
        size += len(line)
        if line.rstrip(b"\r\n") == ARMOR_END:
            return b"".join(lines)
    raise BundleRejected(DAMAGED)
