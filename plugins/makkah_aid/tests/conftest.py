"""The plugin enabled for the first tenant, and households with an active file."""

from __future__ import annotations

import pytest

from core.toolkit import (
    BeneficiaryFile,
    create_household,
    db,
    install_default_catalog,
    tenant_context,
)
from core.toolkit import change_file_status as change_status

from .helpers import national_id


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
        change_status(file, {"status": "active", "reason": "opened"})
        db.session.commit()
        return file

    return make
