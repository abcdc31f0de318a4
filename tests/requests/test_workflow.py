from __future__ import annotations

from datetime import date

import pytest
from marshmallow import ValidationError

from core.auth.models import TENANT_ROLES
from core.errors import Conflict, Forbidden
from core.extensions import db
from core.requests import services
from core.requests.models import RequestEvent
from core.requests.workflow import CORE_TRANSITIONS

# The roles that own each step (spec/platform.md), stated here independently of the code.
OWNERS = {
    "submit": {"relations_officer"},
    "start_research": {"researcher"},
    "schedule_visit": {"researcher"},
    "record_visit": {"researcher"},
    "verify": {"researcher"},
    "send_to_committee": {"researcher"},
    "approve": {"committee_member"},
    "reject": {"committee_member"},
    "refuse_permit": {"executive_director"},
    "disburse": {"finance_officer"},
    "close": {"relations_officer", "executive_director"},
    "return": {"relations_officer", "researcher"},
    "withdraw": {"relations_officer", "executive_director"},
}
STEP_ROLES = [(t.action, role) for t in CORE_TRANSITIONS for role in TENANT_ROLES]


def test_every_core_step_has_its_owners_stated():
    assert {t.action for t in CORE_TRANSITIONS} == set(OWNERS)


def _ready_for(action, request, advance, staff):
    """Put ``request`` in the first source state of ``action`` with its preconditions met."""
    source = {t.action: t.sources for t in CORE_TRANSITIONS}[action][0]
    order = [
        "draft",
        "submitted",
        "in_research",
        "field_visit_scheduled",
        "verified",
        "in_committee",
        "approved",
        "disbursed",
    ]
    if source == "rejected":
        advance(request, "in_committee")
        services.reject(
            request,
            staff["committee_member"],
            reason="لا تنطبق الشروط",
            members_present=[staff["committee_member"].id],
        )
    elif source in order:
        advance(request, source)
    else:
        pytest.skip(f"no path to {source}")
    if action == "verify":
        services.record_visit(
            request, staff["researcher"], visited_on=date(2025, 11, 9), findings="تمت", checked_fields=[]
        )
    if action == "refuse_permit":
        request.needs_permit = True
        escalation = services.escalate(
            request, staff["executive_director"], authority="إمارة المنطقة", sent_on=date(2025, 11, 1)
        )
        request._escalation_id = escalation.id
    db.session.flush()


def _take(action, request, actor):
    if action == "submit":
        return services.submit(request, actor, declaration_signed_by="نورة")
    if action == "schedule_visit":
        return services.schedule_visit(request, actor, date(2025, 11, 10))
    if action == "record_visit":
        return services.record_visit(
            request, actor, visited_on=date(2025, 11, 9), findings="تمت", checked_fields=[]
        )
    if action == "approve":
        return services.approve(request, actor, amount_halalas=1000, members_present=[actor.id])
    if action == "reject":
        return services.reject(request, actor, reason="غير مستحق", members_present=[actor.id])
    if action == "return":
        return services.return_to_applicant(request, actor, "صورة الهوية ناقصة")
    if action == "disburse":
        from core.aid.services import record_disbursement

        return record_disbursement(
            request,
            actor,
            {
                "kind": "cash",
                "value_halalas": 1000,
                "proof_type": "acknowledgement",
                "acknowledged_by": "نورة",
                "disbursed_on": date(2025, 11, 20),
            },
        )
    if action == "refuse_permit":
        return services.record_permit_outcome(
            request, actor, request._escalation_id, outcome="refused", outcome_on=date(2025, 11, 5)
        )
    simple = {
        "start_research": services.start_research,
        "verify": services.verify,
        "send_to_committee": services.send_to_committee,
        "close": services.close,
        "withdraw": services.withdraw,
    }
    return simple[action](request, actor)


