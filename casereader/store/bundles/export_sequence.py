"""A reader store's bundle exports: the sequence number each takes, and their audit entry."""

from casereader.store.db import now
from casereader.store.store import Store

SEQUENCE_SETTING = "bundle_sequence"
LAST_EXPORT_SETTING = "last_export_at"


def last_export_sequence(store: Store) -> int:
    """The sequence number of the reader's latest export (0 before the first)."""
    return int(store.setting(SEQUENCE_SETTING, "0") or 0)


def reserve_export_sequence(store: Store) -> int:
    """Take the next export sequence number for good (a failed export leaves a harmless gap)."""
    with store.db.atomic():
        sequence = last_export_sequence(store) + 1
        store.set_setting(SEQUENCE_SETTING, str(sequence))
    return sequence


def record_export(
    store: Store, sequence: int, file_name: str, file_sha256: str, recipients: list[str]
) -> None:
    """Audit a written bundle and remember when the last export was made."""
    with store.db.atomic():
        store.set_setting(LAST_EXPORT_SETTING, now())
        store.audit(
            "bundle.exported",
            target=file_name,
            new=str(sequence),
            detail={"sha256": file_sha256, "recipients": recipients},
        )
