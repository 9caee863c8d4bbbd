"""The page-image cache: what it keeps, what covers a view, and its memory budget."""

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QImage

from casereader.ui.documents.page_images import PageImages


def image(width: int, height: int) -> QImage:
    return QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)


def test_an_image_covers_only_its_region_and_size():
    images = PageImages()
    size = QSize(100, 200)
    images.put(0, size, QRect(0, 0, 100, 100), image(100, 100))
    assert images.covering(0, size, QRect(10, 10, 50, 50)) is not None
    assert images.covering(0, size, QRect(0, 90, 100, 20)) is None  # partly outside the region
    assert images.covering(0, QSize(50, 100), QRect(0, 0, 10, 10)) is None  # another zoom
    assert images.covering(1, size, QRect(0, 0, 10, 10)) is None
    assert images.has(0, size) and not images.has(1, size)
    assert images.bytes() == 100 * 100 * 4


def test_replacing_a_page_image_counts_its_bytes_once():
    images = PageImages()
    size = QSize(100, 100)
    images.put(0, size, QRect(0, 0, 50, 50), image(50, 50))
    images.put(0, size, QRect(0, 0, 100, 100), image(100, 100))
    assert images.bytes() == 100 * 100 * 4


def test_the_least_recently_drawn_go_first_past_the_budget():
    size = QSize(100, 100)
    images = PageImages(budget=100 * 100 * 4 * 2)
    for page in range(2):
        images.put(page, size, QRect(0, 0, 100, 100), image(100, 100))
    assert images.covering(0, size, QRect(0, 0, 1, 1)) is not None  # page 0 drawn again
    images.put(2, size, QRect(0, 0, 100, 100), image(100, 100))
    assert [images.has(p, size) for p in range(3)] == [True, False, True]
    assert images.bytes() <= images.budget


def test_a_single_image_larger_than_the_budget_is_still_kept():
    images = PageImages(budget=10)
    images.put(0, QSize(10, 10), QRect(0, 0, 10, 10), image(10, 10))
    assert images.has(0, QSize(10, 10))


def test_drop_unless_forgets_the_unwanted_and_their_bytes():
    images = PageImages()
    for page in range(4):
        images.put(page, QSize(10, 10), QRect(0, 0, 10, 10), image(10, 10))
    images.drop_unless(lambda page, width, height: page % 2 == 0)
    assert [images.has(p, QSize(10, 10)) for p in range(4)] == [True, False, True, False]
    assert images.bytes() == 2 * 10 * 10 * 4
    images.clear()
    assert images.bytes() == 0 and not images.has(0, QSize(10, 10))
