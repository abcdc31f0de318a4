"""No N+1 in the prisoner families plugin: its lists send as many queries for 100 prisoners as
for 10 (``max_queries``, ``page_budget``; ``QUERY_FIGURES=<file>`` notes each figure)."""

from __future__ import annotations

from datetime import date

import pytest

from core.toolkit import Household, create_household, db, tenant_context
from plugins.prisoner_families import services as pf
from plugins.prisoner_families.models import Placement, Prisoner

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
