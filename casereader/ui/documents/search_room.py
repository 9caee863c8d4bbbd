"""Room for search results: while a search shows hits, the results take most of the column
they share with the documents list; once the query is cleared the column is as it was."""

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QSplitter

RESULTS_SHARE = 0.72  # of the column's height, while there are hits


class SearchRoom(QObject):
    """Moves a vertical splitter's handle for the search pane (its last widget)."""

    def __init__(self, splitter: QSplitter):
        super().__init__(splitter)
        self._splitter = splitter
        self._before: list[int] | None = None  # the sizes to go back to

    @Slot(bool)
    def results_shown(self, shown: bool) -> None:
        sizes = self._splitter.sizes()
        total = sum(sizes)
        if shown and total > 0:
            wanted = int(total * RESULTS_SHARE)
            if sizes[-1] < wanted:
                if self._before is None:
                    self._before = sizes
                self._splitter.setSizes([total - wanted, wanted])
        elif not shown and self._before is not None:
            before, self._before = self._before, None
            self._splitter.setSizes(before)
