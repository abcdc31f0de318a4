"""The volunteer's journey on the portal pages (offer with field errors, accepted, apply, check
in and out, confirmed hours, certificate), the coordinator's API with 422s that write nothing,
and the OpenAPI document."""

from __future__ import annotations

import subprocess
from datetime import datetime, time

from core.extensions import db
from core.tenancy import tenant_context
from core.volunteers import Assignment, Opportunity, Volunteer, services
from tests.volunteers.helpers import opportunity_data, volunteer_data


def _count(tenant, model) -> int:
    with tenant_context(tenant):
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def _ids(tenant):
    with tenant_context(tenant):
        return db.session.scalars(db.select(Assignment.id)).all()


def test_volunteer_offers_on_the_portal_is_accepted_checks_in_and_reads_confirmed_hours(
    client, tenant, staff, login, tmp_path
):
    login(staff["applicant"])
    assert client.get("/t/first/portal/volunteering/").status_code == 200
    refused = client.post(
        "/t/first/portal/volunteering/offer",
        data={"name": "سلمان", "phone": "12", "kind": "organisation", "available_from": "25:00"},
    )
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'data-field="phone"' in body and 'data-field="available_from"' in body
    assert _count(tenant, Volunteer) == 0
    sent = client.post(
        "/t/first/portal/volunteering/offer",
        data={
            "name": "سلمان فهد العنزي", "phone": "٠٥٠٠٠٠٠٠١١", "kind": "individual", "skills": ["distribution"],
            "days": ["sat", "thu"], "available_from": "16:00", "available_to": "21:00", "areas": "حي الروضة، حي النخيل",
            "field_visits": "yes",
        },
    )  # fmt: skip
    assert sent.status_code == 302
    with tenant_context(tenant):
        volunteer = db.session.scalars(db.select(Volunteer)).one()
        assert (volunteer.state, volunteer.areas, volunteer.field_visits) == (
            "applied",
            ["حي الروضة", "حي النخيل"],
            True,
        )
        assert volunteer.phone == "+966500000011" and volunteer.available_from == time(16)
        volunteer_id = volunteer.id
    # The coordinator (the tenant admin by default) accepts on the staff page.
    login(staff["tenant_admin"])
    declined = client.post(f"/t/first/volunteers/{volunteer_id}/decision", data={"outcome": "declined"})
    assert declined.status_code == 422 and 'data-field="reason"' in declined.get_data(as_text=True)
    assert (
        client.post(f"/t/first/volunteers/{volunteer_id}/decision", data={"outcome": "accepted"}).status_code
        == 302
    )
    made = client.post(
        "/t/first/volunteers/opportunities/new",
        data={"kind": "event", "title": "فعالية اليوم", "on_date": services.today().isoformat(), "places": "٢",
              "skills": ["distribution"]},
    )  # fmt: skip
    assert made.status_code == 302
    with tenant_context(tenant):
        opportunity_id = db.session.scalars(db.select(Opportunity.id)).one()
    # The volunteer applies; the coordinator gives the place; the volunteer checks in and out.
    login(staff["applicant"])
    home = client.get("/t/first/portal/volunteering/").get_data(as_text=True)
    assert f'data-opportunity="{opportunity_id}"' in home
    assert (
        client.post(f"/t/first/portal/volunteering/opportunities/{opportunity_id}/apply").status_code == 302
    )
    login(staff["tenant_admin"])
    assigned = client.post(
        f"/t/first/volunteers/opportunities/{opportunity_id}/assign", data={"volunteer_id": volunteer_id}
    )
    assert assigned.status_code == 302
    login(staff["applicant"])
    (assignment_id,) = _ids(tenant)
    assert f'id="check-in-{assignment_id}"' in client.get("/t/first/portal/volunteering/").get_data(
        as_text=True
    )
    assert (
        client.post(f"/t/first/portal/volunteering/assignments/{assignment_id}/check_in").status_code == 302
    )
    with tenant_context(tenant):  # three hours later
        assignment = db.session.get(Assignment, assignment_id)
        assignment.checked_in_at = datetime.combine(services.today(), time(0, 0))
        db.session.commit()
    assert (
        client.post(f"/t/first/portal/volunteering/assignments/{assignment_id}/check_out").status_code == 302
    )
    page = client.get("/t/first/portal/volunteering/").get_data(as_text=True)
    assert 'data-hours-state="pending"' in page and 'id="certificate-link"' not in page
    # The supervisor confirms on the hours page; the volunteer reads the hours and the certificate.
    login(staff["tenant_admin"])
    assert f'data-assignment="{assignment_id}"' in client.get("/t/first/volunteers/hours").get_data(
        as_text=True
    )
    confirmed = client.post(
        f"/t/first/volunteers/assignments/{assignment_id}/confirm",
        data={"minutes": "180", "note": "ثلاث ساعات", "back": "hours"},
    )
    assert confirmed.status_code == 302
    login(staff["applicant"])
    page = client.get("/t/first/portal/volunteering/").get_data(as_text=True)
    assert 'data-hours-state="confirmed"' in page and 'id="certificate-link"' in page
    certificate = client.get("/t/first/portal/volunteering/certificate").get_data(as_text=True)
    assert 'id="org-name"' in certificate and "سلمان فهد العنزي" in certificate
    total = certificate[certificate.index('id="certificate-total"') :].split("</th>")[0]
    assert ">3</bdi>" in total  # 180 confirmed minutes, the corrected figure
    pdf = client.get("/t/first/portal/volunteering/certificate.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "سلمان" in text and "العنزي" in text and "فعالية اليوم" in text


def test_a_volunteer_cannot_check_in_someone_elses_place(client, tenant, staff, make_member, login):
    with tenant_context(tenant):
        volunteer = services.register(volunteer_data(), staff["tenant_admin"])
        opportunity = services.create_opportunity(opportunity_data(), staff["tenant_admin"])
        assignment = services.assign(opportunity, volunteer, staff["tenant_admin"])
        db.session.commit()
        assignment_id = assignment.id
    login(staff["applicant"])
    assert (
        client.post(f"/t/first/portal/volunteering/assignments/{assignment_id}/check_in").status_code == 404
    )
    assert client.get("/t/first/volunteers/").status_code == 403  # the coordination pages are staff's
    with tenant_context(tenant):
        assert db.session.get(Assignment, assignment_id).checked_in_at is None


def test_coordinator_api_refuses_bad_input_with_field_errors_and_writes_nothing(api, tenant, staff):
    admin = api(staff["tenant_admin"])
    bad = admin.post(
        "/volunteers/", json={"name": "x", "phone": "abc", "skills": ["juggling"], "days": ["someday"]}
    )
    assert bad.status_code == 422
    assert {"name", "phone", "days"} <= set(
        bad.get_json()["errors"]["json"]
        if "json" in bad.get_json().get("errors", {})
        else bad.get_json()["errors"]
    )
    unknown_skill = admin.post("/volunteers/", json=volunteer_data_json(skills=["juggling"]))
    assert unknown_skill.status_code == 422 and "skills" in str(unknown_skill.get_json())
    assert _count(tenant, Volunteer) == 0
    made = admin.post("/volunteers/", json=volunteer_data_json())
    assert made.status_code == 201 and made.get_json()["state"] == "accepted"
    opportunity = admin.post(
        "/volunteers/opportunities",
        json={
            "kind": "distribution_day",
            "title": "يوم توزيع",
            "on_date": services.today().isoformat(),
            "places": 1,
        },
    )
    assert opportunity.status_code == 201 and opportunity.get_json()["taken"] == 0
    bad_places = admin.post(
        "/volunteers/opportunities", json={"kind": "party", "title": "x", "on_date": "tomorrow", "places": 0}
    )
    assert bad_places.status_code == 422 and _count(tenant, Opportunity) == 1
    placed = admin.post(
        f"/volunteers/opportunities/{opportunity.get_json()['id']}/assign",
        json={"volunteer_id": made.get_json()["id"]},
    )
    assert placed.status_code == 201
    full = admin.post("/volunteers/", json=volunteer_data_json(name="ريم سعد"))
    refused = admin.post(
        f"/volunteers/opportunities/{opportunity.get_json()['id']}/assign",
        json={"volunteer_id": full.get_json()["id"]},
    )
    assert refused.status_code == 409
    assignment_id = placed.get_json()["id"]
    today = services.today().isoformat()
    assert (
        admin.post(
            f"/volunteers/assignments/{assignment_id}/check-in", json={"at": f"{today}T08:00:00"}
        ).status_code
        == 200
    )
    out = admin.post(f"/volunteers/assignments/{assignment_id}/check-out", json={"at": f"{today}T10:15:00"})
    assert out.get_json()["minutes"] == 135
    assert (
        admin.post(f"/volunteers/assignments/{assignment_id}/confirm", json={"minutes": 100}).status_code
        == 422
    )
    confirmed = admin.post(f"/volunteers/assignments/{assignment_id}/confirm", json={})
    assert confirmed.get_json()["confirmed_minutes"] == 135
    kpis = admin.get(f"/volunteers/kpis?start={today}&end={today}").get_json()
    assert kpis["hours"] == 2.2 and kpis["active"] == 1 and kpis["opportunities_filled"] == 1
    export = admin.get("/volunteers/export.xlsx")
    assert export.status_code == 200 and export.data[:2] == b"PK"
    assert api(staff["researcher"]).get("/volunteers/").status_code == 403


def volunteer_data_json(**overrides) -> dict:
    data = volunteer_data(**overrides)
    data["available_from"], data["available_to"] = "16:00", "21:00"
    return data


def test_the_openapi_document_lists_the_volunteer_endpoints(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/volunteers/", "/volunteers/me", "/volunteers/opportunities/{opportunity_id}/day-list",
                 "/volunteers/assignments/{assignment_id}/confirm", "/volunteers/export.xlsx"):  # fmt: skip
        assert any(p.endswith(path) for p in paths), path


def test_the_coordinator_edits_the_skill_list_on_its_page(client, tenant, staff, login):
    login(staff["tenant_admin"])
    page = client.get("/t/first/volunteers/skills").get_data(as_text=True)
    assert 'value="distribution"' in page and 'id="code-8"' in page  # eight defaults, three blank rows
    bad = client.post(
        "/t/first/volunteers/skills", data={"code-0": "Cooking Club", "label_ar-0": "الطبخ", "label_en-0": ""}
    )
    assert bad.status_code == 422 and 'id="form-errors"' in bad.get_data(as_text=True)
    with tenant_context(tenant):
        assert [s["code"] for s in services.skills()][0] == "distribution"
    saved = client.post(
        "/t/first/volunteers/skills",
        data={
            "code-0": "cooking",
            "label_ar-0": "الطبخ",
            "label_en-0": "Cooking",
            "code-1": "",
            "label_ar-1": "",
        },
    )
    assert saved.status_code == 302
    with tenant_context(tenant):
        assert services.skills() == [{"code": "cooking", "label_ar": "الطبخ", "label_en": "Cooking"}]
    login(staff["applicant"])
    assert 'id="skill-cooking"' in client.get("/t/first/portal/volunteering/offer").get_data(as_text=True)


def test_the_supervisor_must_be_one_of_the_associations_staff(api, tenant, other_tenant, staff, make_member):
    admin = api(staff["tenant_admin"])
    outsider = make_member("coordinator@second.example.org", other_tenant, ["tenant_admin"])
    opportunity = {"kind": "distribution_day", "title": "يوم توزيع", "on_date": services.today().isoformat()}
    for supervisor in (0, 999_999, outsider.id, staff["applicant"].id):
        refused = admin.post("/volunteers/opportunities", json={**opportunity, "supervisor_id": supervisor})
        assert refused.status_code == 422, supervisor
        assert "supervisor_id" in str(refused.get_json()["errors"])
    assert _count(tenant, Opportunity) == 0
    made = admin.post(
        "/volunteers/opportunities", json={**opportunity, "supervisor_id": staff["researcher"].id}
    )
    assert made.status_code == 201
    moved = admin.patch(
        f"/volunteers/opportunities/{made.get_json()['id']}",
        json={**opportunity, "supervisor_id": outsider.id},
    )
    assert moved.status_code == 422 and "supervisor_id" in str(moved.get_json()["errors"])
    with tenant_context(tenant):
        assert db.session.get(Opportunity, made.get_json()["id"]).supervisor_id == staff["researcher"].id
