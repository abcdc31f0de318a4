"""Request services: creating, each workflow step, assessment and ceilings, work queues.

Plain functions that take the actor and validated data and return the changed objects;
the caller commits (pages and the API commit once, so a refusal writes nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from marshmallow import ValidationError

from ..auth.models import Membership
from ..auth.permissions import can
from ..calendar import add_working_days, holidays_of, tenant_calendar_settings
from ..documents.models import Document
from ..errors import Conflict, Forbidden, NotFound
from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..lookup import get_in_tenant, get_or_404
from ..notifications import notify_applicant
from ..numbers import format_halalas
from ..plugins import tenant_hooks
from ..registry.models import BeneficiaryFile
from ..registry.services import households_of_many, search_persons
from ..tenancy import require_tenant, utcnow
from . import links, workflow
from .models import AidRequest, CatalogItem, Decision, Escalation, FieldVisit, RequestEvent, Verification
from .numbering import next_number
from .workflow import record_event, transition

CHECK_OUTCOMES = ("pass", "fail", "needs_review")


@dataclass(frozen=True)
class RequestFields:
    namespace: str
    schema: type
    label: Any = ""
    # File inputs of the request-intake form (``forms.DocumentSlot`` or their fields as a dict).
    documents: tuple = ()


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


# --------------------------------------------------------------------------- lookup


def get_by_number(number: str) -> AidRequest | None:
    return db.session.scalars(db.select(AidRequest).where(AidRequest.number == number)).first()


# --------------------------------------------------------------------------- plugin fields


def request_field_sets() -> list[RequestFields]:
    found: list[RequestFields] = []
    for declared in tenant_hooks().register_request_fields():
        found.extend(declared or [])
    return found


def load_extra(extra: dict | None) -> dict:
    """Validate ``extra`` with every plugin's schema; ValidationError under ``extra.<ns>``."""
    extra = dict(extra or {})
    loaded: dict = {}
    errors: dict = {}
    known = set()
    for field_set in request_field_sets():
        known.add(field_set.namespace)
        try:
            loaded[field_set.namespace] = field_set.schema().load(extra.get(field_set.namespace) or {})
        except ValidationError as exc:
            errors[f"extra.{field_set.namespace}"] = exc.messages
    for unknown in set(extra) - known:
        errors[f"extra.{unknown}"] = [_l("Unknown field.")]
    if errors:
        raise ValidationError(errors)
    return loaded


# --------------------------------------------------------------------------- creating and submitting


def catalog(active_only: bool = False) -> list[CatalogItem]:
    """The tenant's aid catalog (what a request may ask for), regular items first."""
    query = db.select(CatalogItem).order_by(CatalogItem.seasonal, CatalogItem.code)
    if active_only:
        query = query.where(CatalogItem.active.is_(True))
    return list(db.session.scalars(query))


def _check_catalog_item(item_id: int | None) -> None:
    """The aid program must be one of the tenant's catalog items (422 otherwise)."""
    if item_id is not None and db.session.get(CatalogItem, item_id) is None:
        raise ValidationError({"catalog_item_id": [_l("Choose one of the listed values.")]})


def create_request(data: dict, actor: Any, *, own: bool = False) -> AidRequest:
    """A draft request (validated ``data`` from ``RequestCreateSchema``). ``own``: the actor is the applicant."""

    if own:
        if not can(actor, "portal.apply"):
            raise Forbidden(_("Your role cannot take this step."))
    elif not can(actor, "requests.create"):
        raise Forbidden(_("Your role cannot take this step."))
    extra = load_extra(data.get("extra"))
    _check_catalog_item(data.get("catalog_item_id"))
    if data.get("file_id") is not None:
        _file_in_tenant(data["file_id"])
    request = AidRequest(
        state="draft",
        channel="portal" if own else data["channel"],
        applicant_name=data["applicant_name"],
        applicant_phone=data.get("applicant_phone"),
        applicant_email=data.get("applicant_email") or (actor.email if own else None),
        applicant_city=data.get("applicant_city"),
        applicant_user_id=actor.id if own else data.get("applicant_user_id"),
        file_id=data.get("file_id"),
        catalog_item_id=data.get("catalog_item_id"),
        summary=data.get("summary") or "",
        requested_halalas=data.get("requested_halalas"),
        needs_verification_with=data.get("needs_verification_with"),
        needs_permit=bool(data.get("needs_permit")),
        extra=extra,
        created_by_id=actor.id,
    )
    db.session.add(request)
    db.session.flush()
    record_event(request, "create", actor, data={"channel": request.channel})
    return request


