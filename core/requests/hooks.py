"""Core's own hook implementations for requests, as a built-in plugin (``trylast``)."""

from __future__ import annotations

from flask import abort, url_for

from ..auth.permissions import Permission, can
from ..calendar import format_date
from ..extensions import db
from ..hookspecs import hookimpl
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..lookup import get_or_404
from ..navigation import NavItem
from ..numbers import NumberFormatError, parse_int
from ..registry.panels import RegistrationSource
from ..registry.services import carry
from ..tenancy import require_tenant
from . import links
from .demo import load
from .models import AidRequest, FieldVisit
from .services import Ceiling, Check, link_file, registration_prefill
from .services.dashboard import request_cards
from .views import action_label as timeline_label
from .workflow import NO_LINK_STATES, state_label


@hookimpl(trylast=True)
def register_permissions():
    return [
        Permission(
            "requests.view",
            _l("See aid requests"),
            (
                "tenant_admin",
                "relations_officer",
                "researcher",
                "committee_member",
                "executive_director",
                "finance_officer",
                "auditor",
            ),
        ),
        Permission("requests.create", _l("Register aid requests"), ("relations_officer",)),
        Permission(
            "requests.link_file",
            _l("Link requests to beneficiary files"),
            ("relations_officer", "researcher"),
        ),
        Permission("requests.research", _l("Study cases and record field visits"), ("researcher",)),
        Permission(
            "requests.return", _l("Return requests for missing data"), ("relations_officer", "researcher")
        ),
        Permission("requests.decide", _l("Decide requests in committee"), ("committee_member",)),
        Permission(
            "requests.override", _l("Approve above the ceiling with a reason"), ("executive_director",)
        ),
        Permission(
            "requests.escalate", _l("Escalate requests to the competent authority"), ("executive_director",)
        ),
        Permission("requests.disburse", _l("Record disbursements"), ("finance_officer",)),
        Permission("requests.close", _l("Close requests"), ("relations_officer", "executive_director")),
        Permission("requests.withdraw", _l("Withdraw requests"), ("relations_officer", "executive_director")),
        Permission(
            "requests.export",
            _l("Export requests and disbursements to spreadsheets"),
            ("tenant_admin", "executive_director", "finance_officer", "auditor"),
        ),
        Permission("portal.apply", _l("Apply and follow own requests on the portal"), ("applicant",)),
    ]


@hookimpl(trylast=True)
def dashboard_cards(user, tenant):
    """What waits for ``user`` among the requests, by role (``services.dashboard``)."""
    return request_cards(user)


@hookimpl(trylast=True)
def register_nav_items(tenant, user):
    return [
        NavItem(_l("Requests"), "requests.queues", "requests.view"),
        NavItem(_l("My requests"), "portal.index", "portal.apply"),
    ]


@hookimpl(trylast=True)
def assess_eligibility(request, file):
    checks = []
    signed = request.declaration_signed_at is not None
    checks.append(
        Check(
            "declaration",
            _l("Declaration signed"),
            "pass" if signed else "fail",
            "" if signed else _l("The applicant has not signed the declaration yet."),
        )
    )
    status = links.file_status(request)
    if status is not None:
        blocked = status in links.BLOCKING_FILE_STATUSES
        checks.append(
            Check(
                "file_status",
                _l("Beneficiary file status"),
                "fail" if blocked else "pass",
                _l("The file is suspended or excluded.") if blocked else "",
                {"status": status},
            )
        )
    area = [a.strip() for a in (require_tenant().service_area or []) if a.strip()]
    if area:
        inside = (request.applicant_city or "").strip() in area
        checks.append(
            Check(
                "service_area",
                _l("Lives in the service area"),
                "pass" if inside else "needs_review",
                "" if inside else _l("The city is not in the association's service area."),
                {"city": request.applicant_city or "", "service_area": area},
            )
        )
    visit = db.session.scalars(
        db.select(FieldVisit)
        .where(FieldVisit.request_id == request.id, FieldVisit.visited_on.is_not(None))
        .order_by(FieldVisit.id.desc())
    ).first()
    if visit is not None:
        corrected = sum(1 for f in visit.checked_fields if f.get("status") == "corrected")
        unseen = sum(1 for f in visit.checked_fields if f.get("status") == "not_seen")
        checks.append(
            Check(
                "field_visit",
                _l("Data matches the original documents"),
                "pass" if not corrected and not unseen else "needs_review",
                _visit_findings(visit),
                {
                    "confirmed": len(visit.checked_fields) - corrected - unseen,
                    "corrected": corrected,
                    "not_seen": unseen,
                },
            )
        )
    return checks


