"""Fixtures of the plugin's tests: the shared ones (tests/fixtures.py through the root
conftest), the request factories, and prisoner families ready to use."""

from __future__ import annotations

from datetime import date

import pytest

from core.toolkit import check_digit_for, create_household, db, find_by_national_id, tenant_context
from plugins.prisoner_families import services as pf

PID = "prisoner_families"
QURAYYAT = "القريات"


def national_id(tenant_id: int, index: int, prefix: str = "1") -> str:
    base = f"{prefix}{(tenant_id * 10000 + 5000 + index) % 10**8:08d}"
    return base + check_digit_for(base)


def make_family(tenant, index: int, *, city: str = QURAYYAT, prefix: str = "1", id_expiry=date(2031, 1, 1)):
    """A household headed by the wife, with the husband (the future prisoner) as a member."""
    with tenant_context(tenant):
        household = create_household(
            {
                "head": {
                    "first_name": "نورة",
                    "father_name": "سعد",
                    "family_name": f"الشمري{index}",
                    "national_id": national_id(tenant.id, index * 2, prefix),
                    "id_expiry": id_expiry,
                    "gender": "female",
                    "city": city,
                },
                "housing_tenure": "owned",
                "category": "family",
                "members": [
                    {
                        "person": {
                            "first_name": "فهد",
                            "father_name": "عبدالله",
                            "family_name": f"الشمري{index}",
                            "national_id": national_id(tenant.id, index * 2 + 1, prefix),
                            "gender": "male",
                            "city": city,
                        },
                        "relationship_": "spouse",
                        "resides_with_head": False,
                    }
                ],
            }
        )
        person = find_by_national_id(national_id(tenant.id, index * 2 + 1, prefix))
        db.session.commit()
        return household.id, person.id


@pytest.fixture
def enabled(tenant, enable_plugin):
    enable_plugin(tenant, PID, {"service_area": [QURAYYAT]})
    return tenant


@pytest.fixture
def prisoner_factory(enabled):
    counter = {"n": 0}

    def make(
        *, case_type="private_right", insolvent=True, status="in_prison", released_on=None, link=True, **kw
    ):
        counter["n"] += 1
        household_id, person_id = make_family(enabled, counter["n"], **kw)
        with tenant_context(enabled):
            prisoner = pf.create_prisoner(
                {
                    "person_id": person_id,
                    "facility": "سجن القريات العام",
                    "case_type": case_type,
                    "insolvent": insolvent,
                    "imprisoned_on": date(2024, 1, 10),
                    "expected_release_on": date(2026, 1, 10),
                    "status": status,
                    "released_on": released_on,
                }
            )
            if link:
                pf.link_family(prisoner, {"household_id": household_id})
            db.session.commit()
            return prisoner.id, household_id, person_id

    return make


@pytest.fixture
def case_factory(enabled, prisoner_factory):
    def make(claimed: int = 1_000_000, **kw):
        prisoner_id, household_id, person_id = prisoner_factory(**kw)
        with tenant_context(enabled):
            case = pf.create_case(
                {"prisoner_id": prisoner_id, "creditor": "مؤسسة التقسيط", "claimed_halalas": claimed}
            )
            db.session.commit()
            return case.id, prisoner_id

    return make
