"""The seven intake steps of section 6 of seed 003, each recorded with who and when, in order.

Steps 1–5 are the plugin's own records; core's workflow is held back by them through
``validate_request_transition`` (:func:`transition_problems`): a staff-registered request is
not submitted before step 3, no research or committee step runs before step 5, no disbursement
before step 6 (registration), a served request is not closed before step 7.
"""

from __future__ import annotations

from core.toolkit import (
    Conflict,
    Forbidden,
    InvalidNationalId,
    Person,
    User,
    audit_record,
    can,
    db,
    find_by_national_id,
    get_in_tenant,
    notify,
    parse_national_id,
    require_tenant,
    roles_in,
    submit_request,
)
from core.toolkit import today as tenant_today

from .. import rules
from ..i18n import _
from ..models import CaseStep, VictimCase
from ..schemas import AnswerSchema, CheckSchema, ClarifySchema, DeclareSchema, NoteSchema
from .cases import check_invalid, local_day, record, request_of

STEP_RECORDED = "crime_victims.case.step"
INTAKE = "crime_victims.intake"
RESEARCH_OFFICER = "crime_victims.research_officer"
REGISTER = "crime_victims.register"
NOTICE_TEMPLATE = "crime_victims_committee_notice"

# Core steps held back until an intake step is done (``validate_request_transition``).
NEEDS_STEP = {
    "start_research": rules.COMMITTEE_NOTICE,
    "schedule_visit": rules.COMMITTEE_NOTICE,
    "record_visit": rules.COMMITTEE_NOTICE,
    "verify": rules.COMMITTEE_NOTICE,
    "send_to_committee": rules.COMMITTEE_NOTICE,
    "approve": rules.COMMITTEE_NOTICE,
    "reject": rules.COMMITTEE_NOTICE,
    "disburse": rules.REGISTERED,
    # Closed with its needs met (no disbursement): the service is recorded first, as for a close.
    "close_needs_met": rules.SERVED,
}


def allow(actor, action: str) -> None:
    if not can(actor, action):
        raise Forbidden(_("Your role cannot take this step."))


def _advance(
    case: VictimCase, step: int, kind: str, actor, data: dict | None = None, note: str = ""
) -> CaseStep:
    if not rules.may_record(case.step, step):
        raise Conflict(
            _("Step %(step)s cannot be recorded now: the next step of this case is %(next)s.")
            % {"step": step, "next": rules.next_step(case.step) or "—"}
        )
    event = record(case, step, kind, actor, data, note)
    case.step = step
    audit_record(STEP_RECORDED, "crime_victims_case", case.id, {"step": step, "kind": kind}, user=actor)
    return event


def check_items(case: VictimCase, data: dict, actor, today=None) -> CaseStep:
    """Step 2: the applicant's data matched with a registry person, whose ID must be valid on the
    day of submission (today when the request is not submitted yet)."""
    allow(actor, INTAKE)
    values = CheckSchema().load(data)
    person = None
    if values.get("person_id"):
        person = get_in_tenant(Person, values["person_id"])
        check_invalid(person is None, "person_id", _("No such person in the registry."))
    else:
        try:
            number = parse_national_id(values.get("national_id") or "")
        except InvalidNationalId:
            raise_field("national_id", _("Enter a valid 10-digit ID or iqama number."))
        person = find_by_national_id(number)
        check_invalid(
            person is None,
            "national_id",
            _("No person in the registry has this ID number: register them first."),
        )
    request = request_of(case)
    day = local_day(request.submitted_at) if request.submitted_at else (today or tenant_today())
    if not rules.id_valid_at(person.id_expiry, day):
        message = (
            _("The ID's expiry date is not recorded in the registry: record it first.")
            if person.id_expiry is None
            else _("The ID expired before the submission date: ask for a valid ID.")
        )
        raise_field("id_expiry", message)
    case.person_id = person.id
    return _advance(
        case, rules.CHECKED, "checked", actor, {"person_id": person.id, "checked_on": day.isoformat()}
    )


def raise_field(field: str, message: str):
    check_invalid(True, field, message)


def clarify(case: VictimCase, data: dict, actor) -> CaseStep:
    """Step 3: the procedure is clear to the applicant (done), or they are referred to the
    social-research officer, who answers (:func:`answer_referral`) before the case moves on."""
    allow(actor, INTAKE)
    values = ClarifySchema().load(data)
    if values["outcome"] == "clear":
        return _advance(case, rules.CLARIFIED, "procedure_clear", actor)
    if not rules.may_record(case.step, rules.CLARIFIED):
        raise Conflict(_("The applicant can be referred only before the declaration."))
    if pending_referral(case) is not None:
        raise Conflict(_("The applicant is already referred to the social-research officer."))
    officer = db.session.get(User, values["officer_id"]) if values.get("officer_id") else None
    check_invalid(
        officer is None or not can_answer(officer),
        "officer_id",
        _("Choose a social-research officer of the association."),
    )
    event = record(case, rules.CLARIFIED, "referred_to_research", actor, {"officer_id": officer.id})
    audit_record(
        STEP_RECORDED, "crime_victims_case", case.id, {"step": 3, "kind": "referred_to_research"}, user=actor
    )
    return event


