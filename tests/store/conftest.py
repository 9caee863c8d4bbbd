import shutil

import pytest
from helpers_store import add_cases, create_store


@pytest.fixture(scope="session")
def blank_store_file(tmp_path_factory):
    """A closed, freshly created store with no cases (copy it, never change it)."""
    path = tmp_path_factory.mktemp("blank") / "blank.casereader"
    create_store(path).close()
    return path


@pytest.fixture(scope="session")
def cases_store_file(tmp_path_factory):
    """A closed store holding SA-001…SA-010 (core) and SA-011…SA-014 (reserve) for R1."""
    path = tmp_path_factory.mktemp("cases") / "cases.casereader"
    with create_store(path) as store:
        add_cases(store)
    return path


@pytest.fixture
def blank_copy(blank_store_file, tmp_path):
    """A private copy of the blank store, in its own folder."""
    folder = tmp_path / "stores"
    folder.mkdir()
    return shutil.copy2(blank_store_file, folder / "inspection.casereader")


@pytest.fixture
def cases_copy(cases_store_file, tmp_path):
    """A private copy of the store with cases, in its own folder."""
    folder = tmp_path / "stores"
    folder.mkdir()
    return shutil.copy2(cases_store_file, folder / "inspection.casereader")
