"""Demo data for a tenant that enables the plugin (idempotent): three prisoners and their
families, an open and a closed debt case, a program with sessions, attendance and follow-ups,
a canteen placement and an employment."""

from __future__ import annotations

from datetime import date

from core.toolkit import (
    BeneficiaryFile,
    Tenant,
    change_file_status,
    check_digit_for,
    create_household,
    db,
    find_by_national_id,
    install_default_catalog,
)

from . import rules, services
from .models import FollowUp, Prisoner

# (wife: first, father, grandfather; prisoner: first, father, grandfather; family name; children)
FAMILIES = [
    (("نورة", "سعد", "محمد"), ("فهد", "عبدالله", "ناصر"), "الشمري", [("عبدالله", "son", "male"), ("ريم", "daughter", "female")]),
    (("مريم", "خالد", "علي"), ("سلطان", "حمد", "سالم"), "العنزي", [("لمى", "daughter", "female")]),
    (("هيا", "عبدالرحمن", "فهد"), ("ماجد", "مطلق", "عايد"), "الرويلي", [("تركي", "son", "male"), ("سارة", "daughter", "female")]),
]  # fmt: skip


def demo_id(tenant_id: int, index: int) -> str:
    base = f"1{(tenant_id * 1000 + 700 + index) % 10**8:08d}"
    return base + check_digit_for(base)


def _city(tenant: Tenant) -> str:
    area = rules.service_area(services.settings()["service_area"], tenant.service_area or [])
    return area[0] if area else (tenant.city or "")


def _family(tenant: Tenant, index: int):
    """The household headed by the prisoner's wife, the prisoner listed as a member living away."""
    wife, prisoner, family, children = FAMILIES[index]
    city = _city(tenant)
    household = create_household(
        {
            "head": {
                "first_name": wife[0], "father_name": wife[1], "grandfather_name": wife[2], "family_name": family,
                "national_id": demo_id(tenant.id, index * 2), "id_expiry": date(2031, 1, 1), "nationality": "SA",
                "gender": "female", "city": city, "job": "ربة منزل", "monthly_income": 0,
            },
            "housing_tenure": "rented",
            "annual_rent": 1_400_000,
            "category": "prisoner_family",
            "members": [
                {
                    "person": {
                        "first_name": prisoner[0], "father_name": prisoner[1], "grandfather_name": prisoner[2],
                        "family_name": family, "national_id": demo_id(tenant.id, index * 2 + 1),
                        "id_expiry": date(2031, 1, 1), "nationality": "SA", "gender": "male", "city": city,
                    },
                    "relationship_": "spouse",
                    "resides_with_head": False,
                },
                *[
                    {
                        "person": {"first_name": name, "father_name": prisoner[0], "family_name": family, "gender": g},
                        "relationship_": rel,
                        "studying": True,
                    }
                    for name, rel, g in children
                ],
            ],
        }
    )  # fmt: skip
    file = db.session.scalars(
        db.select(BeneficiaryFile).where(BeneficiaryFile.household_id == household.id)
    ).one()
    change_file_status(file, {"status": "active", "reason": "بيانات تجريبية"})
    prisoner_person = find_by_national_id(demo_id(tenant.id, index * 2 + 1))
    return household, prisoner_person


