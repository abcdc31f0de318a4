"""A partner's signed agreement file: uploaded on the partner's page and through the API by
staff who keep the register of partners, kept by core's ``store_file``, downloaded through
core's downloads — both audited; others may not; a bad file is a field error, nothing kept."""

from __future__ import annotations

import io

import pytest

from core.testing import PDF, AuditEvent
from core.toolkit import db

from ..models_care import Partner
from .conftest import API, PAGE

PARTNER = {"name": "مركز المحاماة التطوعي", "services": ["legal"], "contact_name": "أ. خالد"}


@pytest.fixture
def partner_id(client, staff, token_for, enabled):
    response = client.post(f"{API}/partners", json=PARTNER, headers=token_for(staff["relations_officer"]))
    assert response.status_code == 201, response.json
    return response.json["id"]


def _trail(tenant, in_tenant):
    with in_tenant(tenant):
        return [
            (e.action, e.details)
            for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq))
            if ".agreement_" in e.action
        ]


def test_the_agreement_is_uploaded_on_the_partner_page_and_downloaded_audited(
    client, login, staff, partner_id, in_tenant, enabled
):
    login(staff["relations_officer"])
    page = client.get(f"{PAGE}/partners/{partner_id}")
    assert page.status_code == 200 and 'id="agreement-form"' in page.get_data(as_text=True)
    empty = client.post(f"{PAGE}/partners/{partner_id}/agreement", data={})
    assert empty.status_code == 422 and 'id="agreement-error"' in empty.get_data(as_text=True)
    bad = client.post(
        f"{PAGE}/partners/{partner_id}/agreement",
        data={"agreement": (io.BytesIO(b"not a pdf at all"), "اتفاقية.pdf")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and 'id="agreement-error"' in bad.get_data(as_text=True)
    with in_tenant(enabled):
        assert not db.session.get(Partner, partner_id).agreement_file  # nothing kept
    saved = client.post(
        f"{PAGE}/partners/{partner_id}/agreement",
        data={"agreement": (io.BytesIO(PDF), "اتفاقية الشراكة.pdf")},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    shown = client.get(f"{PAGE}/partners/{partner_id}").get_data(as_text=True)
    assert 'id="agreement-download"' in shown and "اتفاقية الشراكة.pdf" in shown
    download = client.get(f"{PAGE}/partners/{partner_id}/agreement")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert download.headers["Content-Type"].startswith("application/pdf")
    trail = _trail(enabled, in_tenant)
    assert [action for action, _ in trail] == [
        "crime_victims.partner.agreement_attached",
        "crime_victims.partner.agreement_downloaded",
    ]
    assert trail[0][1]["sha256"] == trail[1][1]["sha256"]


def test_staff_who_do_not_keep_the_register_neither_upload_nor_download(
    client, staff, token_for, login, partner_id, enabled
):
    uploaded = client.post(
        f"{API}/partners/{partner_id}/agreement",
        data={"agreement": (io.BytesIO(PDF), "agreement.pdf")},
        content_type="multipart/form-data",
        headers=token_for(staff["relations_officer"]),
    )
    assert uploaded.status_code == 200 and uploaded.json["agreement_filename"] == "agreement.pdf"
    for role in ("researcher", "auditor"):
        headers = token_for(staff[role])
        assert client.get(f"{API}/partners/{partner_id}/agreement", headers=headers).status_code == 403
        again = client.post(
            f"{API}/partners/{partner_id}/agreement",
            data={"agreement": (io.BytesIO(PDF), "other.pdf")},
            content_type="multipart/form-data",
            headers=headers,
        )
        assert again.status_code == 403
    login(staff["researcher"])
    page = client.get(f"{PAGE}/partners/{partner_id}").get_data(as_text=True)
    assert (
        "agreement.pdf" in page
        and 'id="agreement-download"' not in page
        and 'id="agreement-form"' not in page
    )
    assert client.get(f"{PAGE}/partners/{partner_id}/agreement").status_code == 403


def test_the_api_answers_a_missing_file_with_a_field_error_and_no_file_with_404(
    client, staff, token_for, partner_id
):
    headers = token_for(staff["tenant_admin"])
    assert client.get(f"{API}/partners/{partner_id}/agreement", headers=headers).status_code == 404
    missing = client.post(
        f"{API}/partners/{partner_id}/agreement", data={}, content_type="multipart/form-data", headers=headers
    )
    assert missing.status_code == 422 and "agreement" in missing.json["errors"]
    download = client.get(f"{API}/partners/{partner_id}/agreement", headers=headers)
    assert download.status_code == 404


def test_another_associations_partner_agreement_is_not_found(
    client, staff, token_for, partner_id, other_tenant, enable_plugin, make_member
):
    client.post(
        f"{API}/partners/{partner_id}/agreement",
        data={"agreement": (io.BytesIO(PDF), "agreement.pdf")},
        content_type="multipart/form-data",
        headers=token_for(staff["relations_officer"]),
    )
    enable_plugin(other_tenant, "crime_victims")
    stranger = make_member("admin@second.example.org", other_tenant, ["tenant_admin"])
    url = f"/t/second/api/v1/crime_victims/partners/{partner_id}/agreement"
    assert client.get(url, headers=token_for(stranger)).status_code == 404