def _visit_findings(visit) -> str:
    """What the visit found, field by field, for the committee: each corrected value with the
    one entered and the one in the document, each field not seen (nothing when all matched)."""
    parts = []
    for f in visit.checked_fields:
        if f.get("status") == "corrected":
            parts.append(
                _(
                    "%(field)s: entered %(entered)s, the document says %(found)s",
                    field=f.get("field", ""),
                    entered=f.get("entered") or "—",
                    found=f.get("found") or "—",
                )
            )
        elif f.get("status") == "not_seen":
            parts.append(_("%(field)s: not seen during the visit", field=f.get("field", "")))
    if not parts:
        return ""
    return _("Visited on %(date)s.", date=format_date(visit.visited_on)) + " " + "؛ ".join(parts)


@hookimpl(trylast=True)
def propose_aid_ceiling(request, file, catalog_item):
    if catalog_item is not None and catalog_item.default_value_halalas:
        return Ceiling(
            catalog_item.default_value_halalas, _l("The catalog item's default value"), default=True
        )
    value = ((require_tenant().settings or {}).get("aid") or {}).get("default_ceiling_halalas")
    if isinstance(value, int) and value > 0:
        return Ceiling(value, _l("The association's default ceiling"), default=True)
    return None


@hookimpl(trylast=True)
def load_demo_data(tenant):
    load(tenant)


@hookimpl(trylast=True)
def household_registration_source(args, user):
    """``?for_request=<id>`` on the registry's registration page: start from that request's
    applicant data and link the request to the new file. 404 when unknown here, 403 when the
    user may not link it, 409 when it can no longer be linked."""
    raw = args.get("for_request")
    if raw is None:
        return None
    try:
        request_id = parse_int(raw)
    except NumberFormatError:
        abort(404)
    item = get_or_404(AidRequest, request_id)
    if not can(user, "requests.link_file"):
        abort(403)
    if item.state in NO_LINK_STATES:
        abort(409)
    number = item.number or _("Draft #%(id)s", id=item.id)
    prefill, not_carried = carry(registration_prefill(item))
    return RegistrationSource(
        prefill=prefill,
        not_carried=not_carried,
        notice=_(
            "From the applicant's data of request %(number)s: once registered, the request is linked "
            "to the new file.",
            number=number,
        ),
        link=lambda file, actor: link_file(item, actor, file.id),
        done_url=url_for("requests.view", request_id=item.id),
        done_message=_("The household was registered and the request linked to its file."),
    )


def _request_action_label(code: str):
    """``request.<step>`` in the audit trail: the step's words on the request's timeline."""
    if not code.startswith("request."):
        return None
    step = code.removeprefix("request.")
    text = timeline_label(step)
    return text if text != step else None


@hookimpl(trylast=True)
def register_labels():
    return {
        "audit_action": _request_action_label,
        "request_state": lambda code: state_label(code) if state_label(code) != code else None,
    }


@hookimpl(trylast=True)
def audit_object_names(object_type, ids):
    if object_type not in ("AidRequest", "request"):
        return None
    wanted = [int(i) for i in ids if str(i).isdigit()]
    rows = db.session.execute(
        db.select(AidRequest.id, AidRequest.number).where(
            AidRequest.id.in_(wanted), AidRequest.number.is_not(None)
        )
    )
    return {str(row_id): number for row_id, number in rows}
