"""What an association's portal landing page tells a visitor (plain functions).

The association's name and logo, what it offers (its active catalog items, each described in
plain words), the policies in force (``register_portal_policies``: core's own — the service
area, the documents an application needs, the declaration — and each enabled plugin's) and
where a complaint goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app, url_for

from ..i18n import current_language
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..numbers import format_halalas
from ..plugins import tenant_hooks
from ..requests.services import catalog

KIND_LABELS = {"cash": _l("Cash aid"), "in_kind": _l("Aid in kind")}
UNIT_LABELS = {"family": _l("for the family"), "individual": _l("per person")}
SEASON_LABELS = {
    "school_bag": _l("School bag"),
    "ramadan_basket": _l("Ramadan basket"),
    "iftar": _l("Iftar"),
    "zakat_al_fitr": _l("Zakat al-fitr"),
    "eid_clothing": _l("Eid clothing"),
    "udhiya": _l("Udhiya"),
    "winter_clothing": _l("Winter clothing"),
}
# The complaint route: issue 13's grievance portal, linked once it is installed.
GRIEVANCE_ENDPOINT = "grievances_portal.new"


@dataclass(frozen=True)
class Offer:
    name: str
    description: str


@dataclass(frozen=True)
class Policy:
    title: str
    text: str


def describe(item: Any) -> str:
    """A catalog item in plain words: "Cash aid for the family, usually 1,500.00 SAR; in Ramadan basket season"."""
    parts = [f"{KIND_LABELS.get(item.kind, _l('Aid'))} {UNIT_LABELS.get(item.unit, '')}".strip()]
    if item.default_value_halalas:
        parts.append(_("usually %(amount)s SAR", amount=format_halalas(item.default_value_halalas)))
    if item.seasonal and item.season:
        parts.append(
            _("given in its season: %(season)s", season=SEASON_LABELS.get(item.season, _l("seasonal")))
        )
    elif item.seasonal:
        parts.append(_("given in its season"))
    return _("; ").join(str(part) for part in parts)


def offers() -> list[Offer]:
    """The current tenant's active catalog items (an inactive one is not offered)."""
    name = "name_ar" if current_language() == "ar" else "name_en"
    return [Offer(getattr(item, name) or item.name_ar, describe(item)) for item in catalog(active_only=True)]


def _as_policy(declared: Any) -> Policy:
    if isinstance(declared, Policy):
        return declared
    if isinstance(declared, dict):
        return Policy(str(declared["title"]), str(declared["text"]))
    title, text = declared
    return Policy(str(title), str(text))


def policies(tenant: Any) -> list[Policy]:
    """Every policy the enabled plugins and core declare for ``tenant`` (plugins first)."""
    found: list[Policy] = []
    for declared in tenant_hooks().register_portal_policies(tenant=tenant):
        found.extend(_as_policy(entry) for entry in declared or [])
    return found


def complaint_link() -> str | None:
    """Where a complaint is filed on the portal, when the grievance portal is installed."""
    if GRIEVANCE_ENDPOINT in current_app.view_functions:
        return url_for(GRIEVANCE_ENDPOINT)
    return None
