"""Reading the append-only audit log (writing is Store.audit)."""

from casereader.store.models import AuditEntry
from casereader.store.store import Store


def entries(
    store: Store, case_ref: str | None = None, action: str | None = None
) -> list[AuditEntry]:
    """Audit entries, oldest first, optionally for one case or one action."""
    where, params = [], []
    if case_ref:
        where.append("case_ref = ?")
        params.append(case_ref)
    if action:
        where.append("action = ?")
        params.append(action)
    sql = "SELECT * FROM audit_log" + (" WHERE " + " AND ".join(where) if where else "")
    return [AuditEntry(**row) for row in store.db.query(sql + " ORDER BY id", params)]