@pytest.mark.parametrize(("action", "role"), STEP_ROLES)
def test_step_is_allowed_only_to_the_roles_that_own_it(action, role, new_request, advance, staff):
    request = new_request(linked=True)
    _ready_for(action, request, advance, staff)
    before = request.state
    target = {t.action: t.target for t in CORE_TRANSITIONS}[action]
    if role in OWNERS[action]:
        _take(action, request, staff[role])
        assert request.state == target
        assert db.session.scalars(
            db.select(RequestEvent).where(
                RequestEvent.request_id == request.id, RequestEvent.action == action
            )
        ).first()
    else:
        events = db.session.scalar(db.select(db.func.count(RequestEvent.id)))
        with pytest.raises(Forbidden):
            _take(action, request, staff[role])
        assert request.state == before
        assert db.session.scalar(db.select(db.func.count(RequestEvent.id))) == events


@pytest.mark.parametrize(
    ("state", "action", "role"),
    [
        ("draft", "start_research", "researcher"),
        ("submitted", "approve", "committee_member"),
        ("in_research", "send_to_committee", "researcher"),
        ("verified", "disburse", "finance_officer"),
        ("approved", "reject", "committee_member"),
        ("disbursed", "withdraw", "relations_officer"),
        ("in_committee", "schedule_visit", "researcher"),
    ],
)
def test_invalid_transition_is_a_conflict_and_changes_nothing(
    state, action, role, new_request, advance, staff
):
    request = advance(new_request(), state)
    with pytest.raises(Conflict) as info:
        _take(action, request, staff[role])
    assert request.state == state
    assert "لا يمكن" in str(info.value.message) or "لا يُصرف" in str(
        info.value.message
    )  # translated (ar default)


def test_submission_gives_number_and_date_and_signed_declaration(new_request, staff, tenant):
    request = new_request()
    services.submit(request, staff["relations_officer"], declaration_signed_by="نورة")
    assert request.number.endswith("-000001")
    assert request.submitted_at is not None and request.declaration_signed_at is not None


def test_research_cannot_start_before_the_declaration_is_signed(new_request, staff):
    request = new_request()
    services.submit(request, staff["relations_officer"])
    with pytest.raises(Conflict) as info:
        services.start_research(request, staff["researcher"])
    assert "الإقرار" in str(info.value.message)
    assert request.state == "submitted"
    services.sign_declaration(request, staff["relations_officer"], "نورة")
    services.start_research(request, staff["researcher"])
    assert request.state == "in_research"


def test_verify_needs_a_recorded_visit_and_the_official_verification(new_request, advance, staff):
    request = advance(new_request(needs_verification_with="health"), "field_visit_scheduled")
    with pytest.raises(Conflict):
        services.verify(request, staff["researcher"])
    services.record_visit(
        request,
        staff["researcher"],
        visited_on=date(2025, 11, 9),
        findings="تمت الزيارة",
        checked_fields=[{"field": "income", "entered": "3000", "status": "corrected", "found": "3500"}],
    )
    with pytest.raises(Conflict) as info:
        services.verify(request, staff["researcher"])
    assert "التحقق الرسمي" in str(info.value.message)
    services.record_verification(
        request,
        staff["researcher"],
        {
            "body": "health",
            "contact": "مستشفى الملك فهد",
            "reference": "H-1",
            "outcome": "confirmed",
            "notes": "",
            "verified_on": date(2025, 11, 9),
        },
    )
    services.verify(request, staff["researcher"])
    assert request.state == "verified"
    checks = {c["code"]: c for c in services.assess(request)}
    assert checks["field_visit"]["outcome"] == "needs_review"
    assert checks["field_visit"]["figures"]["corrected"] == 1


def test_returned_request_goes_back_to_submitted_with_the_same_number(new_request, advance, staff):
    request = advance(new_request(), "in_research")
    number = request.number
    services.return_to_applicant(request, staff["researcher"], "صورة عقد الإيجار ناقصة")
    assert request.state == "returned" and request.returned_reason
    services.submit(request, staff["relations_officer"])
    assert request.state == "submitted" and request.number == number


def test_withdraw_from_any_open_state_but_not_from_a_closed_one(new_request, advance, staff):
    request = advance(new_request(), "verified")
    services.withdraw(request, staff["relations_officer"])
    assert request.state == "withdrawn"
    with pytest.raises(Conflict):
        services.withdraw(request, staff["relations_officer"])


