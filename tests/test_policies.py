"""Policy documents (issue 15, "Core: policies"): versions with their file, board approval and
dates in force; the tenant admin adds and revises them; the portal shows the ones in force to
anyone; the API; the audit; the toolkit's links for plugins; demo data from seed 003."""

from __future__ import annotations

import html
import io
from datetime import date, timedelta

import pytest
from marshmallow import ValidationError

from core.audit.models import AuditEvent
from core.calendar import today as tenant_today
from core.errors import Forbidden
from core.extensions import db
from core.policies import services
from core.policies.demo import load
from core.policies.models import PolicyDocument
from core.tenancy import tenant_context
from core.testing import PDF, PNG
from core.toolkit import policies_in_force

API = "/t/first/api/v1/policies"


def _data(**overrides) -> dict:
    data = {
        "title": "اللائحة الأساسية للجمعية",
        "kind": "basic_regulation",
        "version": "1",
        "board_meeting_number": "2",
        "board_approved_on": date(2020, 9, 29),
        "in_force_from": date(2020, 9, 29),
    }
    data.update(overrides)
    return data


def test_a_policy_needs_its_fields_and_its_file(in_first, staff):
    with pytest.raises(ValidationError) as refused:
        services.add_policy({"kind": "manifesto"}, staff["tenant_admin"], None, None)
    assert set(refused.value.messages) == {"kind", "title", "version", "in_force_from", "file"}
    with pytest.raises(ValidationError) as half:
        services.add_policy(_data(board_approved_on=None), staff["tenant_admin"], PDF, "a.pdf")
    assert list(half.value.messages) == ["board_approved_on"]
    with pytest.raises(ValidationError) as backwards:
        services.add_policy(_data(in_force_until=date(2019, 1, 1)), staff["tenant_admin"], PDF, "a.pdf")
    assert list(backwards.value.messages) == ["in_force_until"]
    with pytest.raises(ValidationError) as not_a_file:
        services.add_policy(_data(), staff["tenant_admin"], b"hello", "a.txt")
    assert list(not_a_file.value.messages) == ["file"]
    assert db.session.scalars(db.select(PolicyDocument)).all() == []


def test_only_the_tenant_admin_adds_a_policy(in_first, staff):
    with pytest.raises(Forbidden):
        services.add_policy(_data(), staff["executive_director"], PDF, "a.pdf")


def test_revising_ends_the_previous_version_the_day_before_and_audits(in_first, staff):
    first = services.add_policy(_data(), staff["tenant_admin"], PDF, "v1.pdf")
    start = tenant_today() - timedelta(days=10)
    second = services.revise_policy(
        first, {"version": "2", "in_force_from": start}, staff["tenant_admin"], PNG, "v2.png"
    )
    assert (second.kind, second.title, second.previous_id) == (first.kind, first.title, first.id)
    assert first.in_force_until == start - timedelta(days=1)
    assert [p.id for p in services.in_force()] == [second.id]
    assert [p.id for p in services.in_force(on=start - timedelta(days=1))] == [first.id]
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-2:] == ["policy.created", "policy.revised"]
    with pytest.raises(ValidationError) as earlier:
        services.revise_policy(
            second, {"version": "3", "in_force_from": start}, staff["tenant_admin"], PDF, "x"
        )
    assert "in_force_from" in earlier.value.messages


def test_the_toolkit_links_the_policies_in_force_of_a_kind(in_first, staff, app):
    services.add_policy(_data(), staff["tenant_admin"], PDF, "a.pdf")
    services.add_policy(
        _data(title="دليل خدمات البحث الاجتماعي", kind="research_services_guide"),
        staff["tenant_admin"],
        PDF,
        "b.pdf",
    )
    services.add_policy(
        _data(title="قديم", kind="research_services_guide", in_force_until=date(2021, 1, 1)),
        staff["tenant_admin"],
        PDF,
        "c.pdf",
    )
    with app.test_request_context("/t/first/"):
        links = policies_in_force("research_services_guide")
    assert [link.title for link in links] == ["دليل خدمات البحث الاجتماعي"]
    assert links[0].url.endswith(f"/portal/policies/{links[0].id}/file") and links[0].approval


