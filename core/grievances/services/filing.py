"""Filing a grievance or complaint: the seed's refusals (a named complainant with a contact
number; within the filing window of the event unless management accepts an excuse), the
plugins' admissibility rules, the number and date at once, the due date, the notification."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import ValidationError

from ...aid.models import Disbursement
from ...auth.models import Membership
from ...auth.permissions import can
from ...calendar import local_time, today
from ...errors import Forbidden
from ...extensions import db
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...lookup import get_in_tenant
from ...plugins import tenant_hooks
from ...requests.models import AidRequest
from ...requests.numbering import next_in_sequence
from ...tenancy import utcnow
from ...validation import check_name, check_text
from ..models import CHANNELS, KINDS, Grievance, GrievanceCounter
from . import deadlines, rules
from .events import notify_complainant, record_event

NUMBER_PREFIX = "G"

ANONYMOUS = _l("Write your explicit name: anonymous grievances are not accepted.")
NO_CONTACT = _l("Give a contact number: we cannot decide a grievance we cannot answer.")
LATE = _l(
    "Filed more than %(days)s days after the event: it can only be accepted with an excuse "
    "that management accepts."
)


def _check_subjects(data: dict, actor: Any, own: bool, errors: dict) -> None:
    request_id, disbursement_id = data.get("request_id"), data.get("disbursement_id")
    request = get_in_tenant(AidRequest, request_id) if request_id is not None else None
    if request_id is not None and (request is None or (own and request.applicant_user_id != actor.id)):
        errors.setdefault("request_id", []).append(_l("Choose one of the listed values."))
    if disbursement_id is not None:
        disbursement = get_in_tenant(Disbursement, disbursement_id)
        owner = get_in_tenant(AidRequest, disbursement.request_id) if disbursement else None
        if disbursement is None or (own and (owner is None or owner.applicant_user_id != actor.id)):
            errors.setdefault("disbursement_id", []).append(_l("Choose one of the listed values."))
        elif request_id is None:
            data["request_id"] = disbursement.request_id
    about = data.get("about_user_id")
    if about is not None:
        member = db.session.scalars(db.select(Membership).where(Membership.user_id == about)).first()
        if own or member is None or member.roles == ["applicant"]:
            errors.setdefault("about_user_id", []).append(_l("Choose one of the listed values."))


def admissibility_errors(data: dict, actor: Any, *, own: bool, on: date) -> dict:
    """Every refusal of the seed's rules for ``data`` filed on ``on``, ``{field: [messages]}``."""
    errors: dict = {}
    name = (data.get("complainant_name") or "").strip()
    if not name:
        errors["complainant_name"] = [ANONYMOUS]
    elif problems := check_name(name):
        errors["complainant_name"] = problems
    if not (data.get("complainant_phone") or "").strip():
        errors["complainant_phone"] = [NO_CONTACT]
    if data.get("kind") not in KINDS:
        errors["kind"] = [_l("Choose one of the listed values.")]
    if data.get("channel") not in CHANNELS:
        errors["channel"] = [_l("Choose one of the listed values.")]
    if data.get("category") not in {c["code"] for c in rules.categories()}:
        errors["category"] = [_l("Choose one of the listed values.")]
    if not (data.get("description") or "").strip():
        errors["description"] = [_l("Describe what the grievance is about.")]
    for field in ("description", "late_excuse", "provider_name"):
        if problems := check_text(data.get(field)):
            errors[field] = problems
    event_date = data.get("event_date")
    if event_date is None:
        errors["event_date"] = [_l("Give the date of the event the grievance is about.")]
    elif event_date > on:
        errors["event_date"] = [_l("The event date cannot be in the future.")]
    else:
        window = rules.rules_on(on)["filing_window_days"]
        if (on - event_date).days > window:
            excuse = (data.get("late_excuse") or "").strip()
            if own or not excuse:
                errors["event_date"] = [LATE % {"days": window}]
            elif not can(actor, "grievances.accept_excuse"):
                errors["late_excuse"] = [_l("Only management can accept an excuse for a late grievance.")]
    _check_subjects(data, actor, own, errors)
    return errors