def sign_declaration(request: AidRequest, actor: Any, signed_by: str) -> None:
    """The applicant's declaration that the data is correct and that they bear direct responsibility.

    Signed by the applicant on the portal, or recorded by staff from the signed paper form.
    """

    if not (
        can(actor, "requests.create") or (workflow.is_own(request, actor) and can(actor, "portal.apply"))
    ):
        raise Forbidden(_("Your role cannot take this step."))
    if request.state not in ("draft", "submitted", "returned"):
        raise Conflict(_("The declaration can only be signed before the research starts."))
    request.declaration_signed_at = utcnow()
    request.declaration_signed_by = signed_by
    record_event(request, "sign_declaration", actor, data={"signed_by": signed_by})


DECLARATION_TEXT = _l(
    "I declare that all the data I gave is correct and complete, and I bear direct responsibility for it."
)


def submission_problems(request: AidRequest) -> dict:
    """What the plugins' ``validate_request_submission`` would refuse now, ``{field: [message]}``.

    Keys ``documents.<doc_type>`` name a document type still to attach to the request.
    """

    errors: dict = {}
    for found in tenant_hooks().validate_request_submission(request=request):
        for key, messages in (found or {}).items():
            errors.setdefault(key, []).extend(messages if isinstance(messages, list | tuple) else [messages])
    return errors


def missing_documents(problems: dict) -> list[str]:
    """The document types named by ``submission_problems`` (``documents.<doc_type>`` keys)."""
    return [key.split(".", 1)[1] for key in problems if key.startswith("documents.")]


def _check_submission(request: AidRequest) -> None:
    """The plugins' mandatory data (``validate_request_submission``): 422 per field, nothing written."""
    errors = submission_problems(request)
    if errors:
        raise ValidationError(errors)


def submit(request: AidRequest, actor: Any, *, declaration_signed_by: str | None = None) -> AidRequest:
    """Submit (or resubmit after a return): the request gets its number and date at once."""

    def apply(req: AidRequest) -> None:
        _check_submission(req)
        if declaration_signed_by:
            req.declaration_signed_at = utcnow()
            req.declaration_signed_by = declaration_signed_by
        if req.number is None:
            today = utcnow().date()
            req.number_year, req.number_seq, req.number = next_number(today)
            req.submitted_at = utcnow()
        req.returned_reason = None

    first = request.number is None
    transition(request, "submit", actor, data={"declaration_signed_by": declaration_signed_by}, apply=apply)
    if first:
        tenant_hooks().request_submitted(request=request)
    return request


# --------------------------------------------------------------------------- the applicant's corrections

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
    _check_catalog_item(data.get("catalog_item_id"))
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


# --------------------------------------------------------------------------- the beneficiary file


def _file_in_tenant(file_id: Any):
    """The tenant's beneficiary file ``file_id``; another tenant's or an unknown id: 422 on ``file_id``."""

    found = (
        get_in_tenant(BeneficiaryFile, file_id)
        if isinstance(file_id, int) and not isinstance(file_id, bool)
        else None
    )
    if found is None:
        raise ValidationError({"file_id": [_l("No such beneficiary file in this association.")]})
    return found


def may_link_file(request: AidRequest, actor: Any) -> bool:
    return can(actor, "requests.link_file") and request.state not in workflow.NO_LINK_STATES


