"""What every supporters service shares: the permission check and the audit entry ("today" is
the association's date, :func:`core.calendar.today`)."""

from __future__ import annotations

from typing import Any

from ...audit.services import record
from ...auth.permissions import can
from ...errors import Forbidden
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l

# Fundraising: supporters, their contacts, agreements, donations, receipts and pledges.
PERMISSION = "supporters.manage"
CHOOSE = _l("Choose one of the listed values.")


def check_manage(actor: Any) -> None:
    if not can(actor, PERMISSION):
        raise Forbidden(_("Your role cannot take this step."))


def audit(action: str, obj_type: str, obj_id: int, actor: Any, details: dict | None = None) -> None:
    """``supporter.<action>`` in the audit trail: codes, amounts and dates only, never a name."""
    record(
        f"supporter.{action}",
        obj_type,
        obj_id,
        details or {},
        user=actor if getattr(actor, "is_authenticated", False) else None,
    )
