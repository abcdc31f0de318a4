"""The seven intake steps of seed 003 (section 6), enforced: each recorded with who and when, in
order, none skipped; the ID's validity at submission; the referral to the social-research
officer; core's declaration; the expected answer date (submission + 14 days) in the notice and
on the queue with its overdue flag; core's workflow held back until the steps are done."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.testing import AuditEvent, OutboxMessage, request_services
from core.toolkit import AidRequest, Conflict, Forbidden, Invalid, db, format_date, local_time
from core.toolkit import today as tenant_today

from .. import rules, services
from ..models import CaseStep, VictimCase
from .conftest import PAGE


def test_staff_open_a_case_and_step_one_records_the_channel_who_and_when(
    client, staff, login, in_tenant, enabled
):
    login(staff["relations_officer"])
    response = client.post(
        f"{PAGE}/new",
        data={
            "applicant_name": "منيرة سعد العتيبي",
            "channel": "phone",
            "category_code": "assault",
            "incident_date": "1448-04-10",
            "city": "الرياض",
            "report_authority": "police",
            "report_reference": "1447/4411",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with in_tenant(enabled):
        case = db.session.scalars(db.select(VictimCase)).one()
        event = db.session.scalars(db.select(CaseStep)).one()
        request = db.session.get(AidRequest, case.request_id)
        assert (case.step, case.channel, case.category_code) == (1, "phone", "assault")
        assert request.state == "draft" and request.extra["crime_victims"]["report_reference"] == "1447/4411"
        assert (event.step, event.kind, event.by_id, event.data) == (
            1,
            "received",
            staff["relations_officer"].id,
            {"channel": "phone"},
        )
        assert event.at is not None
    page = client.get(f"{PAGE}/cases/{case.id}").get_data(as_text=True)
    assert page.count('data-step="') == 7 and 'data-step="1" data-done="yes"' in page
    assert "مكالمة هاتفية" in page and 'id="step-check"' in page


def test_a_case_without_a_report_or_the_reason_for_its_absence_is_refused(
    client, staff, login, in_tenant, enabled
):
    login(staff["relations_officer"])
    response = client.post(
        f"{PAGE}/new",
        data={"applicant_name": "منيرة سعد", "channel": "phone", "category_code": "assault"},
    )
    assert response.status_code == 422
    assert 'data-field="report_reference"' in response.get_data(as_text=True)
    with in_tenant(enabled):
        assert db.session.scalar(db.select(db.func.count(VictimCase.id))) == 0
        assert db.session.scalar(db.select(db.func.count(AidRequest.id))) == 0


def test_a_branch_representative_case_needs_the_branch_and_the_representative(staff, in_tenant, enabled):
    with in_tenant(enabled), pytest.raises(Invalid) as refused:
        services.open_case(
            {
                "applicant_name": "سارة محمد",
                "channel": "branch_representative",
                "category_code": "fraud",
                "no_report_reason": "—",
            },
            staff["relations_officer"],
        )
    assert set(refused.value.messages) == {"branch_office", "representative_id"}
    with in_tenant(enabled):
        case = services.open_case(
            {
                "applicant_name": "سارة محمد",
                "channel": "branch_representative",
                "branch_office": "مكتب النسيم",
                "representative_id": staff["relations_officer"].id,
                "category_code": "fraud",
                "no_report_reason": "—",
            },
            staff["relations_officer"],
        )
        assert (case.branch_office, case.representative_id) == ("مكتب النسيم", staff["relations_officer"].id)


def test_a_step_cannot_be_skipped(client, staff, login, open_case, in_tenant, enabled):
    case_id = open_case()
    login(staff["relations_officer"])
    response = client.post(f"{PAGE}/cases/{case_id}/steps/declare", data={"signed_by": "منيرة سعد"})
    assert response.status_code == 409
    with in_tenant(enabled):
        assert db.session.get(VictimCase, case_id).step == 1
        assert db.session.get(AidRequest, db.session.get(VictimCase, case_id).request_id).state == "draft"


def test_an_expired_id_is_refused_with_a_translated_field_error_and_nothing_changes(
    client, staff, login, open_case, make_victim, in_tenant, enabled
):
    expired = make_victim(expiry=tenant_today() - timedelta(days=1))
    case_id = open_case()
    login(staff["relations_officer"])
    response = client.post(f"{PAGE}/cases/{case_id}/steps/check", data={"national_id": expired.number})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="id_expiry-error"' in page and "انتهت صلاحية الهوية" in page
    with in_tenant(enabled):
        case = db.session.get(VictimCase, case_id)
        assert (case.step, case.person_id) == (1, None)


def test_the_id_is_checked_on_the_day_of_submission(staff, in_tenant, enabled, make_victim, open_case):
    """An application submitted while the ID was valid is matched after the ID expired."""
    late = make_victim(expiry=tenant_today() - timedelta(days=3))
    case_id = open_case()
    with in_tenant(enabled):
        case = db.session.get(VictimCase, case_id)
        request = db.session.get(AidRequest, case.request_id)
        request.submitted_at = request.created_at - timedelta(days=10)  # submitted when still valid
        services.take(case, "check", {"person_id": late.id}, staff["relations_officer"])
        assert case.step == rules.CHECKED and case.person_id == late.id


def test_the_referral_to_the_social_research_officer_is_answered_by_the_officer(
    staff, open_case, walk, in_tenant, enabled
):
    case_id = open_case()
    walk(case_id, 2)
    officer, researcher = staff["relations_officer"], staff["researcher"]
    with in_tenant(enabled):
        case = db.session.get(VictimCase, case_id)
        with pytest.raises(Invalid):  # a finance officer is no social-research officer
            services.take(
                case, "clarify", {"outcome": "refer", "officer_id": staff["finance_officer"].id}, officer
            )
        services.take(case, "clarify", {"outcome": "refer", "officer_id": researcher.id}, officer)
        assert case.step == rules.CHECKED  # referred, not answered: step 3 not done
        with pytest.raises(Conflict):  # the declaration waits for the answer
            services.take(case, "declare", {"signed_by": "منيرة"}, officer)
        with pytest.raises(Forbidden):
            services.take(case, "answer", {"note": "شرح"}, officer)
        services.take(case, "answer", {"note": "شُرحت الإجراءات"}, researcher)
        assert case.step == rules.CLARIFIED
        kinds = [e.kind for e in services.timeline(case)]
        assert kinds == ["received", "checked", "referred_to_research", "research_answered"]
        db.session.commit()


def test_core_holds_the_submission_and_the_research_until_their_intake_steps(
    staff, open_case, walk, in_tenant, enabled
):
    case_id = open_case()
    officer, researcher = staff["relations_officer"], staff["researcher"]
    with in_tenant(enabled):
        request = db.session.get(AidRequest, db.session.get(VictimCase, case_id).request_id)
        with pytest.raises(Conflict):
            request_services.submit(request, officer, declaration_signed_by="منيرة")
        db.session.rollback()
    walk(case_id, 4)  # declaration signed: core submitted the request
    with in_tenant(enabled):
        request = db.session.get(AidRequest, db.session.get(VictimCase, case_id).request_id)
        assert request.state == "submitted" and request.declaration_signed_by == "منيرة سعد العتيبي"
        with pytest.raises(Conflict):
            request_services.start_research(request, researcher)
        db.session.rollback()
    walk_notice(case_id, staff, in_tenant, enabled)
    with in_tenant(enabled):
        request = db.session.get(AidRequest, db.session.get(VictimCase, case_id).request_id)
        request_services.start_research(request, researcher)
        assert request.state == "in_research"


def walk_notice(case_id, staff, in_tenant, enabled):
    with in_tenant(enabled):
        services.take(db.session.get(VictimCase, case_id), "notice", {}, staff["relations_officer"])
        db.session.commit()


def test_the_notice_tells_the_expected_answer_date_of_submission_plus_fourteen_days(
    staff, open_case, walk, in_tenant, enabled
):
    case_id = open_case()
    walk(case_id, 5)
    with in_tenant(enabled):
        case = db.session.get(VictimCase, case_id)
        request = db.session.get(AidRequest, case.request_id)
        # the submission day in the association's time zone (after 21:00 UTC it is tomorrow in Riyadh)
        expected = local_time(request.submitted_at).date() + timedelta(days=14)
        assert services.row_of(case).expected_answer == expected
        notice = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.template == "crime_victims_committee_notice")
        ).first()
        assert notice is not None and notice.recipient.endswith("551112233")
        assert "لجنة البحث" in notice.body and format_date(expected) in notice.body
        last = services.timeline(case)[-1]
        assert (last.step, last.kind, last.data["expected"]) == (5, "committee_notice", expected.isoformat())


def test_a_case_past_its_expected_date_without_a_decision_is_flagged_on_the_queue(
    client, staff, login, open_case, walk, in_tenant, enabled
):
    late, fresh = open_case(), open_case(applicant_name="خالد عبدالله الشهري")
    walk(late, 4)
    walk(fresh, 4)
    with in_tenant(enabled):
        request = db.session.get(AidRequest, db.session.get(VictimCase, late).request_id)
        request.submitted_at = request.submitted_at - timedelta(days=15)
        db.session.commit()
    login(staff["auditor"])
    page = client.get(f"{PAGE}/").get_data(as_text=True)
    assert f'data-case="{late}" data-overdue' in page and f'data-case="{fresh}" data-overdue' not in page
    overdue = client.get(f"{PAGE}/?overdue=1").get_data(as_text=True)
    assert f'data-case="{late}"' in overdue and f'data-case="{fresh}"' not in overdue


def test_registration_waits_for_the_committee_and_disbursement_for_registration(
    staff, open_case, walk, advance, in_tenant, enabled
):
    case_id = open_case()
    walk(case_id, 5)
    officer = staff["relations_officer"]
    with in_tenant(enabled):
        case = db.session.get(VictimCase, case_id)
        request = db.session.get(AidRequest, case.request_id)
        with pytest.raises(Conflict):
            services.take(case, "register", {}, officer)
        advance(request, "approved")
        services.take(case, "register", {"note": "اكتملت المتطلبات"}, officer)
        services.take(case, "serve", {"note": "جلسة دعم نفسي"}, officer)
        assert case.step == rules.SERVED
        assert [e.step for e in services.timeline(case)] == [1, 2, 3, 4, 5, 6, 7]
        audited = db.session.scalars(
            db.select(AuditEvent.details)
            .where(AuditEvent.action == "crime_victims.case.step")
            .order_by(AuditEvent.id)
        ).all()
        assert [d["step"] for d in audited] == [2, 3, 4, 5, 6, 7]


def test_a_portal_application_opens_its_case_at_submission(client, enabled, make_member, login, in_tenant):
    applicant = make_member("victim@example.org", enabled, ["applicant"])
    login(applicant)
    response = client.post(
        "/t/first/portal/apply",
        data={
            "applicant_name": "نورة حمد السبيعي",
            "applicant_phone": "0557778899",
            "applicant_city": "الرياض",
            "extra.crime_victims.category_code": "cybercrime",
            "extra.crime_victims.incident_date": "2026-10-20",
            "extra.crime_victims.city": "الرياض",
            "extra.crime_victims.no_report_reason": "لم أبلغ بعد",
            "declaration": "on",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with in_tenant(enabled):
        case = db.session.scalars(db.select(VictimCase)).one()
        assert (case.channel, case.category_code, case.step) == ("portal", "cybercrime", 1)
        assert services.timeline(case)[0].by_id == applicant.id
        request = db.session.get(AidRequest, case.request_id)
        expected = (local_time(request.submitted_at).date() + timedelta(days=14)).isoformat()
    page = client.get(f"/t/first/portal/requests/{request.id}").get_data(as_text=True)
    assert f'data-date="{expected}"' in page and "لجنة البحث" in page


def test_a_portal_application_without_a_crime_category_is_not_submitted(
    client, enabled, make_member, login, in_tenant
):
    login(make_member("victim@example.org", enabled, ["applicant"]))
    response = client.post(
        "/t/first/portal/apply",
        data={"applicant_name": "نورة حمد السبيعي", "applicant_phone": "0557778899", "declaration": "on"},
    )
    assert response.status_code == 422
    with in_tenant(enabled):
        assert db.session.scalar(db.select(db.func.count(VictimCase.id))) == 0
        assert db.session.scalar(db.select(db.func.count(AidRequest.id))) == 0
