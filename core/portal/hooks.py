"""Core's portal policies, as a built-in plugin (``trylast``: the plugins' come first)."""

from __future__ import annotations

from ..hookspecs import hookimpl
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..requests.forms import document_slots
from ..requests.services import DECLARATION_TEXT


@hookimpl(trylast=True)
def register_portal_policies(tenant):
    policies = []
    area = [str(place) for place in (tenant.service_area or []) if str(place).strip()]
    if area:
        policies.append(
            (_l("Who is served"), _("Applicants living in: %(places)s.", places=_(", ").join(area)))
        )
    required = [str(slot.label) for slot in document_slots() if slot.required]
    if required:
        policies.append(
            (
                _l("Documents an application needs"),
                _("Attach them to the application form: %(documents)s.", documents=_(", ").join(required)),
            )
        )
    policies.append((_l("Your declaration"), DECLARATION_TEXT))
    return policies
