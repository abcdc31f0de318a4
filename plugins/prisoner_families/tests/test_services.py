"""Services against the database: prisoners, families, debt cases, programs, follow-ups, KPIs."""

from __future__ import annotations

from datetime import date

import pytest
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError

from core.testing import record_disbursement, request_services
from core.toolkit import (
    BeneficiaryFile,
    CatalogItem,
    Conflict,
    Household,
    create_household,
    db,
    hooks,
    install_default_catalog,
    kpi_sources,
    kpi_values,
    tenant_context,
    upload_document,
)
from core.toolkit import change_file_status as change_status
from plugins.prisoner_families import services
from plugins.prisoner_families.demo import load
from plugins.prisoner_families.models import DebtCase, DebtEntry, Enrolment, FollowUp, Prisoner, Program

from .conftest import PID, make_family, national_id


def _case(tenant, case_id) -> DebtCase:
    with tenant_context(tenant):
        db.session.expire_all()
        return db.session.get(DebtCase, case_id)


# --------------------------------------------------------------------------- prisoners and families


def test_prisoner_registration_checks_dates_and_insolvency(enabled):
    _household_id, person_id = make_family(enabled, 1)
    base = {
        "person_id": person_id,
        "facility": "سجن القريات",
        "case_type": "public_right",
        "imprisoned_on": date(2025, 1, 1),
        "status": "in_prison",
    }
    with tenant_context(enabled):
        for change, field in (
            ({"insolvent": True}, "insolvent"),
            ({"expected_release_on": date(2024, 1, 1)}, "expected_release_on"),
            ({"status": "released"}, "released_on"),
            ({"person_id": 999999}, "person_id"),
        ):
            with pytest.raises(ValidationError) as caught:
                services.create_prisoner({**base, **change})
            assert field in caught.value.messages
            db.session.rollback()
        assert db.session.scalars(db.select(Prisoner)).first() is None
        services.create_prisoner(dict(base))
        with pytest.raises(ValidationError):
            services.create_prisoner(dict(base))  # one record per person


def test_household_is_linked_to_one_prisoner_and_gets_the_category(enabled, prisoner_factory):
    prisoner_id, household_id, _ = prisoner_factory()
    other_id, _, _ = prisoner_factory(link=False)
    with tenant_context(enabled):
        assert db.session.get(Household, household_id).category == "prisoner_family"
        with pytest.raises(ValidationError) as caught:
            services.link_family(db.session.get(Prisoner, other_id), {"household_id": household_id})
        assert "household_id" in caught.value.messages


@pytest.mark.parametrize("plugin_enabled", [True, False])
def test_prisoner_family_and_court_letter_exist_only_where_the_plugin_is_enabled(
    tenant, enable_plugin, plugin_enabled
):
    """The plugin declares the household category and the document type, not core: a tenant
    without the plugin is refused both (a field error, nothing written)."""
    if plugin_enabled:
        enable_plugin(tenant, PID)
    household_id, _ = make_family(tenant, 60)
    with tenant_context(tenant):
        categories = hooks().register_household_categories()
        types = hooks().register_document_types()
        assert any(c.code == "prisoner_family" for found in categories for c in found) is plugin_enabled
        assert any(c.code == "court_letter" for found in types for c in found) is plugin_enabled
        letter = {"doc_type": "court_letter", "household_id": household_id}
        with pytest.raises(ValidationError) as caught:
            upload_document(b"not a document", "letter.pdf", letter)
        assert ("doc_type" in caught.value.messages) is not plugin_enabled
        assert "file" in caught.value.messages
        head = {"first_name": "سعاد", "father_name": "علي", "family_name": "الحربي", "gender": "female",
                "national_id": national_id(tenant.id, 61), "city": "القريات"}  # fmt: skip
        data = {"head": head, "housing_tenure": "owned", "category": "prisoner_family", "members": []}
        if plugin_enabled:
            assert create_household(data).category == "prisoner_family"
        else:
            with pytest.raises(ValidationError) as caught:
                create_household(data)
            assert "category" in caught.value.messages
            assert (
                db.session.scalars(
                    db.select(Household).where(Household.category == "prisoner_family")
                ).first()
                is None
            )


def test_a_prisoner_may_support_several_households(enabled, prisoner_factory):
    prisoner_id, _, _ = prisoner_factory()
    second_household, _ = make_family(enabled, 40)
    with tenant_context(enabled):
        prisoner = db.session.get(Prisoner, prisoner_id)
        services.link_family(prisoner, {"household_id": second_household})
        assert len(services.family_links(prisoner)) == 2


