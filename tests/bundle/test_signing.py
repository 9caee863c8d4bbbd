import re

import pytest

from casereader.bundle import signing
from casereader.errors import BundleRejected, StoreError

MESSAGE = b'{"reader": "R-07", "inspection": "fictional-2031"}'


def test_keys_are_raw_32_bytes_and_fresh():
    private = signing.new_signing_key()
    assert len(private) == 32
    assert len(signing.public_key_of(private)) == 32
    assert signing.new_signing_key() != private


def test_sign_then_verify():
    private = signing.new_signing_key()
    signature = signing.sign(private, MESSAGE)
    assert len(signature) == 64
    signing.verify(signing.public_key_of(private), MESSAGE, signature)


def test_altered_message_is_refused():
    private = signing.new_signing_key()
    signature = signing.sign(private, MESSAGE)
    with pytest.raises(BundleRejected, match="signature does not match"):
        signing.verify(signing.public_key_of(private), MESSAGE + b" ", signature)


def test_signature_by_another_key_is_refused():
    signature = signing.sign(signing.new_signing_key(), MESSAGE)
    other = signing.public_key_of(signing.new_signing_key())
    with pytest.raises(BundleRejected, match="signature"):
        signing.verify(other, MESSAGE, signature)


def test_flipped_signature_bit_is_refused():
    private = signing.new_signing_key()
    signature = bytearray(signing.sign(private, MESSAGE))
    signature[10] ^= 1
    with pytest.raises(BundleRejected, match="signature"):
        signing.verify(signing.public_key_of(private), MESSAGE, bytes(signature))


@pytest.mark.parametrize("signature", [b"", b"x" * 63, b"x" * 65, "not bytes"])
def test_signature_of_wrong_size_is_refused(signature):
    public = signing.public_key_of(signing.new_signing_key())
    with pytest.raises(BundleRejected, match="signature"):
        signing.verify(public, MESSAGE, signature)


@pytest.mark.parametrize("public", [b"", b"x" * 31, b"x" * 33])
def test_public_key_of_wrong_size_is_refused(public):
    with pytest.raises(BundleRejected, match="public key"):
        signing.verify(public, MESSAGE, b"x" * 64)
    with pytest.raises(BundleRejected, match="public key"):
        signing.fingerprint(public)


@pytest.mark.parametrize("private", [b"", b"x" * 31, "x" * 32])
def test_damaged_private_key_is_a_store_problem(private):
    with pytest.raises(StoreError, match="signing key is damaged"):
        signing.sign(private, MESSAGE)
    with pytest.raises(StoreError):
        signing.public_key_of(private)


def test_fingerprint_is_short_readable_and_stable():
    public = bytes(range(32))
    shown = signing.fingerprint(public)
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){3}", shown)
    # SHA-256 of bytes 0..31 starts 630dcd29 66c4336691125448bbb25b4f
    assert shown == "630D-CD29-66C4-3366"
    assert signing.fingerprint(bytes(32)) != shown