def link_file(request: AidRequest, actor: Any, file_id: Any) -> AidRequest:
    """Link (or relink) ``request`` to one of the tenant's beneficiary files, audited, on the timeline.

    403 without ``requests.link_file``; 409 once the request is disbursed, closed or withdrawn;
    422 on ``file_id`` for a file this association does not have. The request's documents
    follow the file's household.
    """

    if not can(actor, "requests.link_file"):
        raise Forbidden(_("Your role cannot take this step."))
    if request.state in workflow.NO_LINK_STATES:
        raise Conflict(_("The beneficiary file can no longer be changed on this request."))
    file = _file_in_tenant(file_id)
    if request.file_id == file.id:
        return request
    previous = links.file_of(request)
    request.file_id = file.id
    request.updated_at = utcnow()
    documents = db.session.scalars(db.select(Document).where(Document.request_id == request.id))
    for document in documents:
        if document.household_id is None or (previous and document.household_id == previous.household_id):
            document.household_id = file.household_id
    record_event(
        request,
        "relink_file" if previous is not None else "link_file",
        actor,
        data={"file_id": file.id, "previous_file_id": previous.id if previous else None},
    )
    return request


def file_candidates(q: str, per_page: int = 20) -> tuple[list[tuple[Any, list[tuple[Any, Any]]]], int]:
    """Persons matching ``q`` (any spelling of the name, or the ID number: ``search_persons``),
    each with ``[(household, file) …]`` of the households they head or belong to."""

    persons, total = search_persons(q, 1, per_page)
    households = households_of_many(persons)
    ids = {h.id for found in households.values() for h in found}
    files = (
        {
            f.household_id: f
            for f in db.session.scalars(
                db.select(BeneficiaryFile).where(BeneficiaryFile.household_id.in_(ids))
            )
        }
        if ids
        else {}
    )
    rows = [(p, [(h, files[h.id]) for h in households[p.id] if h.id in files]) for p in persons]
    return rows, total


def registration_prefill(request: AidRequest) -> dict:
    """The registration form's values taken from the request's applicant data."""
    parts = (request.applicant_name or "").split()
    first, father, grandfather, family = "", "", "", ""
    if len(parts) >= 4:
        first, father, grandfather, family = parts[0], parts[1], parts[2], " ".join(parts[3:])
    elif len(parts) == 3:
        first, father, family = parts
    elif len(parts) == 2:
        first, family = parts
    elif parts:
        first = parts[0]
    phone = request.applicant_phone or ""
    if phone.startswith("+966"):
        phone = "0" + phone[4:]
    return {
        "first_name": first,
        "father_name": father,
        "grandfather_name": grandfather,
        "family_name": family,
        "phone": phone,
        "email": request.applicant_email or "",
        "city": request.applicant_city or "",
    }


# --------------------------------------------------------------------------- research


def start_research(request: AidRequest, actor: Any) -> AidRequest:
    transition(request, "start_research", actor)
    return request


def schedule_visit(request: AidRequest, actor: Any, scheduled_for: date) -> FieldVisit:
    visit = FieldVisit(
        tenant_id=request.tenant_id,
        request_id=request.id,
        researcher_id=actor.id,
        scheduled_for=scheduled_for,
    )

    def apply(req: AidRequest) -> None:
        db.session.add(visit)

    transition(request, "schedule_visit", actor, data={"scheduled_for": scheduled_for}, apply=apply)
    return visit


def record_visit(
    request: AidRequest,
    actor: Any,
    *,
    visited_on: date,
    findings: str,
    checked_fields: list[dict],
    visit_id: int | None = None,
) -> FieldVisit:
    """The visit's date, findings and each entered field matched against the original document."""

    if not can(actor, "requests.research"):
        raise Forbidden(_("Your role cannot take this step."))
    if request.state != "field_visit_scheduled":
        raise Conflict(_("Schedule the field visit first."))
    query = db.select(FieldVisit).where(FieldVisit.request_id == request.id)
    if visit_id is not None:
        query = query.where(FieldVisit.id == visit_id)
    visit = db.session.scalars(query.order_by(FieldVisit.id.desc())).first()
    if visit is None:
        raise NotFound(_("Not found."))
    visit.visited_on = visited_on
    visit.findings = findings
    visit.checked_fields = [dict(item) for item in checked_fields]
    counts = {
        status: sum(1 for f in checked_fields if f["status"] == status)
        for status in ("confirmed", "corrected", "not_seen")
    }
    record_event(
        request,
        "record_visit",
        actor,
        note=findings,
        data={"visit_id": visit.id, "visited_on": visited_on, **counts},
    )
    return visit


