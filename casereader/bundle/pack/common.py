"""What the pack writer and opener share: size limits, the progress callback, temporary names."""

import secrets
from collections.abc import Callable
from pathlib import Path

from casereader.bundle import archive
from casereader.domain.progress import Progress

MAX_PACK_JSON_BYTES = 64 * 1024 * 1024
MAX_TEMPLATE_BYTES = 4 * 1024 * 1024
PACK_LIMITS = archive.Limits(
    max_members=200_002,
    max_member_bytes=512 * 1024 * 1024,
    max_total_bytes=256 * 1024 * 1024 * 1024,
)
ASK_AGAIN = "ask the coordinator for a fresh copy of the pack"

ProgressCallback = Callable[[Progress], None]


def temp_beside(path: Path, suffix: str) -> Path:
    """A hidden name beside `path` to work under until the result is renamed into place."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}{suffix}")
