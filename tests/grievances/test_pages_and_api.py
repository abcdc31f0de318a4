"""The portal and staff pages and the API: filing at phone width with field errors, the
confidentiality rule against every route (page, API, list/search, export, audit view), a
malicious marking never shown on the portal, and the complainant seeing the outcome."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

import core
from core.aid.models import Disbursement
from core.audit.models import AuditEvent
from core.extensions import db
from core.grievances import Grievance, services
from core.tenancy import tenant_context
from core.testing.contract.pages import catalogue_messages, page_problems
from tests.grievances.helpers import payload, set_holidays


def _table(page: str) -> str:
    """The queue's table (the search words are echoed elsewhere: the box, the language link)."""
    return page[page.index('id="grievances"') :].split("</table>")[0]


def _today():
    return services.today()


def _file_about(tenant, staff, about_role="researcher", **extra):
    with tenant_context(tenant):
        today = _today()
        grievance = services.file_grievance(
            payload(event_date=today - timedelta(days=2), about_user_id=staff[about_role].id,
                    category="staff_conduct", **extra),
            staff["executive_director"],
            on=today,
        )  # fmt: skip
        db.session.commit()
        return grievance.id, grievance.number


def test_portal_files_with_field_errors_then_a_number_and_sees_only_their_own(client, tenant, staff, login):
    login(staff["applicant"])
    page = client.get("/t/first/portal/grievances/new")
    assert page.status_code == 200 and 'id="grievance-form"' in page.get_data(as_text=True)
    refused = client.post(
        "/t/first/portal/grievances/new",
        data={"kind": "complaint", "category": "service", "description": "تأخر", "complainant_name": "نورة"},
    )
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'data-field="complainant_phone"' in body and 'data-field="event_date"' in body
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count()).select_from(Grievance)) == 0
    late = (_today() - timedelta(days=16)).isoformat()
    refused = client.post(
        "/t/first/portal/grievances/new",
        data={"kind": "complaint", "category": "service", "description": "تأخر", "complainant_name": "نورة",
              "complainant_phone": "0500000001", "event_date": late},
    )  # fmt: skip
    assert refused.status_code == 422 and "15" in refused.get_data(as_text=True)
    filed = client.post(
        "/t/first/portal/grievances/new",
        data={"kind": "complaint", "category": "service", "description": "تأخر", "complainant_name": "نورة",
              "complainant_phone": "0500000001", "event_date": (_today() - timedelta(days=15)).isoformat()},
    )  # fmt: skip
    assert filed.status_code == 302
    detail = client.get(filed.headers["Location"]).get_data(as_text=True)
    with tenant_context(tenant):
        mine = db.session.scalars(db.select(Grievance)).one()
        assert mine.channel == "portal" and mine.complainant_user_id == staff["applicant"].id
    assert mine.number in detail
    other_id, _number = _file_about(tenant, staff)
    assert client.get(f"/t/first/portal/grievances/{other_id}").status_code == 404
    assert client.get(f"/t/first/api/v1/grievances/mine/{other_id}").status_code == 404
    assert client.get(f"/t/first/grievances/{mine.id}").status_code == 403  # not staff


def test_a_researcher_named_in_a_complaint_cannot_read_it_by_any_route(
    client, tenant, staff, login, make_member
):
    # The researcher also holds the executive director's and the auditor's roles: still nothing.
    named = make_member("named@first.example.org", tenant, ["researcher", "executive_director", "auditor"])
    staff = {**staff, "named": named}
    gid, number = _file_about(tenant, staff, about_role="named")
    login(named)
    assert client.get(f"/t/first/grievances/{gid}").status_code == 404
    assert client.post(f"/t/first/grievances/{gid}/decide", data={"outcome": "dismissed"}).status_code == 404
    assert client.get(f"/t/first/api/v1/grievances/{gid}").status_code == 404
    for queue in ("all", "unassigned", "due_soon", "overdue", "mine"):
        assert number not in client.get(f"/t/first/grievances/?queue={queue}").get_data(as_text=True)
        listed = client.get(f"/t/first/api/v1/grievances/?queue={queue}").get_json()
        assert all(item["number"] != number for item in listed)
    for search in (number, "نورة"):  # by its number, by the complainant's name: not found
        page = client.get(f"/t/first/grievances/?q={search}").get_data(as_text=True)
        assert number not in _table(page) and 'id="no-match"' in page
        assert client.get(f"/t/first/api/v1/grievances/?q={search}").get_json() == []
    export = client.get("/t/first/grievances/export.xlsx")
    assert export.status_code == 200 and number.encode() not in export.data
    api_export = client.get("/t/first/api/v1/grievances/export.xlsx")
    assert api_export.status_code == 200 and number.encode() not in api_export.data
    audit = client.get("/t/first/audit/")
    assert audit.status_code == 200
    text = audit.get_data(as_text=True)
    assert number not in text and "نورة" not in text  # the trail holds codes, never the content