def record_verification(request: AidRequest, actor: Any, data: dict) -> Verification:
    if not can(actor, "requests.research"):
        raise Forbidden(_("Your role cannot take this step."))
    if request.state not in ("in_research", "field_visit_scheduled", "verified"):
        raise Conflict(_("Verifications are recorded during the research."))
    verification = Verification(
        tenant_id=request.tenant_id, request_id=request.id, recorded_by_id=actor.id, **data
    )
    db.session.add(verification)
    db.session.flush()
    record_event(
        request,
        "record_verification",
        actor,
        note=data.get("notes", ""),
        data={"body": data["body"], "outcome": data["outcome"]},
    )
    return verification


def verify(request: AidRequest, actor: Any) -> AidRequest:
    transition(request, "verify", actor)
    return request


def send_to_committee(request: AidRequest, actor: Any) -> AidRequest:
    transition(request, "send_to_committee", actor)
    return request


def return_to_applicant(request: AidRequest, actor: Any, reason: str) -> AidRequest:
    def apply(req: AidRequest) -> None:
        req.returned_reason = reason

    transition(request, "return", actor, note=reason, data={"reason": reason}, apply=apply)
    return request


def withdraw(request: AidRequest, actor: Any, reason: str = "") -> AidRequest:
    transition(request, "withdraw", actor, note=reason, data={"reason": reason})
    return request


def close(request: AidRequest, actor: Any, note: str = "") -> AidRequest:
    transition(request, "close", actor, note=note)
    return request


# --------------------------------------------------------------------------- assessment and ceiling


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


# --------------------------------------------------------------------------- committee


def committee_members() -> list:
    """The active users holding the ``committee_member`` role in the current tenant, by name."""

    memberships = db.session.scalars(db.select(Membership)).unique().all()
    users = [
        m.user
        for m in memberships
        if m.tenant_id == require_tenant().id and "committee_member" in (m.roles or []) and m.user.is_active
    ]
    return sorted(users, key=lambda u: (u.name or u.email, u.id))


def _check_step_role(request: AidRequest, action: str, actor: Any) -> None:
    """403 before the input is checked when the role does not own the step."""
    step = workflow.transitions().get(action)
    if step is not None and not workflow.may(actor, request, step):
        raise Forbidden(_("Your role cannot take this step."))


def members_snapshot(member_ids: list[int]) -> list[dict]:
    """The members present, as ``[{"id", "name"}]`` (names kept as they were on the day).

    Each id must be one of the tenant's committee members; otherwise 422, nothing written.
    """
    members = {u.id: u for u in committee_members()}
    ids = list(dict.fromkeys(member_ids or []))
    if not ids:
        raise ValidationError({"members_present": [_l("Record the members present.")]})
    unknown = [i for i in ids if i not in members]
    if unknown:
        raise ValidationError(
            {"members_present": [_l("Choose the members present among the committee's members.")]}
        )
    return [{"id": i, "name": members[i].name or members[i].email} for i in ids]


