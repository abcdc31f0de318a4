"""A handful of households with members for every tenant (idempotent)."""

from __future__ import annotations

from datetime import date

from ..extensions import db
from ..tenancy import Tenant
from .ids import check_digit_for
from .services import create_household, find_by_national_id

FAMILIES = [
    # (first, father, grandfather, family, city, job, income SAR, tenure, rent SAR, members)
    (
        "محمد",
        "عبدالله",
        "سعد",
        "الغامدي",
        "مكة المكرمة",
        "حارس أمن",
        3200,
        "rented",
        18000,
        [("فاطمة", "spouse", "female"), ("عبدالرحمن", "son", "male"), ("نورة", "daughter", "female")],
    ),
    (
        "عائشة",
        "أحمد",
        "علي",
        "الحربي",
        "مكة المكرمة",
        "لا تعمل",
        0,
        "rented",
        15000,
        [("خالد", "son", "male"), ("سارة", "daughter", "female")],
    ),
    ("إبراهيم", "يوسف", "حسن", "الزهراني", "جدة", "متقاعد", 2500, "owned", 0, [("مريم", "spouse", "female")]),
    ("هند", "صالح", "محمد", "القحطاني", "الطائف", "معلمة متعاقدة", 4000, "rented", 12000, []),
    (
        "عبدالعزيز",
        "ناصر",
        "فهد",
        "العتيبي",
        "مكة المكرمة",
        "عامل يومي",
        1800,
        "rented",
        14000,
        [
            ("منيرة", "spouse", "female"),
            ("فيصل", "son", "male"),
            ("ريم", "daughter", "female"),
            ("تركي", "son", "male"),
        ],
    ),
]


def demo_id(tenant_id: int, index: int) -> str:
    base = f"1{(tenant_id * 1000 + index) % 10**8:08d}"
    return base + check_digit_for(base)


def load(tenant: Tenant) -> None:
    for index, (first, father, grand, family, city, job, income, tenure, rent, members) in enumerate(
        FAMILIES
    ):
        number = demo_id(tenant.id, index)
        if find_by_national_id(number) is not None:
            continue
        create_household(
            {
                "head": {
                    "first_name": first,
                    "father_name": father,
                    "grandfather_name": grand,
                    "family_name": family,
                    "national_id": number,
                    "id_expiry": date(2030, 1, 1),
                    "nationality": "SA",
                    "gender": "female" if first in ("عائشة", "هند") else "male",
                    "city": city,
                    "job": job,
                    "monthly_income": income * 100,
                    "phone": f"+9665{(tenant.id * 10 + index) % 10**8:08d}",
                },
                "housing_tenure": tenure,
                "annual_rent": rent * 100,
                "category": "family",
                "members": [
                    {
                        "person": {
                            "first_name": name,
                            "father_name": first if rel in ("son", "daughter") else "",
                            "family_name": family,
                            "gender": gender,
                        },
                        "relationship_": rel,
                        "resides_with_head": True,
                        "studying": rel in ("son", "daughter"),
                    }
                    for name, rel, gender in members
                ],
            }
        )
    db.session.flush()
