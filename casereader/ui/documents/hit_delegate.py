"""A search hit drawn in three lines: where it is (one line, shortened at the end), then two
lines of the snippet with the hit words in bold; the whole of it in the tooltip."""

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QFont, QFontMetrics, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from casereader.store.documents import HIT_START
from casereader.store.models import SearchHit
from casereader.ui.documents.models import HitRole, snippet_html

SNIPPET_LINES = 2
LEAD_IN_WORDS = 4  # words kept before the first hit, so that the hit is in the two lines


def lead_in(snippet: str, words: int = LEAD_IN_WORDS) -> str:
    """The snippet from a few words before its first hit ('…' where words were left out)."""
    first = snippet.find(HIT_START)
    if first < 0:
        return snippet
    before = snippet[:first].split()
    if len(before) <= words:
        return snippet
    return "…" + " ".join(before[-words:]) + " " + snippet[first:]


def compact_heading(hit: SearchHit, metrics: QFontMetrics, width: int) -> str:
    """'SA-003 · Attendance and wel… · p. 2': the title shortened so that the case and the
    page always show (with '· scan' for recognised text)."""
    mark = " · scan" if hit.recognised else ""
    head, tail = f"{hit.case_ref} · ", f" · p. {hit.page}{mark}"
    room = width - metrics.horizontalAdvance(head + tail)
    return head + metrics.elidedText(hit.title, Qt.TextElideMode.ElideRight, max(room, 0)) + tail


class HitDelegate(QStyledItemDelegate):
    """Every hit the same compact height, so that a column of the window lists many."""

    MARGIN = 4

    def _line(self, option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.lineSpacing()

    def _snippet(self, option: QStyleOptionViewItem, index: QModelIndex, width: int):
        document = QTextDocument()
        document.setDocumentMargin(0)
        document.setDefaultFont(option.font)
        hit = index.data(HitRole)
        document.setHtml(snippet_html(lead_in(hit.snippet)) if hit is not None else "")
        document.setTextWidth(max(width, 40))
        return document

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        hit = index.data(HitRole)
        if hit is None:
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = option.palette.color(role)
        if hit.running_only and not selected:  # matches only in a running header or footer
            colour = option.palette.color(QPalette.ColorRole.PlaceholderText)
        inner = option.rect.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        line = self._line(option)
        painter.save()
        heading_font = QFont(option.font)
        heading_font.setBold(True)
        painter.setFont(heading_font)
        painter.setPen(colour)
        metrics = painter.fontMetrics()
        heading = compact_heading(hit, metrics, inner.width())
        painter.drawText(
            QRect(inner.left(), inner.top(), inner.width(), line),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            heading,
        )
        snippet = self._snippet(option, index, inner.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, colour)
        painter.translate(inner.left(), inner.top() + line)
        painter.setClipRect(QRect(0, 0, inner.width(), SNIPPET_LINES * line))
        snippet.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:
        width = option.rect.width()
        if option.widget is not None:
            width = option.widget.viewport().width()
        return QSize(max(width, 80), (1 + SNIPPET_LINES) * self._line(option) + 2 * self.MARGIN)
