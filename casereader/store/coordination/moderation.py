"""Moderation of double reads: the readers' readings side by side and the moderator's decisions.

The rules (which value counts, one per case per item):

- A reader's value is the grade that reader agreed with the paired inspector in the reader's own
  store where there is one, else the reader's own value (``effective_values``).
- A moderated value overrides the readers' values. The readers' own values are never changed.
- Where there is no moderated value and every reader of the case who answered the item gave the
  same value, that value counts: *agreed*, no moderator's step needed.
- Where the readers' values differ and there is no moderated value, the item is *differs* (for
  the analysis: *unresolved*, left out of the item's counts and listed with every value).
- A moderation keeps a snapshot of the readers' values it was made on. When a later bundle
  changes any of them, the item is *changed_since_moderation*: the moderated value still counts,
  and the item is shown again for another look (moderating it again clears the mark).
- An item some reader has not answered yet (and the others agree) is *incomplete*.
- Free-text items are shown side by side but not compared: they are never moderated.

Every decision is written to the audit log (``moderation.recorded``, old → new) in the same
transaction. A case is marked moderated (``cases.moderated_at``) once no compared item of it is
left differing, changed or incomplete.
"""

import json
from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, ConfigDict

from casereader.domain.values import normalise_value
from casereader.errors import StoreError
from casereader.store import cases
from casereader.store.db import now
from casereader.store.models import EvidenceLink
from casereader.store.store import Store

ItemState = Literal["agreed", "differs", "moderated", "changed_since_moderation", "incomplete"]
COMPARED_KINDS = frozenset({"grade", "yes_no", "choice", "multi_choice", "number", "date"})
ACCEPT_EQUAL_RATIONALE = "Readers agreed"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ItemReading(_Model):
    reader_id: str
    label: str  # "Reader A", "Reader B", … in reader-id order
    value: str | None
    agreed_value: str | None
    note: str
    links: list[EvidenceLink]


class ItemComparison(_Model):
    item_key: str
    stage_id: str
    stage_title: str
    label: str
    kind: str
    readings: list[ItemReading]
    effective_values: dict[str, str | None]
    moderated_value: str | None
    rationale: str
    moderator: str | None
    moderated_at: str | None
    state: ItemState
    gap: int | None
    compared: bool = True  # False for free-text items: shown, never compared or moderated

    @property
    def needs_attention(self) -> bool:
        return self.state in ("differs", "changed_since_moderation")


class ModerationCase(_Model):
    case_ref: str
    readers: list[str]
    open_flags: int
    max_gap: int
    differences: int
    items: list[ItemComparison]
    moderated_at: str | None = None

    @property
    def reader_labels(self) -> dict[str, str]:
        return {reader: reader_label(i) for i, reader in enumerate(self.readers)}


def reader_label(index: int) -> str:
    """ "Reader A", "Reader B", … "Reader Z", "Reader AA", …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"Reader {letters}"


class _Work:
    """Readers' answers, links and moderations of some cases, loaded in a few queries."""

    def __init__(self, store: Store, case_ref: str | None = None):
        where, params = ("WHERE case_ref = ?", [case_ref]) if case_ref else ("", [])
        sha = store.template.sha256
        self.answers: dict[str, dict[tuple[str, str], tuple]] = defaultdict(dict)
        for ref, key, reader, value, agreed, note in store.db.execute(
            "SELECT case_ref, item_key, reader_id, value, agreed_value, note FROM answers "
            + (where + " AND" if where else "WHERE")
            + " template_sha256 = ?",
            [*params, sha],
        ).fetchall():
            self.answers[ref][(key, reader)] = (value, agreed, note)
        self.links: dict[tuple[str, str, str], list[EvidenceLink]] = defaultdict(list)
        for row in store.db.query(f"SELECT * FROM evidence_links {where} ORDER BY id", params):
            self.links[(row["case_ref"], row["item_key"], row["reader_id"])].append(
                EvidenceLink(**row)
            )
        self.moderations: dict[str, dict[str, dict]] = defaultdict(dict)
        for row in store.db.query(f"SELECT * FROM moderations {where}", params):
            self.moderations[row["case_ref"]][row["item_key"]] = row
        self.open_flags: dict[str, int] = dict(
            store.db.execute(
                f"SELECT case_ref, count(*) FROM flags {where}"
                + (" AND" if where else " WHERE")
                + " status != 'closed' GROUP BY case_ref",
                params,
            ).fetchall()
        )
        self.moderated_at: dict[str, str | None] = dict(
            store.db.execute(f"SELECT case_ref, moderated_at FROM cases {where}", params).fetchall()
        )


