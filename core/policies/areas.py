"""Which policy documents apply where: staff pages name their area (``requests.decision``,
``crime_victims.case``, …), the ``register_policy_areas`` hook says which policy kinds apply to
each, and the page links the versions of those kinds in force today (the ``policy_links`` macro
of ``policies/_links.html``; toolkit: ``policies_for_area``)."""

from __future__ import annotations

from datetime import date

from ..plugins import tenant_hooks
from ..tenancy import current_tenant
from .services import PolicyLink, in_force_links

# Core's own page areas (answered by core's built-in ``register_policy_areas``).
CORE_AREAS: dict[str, tuple[str, ...]] = {
    "requests.intake": ("support_policy_guide", "support_request_form"),
    "requests.research": ("research_services_guide",),
    "requests.decision": ("support_policy_guide", "support_request_form"),
}


def area_kinds() -> dict[str, tuple[str, ...]]:
    """Every area of the current tenant with its kinds (core's and the enabled plugins')."""
    tenant = current_tenant()
    if tenant is None:
        return {}
    merged: dict[str, list[str]] = {}
    for answer in tenant_hooks().register_policy_areas(tenant=tenant):
        for area, kinds in (answer or {}).items():
            merged.setdefault(area, [])
            merged[area] += [kind for kind in kinds if kind not in merged[area]]
    return {area: tuple(kinds) for area, kinds in merged.items()}


def links_for(area: str, on: date | None = None) -> list[PolicyLink]:
    """The policies in force (today) of the kinds that apply to ``area``, as links to their
    file; ``[]`` when the area is unknown or none is in force."""
    kinds = area_kinds().get(area)
    if not kinds:
        return []
    return in_force_links(kinds=kinds, on=on)
