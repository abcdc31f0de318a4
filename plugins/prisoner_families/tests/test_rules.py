"""The plugin's rules as plain functions, with their boundaries (hypothesis)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugins.prisoner_families import rules
from plugins.prisoner_families.settings import CATALOG_CODES

amounts = st.integers(min_value=0, max_value=10**12)


@given(
    claimed=st.integers(min_value=1, max_value=10**12),
    shares=st.lists(st.tuples(st.sampled_from(list(rules.ENTRY_FIELDS)), amounts), max_size=12),
)
def test_settle_never_goes_negative_nor_beyond_the_claim(claimed, shares):
    totals = rules.DebtTotals(claimed=claimed)
    for kind, amount in shares:
        try:
            new = rules.settle(totals, kind, amount)
        except rules.SettlementRefused as refused:
            assert refused.code in {"amount_not_positive", "exceeds_remaining"}
            assert amount <= 0 or amount > totals.remaining
            continue
        assert new.settled == totals.settled + amount
        totals = new
        assert 0 <= totals.remaining <= claimed
        assert min(totals.forgiven, totals.paid_by_association, totals.paid_by_others) >= 0


@given(claimed=st.integers(min_value=1, max_value=10**9))
def test_settle_boundary_exactly_the_remainder_passes_one_more_halala_fails(claimed):
    assert rules.settle(rules.DebtTotals(claimed), "other_payment", claimed).remaining == 0
    with pytest.raises(rules.SettlementRefused) as caught:
        rules.settle(rules.DebtTotals(claimed), "forgiveness", claimed + 1)
    assert caught.value.code == "exceeds_remaining"


def test_settle_refuses_zero_closed_and_unknown():
    for kwargs, code in (
        ({"kind": "forgiveness", "amount": 0}, "amount_not_positive"),
        ({"kind": "forgiveness", "amount": -5}, "amount_not_positive"),
        ({"kind": "gift", "amount": 5}, "unknown_kind"),
    ):
        with pytest.raises(rules.SettlementRefused) as caught:
            rules.settle(rules.DebtTotals(100), **kwargs)
        assert caught.value.code == code
    with pytest.raises(rules.SettlementRefused) as caught:
        rules.settle(rules.DebtTotals(100), "forgiveness", 5, closed=True)
    assert caught.value.code == "case_closed"


def test_may_close_needs_nothing_remaining_and_the_release():
    assert rules.may_close(0, True)
    assert not rules.may_close(1, True)
    assert not rules.may_close(0, False)


@given(
    held=st.integers(min_value=0, max_value=200),
    percent=st.integers(min_value=0, max_value=100),
    data=st.data(),
)
def test_completion_is_the_exact_minimum_share(held, percent, data):
    present = data.draw(st.integers(min_value=0, max_value=held))
    done = rules.completed(present, held, percent)
    if held == 0:
        assert not done
    else:
        assert done == (present / held * 100 >= percent - 1e-9)


def test_completion_boundaries():
    assert rules.completed(3, 4, 75)
    assert not rules.completed(2, 4, 75)
    assert rules.completed(4, 5, 80) and not rules.completed(3, 5, 80)
    assert rules.attendance_percent(2, 3) == 66.7
    assert rules.attendance_percent(0, 0) is None


def test_interview_only_matters_when_required():
    assert rules.interview_ok(False, None)
    assert rules.interview_ok(True, "passed")
    assert not rules.interview_ok(True, "pending")
    assert not rules.interview_ok(True, "failed")


@given(
    released=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    months=st.lists(st.integers(min_value=1, max_value=120), min_size=1, max_size=5),
)
def test_follow_ups_fall_the_set_months_after_release(released, months):
    schedule = rules.follow_up_schedule(released, months)
    assert [m for m, _ in schedule] == sorted(set(months))
    for m, due in schedule:
        assert due > released
        assert (due.year - released.year) * 12 + due.month - released.month == m
        assert due.day <= released.day


def test_follow_ups_at_month_ends():
    assert rules.follow_up_schedule(date(2025, 8, 31), [6, 12]) == [
        (6, date(2026, 2, 28)),
        (12, date(2026, 8, 31)),
    ]


@given(st.lists(st.booleans(), max_size=50))
def test_did_not_return_share(outcomes):
    share = rules.did_not_return_percent(outcomes)
    if not outcomes:
        assert share is None
    else:
        assert 0 <= share <= 100
        assert share == round(100 * outcomes.count(False) / len(outcomes), 1)


def facts(**kw):
    base = {
        "relation": "prisoner_family",
        "city": "القريات",
        "id_type": "citizen",
        "id_expired": False,
        "file_status": "active",
        "enrolled": False,
    }
    return rules.EligibilityFacts(**{**base, **kw})


def _outcomes(f, area=("القريات",)):
    return {o.code: o for o in rules.eligibility(f, list(area))}


def test_eligibility_all_three_pass():
    result = _outcomes(facts())
    assert [o.passed for o in result.values()] == [True, True, True]
    assert result["scope"].figures["service_area"] == ["القريات"]


@pytest.mark.parametrize(
    "change, code, reason",
    [
        ({"relation": None}, "scope", "not_in_scope"),
        ({"city": "الرياض"}, "scope", "outside_area"),
        ({"id_type": None}, "residency", "no_id"),
        ({"id_expired": True}, "residency", "id_expired"),
        ({"file_status": None}, "registered", "no_file"),
        ({"file_status": "suspended"}, "registered", "file_not_active"),
    ],
)
def test_eligibility_each_condition_fails_with_its_reason(change, code, reason):
    outcome = _outcomes(facts(**change))[code]
    assert not outcome.passed and outcome.reason == reason


def test_eligibility_resident_and_program_participant_pass():
    result = _outcomes(
        facts(id_type="resident", relation="released_prisoner", file_status=None, enrolled=True)
    )
    assert result["residency"].passed and result["residency"].reason == "resident"
    assert result["registered"].passed


def test_eligibility_without_service_area_fails_scope():
    assert _outcomes(facts(), area=())["scope"].reason == "no_service_area"


def test_city_comparison_ignores_spacing():
    assert _outcomes(facts(city="  القريات "))["scope"].passed


def test_service_area_falls_back_to_the_tenant():
    assert rules.service_area([], ["الأحساء"]) == ["الأحساء"]
    assert rules.service_area(["القريات", " "], ["الأحساء"]) == ["القريات"]


def test_catalog_has_the_seed_programs_with_units_and_applies_overrides():
    items = {i["code"]: i for i in rules.effective_catalog({})}
    assert set(items) == set(CATALOG_CODES)
    assert len(items) == 15  # the 14 programs of seed 000 and ma'ouna (goal 4)
    assert items["rent_support"]["unit"] == "family"
    assert items["marriage_support"]["unit"] == "individual"
    assert items["relief_of_distress"]["unit"] == "individual"
    changed = {
        i["code"]: i
        for i in rules.effective_catalog(
            {
                "marriage_support": {"enabled": False},
                "eid_joy": {"name_ar": "فرحة", "default_value_halalas": 5000},
            }
        )
    }
    assert "marriage_support" not in changed
    assert changed["eid_joy"]["name_ar"] == "فرحة" and changed["eid_joy"]["default_value_halalas"] == 5000
