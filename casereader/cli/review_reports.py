"""What the command line says about management reviews on their way to the lead inspector.

- `status` on a reader store: the reviews whose latest step is in no exported bundle yet;
- `export`: the reviews the bundle carries, and which of them it sends for the first time;
- `merge` (coordinator): the reviews that arrived, listed first, immediate risk in red when
  standard output is a terminal and NO_COLOR is not set (https://no-color.org).
"""

import os
import sys

from casereader.bundle.merge import BundleOutcome, arrived_review_json, arrived_reviews
from casereader.cli.common import out
from casereader.cli.common import plain as strip_controls
from casereader.domain.wording import plural
from casereader.store import review_sent
from casereader.store.models import (
    FLAG_CATEGORY_LABELS,
    FLAG_STATUS_LABELS,
    ArrivedReview,
    CarriedReview,
)
from casereader.store.store import Store

RED, RESET = "\033[1;31m", "\033[0m"


def plain(text: str) -> str:
    """Text from a bundle, safe to print: control characters dropped, lines joined."""
    return strip_controls(text.replace("\n", " ").replace("\r", " ").replace("\t", " "))


def colour_wanted(stream=None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (to anything)."""
    stream = sys.stdout if stream is None else stream
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def _red(text: str, colour: bool) -> str:
    """Each line in red (a pager or a log keeps the colour of every line on its own).

    The text's own control characters are stripped first: only the colour codes added here
    reach the terminal."""
    text = strip_controls(text, lines=True)
    if not colour:
        return text
    return "\n".join(f"{RED}{line}{RESET}" for line in text.split("\n"))


def _steps(status: str, raised_at: str) -> str:
    """'raised 2026-12-05 14:02 UTC', with ', now referred to the partnership' once it moved."""
    text = f"raised {when(raised_at)}"
    return text if status == "raised" else f"{text}, now {FLAG_STATUS_LABELS[status].lower()}"


def when(stamp: str) -> str:
    """'2026-12-05 14:02 UTC' for a stored UTC timestamp."""
    return f"{stamp[:10]} {stamp[11:16]} UTC" if len(stamp) >= 16 else stamp


# status -------------------------------------------------------------------------------------


def carried_json(review: CarriedReview) -> dict:
    return {
        "flag_id": review.flag_id,
        "case_ref": review.case_ref,
        "category": review.category,
        "category_label": FLAG_CATEGORY_LABELS[review.category],
        "immediate_risk": review.immediate_risk,
        "status": review.status,
        "raised_at": review.raised_at,
        "last_step_at": review.last_step_at,
        "last_sent_bundle": review.sent_sequence,
    }


def unsent_json(store: Store) -> list[dict]:
    """`status --json`'s "unsent_reviews" of a reader store (immediate risk first)."""
    return [carried_json(r) for r in review_sent.unsent_reviews(store)]


def print_unsent(unsent: list[dict], colour: bool | None = None) -> None:
    """The reader store's reviews not yet sent, after `status`'s summary."""
    colour = colour_wanted() if colour is None else colour
    if not unsent:
        out("Every management review has been sent to the lead inspector.")
        return
    count = len(unsent)
    out(
        f"{plural(count, 'management review')} not yet sent to the lead "
        "inspector (export a bundle and give it to them today):"
    )
    for r in unsent:
        sent = (
            f"bundle {r['last_sent_bundle']} carried an earlier step"
            if r["last_sent_bundle"]
            else "never sent"
        )
        line = (
            f"  {r['case_ref']:<10} {r['category_label']} — "
            f"{_steps(r['status'], r['raised_at'])}; {sent}"
        )
        print(_red(line, colour and r["immediate_risk"]))


# export -------------------------------------------------------------------------------------


def export_reviews_json(reviews: tuple[CarriedReview, ...]) -> list[dict]:
    return [{**carried_json(r), "first_sent_now": not r.sent} for r in reviews]


def print_export_reviews(reviews: tuple[CarriedReview, ...]) -> None:
    """The reviews a bundle carries; those whose latest step it sends for the first time."""
    if not reviews:
        out("It carries no management reviews.")
        return
    fresh = [r for r in reviews if not r.sent]
    out(
        f"It carries {plural(len(reviews), 'management review')}"
        + (f", {len(fresh)} with a step sent for the first time:" if fresh else ":")
    )
    for r in reviews:
        news = "  (new in this bundle)" if not r.sent else ""
        out(
            f"  {r.case_ref:<10} {FLAG_CATEGORY_LABELS[r.category]} — "
            f"{_steps(r.status, r.raised_at)}{news}"
        )


# merge --------------------------------------------------------------------------------------


def merge_reviews_json(outcomes: list[BundleOutcome]) -> list[dict]:
    """`merge --json`'s "arrived_reviews", listed first: immediate risk first."""
    return [arrived_review_json(review, file) for review, file in arrived_reviews(outcomes)]


def _arrival_line(review: ArrivedReview) -> str:
    what = (
        "new review"
        if review.new_review
        else "new step: "
        + ", ".join(FLAG_STATUS_LABELS[s.status].lower() for s in review.new_steps)
    )
    label = "IMMEDIATE RISK" if review.immediate_risk else FLAG_CATEGORY_LABELS[review.category]
    return (
        f"  {label}: {plain(review.case_ref)}, reader {plain(review.reader_id)}, raised "
        f"{when(review.raised_at)} — {what}; now {FLAG_STATUS_LABELS[review.status].lower()}"
        f"\n      {plain(review.description)[:160]}"
    )


def print_merge_reviews(outcomes: list[BundleOutcome], colour: bool | None = None) -> None:
    """The newly arrived management reviews, before the per-bundle lines."""
    colour = colour_wanted() if colour is None else colour
    arrived = arrived_reviews(outcomes)
    if not arrived:
        return
    risk = sum(r.immediate_risk for r, _ in arrived)
    heading = f"Management reviews arrived: {len(arrived)}"
    if risk:
        heading += f", {risk} of immediate risk to a child — tell the inspection lead now"
    print(_red(heading, colour and bool(risk)))
    for review, _file in arrived:
        print(_red(_arrival_line(review), colour and review.immediate_risk))
    out()