# --------------------------------------------------------------------------- eligibility


def _activate(tenant, household_id):
    with tenant_context(tenant):
        file = db.session.scalars(
            db.select(BeneficiaryFile).where(BeneficiaryFile.household_id == household_id)
        ).one()
        change_status(file, {"status": "active", "reason": "قبول"})
        db.session.commit()
        return file.id


def test_eligibility_through_core_assess_lists_the_three_conditions(
    enabled, prisoner_factory, staff, new_request
):
    _, household_id, _ = prisoner_factory()
    file_id = _activate(enabled, household_id)
    request = new_request(file_id=file_id)
    checks = {c["code"]: c for c in request_services.assess(request)}
    for code in ("scope", "residency", "registered"):
        assert checks[f"{PID}.{code}"]["outcome"] == "pass", checks[f"{PID}.{code}"]
    assert checks[f"{PID}.scope"]["figures"]["service_area"] == ["القريات"]


def test_eligibility_fails_outside_the_area_with_reason(enabled, staff, new_request):
    household_id, _ = make_family(enabled, 7, city="الرياض")
    with tenant_context(enabled):
        file = db.session.scalars(
            db.select(BeneficiaryFile).where(BeneficiaryFile.household_id == household_id)
        ).one()
    request = new_request(file_id=file.id)
    checks = {c["code"]: c for c in request_services.assess(request)}
    assert checks[f"{PID}.scope"]["outcome"] == "fail"  # not linked to a prisoner, and outside the area
    assert checks[f"{PID}.registered"]["outcome"] == "fail"
    assert checks[f"{PID}.registered"]["reason"]


def test_eligibility_hook_not_called_when_disabled(tenant, staff, new_request):
    request = new_request()
    assert not [c for c in request_services.assess(request) if c["code"].startswith(PID)]


def test_expired_iqama_fails_residency(enabled):
    household_id, _ = make_family(enabled, 8, prefix="2", id_expiry=date(2020, 1, 1))
    with tenant_context(enabled):
        checks = {c["code"]: c for c in services.assess(db.session.get(Household, household_id))}
    assert checks[f"{PID}.residency"]["outcome"] == "fail"


# --------------------------------------------------------------------------- catalog


def test_catalog_installs_the_seed_programs_with_overrides(tenant, enable_plugin):
    enable_plugin(tenant, PID, {"catalog_overrides": {"marriage_support": {"enabled": False}}})
    with tenant_context(tenant):
        install_default_catalog(tenant)
        items = {i.code: i for i in db.session.scalars(db.select(CatalogItem))}
    assert {"rent_support", "relief_of_distress", "maouna", "eid_joy", "baby_basket", "school_bag"} <= set(
        items
    )
    assert "marriage_support" not in items
    assert items["food_basket"].name_ar == "السلة الغذائية"  # the plugin's declaration wins over core's
    assert items["training_qualification"].unit == "individual"


# --------------------------------------------------------------------------- debt cases


def test_debt_case_only_for_insolvent_private_right(enabled, prisoner_factory):
    public_id, _, _ = prisoner_factory(case_type="public_right", insolvent=False)
    with tenant_context(enabled), pytest.raises(ValidationError):
        services.create_case({"prisoner_id": public_id, "creditor": "x y", "claimed_halalas": 100})


def test_debt_case_amounts_and_closure(enabled, case_factory):
    case_id, prisoner_id = case_factory(claimed=1_000_000)
    with tenant_context(enabled):
        services.add_negotiation(
            case_id, {"attempted_on": date(2025, 1, 1), "by_whom": "المدير", "outcome": "forgave_part",
                      "forgiven_halalas": 300_000}
        )  # fmt: skip
        services.add_negotiation(
            case_id, {"attempted_on": date(2025, 2, 1), "by_whom": "المدير", "outcome": "refused"}
        )
        services.add_entry(case_id, "other_payment", 600_000, payer="فاعل خير")
        db.session.commit()
        with pytest.raises(Conflict):
            services.add_entry(case_id, "other_payment", 100_001, payer="فاعل خير")
        db.session.rollback()
        services.add_entry(case_id, "other_payment", 100_000, payer="فاعل خير")
        db.session.commit()
    case = _case(enabled, case_id)
    assert (case.forgiven_halalas, case.paid_by_others_halalas, case.remaining_halalas) == (
        300_000,
        700_000,
        0,
    )
    assert case.status == "open"  # not released yet
    with tenant_context(enabled):
        services.record_release(db.session.get(Prisoner, prisoner_id), date(2025, 6, 1))
        db.session.commit()
    case = _case(enabled, case_id)
    assert case.status == "closed" and case.closed_on is not None
    with tenant_context(enabled), pytest.raises(Conflict):
        services.add_entry(case_id, "forgiveness", 1)