def test_applicant_may_submit_and_withdraw_only_their_own_request(in_first, staff, create_user_, tenant):
    applicant = staff["applicant"]
    other = create_user_("other-applicant@example.org", roles={tenant: ["applicant"]})
    data = {"applicant_name": "فهد سالم علي القحطاني", "channel": "portal"}
    own = services.create_request(data, applicant, own=True)
    assert own.applicant_user_id == applicant.id and own.channel == "portal"
    with pytest.raises(Forbidden):
        services.submit(own, other, declaration_signed_by="x")
    services.submit(own, applicant, declaration_signed_by="فهد")
    with pytest.raises(Forbidden):
        services.withdraw(own, other)
    services.withdraw(own, applicant)
    assert own.state == "withdrawn"


def test_ceiling_is_enforced_and_the_override_needs_a_reason_and_the_director(
    new_request, advance, staff, tenant
):
    tenant.settings = {**(tenant.settings or {}), "aid": {"default_ceiling_halalas": 200000}}
    db.session.flush()
    request = advance(new_request(linked=True), "in_committee")
    with pytest.raises(ValidationError) as info:
        services.approve(
            request,
            staff["committee_member"],
            amount_halalas=250000,
            members_present=[staff["committee_member"].id],
        )
    assert "override_reason" in info.value.messages
    with pytest.raises(Forbidden):
        services.approve(
            request,
            staff["committee_member"],
            amount_halalas=250000,
            members_present=[staff["committee_member"].id],
            override_reason="حالة حرجة",
        )
    assert request.state == "in_committee"
    from core.auth.services import grant_role

    grant_role(tenant, staff["committee_member"], "executive_director")
    decision = services.approve(
        request,
        staff["committee_member"],
        amount_halalas=250000,
        members_present=[staff["committee_member"].id],
        override_reason="حالة حرجة",
    )
    assert request.state == "approved" and decision.override_reason == "حالة حرجة"
    assert decision.ceiling_halalas == 200000
    event = db.session.scalars(db.select(RequestEvent).where(RequestEvent.action == "approve")).one()
    assert event.data["override"] is True and event.data["ceiling_halalas"] == 200000


def test_approval_within_the_ceiling_needs_no_override(new_request, advance, staff, tenant):
    tenant.settings = {"aid": {"default_ceiling_halalas": 200000}}
    request = advance(new_request(linked=True), "in_committee")
    decision = services.approve(
        request,
        staff["committee_member"],
        amount_halalas=200000,
        members_present=[staff["committee_member"].id],
    )
    assert decision.override_reason is None and decision.assessment


def _file_with_status(status):
    from core.registry.models import BeneficiaryFile, Household, Person

    person = Person(first_name="نورة", father_name="محمد", grandfather_name="عبدالله", family_name="السبيعي")
    db.session.add(person)
    db.session.flush()
    household = Household(head_person_id=person.id, housing_tenure="rented")
    db.session.add(household)
    db.session.flush()
    file = BeneficiaryFile(household_id=household.id, status=status)
    db.session.add(file)
    db.session.flush()
    return file


@pytest.mark.parametrize("status", ["suspended", "excluded"])
def test_suspended_or_excluded_file_gets_no_approval(status, new_request, advance, staff):
    file = _file_with_status(status)
    request = advance(new_request(file_id=file.id), "in_committee")
    with pytest.raises(Conflict) as info:
        services.approve(
            request,
            staff["committee_member"],
            amount_halalas=1000,
            members_present=[staff["committee_member"].id],
        )
    assert request.state == "in_committee"
    assert "ملف المستفيد" in str(info.value.message)


@pytest.mark.parametrize("status", ["suspended", "excluded"])
def test_suspended_or_excluded_file_gets_no_disbursement(status, new_request, advance, staff):
    from core.aid.services import record_disbursement

    file = _file_with_status("active")
    request = advance(new_request(file_id=file.id), "approved")
    file.status = status
    db.session.flush()
    with pytest.raises(Conflict):
        record_disbursement(
            request,
            staff["finance_officer"],
            {
                "kind": "cash",
                "value_halalas": 1000,
                "proof_type": "acknowledgement",
                "acknowledged_by": "نورة",
                "disbursed_on": date(2025, 11, 20),
            },
        )
    assert request.state == "approved"


