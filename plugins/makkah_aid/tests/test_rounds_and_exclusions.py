"""Data-renewal rounds and exclusion proposals: automatic rules, confirmation by the right
role, the beneficiary told why."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.testing import (
    OutboxMessage,
)
from core.toolkit import (
    AppError,
    BeneficiaryFile,
    db,
    tenant_context,
)
from core.toolkit import today as tenant_today
from plugins.makkah_aid import services

from .helpers import (
    API,
    NEEDS_B,
    SAR,
    in_committee,
)


def test_renewal_round_late_files_get_a_proposal(makkah, household, staff, client, token_for):
    late_file, on_time = household(1), household(2)
    late_id = late_file.id
    admin = token_for(staff["tenant_admin"])
    announced = (tenant_today() - timedelta(days=61)).isoformat()
    made = client.post(
        f"{API}/rounds", json={"title": "تحديث ١٤٤٧", "announced_on": announced}, headers=admin
    )
    assert made.status_code == 201, made.json
    assert made.json["due_on"] == (tenant_today() - timedelta(days=31)).isoformat()
    rid = made.json["id"]
    renewed = client.post(
        f"{API}/rounds/{rid}/renewals",
        json={"file_id": on_time.id},
        headers=token_for(staff["relations_officer"]),
    )
    assert renewed.status_code == 200, renewed.json
    view = client.get(f"{API}/rounds/{rid}", headers=admin).json
    assert [r["file_id"] for r in view["late"]] == [late_id]
    assert view["late"][0]["days_late"] == 31
    assert client.post(f"{API}/scan", headers=token_for(staff["researcher"])).json["proposed"] == 1
    queue = client.get(f"{API}/proposals", headers=admin).json
    assert [(p["file_id"], p["reason"]) for p in queue] == [(late_id, "late_renewal")]
    assert queue[0]["evidence"]["days_late"] == 31
    # The applicant portal shows the round; a tenant admin cannot announce … an applicant cannot.
    assert (
        client.post(f"{API}/rounds", json={"title": "x"}, headers=token_for(staff["applicant"])).status_code
        == 403
    )


def test_automatic_rules_confirm_and_notify(makkah, household, staff, client, token_for):
    file = household(1, city="الرياض", workers=3)
    fid = file.id
    proposals = services.scan_file(file)
    assert {p.reason for p in proposals} == {"moved_away", "workers"}
    assert services.scan_file(file) == []  # no duplicates
    db.session.commit()
    workers = next(p for p in proposals if p.reason == "workers")
    researcher = token_for(staff["researcher"])
    assert (
        client.post(f"{API}/proposals/{workers.id}/confirm", json={}, headers=researcher).status_code == 403
    )
    confirmed = client.post(
        f"{API}/proposals/{workers.id}/confirm",
        json={"note": "ثبت بالمستندات"},
        headers=token_for(staff["committee_member"]),
    )
    assert confirmed.status_code == 200, confirmed.json
    with tenant_context(makkah):
        refreshed = db.session.get(BeneficiaryFile, fid)
        assert (refreshed.status, refreshed.exclusion_reason) == ("excluded", "workers")
        sms = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.template == "makkah_aid_exclusion")
        ).all()
        assert sms and "كفالة" in sms[0].body
    moved = next(p for p in proposals if p.reason == "moved_away")
    again = client.post(
        f"{API}/proposals/{moved.id}/dismiss", json={}, headers=token_for(staff["committee_member"])
    )
    assert again.status_code == 200 and again.json["status"] == "dismissed"


def test_the_exclusion_notice_is_in_the_beneficiarys_language_when_the_committee_reads_english(
    makkah, household, staff, client, token_for
):
    file = household(1, workers=3)
    workers = next(p for p in services.scan_file(file) if p.reason == "workers")
    db.session.commit()
    headers = {**token_for(staff["committee_member"]), "Accept-Language": "en"}
    confirmed = client.post(f"{API}/proposals/{workers.id}/confirm", json={}, headers=headers)
    assert confirmed.status_code == 200, confirmed.json
    with tenant_context(makkah):
        (notice,) = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.template == "makkah_aid_exclusion")
        ).all()
    assert notice.locale == "ar" and "كفالة" in notice.body and "sponsorship" not in notice.body


def test_member_level_exclusion_stops_the_member_counting(makkah, household, new_request, advance, staff):
    file = household()
    household_row = db.session.get(BeneficiaryFile, file.id).household
    son = next(m for m in household_row.members if m.resides_with_head)
    proposal = services.propose(file, "male_over_18", evidence={"age": 20}, member_id=son.id, source="staff")
    services.confirm(proposal, staff["committee_member"])
    assert file.status == "active"
    request = in_committee(new_request, advance, file)
    assessment = services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
    assert assessment.income_total == 24_000 * SAR  # only the head now


def test_death_closes_and_assault_needs_the_executive_director(makkah, household, staff):
    file = household()
    assault = services.propose(file, "assault", evidence={}, source="staff")
    with pytest.raises(AppError) as info:
        services.confirm(assault, staff["committee_member"])
    assert info.value.status == 403
    db.session.rollback()
    other = household(2)
    death = services.propose(other, "death", evidence={}, source="staff")
    services.confirm(death, staff["committee_member"])
    assert other.status == "closed"
