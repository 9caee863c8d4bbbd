"""What happened to each bundle file in a merge, and the management reviews the bundles brought
(listed first in the merge report, immediate risk at the top)."""

from dataclasses import dataclass, field
from typing import Literal

from casereader.store import bundles as store_bundles
from casereader.store.models import FLAG_CATEGORY_LABELS, ArrivedReview

Outcome = Literal["imported", "unchanged", "refused"]


@dataclass(frozen=True)
class BundleOutcome:
    """What happened to one bundle file in a merge."""

    file: str
    outcome: Outcome
    message: str
    reader_id: str | None = None
    sequence: int | None = None
    replaced_sequence: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    fingerprint: str | None = None  # of the key that signed the bundle
    reviews: tuple[ArrivedReview, ...] = ()  # management reviews new here, or with new steps

    @property
    def ok(self) -> bool:
        return self.outcome != "refused"

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "outcome": self.outcome,
            "message": self.message,
            "reader_id": self.reader_id,
            "sequence": self.sequence,
            "replaced_sequence": self.replaced_sequence,
            "counts": self.counts,
            "fingerprint": self.fingerprint,
            "arrived_reviews": [arrived_review_json(r, self.file) for r in self.reviews],
        }


def arrived_review_json(review: ArrivedReview, file: str) -> dict:
    """A newly arrived management review as `merge --json` lists it."""
    return {
        "flag_id": review.flag_id,
        "case_ref": review.case_ref,
        "reader_id": review.reader_id,
        "category": review.category,
        "category_label": FLAG_CATEGORY_LABELS[review.category],
        "immediate_risk": review.immediate_risk,
        "status": review.status,
        "raised_at": review.raised_at,
        "description": review.description,
        "new_review": review.new_review,
        "new_steps": [step.model_dump() for step in review.new_steps],
        "bundle": file,
    }


def arrived_reviews(outcomes: list["BundleOutcome"]) -> list[tuple[ArrivedReview, str]]:
    """Every review the merged bundles brought, once each, with the (last) bundle file that
    brought it: immediate risk first. Two bundles of one reader merged together give one
    entry with the steps of both."""
    found: dict[str, tuple[ArrivedReview, str]] = {}
    for outcome in outcomes:
        for review in outcome.reviews:
            if review.flag_id in found:
                earlier = found[review.flag_id][0]
                review = review.model_copy(
                    update={
                        "new_review": earlier.new_review,
                        "new_steps": [*earlier.new_steps, *review.new_steps],
                    }
                )
            found[review.flag_id] = (review, outcome.file)
    ordered = store_bundles.sort_arrivals([r for r, _ in found.values()])
    return [found[r.flag_id] for r in ordered]
