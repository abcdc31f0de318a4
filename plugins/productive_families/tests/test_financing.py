"""Financing: bodies and partners, requests referred with their outcomes and amounts, the KPIs
(channels in use, partnerships at or above the tenant's quality threshold)."""

from __future__ import annotations

from datetime import date

import pytest

from core.testing import AuditEvent
from core.toolkit import Conflict, Invalid, db, kpi_sources

from .. import services
from .conftest import PID

API = f"/t/first/api/v1/{PID}"
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def test_requests_move_from_referral_to_outcome(enabled, producer_factory, in_tenant):
    pid = producer_factory()
    with in_tenant(enabled):
        bank = services.add_body({"name": "بنك التنمية الاجتماعية", "kind": "bank"})
        req = services.refer(
            {"producer_id": pid, "body_id": bank.id, "purpose": "فرن صناعي", "requested": "15000"},
            today=date(2026, 2, 1),
        )
        with pytest.raises(Conflict):
            services.decide(req, {"status": "disbursed"})
        with pytest.raises(Invalid) as refused:
            services.decide(req, {"status": "approved"})
        assert set(refused.value.messages) == {"approved"}
        services.decide(req, {"status": "approved", "approved": "12,000", "decided_on": "2026-03-01"})
        assert (req.status, req.approved_halalas) == ("approved", 1_200_000)
        services.decide(req, {"status": "disbursed", "decided_on": "2026-03-10"})
        with pytest.raises(Conflict):
            services.decide(req, {"status": "rejected"})
        other = services.refer(
            {"producer_id": pid, "body_id": bank.id, "purpose": "مواد خام", "requested": "3000"}
        )
        services.decide(other, {"status": "rejected", "decided_on": "2026-04-01"})
        assert other.approved_halalas is None
        db.session.commit()
        kpi = {s.key: s for s in kpi_sources(enabled)}
        assert kpi[f"{PID}.families_financed"].compute(enabled, *YEAR) == 1
        assert kpi[f"{PID}.amount_financed"].compute(enabled, *YEAR) == 1_200_000


def test_channels_in_use_and_quality_partnerships_follow_the_threshold(
    tenant, enable_plugin, producer_factory, in_tenant
):
    enable_plugin(tenant, PID)
    pid = producer_factory()
    with in_tenant(tenant):
        bodies = [
            services.add_body({"name": name, "kind": "fund", "is_partner": True, "quality_score": score})
            for name, score in (("صندوق عبداللطيف جميل", 80), ("صندوق المئوية", 79), ("شركة أرامكو", 95))
        ]
        for body in bodies[:2]:
            services.refer(
                {"producer_id": pid, "body_id": body.id, "purpose": "تمويل", "requested": "1000"},
                today=date(2026, 5, 1),
            )
        db.session.commit()
        kpi = {s.key: s for s in kpi_sources(tenant)}
        assert kpi[f"{PID}.financing_channels"].compute(tenant, *YEAR) == 2
        assert kpi[f"{PID}.financing_channels"].compute(tenant, date(2025, 1, 1), date(2025, 12, 31)) == 0
        assert kpi[f"{PID}.quality_partnerships"].compute(tenant, *YEAR) == 2  # 80 counts, 79 does not
    enable_plugin(tenant, PID, {"partnership_quality_threshold": 90})
    with in_tenant(tenant):
        kpi = {s.key: s for s in kpi_sources(tenant)}
        assert kpi[f"{PID}.quality_partnerships"].compute(tenant, *YEAR) == 1


def test_the_api_and_page_refer_and_refuse_bad_input(
    client, manager, token_for, login, producer_factory, enabled, in_tenant
):
    pid = producer_factory()
    headers = token_for(manager)
    body = client.post(
        f"{API}/financing/bodies", json={"name": "بنك التنمية", "kind": "bank"}, headers=headers
    )
    assert body.status_code == 201
    bad = client.post(
        f"{API}/financing/requests",
        json={"producer_id": pid, "body_id": body.json["id"], "purpose": "ف", "requested": "-5"},
        headers=headers,
    )
    assert bad.status_code == 422 and {"purpose", "requested"} <= set(bad.json["errors"])
    made = client.post(
        f"{API}/financing/requests",
        json={"producer_id": pid, "body_id": body.json["id"], "purpose": "ماكينة خياطة", "requested": "4500"},
        headers=headers,
    )
    assert made.status_code == 201 and made.json["status"] == "referred"
    outcome = client.post(
        f"{API}/financing/requests/{made.json['id']}/outcome", json={"status": "disbursed"}, headers=headers
    )
    assert outcome.status_code == 409
    login(manager)
    page = client.post(
        f"/t/first/{PID}/financing/",
        data={"action": "decide", "request_id": made.json["id"], "status": "approved", "approved": "4000"},
    )
    assert page.status_code == 303
    text = client.get(f"/t/first/{PID}/financing/").get_data(as_text=True)
    assert "ماكينة خياطة" in text and "4,000.00" in text


def test_a_partnership_is_reassessed_and_the_kpi_follows_the_new_score(
    client, manager, reader, login, token_for, enabled, in_tenant
):
    with in_tenant(enabled):
        body = services.add_body(
            {"name": "بنك التنمية الاجتماعية", "kind": "bank", "is_partner": True, "quality_score": 70}
        )
        other = services.add_body({"name": "صندوق المئوية", "kind": "fund"})
        db.session.commit()
        body_id, other_id = body.id, other.id
        kpi = {s.key: s for s in kpi_sources(enabled)}[f"{PID}.quality_partnerships"]
        assert kpi.compute(enabled, *YEAR) == 0
    headers = token_for(manager)
    url = f"{API}/financing/bodies/{body_id}/partnership"
    refused = client.put(url, json={"is_partner": True, "quality_score": 101}, headers=headers)
    assert refused.status_code == 422 and "quality_score" in refused.json["errors"]
    assert (
        client.put(url, json={"is_partner": True, "quality_score": 85}, headers=token_for(reader)).status_code
        == 403
    )
    saved = client.put(
        url,
        json={"is_partner": True, "partnership_criteria": "الالتزام بالمواعيد", "quality_score": 85},
        headers=headers,
    )
    assert saved.status_code == 200 and saved.json["quality_score"] == 85
    assert (
        client.put(
            f"{API}/financing/bodies/9999/partnership", json={"is_partner": True}, headers=headers
        ).status_code
        == 404
    )
    with in_tenant(enabled):
        assert kpi.compute(enabled, *YEAR) == 1
    login(manager)
    page = f"/t/first/{PID}/financing/"
    bad = client.post(
        page, data={"action": "partnership", "body_id": other_id, "is_partner": "on", "quality_score": "abc"}
    )
    assert bad.status_code == 422 and 'id="quality_score-error"' in bad.get_data(as_text=True)
    done = client.post(
        page, data={"action": "partnership", "body_id": other_id, "is_partner": "on", "quality_score": "90"}
    )
    assert done.status_code == 303
    with in_tenant(enabled):
        assert kpi.compute(enabled, *YEAR) == 2
        events = db.session.scalars(
            db.select(AuditEvent)
            .where(AuditEvent.action == f"{PID}.financing.partnership_changed")
            .order_by(AuditEvent.id)
        ).all()
        assert [e.details["before"] for e in events] == [70, None]
    assert "الالتزام بالمواعيد" in client.get(page).get_data(as_text=True)
