"""The documents side of the case workspace: the documents pane, the viewer and search."""

from casereader.ui.documents.pane import DocumentsPane
from casereader.ui.documents.search import SearchPanel
from casereader.ui.documents.viewer import DocumentViewer

__all__ = ["DocumentViewer", "DocumentsPane", "SearchPanel"]
