"""The documents pane's and the search results' models, tested without a window."""

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QIcon

from casereader.store.models import Document, SearchHit
from casereader.ui.documents.models import (
    AGENCY_COLOURS,
    DetailRole,
    DocumentIdRole,
    DocumentRole,
    DocumentTreeModel,
    HitRole,
    HtmlRole,
    SearchResultsModel,
    TimelineModel,
    agency_chip,
    agency_colour,
    describe,
    display_date,
    highlight_text,
    hit_html,
    snippet_html,
)
from casereader.ui.plain import plain_tooltip

pytestmark = pytest.mark.usefixtures("qapp")  # the agency chips are pixmaps

DISPLAY = Qt.ItemDataRole.DisplayRole


def doc(id, agency, doc_date, title, pages=2, doc_type="pdf", case_ref="SA-001"):
    return Document(
        id=id,
        case_ref=case_ref,
        sha256=f"{id:064x}",
        agency=agency,
        doc_date=doc_date,
        date_source="file name" if doc_date else None,
        title=title,
        doc_type=doc_type,
        page_count=pages,
        size=1000,
        source_path=f"{case_ref}/{agency}/{title}.{doc_type}",
        imported_at="2025-01-01T00:00:00.000+00:00",
    )


def hit(snippet, case_ref="SA-001", page=2, title="Child's plan"):
    return SearchHit(
        case_ref=case_ref,
        document_id=7,
        title=title,
        agency="Social work",
        doc_date="2024-06-06",
        page=page,
        snippet=snippet,
    )


# What list_documents returns: agencies alphabetically, each by date, undated last.
ROWS = [
    doc(1, "Education", "2024-02-14", "Attendance summary", pages=3),
    doc(2, "Health", "2023-09-28", "Health visitor notes"),
    doc(3, "Health", "2024-03-15", "Health chronology", pages=None, doc_type="txt"),
    doc(4, "Health", None, "Paediatric assessment"),
    doc(5, "Housing", "2024-05-01", "Tenancy letter"),
    doc(6, "Social work", "2023-07-24", "Chronology", pages=5),
]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("2025-03-14", "14 Mar 2025"),
        ("2024-12-01", "1 Dec 2024"),
        (None, "Undated"),
        ("", "Undated"),
        ("2024-13-45", "2024-13-45"),  # not a date: shown as stored rather than hidden
        ("last spring", "last spring"),
    ],
)
def test_display_date(stored, shown):
    assert display_date(stored) == shown


def tree_rows(model: DocumentTreeModel) -> list[tuple[str, list[tuple[str, str]]]]:
    out = []
    for r in range(model.rowCount()):
        head = model.item(r, 0)
        children = [
            (head.child(c).text(), head.child(c).data(DetailRole)) for c in range(head.rowCount())
        ]
        out.append((head.text(), children))
    return out


def test_tree_groups_by_agency_in_the_usual_order_keeping_date_order():
    model = DocumentTreeModel()
    model.set_rows(ROWS)
    assert tree_rows(model) == [
        ("Social work (1)", [("Chronology", "24 Jul 2023 · 5 pages")]),
        (
            "Health (3)",
            [
                ("Health visitor notes", "28 Sep 2023 · 2 pages"),
                ("Health chronology", "15 Mar 2024 · Text"),  # a text file has no pages
                ("Paediatric assessment", "Undated · 2 pages"),
            ],
        ),
        ("Education (1)", [("Attendance summary", "14 Feb 2024 · 3 pages")]),
        ("Housing (1)", [("Tenancy letter", "1 May 2024 · 2 pages")]),  # unknown agency: last
    ]
    assert model.columnCount() == 1
    assert model.item(0, 0).data(DetailRole) is None  # agency rows are one line


def chip_colour(icon: QIcon) -> QColor:
    """The colour inside an agency chip (its middle, inside the light rim)."""
    return icon.pixmap(12, 12).toImage().pixelColor(6, 6)


def test_agency_chips_keep_their_colour_on_selected_rows():
    chip = agency_chip("Social work")
    normal = chip.pixmap(12, 12, QIcon.Mode.Normal).toImage()
    selected = chip.pixmap(12, 12, QIcon.Mode.Selected).toImage()
    assert normal == selected  # not tinted into the selection colour
    assert normal.pixelColor(0, 6) == QColor("#ffffff")  # the rim that shows on the blue


def test_tree_rows_carry_the_document_and_describe_it():
    model = DocumentTreeModel()
    model.set_rows(ROWS)
    health = model.item(1, 0)
    assert chip_colour(health.data(Qt.ItemDataRole.DecorationRole)) == AGENCY_COLOURS["Health"]
    assert health.data(DocumentIdRole) is None
    assert health.data(Qt.ItemDataRole.AccessibleTextRole) == "Health: 3 documents"
    notes = health.child(0)
    assert notes.data(DocumentIdRole) == 2
    assert notes.data(DocumentRole).title == "Health visitor notes"
    assert notes.toolTip() == plain_tooltip(
        "Health visitor notes, Health, 28 Sep 2023, PDF, 2 pages, not opened yet"
    )
    assert plain_tooltip(notes.data(Qt.ItemDataRole.AccessibleTextRole)) == notes.toolTip()
    assert not notes.isEditable()
    assert model.document_index(4).data(DocumentIdRole) == 4
    assert model.document_index(4).data(DISPLAY) == "Paediatric assessment"
    assert not model.document_index(999).isValid()
    one_page = doc(9, "Police", "2024-01-01", "Scan", pages=1, doc_type="png")
    model.set_rows([one_page])
    assert model.item(0).child(0).data(DetailRole) == "1 Jan 2024 · 1 page"


