"""View → Answers: one read-only page of the case's answers, as its printed summary has them.

Every stage's items and values (grades as number and label beside the scale's colour), the notes
with their evidence citations, the management reviews and what is still missing; in a
coordinator's store every reader's value and the value counted. The page is the summary's own
data (reports.summary_data) drawn as HTML (reports.summary_html), so what is read here is what
prints. It follows the case shown and the answers as they change, keeping its scroll position.
"""

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from casereader.errors import CaseReaderError
from casereader.store import Store
from casereader.ui.style import field_edge_color, mixed, muted_text_color

REFRESH_PAUSE_MS = 300  # typing a note changes the answers at every pause; redraw once after


def page_colours(palette: QPalette):
    """The palette's colours for the summary page (readable on a light or a dark window)."""
    from casereader.reports.summary_html import HtmlColours

    role = QPalette.ColorRole
    base, text = palette.color(role.Base), palette.color(role.Text)
    return HtmlColours(
        text=text.name(),
        muted=muted_text_color(palette).name(),
        rule=field_edge_color(palette).name(),
        shade=mixed(base, text, 0.08).name(),
    )


def answers_html(store: Store, case_ref: str, palette: QPalette) -> str:
    """The case's answers page, drawn in the palette's colours."""
    from casereader.reports.summary_data import gather_summary
    from casereader.reports.summary_html import summary_html

    return summary_html(gather_summary(store, case_ref), page_colours(palette))


Source = Callable[[], tuple[Store | None, str | None]]


class AnswersView(QDialog):
    """A window beside the main one: the answers of the case shown there, read-only.

    ``source`` says which store and case the main window shows now; the view asks it at every
    refresh, so a closed or locked store is never read. A citation is a link: clicking it asks
    for the cited page (``evidence_opened``), as the template panel's evidence links do.
    """

    evidence_opened = Signal(str, int)  # document sha256, page

    def __init__(self, source: Source, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle("Answers")
        self.setAccessibleName("The case's answers")
        self._source = source
        self.case_ref: str | None = None
        self.page = QTextBrowser(self)
        self.page.setAccessibleName("Every stage's answers and notes")
        self.page.setOpenLinks(False)
        self.page.anchorClicked.connect(self._link_clicked)
        # the tables take the page's width and wrap: nothing to scroll sideways
        self.page.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(buttons)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(REFRESH_PAUSE_MS)
        self._pending.timeout.connect(self.refresh)
        self.resize(820, 760)
        self._show_nothing("No case is open.")

    @Slot()
    def refresh(self) -> None:
        """Draw the page again from the store: the same case keeps its scroll position."""
        self._pending.stop()
        store, case_ref = self._source()
        if store is None:
            self._show_nothing("No store is open.")
            return
        if case_ref is None:
            self._show_nothing("No case is open.")
            return
        try:
            page = answers_html(store, case_ref, self.palette())
        except CaseReaderError as e:  # the case was removed meanwhile
            self._show_nothing(str(e))
            return
        bar = self.page.verticalScrollBar()
        place = bar.value() if case_ref == self.case_ref else 0
        self.case_ref = case_ref
        self.page.setHtml(page)
        bar.setValue(place)
        self.setWindowTitle(f"Answers — {case_ref}")
        self.page.show()
        self.empty.hide()

    @Slot(QUrl)
    def _link_clicked(self, url: QUrl) -> None:
        from casereader.reports.summary_html import parse_evidence_href

        cited = parse_evidence_href(url.toString())
        if cited is not None:
            self.evidence_opened.emit(*cited)

    @Slot()
    @Slot(str)
    def follow(self, *_args) -> None:
        """The case, its answers or the store changed: redraw after a pause, if on screen."""
        if self.isVisible():
            self._pending.start()

    @Slot()
    def forget(self) -> None:
        """Show nothing of the store (it is being locked or closed)."""
        self._pending.stop()
        self._show_nothing("The store is locked.")

    def text(self) -> str:
        """The page as plain text (what a screen reader reads), or why it is empty."""
        return self.page.toPlainText() if self.case_ref is not None else self.empty.text()

    def _show_nothing(self, why: str) -> None:
        self.case_ref = None
        self.page.clear()
        self.page.hide()
        self.empty.setText(why)
        self.empty.show()
        self.setWindowTitle("Answers")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.follow()  # the page's colours follow a light/dark switch


def show_answers(window) -> AnswersView:
    """View → Answers: open (or raise) the window's answers view on the case shown."""
    view = getattr(window, "answers_view", None)
    if view is None:

        def source() -> tuple[Store | None, str | None]:
            """The case open in the workspace, else the one chosen in the case list."""
            if window.store is None:
                return None, None
            shown = window.workspace.case_ref
            return window.store, shown or window.case_list.current_case()

        view = AnswersView(source, window)
        window.answers_view = view
        window.case_list.case_chosen.connect(view.follow)
        window.stack.currentChanged.connect(view.follow)  # a store opened or closed
        window.idle_lock.about_to_lock.connect(view.forget)
        window.idle_lock.unlocked.connect(view.follow)
    if window.store is not None and not getattr(window, "_answers_wired", False):
        workspace = window.workspace
        workspace.case_changed.connect(view.follow)
        workspace.review_changed.connect(view.follow)
        workspace.history_changed.connect(view.follow)  # Back / Forward to another case
        view.evidence_opened.connect(workspace.open_evidence)
        window._answers_wired = True
    view.refresh()
    view.show()
    view.raise_()
    view.activateWindow()
    view.page.setFocus(Qt.FocusReason.ShortcutFocusReason)
    return view