def test_the_director_searches_by_number_in_any_digits_and_by_name_words(client, tenant, staff, login):
    gid, number = _file_about(tenant, staff)
    _other_id, other = _file_about(tenant, staff, complainant_name="سارة خالد العتيبي")
    login(staff["executive_director"])
    eastern = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    for search in (number, eastern, "نورة السبيعي"):
        table = _table(client.get(f"/t/first/grievances/?q={search}").get_data(as_text=True))
        assert number in table and other not in table, search
    found = client.get("/t/first/api/v1/grievances/?q=سارة").get_json()
    assert [item["number"] for item in found] == [other]
    too_long = client.get("/t/first/api/v1/grievances/?q=" + "x" * 101)
    assert too_long.status_code == 422 and "q" in too_long.get_json()["errors"]


def test_only_the_director_assignees_and_auditor_read_and_every_read_is_audited(client, tenant, staff, login):
    gid, number = _file_about(tenant, staff)
    for role in ("committee_member", "finance_officer", "relations_officer", "tenant_admin"):
        login(staff[role])
        assert client.get(f"/t/first/grievances/{gid}").status_code == 404, role
        client.post("/logout")
    login(staff["auditor"])
    assert client.get(f"/t/first/grievances/{gid}").status_code == 200
    refused = client.post(
        f"/t/first/grievances/{gid}/decide", data={"outcome": "dismissed", "decision_text": "x"}
    )
    assert refused.status_code == 403  # read only
    with tenant_context(tenant):
        reads = db.session.scalars(
            db.select(AuditEvent).where(
                AuditEvent.action == "grievance.read", AuditEvent.object_id == str(gid)
            )
        ).all()
        assert reads and {(r.details["via"], r.user_id) for r in reads} == {("page", staff["auditor"].id)}


def test_director_assigns_assignee_decides_and_complainant_sees_the_outcome_not_the_marking(
    client, tenant, staff, login
):
    with tenant_context(tenant):
        today = _today()
        grievance = services.file_grievance(
            payload(event_date=today - timedelta(days=1)), staff["applicant"], own=True, on=today
        )
        db.session.commit()
        gid = grievance.id
    login(staff["executive_director"])
    page = client.get(f"/t/first/grievances/{gid}")
    assert page.status_code == 200
    assigned = client.post(
        f"/t/first/grievances/{gid}/assign", data={"user_ids": [str(staff["committee_member"].id)]}
    )
    assert assigned.status_code == 302
    refused = client.post(
        f"/t/first/grievances/{gid}/assign", data={"user_ids": [str(staff["applicant"].id)]}
    )
    assert refused.status_code == 422 and 'data-field="user_ids"' in refused.get_data(as_text=True)
    marked = client.post(f"/t/first/grievances/{gid}/malicious", data={"note": "كيدية ثابتة", "refer": "on"})
    assert marked.status_code == 302
    client.post("/logout")
    login(staff["committee_member"])
    no_reason = client.post(f"/t/first/grievances/{gid}/decide", data={"outcome": "upheld"})
    assert no_reason.status_code == 422
    decided = client.post(
        f"/t/first/grievances/{gid}/decide",
        data={"outcome": "partly_upheld", "decision_text": "ثبت التأخير", "action_taken": "تنبيه المورد"},
    )
    assert decided.status_code == 302
    client.post("/logout")
    login(staff["applicant"])
    portal = client.get(f"/t/first/portal/grievances/{gid}").get_data(as_text=True)
    assert "ثبت التأخير" in portal and "تنبيه المورد" in portal
    assert "كيدية ثابتة" not in portal and 'id="malicious"' not in portal
    api = client.get(f"/t/first/api/v1/grievances/mine/{gid}").get_json()
    assert api["decision_text"] == "ثبت التأخير" and "malicious" not in api and "malicious_note" not in api
    listing = client.get("/t/first/api/v1/grievances/mine").get_json()
    assert all("malicious" not in item for item in listing)


