"""Adapters to the registry (beneficiary files) and the audit log of issue 4.

Kept in one small module so the workflow does not depend on their internals: it needs a
file's status and a way to record an audited event.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("charity_platform.requests")
BLOCKING_FILE_STATUSES = frozenset({"suspended", "excluded"})


def file_of(request) -> Any:
    """The beneficiary file linked to ``request`` (None when not linked)."""
    if request.file_id is None:
        return None
    try:
        from ..registry.models import BeneficiaryFile
    except ImportError:  # pragma: no cover - registry not installed yet
        return None
    from ..extensions import db

    return db.session.get(BeneficiaryFile, request.file_id)


def file_status(request) -> str | None:
    file = file_of(request)
    return getattr(file, "status", None) if file is not None else None


def audit(action: str, target: Any, actor: Any = None, data: dict | None = None) -> None:
    """Record an audited event through ``core.audit`` (logged only while it is absent)."""
    try:
        from .. import audit as audit_module
    except ImportError:
        audit_module = None
    record = getattr(audit_module, "record", None) if audit_module is not None else None
    if record is None:
        log.info("audit %s %s#%s by %s: %s", action, type(target).__name__, getattr(target, "id", None), getattr(actor, "id", None), data)
        return
    record(action, target, data=data or {})
