"""Bundles and reading packs in the desktop app: export, import (coordinator), open a pack.

- `export_bundle(parent, store)`: the notes check first (its warnings shown), then a dialog with
  the recipient (pasted or read from a file) and the store's signing-key fingerprint; the
  manifest is signed on the GUI thread, the encryption and the file run as a job.
- `import_bundles(parent, store)`: pick bundle files and the lead inspector's key (and its
  passphrase); decrypting and checking run as a job, the quick writes on the GUI thread (the
  one Store never crosses threads); then a per-bundle result list.
- `open_reading_pack(parent)`: pack file, pack passphrase, the new store and its passphrase
  twice; the work runs in a separate process (pyrage holds the GIL) with a progress dialog.

The main window and the welcome screen import this package when one of these three is used.
"""

from casereader.ui.bundles.dialogs import BUNDLE_FILTER, PACK_FILTER
from casereader.ui.bundles.export_dialogs import (
    ExportDialog,
    ExportRequest,
    NotesCheckDialog,
    signing_fingerprint,
)
from casereader.ui.bundles.export_flow import ExportFlow, export_bundle
from casereader.ui.bundles.import_dialog import ImportDialog, ImportRequest
from casereader.ui.bundles.import_flow import ImportFlow, import_bundles
from casereader.ui.bundles.import_results import BundleOutcomeModel, ImportResultDialog
from casereader.ui.bundles.pack_dialog import OpenPackDialog, OpenPackRequest
from casereader.ui.bundles.pack_opener import PackOpener, open_reading_pack

__all__ = [
    "BUNDLE_FILTER",
    "PACK_FILTER",
    "BundleOutcomeModel",
    "ExportDialog",
    "ExportFlow",
    "ExportRequest",
    "ImportDialog",
    "ImportFlow",
    "ImportRequest",
    "ImportResultDialog",
    "NotesCheckDialog",
    "OpenPackDialog",
    "OpenPackRequest",
    "PackOpener",
    "export_bundle",
    "import_bundles",
    "open_reading_pack",
    "signing_fingerprint",
]
