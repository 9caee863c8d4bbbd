"""The importer tests' file builders, for the store tests."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "ingest"))

from helpers_ingest import minimal_pdf  # noqa: E402

__all__ = ["minimal_pdf"]