def test_api_files_with_field_errors_and_nothing_written(client, tenant, staff, token_for):
    headers = token_for(staff["applicant"])
    refused = client.post(
        "/t/first/api/v1/grievances/mine",
        json={"kind": "complaint", "category": "service", "description": "x", "event_date": "2020-01-01"},
        headers=headers,
    )
    assert refused.status_code == 422
    errors = refused.get_json()["errors"]
    assert {"complainant_name", "complainant_phone", "event_date"} <= set(errors)
    bad_type = client.post(
        "/t/first/api/v1/grievances/mine", json={"event_date": "not a date"}, headers=headers
    )
    assert bad_type.status_code == 422 and "event_date" in bad_type.get_json()["errors"]
    with tenant_context(tenant):
        assert db.session.scalar(db.select(db.func.count()).select_from(Grievance)) == 0
    ok = client.post(
        "/t/first/api/v1/grievances/mine",
        json={"kind": "grievance", "category": "decision", "description": "رفض طلبي", "complainant_name": "فهد",
              "complainant_phone": "0500000002", "event_date": _today().isoformat()},
        headers=headers,
    )  # fmt: skip
    assert ok.status_code == 201 and ok.get_json()["number"].startswith("G")


@pytest.mark.parametrize("role", ["researcher", "applicant", "committee_member"])
def test_staff_without_the_record_role_cannot_record(client, tenant, staff, token_for, role):
    response = client.post(
        "/t/first/api/v1/grievances/",
        json={**_json_payload(), "channel": "phone"},
        headers=token_for(staff[role]),
    )
    assert response.status_code == 403


def _json_payload() -> dict:
    data = payload(event_date=_today())
    data["event_date"] = data["event_date"].isoformat()
    return data


def test_appeal_conflict_of_interest_through_the_api(client, tenant, staff, token_for):
    director = token_for(staff["executive_director"])
    created = client.post(
        "/t/first/api/v1/grievances/", json={**_json_payload(), "channel": "letter"}, headers=director
    )
    assert created.status_code == 201
    gid = created.get_json()["id"]
    assert client.post(f"/t/first/api/v1/grievances/{gid}/assign", json={"user_ids": [staff["committee_member"].id]},
                       headers=director).status_code == 200  # fmt: skip
    committee = token_for(staff["committee_member"])
    assert client.post(f"/t/first/api/v1/grievances/{gid}/decide", json={"outcome": "dismissed", "decision_text": "لا"},
                       headers=committee).status_code == 200  # fmt: skip
    appeal = client.post(
        f"/t/first/api/v1/grievances/{gid}/appeals", json={"reason": "استئناف"}, headers=director
    )
    assert appeal.status_code == 201
    aid = appeal.get_json()["id"]
    conflicted = client.post(f"/t/first/api/v1/grievances/{gid}/appeals/{aid}/assign",
                             json={"handler_id": staff["committee_member"].id}, headers=director)  # fmt: skip
    assert conflicted.status_code == 422 and "handler_id" in conflicted.get_json()["errors"]
    assert client.post(f"/t/first/api/v1/grievances/{gid}/appeals/{aid}/decide",
                       json={"outcome": "upheld", "decision_text": "x"}, headers=committee).status_code == 403  # fmt: skip
    decided = client.post(f"/t/first/api/v1/grievances/{gid}/appeals/{aid}/decide",
                          json={"outcome": "upheld", "decision_text": "ثبت"}, headers=director)  # fmt: skip
    assert decided.status_code == 200 and decided.get_json()["state"] == "decided"


def test_rule_versions_through_the_api(client, tenant, staff, token_for):
    admin = token_for(staff["tenant_admin"])
    past = client.post(
        "/t/first/api/v1/grievances/rules", json={"effective_from": "2020-01-01"}, headers=admin
    )
    assert past.status_code == 422 and "effective_from" in past.get_json()["errors"]
    added = client.post(
        "/t/first/api/v1/grievances/rules",
        json={"effective_from": (_today() + timedelta(days=1)).isoformat(), "filing_window_days": 20},
        headers=admin,
    )
    assert added.status_code == 201 and added.get_json()["filing_window_days"] == 20
    assert (
        client.get("/t/first/api/v1/grievances/rules", headers=admin).get_json()[0]["deadline_working_days"]
        == 30
    )


