"""The rules of seed 004 as plain functions: bands, the gap, the ladder, renewal, exclusions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from core.toolkit import today as tenant_today
from plugins.makkah_aid import rules
from plugins.makkah_aid.settings import SettingsSchema

SETTINGS = SettingsSchema().load({})
SAR = 100


def band(gap_halalas: int):
    return rules.band_for(gap_halalas, SETTINGS)


# --------------------------------------------------------------------------- bands (the boundaries)


@pytest.mark.parametrize(
    ("gap", "eligible", "code", "ceiling"),
    [
        (499_999, False, None, None),  # 4,999.99
        (500_000, True, "A", 1_000_000),  # 5,000 → A (10,000)
        (1_000_000, True, "A", 1_000_000),  # 10,000 → A
        (1_000_001, True, "B", 1_500_000),  # 10,000.01 → B (15,000)
        (2_000_000, True, "B", 1_500_000),  # 20,000 → B
        (2_000_001, True, "C", 1_800_000),  # 20,000.01 → C (18,000)
        (-50_000, False, None, None),  # income above needs
    ],
)
def test_band_boundaries(gap, eligible, code, ceiling):
    result = band(gap)
    assert (result.eligible, result.band, result.ceiling) == (eligible, code, ceiling)


@given(st.integers(min_value=-(10**9), max_value=10**10))
def test_band_is_monotonic_and_matches_the_seed_table(gap):
    result = band(gap)
    if gap < 500_000:
        assert not result.eligible and result.ceiling is None
    elif gap <= 1_000_000:
        assert (result.band, result.ceiling) == ("A", 1_000_000)
    elif gap <= 2_000_000:
        assert (result.band, result.ceiling) == ("B", 1_500_000)
    else:
        assert (result.band, result.ceiling) == ("C", 1_800_000)
    # A bigger gap never falls in a lower band.
    higher = band(gap + 1)
    order = [None, "A", "B", "C"]
    assert order.index(higher.band) >= order.index(result.band)


def test_another_band_table_is_honoured():
    custom = SettingsSchema().load(
        {
            "min_gap_halalas": 300_000,
            "bands": [
                {
                    "code": "X",
                    "label_ar": "س",
                    "label_en": "X",
                    "up_to_halalas": 800_000,
                    "ceiling_halalas": 700_000,
                },
                {
                    "code": "Y",
                    "label_ar": "ص",
                    "label_en": "Y",
                    "up_to_halalas": None,
                    "ceiling_halalas": 900_000,
                },
            ],
        }
    )
    assert rules.band_for(299_999, custom).eligible is False
    assert rules.band_for(300_000, custom).band == "X"
    assert rules.band_for(800_001, custom).ceiling == 900_000


# --------------------------------------------------------------------------- the gap


def test_gap_counts_head_and_resident_members_only():
    people = [
        rules.PersonLine("head", "أب", "head", 30_000 * SAR),
        rules.PersonLine("member:1", "ابن مقيم", "son", 6_000 * SAR, True, needs={"education": 2_000 * SAR}),
        rules.PersonLine(
            "member:2", "ابن غير مقيم", "son", 24_000 * SAR, False, needs={"medical": 9_000 * SAR}
        ),
    ]
    needs = {"food_drink": 30_000 * SAR, "medical": 5_000 * SAR, "housing": 15_000 * SAR, "education": 0}
    result = rules.assess_gap(needs, people, SETTINGS)
    assert result.needs_by_item == {
        "food_drink": 30_000 * SAR,
        "medical": 5_000 * SAR,
        "housing": 15_000 * SAR,
        "education": 2_000 * SAR,
    }
    assert result.needs_total == 52_000 * SAR
    assert result.income_total == 36_000 * SAR  # the non-resident son's income is left out
    assert result.gap == 16_000 * SAR
    assert (result.band, result.ceiling) == ("B", 1_500_000)
    lines = {line["key"]: line for line in result.income_by_person}
    assert lines["member:2"]["counted"] is False and lines["member:1"]["counted"] is True


def test_confirmed_member_exclusion_stops_counting():
    people = [
        rules.PersonLine("head", "أم", "head", 0),
        rules.PersonLine("member:3", "ابنة", "daughter", 12_000 * SAR, True, excluded_reason="girl_married"),
    ]
    result = rules.assess_gap({"food_drink": 20_000 * SAR}, people, SETTINGS)
    assert result.income_total == 0 and result.gap == 20_000 * SAR


@given(
    needs=st.dictionaries(st.sampled_from(rules.NEED_ITEMS), st.integers(0, 10**8)),
    incomes=st.lists(st.tuples(st.integers(0, 10**8), st.booleans()), max_size=6),
)
def test_gap_is_needs_minus_counted_income(needs, incomes):
    people = [rules.PersonLine("head", "h", "head", 0)] + [
        rules.PersonLine(f"member:{i}", "m", "son", income, resides)
        for i, (income, resides) in enumerate(incomes)
    ]
    result = rules.assess_gap(needs, people, SETTINGS)
    assert result.needs_total == sum(needs.values())
    assert result.income_total == sum(income for income, resides in incomes if resides)
    assert result.gap == result.needs_total - result.income_total
    assert result.band == band(result.gap).band


# --------------------------------------------------------------------------- violations ladder


def test_ladder_sanctions_by_occurrence():
    assert rules.sanction_for(SETTINGS, "forged_documents", 1)["kind"] == "permanent"
    first = rules.sanction_for(SETTINGS, "false_information", 1)
    assert (first["kind"], first["months"]) == ("timed", 12)
    assert rules.sanction_for(SETTINGS, "false_information", 2)["kind"] == "permanent"
    assert rules.sanction_for(SETTINGS, "false_information", 3)["kind"] == "permanent"  # "—"
    refused = rules.sanction_for(SETTINGS, "refused_visit", 1)
    assert (refused["kind"], refused["months"]) == ("timed", 2)
    # Second refused visit: an indefinite stop, documented by the researcher and the director.
    second = rules.sanction_for(SETTINGS, "refused_visit", 2)
    assert second["kind"] == "stop" and second["documented_by"] == ["researcher", "executive_director"]
    assert rules.sanction_for(SETTINGS, "stalling_information", 1)["kind"] == "condition"
    assert rules.sanction_for(SETTINGS, "unreported_contact_change", 1)["kind"] == "condition"
    assault = rules.sanction_for(SETTINGS, "physical_assault", 1)
    assert assault["kind"] == "dismissal" and assault["referral"] is True
    assert rules.sanction_for(SETTINGS, "abusive_language", 1)["pledge"] is True
    hidden = rules.sanction_for(SETTINGS, "hidden_marriage_or_death", 1)
    assert (hidden["kind"], hidden["months"], hidden["pledge"]) == ("timed", 2, True)
    sold = rules.sanction_for(SETTINGS, "sold_appliances", 1)
    assert (sold["months"], sold["pledge"]) == (12, True)
    assert rules.sanction_for(SETTINGS, "provider_misconduct", 2)["kind"] == "permanent"
    assert len(SETTINGS["ladder"]) == 10
    with pytest.raises(KeyError):
        rules.sanction_for(SETTINGS, "nope", 1)


def test_timed_suspension_end_and_expiry():
    sanction = rules.sanction_for(SETTINGS, "refused_visit", 1)
    end = rules.sanction_end(sanction, date(2025, 12, 31))
    assert end == date(2026, 2, 28)
    assert not rules.suspension_over(end, date(2026, 2, 27))
    assert rules.suspension_over(end, date(2026, 2, 28))
    assert rules.sanction_end({"kind": "permanent"}, date(2025, 1, 1)) is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 60))
def test_timed_end_is_months_later(start, months):
    end = rules.sanction_end({"kind": "timed", "months": months}, start)
    assert end > start
    assert (end.year - start.year) * 12 + end.month - start.month == months


# --------------------------------------------------------------------------- renewal


def test_renewal_due_and_lateness_boundary():
    due = rules.renewal_due(date(2025, 1, 1), SETTINGS)
    assert due == date(2025, 1, 31)
    # Seed 004: "late for a period of 30 days" — day 30 after the due date itself triggers.
    assert not rules.renewal_is_late(due, due + timedelta(days=29), SETTINGS)
    assert rules.renewal_is_late(due, due + timedelta(days=30), SETTINGS)
    assert rules.renewal_is_late(due, due + timedelta(days=31), SETTINGS)
    assert not rules.renewal_is_late(due, due + timedelta(days=90), SETTINGS, renewed_on=due)
    assert rules.next_round_date(date(2025, 1, 1), SETTINGS) == date(2025, 7, 1)


@given(st.integers(-400, 400))
def test_late_exactly_from_day_30(days):
    due = date(2025, 6, 1)
    assert rules.renewal_is_late(due, due + timedelta(days=days), SETTINGS) == (days >= 30)


@given(st.integers(1, 120), st.integers(-5, 200))
def test_lateness_follows_the_tenant_setting(allowed, days):
    due = date(2025, 6, 1)
    settings = {**SETTINGS, "late_renewal_days": allowed}
    assert rules.renewal_is_late(due, due + timedelta(days=days), settings) == (days >= allowed)


# --------------------------------------------------------------------------- automatic exclusion rules


def facts(**kw) -> rules.HouseholdFacts:
    return rules.HouseholdFacts(file_id=1, category="family", head_name="رب الأسرة", **kw)


def test_workers_rule():
    assert rules.rule_workers(facts(sponsored_workers=2), SETTINGS, tenant_today(), []) == []
    found = rules.rule_workers(facts(sponsored_workers=3), SETTINGS, tenant_today(), [])
    assert found[0].reason == "workers" and found[0].evidence == {"sponsored_workers": 3, "allowed": 2}


def test_moved_away_rule():
    area = ["مكة المكرمة"]
    assert rules.rule_moved_away(facts(head_city="مكة المكرمة"), SETTINGS, tenant_today(), area) == []
    found = rules.rule_moved_away(facts(head_city="الرياض"), SETTINGS, tenant_today(), area)
    assert found[0].reason == "moved_away" and found[0].evidence["city"] == "الرياض"


def test_late_renewal_rule():
    due = date(2025, 1, 31)
    # "late by 30 days": day 30 after the due date itself proposes the exclusion.
    assert rules.rule_late_renewal(facts(renewal_due_on=due), SETTINGS, due + timedelta(days=29), []) == []
    for days in (30, 31):
        found = rules.rule_late_renewal(facts(renewal_due_on=due), SETTINGS, due + timedelta(days=days), [])
        assert found[0].reason == "late_renewal" and found[0].evidence["days_late"] == days


def test_male_over_18_boundary_and_studying():
    today = date(2025, 6, 15)
    born = date(2007, 6, 15)  # 18 today: not yet "over 18"
    son = rules.MemberFacts(7, "ابن", "son", "male", born, studying=False)
    assert rules.rule_male_over_18(facts(members=(son,)), SETTINGS, today, []) == []
    found = rules.rule_male_over_18(facts(members=(son,)), SETTINGS, today + timedelta(days=1), [])
    assert (found[0].reason, found[0].scope, found[0].member_id) == ("male_over_18", "member", 7)
    student = rules.MemberFacts(7, "ابن", "son", "male", born, studying=True)
    assert rules.rule_male_over_18(facts(members=(student,)), SETTINGS, today + timedelta(days=1), []) == []
    # The beneficiary himself (an orphan who grew up): file-level.
    orphan = rules.HouseholdFacts(2, "orphan", "يتيم", head_gender="male", head_birth_date=born)
    assert rules.rule_male_over_18(orphan, SETTINGS, today + timedelta(days=1), [])[0].scope == "file"


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2020, 12, 31)), st.integers(-3, 3))
def test_over_18_is_strictly_after_the_birthday(born, offset):
    birthday = rules.anniversary(born, 18)
    assert rules.older_than(born, 18, birthday + timedelta(days=offset)) == (offset > 0)


def test_girl_married_rule():
    daughter = rules.MemberFacts(9, "ابنة", "daughter", "female", marital_status="married")
    found = rules.rule_girl_married(facts(members=(daughter,)), SETTINGS, tenant_today(), [])
    assert (found[0].reason, found[0].scope, found[0].member_id) == ("girl_married", "member", 9)
    single = rules.MemberFacts(9, "ابنة", "daughter", "female", marital_status="single")
    assert rules.rule_girl_married(facts(members=(single,)), SETTINGS, tenant_today(), []) == []
    herself = rules.HouseholdFacts(
        3, "unmarried_woman", "عزباء", head_gender="female", head_marital_status="married"
    )
    assert rules.rule_girl_married(herself, SETTINGS, tenant_today(), [])[0].scope == "file"


# --------------------------------------------------------------------------- mandatory data

NAME = "نورة محمد عبدالله السبيعي"
COMPLETE = {
    "nationality": "سعودية",
    "id_number": "1000000008",
    "id_expiry": "2030-01-01",
    "current_job": "لا تعمل",
    "monthly_income_halalas": 0,
    "dependents_count": 1,
    "dependents": [{"name": "سارة", "relationship": "daughter", "job": "", "monthly_income_halalas": 0}],
    "housing": "rented",
    "annual_rent_halalas": 1_500_000,
}
DOCS = {"id_copy", "lease"}


def test_complete_application_has_no_missing_field():
    assert (
        rules.missing_fields(
            COMPLETE, catalog_item_id=1, documents=DOCS, today=date(2025, 1, 1), applicant_name=NAME
        )
        == {}
    )


def test_one_problem_per_missing_field():
    problems = rules.missing_fields({}, catalog_item_id=None, documents=set(), today=date(2025, 1, 1))
    assert set(problems) == {
        "applicant_name",
        "nationality",
        "id_number",
        "id_expiry",
        "current_job",
        "monthly_income_halalas",
        "catalog_item_id",
        "dependents_count",
        "housing",
        "documents.id_copy",
    }
    assert {k: v for k, v in problems.items() if k != "documents.id_copy"} == dict.fromkeys(
        set(problems) - {"documents.id_copy"}, "missing"
    )
    assert problems["documents.id_copy"] == "file"


def test_expired_id_attachments_and_lists():
    today = date(2025, 1, 2)

    def missing(data, documents=DOCS, name=NAME):
        return rules.missing_fields(
            data, catalog_item_id=1, documents=documents, today=today, applicant_name=name
        )

    assert missing({**COMPLETE, "id_expiry": "2025-01-01"}) == {"id_expiry": "expired"}
    assert missing({**COMPLETE, "id_expiry": "2025-01-02"}) == {}
    assert missing(COMPLETE, documents={"id_copy"}) == {"documents.lease": "file"}
    assert missing(COMPLETE, documents={"lease", "other"}) == {"documents.id_copy": "file"}
    assert missing({**COMPLETE, "national_address_code": "RRRD2929"}) == {
        "documents.national_address": "file"
    }
    assert missing(COMPLETE, name="نورة محمد") == {"applicant_name": "four_parts"}
    # data kept before the name moved to the request's own field still counts
    assert missing({**COMPLETE, "four_part_name": NAME}, name="نورة") == {}
    assert missing({**COMPLETE, "dependents_count": 2}) == {"dependents": "count"}
    aid = {
        **COMPLETE,
        "received_aid_before": True,
        "previous_aid": [{"aid_type": "سلة", "amount_halalas": None}],
    }
    assert missing(aid) == {"previous_aid": "previous_aid"}
    owned = {**COMPLETE, "housing": "owned", "annual_rent_halalas": None}
    assert missing(owned, documents={"id_copy", "ownership_deed"}) == {}
    assert missing(owned) == {"documents.ownership_deed": "file"}


# --------------------------------------------------------------------------- settings validation


def test_defaults_are_the_seed_values():
    assert SETTINGS["min_gap_halalas"] == 500_000
    assert [(b["code"], b["up_to_halalas"], b["ceiling_halalas"]) for b in SETTINGS["bands"]] == [
        ("A", 1_000_000, 1_000_000),
        ("B", 2_000_000, 1_500_000),
        ("C", None, 1_800_000),
    ]
    assert SETTINGS["renewal_interval_months"] == 6 and SETTINGS["late_renewal_days"] == 30
    assert SETTINGS["max_sponsored_workers"] == 2
    assert {r["code"] for r in SETTINGS["exclusion_reasons"]} == {
        "improved", "owner_request", "assets", "late_renewal", "girl_married", "male_over_18",
        "refused_job", "death", "fraud", "assault", "moved_away", "workers",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"unknown": 1}, "unknown"),
        ({"min_gap_halalas": -1}, "min_gap_halalas"),
        (
            {
                "bands": [
                    {
                        "code": "A",
                        "label_ar": "أ",
                        "label_en": "A",
                        "up_to_halalas": None,
                        "ceiling_halalas": 1,
                    },
                    {"code": "B", "label_ar": "ب", "label_en": "B", "up_to_halalas": 5, "ceiling_halalas": 1},
                ]
            },
            "bands",
        ),
        (
            {
                "bands": [
                    {
                        "code": "A",
                        "label_ar": "أ",
                        "label_en": "A",
                        "up_to_halalas": 2_000_000,
                        "ceiling_halalas": 1,
                    },
                    {
                        "code": "B",
                        "label_ar": "ب",
                        "label_en": "B",
                        "up_to_halalas": 1_000_000,
                        "ceiling_halalas": 1,
                    },
                    {
                        "code": "C",
                        "label_ar": "ج",
                        "label_en": "C",
                        "up_to_halalas": None,
                        "ceiling_halalas": 1,
                    },
                ]
            },
            "bands",
        ),
        (
            {"ladder": [{"code": "x1", "label_ar": "س", "label_en": "x", "sanctions": [{"kind": "timed"}]}]},
            "ladder",
        ),
        ({"exclusion_reasons": []}, "exclusion_reasons"),
        ({"late_renewal_days": "many"}, "late_renewal_days"),
    ],
)
def test_bad_settings_are_refused(bad, field):
    with pytest.raises(ValidationError) as info:
        SettingsSchema().load(bad)
    assert field in info.value.messages
