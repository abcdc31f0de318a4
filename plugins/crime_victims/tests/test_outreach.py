"""Proactive outreach: a case opened from an outside body's referral (the referrer recorded), and
sessions at home or remote instead of an office visit."""

from __future__ import annotations

from core.toolkit import db

from ..models import VictimCase
from .conftest import API, CASE_DATA, PAGE


def test_a_case_from_an_outside_referral_records_the_referrer(client, staff, token_for, in_tenant, enabled):
    headers = token_for(staff["relations_officer"])
    missing = client.post(f"{API}/cases", json={**CASE_DATA, "channel": "outside_referral"}, headers=headers)
    assert missing.status_code == 422 and {"referrer_kind", "referrer_name"} <= set(missing.json["errors"])
    opened = client.post(
        f"{API}/cases",
        json={
            **CASE_DATA,
            "channel": "outside_referral",
            "referrer_kind": "hospital",
            "referrer_name": "مستشفى الملك فهد",
        },
        headers=headers,
    )
    assert opened.status_code == 201, opened.json
    assert (opened.json["referrer_kind"], opened.json["referrer_name"]) == ("hospital", "مستشفى الملك فهد")
    with in_tenant(enabled):
        assert db.session.get(VictimCase, opened.json["id"]).channel == "outside_referral"


def test_staff_schedule_a_home_session_from_the_case_page(client, staff, login, token_for, open_case):
    case_id = open_case()
    login(staff["researcher"])
    bad = client.post(f"{PAGE}/cases/{case_id}/sessions", data={"mode": "cafe", "scheduled_at": "tomorrow"})
    assert bad.status_code == 422
    done = client.post(
        f"{PAGE}/cases/{case_id}/sessions",
        data={"mode": "home", "scheduled_at": "2026-12-03T17:30", "place": "حي النسيم"},
    )
    assert done.status_code == 302
    page = client.get(f"{PAGE}/cases/{case_id}").get_data(as_text=True)
    assert 'data-mode="home"' in page and "في المنزل" in page
    listed = client.get(f"{API}/cases/{case_id}/sessions", headers=token_for(staff["auditor"])).json
    assert [s["mode"] for s in listed] == ["home"]
    # typed as Riyadh's wall-clock time, kept in UTC, shown again as 17:30 with its zone
    assert listed[0]["scheduled_at"] == "2026-12-03T14:30:00+00:00"
    assert "17:30" in page