def approve(
    request: AidRequest,
    actor: Any,
    *,
    amount_halalas: int,
    members_present: list[int],
    decided_on: date | None = None,
    override_reason: str | None = None,
    note: str = "",
) -> Decision:
    """Approve with an amount: at most the ceiling, unless overridden with a reason (``requests.override``).

    ``members_present`` are user ids of the tenant's committee members (see :func:`members_snapshot`).
    """

    if amount_halalas <= 0:
        raise ValidationError({"amount": [_l("The amount must be more than zero.")]})
    _check_step_role(request, "approve", actor)
    members_present = members_snapshot(members_present)
    ceiling = ceiling_for(request)
    above = ceiling is not None and amount_halalas > ceiling.amount_halalas

    def check_ceiling() -> None:
        # Runs after the role and state checks, before anything changes.
        if not above:
            return
        if not (override_reason or "").strip():
            raise ValidationError(
                {
                    "override_reason": [
                        _(
                            "The amount is above the ceiling of %(ceiling)s SAR: record the reason for the override.",
                            ceiling=format_halalas(ceiling.amount_halalas),
                        )
                    ]
                }
            )
        if not can(actor, "requests.override"):
            raise Forbidden(_("Only the executive director may approve above the ceiling."))

    decision = Decision(
        tenant_id=request.tenant_id,
        request_id=request.id,
        outcome="approved",
        amount_halalas=amount_halalas,
        ceiling_halalas=ceiling.amount_halalas if ceiling else None,
        ceiling_basis=str(ceiling.reason) if ceiling else "",
        override_reason=override_reason if above else None,
        members_present=list(members_present),
        decided_on=decided_on or utcnow().date(),
        decided_by_id=actor.id,
    )

    def apply(req: AidRequest) -> None:
        check_ceiling()
        decision.assessment = assess(req)
        req.approved_halalas = amount_halalas
        req.decided_at = utcnow()
        req.rejection_reason = None
        db.session.add(decision)

    data = {
        "amount_halalas": amount_halalas,
        "ceiling_halalas": decision.ceiling_halalas,
        "override": above,
        "override_reason": override_reason if above else None,
        "members_present": list(members_present),
    }
    transition(request, "approve", actor, note=note, data=data, apply=apply)
    return decision


def reject(
    request: AidRequest,
    actor: Any,
    *,
    reason: str,
    members_present: list[int],
    decided_on: date | None = None,
) -> Decision:
    """Reject with the reason the applicant will see (their right to know it)."""
    _check_step_role(request, "reject", actor)
    members_present = members_snapshot(members_present)
    decision = Decision(
        tenant_id=request.tenant_id,
        request_id=request.id,
        outcome="rejected",
        reason=reason,
        members_present=list(members_present),
        decided_on=decided_on or utcnow().date(),
        decided_by_id=actor.id,
    )

    def apply(req: AidRequest) -> None:
        decision.assessment = assess(req)
        req.rejection_reason = reason
        req.decided_at = utcnow()
        db.session.add(decision)

    transition(
        request,
        "reject",
        actor,
        note=reason,
        data={"reason": reason, "members_present": list(members_present)},
        apply=apply,
    )
    return decision


def escalate(
    request: AidRequest, actor: Any, *, authority: str, sent_on: date, reference: str = "", notes: str = ""
) -> Escalation:
    """Send a request that needs an official permit to the competent authority."""

    if not can(actor, "requests.escalate"):
        raise Forbidden(_("Your role cannot take this step."))
    if not request.needs_permit:
        raise Conflict(_("This request does not need a permit."))
    if request.state not in ("in_committee", "approved"):
        raise Conflict(_("A request is escalated once it reaches the committee."))
    escalation = Escalation(
        tenant_id=request.tenant_id,
        request_id=request.id,
        authority=authority,
        sent_on=sent_on,
        reference=reference,
        notes=notes,
        recorded_by_id=actor.id,
    )
    db.session.add(escalation)
    db.session.flush()
    record_event(
        request, "escalate", actor, note=notes, data={"authority": authority, "escalation_id": escalation.id}
    )
    return escalation


