"""Exceptions the core raises; each message says what is wrong and what to do."""


class CaseReaderError(Exception):
    """Base for every error meant to be shown to a user as one line."""


class UsageError(CaseReaderError):
    """The command or its arguments were wrong (CLI exit status 2)."""


class TemplateError(CaseReaderError):
    """A record-reading template file is malformed or unknown."""


class StoreError(CaseReaderError):
    """The store cannot be opened or written."""


class WrongPassphrase(StoreError):
    """The passphrase does not open the store."""


class StoreTooNew(StoreError):
    """The store was written by a newer version of casereader."""


class StoreLocked(StoreError):
    """The store is locked (idle lock or another program holds it)."""


class StoreGone(StoreError):
    """The store's file is no longer where it was opened (its folder was moved or removed)."""


class ImportRejected(CaseReaderError):
    """An import file (sample CSV, documents) was refused as a whole; nothing was written."""


class AnswerRejected(CaseReaderError):
    """An answer value does not fit its template item."""


class BundleRejected(CaseReaderError):
    """A bundle or reading pack was refused; the store is unchanged."""
