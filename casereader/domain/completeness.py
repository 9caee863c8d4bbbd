"""What a case still needs before it can be marked complete (SPEC §5).

A required item needs an answer; any answered item whose value is in its note_required_for
needs an evidence note. Stage progress counts exactly those requirements, so a stage shows
done == total exactly when nothing in it is missing. An optional item adds to the total only
once its answer needs a note.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from casereader.domain.template import Item, Stage, Template
from casereader.domain.values import note_required

Answers = Mapping[str, tuple[str | None, str]]


@dataclass(frozen=True)
class Missing:
    item_key: str
    stage_title: str
    item_label: str
    what: str  # "answer" | "evidence note"
    item_kind: str = ""


def _answer(answers: Answers, key: str) -> tuple[str | None, str]:
    value, note = answers.get(key, (None, ""))
    return (value or None), (note or "")


def _missing_in(stage: Stage, item: Item, answers: Answers) -> Missing | None:
    value, note = _answer(answers, item.key)
    if value is None:
        if not item.required:
            return None
        return Missing(item.key, stage.title, item.label, "answer", item.kind)
    if note_required(item, value) and not note.strip():
        return Missing(item.key, stage.title, item.label, "evidence note", item.kind)
    return None


def missing_for_completion(t: Template, answers: Answers) -> list[Missing]:
    """Every unanswered required item and unwritten required note, in template order."""
    found = (_missing_in(stage, item, answers) for stage, item in t.items())
    return [m for m in found if m is not None]


def _counts(item: Item, answers: Answers) -> bool:
    value, _ = _answer(answers, item.key)
    return item.required or note_required(item, value)


def stage_progress(t: Template, answers: Answers) -> dict[str, tuple[int, int]]:
    """For each stage id, (requirements met, requirements) in template order."""
    progress: dict[str, tuple[int, int]] = {}
    for stage in t.stages:
        counted = [item for item in stage.items if _counts(item, answers)]
        done = sum(1 for item in counted if _missing_in(stage, item, answers) is None)
        progress[stage.id] = (done, len(counted))
    return progress


def case_progress(t: Template, answers: Answers) -> tuple[int, int]:
    """(requirements met, requirements) over the whole template."""
    stages = stage_progress(t, answers).values()
    return sum(done for done, _ in stages), sum(total for _, total in stages)


def gap_text(gap: Missing) -> str:
    """One gap without its stage, e.g. "“Quality of chronology” — grade not given"."""
    if gap.what != "answer":
        needed = "evidence note not written"
    elif gap.item_kind == "grade":
        needed = "grade not given"
    else:
        needed = "not answered"
    return f"“{gap.item_label}” — {needed}"


def describe_missing(missing: list[Missing]) -> str:
    """One line per gap, e.g. "Assessment: “Quality of assessment” — grade not given"."""
    if not missing:
        return "Nothing is missing."
    return "\n".join(f"{m.stage_title}: {gap_text(m)}" for m in missing)
