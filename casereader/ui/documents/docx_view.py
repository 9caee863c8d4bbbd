"""Word documents as formatted text: mammoth turns the DOCX (in memory) into HTML."""

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from xml.etree import ElementTree

import mammoth
from PySide6.QtCore import QByteArray, QUrl, Signal
from PySide6.QtGui import QImage, QPalette, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from casereader.ingest.extract import Unreadable, check_docx_members
from casereader.ui.documents.text_view import TextDocumentMixin

_DATA_URL = re.compile(r"data:image/[\w.+-]+;base64,(.*)", re.DOTALL)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STYLES = "word/styles.xml"
_MAX_STYLES_BYTES = 64 * 1024 * 1024
# Parts mammoth never reads; some are large (a styles copy "with effects", the thumbnail).
_UNREAD = ("word/stylesWithEffects.xml", "docProps/thumbnail", "word/theme/", "word/glossary/")


def _slim_styles(xml: bytes) -> bytes:
    """Only what mammoth reads from styles.xml: each style's type, id, name and list number."""
    w = f"{{{_W}}}"
    ElementTree.register_namespace("w", _W)
    slim = ElementTree.Element(f"{w}styles")
    for style in ElementTree.fromstring(xml).iter(f"{w}style"):
        kept = ElementTree.SubElement(slim, f"{w}style", dict(style.attrib))
        name = style.find(f"{w}name")
        if name is not None:
            kept.append(name)
        num_id = style.find(f"{w}pPr/{w}numPr/{w}numId")
        if num_id is not None:
            ppr = ElementTree.SubElement(kept, f"{w}pPr")
            ElementTree.SubElement(ppr, f"{w}numPr").append(num_id)
    return ElementTree.tostring(slim, xml_declaration=True, encoding="UTF-8")


def slim_docx(content: bytes) -> bytes:
    """The same document without the formatting mammoth ignores, rebuilt in memory.

    Word's styles part holds hundreds of style definitions; mammoth parses it with minidom,
    which made a typical document take half a second to open. Its result is unchanged.
    """
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        names = {info.filename: info for info in source.infolist()}
        styles = names.get(_STYLES)
        if styles is None or styles.file_size > _MAX_STYLES_BYTES:
            return content
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
            for name, info in names.items():
                if name.startswith(_UNREAD):
                    continue
                data = source.read(info)
                target.writestr(name, _slim_styles(data) if name == _STYLES else data)
    return out.getvalue()


def docx_html(content: bytes) -> str:
    """The Word document as HTML (headings, paragraphs, lists, tables, embedded images).

    Raises Unreadable for a document whose parts declare implausible sizes or compression
    ratios (checked before any part is read), and what mammoth raises for a damaged one.
    """
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        check_docx_members(archive)
    result = mammoth.convert_to_html(io.BytesIO(slim_docx(content)), external_file_access=False)
    # Qt draws no table rules of its own; borders make the tables in plans and minutes readable.
    return result.value.replace("<table>", '<table border="1" cellspacing="0" cellpadding="4">')


class DocxHtmlCache:
    """Word documents converted to HTML ahead of need, on one helper thread.

    mammoth takes ~50 ms for a typical document and over 100 ms for a long one, which would
    hold the window each time a Word document is opened. The Word documents of the case on
    screen are converted when it opens; opening one then only lays out its HTML. The HTML is
    kept in memory only, for one case at a time.
    """

    def __init__(self):
        self._helper: ThreadPoolExecutor | None = None
        self._futures: dict[str, Future] = {}

    def prefetch(self, contents: Iterable[bytes]) -> None:
        """Convert these documents in the background, forgetting any others."""
        wanted = {hashlib.sha256(c).hexdigest(): c for c in contents}
        for key in set(self._futures) - set(wanted):
            self._futures.pop(key).cancel()
        if self._helper is None and wanted:
            self._helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="casereader-docx")
        for key, content in wanted.items():
            if key not in self._futures:
                self._futures[key] = self._helper.submit(docx_html, content)

    def html(self, content: bytes) -> str:
        """The document's HTML: converted already, converting (waited for), or converted now.

        Raises what the conversion raised for a damaged document.
        """
        future = self._futures.get(hashlib.sha256(content).hexdigest())
        if future is not None and not future.cancelled():
            return future.result()
        return docx_html(content)

    def clear(self) -> None:
        for future in self._futures.values():
            future.cancel()
        self._futures.clear()


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
        self.cache = DocxHtmlCache()

    def load(self, content: bytes, page: int = 1) -> str:
        """Show the DOCX bytes; returns '' or why the document cannot be shown."""
        self.finder.clear()
        try:
            html = self.cache.html(content)
        except Unreadable as exc:
            self.clear()
            return f"This Word document cannot be shown: {exc}."
        except Exception:  # noqa: BLE001 - mammoth fails in many ways on a damaged file
            self.clear()
            return "This Word document cannot be shown: it is damaged or not a DOCX file."
        rule = self.palette().color(QPalette.ColorRole.Mid).name()
        self.document().setDefaultStyleSheet(
            f"table {{ border-collapse: collapse; margin: 6px 0; }}"
            f" td, th {{ border: 1px solid {rule}; padding: 4px; }}"
            # Word keeps runs of spaces (forms line fields up with them); HTML would fold them.
            " p { margin: 0 0 6px 0; white-space: pre-wrap; }"
        )
        self.setHtml(html)
        self.moveCursor(QTextCursor.MoveOperation.Start)
        return ""

    def release(self) -> None:
        self.finder.clear()
        self.clear()

    def location(self) -> str:
        """Where the reader is, for a citation: '“Heading”, para. 4' (the heading above the
        paragraph at the top of the view, and that paragraph's number counted from the heading),
        or 'para. 12' in a document without headings."""
        block = self.cursorForPosition(self.viewport().rect().topLeft()).block()
        while block.isValid() and not block.text().strip():
            block = block.next()  # a blank line at the top: the paragraph below it
        if not block.isValid():
            return ""
        heading, count = "", 0
        walk = block
        while walk.isValid():
            if walk.blockFormat().headingLevel() > 0 and walk != block:
                heading = walk.text().strip()
                break
            if walk.text().strip():
                count += 1
            walk = walk.previous()
        if block.blockFormat().headingLevel() > 0:
            return f"“{block.text().strip()}”"
        return f"“{heading}”, para. {count}" if heading else f"para. {count}"

    def loadResource(self, kind: int, name: QUrl):  # noqa: N802 - Qt's name
        """Only images embedded in the document itself (data: URLs); nothing else is fetched.

        Anything else gets an empty image: returning None would let Qt fall back to loading
        the name as a local file (or, on Windows, a UNC path that reaches the network).
        """
        if kind == QTextDocument.ResourceType.ImageResource and name.scheme() == "data":
            match = _DATA_URL.match(name.toString())
            if match:
                image = QImage.fromData(QByteArray.fromBase64(match.group(1).encode("ascii")))
                if not image.isNull():
                    return image
        return QImage()
