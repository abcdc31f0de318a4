"""Issue 18: circumstances (each only with its supporting document) on the assessment and before
the committee, cited to approve above the band's ceiling; category definitions checked against
the household's facts with a researcher's override; the renewal lateness boundary."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from core.testing import PNG, AuditEvent
from core.testing import request_services as requests
from core.toolkit import db, tenant_context, upload_document
from core.toolkit import today as tenant_today
from plugins.makkah_aid import categories, services
from plugins.makkah_aid.models import Circumstance

from .helpers import API, NEEDS_B, SAR, complete_request

TODAY = date(2025, 6, 15)
SETTINGS = {"orphan_age_limit_years": 18}


# --------------------------------------------------------------------------- circumstances


def test_a_circumstance_needs_its_supporting_document(makkah, household, staff):
    file = household()
    with pytest.raises(ValidationError) as refused:
        services.record_circumstance(file, {"kind": "disaster", "description": "حريق"}, staff["researcher"])
    assert list(refused.value.messages) == ["document"]
    assert db.session.scalars(db.select(Circumstance)).all() == []
    recorded = services.record_circumstance(
        file,
        {"kind": "disaster", "description": "حريق المنزل"},
        staff["researcher"],
        upload=PNG,
        filename="a.png",
    )
    assert recorded.document_id and services.circumstances_of(file) == [recorded]


def test_the_api_refuses_a_circumstance_without_document_with_a_translated_field_error(
    makkah, household, staff, client, token_for
):
    file = household()
    file_id, household_id = file.id, file.household_id
    db.session.commit()
    headers = {**token_for(staff["researcher"]), "Accept-Language": "ar"}
    url = f"{API}/files/{file_id}/circumstances"
    refused = client.post(url, json={"kind": "costly_health"}, headers=headers)
    assert refused.status_code == 422
    assert refused.json["errors"]["document"] == ["أرفق المستند المثبت للظرف."]
    unknown = client.post(url, json={"kind": "lottery", "document_id": 999}, headers=headers)
    assert unknown.status_code == 422 and set(unknown.json["errors"]) == {"kind", "document"}
    with tenant_context(makkah):
        document = upload_document(
            PNG, "r.png", {"doc_type": "circumstance_evidence", "household_id": household_id}
        )
        document_id = document.id
        db.session.commit()
    made = client.post(url, json={"kind": "costly_health", "document_id": document_id}, headers=headers)
    assert made.status_code == 201 and made.json["document_id"] == document_id
    case = client.get(f"{API}/files/{file_id}/case", headers=headers).json
    assert [c["kind"] for c in case["circumstances"]] == ["costly_health"]


def test_circumstances_are_tenant_data_the_tenant_extends(makkah, household, staff, enable_plugin):
    kinds = services.settings()["circumstances"]
    assert [k["code"] for k in kinds] == ["work_impediment", "costly_health", "dismissal", "disaster"]
    enable_plugin(
        makkah,
        "makkah_aid",
        {"circumstances": [*kinds, {"code": "flood", "label_ar": "السيول", "label_en": "Flood"}]},
    )
    file = household()
    made = services.record_circumstance(file, {"kind": "flood"}, staff["researcher"], upload=PNG)
    assert services.circumstance_label(made.kind) in ("السيول", "Flood")


def test_the_assessment_and_the_committee_show_the_circumstances(
    makkah, household, new_request, advance, staff, client, login
):
    file = household()
    services.record_circumstance(
        file, {"kind": "costly_health", "description": "غسيل كلى"}, staff["researcher"], upload=PNG
    )
    request = advance(complete_request(new_request, file), "verified")
    assessment = services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
    assert [c["kind"] for c in assessment.figures["circumstances"]] == ["costly_health"]
    request = advance(request, "in_committee")
    request_id = request.id
    db.session.commit()
    login(staff["committee_member"])
    page = html.unescape(client.get(f"/t/first/requests/{request_id}?lang=en").get_data(as_text=True))
    assert "Health conditions with large expenses — غسيل كلى" in page
    # Offered as a stated reason to approve above the ceiling.
    assert 'list="override-reasons"' in page and "Documented circumstance: Health conditions" in page
    login(staff["researcher"])
    assessment_page = client.get(f"/t/first/makkah_aid/requests/{request_id}/assessment?lang=en")
    assert "Health conditions with large expenses" in html.unescape(assessment_page.get_data(as_text=True))


def test_the_committee_approves_above_the_ceiling_citing_a_circumstance_audited_as_override(
    makkah, household, new_request, advance, staff, make_member
):
    file = household()
    circumstance = services.record_circumstance(
        file, {"kind": "disaster", "description": "احترق المنزل"}, staff["researcher"], upload=PNG
    )
    request = advance(complete_request(new_request, file), "verified")
    services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])  # band C, 18,000
    request = advance(request, "in_committee")
    chair = make_member("chair@first.example.org", makkah, ["committee_member", "executive_director"])
    reason = services.override_reasons(request)[0]
    assert reason == services.circumstance_reason(circumstance)
    requests.approve(
        request, chair, amount_halalas=20_000 * SAR, members_present=[chair.id], override_reason=reason
    )
    entry = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "request.approve").order_by(AuditEvent.id.desc())
    ).first()
    assert entry.details["override"] is True and entry.details["override_reason"] == reason


# --------------------------------------------------------------------------- categories (rules)


def facts(**kw) -> categories.CategoryFacts:
    return categories.CategoryFacts(**{"category": "family", **kw})


def test_orphan_fits_only_with_both_parents_lost_no_support_and_under_the_age_limit():
    child = facts(
        category="orphan",
        head_birth_date=date(2012, 1, 1),
        father_deceased=True,
        mother_deceased=True,
        members=(categories.MemberLine("brother", 0),),
    )
    assert categories.check_category(child, TODAY, SETTINGS).fits is True
    mother_alive = facts(**{**child.__dict__, "mother_deceased": False})
    assert categories.check_category(mother_alive, TODAY, SETTINGS).problems == ("parents_not_lost",)
    supported = facts(**{**child.__dict__, "members": (categories.MemberLine("brother", 300_000),)})
    assert categories.check_category(supported, TODAY, SETTINGS).problems == ("supported",)
    with_parent = facts(**{**child.__dict__, "members": (categories.MemberLine("mother", 0),)})
    assert "parent_in_household" in categories.check_category(with_parent, TODAY, SETTINGS).problems
    unknown = facts(**{**child.__dict__, "head_birth_date": None})
    result = categories.check_category(unknown, TODAY, SETTINGS)
    assert result.fits is None and result.problems == ("birth_date_missing",)


@given(st.integers(-3, 3))
def test_orphan_age_boundary_is_the_18th_birthday(days):
    born = date(2007, 6, 15)  # 18 on TODAY
    child = facts(category="orphan", head_birth_date=born, father_deceased=True, mother_deceased=True)
    result = categories.check_category(child, TODAY + timedelta(days=days), SETTINGS)
    assert result.fits is (days <= 0)


def test_unmarried_woman_adult_unable_prisoner_family_and_family():
    woman = facts(category="unmarried_woman", head_gender="female", head_marital_status="single")
    assert categories.check_category(woman, TODAY, SETTINGS).fits is True
    married = facts(**{**woman.__dict__, "head_marital_status": "divorced"})
    assert categories.check_category(married, TODAY, SETTINGS).problems == ("not_unmarried",)
    man = facts(**{**woman.__dict__, "head_gender": "male", "supported_by_relative": True})
    assert categories.check_category(man, TODAY, SETTINGS).problems == ("not_a_woman", "supported")
    adult = facts(
        category="adult_unable",
        head_birth_date=date(1980, 1, 1),
        unable_to_work=True,
        unable_to_work_reason="شلل",
    )
    assert categories.check_category(adult, TODAY, SETTINGS).fits is True
    minor = facts(**{**adult.__dict__, "head_birth_date": date(2010, 1, 1), "unable_to_work_reason": ""})
    assert categories.check_category(minor, TODAY, SETTINGS).problems == ("not_adult", "able_to_work")
    assert categories.check_category(facts(category="prisoner_family"), TODAY, SETTINGS).problems == (
        "no_prisoner",
    )
    assert categories.check_category(facts(), TODAY, SETTINGS).problems == ("no_family_members",)
    assert categories.check_category(facts(members=(categories.MemberLine("son"),)), TODAY, SETTINGS).fits


def test_the_category_is_checked_at_assessment_with_the_households_facts(
    makkah, household, new_request, advance, staff
):
    file = household()  # a family: head, a resident son
    services.update_category_facts(file, {"father_deceased": True}, staff["researcher"])
    request = advance(complete_request(new_request, file), "verified")
    fits = services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
    assert fits.figures["category"]["fits"] is True
    assert services.category_check_for(request).outcome == "pass"
    file.household.category = "orphan"  # the head is an adult with a living mother, a son earning
    misfit = services.record_assessment(request, {"needs": NEEDS_B}, staff["researcher"])
    assert misfit.figures["category"]["fits"] is False
    check = services.category_check_for(request)
    assert check.outcome == "fail" and check.figures["problems"]
    overridden = services.record_assessment(
        request,
        {"needs": NEEDS_B, "category_override_reason": "الأم مفقودة منذ سنوات"},
        staff["researcher"],
    )
    assert overridden.figures["category"]["override_reason"] == "الأم مفقودة منذ سنوات"
    assert overridden.figures["category"]["overridden_by_id"] == staff["researcher"].id
    check = services.category_check_for(request)
    assert check.outcome == "pass" and "الأم مفقودة منذ سنوات" in str(check.reason)


def test_the_assessment_page_shows_the_misfit_and_takes_the_override(
    makkah, household, new_request, advance, staff, client, login
):
    file = household()
    file.household.category = "unmarried_woman"
    request = advance(complete_request(new_request, file), "verified")
    request_id = request.id
    db.session.commit()
    login(staff["researcher"])
    url = f"/t/first/makkah_aid/requests/{request_id}/assessment?lang=en"
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "The head of the file is not a woman." in page and 'name="category_override_reason"' in page
    form = {f"need_{k}": str(v // SAR) for k, v in NEEDS_B.items()}
    done = client.post(url, data={**form, "category_override_reason": "الأب مسجون"})
    assert done.status_code == 302
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "the researcher overrode it: الأب مسجون" in page


# --------------------------------------------------------------------------- renewal boundary


@pytest.mark.parametrize(("days", "proposed"), [(29, False), (30, True), (31, True)])
def test_renewal_late_from_day_30_after_the_due_date(makkah, household, staff, days, proposed):
    """Seed 004: "late by 30 days" — day 30 after the due date itself counts (tenant setting)."""
    file = household()
    window = services.settings()["renewal_window_days"]
    announced = tenant_today() - timedelta(days=window + days)
    services.announce_round({"title": "تحديث", "announced_on": announced}, staff["tenant_admin"])
    services.scan_all()
    reasons = [p.reason for p in services.proposals("proposed") if p.file_id == file.id]
    assert ("late_renewal" in reasons) is proposed


def test_the_lateness_is_a_tenant_setting(makkah, household, staff, enable_plugin):
    enable_plugin(makkah, "makkah_aid", {"late_renewal_days": 45})
    file = household()
    window = services.settings()["renewal_window_days"]
    services.announce_round(
        {"title": "تحديث", "announced_on": tenant_today() - timedelta(days=window + 44)},
        staff["tenant_admin"],
    )
    services.scan_all()
    assert not [p for p in services.proposals("proposed") if p.file_id == file.id]
