"""Reading packs (coordinator → reader): a reader's cases and documents, under a passphrase.

A pack is a tar archive streamed through age under a one-off passphrase (see `age` for the
passphrase envelope), never whole in memory and never as plaintext on disk:

    pack.json              what the pack is: inspection, reader, template, lead inspector's
                           recipient, the names list, the cases, and every document's metadata
                           with the SHA-256 of its bytes
    template.toml          the record-reading template, byte for byte
    documents/000001.pdf   a document's bytes ...
    text/000001.json       ... then its page text: {"pages": [[page, text], ...]}
    ...                    (one pair per document, in pack.json's order)
    checksums.json         the SHA-256 of every text member (computed as they were written, so
                           each text is read from the store once)

Writing (`writer`): pyrage pulls the tar from `tar_stream.TarStream`, which makes it as it is
read, one document at a time (no pipe, no thread, no plaintext file). The scrypt seal of the
one-off key comes first and holds the GIL for a second or more; meanwhile a thread
(`threads.Staging`) has SQLite stage the page text as JSON (store.bundles.PackText, memory
only, bounded), which the GIL does not hold up. `plan` decides what the pack holds.

Opening (`opener`): a thread decrypts into a pipe while the archive is read from it
defensively, each member checked against pack.json (`fill`) before it is written into a NEW
store file under a temporary name; the store is renamed into place only when everything
checked out (the text hashes last), and deleted on any failure. pyrage holds the GIL while it
works, so the desktop app runs `open_pack` in a separate process (`open_pack_in_child`).
"""

from casereader.bundle.pack.common import (
    MAX_PACK_JSON_BYTES,
    MAX_TEMPLATE_BYTES,
    PACK_LIMITS,
    ProgressCallback,
)
from casereader.bundle.pack.opener import OpenedPack, open_pack, open_pack_in_child
from casereader.bundle.pack.tar_stream import tar_header
from casereader.bundle.pack.writer import PASSPHRASE_BITS, PackResult, write_pack

__all__ = [
    "MAX_PACK_JSON_BYTES",
    "MAX_TEMPLATE_BYTES",
    "PACK_LIMITS",
    "PASSPHRASE_BITS",
    "OpenedPack",
    "PackResult",
    "ProgressCallback",
    "open_pack",
    "open_pack_in_child",
    "tar_header",
    "write_pack",
]
