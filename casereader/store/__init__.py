"""The encrypted per-inspection store. Importing this package never imports Qt."""

from casereader.store.store import Store

__all__ = ["Store"]
