"""Assessment and ceiling: the eligibility checks of core and the plugins, and the ceiling
an approval may reach (the lowest plugin proposal, else core's default)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...extensions import db
from ...plugins import tenant_hooks
from .. import links
from ..models import AidRequest, CatalogItem

CHECK_OUTCOMES = ("pass", "fail", "needs_review")


@dataclass(frozen=True)
class Check:
    code: str
    label: Any
    outcome: str
    reason: Any = ""
    figures: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "label": str(self.label),
            "outcome": self.outcome,
            "reason": str(self.reason),
            "figures": dict(self.figures),
        }


@dataclass(frozen=True)
class Ceiling:
    amount_halalas: int
    reason: Any = ""
    default: bool = False  # core's own proposal: applies only when no plugin proposes


def assess(request: AidRequest) -> list[dict]:
    """The merged eligibility checks of core and the enabled plugins."""

    file = links.file_of(request)
    checks: list[dict] = []
    for declared in tenant_hooks().assess_eligibility(request=request, file=file):
        for check in declared or []:
            checks.append(check.as_dict() if isinstance(check, Check) else dict(check))
    return checks


def ceiling_for(request: AidRequest) -> Ceiling | None:
    """The ceiling for approving ``request``: the lowest plugin proposal, else core's default."""

    item = _catalog_item(request)
    proposals = [
        p
        for p in tenant_hooks().propose_aid_ceiling(
            request=request, file=links.file_of(request), catalog_item=item
        )
        if p is not None
    ]
    own = [p for p in proposals if not p.default]
    pool = own or proposals
    return min(pool, key=lambda p: p.amount_halalas) if pool else None


def _catalog_item(request: AidRequest):
    if request.catalog_item_id is None:
        return None
    return db.session.get(CatalogItem, request.catalog_item_id)
