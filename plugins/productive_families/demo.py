"""Demo data (``flask demo load``, for every tenant with the plugin enabled). Idempotent: producers
across activities and licence states with products and photos (two with a public page, the first
kept by the demo applicant on the portal)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from PIL import Image

from core.toolkit import User, check_digit_for, create_household, db, find_by_national_id
from core.toolkit import today as tenant_today

from . import demo_graduation, services

# (head: first, father, family; trade name; activity; licence; products (name, price SAR, colour)).
PRODUCERS = [
    (("أم محمد", "علي", "الحسن"), "مطبخ أم محمد", "food", "issued", [("مرقوق أحسائي", "35", "#b5651d"), ("كبسة دجاج", "45", "#d2a24c")]),
    (("فاطمة", "عبدالله", "البوعلي"), "حلويات الواحة", "sweets", "applied", [("معمول تمر", "25.50", "#6b3e26"), ("كليجا", "20", "#c68e17")]),
    (("زينب", "حسن", "العيسى"), "خياطة زينب", "sewing", "none", [("جلابية مطرزة", "180", "#2e6f95")]),
    (("نورة", "سعد", "الملا"), "بخور الأحساء", "perfume_incense", "expired", [("دهن عود", "120", "#4b2e2a"), ("بخور معمول", "60", "#7a4b2a")]),
    (("مريم", "أحمد", "الجبر"), "سعفيات مريم", "handicrafts", "none", [("سلة خوص", "40", "#c9a86a")]),
    (("هدى", "محمد", "النعيم"), "تمور هدى", "dates", "issued", [("تمر خلاص محشي", "55", "#5c3317")]),
]  # fmt: skip


def demo_id(tenant_id: int, index: int) -> str:
    base = f"1{(tenant_id * 1000 + 800 + index) % 10**8:08d}"
    return base + check_digit_for(base)


def photo(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, "PNG")
    return out.getvalue()


def _household(tenant, index: int, head: tuple[str, str, str]):
    existing = find_by_national_id(demo_id(tenant.id, index))
    if existing is not None:
        return None
    return create_household(
        {
            "head": {
                "first_name": head[0], "father_name": head[1], "family_name": head[2],
                "national_id": demo_id(tenant.id, index), "id_expiry": date(2031, 1, 1), "nationality": "SA",
                "gender": "female", "city": tenant.city or "الأحساء", "monthly_income": 150_000,
            },
            "housing_tenure": "rented",
            "annual_rent": 1_800_000,
            "category": "family",
            "members": [],
        }
    )  # fmt: skip


def _licence(producer, state: str, today: date) -> None:
    if state == "none":
        return
    services.change_licence(
        producer, {"status": "applied", "applied_on": (today - timedelta(days=90)).isoformat()}, today=today
    )
    if state == "applied":
        return
    issued = today - timedelta(days=400 if state == "expired" else 60)
    services.change_licence(
        producer,
        {"status": "issued", "body": producer.licence_body or "منصة بلدي", "number": f"PF-{producer.id:05d}",
         "issued_on": issued.isoformat(), "expires_on": (issued + timedelta(days=365)).isoformat()},
        today=today,
    )  # fmt: skip
    if state == "expired":
        services.run_licence_job(today)


def _exhibitions(tenant, today: date) -> None:
    """A past exhibition with booths and sales, and an upcoming one with its call open."""
    if services.list_exhibitions():
        return
    producers = services.list_producers()
    city = tenant.city or "الأحساء"
    past_start = today - timedelta(days=90)
    past = services.create_exhibition(
        {"name": f"معرض الأسر المنتجة الأول — {city}", "place": f"مركز التنمية الاجتماعية — {city}",
         "starts_on": past_start.isoformat(), "ends_on": (past_start + timedelta(days=3)).isoformat(),
         "applications_close_on": (past_start - timedelta(days=14)).isoformat(), "booths": 4,
         "feasibility_summary": "دراسة الجدوى المعتمدة: إقبال متوقع ٣٬٠٠٠ زائر وتكلفة الجناح ٥٠٠ ريال.",
         "selection_criteria": "جودة المنتج، الترخيص، الالتزام بالحضور"}
    )  # fmt: skip
    for index, producer in enumerate(producers):
        application = services.apply(past, producer, today=past_start - timedelta(days=30))
        services.score_application(application, {"score": 60 + (index * 7) % 40})
    for application in services.allocate(past, today=past_start - timedelta(days=7)):
        if application.booth:
            services.record_sales(
                application, {"sales": str(900 + application.booth * 350)}, today=past_start
            )
    upcoming_start = today + timedelta(days=45)
    upcoming = services.create_exhibition(
        {"name": "معرض الحرف والمنتجات المنزلية", "place": f"{city} — الساحة الشعبية",
         "starts_on": upcoming_start.isoformat(), "ends_on": (upcoming_start + timedelta(days=2)).isoformat(),
         "applications_close_on": (upcoming_start - timedelta(days=15)).isoformat(), "booths": 3,
         "selection_criteria": "الأولوية للأسر التي لم تشارك في المعرض السابق"}
    )  # fmt: skip
    for producer in producers[:2]:
        services.apply(upcoming, producer, today=today)


AWARD_CRITERIA = [
    {"name": "جودة المنتج وسلامته", "weight": 40},
    {"name": "الترخيص والالتزام بالأنظمة", "weight": 25},
    {"name": "التسويق والمبيعات", "weight": 20},
    {"name": "الابتكار", "weight": 15},
]


def _award(tenant, today: date) -> None:
    """Last year's award round: four nominations scored by two judges, published."""
    if services.list_rounds():
        return
    judges = [
        db.session.scalar(db.select(User).where(User.email == f"{role}@{tenant.slug}.example.org"))
        for role in ("committee-member", "executive-director")
    ]
    judges = [j for j in judges if j is not None]
    award = services.create_round(
        {
            "year": today.year - 1,
            "name": "جائزة الأسرة المنتجة المتميزة",
            "criteria": AWARD_CRITERIA,
            "winners": 3,
        }
    )
    nominations = [services.nominate(award, {"producer_id": p.id}) for p in services.list_producers()[:4]]
    for j, judge in enumerate(judges):
        services.add_judge(award, {"email": judge.email})
        for n, nomination in enumerate(nominations):
            scores = {c["code"]: 5 + (n * 3 + j + k) % 6 for k, c in enumerate(award.criteria)}
            services.submit_scores(award, nomination.id, judge, {"scores": scores})
    if judges:
        services.publish(award)


