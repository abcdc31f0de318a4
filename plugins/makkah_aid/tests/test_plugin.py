"""makkah_aid wired into the platform: submission, assessment and ceiling, violations ladder,
renewal rounds, exclusion proposals, rule versions, enablement and tenancy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.testing import (
    PNG,  # noqa: F401 (imported from here by the other tests)
    AuditEvent,
    OutboxMessage,
)
from core.testing import request_services as requests
from core.toolkit import (
    AidRequest,
    BeneficiaryFile,
    CatalogItem,
    Document,
    check_digit_for,
    create_household,
    db,
    install_default_catalog,
    tenant_context,
)
from core.toolkit import upload_document as upload
from plugins.makkah_aid import rules, services
from plugins.makkah_aid.models import Assessment, ExclusionProposal, RuleVersion, Violation

SAR = 100
API = "/t/first/api/v1/makkah_aid"


def national_id(n: int) -> str:
    base = f"1{n:08d}"
    return base + check_digit_for(base)


def application(**overrides) -> dict:
    """The plugin's request fields as a client sends them (amounts in riyals, any digit script)."""
    data = {
        "nationality": "سعودية",
        "id_number": national_id(4242),
        "id_expiry": (date.today() + timedelta(days=365)).isoformat(),
        "current_job": "لا تعمل",
        "monthly_income": "2000",
        "dependents_count": 1,
        "dependents": [{"name": "سارة", "relationship": "daughter", "job": "", "monthly_income": "0"}],
        "housing": "rented",
        "annual_rent": "15000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def makkah(tenant, enable_plugin, in_first):
    enable_plugin(tenant, "makkah_aid", {"service_area": ["مكة المكرمة"]})
    with tenant_context(tenant):
        install_default_catalog(tenant)
        db.session.commit()
    return tenant


@pytest.fixture
def household(makkah):
    """An active file: head earning 2,000 SAR/month; a resident son earning 500; a son living away earning 3,000."""

    def make(n: int = 1, city: str = "مكة المكرمة", workers: int = 0, **head):
        h = create_household(
            {
                "head": {
                    "first_name": "محمد",
                    "father_name": "عبدالله",
                    "grandfather_name": "سعد",
                    "family_name": "الغامدي",
                    "national_id": national_id(1000 + n),
                    "gender": "male",
                    "city": city,
                    "phone": "0551234567",
                    "monthly_income": 200_000,
                    **head,
                },
                "housing_tenure": "rented",
                "annual_rent": 1_800_000,
                "category": "family",
                "members": [
                    {
                        "person": {
                            "first_name": "فيصل",
                            "gender": "male",
                            "national_id": national_id(2000 + n),
                        },
                        "relationship_": "son",
                        "income": 50_000,
                        "resides_with_head": True,
                    },
                    {
                        "person": {
                            "first_name": "تركي",
                            "gender": "male",
                            "national_id": national_id(3000 + n),
                        },
                        "relationship_": "son",
                        "income": 300_000,
                        "resides_with_head": False,
                    },
                ],
                "extra": {"makkah_aid": {"sponsored_workers": workers}},
            }
        )
        file = db.session.scalars(
            db.select(BeneficiaryFile).where(BeneficiaryFile.household_id == h.id)
        ).one()
        from core.toolkit import change_file_status as change_status

        change_status(file, {"status": "active", "reason": "opened"})
        db.session.commit()
        return file

    return make


def catalog_id() -> int:
    return db.session.scalars(db.select(CatalogItem.id).order_by(CatalogItem.id)).first()


def attach(request, *doc_types):
    for doc_type in doc_types:
        upload(PNG, "doc.png", {"doc_type": doc_type, "request_id": request.id})


def complete_request(new_request, file=None, **overrides):
    request = new_request(
        catalog_item_id=catalog_id(),
        file_id=file.id if file else None,
        extra={"makkah_aid": application(**overrides)},
    )
    attach(request, "id_copy", "lease")
    return request


def in_committee(new_request, advance, file=None):
    request = complete_request(new_request, file)
    return advance(request, "in_committee")


NEEDS_B = {
    "food_drink": 30_000 * SAR,
    "medical": 6_000 * SAR,
    "housing": 18_000 * SAR,
    "education": 6_000 * SAR,
}
# needs 60,000; income = (2,000 + 500) × 12 = 30,000 (the son living away does not count) → gap 30,000 → C.


# --------------------------------------------------------------------------- mandatory data at submission


def test_submission_missing_items_is_refused_one_error_per_field(makkah, client, staff, token_for):
    headers = token_for(staff["relations_officer"])
    with tenant_context(makkah):
        item_id = catalog_id()
    created = client.post(
        "/t/first/api/v1/requests/",
        json={
            "channel": "in_person",
            "applicant_name": "نورة محمد عبدالله السبيعي",
            "catalog_item_id": item_id,
            "extra": {"makkah_aid": {"nationality": "سعودية", "id_expiry": "2001-01-01"}},
        },
        headers=headers,
    )
    assert created.status_code == 201, created.json
    rid = created.json["id"]
    refused = client.post(
        f"/t/first/api/v1/requests/{rid}/submit",
        json={"declaration": True, "signed_by": "نورة"},
        headers=headers,
    )
    assert refused.status_code == 422
    errors = refused.json["errors"]
    assert set(errors) == {
        "id_number",
        "id_expiry",
        "current_job",
        "monthly_income",
        "dependents_count",
        "housing",
        "documents.id_copy",
    }
    assert all(len(messages) == 1 for messages in errors.values())
    assert "expired" in errors["id_expiry"][0].lower() or "انتهت" in errors["id_expiry"][0]
    with tenant_context(makkah):
        from core.toolkit import AidRequest

        assert db.session.get(AidRequest, rid).state == "draft"
        assert db.session.get(AidRequest, rid).number is None


def test_arabic_messages_and_expired_id_refused(makkah, new_request, staff):
    request = complete_request(new_request, id_expiry=(date.today() - timedelta(days=1)).isoformat())
    from marshmallow import ValidationError

    with pytest.raises(ValidationError) as info:
        requests.submit(request, staff["relations_officer"], declaration_signed_by="نورة")
    assert set(info.value.messages) == {"id_expiry"}
    db.session.rollback()


def test_complete_application_is_submitted(makkah, new_request, staff):
    request = complete_request(new_request)
    requests.submit(request, staff["relations_officer"], declaration_signed_by="نورة")
    assert request.state == "submitted" and request.number


def test_missing_attachment_is_refused(makkah, new_request, staff):
    request = new_request(catalog_item_id=catalog_id(), extra={"makkah_aid": application()})
    attach(request, "id_copy")
    assert services.submission_errors(request) == {
        "documents.lease": [services.problem_message("documents.lease", "file")]
    }


# --------------------------------------------------------------------------- assessment, ceiling, committee


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
    from marshmallow import ValidationError

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
    from core.testing import forget_roles_cache, grant_role

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


def test_approval_needs_an_assessment(makkah, new_request, advance, staff):
    from core.toolkit import Conflict

    request = in_committee(new_request, advance)
    with pytest.raises(Conflict):
        requests.approve(
            request,
            staff["committee_member"],
            amount_halalas=100_000,
            members_present=[staff["committee_member"].id],
        )
    db.session.rollback()


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
    assert [h["rule_version"]["settings"]["bands"][-1]["ceiling_halalas"] for h in history] == [
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


# --------------------------------------------------------------------------- violations ladder


def test_ladder_timed_suspension_blocks_then_ends_lazily(makkah, household, new_request, advance, staff):
    file = household()
    request = in_committee(new_request, advance, file)
    services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
    started = date.today() - timedelta(days=70)
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
    from core.toolkit import Conflict

    file = household()
    request = in_committee(new_request, advance, file)
    services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
    services.record_violation(file, {"code": "false_information"}, staff["researcher"])
    assert (file.status, file.suspended_until) == ("suspended", rules.add_months(date.today(), 12))
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
    from core.toolkit import Conflict

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
    later = (date.today() + timedelta(days=70)).isoformat()
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


# --------------------------------------------------------------------------- renewal rounds and exclusions


def test_renewal_round_late_files_get_a_proposal(makkah, household, staff, client, token_for):
    late_file, on_time = household(1), household(2)
    late_id = late_file.id
    admin = token_for(staff["tenant_admin"])
    announced = (date.today() - timedelta(days=61)).isoformat()
    made = client.post(
        f"{API}/rounds", json={"title": "تحديث ١٤٤٧", "announced_on": announced}, headers=admin
    )
    assert made.status_code == 201, made.json
    assert made.json["due_on"] == (date.today() - timedelta(days=31)).isoformat()
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
    from core.toolkit import AppError

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


# --------------------------------------------------------------------------- enablement, settings, tenancy


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
    from marshmallow import ValidationError

    with pytest.raises(ValidationError):
        requests.submit(other, staff["relations_officer"], declaration_signed_by="نورة")
    db.session.rollback()


def test_bad_settings_refused_and_nothing_saved(tenant, in_first, enable_plugin):
    from marshmallow import ValidationError

    from core.testing import PluginEnablement

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
    from plugins.makkah_aid.demo import load

    load(makkah)
    db.session.commit()
    load(makkah)
    db.session.commit()
    bands = sorted((a.band or "-") for a in db.session.scalars(db.select(Assessment)))
    assert bands == ["-", "A", "B", "C"]
    assert db.session.scalars(db.select(BeneficiaryFile).where(BeneficiaryFile.status == "suspended")).all()
    assert [p.reason for p in db.session.scalars(db.select(ExclusionProposal))] == ["workers"]


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


def test_application_on_cores_intake_refuses_per_field_and_submits(makkah, staff, client, login):
    """Core's request-intake form carries the plugin's request fields and document slots."""
    login(staff["researcher"])  # seed 004: researchers take applications too
    page = client.get("/t/first/requests/new").get_data(as_text=True)
    assert 'name="extra.makkah_aid.dependents.4.name"' in page  # the shared request fields
    assert 'name="documents.makkah_aid.id"' in page and 'name="documents.makkah_aid.housing"' in page
    refused = client.post(
        "/t/first/requests/new",
        data={
            "channel": "in_person",
            "applicant_name": "نورة محمد عبدالله السبيعي",
            "extra.makkah_aid.nationality": "سعودية",
            "submit_now": "1",
        },
    )
    assert refused.status_code == 422
    assert b'data-field="extra.makkah_aid.id_number"' in refused.data
    assert b'data-field="extra.makkah_aid.housing"' in refused.data
    assert b'data-field="documents.id_copy"' in refused.data
    with tenant_context(makkah):
        assert db.session.scalars(db.select(AidRequest)).all() == []  # nothing written
    with tenant_context(makkah):
        item = catalog_id()
    from io import BytesIO

    ns = "extra.makkah_aid."
    form = {
        "channel": "in_person",
        "applicant_name": "نورة محمد عبدالله السبيعي",
        ns + "nationality": "سعودية",
        ns + "id_number": national_id(77),
        ns + "id_expiry": (date.today() + timedelta(days=30)).isoformat(),
        ns + "current_job": "لا تعمل",
        ns + "monthly_income": "1500",
        "catalog_item_id": str(item),
        ns + "dependents_count": "1",
        ns + "dependents.0.name": "سارة",
        ns + "dependents.0.relationship": "daughter",
        ns + "dependents.0.resides_permanently": "on",
        ns + "housing": "rented",
        ns + "annual_rent": "15000",
        "documents.makkah_aid.id": (BytesIO(PNG), "id.png"),
        "documents.makkah_aid.housing": (BytesIO(PNG), "lease.png"),
        "submit_now": "1",
    }
    done = client.post("/t/first/requests/new", data=form, content_type="multipart/form-data")
    assert done.status_code == 302, done.data[:3000]
    with tenant_context(makkah):
        item = db.session.scalars(db.select(AidRequest)).one()
        assert item.state == "submitted" and item.number
        kinds = db.session.scalars(db.select(Document.doc_type).where(Document.request_id == item.id)).all()
        assert sorted(kinds) == ["id_copy", "lease"]  # the housing slot's type follows the housing


def test_applicant_portal_shows_the_round(makkah, household, staff, client, login, new_request):
    file = household()
    request = complete_request(new_request, file)
    request.applicant_user_id = staff["applicant"].id
    services.announce_round({"title": "جولة التحديث"}, staff["tenant_admin"])
    db.session.commit()
    login(staff["applicant"])
    page = client.get("/t/first/makkah_aid/portal")
    assert page.status_code == 200 and "جولة التحديث" in page.get_data(as_text=True)
