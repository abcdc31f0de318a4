"""Victim cases: opened by staff or from a victim's application, listed on the staff queue with
their expected answer date and overdue flag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import has_request_context
from flask_login import current_user

from core.toolkit import (
    AidRequest,
    Invalid,
    Person,
    RequestCreateSchema,
    User,
    audit_record,
    create_request,
    db,
    get_in_tenant,
    get_or_404,
    local_time,
    require_tenant,
    roles_in,
)
from core.toolkit import today as tenant_today

from .. import rules
from ..i18n import _
from ..models import CaseStep, VictimCase
from ..schemas import CaseOpenSchema
from .categories import categories

OPENED = "crime_victims.case.opened"
OBJECT_TYPE = "crime_victims_case"
# Core's request channels (``core.requests.models.CHANNELS``); a referral by an outside body
# arrives as a letter.
CORE_CHANNEL = {"outside_referral": "official_letter"}
INCIDENT_FIELDS = (
    "category_code",
    "incident_date",
    "city",
    "relation",
    "report_authority",
    "report_reference",
    "no_report_reason",
)
DECIDED_STATES = ("approved", "rejected", "disbursed", "closed")


def _check_category(code: str) -> None:
    if code not in {c.code for c in categories()}:
        raise Invalid({"category_code": [_("Choose one of the listed values.")]})


def _check_representative(user_id: int | None) -> None:
    if user_id is None:
        return
    user = db.session.get(User, user_id)
    if user is None or not roles_in(user, require_tenant()):
        raise Invalid({"representative_id": [_("Choose a member of the association's staff.")]})


def open_case(data: dict, actor) -> VictimCase:
    """A case registered by staff: core's request (a draft in the applicant's name) and the case,
    intake step 1 recorded with its channel. ``Invalid``/field errors and nothing written."""
    values = CaseOpenSchema().load(data)
    _check_category(values["category_code"])
    _check_representative(values.get("representative_id"))
    incident = {key: values.get(key) for key in INCIDENT_FIELDS}
    if incident["incident_date"] is not None:
        incident["incident_date"] = incident["incident_date"].isoformat()
    core = RequestCreateSchema().load(
        {
            "channel": CORE_CHANNEL.get(values["channel"], values["channel"]),
            "applicant_name": values["applicant_name"],
            "applicant_phone": values.get("applicant_phone"),
            "applicant_city": values.get("city") or None,
            "extra": {"crime_victims": {k: v for k, v in incident.items() if v is not None}},
        }
    )
    request = create_request(core, actor)
    return _new_case(
        request,
        actor,
        channel=values["channel"],
        branch_office=values.get("branch_office"),
        representative_id=values.get("representative_id"),
        referrer_kind=values.get("referrer_kind"),
        referrer_name=values.get("referrer_name"),
    )


def case_from_request(request: AidRequest, actor=None) -> VictimCase | None:
    """The case of a request whose application carries a victim's data (portal, core's intake
    form), opened once — at its submission — with step 1 recorded; None for other requests."""
    if not ((request.extra or {}).get("crime_victims") or {}).get("category_code"):
        return None
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    existing = case_of_request(request.id)
    if existing is not None:
        return existing
    channel = (
        request.channel
        if request.channel in rules.CHANNELS or request.channel == "mobile_app"
        else "in_person"
    )
    return _new_case(request, actor, channel=channel)


def _new_case(request: AidRequest, actor, *, channel: str, **more) -> VictimCase:
    data = (request.extra or {}).get("crime_victims") or {}
    incident = data.get("incident_date")
    case = VictimCase(
        request_id=request.id,
        category_code=data.get("category_code") or "",
        incident_date=date.fromisoformat(incident) if incident else None,
        city=data.get("city") or "",
        relation=data.get("relation"),
        report_authority=data.get("report_authority"),
        report_reference=data.get("report_reference"),
        no_report_reason=data.get("no_report_reason"),
        channel=channel,
        step=rules.RECEIVED,
        created_by_id=getattr(actor, "id", None),
        **more,
    )
    db.session.add(case)
    db.session.flush()
    record(case, rules.RECEIVED, "received", actor, {"channel": channel})
    audit_record(OPENED, OBJECT_TYPE, case.id, {"channel": channel, "request_id": request.id}, user=actor)
    return case


def record(
    case: VictimCase, step: int, kind: str, actor, data: dict | None = None, note: str = ""
) -> CaseStep:
    """Write one event of the timeline (who, when, what); the caller moves ``case.step``."""
    event = CaseStep(
        case_id=case.id, step=step, kind=kind, data=data or {}, note=note, by_id=getattr(actor, "id", None)
    )
    db.session.add(event)
    db.session.flush()
    return event


def case_of_request(request_id: int) -> VictimCase | None:
    return db.session.scalar(sa.select(VictimCase).where(VictimCase.request_id == request_id))


def get_case(case_id) -> VictimCase:
    return get_or_404(VictimCase, case_id)


def request_of(case: VictimCase) -> AidRequest:
    return get_in_tenant(AidRequest, case.request_id)


def person_of(case: VictimCase) -> Person | None:
    return get_in_tenant(Person, case.person_id) if case.person_id else None


def timeline(case: VictimCase) -> list[CaseStep]:
    return list(
        db.session.scalars(sa.select(CaseStep).where(CaseStep.case_id == case.id).order_by(CaseStep.id))
    )


@dataclass(frozen=True)
class QueueRow:
    """A line of the staff queue: the case, its request's number and state, the dates."""

    case: VictimCase
    number: str | None
    state: str
    applicant_name: str
    submitted_on: date | None
    expected_answer: date | None
    overdue: bool


