"""Search ranks a page matching only in its running header or footer below body hits, and
says how many pages match in all ("50 of 213 pages")."""

import hashlib
import shutil

import pytest
from helpers_store import PASSPHRASE

from casereader.domain.running_text import page_bodies, running_keys
from casereader.store import Store, documents
from casereader.store.documents import DocumentIn
from casereader.store.migrations import _index_bodies

FOOTER = "SA-001 | Health | Visit record on the kinship placement Page {n} of 5"
HEADER = "CONFIDENTIAL — kinship care review"


def paged(body_lines: list[str]) -> list[str]:
    return [
        f"{HEADER}\nNotes {n}\n{line}\nSigned.\n{FOOTER.format(n=n)}"
        for n, line in enumerate(body_lines, 1)
    ]


RUNNING = paged([f"Visit {n}: the child was seen at school." for n in range(1, 6)])
BODY = ["The carer asked for respite at the review; " * 30 + "the kinship assessment is due."]


def test_running_lines_are_the_lines_repeated_at_the_edges_of_most_pages():
    keys = running_keys(RUNNING)
    assert HEADER.lower() in keys
    assert "sa-# | health | visit record on the kinship placement page # of #" in keys
    assert "visit #: the child was seen at school." not in keys  # in the body, not an edge
    bodies = page_bodies(RUNNING)
    assert all(b is not None and "kinship" not in b for b in bodies)
    assert "Visit 3: the child was seen at school." in bodies[2]


def test_short_documents_and_documents_without_repeats_have_none():
    assert page_bodies(["A\nB\nC"]) == [None]  # one page: nothing repeats
    assert page_bodies(["A\nB\nC", "A\nD\nE"]) == ["B\nC", "D\nE"]  # both pages say "A"
    assert page_bodies(["One page.", "Two pages.", "Three."]) == [None, None, None]


def add(store, case_ref, title, pages):
    content = "\n\f".join(pages).encode()
    return documents.add_document(
        store,
        DocumentIn(
            case_ref=case_ref, sha256=hashlib.sha256(content).hexdigest(), agency="Health",
            doc_date="2024-01-02", date_source="name", title=title, doc_type="pdf",
            page_count=len(pages), source_path=f"{case_ref}/Health/{title}.pdf",
            content=content, pages=pages,
        ),
    )  # fmt: skip


@pytest.fixture(scope="module")
def store(cases_store_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("running") / "inspection.casereader"
    shutil.copy2(cases_store_file, path)
    opened = Store.open(path, PASSPHRASE)
    add(opened, "SA-001", "Visit record", RUNNING)
    add(opened, "SA-001", "Carer letter", BODY)
    yield opened
    opened.close()


def test_a_body_hit_ranks_above_hits_in_running_lines(store):
    results = documents.find_pages(store, "kinship")
    assert results.total == 6
    first, *rest = results.hits
    # The running lines say "kinship" twice on each of five short pages: by rank alone they
    # come before the one long page that says it once in its body.
    by_rank = [r[0] for r in store.db.execute(
        "SELECT title FROM document_text t JOIN documents d ON d.id = t.document_id"
        " WHERE document_text MATCH 'kinship' ORDER BY rank").fetchall()]  # fmt: skip
    assert by_rank[0] == "Visit record" and by_rank[-1] == "Carer letter"
    assert (first.title, first.running_only) == ("Carer letter", False)
    assert [h.running_only for h in rest] == [True] * 5
    assert {h.title for h in rest} == {"Visit record"}


def test_the_total_counts_every_matching_page_beyond_the_limit(store):
    results = documents.find_pages(store, "kinship", limit=2)
    assert len(results.hits) == 2 and results.total == 6
    assert documents.find_pages(store, "kinship", case_ref="SA-002").total == 0
    assert documents.find_pages(store, "  ").total == 0
    assert documents.search(store, "kinship", limit=2) == results.hits


def test_a_word_in_both_body_and_running_lines_is_a_body_hit(store):
    hits = documents.search(store, "child")
    assert hits and not any(h.running_only for h in hits)


def test_the_migration_indexes_the_bodies_of_pages_already_stored(store):
    store.db.execute("DELETE FROM page_body")
    assert all(h.running_only for h in documents.search(store, "kinship"))  # no body indexed
    _index_bodies(store.db)
    hits = documents.search(store, "kinship")
    assert [h.running_only for h in hits] == [False] + [True] * 5
