import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "coordination"))

from reports_fixtures import PASSPHRASE, build_reader_store  # noqa: E402

from casereader.store import Store  # noqa: E402


@pytest.fixture(scope="session")
def reader_store_file(tmp_path_factory):
    return build_reader_store(tmp_path_factory.mktemp("printing") / "reader.casereader")


@pytest.fixture
def reader_store(reader_store_file, tmp_path):
    path = shutil.copy2(reader_store_file, tmp_path / "reader.casereader")
    with Store.open(path, PASSPHRASE) as store:
        yield store


@pytest.fixture(scope="session")
def coordinated(tmp_path_factory):
    """The coordinator tests' merged inspection (built once per session, shared with them)."""
    from coordination_fixtures import coordinated_inspection

    return coordinated_inspection(tmp_path_factory.getbasetemp())