def load(tenant: Tenant) -> None:
    install_default_catalog(tenant)
    if db.session.scalars(db.select(Prisoner.id)).first() is not None:
        return
    services.install_default_programs()
    facility = f"سجن {_city(tenant)} العام"

    # 1. In prison for a debt: an open case, one negotiation that forgave part, a benefactor's payment.
    household, person = _family(tenant, 0)
    first = services.create_prisoner(
        {"person_id": person.id, "facility": facility, "case_type": "private_right", "insolvent": True,
         "imprisoned_on": date(2025, 2, 10), "expected_release_on": date(2026, 8, 10), "status": "in_prison"}
    )  # fmt: skip
    services.link_family(first, {"household_id": household.id, "linked_on": date(2025, 3, 1)})
    open_case = services.create_case(
        {"prisoner_id": first.id, "creditor": "مؤسسة النخبة للتقسيط", "court_reference": "4470123",
         "claimed_halalas": 4_500_000, "opened_on": date(2025, 3, 5)}
    )  # fmt: skip
    services.add_negotiation(
        open_case.id,
        {"attempted_on": date(2025, 4, 2), "by_whom": "لجنة إصلاح ذات البين", "outcome": "forgave_part",
         "forgiven_halalas": 1_000_000, "notes": "تنازل الدائن عن جزء من المبلغ"},
    )  # fmt: skip
    services.add_entry(open_case.id, "other_payment", 500_000, entry_date=date(2025, 5, 1), payer="فاعل خير")

    # 2. Released after his debt was settled: a closed case.
    household, person = _family(tenant, 1)
    second = services.create_prisoner(
        {"person_id": person.id, "facility": facility, "case_type": "private_right", "insolvent": True,
         "imprisoned_on": date(2024, 6, 1), "expected_release_on": date(2025, 6, 1), "status": "in_prison"}
    )  # fmt: skip
    services.link_family(second, {"household_id": household.id, "linked_on": date(2024, 7, 1)})
    closed_case = services.create_case(
        {"prisoner_id": second.id, "creditor": "عبدالله محمد السالم", "court_reference": "4460987",
         "claimed_halalas": 2_000_000, "opened_on": date(2024, 7, 10)}
    )  # fmt: skip
    services.add_negotiation(
        closed_case.id,
        {"attempted_on": date(2024, 9, 1), "by_whom": "مدير الجمعية", "outcome": "forgave_part",
         "forgiven_halalas": 800_000},
    )  # fmt: skip
    services.add_entry(
        closed_case.id, "other_payment", 1_200_000, entry_date=date(2024, 12, 1), payer="أقارب السجين"
    )
    services.record_release(second, date(2025, 1, 15))

    # 3. A public-right prisoner, released, who took part in New Life: attendance and follow-ups.
    household, person = _family(tenant, 2)
    third = services.create_prisoner(
        {"person_id": person.id, "facility": facility, "case_type": "public_right", "insolvent": False,
         "imprisoned_on": date(2023, 1, 20), "expected_release_on": date(2025, 3, 1), "status": "in_prison"}
    )  # fmt: skip
    services.link_family(third, {"household_id": household.id, "linked_on": date(2023, 2, 1)})
    program = next(p for p in services.list_programs() if p.code == "new_life")
    participants = []
    for prisoner in (third, first):
        enrolment = services.enrol(program, {"prisoner_id": prisoner.id, "enrolled_on": date(2024, 10, 1)})
        services.record_interview(enrolment, {"outcome": "passed", "interview_on": date(2024, 10, 5)})
        participants.append(enrolment)
    for day, topic, present in (
        (date(2024, 10, 15), "بداية جديدة", (True, True)),
        (date(2024, 11, 15), "إدارة الذات", (True, False)),
        (date(2024, 12, 15), "العودة إلى المجتمع", (True, True)),
    ):
        session = services.add_session(program, {"held_on": day, "topic": topic})
        services.record_attendance(
            session,
            [{"enrolment_id": e.id, "present": p} for e, p in zip(participants, present, strict=True)],
        )
    services.record_release(third, date(2025, 3, 1))
    first_follow_up = db.session.scalars(
        db.select(FollowUp).where(FollowUp.prisoner_id == third.id).order_by(FollowUp.months_after)
    ).first()
    services.record_follow_up(
        first_follow_up, {"done_on": date(2025, 9, 3), "returned_to_crime": False, "notes": "ملتزم بعمله"}
    )

    # Self-reliance: the second family in a school canteen; the second prisoner employed.
    services.add_placement(
        {"household_id": household.id, "kind": "school_canteen", "venue": "مقصف الابتدائية الأولى",
         "placed_on": date(2025, 9, 1)}
    )  # fmt: skip
    services.add_employment(
        {"person_id": second.person_id, "employer": "مصنع التمور الحديث", "job_title": "مشرف مستودع",
         "referred_on": date(2025, 2, 1), "employed_on": date(2025, 3, 1)}
    )  # fmt: skip
    db.session.flush()
