"""The Store: one inspection's encrypted file, its settings, template and audit log."""

import json
import uuid
from functools import cached_property
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlite_utils import Database

from casereader.domain.template import Template, parse_template
from casereader.errors import StoreError, StoreGone
from casereader.store import inuse
from casereader.store.db import create_database, now, open_database
from casereader.store.models import Inspection, Role


class Store:
    """An open store. Not shared across threads: a worker opens its own from ``path``."""

    def __init__(self, path: Path, db: Database):
        self.path = Path(path)
        self.db = db
        self._identity = _file_identity(self.path)

    @classmethod
    def open(cls, path: Path | str, passphrase: str, exclusive: bool = False) -> "Store":
        """Open an existing store (migrating an older one after a backup).

        EXCLUSIVE: hold the store's in-use lock until close (StoreLocked if another program has
        it), as the app and the CLI do.
        """
        if exclusive:
            inuse.acquire(Path(path))
        try:
            store = cls(Path(path), open_database(Path(path), passphrase))
            store.inspection  # noqa: B018 - fail now, not later, on a store without settings
        except BaseException:
            if exclusive:
                inuse.release(Path(path), discard=True)
            raise
        if exclusive:
            inuse.mark_holder(Path(path))
        store._exclusive = exclusive
        return store

    @classmethod
    def create(
        cls,
        path: Path | str,
        passphrase: str,
        template: Template,
        inspection_name: str,
        role: Role = "reader",
        reader_id: str | None = None,
        inspection_id: str | None = None,
        signing_key: bytes | None = None,
    ) -> "Store":
        """Create a new store for one inspection, with its Ed25519 signing key.

        A reader store opened from a reading pack takes the key the coordinator enrolled
        (`signing_key`, raw 32 bytes); otherwise a fresh key is made.
        """
        if not inspection_name.strip():
            raise StoreError("Give the inspection a name.")
        reader_id = (reader_id or ("coordinator" if role == "coordinator" else "")).strip()
        if not reader_id:
            raise StoreError("A reader store needs a reader id (for example R1).")
        db = create_database(Path(path), passphrase)
        key = (
            Ed25519PrivateKey.from_private_bytes(signing_key)
            if signing_key is not None
            else Ed25519PrivateKey.generate()
        )
        settings = {
            "inspection_id": inspection_id or str(uuid.uuid4()),
            "inspection_name": inspection_name.strip(),
            "role": role,
            "reader_id": reader_id,
            "template_sha256": template.sha256,
            "created_at": now(),
            "signing_private_key": key.private_bytes_raw().hex(),
            "signing_public_key": key.public_key().public_bytes_raw().hex(),
        }
        with db.atomic():
            db["templates"].insert(
                {
                    "sha256": template.sha256,
                    "template_id": template.id,
                    "version": template.version,
                    "source": template.source_text,
                    "added_at": settings["created_at"],
                }
            )
            db["settings"].insert_all([{"key": k, "value": v} for k, v in settings.items()])
        store = cls(Path(path), db)
        store.audit("store.created", detail={"role": role, "template": template.id})
        return store

    def gone(self) -> bool:
        """Whether the store's file is no longer where it was opened (its folder was moved or
        removed, or the file replaced): writes would go to a file nobody can open again."""
        return self._identity is not None and _file_identity(self.path) != self._identity

    def check_present(self) -> None:
        """Raise StoreGone, saying what to do, when the store's file has gone from its place."""
        if self.gone():
            raise StoreGone(
                f"{self.path} is no longer there (its folder was moved or removed): nothing "
                "more can be saved to it. Everything saved until now is still open in this "
                "window: save a rescue copy (File → Save a rescue copy…), then open that."
            )

    def rescue_copy(self, target: Path, passphrase: str) -> Path:
        """Write the whole open store, encrypted with PASSPHRASE, to a new file TARGET.

        Works while the original file has gone: this connection still reads it.
        """
        target = Path(target)
        if target.exists():
            raise StoreError(f"{target}: a file is already there; choose another name.")
        if not target.parent.is_dir():
            raise StoreError(f"{target.parent}: no such folder.")
        from casereader.store.db import _quote, connect

        self.db.execute(f"ATTACH DATABASE ? AS rescue KEY {_quote(passphrase)}", [str(target)])
        try:
            self.db.execute("SELECT sqlcipher_export('rescue')").fetchall()
            version = self.db.execute("PRAGMA main.user_version").fetchone()[0]
            self.db.execute(f"PRAGMA rescue.user_version = {int(version)}")
        finally:
            self.db.execute("DETACH DATABASE rescue")
        connect(target, passphrase).close()  # it opens with the passphrase
        return target

    def close(self) -> None:
        self.db.close()
        if getattr(self, "_exclusive", False):
            self._exclusive = False
            inuse.release(self.path)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # settings ---------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    @cached_property
    def inspection(self) -> Inspection:
        rows = dict(self.db.execute("SELECT key, value FROM settings").fetchall())
        try:
            return Inspection(
                inspection_id=rows["inspection_id"],
                name=rows["inspection_name"],
                role=rows["role"],
                reader_id=rows["reader_id"],
                template_sha256=rows["template_sha256"],
                created_at=rows["created_at"],
                signing_public_key=rows.get("signing_public_key", ""),
            )
        except KeyError as e:
            raise StoreError(f"{self.path.name}: the store's settings are incomplete ({e}).") from e

    @property
    def reader_id(self) -> str:
        return self.inspection.reader_id

    @property
    def role(self) -> Role:
        return self.inspection.role

    @cached_property
    def template(self) -> Template:
        return self.template_by_sha(self.inspection.template_sha256)

    def template_by_sha(self, sha256: str) -> Template:
        row = self.db.execute("SELECT source FROM templates WHERE sha256 = ?", [sha256]).fetchone()
        if row is None:
            raise StoreError(
                f"{self.path.name}: template {sha256[:12]}… is missing from the store."
            )
        template = parse_template(row[0], source=f"{self.path.name}:template")
        if template.sha256 != sha256:
            raise StoreError(f"{self.path.name}: the stored template does not match its hash.")
        return template

    def signing_private_key(self) -> bytes:
        return bytes.fromhex(self.setting("signing_private_key") or "")

    # audit --------------------------------------------------------------------

    def audit(
        self,
        action: str,
        case_ref: str | None = None,
        target: str | None = None,
        old: str | None = None,
        new: str | None = None,
        detail: dict | None = None,
        actor: str | None = None,
    ) -> None:
        """Append one entry to the audit log (call inside the change's own transaction)."""
        self.db.execute(
            "INSERT INTO audit_log (at, actor, action, case_ref, target, old_value, new_value,"
            " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                now(),
                actor or self.reader_id,
                action,
                case_ref,
                target,
                old,
                new,
                json.dumps(detail, sort_keys=True) if detail else None,
            ],
        )


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if st.st_ino else None
