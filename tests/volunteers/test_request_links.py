"""The volunteer-service channel records its volunteer before the request is submitted, and a
volunteer accompanies a field visit without becoming the researcher of record."""

from __future__ import annotations

import pytest

from core.errors import Invalid
from core.extensions import db
from core.requests import services as request_services
from core.requests.models import FieldVisit
from core.tenancy import tenant_context
from core.volunteers import VisitCompanion, services
from tests.volunteers.helpers import accepted, volunteer_data


def test_a_volunteer_service_request_is_submitted_only_with_its_volunteer(in_first, staff, new_request):
    officer = staff["relations_officer"]
    request = new_request(channel="volunteer_service")
    with pytest.raises(Invalid) as refused:
        request_services.submit(request, officer, declaration_signed_by="نورة")
    assert "volunteer_id" in refused.value.messages and request.state == "draft"
    waiting = services.register(volunteer_data(state="applied"), staff["tenant_admin"])
    with pytest.raises(Invalid):
        services.record_referral(request, waiting, officer)  # not accepted
    volunteer = accepted(staff)
    with pytest.raises(Invalid):
        services.record_referral(new_request(channel="phone"), volunteer, officer)
    services.record_referral(request, volunteer, officer)
    request_services.submit(request, officer, declaration_signed_by="نورة")
    assert request.state == "submitted" and services.referral_of(request).volunteer_id == volunteer.id
    # Other channels are not asked for a volunteer.
    other = new_request(channel="phone")
    request_services.submit(other, officer, declaration_signed_by="نورة")
    assert other.state == "submitted"


def test_a_companion_accompanies_the_visit_and_the_researcher_stays_of_record(
    in_first, staff, new_request, advance
):
    request = advance(new_request(linked=True), "field_visit_scheduled")
    visit = db.session.scalars(db.select(FieldVisit).where(FieldVisit.request_id == request.id)).one()
    researcher = visit.researcher_id
    office_only = accepted(staff, field_visits=False)
    with pytest.raises(Invalid):
        services.add_companion(visit, office_only, staff["researcher"])
    themselves = accepted(staff, name="الباحث متطوعًا")
    themselves.user_id = researcher  # the researcher, volunteering too, is not their own companion
    with pytest.raises(Invalid):
        services.add_companion(visit, themselves, staff["researcher"])
    volunteer = accepted(staff)
    services.add_companion(visit, volunteer, staff["researcher"])
    with pytest.raises(Invalid):
        services.add_companion(visit, volunteer, staff["researcher"])
    assert visit.researcher_id == researcher
    assert services.companions_of(request) == [(visit, [volunteer])]


def test_the_request_page_shows_the_volunteer_and_the_companions(
    client, api, tenant, staff, login, new_request, advance
):
    with tenant_context(tenant):
        request = new_request(channel="volunteer_service")
        volunteer = accepted(staff)
        db.session.commit()
        request_id, volunteer_id = request.id, volunteer.id
    login(staff["relations_officer"])
    recorded = client.post(
        f"/t/first/volunteers/requests/{request_id}/referral", data={"volunteer_id": volunteer_id}
    )
    assert recorded.status_code == 302
    page = client.get(f"/t/first/requests/{request_id}").get_data(as_text=True)
    assert 'id="volunteer-referral"' in page and "سلمان فهد عبدالله العنزي" in page
    with tenant_context(tenant):
        request = db.session.get(type(request), request_id)
        request_services.submit(request, staff["relations_officer"], declaration_signed_by="نورة")
        advance(request, "field_visit_scheduled")
        db.session.commit()
        visit_id = db.session.scalars(
            db.select(FieldVisit.id).where(FieldVisit.request_id == request_id)
        ).one()
    added = api(staff["researcher"]).post(
        "/volunteers/companions", json={"visit_id": visit_id, "volunteer_id": volunteer_id}
    )
    assert added.status_code == 201
    again = api(staff["researcher"]).post(
        "/volunteers/companions", json={"visit_id": visit_id, "volunteer_id": volunteer_id}
    )
    assert again.status_code == 422
    assert (
        api(staff["applicant"])
        .post("/volunteers/companions", json={"visit_id": visit_id, "volunteer_id": volunteer_id})
        .status_code
        == 403
    )
    page = client.get(f"/t/first/requests/{request_id}").get_data(as_text=True)
    assert f'data-visit="{visit_id}"' in page and 'class="companion"' in page
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count()).select_from(VisitCompanion)) == 1
