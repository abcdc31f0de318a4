"""Training demo data (``flask demo load``, after the producers): trainers, a local and an
international centre, partnership contracts with quality scores, the families' needed skill
areas, a specialised program closed last month (four sessions; two producers completed, one
did not) and an open one with its first sessions. Idempotent."""

from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfWriter

from core.toolkit import today as tenant_today

from . import services

TRAINERS = [
    {"name": "أ. منيرة العبدالقادر", "kind": "trainer", "scope": "local", "country": "SA", "city": "الأحساء",
     "specialities": ["marketing", "photography"], "contact_name": "منيرة العبدالقادر", "phone": "0535550101"},
    {"name": "مركز الأحساء للتدريب الأهلي", "kind": "centre", "scope": "local", "country": "SA", "city": "الهفوف",
     "specialities": ["food_safety", "packaging", "pricing"], "contact_name": "إدارة البرامج", "phone": "0135800000",
     "email": "training@ahsa-centre.example.org"},
    {"name": "أكاديمية الحرف العربية", "kind": "centre", "scope": "international", "country": "AE", "city": "دبي",
     "specialities": ["crafts", "sewing_design", "product_development"], "contact_name": "Sara Haddad",
     "phone": "+97140000000", "email": "partners@arab-crafts.example.org"},
    {"name": "أ. حسين الخليفة", "kind": "trainer", "scope": "local", "country": "SA", "city": "المبرز",
     "specialities": ["project_management", "pricing"], "phone": "0545550202"},
]  # fmt: skip

# The needed skill areas by producer (in the order the demo producers were registered).
NEEDS = [
    ["food_safety", "packaging"],
    ["packaging", "marketing"],
    ["sewing_design", "marketing"],
    ["food_safety", "pricing"],
    ["crafts", "photography", "marketing"],
    ["packaging", "pricing"],
]
# Sessions attended of four, per enrolled producer of the closed program (75 % needed: 3 of 4).
ATTENDED = [4, 3, 2]


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def load(tenant) -> None:
    if services.list_trainers():
        return
    producers = services.list_producers()
    offered = set(services.settings()["training_skill_areas"])
    if not producers or not offered:
        return
    today = tenant_today(tenant)
    trainers = []
    for data in TRAINERS:
        trainers.append(
            services.add_trainer({**data, "specialities": [a for a in data["specialities"] if a in offered]})
        )
    for trainer, (title, score) in zip(
        trainers[1:3],
        (("اتفاقية شراكة تدريبية — سلامة الغذاء والتغليف", 88), ("مذكرة تفاهم — برامج الحرف الدولية", 76)),
        strict=True,
    ):
        services.add_contract(
            trainer,
            {"title": title, "signed_on": (today - timedelta(days=200)).isoformat(),
             "ends_on": (today + timedelta(days=165)).isoformat(), "quality_score": str(score)},
            _pdf(),
            "عقد-شراكة.pdf",
        )  # fmt: skip
    for producer, areas in zip(producers, NEEDS, strict=False):
        services.set_needs(producer, {"areas": [a for a in areas if a in offered]})
    _closed_program(trainers[1], producers, today, offered)
    _open_program(trainers[0], producers, today, offered)


def _closed_program(trainer, producers, today: date, offered: set) -> None:
    start = today - timedelta(days=40)
    program = services.create_program(
        {"title": "سلامة الغذاء والتغليف للأسر المنتجة", "specialised": True,
         "area": "food_safety" if "food_safety" in offered else "", "trainer_id": trainer.id,
         "starts_on": start.isoformat(), "ends_on": (start + timedelta(days=21)).isoformat(),
         "place": "مركز الأحساء للتدريب الأهلي — الهفوف", "capacity": 12}
    )  # fmt: skip
    enrolled = producers[: len(ATTENDED)]
    for producer in enrolled:
        services.enrol(program, {"producer_id": producer.id})
    topics = ("اشتراطات سلامة الغذاء", "التخزين والتبريد", "التغليف والملصقات", "التسعير وحساب التكلفة")
    for week, topic in enumerate(topics):
        session = services.add_session(
            program, {"held_on": (start + timedelta(days=7 * week)).isoformat(), "topic": topic}
        )
        present = [p.id for p, times in zip(enrolled, ATTENDED, strict=True) if week < times]
        services.record_attendance(program, session, {"present": present})
    services.close_program(program, {"closed_on": (start + timedelta(days=21)).isoformat()})


def _open_program(trainer, producers, today: date, offered: set) -> None:
    start = today - timedelta(days=7)
    program = services.create_program(
        {"title": "التسويق الإلكتروني وتصوير المنتجات", "specialised": True,
         "area": "marketing" if "marketing" in offered else "", "trainer_id": trainer.id,
         "starts_on": start.isoformat(), "ends_on": (start + timedelta(days=28)).isoformat(),
         "place": "مقر الجمعية — قاعة التدريب", "capacity": 8}
    )  # fmt: skip
    enrolled = producers[1:4]
    for producer in enrolled:
        services.enrol(program, {"producer_id": producer.id})
    session = services.add_session(
        program, {"held_on": start.isoformat(), "topic": "بناء حساب تجاري على الشبكات"}
    )
    services.record_attendance(program, session, {"present": [p.id for p in enrolled[:2]]})
    # A family needing the area asked on the portal to join (staff see it on the program's page).
    asking = next(
        (p for p in producers if program.id in {s.id for s in services.suggested_programs(p.id, today)}), None
    )
    if asking is not None:
        services.ask_to_join(asking, {"program_id": program.id}, today=today)