def basis(readers: list[str], answers: dict[tuple[str, str], tuple], item_key: str) -> dict:
    """The readers' values a moderation is made on: reader -> [own value, agreed value]."""
    return {
        reader: list(answers.get((item_key, reader), (None, None, ""))[:2]) for reader in readers
    }


def _gap(kind: str, values: list[str | None]) -> int | None:
    if kind != "grade":
        return None
    grades = [int(v) for v in values if v is not None and v.isdigit()]
    return max(grades) - min(grades) if len(grades) >= 2 else None


def _state(
    compared: bool, effective: dict[str, str | None], moderation: dict | None, now_basis: dict
) -> ItemState:
    if moderation is not None:
        recorded = json.loads(moderation.get("basis") or "{}")
        return "moderated" if recorded == now_basis else "changed_since_moderation"
    given = {v for v in effective.values() if v is not None}
    if compared and len(given) > 1:
        return "differs"
    if any(v is None for v in effective.values()):
        return "incomplete"
    return "agreed"


def _compare(store: Store, work: _Work, case_ref: str, readers: list[str]) -> ModerationCase:
    answers = work.answers.get(case_ref, {})
    moderations = work.moderations.get(case_ref, {})
    items = []
    for stage, item in store.template.items():
        key = item.key
        compared = item.kind in COMPARED_KINDS
        readings = []
        effective: dict[str, str | None] = {}
        for index, reader in enumerate(readers):
            value, agreed, note = answers.get((key, reader), (None, None, ""))
            readings.append(
                ItemReading(
                    reader_id=reader,
                    label=reader_label(index),
                    value=value,
                    agreed_value=agreed,
                    note=note,
                    links=work.links.get((case_ref, key, reader), []),
                )
            )
            effective[reader] = agreed if agreed is not None else value
        moderation = moderations.get(key) if compared else None
        items.append(
            ItemComparison(
                item_key=key,
                stage_id=stage.id,
                stage_title=stage.title,
                label=item.label,
                kind=item.kind,
                readings=readings,
                effective_values=effective,
                moderated_value=moderation["agreed_value"] if moderation else None,
                rationale=moderation["rationale"] if moderation else "",
                moderator=moderation["moderator"] if moderation else None,
                moderated_at=moderation["at"] if moderation else None,
                state=_state(compared, effective, moderation, basis(readers, answers, key)),
                gap=_gap(item.kind, [r.value for r in readings]),
                compared=compared,
            )
        )
    return ModerationCase(
        case_ref=case_ref,
        readers=readers,
        open_flags=work.open_flags.get(case_ref, 0),
        max_gap=max((i.gap or 0 for i in items), default=0),
        differences=sum(i.needs_attention for i in items),
        items=items,
        moderated_at=work.moderated_at.get(case_ref),
    )


def _settled(case: ModerationCase) -> bool:
    """No compared item is left differing, changed under its moderation, or unanswered."""
    return not any(
        i.compared and i.state in ("differs", "changed_since_moderation", "incomplete")
        for i in case.items
    )


def _queue_key(case: ModerationCase) -> tuple:
    done = case.moderated_at is not None and _settled(case)
    return (case.open_flags == 0, done, -case.max_gap, case.case_ref)


def moderation_queue(store: Store) -> list[ModerationCase]:
    """Every double-read case: open management reviews first, then the largest grade gap.

    Cases already moderated with nothing left to look at come after the others.
    """
    from casereader.store.coordination.overview import case_readers

    work = _Work(store)
    queue = [
        _compare(store, work, ref, readers)
        for ref, readers in case_readers(store).items()
        if len(readers) >= 2
    ]
    return sorted(queue, key=_queue_key)


def case_comparison(store: Store, case_ref: str) -> ModerationCase:
    """One case's readings side by side (any case; a single read has one reader)."""
    from casereader.store.coordination.overview import case_readers

    cases.require_case(store, case_ref)
    readers = case_readers(store).get(case_ref, [])
    return _compare(store, _Work(store, case_ref), case_ref, readers)


