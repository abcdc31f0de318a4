"""Demo data for the Makkah association: households across the bands, one suspended by the
violations ladder, one with a proposed exclusion, one with a documented circumstance whose
dialysis is delivered by a contracted provider (idempotent)."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfWriter

from core.toolkit import (
    BeneficiaryFile,
    CatalogItem,
    approve_request,
    change_file_status,
    check_digit_for,
    create_household,
    db,
    disburse_request,
    find_by_national_id,
    install_default_catalog,
    today,
    upload_document,
    users_with_role,
    walk_demo_request,
)

from . import services

# (first, father, grandfather, family, gender, monthly income SAR, members, needs SAR/year, workers)
HOUSEHOLDS = [
    # Gap 8,000 → band A.
    (
        "سعيد",
        "عمر",
        "حامد",
        "المالكي",
        "male",
        4000,
        [("أمل", "spouse", "female", 500, True)],
        (32000, 6000, 18000, 6000),
        0,
    ),
    # Gap 15,000 → band B.
    (
        "خديجة",
        "حسن",
        "عبدالله",
        "الشهري",
        "female",
        3000,
        [("ياسر", "son", "male", 0, True), ("لمى", "daughter", "female", 0, True)],
        (30000, 5000, 16000, 0),
        0,
    ),
    # Gap 30,000 → band C; the eldest son lives away: his income does not count.
    (
        "عبدالله",
        "محمد",
        "سالم",
        "الثبيتي",
        "male",
        2500,
        [("منى", "spouse", "female", 0, True), ("بندر", "son", "male", 6000, False)],
        (36000, 12000, 12000, 0),
        0,
    ),
    # Gap 3,000 → not eligible.
    ("فاطمة", "علي", "أحمد", "البقمي", "female", 3250, [], (28000, 4000, 10000, 0), 0),
    # Suspended by the ladder (refused the research team's visit).
    (
        "ماجد",
        "سعد",
        "ناصر",
        "الجهني",
        "male",
        3000,
        [("هدى", "spouse", "female", 0, True)],
        (30000, 4000, 14000, 0),
        0,
    ),
    # Three sponsored workers → a proposed "workers" exclusion.
    (
        "تركي",
        "فهد",
        "عبدالعزيز",
        "السلمي",
        "male",
        3500,
        [("نوف", "spouse", "female", 0, True)],
        (30000, 4000, 14000, 0),
        3,
    ),
]


def demo_id(tenant_id: int, index: int) -> str:
    base = f"1{(tenant_id * 1000 + 700 + index) % 10**8:08d}"
    return base + check_digit_for(base)


def _application(household) -> dict:
    """The application's mandatory data, as the applicant gave it (from the household)."""
    head = household.head
    return {
        "nationality": head.nationality,
        "id_number": head.national_id,
        "id_expiry": head.id_expiry.isoformat(),
        "current_job": "لا يعمل",
        "monthly_income": str((head.monthly_income or 0) // 100),
        "dependents_count": len(household.members),
        "dependents": [
            {
                "name": member.person.full_name,
                "relationship": {"spouse": "wife"}.get(member.relationship_, member.relationship_),
                "monthly_income": str((member.income or 0) // 100),
                "resides_permanently": bool(member.resides_with_head),
            }
            for member in household.members
        ],
        "housing": household.housing_tenure,
        "annual_rent": str((household.annual_rent or 0) // 100),
    }


def load(tenant) -> None:
    install_default_catalog(tenant)
    catalog_item = db.session.scalars(db.select(CatalogItem.id).where(CatalogItem.code == "cash_aid")).first()
    made = []
    for index, (first, father, grand, family, gender, income, members, needs, workers) in enumerate(
        HOUSEHOLDS
    ):
        number = demo_id(tenant.id, index)
        if find_by_national_id(number) is not None:
            return  # already loaded
        household = create_household(
            {
                "head": {
                    "first_name": first,
                    "father_name": father,
                    "grandfather_name": grand,
                    "family_name": family,
                    "national_id": number,
                    "id_expiry": date(2031, 1, 1),
                    "nationality": "سعودي",
                    "gender": gender,
                    "city": tenant.city or "مكة المكرمة",
                    "phone": f"05500017{index:02d}",
                    "monthly_income": income * 100,
                },
                "housing_tenure": "rented",
                "annual_rent": needs[2] * 100,
                "category": "family",
                "members": [
                    {
                        "person": {
                            "first_name": name,
                            "father_name": first,
                            "family_name": family,
                            "gender": g,
                        },
                        "relationship_": rel,
                        "income": m_income * 100,
                        "resides_with_head": resides,
                    }
                    for name, rel, g, m_income, resides in members
                ],
                "extra": {"makkah_aid": {"sponsored_workers": workers}},
            }
        )
        file = db.session.scalars(
            db.select(BeneficiaryFile).where(BeneficiaryFile.household_id == household.id)
        ).one()
        change_file_status(file, {"status": "active", "reason": "فتح الملف بعد الدراسة (بيانات تجريبية)"})
        made.append((household, file, needs))
    for household, file, needs in made[:4]:
        head = household.head
        data = {
            "channel": "in_person",
            "applicant_name": head.full_name,
            "applicant_phone": head.phone,
            "applicant_city": head.city,
            "file_id": file.id,
            "catalog_item_id": catalog_item,
            "requested_amount": "12000",
            "summary": "طلب مساعدة سنوية (بيانات تجريبية)",
            "extra": {"makkah_aid": _application(household)},
        }
        by_item = dict(
            zip(("food_drink", "medical", "housing", "education"), (n * 100 for n in needs), strict=True)
        )
        # The researcher assesses the need gap before the committee, as the plugin requires.
        walk_demo_request(
            data,
            "in_committee",
            before_committee=lambda r, researcher, by_item=by_item: services.record_assessment(
                r, {"needs": by_item}, researcher
            ),
        )
    services.record_violation(
        made[4][1], {"code": "refused_visit", "notes": "رفض استقبال فريق البحث (بيانات تجريبية)"}, None
    )
    services.scan_file(made[5][1])
    services.announce_round({"title": "جولة تحديث البيانات (بيانات تجريبية)"}, None)
    _provider_delivered(*made[1][:2])
    db.session.flush()


def _scan() -> bytes:
    """A one-page PDF standing for a scanned paper (uploads are parsed)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _provider_delivered(household, file) -> None:
    """The widow's household (band B): a costly health condition with its medical report, and
    dialysis delivered by a contracted centre, approved and paid, proven by its invoice."""
    researcher = next(iter(users_with_role("researcher")), None)
    committee = users_with_role("committee_member")
    finance = next(iter(users_with_role("finance_officer")), None)
    admin = next(iter(users_with_role("tenant_admin") or users_with_role("executive_director")), None)
    services.record_circumstance(
        file,
        {
            "kind": "costly_health",
            "description": "فشل كلوي يحتاج غسيلاً ثلاث مرات أسبوعياً (بيانات تجريبية)",
            "occurred_on": date(2025, 3, 1),
        },
        researcher,
        upload=_scan(),
        filename="تقرير-طبي.pdf",
    )
    dialysis = db.session.scalars(db.select(CatalogItem).where(CatalogItem.code == "dialysis")).first()
    if not (researcher and committee and finance and admin and dialysis):
        return
    provider = services.save_provider(
        {
            "name": "مركز الكلى الأهلي بمكة (بيانات تجريبية)",
            "catalog_item_id": dialysis.id,
            "phone": "0125550101",
            "contract_reference": "ع/٢٠٢٥/١٤",
            "contract_ends_on": date(2027, 12, 31),
        },
        admin,
        contract=_scan(),
        contract_filename="عقد-مركز-الكلى.pdf",
    )
    provider.bank_name, provider.iban, provider.account_holder = (
        "البنك الأهلي",
        "SA0310000000000000000001",
        "مركز الكلى الأهلي",
    )
    head = household.head
    by_item = {"food_drink": 3_000_000, "medical": 500_000, "housing": 1_600_000, "education": 0}
    request = walk_demo_request(
        {
            "channel": "in_person",
            "applicant_name": head.full_name,
            "applicant_phone": head.phone,
            "applicant_city": head.city,
            "file_id": file.id,
            "catalog_item_id": dialysis.id,
            "requested_amount": "9000",
            "summary": "تغطية جلسات غسيل الكلى لدى مركز متعاقد (بيانات تجريبية)",
            "extra": {"makkah_aid": _application(household)},
        },
        "in_committee",
        before_committee=lambda r, r_user: services.record_assessment(r, {"needs": by_item}, r_user),
    )
    approve_request(request, committee[0], amount_halalas=900_000, members_present=[committee[0].id])
    invoice = upload_document(
        _scan(), "فاتورة-المركز.pdf", {"doc_type": services.INVOICE_TYPE, "request_id": request.id}, finance
    )
    disburse_request(
        request,
        finance,
        {
            "kind": "in_kind",
            "value_halalas": 900_000,
            "catalog_item_id": dialysis.id,
            "description": "اثنتا عشرة جلسة غسيل كلى",
            "delivery_mode": "provider",
            "provider_name": provider.name,
            "proof_document_id": invoice.id,
            "disbursed_on": today(),
        },
    )