def test_the_api_adds_revises_lists_and_serves_policies(tenant, staff, client, token_for):
    admin = token_for(staff["tenant_admin"])
    refused = client.post(API, data={"kind": "basic_regulation"}, headers={**admin, "Accept-Language": "ar"})
    assert refused.status_code == 422 and refused.json["errors"]["file"] == [
        "أرفق وثيقة السياسة (PDF أو صورة)."
    ]
    form = {
        "title": "دليل سياسة الدعم للمستفيدين",
        "kind": "support_policy_guide",
        "version": "1",
        "board_meeting_number": "٢",
        "board_approved_on": "1442-02-12",
        "in_force_from": "2020-09-29",
    }
    made = client.post(
        API,
        data={**form, "file": (io.BytesIO(PDF), "guide.pdf")},
        headers=admin,
        content_type="multipart/form-data",
    )
    assert made.status_code == 201, made.json
    assert made.json["board_approved_on"] == "2020-09-29" and made.json["in_force"] is True
    policy_id = made.json["id"]
    assert client.post(API, data=form, headers=token_for(staff["researcher"])).status_code == 403
    revised = client.post(
        f"{API}/{policy_id}/revisions",
        data={
            "version": "2",
            "in_force_from": tenant_today().isoformat(),
            "file": (io.BytesIO(PNG), "v2.png"),
        },
        headers=admin,
        content_type="multipart/form-data",
    )
    assert revised.status_code == 201, revised.json
    listed = client.get(f"{API}?in_force=true", headers=token_for(staff["researcher"])).json
    assert [(p["id"], p["version"]) for p in listed] == [(revised.json["id"], "2")]
    assert len(client.get(API, headers=admin).json) == 2
    got = client.get(f"{API}/{policy_id}/file", headers=admin)
    assert got.status_code == 200 and got.data.startswith(b"%PDF")


def test_the_openapi_document_describes_the_policies_api(client):
    spec = client.get("/api/v1/openapi.json").json
    paths = [p for p in spec["paths"] if "/policies" in p]
    assert any(p.endswith("/policies") for p in paths) and any(p.endswith("/revisions") for p in paths)


def test_the_portal_shows_the_policies_in_force_to_anyone(tenant, staff, client, login):
    with_policy = _data(title="سياسة تنظيم العلاقة مع المستفيدين", kind="other")
    with tenant_context(tenant):
        current = services.add_policy(with_policy, staff["tenant_admin"], PDF, "p.pdf")
        old = services.add_policy(
            _data(title="نسخة منتهية", in_force_until=date(2021, 1, 1)), staff["tenant_admin"], PDF, "o.pdf"
        )
        db.session.commit()
        current_id, old_id = current.id, old.id
    page = html.unescape(client.get("/t/first/portal/policies/").get_data(as_text=True))
    assert "سياسة تنظيم العلاقة مع المستفيدين" in page and "نسخة منتهية" not in page
    assert "اجتماعه رقم (2)" in page
    assert client.get(f"/t/first/portal/policies/{current_id}/file").status_code == 200
    assert client.get(f"/t/first/portal/policies/{old_id}/file").status_code == 404
    landing = html.unescape(client.get("/t/first/portal/").get_data(as_text=True))
    assert "سياسة تنظيم العلاقة مع المستفيدين" in landing and 'id="policy-documents-link"' in landing


def test_the_staff_pages_add_and_revise(tenant, staff, client, login):
    login(staff["tenant_admin"])
    refused = client.post("/t/first/policies/?lang=en", data={"title": "x", "kind": "other"})
    assert refused.status_code == 422 and "Attach the policy document" in refused.get_data(as_text=True)
    done = client.post(
        "/t/first/policies/",
        data={**{k: str(v) for k, v in _data().items()}, "file": (io.BytesIO(PDF), "r.pdf")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    page = client.get("/t/first/policies/?lang=en").get_data(as_text=True)
    assert "Approved by the board of directors in meeting no. 2" in page
    login(staff["researcher"])
    page = client.get("/t/first/policies/").get_data(as_text=True)
    assert 'id="policy-form"' not in page


def test_demo_data_loads_seed_003s_policy_for_aoun_victims(create_tenant, app):
    victims = create_tenant("aoun-victims")
    with tenant_context(victims):
        load(victims)
        load(victims)
        db.session.commit()
        policy = db.session.scalars(db.select(PolicyDocument).where(PolicyDocument.kind == "other")).one()
        tools = set(db.session.scalars(db.select(PolicyDocument.kind).where(PolicyDocument.kind != "other")))
    assert policy.title == "سياسة تنظيم العلاقة مع المستفيدين"
    assert (policy.board_meeting_number, policy.board_approved_on) == ("2", date(2020, 9, 29))
    # Section 5's four tools, which the staff pages link where they apply.
    assert tools == {
        "basic_regulation",
        "research_services_guide",
        "support_policy_guide",
        "support_request_form",
    }
