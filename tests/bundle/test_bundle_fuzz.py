"""Mutated bundles and packs: every mutation is refused or harmless; never a crash or a write.

The genuine bundle is merged first, so a harmless mutation (say, changed tar padding) can only
come back as "already imported": the coordinator store's bytes must never move.
"""

import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_export_fixtures import (
    COORDINATOR_PASSPHRASE,
    READER_PASSPHRASE,
    copy_store,
    export_to_bytes,
    shared_inspection,
    store_bytes,
)

from casereader.bundle import age, archive, pack
from casereader.bundle.manifest import MEMBER_ORDER
from casereader.bundle.merge import merge_bundle, open_bundle
from casereader.errors import BundleRejected
from casereader.store import Store

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def inspection(tmp_path_factory):
    return shared_inspection(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def genuine(inspection, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    path = copy_store(inspection.readers["R1"], folder / "R1.casereader")
    with Store.open(path, READER_PASSPHRASE) as store:
        data = export_to_bytes(store, [inspection.recipient])
    return data, age.decrypt_with_identity(data, inspection.identity())


@pytest.fixture(scope="module")
def coordinator(inspection, genuine, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz-coordinator")
    path = copy_store(inspection.coordinator, folder / "coordinator.casereader")
    with Store.open(path, COORDINATOR_PASSPHRASE) as store:
        outcome = merge_bundle(store, open_bundle(genuine[0], inspection.identity()))
        assert outcome.outcome == "imported"
        yield store


def _flip(data: bytes, at: int, bit: int) -> bytes:
    at %= len(data)
    return data[:at] + bytes([data[at] ^ (1 << bit)]) + data[at + 1 :]


def _truncate(data: bytes, keep: int) -> bytes:
    return data[: keep % len(data)]


def _insert(data: bytes, at: int, extra: bytes) -> bytes:
    at %= len(data) + 1
    return data[:at] + extra + data[at:]


def _reorder(data: bytes, first: int, second: int, length: int) -> bytes:
    i, j = sorted((first % len(data), second % len(data)))
    length = min(length, j - i, len(data) - j)
    if length <= 0:
        return data[::-1]
    return (
        data[:i]
        + data[j : j + length]
        + data[i + length : j]
        + data[i : i + length]
        + data[j + length :]
    )


positions = st.integers(min_value=0, max_value=1 << 24)
mutations = st.one_of(
    st.tuples(st.just("flip"), positions, st.integers(0, 7)),
    st.tuples(st.just("truncate"), positions),
    st.tuples(st.just("insert"), positions, st.binary(min_size=1, max_size=600)),
    st.tuples(st.just("reorder"), positions, positions, st.integers(1, 4096)),
)


def mutate(data: bytes, mutation: tuple) -> bytes:
    kind, *args = mutation
    return {"flip": _flip, "truncate": _truncate, "insert": _insert, "reorder": _reorder}[kind](
        data, *args
    )


def _refused_or_harmless(store, identity, data: bytes) -> None:
    before = store_bytes(store.path)
    try:
        outcome = merge_bundle(store, open_bundle(data, identity, "mutated.crbundle"))
    except BundleRejected as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert outcome.outcome == "unchanged"
    assert store_bytes(store.path) == before


@FUZZ
@given(mutation=mutations)
def test_mutated_encrypted_bundles(inspection, genuine, coordinator, mutation):
    _refused_or_harmless(coordinator, inspection.identity(), mutate(genuine[0], mutation))


@FUZZ
@given(mutation=mutations)
def test_mutated_archives_encrypted_again(inspection, genuine, coordinator, mutation):
    """Anyone holding the recipient can encrypt: the archive inside must defend itself too."""
    crafted = age.encrypt_to_recipients(mutate(genuine[1], mutation), [inspection.recipient])
    _refused_or_harmless(coordinator, inspection.identity(), crafted)


_LIMITS = archive.Limits(max_members=64, max_member_bytes=1 << 26, max_total_bytes=1 << 27)


@settings(max_examples=25, deadline=None)
@example(order=list(range(8)))
@example(order=[1, 0, 2, 3, 4, 5, 6, 7])  # signature before the manifest
@example(order=[0, 1, 2, 3, 4, 5, 7, 6])  # only the last two swapped
@given(order=st.permutations(range(8)))
def test_members_in_another_order_are_refused(inspection, genuine, coordinator, order):
    """docs/bundle-format.md §1.2: the members come in one fixed order, and no other is read."""
    members = list(archive.read_archive(io.BytesIO(genuine[1]), _LIMITS).items())
    assert [name for name, _ in members] == list(MEMBER_ORDER)
    buffer = io.BytesIO()
    archive.write_archive(buffer, [members[i] for i in order])
    crafted = age.encrypt_to_recipients(buffer.getvalue(), [inspection.recipient])
    before = store_bytes(coordinator.path)
    if list(order) == list(range(8)):
        # the same members in the same order: the genuine bundle, already merged
        outcome = merge_bundle(coordinator, open_bundle(crafted, inspection.identity()))
        assert outcome.outcome == "unchanged"
    else:
        with pytest.raises(BundleRejected, match="members are out of order") as refused:
            open_bundle(crafted, inspection.identity())
        assert "\n" not in str(refused.value)
    assert store_bytes(coordinator.path) == before


@pytest.fixture(scope="module")
def plain_pack(inspection, tmp_path_factory):
    """R1's pack as its plain tar (written with encryption bypassed, to fuzz the reader)."""
    folder = tmp_path_factory.mktemp("fuzz-pack")
    path = copy_store(inspection.coordinator, folder / "coordinator.casereader")
    with pytest.MonkeyPatch.context() as patch, Store.open(path, COORDINATOR_PASSPHRASE) as store:
        patch.setattr(
            age, "encrypt_stream_passphrase", lambda src, dst, p: shutil.copyfileobj(src, dst)
        )
        result = pack.write_pack(store, "R1", folder / "R1.crpack", recipient=inspection.recipient)
    return result.path.read_bytes(), folder


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=mutations)
def test_mutated_packs_are_refused_or_open_whole(plain_pack, mutation):
    data, base = plain_pack
    folder = Path(tempfile.mkdtemp(dir=base))
    crafted = folder / "mutated.crpack"
    crafted.write_bytes(mutate(data, mutation))
    store = folder / "R1.casereader"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            age, "decrypt_stream_passphrase", lambda src, dst, p: shutil.copyfileobj(src, dst)
        )
        try:
            opened = pack.open_pack(crafted, "any-words", store, "reader-passphrase")
        except BundleRejected as exc:
            assert "\n" not in str(exc)
            assert sorted(p.name for p in folder.iterdir()) == ["mutated.crpack"]
        else:
            assert opened.store_path == store and store.is_file()
    shutil.rmtree(folder)


_AGE_HEADER = b"age-encryption.org/v1\n"
arbitrary = st.one_of(
    st.binary(max_size=4000),
    st.binary(max_size=4000).map(lambda b: _AGE_HEADER + b),
    st.binary(max_size=400).map(lambda b: _AGE_HEADER + b"-> X25519 " + b + b"\n--- "),
)


@FUZZ
@given(data=arbitrary)
def test_arbitrary_files_are_refused_as_bundles(inspection, coordinator, data):
    _refused_or_harmless(coordinator, inspection.identity(), data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=arbitrary)
def test_arbitrary_files_are_refused_as_packs(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("arbitrary-pack")
    crafted = folder / "any.crpack"
    crafted.write_bytes(data)
    try:
        pack.open_pack(crafted, "any-words", folder / "R1.casereader", "reader-passphrase")
    except BundleRejected as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        raise AssertionError("arbitrary bytes opened as a reading pack")
    assert sorted(p.name for p in folder.iterdir()) == ["any.crpack"]
