"""Each reader store's Ed25519 signing key (via `cryptography`) and its short fingerprint.

Keys travel as raw 32-byte strings so the store can keep them in a BLOB column and a bundle
manifest can carry the public key as hex. Signatures are raw 64 bytes.
"""

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from casereader.errors import BundleRejected, StoreError

KEY_BYTES = 32
SIGNATURE_BYTES = 64


def new_signing_key() -> bytes:
    """A fresh random Ed25519 private key, as raw 32 bytes."""
    return Ed25519PrivateKey.generate().private_bytes(
        Encoding.Raw, PrivateFormat.Raw, encryption_algorithm=NoEncryption()
    )


def _private(private: bytes) -> Ed25519PrivateKey:
    if not isinstance(private, bytes) or len(private) != KEY_BYTES:
        raise StoreError(
            "the store's signing key is damaged (not 32 bytes); restore the store from a backup"
        )
    return Ed25519PrivateKey.from_private_bytes(private)


def public_key_of(private: bytes) -> bytes:
    """The raw 32-byte public key that belongs to this private key."""
    return _private(private).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def fingerprint(public: bytes) -> str:
    """A short readable fingerprint of a public key, e.g. "3F7A-19C2-88D0-4B1E" (SHA-256)."""
    if not isinstance(public, bytes) or len(public) != KEY_BYTES:
        raise BundleRejected("a reader's public key must be 32 bytes; this one is damaged")
    digest = hashlib.sha256(public).hexdigest()[:16].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def sign(private: bytes, message: bytes) -> bytes:
    """The raw 64-byte Ed25519 signature of `message`."""
    return _private(private).sign(message)


def verify(public: bytes, message: bytes, signature: bytes) -> None:
    """Return quietly if `signature` is the signer's; otherwise raise BundleRejected."""
    if not isinstance(public, bytes) or len(public) != KEY_BYTES:
        raise BundleRejected(
            "signature cannot be checked: the reader's public key is damaged (not 32 bytes); "
            "ask the reader to export the bundle again"
        )
    if not isinstance(signature, bytes) or len(signature) != SIGNATURE_BYTES:
        raise BundleRejected(
            "signature is damaged (not 64 bytes); ask the reader to export the bundle again"
        )
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError) as exc:
        raise BundleRejected(
            "signature does not match: the contents were altered or were not signed by this "
            "reader's key; refuse it and ask the reader to export the bundle again"
        ) from exc
