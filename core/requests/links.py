"""Adapters to the registry (beneficiary files) and the audit log of issue 4.

Kept in one small module so the workflow does not depend on their internals: it needs a
file's status and a way to record an audited event.
"""

from __future__ import annotations

from typing import Any

from ..audit.services import record
from ..extensions import db
from ..plugins import tenant_hooks
from ..registry.models import BeneficiaryFile

BLOCKING_FILE_STATUSES = frozenset({"suspended", "excluded"})


def file_of(request) -> Any:
    """The beneficiary file linked to ``request`` (None when not linked)."""
    if request.file_id is None:
        return None
    return db.session.get(BeneficiaryFile, request.file_id)


def file_status(request) -> str | None:
    file = file_of(request)
    if file is None:
        return None
    tenant_hooks().file_status_checked(file=file)  # plugins may bring the status up to date first
    return file.status


# Free text and names stay out of the audit trail (it holds codes, figures and ids only).
_PERSONAL_KEYS = frozenset(
    {"signed_by", "declaration_signed_by", "reason", "acknowledged_by", "provider_name"}
)


def audit(action: str, target: Any, actor: Any = None, data: dict | None = None) -> None:
    """Record an audited event through ``core.audit`` (personal data left out)."""
    details = {}
    for key, value in (data or {}).items():
        if key in _PERSONAL_KEYS:
            details[key] = bool(value)
        elif key == "members_present":
            details["members_present_count"] = len(value or [])
        else:
            details[key] = value
    record(action, type(target).__name__, getattr(target, "id", None), details, user=actor)
