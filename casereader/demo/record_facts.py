"""What the demo's answers take from the documents it generated for a case, so that an answer
never contradicts the records: no "Chronology present: No" beside a chronology, no review
saying no IRD is recorded where an IRD minute is in the file."""

from collections.abc import Iterable

from casereader.demo.files import DemoDocument
from casereader.demo.text import chronology_titles

IRD_TITLES = frozenset({"IRD minute", "Police IRD record"})
POLICE_CONCERN = "Concern report (VPD)"
# Stage → the record types whose presence its "present" item asks about.
PRESENT_ITEMS = {
    "chronology": ("chronology.present", chronology_titles()),
    "assessment": ("assessment.present", frozenset({"Assessment of risks and needs"})),
    "planning": ("planning.plan_present", frozenset({"Child's plan"})),
}
# When the record is absent its other yes/no items do not apply, and its grade is weak.
DEPENDENT_ITEMS = {
    "chronology": ("up_to_date", "multi_agency", "informs_assessment"),
    "assessment": ("current", "multi_agency", "cumulative_harm", "child_views"),
    "planning": ("smart", "addresses_risks", "contingency"),
}
ABSENT_GRADE = "2"


class CaseRecords:
    """The kinds of document one case holds (title and agency of each)."""

    def __init__(self, documents: Iterable[DemoDocument]):
        self.kinds = {(d.title, d.agency) for d in documents}
        self.titles = {title for title, _ in self.kinds}

    def has(self, titles: Iterable[str]) -> bool:
        return bool(self.titles & set(titles))

    @property
    def chronology_agencies(self) -> set[str]:
        wanted = chronology_titles()
        return {agency for title, agency in self.kinds if title in wanted}

    @property
    def has_ird(self) -> bool:
        return self.has(IRD_TITLES)

    def present(self, stage_id: str) -> bool:
        return self.has(PRESENT_ITEMS[stage_id][1])


def facts_from_records(records: CaseRecords, item_keys: set[str]) -> dict[str, str]:
    """Answers (by item key) that follow from which documents the case holds."""
    facts: dict[str, str] = {}
    for stage_id, (key, _titles) in PRESENT_ITEMS.items():
        if key not in item_keys:
            continue
        if records.present(stage_id):
            facts[key] = "yes"
            continue
        facts[key] = "no"
        facts[f"{stage_id}.grade"] = ABSENT_GRADE
        facts.update({f"{stage_id}.{item}": "na" for item in DEPENDENT_ITEMS[stage_id]})
    if records.present("chronology") and "chronology.multi_agency" in item_keys:
        facts["chronology.multi_agency"] = "yes" if len(records.chronology_agencies) > 1 else "no"
    if "initial_response.ird_held" in item_keys:
        # no IRD minute: none was needed (the help says: not applicable) unless a review says so
        facts["initial_response.ird_held"] = "yes" if records.has_ird else "na"
    return {k: v for k, v in facts.items() if k in item_keys}


def evidence_source(records: CaseRecords) -> str:
    """Where a note sends the reader: the chronology if there is one."""
    if records.present("chronology"):
        return "the chronology"
    return "the case notes" if records.has({"Case notes"}) else "the case's records"


def review_description(records: CaseRecords) -> str:
    """The demo's management review, in words that agree with the case's documents."""
    who = (
        "The police concern report describes"
        if records.has({POLICE_CONCERN})
        else "The records describe"
    )
    where = (
        "that is not in the chronology"
        if records.present("chronology")
        else "and there is no chronology to show it against"
    )
    ird = (
        "; the IRD minute records no plan to keep the child safe."
        if records.has_ird
        else ", and no IRD is recorded."
    )
    return f"{who} an incident at home last month {where}{ird} The child may be at risk now."
