"""The reflowing grid of answer buttons: as many columns as fit, rows kept even."""

from PySide6.QtWidgets import QPushButton, QWidget

from casereader.ui.grading.reflow import ReflowGrid

HOSTS: list[QWidget] = []  # the layouts' widgets, kept alive while a test uses the layout


def grid(qtbot, count: int, columns: int = 4) -> ReflowGrid:
    host = QWidget()
    HOSTS.append(host)
    qtbot.addWidget(host)
    layout = ReflowGrid(host, columns=columns)
    layout.setContentsMargins(0, 0, 0, 0)
    for n in range(count):
        button = QPushButton(f"Answer {n}")
        button.setFixedWidth(100)
        layout.addWidget(button)
    return layout


def test_four_answers_take_one_row_or_two_rows_of_two(qtbot):
    layout = grid(qtbot, 4)
    assert layout.columns_for(4 * 100 + 3 * 4) == 4
    assert layout.columns_for(3 * 100 + 2 * 4) == 2  # three fit, but 3 + 1 reads badly
    assert layout.columns_for(2 * 100 + 4) == 2
    assert layout.columns_for(150) == 1


def test_rows_stay_even_for_other_counts(qtbot):
    assert grid(qtbot, 5, columns=3).columns_for(3 * 100 + 2 * 4) == 3  # 3 + 2
    assert grid(qtbot, 7, columns=4).columns_for(4 * 100 + 3 * 4) == 4  # 4 + 3
    assert grid(qtbot, 8, columns=3).columns_for(3 * 100 + 2 * 4) == 3  # 3 + 3 + 2
    assert grid(qtbot, 5, columns=4).columns_for(4 * 100 + 3 * 4) == 3  # 3 + 2, not 4 + 1
