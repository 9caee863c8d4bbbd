"""The document viewer's toolbars: pages, zoom, fit, find in the document, and their keys.

A mixin of DocumentViewer (viewer.py): the controls act on the view showing a document.
"""

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QSpinBox, QToolBar

from casereader.domain.wording import plural

FIND_TYPING_PAUSE_MS = 150


class ViewerToolsMixin:
    """Builds the toolbars and keeps their controls in step with the document on screen."""

    def _build_toolbar(self) -> None:
        bar = self._toolbar = QToolBar("Document tools")
        bar.setAccessibleName("Document tools")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        act = self._action
        self._prev_page = act("Previous page", "‹", "Ctrl+PgUp", self._page_back)
        self._page_box = QSpinBox()
        self._page_box.setAccessibleName("Page number")
        self._page_box.setKeyboardTracking(False)
        self._page_box.setPrefix("Page ")
        self._page_box.setToolTip("Go to page (Ctrl+G)")
        self._page_box.valueChanged.connect(self._on_page_box)
        # As wide as "Page 999 of 999" for good: a width following the suffix would move the
        # toolbar's buttons (and repaint them) on every document opened.
        self._page_box.setRange(0, 999)
        self._page_box.setSuffix(" of 999")
        # A fixed size: a new page count changes no layout (opening a document relaid the
        # toolbar, the viewer and the panes beside it).
        self._page_box.setFixedSize(self._page_box.sizeHint())
        self._next_page = act("Next page", "›", "Ctrl+PgDown", self._page_forward)
        self._go_to = act("Go to page", "", "Ctrl+G", self._focus_page_box)
        self._zoom_out = act("Zoom out", "−", QKeySequence.StandardKey.ZoomOut, "zoom_out")
        self._zoom_in = act("Zoom in", "+", [QKeySequence.StandardKey.ZoomIn, "Ctrl+="], "zoom_in")
        self._fit_width = act("Fit the page width", "Fit width", "Ctrl+0", "fit_width")
        self._fit_page = act("Fit the whole page", "Fit page", "Ctrl+9", "fit_page")
        for action in (self._zoom_out, self._zoom_in, self._fit_width, self._fit_page):
            action.triggered.connect(self._zoom_chosen)
        self._zoom_label = QLabel()
        self._zoom_label.setAccessibleName("Zoom")
        self._zoom_label.setToolTip("The page's zoom (100% shows it at its printed size)")
        self._zoom_label.setContentsMargins(6, 0, 6, 0)
        wide = self._zoom_label.fontMetrics().horizontalAdvance("600%") + 12
        self._zoom_label.setFixedSize(wide, self._zoom_label.sizeHint().height())
        self._find_box = QLineEdit()
        self._find_box.setPlaceholderText("Find in document")
        self._find_box.setAccessibleName("Find in document")
        self._find_box.setAccessibleDescription(
            "Enter finds the next hit, Shift+Enter the previous one; F3 and Shift+F3 also work."
        )
        self._find_box.setClearButtonEnabled(True)
        self._find_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._find_box.installEventFilter(self)
        self._find_box.textEdited.connect(lambda _text: self._typing.start())
        # Search as the reader types, once they pause: a long PDF takes a moment per search.
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(FIND_TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._on_find_edited)
        self._focus_find = act("Find in this document", "", QKeySequence.StandardKey.Find,
                               self._focus_find_box)  # fmt: skip
        self._prev_hit = act("Previous hit", "▲", "Shift+F3", "find_previous", window_wide=True)
        self._next_hit = act("Next hit", "▼", "F3", "find_next", window_wide=True)
        self._hits_label = QLabel()
        self._hits_label.setAccessibleName("Hits found")
        self._hits_label.setContentsMargins(6, 0, 6, 0)
        widest = self._hits_label.fontMetrics().horizontalAdvance("9999 of 9999") + 12
        self._hits_label.setFixedSize(max(widest, 70), self._hits_label.sizeHint().height())
        self._cite = act("Cite this page", "Cite this page", "Ctrl+Shift+C", self._on_cite,
                         window_wide=True)  # fmt: skip
        self._cite.setToolTip("Cite this page in the note being written (Ctrl+Shift+C)")
        self._page_actions = (self._prev_page, self._next_page, self._go_to)
        bar.addAction(self._prev_page)
        bar.addWidget(self._page_box)
        bar.addAction(self._next_page)
        bar.addSeparator()
        bar.addAction(self._zoom_out)
        bar.addAction(self._zoom_in)
        bar.addWidget(self._zoom_label)
        bar.addAction(self._fit_width)
        bar.addAction(self._fit_page)
        find = self._find_bar = QToolBar("Find in document")
        find.setAccessibleName("Find in document")
        find.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        find.addWidget(self._find_box)
        find.addAction(self._prev_hit)
        find.addAction(self._next_hit)
        find.addWidget(self._hits_label)
        for toolbar in (bar, find):
            for action in toolbar.actions():
                button = toolbar.widgetForAction(action)
                if button is not None and action.text():
                    button.setAccessibleName(action.text())
                    button.setAccessibleDescription(action.toolTip())

    def _action(self, text, label, shortcut, slot, window_wide=False) -> QAction:
        """An action with its shortcut; `slot` is a callable or the name of a view method."""
        action = QAction(text, self)
        if label:
            action.setIconText(label)
        keys = shortcut if isinstance(shortcut, list) else [shortcut]
        action.setShortcuts([QKeySequence(k) for k in keys])
        # Cite and F3 must work while the reader types a note in the template panel.
        action.setShortcutContext(
            Qt.ShortcutContext.WindowShortcut
            if window_wide
            else Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        shown = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text} ({shown})")
        action.triggered.connect(self._call(slot) if isinstance(slot, str) else slot)
        self.addAction(action)
        return action

    def _call(self, name: str):
        def call() -> None:
            view = self._current_view()
            if view is not None:
                getattr(view, name)()

        return call

    def _update_controls(self) -> None:
        view = self._current_view()
        can_find = bool(view and view.can_find)
        wanted = [
            *((c, bool(view and view.can_page)) for c in (*self._page_actions, self._page_box)),
            *((c, view is not None) for c in (self._zoom_in, self._zoom_out)),
            *((c, bool(view and view.can_fit)) for c in (self._fit_width, self._fit_page)),
            *((c, can_find) for c in (self._find_box, self._focus_find, self._prev_hit,
                                      self._next_hit)),
            (self._cite, self._document is not None),
        ]  # fmt: skip
        for control, enabled in wanted:
            # Only changes: each change is an event for every button showing the action.
            if control.isEnabled() != enabled:
                control.setEnabled(enabled)
        count = view.page_count() if view else 0
        self._page_box.blockSignals(True)
        self._page_box.setRange(1 if count else 0, max(count, 1) if count else 0)
        self._page_box.setSuffix(f" of {count}" if count else "")
        # Nothing to page through: a dash, not "Page 0" (shown for the minimum value only).
        self._page_box.setSpecialValueText("" if count else "Page –")
        self._page_box.setValue(max(self.current_page(), 1) if count else 0)
        self._page_box.blockSignals(False)

    @Slot(int)
    def _on_page_changed(self, page: int) -> None:
        self._page_box.blockSignals(True)
        self._page_box.setValue(page)
        self._page_box.blockSignals(False)
        if self._document is not None:
            self.place_changed.emit(self._document.id, max(page, 1))

    @Slot()
    def _on_zoom_changed(self) -> None:
        view = self._current_view()
        zoom = getattr(view, "effective_zoom", None) if view is not None else None
        self._zoom_label.setText(f"{round(zoom() * 100)}%" if zoom is not None else "")

    @Slot()
    def _zoom_chosen(self) -> None:
        """The reader chose a zoom for PDFs: remembered (the window saves it)."""
        self._on_zoom_changed()
        view = self._current_view()
        if view is self._pdf:
            self.zoom_chosen.emit(self._pdf.zoom_setting())

    def set_zoom_setting(self, setting: str) -> None:
        """Use a remembered PDF zoom ("width", "page" or a factor)."""
        self._pdf.apply_zoom_setting(setting)

    @Slot(int)
    def _on_page_box(self, page: int) -> None:
        view = self._current_view()
        if view is not None and view.can_page:
            view.go_to_page(page)

    @Slot(int, int)
    def _on_hits_changed(self, current: int, total: int) -> None:
        if not self._find_box.text().strip():
            self._hits_label.clear()
        elif not total:
            self._hits_label.setText("No hits")
        elif current:
            self._hits_label.setText(f"{current} of {total}")
        else:
            self._hits_label.setText(plural(total, "hit"))
        self._hits_label.setAccessibleDescription(self._hits_label.text())

    def _page_back(self) -> None:
        view = self._current_view()
        if view is not None:
            view.go_to_page(view.current_page() - 1)

    def _page_forward(self) -> None:
        view = self._current_view()
        if view is not None:
            view.go_to_page(view.current_page() + 1)

    def _focus_page_box(self) -> None:
        self._page_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._page_box.selectAll()

    def _focus_find_box(self) -> None:
        self._find_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._find_box.selectAll()

    def _on_find_edited(self) -> None:
        view = self._current_view()
        if view is not None and view.can_find:
            view.find(self._find_box.text(), view.current_page())
