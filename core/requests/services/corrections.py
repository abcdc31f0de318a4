"""The applicant's corrections: a draft or a request returned for missing data, edited by
the applicant on the portal or by a relations officer."""

from __future__ import annotations

from typing import Any

from ...auth.permissions import can
from ...errors import Conflict, Forbidden
from ...i18n import gettext as _
from ...tenancy import utcnow
from .. import workflow
from ..models import AidRequest
from ..workflow import record_event
from .fields import load_extra
from .intake import check_catalog_item

EDITABLE_FIELDS = (
    "applicant_name",
    "applicant_phone",
    "applicant_city",
    "catalog_item_id",
    "summary",
    "requested_halalas",
)


def may_edit(request: AidRequest, actor: Any) -> bool:
    """The applicant on their own request (portal) or a relations officer (``requests.create``)."""

    return can(actor, "requests.create") or (workflow.is_own(request, actor) and can(actor, "portal.apply"))


def update_request(request: AidRequest, actor: Any, data: dict) -> AidRequest:
    """Correct a draft or returned request (validated ``data`` of ``PortalApplySchema``).

    403 for someone who may not edit it, 409 once it is no longer a draft or returned,
    422 per field (plugin fields under ``extra.<ns>``), nothing written on a refusal.
    """
    if not may_edit(request, actor):
        raise Forbidden(_("Your role cannot take this step."))
    if request.state not in workflow.EDITABLE_STATES:
        raise Conflict(_("Only a draft or a request returned for missing data can be edited."))
    extra = load_extra(data.get("extra"))
    check_catalog_item(data.get("catalog_item_id"))
    changed = []
    for key in EDITABLE_FIELDS:
        value = data.get(key) if key != "summary" else data.get(key) or ""
        if getattr(request, key) != value:
            setattr(request, key, value)
            changed.append(key)
    if (request.extra or {}) != extra:
        request.extra = extra
        changed.append("extra")
    if changed:
        request.updated_at = utcnow()
        record_event(request, "edit", actor, data={"fields": changed})
    return request