def unsettled_cases(store: Store) -> set[str]:
    """Cases marked moderated where some item now differs, changed or is unanswered."""
    refs = [
        r[0]
        for r in store.db.execute(
            "SELECT case_ref FROM cases WHERE moderated_at IS NOT NULL"
        ).fetchall()
    ]
    if not refs:
        return set()
    from casereader.store.coordination.overview import case_readers

    readers = case_readers(store)
    work = _Work(store)
    return {ref for ref in refs if not _settled(_compare(store, work, ref, readers.get(ref, [])))}


def _record(
    store: Store, case: ModerationCase, item: ItemComparison, value: str, rationale: str, who: str
) -> None:
    answers = {
        (item.item_key, r.reader_id): (r.value, r.agreed_value, r.note) for r in item.readings
    }
    snapshot = basis(case.readers, answers, item.item_key)
    stamp = now()
    store.db.execute(
        "INSERT INTO moderations (case_ref, item_key, agreed_value, rationale, moderator, at,"
        " basis) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(case_ref, item_key) DO UPDATE SET"
        " agreed_value = excluded.agreed_value, rationale = excluded.rationale,"
        " moderator = excluded.moderator, at = excluded.at, basis = excluded.basis",
        [case.case_ref, item.item_key, value, rationale, who, stamp, json.dumps(snapshot)],
    )
    store.audit(
        "moderation.recorded",
        case_ref=case.case_ref,
        target=item.item_key,
        old=item.moderated_value,
        new=value,
        detail={"rationale": rationale, "readers": snapshot},
        actor=who,
    )


def _mark_if_settled(store: Store, case_ref: str, who: str) -> None:
    case = _compare(store, _Work(store, case_ref), case_ref, _readers_of(store, case_ref))
    if _settled(case) and case.moderated_at is None:
        store.db.execute("UPDATE cases SET moderated_at = ? WHERE case_ref = ?", [now(), case_ref])
        store.audit("case.moderated", case_ref=case_ref, actor=who)


def _readers_of(store: Store, case_ref: str) -> list[str]:
    from casereader.store.coordination.overview import case_readers

    return case_readers(store).get(case_ref, [])


def _double_read(store: Store, case_ref: str) -> ModerationCase:
    case = case_comparison(store, case_ref)
    if len(case.readers) < 2:
        raise StoreError(
            f"{case_ref} has {len(case.readers)} reader(s); only a double-read case is moderated "
            "(`moderation` lists them)."
        )
    return case


def moderate(
    store: Store,
    case_ref: str,
    item_key: str,
    value: str,
    rationale: str,
    moderator: str | None = None,
) -> ItemComparison:
    """Record the moderated value of one item of a double-read case, with its rationale."""
    template_item = store.template.item(item_key)
    if template_item.kind not in COMPARED_KINDS:
        raise StoreError(f"{item_key} is a free-text item; free text is not moderated.")
    if not (rationale or "").strip():
        raise StoreError("Give the rationale for the moderated value (--rationale TEXT).")
    if value is None or not str(value).strip():
        raise StoreError(f"Give the moderated value of {item_key}.")
    normalised = normalise_value(template_item, str(value))
    who = (moderator or "").strip() or store.reader_id
    case = _double_read(store, case_ref)
    item = next(i for i in case.items if i.item_key == item_key)
    with store.db.atomic():
        _record(store, case, item, normalised, rationale.strip(), who)
        _mark_if_settled(store, case_ref, who)
    return next(i for i in case_comparison(store, case_ref).items if i.item_key == item_key)


def accept_equal(store: Store, case_ref: str, moderator: str | None = None) -> int:
    """Record every item all readers answered alike as moderated, in one step; returns how many."""
    who = (moderator or "").strip() or store.reader_id
    case = _double_read(store, case_ref)
    equal = [i for i in case.items if i.compared and i.state == "agreed"]
    with store.db.atomic():
        for item in equal:
            value = next(iter(item.effective_values.values()))
            _record(store, case, item, value, ACCEPT_EQUAL_RATIONALE, who)
        _mark_if_settled(store, case_ref, who)
    return len(equal)