def file_grievance(data: dict, actor: Any, *, own: bool = False, on: date | None = None) -> Grievance:
    """File a grievance: ``own`` on the portal by the complainant (channel ``portal``, their
    account linked), otherwise recorded by staff (``grievances.record``) with the channel it
    came through. Any refusal raises 422 with field errors and writes nothing."""
    on = on or today()
    if own:
        if not can(actor, "grievances.file"):
            raise Forbidden(_("Your role cannot take this step."))
        data = {**data, "channel": "portal", "about_user_id": None}
    elif not can(actor, "grievances.record"):
        raise Forbidden(_("Your role cannot take this step."))
    data = dict(data)
    errors = admissibility_errors(data, actor, own=own, on=on)
    if errors:
        raise ValidationError(errors)
    in_force = rules.rules_on(on)
    late = (on - data["event_date"]).days > in_force["filing_window_days"]
    grievance = Grievance(
        kind=data["kind"],
        category=data["category"],
        channel=data["channel"],
        state="received",
        complainant_name=data["complainant_name"].strip(),
        complainant_phone=data["complainant_phone"].strip(),
        complainant_email=(data.get("complainant_email") or (actor.email if own else None)) or None,
        complainant_user_id=actor.id if own else data.get("complainant_user_id"),
        request_id=data.get("request_id"),
        disbursement_id=data.get("disbursement_id"),
        provider_name=(data.get("provider_name") or "").strip() or None,
        about_user_id=data.get("about_user_id"),
        description=data["description"].strip(),
        event_date=data["event_date"],
        filed_on=on,
        clock_from=on,
        filed_at=utcnow(),
        late_excuse=(data.get("late_excuse") or "").strip() or None if late else None,
        excuse_accepted_by_id=actor.id if late else None,
        excuse_accepted_at=utcnow() if late else None,
        rules=rules.rules_json(in_force),
        paused_days=0,
        malicious=False,
        disciplinary_referral=False,
        created_by_id=actor.id,
    )
    # Plugins' admissibility rules see the grievance as it would be stored, before its number.
    plugin_errors: dict = {}
    for found in tenant_hooks().validate_grievance(grievance=grievance):
        for key, messages in (found or {}).items():
            plugin_errors.setdefault(key, []).extend(
                messages if isinstance(messages, list | tuple) else [messages]
            )
    if plugin_errors:
        raise ValidationError(plugin_errors)
    grievance.number_year, grievance.number_seq, grievance.number = next_in_sequence(
        GrievanceCounter.__table__, on, NUMBER_PREFIX
    )
    grievance.due_date = deadlines.compute_due_date(grievance, on)
    db.session.add(grievance)
    db.session.flush()
    record_event(
        grievance,
        "file",
        actor,
        public=True,
        details={"channel": grievance.channel, "kind": grievance.kind, "late_excuse_accepted": late},
    )
    notify_complainant(grievance, "grievance_received", date=on, due=grievance.due_date)
    tenant_hooks().grievance_filed(grievance=grievance)
    return grievance


def grievance_form_prefill(
    user: Any = None, *, request: Any = None, disbursement: Any = None, note: str | None = None
) -> dict:
    """The fields of the grievance form filled from what is known: the complainant (a portal
    user, or a request's applicant), the request or disbursement it is about and its date.
    Used by the survey's "complaint route" from a low rating; the form still validates all."""
    if disbursement is not None and request is None:
        request = get_in_tenant(AidRequest, disbursement.request_id)
    prefill: dict = {"kind": "complaint", "category": "service", "description": note or ""}
    if user is not None:
        prefill.update(complainant_name=getattr(user, "name", "") or "", complainant_email=user.email)
    if request is not None:
        prefill.update(
            request_id=request.id,
            complainant_name=request.applicant_name or prefill.get("complainant_name", ""),
            complainant_phone=request.applicant_phone or "",
            event_date=(
                local_time(request.decided_at).date() if getattr(request, "decided_at", None) else None
            ),
        )
        if request.state == "rejected":
            prefill.update(kind="grievance", category="decision")
    if disbursement is not None:
        prefill.update(
            disbursement_id=disbursement.id,
            event_date=disbursement.disbursed_on,
            provider_name=disbursement.provider_name or "",
        )
        if disbursement.provider_name:
            prefill["category"] = "provider"
    return {k: v for k, v in prefill.items() if v not in (None, "")}
