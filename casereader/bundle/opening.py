"""Opening a reader's bundle in memory and checking it, before any store is involved.

The checks, in order, each with its own message: decrypt (wrong key, truncated or damaged) → the
tar archive, read defensively → the manifest (not a bundle, unknown format version) → its
signature (missing, or not matching) → every member's SHA-256 (altered) → the members' order and
their own shape.
"""

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from casereader.bundle import age, archive, signing
from casereader.bundle.contents import BundleContents, parse_contents
from casereader.bundle.manifest import (
    MANIFEST,
    MEMBER_ORDER,
    SIGNATURE,
    Manifest,
    parse_manifest,
)
from casereader.errors import BundleRejected

MAX_BUNDLE_FILE_BYTES = 160 * 1024 * 1024
BUNDLE_LIMITS = archive.Limits(
    max_members=16, max_member_bytes=96 * 1024 * 1024, max_total_bytes=128 * 1024 * 1024
)
ASK_AGAIN = "ask the reader to export the bundle again"


@dataclass(frozen=True)
class VerifiedBundle:
    """A decrypted bundle whose signature, hashes and members have all been checked."""

    file_name: str
    content: bytes
    file_sha256: str
    manifest: Manifest
    manifest_sha256: str
    contents: BundleContents

    @property
    def reader_id(self) -> str:
        return self.manifest.reader_id

    @property
    def sequence(self) -> int:
        return self.manifest.sequence

    @property
    def fingerprint(self) -> str:
        """The short fingerprint of the reader's signing key, to compare with the reader's app."""
        return signing.fingerprint(self.manifest.public_key)


def read_bundle_file(path: Path) -> bytes:
    """A bundle file's bytes, refusing anything that cannot be one before reading it all."""
    path = Path(path)
    try:
        if not path.is_file():
            raise BundleRejected(
                f"no such bundle file ({path}); check the path"
                if not path.exists()
                else f"{path} is not a file; choose the .crbundle file itself"
            )
        if path.stat().st_size > MAX_BUNDLE_FILE_BYTES:
            raise BundleRejected(
                f"far too large to be a bundle ({path.stat().st_size} bytes); check you chose "
                "the .crbundle file a reader exported"
            )
        return path.read_bytes()
    except OSError as exc:
        raise BundleRejected(f"cannot read {path}: {exc.strerror or exc}") from exc


def _read_members(plaintext: bytes) -> tuple[dict[str, bytes], dict[str, str]]:
    """Every member's bytes, and its SHA-256 as the archive reader took it while reading."""
    members, digests = {}, {}
    for name, member in archive.iter_archive(io.BytesIO(plaintext), BUNDLE_LIMITS):
        members[name] = member.read()
        digests[name] = member.hexdigest()
    return members, digests


def _check_member_hashes(members: dict, digests: dict[str, str], manifest: Manifest) -> None:
    expected = manifest.members
    if set(members) == {*expected, MANIFEST, SIGNATURE} and all(
        digests[name] == digest for name, digest in expected.items()
    ):
        return  # every member is the one the manifest lists, hashed as it was read
    # archive.check_hashes says which member is wrong, and how.
    archive.check_hashes(members, expected, unhashed=(MANIFEST, SIGNATURE))
    raise BundleRejected(f"the bundle's members do not match its manifest; {ASK_AGAIN}")


def _check_member_order(members: dict[str, bytes]) -> None:
    """The members must come in the order docs/bundle-format.md §1.2 fixes; none other is read."""
    if tuple(members) != MEMBER_ORDER:
        raise BundleRejected(
            f"the bundle's members are out of order ({', '.join(members)}; expected "
            f"{', '.join(MEMBER_ORDER)}): casereader never writes them so; {ASK_AGAIN}"
        )


def open_bundle(data: bytes, identity, file_name: str = "bundle") -> VerifiedBundle:
    """Decrypt and verify a bundle without any store: signature, hashes, format and members."""
    with ThreadPoolExecutor(1, thread_name_prefix="bundle-hashing") as hashing:
        # hashlib lets go of the GIL: the file is hashed on another core while it is decrypted.
        file_sha256 = hashing.submit(archive.sha256_hex, data)
        plaintext = age.decrypt_with_identity(data, identity)
        members, digests = _read_members(plaintext)
        file_sha256 = file_sha256.result()
    if MANIFEST not in members:
        raise BundleRejected(
            f"not a casereader bundle: it holds no {MANIFEST}; check you chose a .crbundle file "
            "a reader exported"
        )
    manifest = parse_manifest(members[MANIFEST])
    if SIGNATURE not in members:
        raise BundleRejected(
            f"missing signature: the bundle holds no {SIGNATURE}, so nothing proves who made "
            f"it; {ASK_AGAIN}"
        )
    signing.verify(manifest.public_key, members[MANIFEST], members[SIGNATURE])
    _check_member_hashes(members, digests, manifest)
    _check_member_order(members)
    contents = parse_contents(members, manifest)
    return VerifiedBundle(
        file_name=file_name,
        content=bytes(data),
        file_sha256=file_sha256,
        manifest=manifest,
        manifest_sha256=digests[MANIFEST],
        contents=contents,
    )


def verify_bundle(path: Path, identity) -> VerifiedBundle:
    """Open and check a bundle file without importing it (the `verify` command)."""
    path = Path(path)
    return open_bundle(read_bundle_file(path), identity, path.name)