BODIES = [
    ("بنك التنمية الاجتماعية", "bank", False, None),
    ("صندوق عبداللطيف جميل لخدمة المجتمع", "fund", True, 85),
    ("صندوق تنمية الموارد البشرية (هدف)", "government", True, 90),
    ("شركة محلية للتغليف", "company", True, 70),
]


def _financing(today: date) -> None:
    """Financing bodies and partners, and requests with their outcomes."""
    if services.list_bodies():
        return
    bodies = [
        services.add_body(
            {"name": name, "kind": kind, "is_partner": partner, "quality_score": quality,
             "partnership_criteria": "الالتزام بالسداد، جودة المنتج، الترخيص" if partner else ""}
        )
        for name, kind, partner, quality in BODIES
    ]  # fmt: skip
    producers = services.list_producers()
    outcomes = [("approved", "12000"), ("rejected", None), (None, None)]
    for index, producer in enumerate(producers[:3]):
        request = services.refer(
            {"producer_id": producer.id, "body_id": bodies[index].id, "purpose": "معدات إنتاج", "requested": "15000",
             "referred_on": (today - timedelta(days=60)).isoformat()}
        )  # fmt: skip
        status, amount = outcomes[index]
        if status:
            services.decide(request, {"status": status, "approved": amount, "decided_on": today.isoformat()})


def load(tenant) -> None:
    today = tenant_today(tenant)
    for index, (head, trade_name, activity, licence, products) in enumerate(PRODUCERS):
        if activity not in services.settings()["activities"]:
            continue
        household = _household(tenant, index, head)
        if household is None:
            continue  # already loaded
        producer = services.create_producer(
            {"household_id": household.id, "trade_name": trade_name, "activity": activity,
             "sales_channels": ["home", "social_media", "exhibitions"][: 1 + index % 3],
             "capacity": f"{20 + index * 5} طلباً في الأسبوع",
             "financing_needs": "فرن صناعي" if activity in ("food", "sweets") else "",
             "training_needs": "التسويق الإلكتروني والتغليف"}
        )  # fmt: skip
        _licence(producer, licence, today)
        for name, price, colour in products:
            product = services.add_product(
                producer, {"name": name, "price": price, "description": "صنع منزلي"}
            )
            services.add_photo(product, photo(colour), f"{activity}.png")
        if index < 2:
            services.set_showcase(
                producer, {"showcase_consent": True, "showcase_whatsapp": f"05{index + 5}0801110"}
            )
        if index == 0:
            applicant = db.session.scalar(
                db.select(User).where(User.email == f"applicant@{tenant.slug}.example.org")
            )
            if applicant is not None:
                services.link_account(producer, {"email": applicant.email})
    db.session.flush()
    _exhibitions(tenant, today)
    _award(tenant, today)
    _financing(today)
    db.session.flush()
    demo_graduation.load(today)
