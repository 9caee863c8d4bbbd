"""The analysis tables, read straight from the analysis JSON (`analyse(store).to_json()`).

Nothing is computed here: every number shown is one the JSON holds, in the JSON's words.
"""

from casereader.ui.coordinator.table import Column, RowsModel

GRADES = ("6", "5", "4", "3", "2", "1")
PROPORTIONS = (
    ("good_or_better", "Good or better (4–6)"),
    ("adequate_or_better", "Adequate or better (3–6)"),
    ("weak_or_unsatisfactory", "Weak or unsatisfactory (1–2)"),
)
BREAKDOWN_LABELS = {
    "group": "Sample group",
    "follow_up": "Follow-up",
    "legal_status": "Legal status",
    "age_band": "Age band",
    "reader": "Reader",
}


def percent_text(value) -> str:
    """A percentage from the JSON (one decimal) or "—" for null."""
    return "—" if value is None else f"{value:.1f}%"


def proportion_text(p: dict | None) -> str:
    """ "62.5% majority (5/8)": the JSON's percent, quantifier phrase, k and n."""
    if not p:
        return ""
    phrase = p.get("phrase") or ""
    return f"{percent_text(p.get('percent'))} {phrase} ({p.get('k', 0)}/{p.get('n', 0)})".replace(
        "  ", " "
    )


def proportion_sort(p: dict | None) -> float:
    return -1.0 if not p or p.get("percent") is None else float(p["percent"])


def _count(grade: str):
    return Column(
        grade,
        lambda r: str(r["counts"].get(grade, 0)),
        sort=lambda r: r["counts"].get(grade, 0),
        numeric=True,
        tip=f"Cases graded {grade}",
    )


def _proportion(key: str, title: str):
    return Column(
        title, lambda r: proportion_text(r.get(key)), sort=lambda r: proportion_sort(r.get(key))
    )


ITEM_COLUMNS = (
    Column("Stage", lambda r: r.get("stage_title") or r["stage"]),
    Column("Item", lambda r: r["label"]),
    *(_count(g) for g in GRADES),
    Column(
        "N/A",
        lambda r: str(r["counts"].get("na", 0)),
        sort=lambda r: r["counts"].get("na", 0),
        numeric=True,
        tip="Not applicable",
    ),
    Column(
        "Unable",
        lambda r: str(r["counts"].get("unable", 0)),
        sort=lambda r: r["counts"].get("unable", 0),
        numeric=True,
        tip="Unable to evaluate",
    ),
    Column(
        "n",
        lambda r: str(r["n"]),
        sort=lambda r: r["n"],
        numeric=True,
        tip="Graded answers counted (1–6)",
    ),
    *(_proportion(k, t) for k, t in PROPORTIONS),
)


class GradedItemsModel(RowsModel):
    """Per graded item: counts 6…1, N/A, unable, n and the three proportions."""

    columns = ITEM_COLUMNS


class YesNoModel(RowsModel):
    """Per yes/no item: n and % yes."""

    columns = (
        Column("Stage", lambda r: r.get("stage_title") or r["stage"]),
        Column("Item", lambda r: r["label"]),
        Column("n", lambda r: str(r["n"]), sort=lambda r: r["n"], numeric=True),
        Column(
            "Yes",
            lambda r: proportion_text(r.get("yes")),
            sort=lambda r: proportion_sort(r.get("yes")),
        ),
    )


def agreement_rows(data: dict) -> list[dict]:
    """Overall first, then each stage (titled from the items' stage titles)."""
    agreement = data.get("agreement") or {}
    titles = {r["stage"]: r.get("stage_title") or r["stage"] for r in data.get("items", [])}
    rows = []
    if agreement.get("overall") is not None:
        rows.append({"scope": "Overall", **agreement["overall"]})
    for stage, values in (agreement.get("by_stage") or {}).items():
        rows.append({"scope": titles.get(stage, stage), **values})
    return rows


def _kappa(row: dict) -> str:
    kappa = row.get("kappa_quadratic")
    return "—" if kappa is None else f"{kappa:.2f}"


class AgreementModel(RowsModel):
    """Agreement between readers of double-read cases: overall and per stage."""

    columns = (
        Column("Scope", lambda r: r["scope"]),
        Column(
            "Pairs",
            lambda r: str(r.get("pairs", 0)),
            sort=lambda r: r.get("pairs", 0),
            numeric=True,
            tip="Pairs of readers' own grades 1–6 of one item of one case",
        ),
        Column(
            "Exact agreement",
            lambda r: percent_text(r.get("exact_percent")),
            sort=lambda r: r.get("exact_percent") or -1,
            numeric=True,
        ),
        Column(
            "Within one point",
            lambda r: percent_text(r.get("within_one_percent")),
            sort=lambda r: r.get("within_one_percent") or -1,
            numeric=True,
        ),
        Column(
            "Kappa (quadratic)",
            _kappa,
            sort=lambda r: r.get("kappa_quadratic") or -2,
            numeric=True,
            tip="Quadratic-weighted Cohen's kappa",
        ),
        Column(
            "Left out (N/A, unable)",
            lambda r: str(r.get("excluded_pairs", 0)),
            sort=lambda r: r.get("excluded_pairs", 0),
            numeric=True,
        ),
        Column("Note", lambda r: r.get("kappa_note") or ""),
    )


def values_text(values: dict) -> str:
    return "; ".join(
        f"{reader}: {value if value is not None else '—'}" for reader, value in values.items()
    )


class UnresolvedModel(RowsModel):
    """Disagreements with no moderated value: left out of the counts, listed here."""

    columns = (
        Column("Case", lambda r: r["case_ref"]),
        Column("Stage", lambda r: r["stage"]),
        Column("Item", lambda r: r["item"]),
        Column("Readers' values", lambda r: values_text(r.get("values") or {})),
    )


def breakdown_rows(data: dict, dimension: str) -> list[dict]:
    """One row per value of the dimension and graded item, with the item's label."""
    labels = {(r["stage"], r["item"]): r["label"] for r in data.get("items", [])}
    rows = []
    for value, group in (data.get("breakdowns") or {}).get(dimension, {}).items():
        for item in group.get("items", []):
            rows.append(
                {
                    "value": value,
                    "cases": group.get("cases", 0),
                    "label": labels.get((item["stage"], item["item"]), item["item"]),
                    **item,
                }
            )
    return rows


class BreakdownModel(RowsModel):
    """The graded items' proportions for each value of one breakdown."""

    columns = (
        Column("Value", lambda r: r["value"]),
        Column("Cases", lambda r: str(r["cases"]), sort=lambda r: r["cases"], numeric=True),
        Column("Stage", lambda r: r["stage"]),
        Column("Item", lambda r: r["label"]),
        Column("n", lambda r: str(r.get("n", 0)), sort=lambda r: r.get("n", 0), numeric=True),
        *(_proportion(k, t) for k, t in PROPORTIONS),
    )


class FollowUpModel(RowsModel):
    columns = (
        Column("Case", lambda r: r["case_ref"]),
        Column("Readers", lambda r: ", ".join(r.get("readers") or [])),
        Column("Overall status", lambda r: str(r.get("overall_status", "")).replace("_", " ")),
    )


class GoodPracticeModel(RowsModel):
    columns = (
        Column("Case", lambda r: r["case_ref"]),
        Column("Reader", lambda r: r["reader_id"]),
        Column("Item", lambda r: r["item"]),
        Column("Note", lambda r: " ".join(str(r.get("note", "")).split())),
    )
