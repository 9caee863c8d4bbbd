"""Which management reviews a bundle brings that a coordinator store has not seen yet."""

from casereader.store.models import ArrivedReview, FlagEvent
from casereader.store.store import Store


def _known_steps(store: Store, flag_id: str) -> set[tuple[str, str]] | None:
    """(status, at) of the steps held for this review from readers' bundles; None if the
    store does not hold the review at all."""
    if not store.db.execute("SELECT 1 FROM flags WHERE flag_id = ?", [flag_id]).fetchone():
        return None
    rows = store.db.execute(
        "SELECT e.status, e.at FROM flag_events e"
        " JOIN imported_flag_events i ON i.flag_event_id = e.id WHERE e.flag_id = ?",
        [flag_id],
    ).fetchall()
    return {(status, at) for status, at in rows}


def arrived_reviews(store: Store, reader_id: str, flags: list[dict]) -> list[ArrivedReview]:
    """The bundle's reviews that are new here, or carry steps not held yet (read before the
    bundle is written); immediate risk first, then in the order they were raised."""
    arrived = []
    for flag in flags:
        known = _known_steps(store, flag["flag_id"])
        steps = [
            FlagEvent(**event)
            for event in flag["history"]
            if known is None or (event["status"], event["at"]) not in known
        ]
        if known is not None and not steps:
            continue
        arrived.append(
            ArrivedReview(
                flag_id=flag["flag_id"],
                case_ref=flag["case_ref"],
                reader_id=reader_id,
                category=flag["category"],
                status=flag["status"],
                description=flag["description"],
                raised_at=flag["raised_at"],
                new_review=known is None,
                new_steps=steps,
            )
        )
    return sort_arrivals(arrived)


def sort_arrivals(reviews: list[ArrivedReview]) -> list[ArrivedReview]:
    """Immediate risk first, then new reviews before new steps, then by when raised."""
    return sorted(
        reviews, key=lambda r: (not r.immediate_risk, not r.new_review, r.raised_at, r.case_ref)
    )
