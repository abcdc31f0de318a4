"""makkah_aid wired into the platform: enablement, settings, tenancy, demo data, pages and the
applicant's portal."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from core.testing import PluginEnablement
from core.testing import request_services as requests
from core.toolkit import (
    BeneficiaryFile,
    Disbursement,
    db,
    install_default_catalog,
    tenant_context,
)
from plugins.makkah_aid import services
from plugins.makkah_aid.demo import load
from plugins.makkah_aid.models import (
    Assessment,
    Circumstance,
    ExclusionProposal,
    ProviderDelivery,
    RuleVersion,
)

from .helpers import (
    API,
    NEEDS_B,
    complete_request,
    in_committee,
)


def test_hooks_dispatch_only_when_enabled(tenant, in_first, new_request, enable_plugin, staff):
    install_default_catalog(tenant)
    request = new_request(extra={})
    # Not enabled: no mandatory-data check, no gap check.
    assert not any(c["code"] == "makkah_aid.gap" for c in requests.assess(request))
    requests.submit(request, staff["relations_officer"], declaration_signed_by="نورة")
    assert request.state == "submitted"
    enable_plugin(tenant, "makkah_aid")
    other = new_request(extra={})
    assert any(c["code"] == "makkah_aid.gap" for c in requests.assess(other))
    with pytest.raises(ValidationError):
        requests.submit(other, staff["relations_officer"], declaration_signed_by="نورة")
    db.session.rollback()


def test_bad_settings_refused_and_nothing_saved(tenant, in_first, enable_plugin):
    with pytest.raises(ValidationError):
        enable_plugin(tenant, "makkah_aid", {"bands": [], "surprise": 1})
    db.session.rollback()
    assert (
        db.session.scalars(
            db.select(PluginEnablement).where(PluginEnablement.plugin_id == "makkah_aid")
        ).first()
        is None
    )


def test_pages_and_api_404_when_disabled_and_data_kept(
    makkah, household, staff, client, token_for, enable_plugin, login
):
    file = household()
    services.record_violation(file, {"code": "stalling_information"}, staff["researcher"])
    db.session.commit()
    headers = token_for(staff["researcher"])
    login(staff["researcher"])
    assert client.get("/t/first/makkah_aid/violations").status_code == 200
    assert client.get(f"{API}/files/{file.id}/violations", headers=headers).status_code == 200
    enable_plugin(makkah, "makkah_aid", enabled=False)
    assert client.get("/t/first/makkah_aid/violations").status_code == 404
    assert client.get(f"{API}/files/{file.id}/violations", headers=headers).status_code == 404
    enable_plugin(makkah, "makkah_aid", enabled=True)
    again = client.get(f"{API}/files/{file.id}/violations", headers=headers)
    assert again.status_code == 200 and len(again.json["violations"]) == 1


def test_cross_tenant_ids_answer_404(
    makkah,
    household,
    new_request,
    advance,
    staff,
    other_tenant,
    enable_plugin,
    make_member,
    client,
    token_for,
):
    file = household()
    request = in_committee(new_request, advance, file)
    services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
    violation = services.record_violation(file, {"code": "stalling_information"}, staff["researcher"])
    renewal_round = services.announce_round({"title": "r"}, staff["tenant_admin"])
    proposal = services.propose(file, "improved", evidence={}, source="staff")
    db.session.commit()
    ids = {"r": request.id, "f": file.id, "v": violation.id, "rd": renewal_round.id, "p": proposal.id}
    enable_plugin(other_tenant, "makkah_aid")
    roles = ["researcher", "committee_member", "tenant_admin", "relations_officer", "executive_director"]
    outsider = token_for(make_member("outsider@second.example.org", other_tenant, roles))
    base = "/t/second/api/v1/makkah_aid"
    gets = [
        f"{base}/requests/{ids['r']}/assessment",
        f"{base}/requests/{ids['r']}/assessments",
        f"{base}/requests/{ids['r']}/submission-check",
        f"{base}/files/{ids['f']}/violations",
        f"{base}/rounds/{ids['rd']}",
    ]
    for url in gets:
        assert client.get(url, headers=outsider).status_code == 404, url
    posts = [
        (f"{base}/requests/{ids['r']}/assessment", {"needs": {}}),
        (f"{base}/violations", {"file_id": ids["f"], "code": "stalling_information"}),
        (f"{base}/violations/{ids['v']}/lift", {"note": "x"}),
        (f"{base}/rounds/{ids['rd']}/renewals", {"file_id": ids["f"]}),
        (f"{base}/proposals", {"file_id": ids["f"], "reason": "improved"}),
        (f"{base}/proposals/{ids['p']}/confirm", {}),
        (f"{base}/proposals/{ids['p']}/dismiss", {}),
    ]
    for url, body in posts:
        assert client.post(url, json=body, headers=outsider).status_code == 404, url
    assert client.get(f"{base}/proposals", headers=outsider).json == []
    assert client.get(f"{base}/rounds", headers=outsider).json == []


def test_another_tenant_uses_its_own_band_table(
    tenant, other_tenant, enable_plugin, staff, make_member, app_ctx
):
    bands = [
        {"code": "X", "label_ar": "س", "label_en": "X", "up_to_halalas": None, "ceiling_halalas": 500_000},
    ]
    enable_plugin(other_tenant, "makkah_aid", {"min_gap_halalas": 100_000, "bands": bands})
    enable_plugin(tenant, "makkah_aid")
    with tenant_context(other_tenant):
        assert services.settings()["bands"][0]["code"] == "X"
        version = services.current_rule_version()
        assert version.settings["min_gap_halalas"] == 100_000
        db.session.commit()
    with tenant_context(tenant):
        assert services.settings()["bands"][0]["code"] == "A"
        assert db.session.scalars(db.select(RuleVersion)).all() == []


def test_openapi_documents_every_route(client):
    spec = client.get("/api/v1/openapi.json").json
    paths = [p for p in spec["paths"] if "/makkah_aid/" in p]
    assert len(paths) >= 12
    for path in paths:
        for method, operation in spec["paths"][path].items():
            if method in ("get", "post"):
                assert operation.get("responses"), path


def test_demo_data_is_idempotent_and_covers_the_cases(makkah, staff):
    load(makkah)
    db.session.commit()
    load(makkah)
    db.session.commit()
    bands = sorted((a.band or "-") for a in db.session.scalars(db.select(Assessment)))
    # Four households across the bands, and the widow's dialysis request (band B) delivered by
    # a contracted provider (issue 18).
    assert bands == ["-", "A", "B", "B", "C"]
    circumstance = db.session.scalars(db.select(Circumstance)).one()
    assert circumstance.kind == "costly_health" and circumstance.document_id
    delivery = db.session.scalars(db.select(ProviderDelivery)).one()
    assert delivery.proof == "invoice"
    disbursement = db.session.get(Disbursement, delivery.disbursement_id)
    assert (
        disbursement.delivery_mode == "provider"
        and disbursement.provider_name == services.providers()[0].name
    )
    assert db.session.scalars(db.select(BeneficiaryFile).where(BeneficiaryFile.status == "suspended")).all()
    assert [p.reason for p in db.session.scalars(db.select(ExclusionProposal))] == ["workers"]
    assert len(services.rounds()) == 1


def test_pages_render(makkah, household, new_request, advance, staff, client, login):
    file = household()
    request = in_committee(new_request, advance, file)
    services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
    services.propose(file, "improved", evidence={"note": "x"}, source="staff")
    services.announce_round({"title": "جولة"}, staff["tenant_admin"])
    db.session.commit()
    login(staff["researcher"])
    for url in (
        "/t/first/makkah_aid/assessments",
        f"/t/first/makkah_aid/requests/{request.id}/assessment",
        f"/t/first/makkah_aid/files/{file.id}/violations",
        "/t/first/makkah_aid/rounds",
        "/t/first/makkah_aid/proposals",
        "/t/first/requests/new",  # core's intake, with the plugin's request fields
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get("/t/first/makkah_aid/portal").status_code == 403


def test_applicant_portal_shows_the_round(makkah, household, staff, client, login, new_request):
    file = household()
    request = complete_request(new_request, file)
    request.applicant_user_id = staff["applicant"].id
    services.announce_round({"title": "جولة التحديث"}, staff["tenant_admin"])
    db.session.commit()
    login(staff["applicant"])
    page = client.get("/t/first/makkah_aid/portal")
    assert page.status_code == 200 and "جولة التحديث" in page.get_data(as_text=True)