def record_permit_outcome(
    request: AidRequest, actor: Any, escalation_id: int, *, outcome: str, outcome_on: date, notes: str = ""
) -> Escalation:
    """The authority's answer; the applicant is told. A refusal rejects the request."""

    if not can(actor, "requests.escalate"):
        raise Forbidden(_("Your role cannot take this step."))
    escalation = get_or_404(Escalation, escalation_id, request_id=request.id)
    if escalation.outcome != "pending":
        raise Conflict(_("The authority's answer is already recorded."))
    if outcome == "refused":
        reason = notes or _("The competent authority did not grant the permit.")

        def apply(req: AidRequest) -> None:
            req.rejection_reason = reason

        transition(
            request, "refuse_permit", actor, note=reason, data={"escalation_id": escalation.id}, apply=apply
        )
    else:
        record_event(request, "permit_granted", actor, note=notes, data={"escalation_id": escalation.id})
    escalation.outcome = outcome
    escalation.outcome_on = outcome_on
    escalation.notes = notes or escalation.notes
    notify_applicant(
        request, "permit_outcome", outcome=_("granted") if outcome == "granted" else _("refused")
    )
    return escalation


# --------------------------------------------------------------------------- queues


QUEUES: dict[str, Any] = {
    "mine": _l("My cases"),
    "new": _l("New requests"),
    "awaiting_visit": _l("Awaiting visit"),
    "awaiting_committee": _l("Awaiting committee"),
    "awaiting_disbursement": _l("Awaiting disbursement"),
    "overdue": _l("Overdue"),
    "all": _l("All requests"),
}


def deadline_of(request: AidRequest) -> date | None:
    """The working-day deadline of a request still open: decided within ``decision_deadline_days``."""
    if (
        request.submitted_at is None
        or request.state not in workflow.OPEN_STATES
        or request.state == "approved"
    ):
        return None
    tenant = require_tenant()
    days = tenant_calendar_settings(tenant)["decision_deadline_days"]
    return add_working_days(request.submitted_at.date(), days, holidays_of(tenant))


def last_overdue_submission_day(today: date) -> date:
    """The latest submission date whose working-day deadline (``deadline_of``) is before ``today``."""
    tenant = require_tenant()
    days = tenant_calendar_settings(tenant)["decision_deadline_days"]
    holidays = holidays_of(tenant)
    # ``days`` working days never span more than 7/5 of them, a week, and the holidays.
    low = today - timedelta(days=2 * days + len(holidays) + 14)
    high = today  # add_working_days(today, …) > today: never overdue
    while high - low > timedelta(days=1):  # invariant: deadline(low) < today <= deadline(high)
        middle = low + (high - low) // 2
        if add_working_days(middle, days, holidays) < today:
            low = middle
        else:
            high = middle
    return low


def queue(name: str, actor: Any, *, today: date | None = None) -> list[AidRequest]:
    """A work queue of the current tenant (``QUEUES``), oldest first."""

    query = db.select(AidRequest).order_by(AidRequest.id)
    if name == "mine":
        touched = db.select(RequestEvent.request_id).where(RequestEvent.actor_id == actor.id)
        query = query.where(AidRequest.id.in_(touched), AidRequest.state.in_(workflow.OPEN_STATES))
    elif name == "new":
        query = query.where(AidRequest.state == "submitted")
    elif name == "awaiting_visit":
        query = query.where(AidRequest.state.in_(("in_research", "field_visit_scheduled")))
    elif name == "awaiting_committee":
        query = query.where(AidRequest.state == "in_committee")
    elif name == "awaiting_disbursement":
        query = query.where(AidRequest.state == "approved")
    elif name == "overdue":
        # ``deadline_of`` grows with the submission date, so "deadline before today" is
        # "submitted on or before the last such day": one date cutoff, filtered in SQL.
        last_day = last_overdue_submission_day(today or utcnow().date())
        query = query.where(
            AidRequest.state.in_([s for s in workflow.OPEN_STATES if s != "approved"]),
            AidRequest.submitted_at.is_not(None),
            AidRequest.submitted_at < datetime.combine(last_day + timedelta(days=1), time.min),
        )
    elif name != "all":
        raise NotFound(_("Not found."))
    return list(db.session.scalars(query))
