"""Drafts, reading places and read marks kept in the store."""

import pytest
from helpers_store import add_cases, create_store

from casereader.errors import StoreError
from casereader.store import documents, drafts, places
from casereader.store.documents import DocumentIn


@pytest.fixture
def store(tmp_path):
    s = create_store(tmp_path / "s.casereader")
    add_cases(s)
    yield s
    s.close()


def test_a_draft_is_kept_replaced_and_discarded(store):
    ref = store.db.execute("SELECT case_ref FROM cases LIMIT 1").fetchone()[0]
    drafts.save_draft(store, ref, "review", "", {"category": "other", "description": "Typed"})
    drafts.save_draft(store, ref, "review", "", {"category": "other", "description": "Typed more"})
    assert drafts.get_draft(store, ref, "review") == {
        "category": "other",
        "description": "Typed more",
    }
    assert drafts.drafts_of_case(store, ref) == [("review", "")]
    drafts.save_draft(store, ref, "review", "", {"category": "", "description": "  "})
    assert drafts.get_draft(store, ref, "review") is None


def test_a_draft_for_an_unknown_case_is_refused(store):
    with pytest.raises(StoreError):
        drafts.save_draft(store, "NOPE", "review", "", {"description": "x"})


def test_the_last_place_and_read_marks(store, tmp_path):
    refs = [r[0] for r in store.db.execute("SELECT case_ref FROM cases ORDER BY case_ref")]
    assert places.last_place(store) is None
    places.remember_place(store, refs[0], None, 1)
    places.remember_place(store, refs[1], None, 4)
    places.remember_place(store, refs[0], None, 7)
    last = places.last_place(store)
    assert (last.case_ref, last.page) == (refs[0], 7)
    assert places.place_of(store, refs[1]).page == 4
    doc_id = documents.add_document(
        store,
        DocumentIn(
            case_ref=refs[0], sha256="0" * 64, agency="Health", doc_date="2024-01-02",
            date_source="name", title="Note", doc_type="txt", page_count=None,
            source_path="x/Health/2024-01-02 Note.txt", content=b"hello", pages=["hello"],
        ),
    )  # fmt: skip
    assert places.read_documents(store, refs[0]) == set()
    places.mark_read(store, doc_id)
    places.mark_read(store, doc_id)
    assert places.read_documents(store, refs[0]) == {doc_id}
    assert places.read_documents(store, refs[1]) == set()
