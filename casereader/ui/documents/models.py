"""Item models for the documents pane and the search results, each filled with `set_rows()`."""

import html
import re
from datetime import date
from functools import cache

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QPainter,
    QPen,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)

from casereader.store.documents import AGENCIES, HIT_END, HIT_START, straight_quotes
from casereader.store.models import Document, SearchHit
from casereader.ui.plain import plain_tooltip

DocumentIdRole = Qt.ItemDataRole.UserRole + 1
DocumentRole = Qt.ItemDataRole.UserRole + 2
HitRole = Qt.ItemDataRole.UserRole + 3
HtmlRole = Qt.ItemDataRole.UserRole + 4
DetailRole = Qt.ItemDataRole.UserRole + 5
ReadRole = Qt.ItemDataRole.UserRole + 6  # True once the document was opened in the viewer

# Mid-tone chips that stay distinguishable on light and on dark bases; text beside them keeps
# the agency readable for anyone who cannot tell the colours apart.
AGENCY_COLOURS = {
    "Social work": QColor("#3a7bd5"),
    "Health": QColor("#2e9e6b"),
    "Education": QColor("#c98a0b"),
    "Police": QColor("#7a5cd6"),
    "SCRA": QColor("#c2477a"),
    "Third sector": QColor("#1a9aa8"),
    "Other": QColor("#8a8f98"),
}
TYPE_LABELS = {"pdf": "PDF", "docx": "Word", "txt": "Text", "png": "PNG image",
               "jpeg": "JPEG image", "tiff": "TIFF image"}  # fmt: skip
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_Index = QModelIndex | QPersistentModelIndex


def agency_colour(agency: str) -> QColor:
    """The chip colour for an agency (Other's grey for anything unknown)."""
    return QColor(AGENCY_COLOURS.get(agency, AGENCY_COLOURS["Other"]))


@cache
def agency_chip(agency: str) -> QIcon:
    """The agency's colour as a small square with a light rim, the same on selected rows.

    Qt tints an icon on a selected row, which turned the chips muddy and hid Social work's
    blue on the (blue) selection; the rim keeps every chip visible there.
    """
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QPen(QColor("#ffffff"), 1))
    painter.setBrush(agency_colour(agency))
    painter.drawRect(0, 0, 11, 11)
    painter.end()
    icon = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected, QIcon.Mode.Active):
        icon.addPixmap(pixmap, mode)
    return icon


def display_date(doc_date: str | None) -> str:
    """'14 Mar 2025' for an ISO date, 'Undated' for none; anything else is shown as stored."""
    if not doc_date:
        return "Undated"
    try:
        day = date.fromisoformat(doc_date)
    except ValueError:
        return doc_date
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def pages_text(document: Document) -> str:
    """'5 pages' for a PDF or an image; the kind of document when it has no pages."""
    if document.page_count:
        return f"{document.page_count} page" + ("s" if document.page_count != 1 else "")
    return TYPE_LABELS.get(document.doc_type, document.doc_type.upper())


def describe(document: Document, read: bool | None = None) -> str:
    """One line for tooltips and screen readers: title, agency, date, type and pages (and
    whether it was read, when that is known)."""
    parts = [document.title, document.agency, display_date(document.doc_date),
             TYPE_LABELS.get(document.doc_type, document.doc_type.upper())]  # fmt: skip
    if document.page_count:
        parts.append(pages_text(document))
    if read is not None:
        parts.append("read" if read else "not opened yet")
    return ", ".join(parts)


def read_count_text(read: int, total: int) -> str:
    """'12 of 18 documents read', '1 of 1 document read'; 'No documents' for none."""
    if not total:
        return "No documents"
    return f"{read} of {total} document{'s' if total != 1 else ''} read"


def unread_font() -> QFont:
    """The title font of a document not yet opened: bold (in the palette's own text colour, so
    it reads in every palette)."""
    font = QFont()
    font.setBold(True)
    return font


class DocumentTreeModel(QStandardItemModel):
    """Agency → documents (in the store's order: date, then title, undated last).

    A document's row shows its title; DetailRole holds the date and the page count, which the
    view draws as a second line so that titles stay readable in a narrow pane.
    """

    def __init__(self, parent=None):
        super().__init__(0, 1, parent)
        self.setHorizontalHeaderLabels(["Documents"])

    def set_rows(self, rows: list[Document], read: set[int] | None = None) -> None:
        """Replace the tree with these documents, grouped by agency in the usual agency order;
        those not in ``read`` (every one, when not given) are marked unread."""
        read = read or set()
        self.removeRows(0, self.rowCount())
        groups: dict[str, list[Document]] = {}
        for document in rows:
            groups.setdefault(document.agency, []).append(document)
        order = {agency: n for n, agency in enumerate(AGENCIES)}
        for agency in sorted(groups, key=lambda a: (order.get(a, len(order)), a)):
            docs = groups[agency]
            head = QStandardItem(f"{agency} ({len(docs)})")
            head.setData(agency_chip(agency), Qt.ItemDataRole.DecorationRole)
            head.setData(f"{agency}: {len(docs)} documents", Qt.ItemDataRole.AccessibleTextRole)
            head.setEditable(False)
            for document in docs:
                item = QStandardItem(document.title)
                item.setEditable(False)
                item.setData(f"{display_date(document.doc_date)} · {pages_text(document)}",
                             DetailRole)  # fmt: skip
                item.setData(document.id, DocumentIdRole)
                item.setData(document, DocumentRole)
                self._mark(item, document.id in read)
                head.appendRow(item)
            self.appendRow(head)

    @staticmethod
    def _mark(item: QStandardItem, read: bool) -> None:
        document = item.data(DocumentRole)
        item.setData(read, ReadRole)
        item.setData(None if read else unread_font(), Qt.ItemDataRole.FontRole)
        item.setToolTip(plain_tooltip(describe(document, read)))
        item.setData(describe(document, read), Qt.ItemDataRole.AccessibleTextRole)

    def mark_read(self, document_id: int) -> None:
        """Show a document as read."""
        index = self.document_index(document_id)
        if index.isValid():
            self._mark(self.itemFromIndex(index), True)

    def document_index(self, document_id: int) -> QModelIndex:
        """The index of a document's row, or an invalid index."""
        for r in range(self.rowCount()):
            head = self.item(r, 0)
            for c in range(head.rowCount()):
                if head.child(c, 0).data(DocumentIdRole) == document_id:
                    return head.child(c, 0).index()
        return QModelIndex()