def test_overdue_grievances_are_flagged_on_the_staff_home_only_for_their_readers(
    client, tenant, staff, login
):
    with tenant_context(tenant):
        long_ago = _today() - timedelta(days=90)
        services.file_grievance(
            payload(event_date=long_ago, about_user_id=staff["researcher"].id),
            staff["executive_director"],
            on=long_ago,
        )
        db.session.commit()
    login(staff["executive_director"])
    home = client.get("/t/first/").get_data(as_text=True)
    assert 'id="card-grievances"' in home and 'data-count="1"' in home
    assert 'data-light="red"' in client.get("/t/first/grievances/?queue=overdue").get_data(as_text=True)
    client.post("/logout")
    login(staff["researcher"])
    assert 'id="card-grievances"' not in client.get("/t/first/").get_data(as_text=True)
    client.post("/logout")
    login(staff["applicant"])
    assert 'id="my-grievances-link"' in client.get("/t/first/portal/").get_data(as_text=True)


def test_the_complaint_route_prefills_the_portal_form_from_a_disbursement(
    client, tenant, staff, login, new_request, advance
):
    with tenant_context(tenant):
        request = new_request(applicant_user_id=staff["applicant"].id)
        advance(request, "disbursed")
        db.session.commit()
        disbursement = db.session.scalars(db.select(Disbursement)).one()
        did, day = disbursement.id, disbursement.disbursed_on
    login(staff["applicant"])
    page = client.get(f"/t/first/portal/grievances/new?disbursement_id={did}&note=low").get_data(as_text=True)
    assert f'value="{did}"' in page and f'value="{day.isoformat()}"' in page and ">low</textarea>" in page


def test_the_tenant_admin_adds_a_rule_version_on_its_page(client, tenant, staff, login):
    login(staff["tenant_admin"])
    assert client.get("/t/first/grievances/rules").status_code == 200
    past = client.post("/t/first/grievances/rules", data={"effective_from": "2020-01-01"})
    assert past.status_code == 422 and 'id="effective_from-error"' in past.get_data(as_text=True)
    bad = client.post(
        "/t/first/grievances/rules", data={"effective_from": _today().isoformat(), "filing_window_days": "0"}
    )
    assert bad.status_code == 422 and 'id="filing_window_days-error"' in bad.get_data(as_text=True)
    saved = client.post(
        "/t/first/grievances/rules", data={"effective_from": _today().isoformat(), "filing_window_days": "20"}
    )
    assert saved.status_code == 302
    with tenant_context(tenant):
        assert services.rules_on(_today())["filing_window_days"] == 20
    client.post("/logout")
    login(staff["executive_director"])
    assert client.get("/t/first/grievances/rules").status_code == 403


@pytest.mark.parametrize("rows", [1, 12])
def test_queue_page_and_list_api_send_a_fixed_number_of_queries(
    client, tenant, staff, login, max_queries, rows
):
    with tenant_context(tenant):
        for _ in range(rows):
            grievance = services.file_grievance(
                payload(event_date=_today()), staff["executive_director"], on=_today()
            )
            services.assign(grievance, staff["executive_director"], [staff["committee_member"].id])
        db.session.commit()
    login(staff["executive_director"])
    client.get("/t/first/grievances/")  # warm the session and permission caches
    with max_queries(20) as page:
        assert client.get("/t/first/grievances/").status_code == 200
    with max_queries(20) as api:
        assert len(client.get("/t/first/api/v1/grievances/").get_json()) == rows
    assert page.count <= 20 and api.count <= 20


