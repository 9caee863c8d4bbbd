"""Which management reviews have reached the lead inspector: what each export carried.

Every export of a reader store records, per management review, the review's latest step at the
moment the bundle was made (`review_exports`). A review whose latest step is newer than anything
an export carried has *not yet been sent*: the app and `status` say so until the next export.
"""

from casereader.store.db import now
from casereader.store.models import FLAG_CATEGORY_LABELS, CarriedReview
from casereader.store.store import Store

_LATEST = """
SELECT f.flag_id, f.case_ref, f.reader_id, f.category, f.status, f.raised_at,
       (SELECT max(e.id) FROM flag_events e WHERE e.flag_id = f.flag_id) AS last_event_id,
       (SELECT e.at FROM flag_events e WHERE e.flag_id = f.flag_id ORDER BY e.id DESC LIMIT 1)
           AS last_step_at,
       (SELECT max(x.last_event_id) FROM review_exports x WHERE x.flag_id = f.flag_id)
           AS sent_event_id,
       (SELECT max(x.sequence) FROM review_exports x WHERE x.flag_id = f.flag_id)
           AS sent_sequence
FROM flags f WHERE f.reader_id = ?
ORDER BY f.category != 'immediate_risk', f.raised_at, f.flag_id
"""


def _reviews(store: Store) -> list[CarriedReview]:
    return [
        CarriedReview(
            flag_id=row["flag_id"],
            case_ref=row["case_ref"],
            reader_id=row["reader_id"],
            category=row["category"],
            status=row["status"],
            raised_at=row["raised_at"],
            last_event_id=row["last_event_id"] or 0,
            last_step_at=row["last_step_at"] or row["raised_at"],
            sent=(row["sent_event_id"] or 0) >= (row["last_event_id"] or 0),
            sent_sequence=row["sent_sequence"],
        )
        for row in store.db.query(_LATEST, [store.reader_id])
    ]


def review_snapshot(store: Store) -> list[CarriedReview]:
    """Every one of the reader's reviews as an export made now carries it (immediate risk
    first), each saying whether that step had already gone out in an earlier export."""
    return _reviews(store)


def unsent_reviews(store: Store) -> list[CarriedReview]:
    """The reader's reviews whose latest step is in no exported bundle (immediate risk first).

    Only a reader store sends reviews; a coordinator store has none to send.
    """
    if store.role != "reader":
        return []
    return [review for review in _reviews(store) if not review.sent]


def unsent_by_case(store: Store) -> dict[str, int]:
    """case_ref -> how many of its reviews are not yet sent (cases with none left out)."""
    counts: dict[str, int] = {}
    for review in unsent_reviews(store):
        counts[review.case_ref] = counts.get(review.case_ref, 0) + 1
    return counts


def record_reviews_sent(
    store: Store, sequence: int, file_name: str, reviews: list[CarriedReview]
) -> None:
    """Remember that the bundle `sequence` (written as `file_name`) carried these steps."""
    stamp = now()
    with store.db.atomic():
        store.db.conn.executemany(
            "INSERT OR REPLACE INTO review_exports (flag_id, sequence, last_event_id, status,"
            " file_name, exported_at) VALUES (?, ?, ?, ?, ?, ?)",
            [(r.flag_id, sequence, r.last_event_id, r.status, file_name, stamp) for r in reviews],
        )


def review_line(review: CarriedReview) -> str:
    """'SA-002 Immediate risk to a child — raised 2026-12-05 (latest step: referred)'."""
    category = FLAG_CATEGORY_LABELS[review.category]
    step = review.status.replace("_", " ")
    return f"{review.case_ref} {category} — raised {review.raised_at[:10]}, now {step}"