def test_release_first_then_last_payment_closes(enabled, case_factory):
    case_id, prisoner_id = case_factory(claimed=50_000)
    with tenant_context(enabled):
        services.record_release(db.session.get(Prisoner, prisoner_id), date(2025, 6, 1))
        services.add_negotiation(
            case_id, {"attempted_on": date(2025, 6, 2), "by_whom": "م", "outcome": "forgave_all"}
        )
        db.session.commit()
    case = _case(enabled, case_id)
    assert case.forgiven_halalas == 50_000 and case.status == "closed"


def test_check_constraint_is_the_last_wall(enabled, case_factory):
    case_id, _ = case_factory(claimed=1_000)
    with tenant_context(enabled):
        case = db.session.get(DebtCase, case_id)
        case.paid_by_others_halalas = 2_000
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
        case = db.session.get(DebtCase, case_id)
        case.forgiven_halalas = -1
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def _disburse(enabled, staff, new_request, advance, case_id, code, amount):
    with tenant_context(enabled):
        install_default_catalog(enabled)
        item = db.session.scalars(db.select(CatalogItem).where(CatalogItem.code == code)).one()
    request = new_request(catalog_item_id=item.id, extra={PID: {"debt_case_id": case_id}})
    advance(request, "approved")
    return record_disbursement(
        request,
        staff["finance_officer"],
        {
            "kind": "cash",
            "value_halalas": amount,
            "proof_type": "acknowledgement",
            "acknowledged_by": "الدائن",
            "disbursed_on": date(2025, 11, 20),
            "catalog_item_id": item.id,
        },
    )


def test_relief_of_distress_disbursement_counts_as_paid_by_the_association(
    enabled, case_factory, staff, new_request, advance
):
    case_id, _ = case_factory(claimed=500_000)
    disbursement = _disburse(enabled, staff, new_request, advance, case_id, "relief_of_distress", 80_000)
    db.session.commit()
    case = _case(enabled, case_id)
    assert case.paid_by_association_halalas == 80_000
    with tenant_context(enabled):
        entry = db.session.scalars(
            db.select(DebtEntry).where(DebtEntry.disbursement_id == disbursement.id)
        ).one()
        assert entry.kind == "association_payment" and entry.catalog_code == "relief_of_distress"
        assert kpi_values(enabled, date(2025, 1, 1), date(2025, 12, 31))


def test_other_programs_do_not_count(enabled, case_factory, staff, new_request, advance):
    case_id, _ = case_factory(claimed=500_000)
    _disburse(enabled, staff, new_request, advance, case_id, "food_basket", 30_000)
    db.session.commit()
    assert _case(enabled, case_id).paid_by_association_halalas == 0


def test_disbursement_beyond_the_remainder_is_refused(enabled, case_factory, staff, new_request, advance):
    case_id, _ = case_factory(claimed=50_000)
    with pytest.raises(Conflict):
        _disburse(enabled, staff, new_request, advance, case_id, "maouna", 90_000)
    db.session.rollback()
    assert _case(enabled, case_id).paid_by_association_halalas == 0


def test_request_extra_refuses_unknown_debt_case(enabled, staff, new_request):
    with pytest.raises(ValidationError) as caught:
        new_request(extra={PID: {"debt_case_id": 424242}})
    assert f"extra.{PID}" in caught.value.messages


# --------------------------------------------------------------------------- rehabilitation


def _program(tenant, **kw):
    with tenant_context(tenant):
        program = services.create_program(
            {"code": kw.pop("code", "new_life"), "name_ar": "حياة جديدة", "name_en": "New Life", **kw}
        )
        db.session.commit()
        return program.id