def can_answer(user) -> bool:
    roles = roles_in(user, require_tenant())
    return bool(roles & {"researcher", "tenant_admin"})


def pending_referral(case: VictimCase) -> CaseStep | None:
    """The referral to the social-research officer not answered yet, if any."""
    events = db.session.scalars(
        db.select(CaseStep)
        .where(CaseStep.case_id == case.id, CaseStep.step == rules.CLARIFIED)
        .order_by(CaseStep.id)
    ).all()
    last = events[-1] if events else None
    return last if last is not None and last.kind == "referred_to_research" else None


def answer_referral(case: VictimCase, data: dict, actor) -> CaseStep:
    """The social-research officer answers the applicant's questions: step 3 is done."""
    allow(actor, RESEARCH_OFFICER)
    referral = pending_referral(case)
    if referral is None:
        raise Conflict(_("This case has no referral waiting for an answer."))
    if referral.data.get("officer_id") not in (actor.id, None) and "tenant_admin" not in roles_in(
        actor, require_tenant()
    ):
        raise Forbidden(_("Only the officer the applicant was referred to answers."))
    values = AnswerSchema().load(data)
    return _advance(
        case, rules.CLARIFIED, "research_answered", actor, {"referral_id": referral.id}, values["note"]
    )


def declare(case: VictimCase, data: dict, actor) -> CaseStep:
    """Step 4: core's signed declaration. A draft registered by staff is signed (from the paper
    form, by the name given) and submitted by core at once; a request the applicant submitted on
    the portal was signed there."""
    allow(actor, INTAKE)
    values = DeclareSchema().load(data)
    if not rules.may_record(case.step, rules.DECLARED):
        _advance(case, rules.DECLARED, "declared", actor)  # raises the translated refusal
    request = request_of(case)
    if request.declaration_signed_at is None:
        signed_by = (values.get("signed_by") or "").strip()
        check_invalid(
            len(signed_by) < 3, "signed_by", _("Enter the name of the person who signed the declaration.")
        )
        submit_request(request, actor, declaration_signed_by=signed_by)
    return _advance(
        case,
        rules.DECLARED,
        "declared",
        actor,
        {"signed_at": request.declaration_signed_at.isoformat(timespec="minutes")},
    )


def committee_notice(case: VictimCase, data: dict, actor) -> CaseStep:
    """Step 5: the applicant is told the case goes to the research committee and when to expect
    its answer (submission + 14 calendar days); the notice is queued in their language."""
    allow(actor, INTAKE)
    NoteSchema().load(data)
    request = request_of(case)
    if request.submitted_at is None:
        raise Conflict(_("The request is not submitted yet."))
    expected = rules.expected_answer_date(local_day(request.submitted_at))
    event = _advance(
        case, rules.COMMITTEE_NOTICE, "committee_notice", actor, {"expected": expected.isoformat()}
    )
    user = db.session.get(User, request.applicant_user_id) if request.applicant_user_id else None
    email = (
        request.applicant_email
        if request.applicant_email and (user is None or user.email != request.applicant_email)
        else None
    )
    notify(
        NOTICE_TEMPLATE,
        {"number": request.number or "", "date": expected},
        user=user,
        email=email,
        phone=request.applicant_phone,
    )
    return event


def register(case: VictimCase, data: dict, actor) -> CaseStep:
    """Step 6: registration completed, once the committee accepted the case and the person is matched."""
    allow(actor, REGISTER)
    values = NoteSchema().load(data)
    request = request_of(case)
    if request.state not in ("approved", "disbursed"):
        raise Conflict(_("Registration is completed once the research committee accepted the case."))
    return _advance(case, rules.REGISTERED, "registered", actor, note=values["note"])


def serve(case: VictimCase, data: dict, actor) -> CaseStep:
    """Step 7: the service delivered."""
    allow(actor, REGISTER)
    values = NoteSchema().load(data)
    return _advance(case, rules.SERVED, "served", actor, note=values["note"])


ACTIONS = {
    "check": check_items,
    "clarify": clarify,
    "answer": answer_referral,
    "declare": declare,
    "notice": committee_notice,
    "register": register,
    "serve": serve,
}


def take(case: VictimCase, action: str, data: dict, actor) -> CaseStep:
    """Run the step ``action`` of the case (pages and API)."""
    return ACTIONS[action](case, data, actor)


def transition_problems(request, action: str, case: VictimCase | None) -> list[str]:
    """Why core's step ``action`` must wait for the case's intake (empty: it may run)."""
    if case is None:
        return []
    if action == "submit" and case.step < rules.CLARIFIED:
        return [_("Record the intake steps up to the procedure's explanation before submitting the case.")]
    needed = NEEDS_STEP.get(action)
    if action == "close" and request.state == "disbursed":
        needed = rules.SERVED
    if needed is not None and case.step < needed:
        return [_("This case's intake step %(step)s is not recorded yet.") % {"step": needed}]
    return []
