"""A grid layout that reflows to its width: as many columns as fit, down to one.

The template panel sits beside the document viewer and is often narrow; its rows of answer
buttons must wrap instead of pushing the panel into horizontal scrolling.
"""

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


def share_out(widths: list[int], spare: int) -> list[int]:
    """Widen columns by ``spare`` pixels in all, narrowest first, so they end as equal as possible.

    With room enough every column ends the same width; otherwise the narrow ones catch up with
    the wide ones and the widest keep their natural width.
    """
    if spare <= 0 or not widths:
        return list(widths)
    ordered = sorted(widths)
    remaining, level, raised = spare, ordered[0], 1
    # raise the narrowest columns together until they meet the next one or the spare runs out
    while raised < len(ordered) and (ordered[raised] - level) * raised <= remaining:
        remaining -= (ordered[raised] - level) * raised
        level = ordered[raised]
        raised += 1
    exact = level + remaining / raised
    result = [max(w, int(exact)) for w in widths]
    # whole pixels: the ones rounding dropped go to the widened columns, last first
    leftover = sum(widths) + spare - sum(result)
    for i in reversed(range(len(result))):
        if leftover <= 0:
            break
        if widths[i] < exact:
            result[i] += 1
            leftover -= 1
    return result


class ReflowGrid(QLayout):
    """Items in reading order, in up to ``columns`` columns: as many as the width allows.

    Each column is as wide as its widest item; with ``fill`` the spare width is shared out
    (narrowest columns first) and items stretch to their column, so a row spans the width.
    Without ``fill`` items keep their natural width and the row stays at the left.
    """

    def __init__(self, parent: QWidget | None = None, columns: int = 3, fill: bool = True):
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._max_columns = max(1, columns)
        self._fill = fill
        self.setSpacing(4)

    # --- QLayout's item surface ---------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        if 0 <= index < len(self._items):
            item = self._items.pop(index)
            self.invalidate()
            return item
        return None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation.Horizontal if self._fill else Qt.Orientation(0)

    # --- sizes --------------------------------------------------------------------------------

    def columns_for(self, width: int) -> int:
        """How many columns the items take at this width (margins included)."""
        return self._plan(width)[0]

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = self._natural_width(self._max_columns)
        return QSize(width, self.heightForWidth(width))

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        # one column at least as wide as the widest item; the height comes from heightForWidth
        left, top, right, bottom = self.getContentsMargins()
        widest = max((self._min_width(i) for i in self._visible()), default=0)
        return QSize(widest + left + right, self.heightForWidth(self.sizeHint().width()))

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    # --- the arrangement ----------------------------------------------------------------------

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _min_width(self, item: QLayoutItem) -> int:
        return max(item.minimumSize().width(), 0)

    def _column_widths(self, columns: int) -> list[int]:
        widths = [0] * columns
        for n, item in enumerate(self._visible()):
            widths[n % columns] = max(widths[n % columns], item.sizeHint().width())
        return widths

    def _natural_width(self, columns: int) -> int:
        left, _, right, _ = self.getContentsMargins()
        columns = max(1, min(columns, len(self._visible())))
        widths = self._column_widths(columns)
        return sum(widths) + self.spacing() * (columns - 1) + left + right

    def _plan(self, width: int) -> tuple[int, list[int]]:
        """(columns, column widths) for a width: the most columns whose natural widths fit,
        then as few as give the same number of rows (four answers in two rows of two, not
        three and one)."""
        left, _, right, _ = self.getContentsMargins()
        inner = max(width - left - right, 0)
        count = len(self._visible())
        for columns in range(min(self._max_columns, count), 1, -1):
            if self._needed(columns) <= inner:
                rows = -(-count // columns)
                balanced = -(-count // rows)
                if balanced < columns and self._needed(balanced) <= inner:
                    columns = balanced
                widths = self._column_widths(columns)
                spare = inner - self._needed(columns)
                return columns, share_out(widths, spare) if self._fill else widths
        return 1, [inner]

    def _needed(self, columns: int) -> int:
        return sum(self._column_widths(columns)) + self.spacing() * (columns - 1)

    def _arrange(self, rect: QRect, place: bool) -> int:
        """Place the items in ``rect`` (or only measure); returns the height used."""
        left, top, right, bottom = self.getContentsMargins()
        items = self._visible()
        if not items:
            return top + bottom
        columns, widths = self._plan(rect.width())
        gap = self.spacing()
        y = rect.y() + top
        for start in range(0, len(items), columns):
            row = items[start : start + columns]
            sizes = []
            for n, item in enumerate(row):
                hint = item.sizeHint()
                width = widths[n] if self._fill else min(hint.width(), widths[n])
                height = item.heightForWidth(width) if item.hasHeightForWidth() else -1
                sizes.append((width, height if height >= 0 else hint.height()))
            row_height = max(h for _, h in sizes)
            if place:
                x = rect.x() + left
                for n, (item, (width, _)) in enumerate(zip(row, sizes, strict=True)):
                    item.setGeometry(QRect(x, y, width, row_height))
                    # without fill the row packs to the left, as a line of text does
                    x += (widths[n] if self._fill else width) + gap
            y += row_height + gap
        return y - gap - rect.y() + bottom
