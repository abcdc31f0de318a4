"""Who may do what with a plan: staff read; tenant admins and executive directors edit and
approve. ``actor=None`` is the operator's own command line or the demo loader (no web user)."""

from __future__ import annotations

from typing import Any

from ..auth.permissions import can
from ..errors import Forbidden
from ..i18n import lazy_gettext as _l


def require(actor: Any, action: str) -> None:
    if actor is not None and not can(actor, action):
        raise Forbidden(_l("Your role cannot take this step."))
