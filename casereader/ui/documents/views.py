"""What the viewer asks of each kind of document view (PDF, image, plain text, Word)."""

from typing import Protocol


class DocumentView(Protocol):
    """A widget showing one document; the viewer's toolbar drives it through these calls.

    Each view also has the signals `page_changed(int page)` and `hits_changed(int current,
    int total)`, and says which toolbar controls apply to it.
    """

    can_page: bool  # has pages to turn
    can_fit: bool  # can fit the width or the whole page
    can_find: bool  # has text to search

    def load(self, content, page: int = 1) -> str:
        """Show a document's bytes (or text) at a page; '' or why it cannot be shown."""

    def release(self) -> None:
        """Forget the document and its bytes."""

    def page_count(self) -> int:
        """The number of pages (0 when nothing is shown)."""

    def current_page(self) -> int:
        """The page on screen, counted from 1 (0 when nothing is shown)."""

    def go_to_page(self, page: int) -> None:
        """Show a page, counted from 1 (clamped to the document)."""

    def zoom_in(self) -> None:
        """Show the document larger."""

    def zoom_out(self) -> None:
        """Show the document smaller."""

    def fit_width(self) -> None:
        """Fit the page width to the view."""

    def fit_page(self) -> None:
        """Fit the whole page in the view."""

    def find(self, text: str, from_page: int | None = None) -> None:
        """Highlight every hit of the text; the first from that page on becomes current."""

    def find_next(self) -> None:
        """Make the next hit current and show it."""

    def find_previous(self) -> None:
        """Make the previous hit current and show it."""
