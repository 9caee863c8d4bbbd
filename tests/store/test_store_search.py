"""Full-text search: phrases, prefixes, one case only, marked snippets, and no query ever raises."""

import hashlib
import shutil

import pytest
from helpers_store import PASSPHRASE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casereader.store import Store, documents
from casereader.store.documents import HIT_END, HIT_START, DocumentIn

PAGES = {
    ("SA-001", "Child's plan", "pdf", "2024-03-14"): [
        "The child's plan was reviewed at the core group. The kinship carer attended.",
        "Contingency: if mother relapses, the grandmother will care for the child.",
    ],
    ("SA-001", "Health visitor notes", "txt", None): [
        "Health visitor saw the baby at home; weight gain noted. The café visit was missed.",
    ],
    ("SA-002", "Core group minute", "txt", "2024-05-01"): [
        "Kinship arrangements discussed; plan for the child agreed near the school. "
        "Re-referral (e-mail) sent: see C++ notes *urgent* NEAR term.",
    ],
}


@pytest.fixture(scope="module")
def store(cases_store_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "inspection.casereader"
    shutil.copy2(cases_store_file, path)
    opened = Store.open(path, PASSPHRASE)
    for (case_ref, title, doc_type, day), pages in PAGES.items():
        content = "\n\f".join(pages).encode()
        documents.add_document(
            opened,
            DocumentIn(
                case_ref=case_ref,
                sha256=hashlib.sha256(content).hexdigest(),
                agency="Social work",
                doc_date=day,
                date_source="name" if day else None,
                title=title,
                doc_type=doc_type,
                page_count=len(pages) if doc_type == "pdf" else None,
                source_path=f"{case_ref}/Social work/{title}.{doc_type}",
                content=content,
                pages=pages,
            ),
        )
    yield opened
    opened.close()


def found(store, query, case_ref=None) -> list[tuple[str, str, int]]:
    return sorted(
        (h.case_ref, h.title, h.page) for h in documents.search(store, query, case_ref=case_ref)
    )


def test_words_are_all_required_and_the_page_is_given(store):
    assert found(store, "grandmother relapses") == [("SA-001", "Child's plan", 2)]
    assert found(store, "grandmother kinship") == []


def test_a_quoted_phrase_must_appear_in_order(store):
    assert found(store, '"kinship carer"') == [("SA-001", "Child's plan", 1)]
    assert found(store, '"carer kinship"') == []
    assert found(store, "carer kinship") == [("SA-001", "Child's plan", 1)]


def test_a_word_ending_in_a_star_is_a_prefix(store):
    assert found(store, "kinsh*") == [
        ("SA-001", "Child's plan", 1),
        ("SA-002", "Core group minute", 1),
    ]
    assert found(store, "kinsh") == []


def test_search_ignores_case_and_accents(store):
    assert found(store, "CAFE") == [("SA-001", "Health visitor notes", 1)]
    assert found(store, "café") == [("SA-001", "Health visitor notes", 1)]


def test_case_restricts_the_hits_to_one_case(store):
    assert {h.case_ref for h in documents.search(store, "kinship")} == {"SA-001", "SA-002"}
    assert found(store, "kinship", case_ref="SA-002") == [("SA-002", "Core group minute", 1)]
    assert found(store, "kinship", case_ref="SA-003") == []


def test_snippets_mark_every_hit_and_hits_carry_the_document(store):
    hits = documents.search(store, "kinship")
    assert len(hits) == 2
    for hit in hits:
        assert f"{HIT_START}" in hit.snippet and f"{HIT_END}" in hit.snippet
        marked = hit.snippet.split(HIT_START, 1)[1].split(HIT_END, 1)[0]
        assert marked.lower() == "kinship"
        assert "\n" not in hit.snippet
        assert hit.agency == "Social work" and hit.document_id > 0
    dated = {h.title: h.doc_date for h in hits}
    assert dated == {"Child's plan": "2024-03-14", "Core group minute": "2024-05-01"}


def test_the_limit_caps_the_hits(store):
    assert len(documents.search(store, "child", limit=1)) == 1
    assert len(documents.search(store, "child")) == 3


@pytest.mark.parametrize("query", ["", "   ", "!!!", "***", '""', "-", "()", "…", ":", "\x00"])
def test_an_empty_or_punctuation_only_query_finds_nothing(store, query):
    assert documents.search(store, query) == []


@pytest.mark.parametrize(
    "query",
    [
        '"', '"kinship', 'kinship"', 'a"b', "*", "*kinship", "kin*ship", ":", "text:kinship",
        "document_id:1", "page:1", "(", ")", "(kinship", "kinship)", "NEAR", "NEAR(kinship carer)",
        "kinship NEAR carer", "NEAR/2", "-kinship", "kinship -carer", "AND", "OR", "NOT",
        "kinship AND", "NOT kinship", "kinship OR", "^kinship", "{kinship}", "[kinship]", "'",
        "child's", "+", "C++", "re-referral", "e-mail", "\\", "%", "_", "kinship;", "🙂 kinship",
        "*urgent*", "near the school",
    ],
)  # fmt: skip
def test_fts_syntax_in_a_query_never_raises(store, query):
    hits = documents.search(store, query)
    assert all(HIT_START in h.snippet for h in hits)


def test_fts_words_in_a_query_are_searched_as_words(store):
    assert found(store, "near the school") == [("SA-002", "Core group minute", 1)]
    assert found(store, "C++ notes") == [("SA-002", "Core group minute", 1)]
    assert found(store, "re-referral") == [("SA-002", "Core group minute", 1)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=st.text(max_size=40))
def test_no_typed_query_ever_raises(store, query):
    assert isinstance(documents.search(store, query), list)
