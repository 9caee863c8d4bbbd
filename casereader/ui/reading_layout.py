"""The reading layout: while a case is open, the case list folds into a narrow strip beside
the workspace so the page gets the width; Ctrl+1 or the strip brings the list back."""

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QToolButton, QVBoxLayout, QWidget

from casereader.ui.cases import CaseListPane

STRIP_WIDTH = 26


class FoldedCaseList(QWidget):
    """The case list, or (folded) a strip with one button that unfolds it."""

    fold_changed = Signal(bool)  # True: folded

    def __init__(self, case_list: CaseListPane, splitter: QSplitter, parent=None):
        super().__init__(parent)
        self.case_list = case_list
        self._splitter = splitter
        self._width = 0  # the list's width before it was folded
        self.strip = QToolButton()
        self.strip.setText("›")
        self.strip.setAutoRaise(True)
        self.strip.setAccessibleName("Show the case list")
        self.strip.setToolTip("Show the case list (Ctrl+1)")
        self.strip.setFixedWidth(STRIP_WIDTH)
        self.strip.setSizePolicy(self.strip.sizePolicy().horizontalPolicy(),
                                 self.strip.sizePolicy().Policy.Expanding)  # fmt: skip
        self.strip.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+1 is the keyboard's way
        self.strip.setStyleSheet(
            "QToolButton { border: none; border-right: 1px solid palette(mid);"
            " background: palette(button); font-weight: bold; }"
        )
        self.strip.clicked.connect(self.unfold)
        strip_box = QVBoxLayout()
        strip_box.setContentsMargins(0, 0, 0, 0)
        strip_box.addWidget(self.strip, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(case_list)
        layout.addLayout(strip_box)
        self.strip.hide()

    def is_folded(self) -> bool:
        return self.strip.isVisibleTo(self)

    @Slot()
    def fold(self) -> None:
        """Give the list's width to the workspace (the page)."""
        if self.is_folded():
            return
        if self.width() > STRIP_WIDTH * 2:
            self._width = self.width()
        self.case_list.hide()
        self.strip.show()
        total = sum(self._splitter.sizes())
        self._splitter.setSizes([STRIP_WIDTH, max(total - STRIP_WIDTH, 0)])
        self.fold_changed.emit(True)

    @Slot()
    def unfold(self, width: int = 0) -> None:
        """Show the list again at its width before folding (or the width given)."""
        if not self.is_folded():
            return
        self.strip.hide()
        self.case_list.show()
        wanted = width or self._width or self.case_list.wanted_width()
        total = sum(self._splitter.sizes())
        self._splitter.setSizes([wanted, max(total - wanted, 0)])
        self.fold_changed.emit(False)

    def set_folded(self, folded: bool) -> None:
        (self.fold if folded else self.unfold)()