class TimelineModel(QAbstractListModel):
    """The cross-agency chronology, in the order given (by date); DetailRole: date · agency."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[Document] = []
        self._read: set[int] = set()

    def set_rows(self, rows: list[Document], read: set[int] | None = None) -> None:
        """Show these documents, already in chronological order (unread unless in ``read``)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._read = set(read or ())
        self.endResetModel()

    def mark_read(self, document_id: int) -> None:
        """Show a document as read."""
        row = self.row_of(document_id)
        if row >= 0 and document_id not in self._read:
            self._read.add(document_id)
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    def document_at(self, row: int) -> Document:
        """The document shown in a row."""
        return self._rows[row]

    def row_of(self, document_id: int) -> int:
        """The row showing a document, or -1."""
        return next((n for n, d in enumerate(self._rows) if d.id == document_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        document = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return document.title
        if role == DetailRole:
            return f"{display_date(document.doc_date)} · {document.agency}"
        if role == Qt.ItemDataRole.DecorationRole:
            return agency_chip(document.agency)
        read = document.id in self._read
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(describe(document, read))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return describe(document, read)
        if role == Qt.ItemDataRole.FontRole:
            return None if read else unread_font()
        if role == ReadRole:
            return read
        if role == DocumentIdRole:
            return document.id
        if role == DocumentRole:
            return document
        return None


_PHRASE = re.compile(r'"([^"]+)"')


def highlight_text(query: str) -> str:
    """What to highlight in a document for a search query.

    The full-text search matches the words anywhere on the page, but a document can highlight
    only one string: a quoted phrase if there is one, otherwise the longest word.
    """
    query = straight_quotes(query)
    phrase = _PHRASE.search(query)
    if phrase and phrase.group(1).strip():
        return " ".join(phrase.group(1).split())
    words = re.findall(r"\w+", query)
    return max(words, key=len) if words else ""


_HIT = re.compile(f"{HIT_START}(.*?){HIT_END}", re.DOTALL)


def snippet_html(snippet: str) -> str:
    """The snippet as rich text: its own text escaped, the «hit» words in bold."""
    escaped = html.escape(snippet, quote=False)
    bolded = _HIT.sub(r"<b>\1</b>", escaped)
    return bolded.replace(HIT_START, "").replace(HIT_END, "")  # a marker left unpaired


def snippet_plain(snippet: str) -> str:
    """The snippet without its hit markers."""
    return snippet.replace(HIT_START, "").replace(HIT_END, "")


RECOGNISED_MARK = "(recognised text)"
RUNNING_MARK = "(in its header or footer only)"


def hit_heading(hit: SearchHit) -> str:
    """Where a hit is: case, document title and page (and whether it is recognised text)."""
    mark = f" {RECOGNISED_MARK}" if hit.recognised else ""
    mark += f" {RUNNING_MARK}" if hit.running_only else ""
    return f"{hit.case_ref} · {hit.title} · page {hit.page}{mark}"


def hit_html(hit: SearchHit) -> str:
    """Two lines of rich text for a search hit: where it is, then the snippet."""
    where = html.escape(hit_heading(hit), quote=False)
    context = html.escape(f"{hit.agency}, {display_date(hit.doc_date)}", quote=False)
    return f"{where} <small>({context})</small><br>{snippet_html(hit.snippet)}"


class SearchResultsModel(QAbstractListModel):
    """Search hits; the display text is plain, HtmlRole gives the rich text the delegate draws."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[SearchHit] = []

    def set_rows(self, rows: list[SearchHit]) -> None:
        """Show these hits, best first."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def hit_at(self, row: int) -> SearchHit:
        """The hit shown in a row."""
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        hit = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{hit_heading(hit)}: {snippet_plain(hit.snippet)}"
        if role == HtmlRole:
            return hit_html(hit)
        if role == HitRole:
            return hit
        if role == Qt.ItemDataRole.ToolTipRole:
            where = f"{hit_heading(hit)} ({hit.agency}, {display_date(hit.doc_date)})"
            return plain_tooltip(f"{where}\n{snippet_plain(hit.snippet)}")
        return None
