"""Fixtures of the coordinator tests: ``coordinated`` (the built inspection, read-only) and
``coordinator`` (an open copy of its coordinator store, R1-1, R2-1 and R3-1 merged)."""

import pytest
from coordination_fixtures import PASSPHRASE, coordinated_inspection, copy_store

from casereader.store import Store


@pytest.fixture(scope="session")
def coordinated(tmp_path_factory):
    return coordinated_inspection(tmp_path_factory.getbasetemp())


@pytest.fixture
def coordinator(coordinated, tmp_path):
    path = copy_store(coordinated.coordinator, tmp_path / "coordinator.casereader")
    with Store.open(path, PASSPHRASE) as store:
        yield store
