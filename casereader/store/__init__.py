"""The encrypted per-inspection store. Importing this package never imports Qt.

``Store`` is imported when first used, so that a module needing only the store's models (a
process laying out printed summaries) does not load the database libraries.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers and the frozen build's analysis
    from casereader.store.store import Store

__all__ = ["Store"]


def __getattr__(name: str):
    if name == "Store":
        from casereader.store.store import Store

        globals()["Store"] = Store
        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
