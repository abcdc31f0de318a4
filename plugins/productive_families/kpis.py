"""The plugin's KPI figures for a period (``register_kpi_sources``): each is a source the planning
module can bind a plan indicator to, by its key."""

from __future__ import annotations

from datetime import date

from core.toolkit import KpiSource, Tenant

from . import services
from .i18n import _l
from .services import initiatives as initiative_services
from .services import meetings as meeting_services

P = "productive_families."


def families_licensed(tenant: Tenant, start: date, end: date) -> int:
    return services.families_licensed(start, end)


def exhibitions_held(tenant: Tenant, start: date, end: date) -> int:
    return services.exhibitions_held(start, end)


def exhibition_families(tenant: Tenant, start: date, end: date) -> int:
    return len(services.exhibition_households(start, end))


def exhibition_sales(tenant: Tenant, start: date, end: date) -> int:
    return services.exhibition_sales(start, end)


def financing_channels(tenant: Tenant, start: date, end: date) -> int:
    return services.channels_in_use(start, end)


def quality_partnerships(tenant: Tenant, start: date, end: date) -> int:
    return services.quality_partnerships()


def families_financed(tenant: Tenant, start: date, end: date) -> int:
    return services.financed(start, end)[0]


def amount_financed(tenant: Tenant, start: date, end: date) -> int:
    return services.financed(start, end)[1]


def specialised_programs(tenant: Tenant, start: date, end: date) -> int:
    return services.specialised_programs_held(start, end)


def families_trained(tenant: Tenant, start: date, end: date) -> int:
    return services.families_trained(start, end)


def training_partnerships(tenant: Tenant, start: date, end: date) -> int:
    return services.quality_training_partnerships()


def meetings_held(tenant: Tenant, start: date, end: date) -> int:
    return meeting_services.meetings_held(start, end)


def meeting_attendees(tenant: Tenant, start: date, end: date) -> int:
    return meeting_services.meeting_attendees(start, end)


def initiatives_meeting_target(tenant: Tenant, start: date, end: date) -> int:
    return initiative_services.initiatives_meeting_target(start, end)


def sources() -> list[KpiSource]:
    return [
        KpiSource(
            P + "families_licensed", _l("Families whose licence was issued"), "count", families_licensed
        ),
        KpiSource(P + "exhibitions_held", _l("Exhibitions held"), "count", exhibitions_held),
        KpiSource(
            P + "exhibition_families",
            _l("Families with a booth at an exhibition"),
            "count",
            exhibition_families,
        ),
        KpiSource(P + "exhibition_sales", _l("Sales at exhibitions"), "halalas", exhibition_sales),
        KpiSource(P + "financing_channels", _l("Financing channels in use"), "count", financing_channels),
        KpiSource(
            P + "quality_partnerships",
            _l("Partnerships at or above the quality threshold"),
            "count",
            quality_partnerships,
        ),
        KpiSource(P + "families_financed", _l("Families financed"), "count", families_financed),
        KpiSource(P + "amount_financed", _l("Amount financed"), "halalas", amount_financed),
        KpiSource(
            P + "specialised_programs",
            _l("Specialised training programs held"),
            "count",
            specialised_programs,
        ),
        KpiSource(
            P + "families_trained", _l("Families trained (program completed)"), "count", families_trained
        ),
        KpiSource(
            P + "training_partnerships",
            _l("Training partnerships at or above the quality threshold"),
            "count",
            training_partnerships,
        ),
        KpiSource(P + "meetings_held", _l("Meetings held with families"), "count", meetings_held),
        KpiSource(P + "meeting_attendees", _l("Families who attended meetings"), "count", meeting_attendees),
        KpiSource(
            P + "initiatives_meeting_target",
            _l("Initiatives meeting the quality target"),
            "count",
            initiatives_meeting_target,
        ),
    ]