def local_day(moment) -> date:
    """The day of a stored moment as the association counts it (its time zone): a submission at
    22:00 UTC is the next day in Riyadh, and the 14 days run from that day."""
    return local_time(moment).date()


def _row(case: VictimCase, request: AidRequest, today: date) -> QueueRow:
    submitted = local_day(request.submitted_at) if request.submitted_at else None
    return QueueRow(
        case=case,
        number=request.number,
        state=request.state,
        applicant_name=request.applicant_name,
        submitted_on=submitted,
        expected_answer=rules.expected_answer_date(submitted) if submitted else None,
        overdue=rules.is_overdue(submitted, request.state in DECIDED_STATES, today),
    )


def queue(*, overdue_only: bool = False, today: date | None = None, limit: int = 200) -> list[QueueRow]:
    """The cases, newest first, with their request (one query whatever the number of cases)."""
    today = today or tenant_today()
    rows = db.session.execute(
        sa.select(VictimCase, AidRequest)
        .join(
            AidRequest,
            sa.and_(AidRequest.id == VictimCase.request_id, AidRequest.tenant_id == VictimCase.tenant_id),
        )
        .order_by(VictimCase.id.desc())
        .limit(limit)
    ).all()
    found = [_row(case, request, today) for case, request in rows]
    return [row for row in found if row.overdue] if overdue_only else found


def row_of(case: VictimCase, today: date | None = None) -> QueueRow:
    return _row(case, request_of(case), today or tenant_today())


def as_dict(case: VictimCase, today: date | None = None) -> dict:
    """The case as the API answers it (no narrative: see the narrative's own route)."""
    row = row_of(case, today)
    out = {
        c.key: getattr(case, c.key) for c in VictimCase.__table__.columns if not c.key.endswith("_encrypted")
    }
    out.update(
        request_number=row.number,
        request_state=row.state,
        submitted_on=row.submitted_on,
        expected_answer_date=row.expected_answer,
        overdue=row.overdue,
    )
    return out


def check_invalid(condition: bool, field: str, message: str) -> None:
    """Refuse with a field error (422) when ``condition`` holds."""
    if condition:
        raise Invalid({field: [message]})


def submission_problems(request: AidRequest) -> dict:
    """An application on the portal is a victim's: it names the crime's category."""
    if request.channel not in ("portal", "mobile_app"):
        return {}
    if ((request.extra or {}).get("crime_victims") or {}).get("category_code"):
        return {}
    return {"extra.crime_victims.category_code": [_("Choose the crime's category.")]}


def researchers() -> list[User]:
    """The members holding the researcher role (to assign a case)."""
    tenant = require_tenant()
    users = db.session.scalars(sa.select(User).where(User.is_active.is_(True)).order_by(User.id))
    return [user for user in users if "researcher" in roles_in(user, tenant)]
