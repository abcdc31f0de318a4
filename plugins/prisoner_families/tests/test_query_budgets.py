"""No N+1 in the prisoner families plugin: its lists send as many queries for 100 prisoners as
for 10, a prisoner's page and a debt case's as many for 12 families and entries as for 2
(``max_queries``, ``page_budget``; ``QUERY_FIGURES=<file>`` notes each figure)."""

from __future__ import annotations

from datetime import date

import pytest

from core.toolkit import Household, create_household, db, tenant_context
from plugins.prisoner_families import services as pf
from plugins.prisoner_families.models import Placement, Prisoner

from .conftest import make_family

ROWS = [10, 100]


@pytest.fixture
def prisoners(enabled, case_factory):
    """``prisoners(n)``: ``n`` released prisoners, each with a debt case, enrolled in one program
    (so each has follow-ups) and his family placed once; the program's id."""

    def make(n: int) -> int:
        made = [case_factory() for _ in range(n)]
        with tenant_context(enabled):
            program = pf.create_program({"code": "new_life", "name_ar": "حياة جديدة", "name_en": "New Life"})
            pf.add_session(program, {"held_on": date(2025, 1, 1)})
            for _case_id, prisoner_id in made:
                prisoner = db.session.get(Prisoner, prisoner_id)
                pf.record_release(prisoner, date(2025, 6, 1))
                pf.enrol(program, {"prisoner_id": prisoner_id})
                link = pf.family_links(prisoner)[0]
                db.session.add(
                    Placement(household_id=link.household_id, kind="exhibition", placed_on=date(2025, 7, 1))
                )
            db.session.commit()
            return program.id

    return make


PAGES = {
    "prisoners list": ("/t/first/prisoner_families/", 14),
    "debt cases": ("/t/first/prisoner_families/debt-cases", 14),
    "programs": ("/t/first/prisoner_families/programs", 12),
    "program and its enrolments": ("/t/first/prisoner_families/programs/{program}", 16),
    "follow-ups": ("/t/first/prisoner_families/follow-ups", 12),
    "self-reliance (placements)": ("/t/first/prisoner_families/self-reliance", 12),
    "API prisoners": ("/t/first/api/v1/prisoner_families/prisoners", 10),
    "API debt cases": ("/t/first/api/v1/prisoner_families/debt-cases", 10),
    "API programs": ("/t/first/api/v1/prisoner_families/programs", 10),
    "API program enrolments": ("/t/first/api/v1/prisoner_families/programs/{program}/enrolments", 10),
    "API follow-ups": ("/t/first/api/v1/prisoner_families/follow-ups", 10),
    "API placements": ("/t/first/api/v1/prisoner_families/placements", 10),
}


@pytest.mark.parametrize("rows", ROWS)
def test_prisoner_lists_keep_their_budget_at_any_size(
    rows, prisoners, staff, token_for, login, client, page_budget
):
    program_id = prisoners(rows)
    headers = token_for(staff["tenant_admin"])
    for page, (template, budget) in PAGES.items():
        url = template.format(program=program_id)
        if "/api/" in url:
            page_budget(page, rows, budget, lambda url=url: client.get(url, headers=headers))
    login(staff["tenant_admin"])
    for page, (template, budget) in PAGES.items():
        url = template.format(program=program_id)
        if "/api/" not in url:
            page_budget(page, rows, budget, lambda url=url: client.get(url))


def test_linked_households_assessed_together_as_one_by_one(enabled, prisoner_factory):
    """``assess_households`` gives each household what ``assess`` gives it alone: a prisoner's
    family, a released prisoner heading his own household (enrolled or not), no relation at all."""

    family = [prisoner_factory()[1] for _ in range(2)]
    _, own_household, _ = prisoner_factory(link=False, status="released", released_on=date(2025, 5, 1))
    with tenant_context(enabled):
        stranger = create_household(
            {
                "head": {
                    "first_name": "سالم",
                    "father_name": "علي",
                    "family_name": "العنزي",
                    "national_id": "1" + "0" * 8 + "1",
                    "gender": "male",
                    "city": "طريف",
                },
                "housing_tenure": "owned",
                "category": "family",
                "members": [],
            }
        ).id
        db.session.commit()
        households = [db.session.get(Household, i) for i in (*family, own_household, stranger)]
        together = pf.assess_households(households)
        assert together == {h.id: pf.assess(h) for h in households}


@pytest.fixture
def busy_prisoner(enabled, prisoner_factory):
    """``busy_prisoner(n)``: an insolvent prisoner with ``n`` more families linked and a debt
    case with ``n`` negotiations and ``n`` payments by others; (prisoner id, case id)."""

    def make(n: int) -> tuple[int, int]:
        prisoner_id, _household_id, _person_id = prisoner_factory()
        families = [make_family(enabled, 500 + 20 * n + i)[0] for i in range(n)]
        with tenant_context(enabled):
            prisoner = db.session.get(Prisoner, prisoner_id)
            for household_id in families:
                pf.link_family(prisoner, {"household_id": household_id})
            case = pf.create_case(
                {"prisoner_id": prisoner_id, "creditor": "دائن", "claimed_halalas": 10_000_000}
            )
            for i in range(n):
                pf.add_negotiation(
                    case.id, {"attempted_on": date(2025, 1, 1 + i), "by_whom": "الباحث", "outcome": "pending"}
                )
                pf.add_entry(case.id, "other_payment", 1000, payer="محسن")
            db.session.commit()
            return prisoner_id, case.id

    return make


DETAIL_PAGES = {
    "prisoner and his families": ("/t/first/prisoner_families/prisoners/{prisoner}", 18),
    "debt case and its log": ("/t/first/prisoner_families/debt-cases/{case}", 8),
    "API prisoner's families": ("/t/first/api/v1/prisoner_families/prisoners/{prisoner}/families", 8),
    "API debt case and its log": ("/t/first/api/v1/prisoner_families/debt-cases/{case}", 9),
}


@pytest.mark.parametrize("rows", [2, 12])
def test_a_prisoner_and_a_debt_case_keep_their_budget_whatever_their_size(
    rows, busy_prisoner, staff, token_for, login, client, page_budget
):
    prisoner_id, case_id = busy_prisoner(rows)
    headers = token_for(staff["tenant_admin"])
    for page, (template, budget) in DETAIL_PAGES.items():
        url = template.format(prisoner=prisoner_id, case=case_id)
        if "/api/" in url:
            page_budget(page, rows, budget, lambda url=url: client.get(url, headers=headers))
    login(staff["tenant_admin"])
    for page, (template, budget) in DETAIL_PAGES.items():
        url = template.format(prisoner=prisoner_id, case=case_id)
        if "/api/" not in url:
            page_budget(page, rows, budget, lambda url=url: client.get(url))
