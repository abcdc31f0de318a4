"""The need-gap assessment: figures, band and ceiling, the committee's decision and the rule
version in force."""

from __future__ import annotations

import pytest
from marshmallow import ValidationError

from core.testing import (
    AuditEvent,
    forget_roles_cache,
    grant_role,
)
from core.testing import request_services as requests
from core.toolkit import (
    Conflict,
    db,
)
from plugins.makkah_aid import services

from .helpers import (
    API,
    NEEDS_B,
    SAR,
    complete_request,
    in_committee,
)


def test_assessment_figures_band_ceiling_and_approval(makkah, household, new_request, advance, staff):
    file = household()
    request = in_committee(new_request, advance, file)
    assessment = services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
    assert assessment.needs_total == 60_000 * SAR
    assert assessment.income_total == 30_000 * SAR
    assert (assessment.gap, assessment.band, assessment.ceiling_halalas) == (30_000 * SAR, "C", 18_000 * SAR)
    people = {line["relationship"] + str(line["counted"]) for line in assessment.figures["income_by_person"]}
    assert people == {"headTrue", "sonTrue", "sonFalse"}
    checks = {c["code"]: c for c in requests.assess(request)}
    gap = checks["makkah_aid.gap"]
    assert gap["outcome"] == "pass" and gap["figures"]["gap"] == 3_000_000
    assert gap["figures"]["needs_by_item"]["food_drink"] == 3_000_000
    assert requests.ceiling_for(request).amount_halalas == 1_800_000
    decision = requests.approve(
        request,
        staff["committee_member"],
        amount_halalas=1_500_000,
        members_present=[staff["committee_member"].id],
    )
    assert decision.ceiling_halalas == 1_800_000 and decision.override_reason is None
    assert any(c["code"] == "makkah_aid.gap" for c in decision.assessment)


def test_approval_above_ceiling_needs_an_audited_override(makkah, household, new_request, advance, staff):
    request = in_committee(new_request, advance, household())
    services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
    db.session.commit()
    with pytest.raises(ValidationError) as info:
        requests.approve(
            request,
            staff["committee_member"],
            amount_halalas=2_000_000,
            members_present=[staff["committee_member"].id],
        )
    assert "override_reason" in info.value.messages
    db.session.rollback()
    grant_role(makkah, staff["executive_director"], "committee_member")
    db.session.commit()
    forget_roles_cache()
    decision = requests.approve(
        request,
        staff["executive_director"],
        amount_halalas=2_000_000,
        members_present=[staff["committee_member"].id],
        override_reason="حالة طبية طارئة",
    )
    assert decision.override_reason == "حالة طبية طارئة"
    entry = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "request.approve")).one()
    assert entry.details["override"] is True


def test_request_cannot_go_to_committee_without_an_assessment(makkah, new_request, advance, staff):
    request = advance(complete_request(new_request), "verified")
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        requests.send_to_committee(request, staff["researcher"])
    assert "تقييم الفجوة" in str(refused.value.message)  # the plugin's message, in Arabic
    db.session.rollback()
    request = db.session.get(type(request), request.id)
    assert request.state == "verified"
    services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
    requests.send_to_committee(request, staff["researcher"])
    assert request.state == "in_committee"


def test_the_committee_refusal_without_an_assessment_reads_the_same_on_the_api_and_the_page(
    makkah, new_request, advance, staff, client, token_for, login
):
    request = advance(complete_request(new_request), "verified")
    rid = request.id
    db.session.commit()
    refused = client.post(
        f"/t/first/api/v1/requests/{rid}/send-to-committee", json={}, headers=token_for(staff["researcher"])
    )
    assert refused.status_code == 409 and "تقييم الفجوة" in refused.json["message"]
    login(staff["researcher"])
    page = client.post(f"/t/first/requests/{rid}/step/send_to_committee")
    assert page.status_code == 409
    box = page.get_data(as_text=True).split('id="step-error"', 1)[1].split("</div>", 1)[0]
    assert "تقييم الفجوة" in box
    assert db.session.get(type(request), rid).state == "verified"


def test_not_eligible_gap_is_reported_with_figures(makkah, new_request, advance, staff):
    request = in_committee(new_request, advance)  # no file: the application's data is used
    needs = {"food_drink": 20_000 * SAR, "housing": 8_999 * SAR}
    # income = 2,000 × 12 = 24,000 → gap 4,999 → not eligible.
    assessment = services.record_assessment(request, {"needs": needs}, staff["researcher"])
    assert assessment.gap == 499_900 and not assessment.eligible
    check = next(c for c in requests.assess(request) if c["code"] == "makkah_aid.gap")
    assert check["outcome"] == "fail" and "4,999.00" in check["reason"]
    assert requests.ceiling_for(request).amount_halalas == 0


def test_assessment_api_and_old_decision_shows_rule_in_force_then(
    makkah, household, new_request, advance, staff, client, token_for, enable_plugin
):
    request = in_committee(new_request, advance, household())
    rid = request.id
    db.session.commit()
    researcher = token_for(staff["researcher"])
    posted = client.post(f"{API}/requests/{rid}/assessment", json={"needs": NEEDS_B}, headers=researcher)
    assert posted.status_code == 201, posted.json
    first_version = posted.json["rule_version_id"]
    assert (
        posted.json["band"] == "C"
        and posted.json["rule_version"]["settings"]["bands"][2]["ceiling_halalas"] == 1_800_000
    )
    bad = client.post(
        f"{API}/requests/{rid}/assessment", json={"needs": {"food_drink": -1}}, headers=researcher
    )
    assert bad.status_code == 422 and "needs" in bad.json["errors"]
    # The tenant changes its band table: a new rule version takes effect.
    bands = [
        {
            "code": "A",
            "label_ar": "أ",
            "label_en": "A",
            "up_to_halalas": 1_000_000,
            "ceiling_halalas": 1_000_000,
        },
        {"code": "B", "label_ar": "ب", "label_en": "B", "up_to_halalas": None, "ceiling_halalas": 1_200_000},
    ]
    enable_plugin(makkah, "makkah_aid", {"bands": bands})
    again = client.post(f"{API}/requests/{rid}/assessment", json={"needs": NEEDS_B}, headers=researcher)
    assert again.json["rule_version_id"] != first_version and again.json["band"] == "B"
    history = client.get(f"{API}/requests/{rid}/assessments", headers=researcher).json
    # The first is the assessment recorded before the request went to the committee.
    assert [h["rule_version"]["settings"]["bands"][-1]["ceiling_halalas"] for h in history] == [
        1_800_000,
        1_800_000,
        1_200_000,
    ]
    versions = client.get(f"{API}/rule-versions", headers=researcher).json
    assert len(versions) == 2
    page = client.get(
        f"/t/first/makkah_aid/requests/{rid}/assessment?version={history[0]['id']}",
        headers=researcher,
    )
    assert page.status_code in (200, 302)