def test_tree_set_rows_replaces_and_empties():
    model = DocumentTreeModel()
    model.set_rows(ROWS)
    model.set_rows(ROWS[:1])
    assert tree_rows(model) == [
        ("Education (1)", [("Attendance summary", "14 Feb 2024 · 3 pages")])
    ]
    model.set_rows([])
    assert model.rowCount() == 0


def test_timeline_keeps_the_chronological_order_given():
    chronology = sorted(ROWS, key=lambda d: (d.doc_date is None, d.doc_date or "", d.title))
    model = TimelineModel()
    model.set_rows(chronology)
    shown = [
        (model.index(r).data(DetailRole), model.index(r).data(DISPLAY))
        for r in range(model.rowCount())
    ]
    assert shown == [
        ("24 Jul 2023 · Social work", "Chronology"),
        ("28 Sep 2023 · Health", "Health visitor notes"),
        ("14 Feb 2024 · Education", "Attendance summary"),
        ("15 Mar 2024 · Health", "Health chronology"),
        ("1 May 2024 · Housing", "Tenancy letter"),
        ("Undated · Health", "Paediatric assessment"),
    ]
    chip = model.index(0).data(Qt.ItemDataRole.DecorationRole)
    assert chip_colour(chip) == AGENCY_COLOURS["Social work"]
    assert (
        chip_colour(model.index(4).data(Qt.ItemDataRole.DecorationRole)) == AGENCY_COLOURS["Other"]
    )
    assert model.index(5).data(DocumentIdRole) == 4
    assert model.index(5).data(DocumentRole) == model.document_at(5)
    assert model.index(0).data(Qt.ItemDataRole.ToolTipRole) == plain_tooltip(
        describe(chronology[0], read=False)
    )
    assert model.row_of(4) == 5
    assert model.row_of(999) == -1
    assert model.index(0).data(Qt.ItemDataRole.EditRole) is None
    assert model.data(QModelIndex()) is None
    assert model.rowCount(model.index(0)) == 0  # a list: rows have no children
    model.set_rows([])
    assert model.rowCount() == 0


def test_agency_colours_are_distinct_and_unknown_agencies_are_grey():
    names = [c.name() for c in AGENCY_COLOURS.values()]
    assert len(set(names)) == len(names)
    assert agency_colour("Housing") == AGENCY_COLOURS["Other"]
    assert isinstance(agency_colour("Police"), QColor)


def test_snippet_bolds_hits_and_escapes_the_documents_own_markup():
    assert snippet_html("the child's «plan» was «agreed»") == (
        "the child's <b>plan</b> was <b>agreed</b>"
    )
    hostile = "<script>alert(1)</script> «<b>» & <img src=http://x/>"
    shown = snippet_html(hostile)
    assert "<script>" not in shown and "<img" not in shown
    assert shown == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <b>&lt;b&gt;</b> &amp; &lt;img src=http://x/&gt;"
    )
    # A marker without its pair is dropped rather than shown or left to bold the rest.
    assert snippet_html("…ends with «plan") == "…ends with plan"


def test_search_results_model_roles():
    model = SearchResultsModel()
    model.set_rows([hit("the «plan» <i>is</i> agreed"), hit("other", case_ref="SA-002", page=1)])
    assert model.rowCount() == 2
    first = model.index(0, 0)
    assert first.data(DISPLAY) == "SA-001 · Child's plan · page 2: the plan <i>is</i> agreed"
    assert first.data(HtmlRole) == hit_html(model.hit_at(0))
    assert "<b>plan</b> &lt;i&gt;is&lt;/i&gt; agreed" in first.data(HtmlRole)
    assert "(Social work, 6 Jun 2024)" in first.data(HtmlRole)
    assert first.data(HitRole).case_ref == "SA-001"
    assert model.index(1, 0).data(HitRole).case_ref == "SA-002"
    # the compact row shortens the title and the snippet: the tooltip has the whole of both
    assert first.data(Qt.ItemDataRole.ToolTipRole) == plain_tooltip(
        "SA-001 · Child's plan · page 2 (Social work, 6 Jun 2024)\nthe plan <i>is</i> agreed"
    )
    assert first.data(Qt.ItemDataRole.DecorationRole) is None
    assert model.data(QModelIndex()) is None
    model.set_rows([])
    assert model.rowCount() == 0


def test_hit_html_escapes_titles_too():
    shown = hit_html(hit("x", title="Notes <b>&</b> minutes"))
    assert "Notes &lt;b&gt;&amp;&lt;/b&gt; minutes" in shown


@pytest.mark.parametrize(
    ("query", "highlighted"),
    [
        ("plan", "plan"),
        ("plan*", "plan"),
        ("child plan agreed", "agreed"),  # the longest word
        ('review "child\'s   plan" agreed', "child's plan"),  # a quoted phrase wins
        ('""', ""),
        ("***", ""),
        ("", ""),
    ],
)
def test_highlight_text_for_a_search_query(query, highlighted):
    assert highlight_text(query) == highlighted