def test_permit_is_needed_before_disbursement_and_the_applicant_is_told(new_request, advance, staff):
    from core.aid.services import record_disbursement
    from core.notifications.models import OutboxMessage

    request = advance(new_request(needs_permit=True), "approved")
    payment = {
        "kind": "cash",
        "value_halalas": 1000,
        "proof_type": "acknowledgement",
        "acknowledged_by": "نورة",
        "disbursed_on": date(2025, 11, 20),
    }
    with pytest.raises(Conflict):
        record_disbursement(request, staff["finance_officer"], dict(payment))
    escalation = services.escalate(
        request, staff["executive_director"], authority="إمارة المنطقة", sent_on=date(2025, 11, 1)
    )
    services.record_permit_outcome(
        request, staff["executive_director"], escalation.id, outcome="granted", outcome_on=date(2025, 11, 5)
    )
    assert db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.template == "permit_outcome")
    ).first()
    record_disbursement(request, staff["finance_officer"], dict(payment))
    assert request.state == "disbursed"


def test_disbursements_never_exceed_the_approved_amount(new_request, advance, staff):
    from core.aid.services import disbursed_total, record_disbursement

    request = advance(new_request(), "disbursed")  # 1,000 SAR approved, 500 paid
    payment = {
        "kind": "in_kind",
        "value_halalas": 50000,
        "proof_type": "acknowledgement",
        "acknowledged_by": "نورة",
        "disbursed_on": date(2025, 12, 1),
    }
    record_disbursement(request, staff["finance_officer"], dict(payment))
    assert disbursed_total(request) == 100000
    with pytest.raises(Conflict):
        record_disbursement(request, staff["finance_officer"], {**payment, "value_halalas": 1})


def test_disbursement_needs_proof_of_receipt(new_request, advance, staff):
    from core.aid.services import record_disbursement

    request = advance(new_request(), "approved")
    with pytest.raises(ValidationError) as info:
        record_disbursement(
            request,
            staff["finance_officer"],
            {
                "kind": "cash",
                "value_halalas": 100,
                "proof_type": "acknowledgement",
                "disbursed_on": date(2025, 11, 20),
            },
        )
    assert "acknowledged_by" in info.value.messages
    with pytest.raises(ValidationError) as info:
        record_disbursement(
            request,
            staff["finance_officer"],
            {
                "kind": "cash",
                "value_halalas": 100,
                "proof_type": "document",
                "disbursed_on": date(2025, 11, 20),
            },
        )
    assert "proof_document_id" in info.value.messages
    assert request.state == "approved"


def test_every_step_is_audited(new_request, advance, staff):
    from core.audit.models import AuditEvent

    advance(new_request(), "disbursed")
    actions = set(
        db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.object_type == "AidRequest"))
    )
    assert {
        "request.submit",
        "request.start_research",
        "request.schedule_visit",
        "request.verify",
        "request.send_to_committee",
        "request.approve",
        "request.disburse",
    } <= actions


def test_overdue_queue_uses_working_days(new_request, advance, staff, tenant):
    from datetime import datetime

    request = advance(new_request(), "in_research")
    request.submitted_at = datetime(2025, 11, 2, 9, 0)  # a Sunday
    tenant.settings = {"calendar": {"decision_deadline_days": 5, "holidays": ["2025-11-05"]}}
    # 5 working days after Sunday 2 Nov, skipping Wed 5 (holiday) and Fri/Sat: Mon 10 Nov.
    assert services.deadline_of(request) == date(2025, 11, 10)
    assert services.queue("overdue", staff["researcher"], today=date(2025, 11, 10)) == []
    assert services.queue("overdue", staff["researcher"], today=date(2025, 11, 11)) == [request]
    assert request in services.queue("mine", staff["researcher"])
    assert request in services.queue("awaiting_visit", staff["researcher"])