def test_every_grievance_page_renders_in_arabic_and_english_without_raw_codes(client, tenant, staff, login):
    with tenant_context(tenant):
        today = _today()
        grievance = services.file_grievance(
            payload(event_date=today, category="staff_conduct"), staff["applicant"], own=True, on=today
        )
        services.assign(grievance, staff["executive_director"], [staff["committee_member"].id], "لجنة")
        services.decide(grievance, staff["committee_member"], "partly_upheld", "ثبت", "تنبيه", today)
        for number, user in enumerate(staff.values()):  # the factory names users after their role code
            user.name = f"موظف {number}"
        db.session.commit()
        gid = grievance.id
    messages = catalogue_messages(
        sorted(Path(core.__file__).parent.glob("**/translations/ar/LC_MESSAGES/*.po"))
    )
    pages = {
        "executive_director": ["/t/first/grievances/", f"/t/first/grievances/{gid}", "/t/first/grievances/record", "/t/first/"],
        "tenant_admin": ["/t/first/grievances/rules"],
        "applicant": ["/t/first/portal/grievances/", "/t/first/portal/grievances/new", f"/t/first/portal/grievances/{gid}"],
    }  # fmt: skip
    for role, paths in pages.items():
        login(staff[role])
        for language in ("ar", "en"):
            client.get(f"/lang/{language}")
            for path in paths:
                response = client.get(path)
                assert response.status_code == 200, path
                problems = page_problems(
                    response.get_data(as_text=True), language, messages if language == "ar" else frozenset()
                )
                assert problems == [], (role, language, path, problems)
        client.post("/logout")


def test_opening_the_queue_after_a_holiday_moved_recomputes_open_due_dates(client, tenant, staff, login):
    with tenant_context(tenant):
        today = _today()
        grievance = services.file_grievance(payload(event_date=today), staff["executive_director"], on=today)
        db.session.commit()
        gid, due = grievance.id, grievance.due_date
        set_holidays(tenant, [{"start": (today + timedelta(days=1)).isoformat(),
                               "end": (today + timedelta(days=14)).isoformat(), "name": "عيد"}])  # fmt: skip
    login(staff["executive_director"])
    assert client.get("/t/first/grievances/").status_code == 200
    with tenant_context(tenant):
        moved = db.session.get(Grievance, gid)
        db.session.refresh(moved)
        assert moved.due_date > due
        assert db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "grievance.due_date.recomputed")
        ).all()


def test_the_director_names_the_staff_member_on_the_page_who_then_loses_access(client, tenant, staff, login):
    with tenant_context(tenant):
        grievance = services.file_grievance(
            payload(event_date=_today()), staff["executive_director"], on=_today()
        )
        services.assign(grievance, staff["executive_director"], [staff["researcher"].id])
        db.session.commit()
        gid = grievance.id
    login(staff["researcher"])
    assert client.get(f"/t/first/grievances/{gid}").status_code == 200
    client.post("/logout")
    login(staff["executive_director"])
    named = client.post(
        f"/t/first/grievances/{gid}/about", data={"about_user_id": str(staff["researcher"].id)}
    )
    assert named.status_code == 302
    refused = client.post(
        f"/t/first/grievances/{gid}/about", data={"about_user_id": str(staff["applicant"].id)}
    )
    assert refused.status_code == 422
    client.post("/logout")
    login(staff["researcher"])
    assert client.get(f"/t/first/grievances/{gid}").status_code == 404


def test_staff_record_a_grievance_about_a_request_number_and_a_staff_member(
    client, tenant, staff, login, new_request, advance
):
    with tenant_context(tenant):
        request = new_request()
        advance(request, "submitted")
        db.session.commit()
        number, rid = request.number, request.id
    login(staff["executive_director"])
    form = {"channel": "letter", "kind": "grievance", "category": "decision", "complainant_name": "فهد القحطاني",
            "complainant_phone": "0500000003", "event_date": _today().isoformat(), "description": "تظلم",
            "about_user_id": str(staff["researcher"].id)}  # fmt: skip
    unknown = client.post("/t/first/grievances/record", data={**form, "request_number": "1400-999999"})
    assert unknown.status_code == 422 and 'id="request_number-error"' in unknown.get_data(as_text=True)
    assert client.get("/t/first/grievances/record").status_code == 200
    saved = client.post("/t/first/grievances/record", data={**form, "request_number": number})
    assert saved.status_code == 302
    with tenant_context(tenant):
        grievance = db.session.scalars(db.select(Grievance)).one()
        assert grievance.request_id == rid and grievance.about_user_id == staff["researcher"].id
        assert grievance.channel == "letter"
