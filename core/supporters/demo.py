"""Demo supporters for one tenant (idempotent): a potential supporter, a contacted company, a
foundation with a partnership agreement and a pledge in instalments (one paid, one overdue, one
to come), an active individual donor, a government body, and a lapsed one; gifts in cash and in
kind, general and restricted to a program or a campaign, each with its receipt."""

from __future__ import annotations

from datetime import timedelta

from ..aid.services import catalog, install_default_catalog
from ..auth.models import Membership, User
from ..extensions import db
from . import services
from .models import Supporter

SUPPORTERS = (
    # (kind, name, contact, consents, preferred)
    ("company", "شركة الخير للتجارة (بيانات تجريبية)", "أ. سلمان العمري", ["email", "phone"], "email"),
    (
        "foundation",
        "مؤسسة البر الخيرية (بيانات تجريبية)",
        "د. هيفاء الراشد",
        ["email", "sms", "letter"],
        "letter",
    ),
    ("individual", "عبدالله محمد سعد الغامدي", None, ["sms"], "sms"),
    ("government", "فرع وزارة الموارد البشرية (بيانات تجريبية)", "إدارة الدعم", ["letter"], "letter"),
    ("individual", "منيرة صالح ناصر العتيبي", None, [], None),
    ("company", "مصنع النخيل للأغذية (بيانات تجريبية)", "م. فيصل الحربي", ["phone"], "phone"),
    ("company", "شركة الأفق للمقاولات (بيانات تجريبية)", "أ. ريم القحطاني", ["email"], "email"),
    ("individual", "سعد عبدالرحمن فهد الدوسري", None, [], None),
)


def _admin():
    for membership in db.session.scalars(db.select(Membership).order_by(Membership.id)):
        if "tenant_admin" in (membership.roles or []):
            return db.session.get(User, membership.user_id)
    return None


def load(tenant) -> None:
    if db.session.scalars(db.select(Supporter).limit(1)).first() is not None:
        return
    admin = _admin()
    if admin is None:
        return
    install_default_catalog(tenant)
    items = [i for i in catalog() if i.active]
    program = next((i for i in items if not i.seasonal), None)
    today = services.today()
    made = []
    for i, (kind, name, contact, consents, preferred) in enumerate(SUPPORTERS):
        made.append(
            services.create_supporter(
                {
                    "kind": kind, "name": name, "contact_name": contact, "consent_channels": consents,
                    "preferred_channel": preferred, "phone": f"+96650100{i:04d}" if consents else None,
                    "email": f"supporter{i}@example.org" if "email" in consents else None, "city": "مكة المكرمة",
                    "owner_id": admin.id,
                },
                admin,
                on=today - timedelta(days=200 - 20 * i),
            )
        )  # fmt: skip
    company, foundation, donor, government, lapsed, factory, builder, _prospect = made
    services.record_contact(company, {"channel": "email", "contacted_on": today - timedelta(days=30),
                                      "note": "أرسل الملف التسويقي للمشاريع"}, admin)  # fmt: skip
    services.create_agreement(
        foundation,
        {"kind": "partnership", "title": "اتفاقية شراكة لدعم برامج الأسر", "starts_on": today - timedelta(days=120),
         "ends_on": today + timedelta(days=245), "value_halalas": 12_000_000},
        admin,
    )  # fmt: skip
    services.create_agreement(
        government,
        {"kind": "agreement", "title": "اتفاقية دعم تشغيلي", "starts_on": today - timedelta(days=500),
         "ends_on": today - timedelta(days=135), "value_halalas": 5_000_000},
        admin,
    )  # fmt: skip
    pledge = services.create_pledge(
        foundation,
        {"total_halalas": 9_000_000, "pledged_on": today - timedelta(days=100), "catalog_item_id": program.id if program else None,
         "instalments": services.split_instalments(9_000_000, 3, today - timedelta(days=70), 2)},
        admin,
    )  # fmt: skip
    services.record_contact(builder, {"channel": "email", "contacted_on": today - timedelta(days=25)}, admin)
    services.create_pledge(
        builder,
        {"total_halalas": 2_400_000, "pledged_on": today - timedelta(days=5), "season": "ramadan_basket",
         "instalments": services.split_instalments(2_400_000, 2, today + timedelta(days=30), 1)},
        admin,
    )  # fmt: skip
    first = pledge.instalments[0]
    gifts = [
        {"supporter_id": foundation.id, "kind": "cash", "method": "bank_transfer", "value_halalas": first.amount_halalas,
         "received_on": first.due_on, "instalment_id": first.id, "catalog_item_id": program.id if program else None},
        {"supporter_id": donor.id, "kind": "cash", "method": "card", "value_halalas": 50_000,
         "received_on": today - timedelta(days=60)},
        {"supporter_id": donor.id, "kind": "cash", "method": "cash", "value_halalas": 75_000,
         "received_on": today - timedelta(days=10), "season": "ramadan_basket"},
        {"supporter_id": factory.id, "kind": "in_kind", "method": "in_kind", "value_halalas": 1_250_000,
         "description": "٢٠٠ سلة غذائية", "quantity": 200, "received_on": today - timedelta(days=20),
         "catalog_item_id": program.id if program else None},
        {"supporter_id": government.id, "kind": "cash", "method": "bank_transfer", "value_halalas": 5_000_000,
         "received_on": today - timedelta(days=150)},
        {"supporter_id": lapsed.id, "kind": "cash", "method": "cash", "value_halalas": 20_000,
         "received_on": today - timedelta(days=180)},
    ]  # fmt: skip
    for gift in sorted(gifts, key=lambda g: g["received_on"]):
        services.record_donation(gift, admin, on=today)
    services.move_stage(lapsed, "lapsed", admin, reason="لم يقدم دعمًا منذ ستة أشهر")
    db.session.flush()
