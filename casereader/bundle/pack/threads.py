"""The threads a pack works with: page-text staging while writing, one pyrage call while opening."""

import threading
from collections.abc import Callable
from typing import BinaryIO

from casereader.store.bundles.pack_text import PackText


class Staging(threading.Thread):
    """Stages the pack's page text (one SQLite statement) while the calling thread seals the key.

    pyrage holds the GIL for the whole scrypt seal (a second or more); SQLite does not need it,
    so the text is read, decrypted and made JSON meanwhile. The calling thread touches the store
    again only after `wait()`.
    """

    def __init__(self, text: PackText) -> None:
        super().__init__(daemon=True, name="pack-text-staging")
        self.text = text
        self.running = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.text.stage(about_to_run=self.running.set)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread by wait()
            self.error = exc
        finally:
            self.running.set()

    def wait(self) -> None:
        """Until the text is staged; raises what the staging raised."""
        self.join()
        if self.error is not None:
            raise self.error


class Worker(threading.Thread):
    """Runs one pyrage stream call, keeping its exception, closing `close_after` at the end."""

    def __init__(self, work: Callable[[], None], close_after: BinaryIO) -> None:
        super().__init__(daemon=True)
        self._work = work
        self._close_after = close_after
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._work()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            self.error = exc
        finally:
            try:
                self._close_after.close()
            except OSError as exc:
                self.error = self.error or exc
