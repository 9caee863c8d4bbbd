"""Word documents as formatted text: mammoth turns the DOCX (in memory) into HTML."""

import io
import re

import mammoth
from PySide6.QtCore import QByteArray, QUrl, Signal
from PySide6.QtGui import QImage, QPalette, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from casereader.ui.documents.text_view import TextDocumentMixin

_DATA_URL = re.compile(r"data:image/[\w.+-]+;base64,(.*)", re.DOTALL)


def docx_html(content: bytes) -> str:
    """The Word document as HTML (headings, paragraphs, lists, tables, embedded images)."""
    result = mammoth.convert_to_html(io.BytesIO(content), external_file_access=False)
    # Qt draws no table rules of its own; borders make the tables in plans and minutes readable.
    return result.value.replace("<table>", '<table border="1" cellspacing="0" cellpadding="4">')


class DocxView(TextDocumentMixin, QTextBrowser):
    """A read-only Word document that never follows links or loads anything from outside."""

    page_changed = Signal(int)
    hits_changed = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._setup_text_view()
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Word document")

    def load(self, content: bytes, page: int = 1) -> str:
        """Show the DOCX bytes; returns '' or why the document cannot be shown."""
        self.finder.clear()
        try:
            html = docx_html(content)
        except Exception:  # noqa: BLE001 - mammoth fails in many ways on a damaged file
            self.clear()
            return "This Word document cannot be shown: it is damaged or not a DOCX file."
        rule = self.palette().color(QPalette.ColorRole.Mid).name()
        self.document().setDefaultStyleSheet(
            f"table {{ border-collapse: collapse; margin: 6px 0; }}"
            f" td, th {{ border: 1px solid {rule}; padding: 4px; }}"
            " p { margin: 0 0 6px 0; }"
        )
        self.setHtml(html)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        return ""

    def release(self) -> None:
        self.finder.clear()
        self.clear()

    def loadResource(self, kind: int, name: QUrl):
        """Only images embedded in the document itself (data: URLs); nothing else is fetched."""
        if kind == QTextDocument.ResourceType.ImageResource and name.scheme() == "data":
            match = _DATA_URL.match(name.toString())
            if match:
                return QImage.fromData(QByteArray.fromBase64(match.group(1).encode("ascii")))
        return None