def test_enrolment_interview_fee_and_completion(enabled, prisoner_factory):
    program_id = _program(enabled, requires_interview=True, fee_halalas=10_000, min_attendance_percent=60)
    prisoner_id, _, _ = prisoner_factory()
    with tenant_context(enabled):
        program = db.session.get(Program, program_id)
        with pytest.raises(ValidationError) as caught:
            services.enrol(program, {"prisoner_id": prisoner_id})
        assert "fee_acknowledged" in caught.value.messages
        enrolment = services.enrol(program, {"prisoner_id": prisoner_id, "fee_acknowledged": True})
        sessions = [services.add_session(program, {"held_on": date(2025, 1, d)}) for d in (1, 8, 15, 22, 29)]
        with pytest.raises(ValidationError):  # interview pending: no attendance yet
            services.record_attendance(sessions[0], [{"enrolment_id": enrolment.id, "present": True}])
        services.record_interview(enrolment, {"outcome": "passed", "interview_on": date(2024, 12, 20)})
        for session, present in zip(sessions, (True, True, False, True, False), strict=True):
            services.record_attendance(session, [{"enrolment_id": enrolment.id, "present": present}])
        progress = services.enrolment_progress(db.session.get(Enrolment, enrolment.id))
        assert progress["sessions_held"] == 5 and progress["sessions_attended"] == 3
        assert progress["attendance_percent"] == 60.0 and progress["completed"]
        services.record_attendance(sessions[0], [{"enrolment_id": enrolment.id, "present": False}])
        assert not services.enrolment_progress(enrolment)["completed"]


def test_program_uses_the_tenant_default_minimum(tenant, enable_plugin):
    enable_plugin(tenant, PID, {"default_min_attendance_percent": 90})
    program_id = _program(tenant)
    with tenant_context(tenant):
        assert db.session.get(Program, program_id).min_attendance_percent == 90


def test_follow_ups_follow_the_tenant_months(tenant, other_tenant, enable_plugin):
    enable_plugin(tenant, PID, {"follow_up_months": [6, 12]})
    enable_plugin(other_tenant, PID, {"follow_up_months": [6, 12, 24]})
    due = {}
    for t in (tenant, other_tenant):
        _, person_id = make_family(t, 3)
        program_id = _program(t)
        with tenant_context(t):
            prisoner = services.create_prisoner(
                {"person_id": person_id, "facility": "سجن", "case_type": "public_right",
                 "imprisoned_on": date(2023, 1, 1), "status": "in_prison"}
            )  # fmt: skip
            services.enrol(db.session.get(Program, program_id), {"prisoner_id": prisoner.id})
            services.record_release(prisoner, date(2025, 1, 31))
            db.session.commit()
            due[t.slug] = [(f.months_after, f.due_on) for f in services.list_follow_ups()]
    assert due["first"] == [(6, date(2025, 7, 31)), (12, date(2026, 1, 31))]
    assert due["second"] == [(6, date(2025, 7, 31)), (12, date(2026, 1, 31)), (24, date(2027, 1, 31))]


def test_kpis_for_a_period_and_two_tenants_never_mix(tenant, other_tenant, enable_plugin):
    enable_plugin(tenant, PID, {"service_area": ["القريات"]})
    enable_plugin(other_tenant, PID, {"service_area": ["الأحساء"], "follow_up_months": [6, 12, 24]})
    with tenant_context(tenant):
        load(tenant)
        load(tenant)  # idempotent
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 3
    figures = {v["key"]: v["value"] for v in kpi_values(tenant, date(2024, 1, 1), date(2025, 12, 31))}
    assert figures[f"{PID}.amount_forgiven"] == 1_800_000
    assert figures[f"{PID}.did_not_return_percent"] == 100.0
    assert figures[f"{PID}.canteen_families"] == 1
    assert figures[f"{PID}.self_reliant_families"] == 1
    assert figures[f"{PID}.beneficiaries_employed"] == 1
    assert figures[f"{PID}.aids_given"] == 0
    only_2025 = {v["key"]: v["value"] for v in kpi_values(tenant, date(2025, 1, 1), date(2025, 12, 31))}
    assert only_2025[f"{PID}.amount_forgiven"] == 1_000_000
    # The other tenant has nothing of the first one's data until its own demo runs.
    other = {v["key"]: v["value"] for v in kpi_values(other_tenant, date(2024, 1, 1), date(2025, 12, 31))}
    assert other[f"{PID}.amount_forgiven"] == 0 and other[f"{PID}.did_not_return_percent"] is None
    with tenant_context(other_tenant):
        load(other_tenant)
        db.session.commit()
        assert {f.months_after for f in db.session.scalars(db.select(FollowUp))} == {6, 12, 24}
        cities = {h.head.city for h in db.session.scalars(db.select(Household))}
        assert cities == {"الأحساء"}
    with tenant_context(tenant):
        assert {f.months_after for f in db.session.scalars(db.select(FollowUp))} == {6, 12}
        assert db.session.scalar(db.select(db.func.count(Prisoner.id))) == 3


def test_kpi_sources_only_when_enabled(tenant, enable_plugin):
    assert not [s for s in kpi_sources(tenant) if s.key.startswith(PID)]
    enable_plugin(tenant, PID)
    assert len([s for s in kpi_sources(tenant) if s.key.startswith(PID)]) == 7
