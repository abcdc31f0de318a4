"""The violations ladder: sanctions by occurrence, suspensions ending by themselves or lifted
by staff, the daily run and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.testing import (
    OutboxMessage,
)
from core.testing import request_services as requests
from core.toolkit import (
    BeneficiaryFile,
    Conflict,
    db,
    tenant_context,
)
from core.toolkit import today as tenant_today
from plugins.makkah_aid import rules, services
from plugins.makkah_aid.models import Violation

from .helpers import (
    API,
    NEEDS_B,
    in_committee,
)


def test_ladder_timed_suspension_blocks_then_ends_lazily(makkah, household, new_request, advance, staff):
    file = household()
    request = in_committee(new_request, advance, file)
    services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
    started = tenant_today() - timedelta(days=70)
    violation = services.record_violation(
        file, {"code": "refused_visit", "occurred_on": started}, staff["researcher"]
    )
    assert violation.sanction_kind == "timed" and violation.occurrence == 1
    assert violation.ends_on == rules.add_months(started, 2)
    # Recorded 70 days ago: the 2 months are over; the file is lifted when next checked.
    assert file.status == "suspended"
    db.session.commit()
    requests.approve(
        request,
        staff["committee_member"],
        amount_halalas=100_000,
        members_present=[staff["committee_member"].id],
    )
    assert file.status == "active"
    assert db.session.get(Violation, violation.id).lifted_at is not None


def test_ladder_suspension_in_force_refuses_approval(makkah, household, new_request, advance, staff):
    file = household()
    request = in_committee(new_request, advance, file)
    services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
    services.record_violation(file, {"code": "false_information"}, staff["researcher"])
    assert (file.status, file.suspended_until) == ("suspended", rules.add_months(tenant_today(), 12))
    with pytest.raises(Conflict):
        requests.approve(
            request,
            staff["committee_member"],
            amount_halalas=100_000,
            members_present=[staff["committee_member"].id],
        )
    db.session.rollback()


def test_ladder_second_occurrence_is_permanent_and_dismissal_excludes(makkah, household, staff):
    file = household()
    first = services.record_violation(file, {"code": "hidden_marriage_or_death"}, staff["researcher"])
    assert first.sanction["pledge"] is True
    second = services.record_violation(file, {"code": "hidden_marriage_or_death"}, staff["researcher"])
    assert (second.occurrence, second.sanction_kind) == (2, "permanent")
    other = household(2)
    dismissal = services.record_violation(other, {"code": "physical_assault"}, staff["executive_director"])
    assert dismissal.referral and other.status == "excluded" and other.exclusion_reason == "assault"
    db.session.commit()
    # A sanction message went to the household.
    assert db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.template == "makkah_aid_sanction")
    ).first()


def test_condition_suspension_is_lifted_by_staff(makkah, household, staff):
    file = household()
    violation = services.record_violation(file, {"code": "stalling_information"}, staff["researcher"])
    assert file.status == "suspended" and file.suspension_condition
    services.lift(violation, staff["researcher"], "اكتملت المعلومات")
    assert file.status == "active"
    timed = services.record_violation(file, {"code": "provider_misconduct"}, staff["researcher"])
    with pytest.raises(Conflict):
        services.lift(timed, staff["researcher"], "x")
    db.session.rollback()


def test_tick_cli_ends_timed_suspensions(makkah, household, staff, app):
    file = household()
    services.record_violation(file, {"code": "provider_misconduct"}, staff["researcher"])
    file_id = file.id
    db.session.commit()
    later = (tenant_today() + timedelta(days=70)).isoformat()
    result = app.test_cli_runner().invoke(args=["makkah_aid", "tick", "--today", later])
    assert result.exit_code == 0, result.output
    assert "first: 1 suspensions ended" in result.output
    db.session.expire_all()
    with tenant_context(makkah):
        assert db.session.get(BeneficiaryFile, file_id).status == "active"


def test_violations_api(makkah, household, staff, client, token_for):
    file = household()
    fid = file.id
    headers = token_for(staff["researcher"])
    made = client.post(
        f"{API}/violations", json={"file_id": fid, "code": "stalling_information"}, headers=headers
    )
    assert made.status_code == 201, made.json
    assert made.json["sanction_kind"] == "condition"
    listed = client.get(f"{API}/files/{fid}/violations", headers=headers).json
    assert listed["status"] == "suspended"
    nxt = {n["code"]: n for n in listed["next_sanctions"]}
    assert nxt["stalling_information"]["occurrence"] == 2
    assert nxt["false_information"]["sanction"]["months"] == 12
    bad = client.post(f"{API}/violations", json={"file_id": fid, "code": "nope"}, headers=headers)
    assert bad.status_code == 422
    lifted = client.post(f"{API}/violations/{made.json['id']}/lift", json={"note": "تم"}, headers=headers)
    assert lifted.status_code == 200 and lifted.json["in_force"] is False
    denied = client.post(
        f"{API}/violations",
        json={"file_id": fid, "code": "nope"},
        headers=token_for(staff["finance_officer"]),
    )
    assert denied.status_code == 403
