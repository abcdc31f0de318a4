"""The licensing list's procedure leaflets and an exhibition's feasibility study: stored through
core's ``store_file`` (checked like any upload), downloaded through ``download_response``,
audited, on the pages and the API."""

from __future__ import annotations

import io

import sqlalchemy as sa

from core.testing import PDF, PNG, AuditEvent
from core.toolkit import db

from .. import services
from ..models_graduation import LicenceLeaflet
from .conftest import PID

API = f"/t/first/api/v1/{PID}"
PAGES = f"/t/first/{PID}"


def _actions(in_tenant, tenant) -> list[str]:
    with in_tenant(tenant):
        return list(
            db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like(f"{PID}.%")))
        )


def test_a_leaflet_is_kept_per_licensed_activity_through_the_api(
    client, manager, token_for, enabled, in_tenant
):
    headers = token_for(manager)
    stored = client.put(
        f"{API}/licensing/leaflets/food",
        data={"file": (io.BytesIO(PDF), "دليل إجراءات الترخيص.pdf")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert stored.status_code == 200, stored.json
    assert stored.json["activity"] == "food" and stored.json["issuing_body"].startswith("وزارة البلديات")
    assert stored.json["content_type"] == "application/pdf"
    listed = client.get(f"{API}/licensing/leaflets", headers=headers).json
    assert [row["activity"] for row in listed] == ["food"]
    download = client.get(f"{API}/licensing/leaflets/food/file", headers=headers)
    assert download.status_code == 200 and download.data == PDF
    assert "filename*=UTF-8''" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "private, no-store"
    assert {f"{PID}.leaflet.stored", f"{PID}.leaflet.read"} <= set(_actions(in_tenant, enabled))


def test_a_bad_leaflet_is_refused_by_field_and_nothing_is_kept(
    client, manager, token_for, enabled, in_tenant
):
    headers = token_for(manager)
    fake = client.put(
        f"{API}/licensing/leaflets/food",
        data={"file": (io.BytesIO(b"not a pdf at all"), "x.pdf")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert fake.status_code == 422 and "file" in fake.json["errors"]
    empty = client.put(f"{API}/licensing/leaflets/food", headers=headers, content_type="multipart/form-data")
    assert empty.status_code == 422 and "file" in empty.json["errors"]
    unlisted = client.put(
        f"{API}/licensing/leaflets/sewing",  # sewing needs no licence in the default list
        data={"file": (io.BytesIO(PDF), "x.pdf")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert unlisted.status_code == 422 and "activity" in unlisted.json["errors"]
    with in_tenant(enabled):
        assert db.session.scalar(sa.select(sa.func.count(LicenceLeaflet.id))) == 0
    assert client.get(f"{API}/licensing/leaflets/food/file", headers=headers).status_code == 404


def test_staff_upload_and_replace_a_leaflet_on_the_licensing_page(client, manager, reader, login, enabled):
    login(manager)
    page = client.get(f"{PAGES}/licensing").get_data(as_text=True)
    assert f"{PAGES}/licensing/leaflets/food" in page
    refused = client.post(
        f"{PAGES}/licensing/leaflets/food",
        data={"action": "leaflet", "file": (io.BytesIO(b"plain text"), "x.txt")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and 'id="file-error"' in refused.get_data(as_text=True)
    for content in (PDF, PNG):
        done = client.post(
            f"{PAGES}/licensing/leaflets/food",
            data={"action": "leaflet", "file": (io.BytesIO(content), "leaflet")},
            content_type="multipart/form-data",
        )
        assert done.status_code == 303
    assert client.get(f"{PAGES}/licensing/leaflets/food/file").data == PNG  # the newer file
    login(reader)
    assert f"{PAGES}/licensing/leaflets/food/file" in client.get(f"{PAGES}/licensing").get_data(as_text=True)
    assert client.get(f"{PAGES}/licensing/leaflets/food/file").status_code == 200
    assert (
        client.post(
            f"{PAGES}/licensing/leaflets/food",
            data={"action": "leaflet", "file": (io.BytesIO(PDF), "x.pdf")},
            content_type="multipart/form-data",
        ).status_code
        == 403
    )


def test_an_exhibition_keeps_its_feasibility_study(client, manager, token_for, login, enabled, in_tenant):
    with in_tenant(enabled):
        exhibition = services.create_exhibition(
            {
                "name": "معرض الأسر المنتجة",
                "place": "الأحساء",
                "starts_on": "2026-12-01",
                "ends_on": "2026-12-03",
                "applications_close_on": "2026-11-20",
                "booths": 10,
            }
        )
        db.session.commit()
        eid = exhibition.id
    headers = token_for(manager)
    assert client.get(f"{API}/exhibitions/{eid}/feasibility-study", headers=headers).status_code == 404
    stored = client.put(
        f"{API}/exhibitions/{eid}/feasibility-study",
        data={"file": (io.BytesIO(PDF), "دراسة الجدوى.pdf")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert stored.status_code == 200 and stored.json["exhibition_id"] == eid
    assert client.get(f"{API}/exhibitions/{eid}/feasibility-study", headers=headers).json["sha256"]
    assert client.get(f"{API}/exhibitions/{eid}/feasibility-study/file", headers=headers).data == PDF
    assert (
        client.put(
            f"{API}/exhibitions/999/feasibility-study",
            headers=headers,
            data={"file": (io.BytesIO(PDF), "x.pdf")},
            content_type="multipart/form-data",
        ).status_code
        == 404
    )
    login(manager)
    page = client.get(f"{PAGES}/exhibitions/{eid}").get_data(as_text=True)
    assert f"{PAGES}/exhibitions/{eid}/feasibility-study/file" in page
    assert client.get(f"{PAGES}/exhibitions/{eid}/feasibility-study").status_code == 200
    assert {f"{PID}.study.stored", f"{PID}.study.read"} <= set(_actions(in_tenant, enabled))


def test_a_leaflet_belongs_to_its_tenant_only(
    client, manager, token_for, enabled, other_tenant, enable_plugin, make_member
):
    """The activity is a code every tenant has: another tenant keeping no leaflet for it gets 404."""
    stored = client.put(
        f"{API}/licensing/leaflets/food",
        data={"file": (io.BytesIO(PDF), "leaflet.pdf")},
        headers=token_for(manager),
        content_type="multipart/form-data",
    )
    assert stored.status_code == 200
    enable_plugin(other_tenant, PID)
    stranger = make_member("stranger@second.example.org", other_tenant, ["researcher"])
    theirs = f"/t/{other_tenant.slug}/api/v1/{PID}"
    headers = token_for(stranger)
    assert client.get(f"{theirs}/licensing/leaflets", headers=headers).json == []
    assert client.get(f"{theirs}/licensing/leaflets/food/file", headers=headers).status_code == 404
