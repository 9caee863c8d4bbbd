"""The rendered images of a PDF's pages on and near the screen, within a memory budget."""

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QImage

CACHE_BYTES = 64 * 2**20

Key = tuple[int, int, int]  # page (from 0), width and height as laid out, in pixels


class PageImages:
    """Images by page and laid-out size, each covering a region of its page (the whole page,
    or the part around the view when zoomed far in); the least recently drawn go first when
    the images together pass the budget."""

    def __init__(self, budget: int = CACHE_BYTES):
        self.budget = budget
        self._images: OrderedDict[Key, tuple[QRect, QImage]] = OrderedDict()
        self._bytes = 0

    @staticmethod
    def key(page: int, size: QSize) -> Key:
        return page, size.width(), size.height()

    def bytes(self) -> int:
        """The memory the images hold."""
        return self._bytes

    def clear(self) -> None:
        self._images.clear()
        self._bytes = 0

    def kept(self) -> list[Key]:
        """The (page, width, height) of every image kept, least recently drawn first."""
        return list(self._images)

    def has(self, page: int, size: QSize) -> bool:
        """True when some image of the page at this size is kept."""
        return self.key(page, size) in self._images

    def covering(self, page: int, size: QSize, needed: QRect) -> tuple[QRect, QImage] | None:
        """The page's image at this size if it covers `needed` (in the page's pixels)."""
        key = self.key(page, size)
        cached = self._images.get(key)
        if cached is None or not cached[0].contains(needed):
            return None
        self._images.move_to_end(key)
        return cached

    def put(self, page: int, size: QSize, region: QRect, image: QImage) -> None:
        """Keep this image of `region` of the page (replacing the page's image at this size)."""
        key = self.key(page, size)
        old = self._images.pop(key, None)
        if old is not None:
            self._bytes -= old[1].sizeInBytes()
        self._images[key] = (region, image)
        self._bytes += image.sizeInBytes()
        while self._bytes > self.budget and len(self._images) > 1:
            _, (_, dropped) = self._images.popitem(last=False)
            self._bytes -= dropped.sizeInBytes()

    def drop_unless(self, wanted: Callable[[int, int, int], bool]) -> None:
        """Forget every image for which wanted(page, width, height) is false."""
        for key in list(self._images):
            if not wanted(*key):
                self._bytes -= self._images.pop(key)[1].sizeInBytes()
