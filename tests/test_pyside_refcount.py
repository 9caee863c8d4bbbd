"""Guards against PySide6 6.12.0's none_dealloc bug: calls that drop a reference to None on
every return until None is freed and Python aborts. 6.11.3 is pinned; this test fails (instead
of the app crashing later) if a broken build comes back.
"""

import sys

from PySide6.QtCore import QObject


def test_setobjectname_does_not_leak_references_to_none():
    obj = QObject()
    before = sys.getrefcount(None)
    for _ in range(10_000):
        obj.setObjectName("x")
    after = sys.getrefcount(None)
    # None is immortal from Python 3.12 (a huge constant count); on 3.11 it must not fall.
    assert after >= before - 10, f"references to None fell from {before} to {after}"
