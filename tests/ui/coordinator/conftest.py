"""Fixtures of the coordinator desk's tests: the coordination tests' inspection (built through
packs, reader stores, exports and merge), copied and opened per test."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "coordination"))

from coordination_fixtures import (  # noqa: E402
    PASSPHRASE,
    coordinated_inspection,
    copy_store,
)

from casereader.store import Store  # noqa: E402


@pytest.fixture(scope="session")
def coordinated(tmp_path_factory):
    """The built inspection (read-only): R1-1, R2-1 and R3-1 merged into its coordinator."""
    return coordinated_inspection(tmp_path_factory.getbasetemp())


@pytest.fixture
def coordinator_path(coordinated, tmp_path) -> Path:
    return copy_store(coordinated.coordinator, tmp_path / "coordinator.casereader")


@pytest.fixture
def coordinator(coordinator_path):
    """An open copy of the coordinator store that a test may write to."""
    with Store.open(coordinator_path, PASSPHRASE) as store:
        yield store
