"""Demo data of graduation and the stored documents (called from ``demo.load`` after the
producers, licences and financing exist). Idempotent: follow-ups at 3 and 6 months for three
producers (two rose, one fell at 6 months), one 12-month follow-up left overdue in the queue, the
food activity's procedure leaflet and the past exhibition's feasibility study (PDFs)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import sqlalchemy as sa
from PIL import Image, ImageDraw, ImageFont

from core.toolkit import add_months, db
from core.toolkit import today as tenant_today

from . import services
from .models_graduation import IncomeFollowUp
from .services import documents, graduation

# (trade name, months → (monthly income SAR, note)); the household's baseline is 1,500 SAR.
FOLLOWUPS = [
    ("بخور الأحساء", {3: ("2100", "بدأت البيع عبر وسائل التواصل"), 6: ("2600", "زادت طلبات البخور بعد المعرض")}),
    ("خياطة زينب", {3: ("2300", "طلبات من محلين للعبايات"), 6: ("2800", "طلبات ثابتة من محلات العبايات")}),
    ("سعفيات مريم", {3: ("1900", "بيع سلال الخوص في المعرض"), 6: ("1300", "توقفت المبيعات شهرين لمرض في الأسرة")}),
]  # fmt: skip
GRANTED_DAYS_AGO = 215  # financing for the two producers without a licence: 3 and 6 months have passed


def leaflet_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with the given lines (Latin text: the demo has no Arabic font at hand)."""
    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=22)
    draw.rectangle((0, 0, 595, 90), fill="#1f6f5c")
    for index, line in enumerate(lines):
        draw.text(
            (40, 30 if index == 0 else 120 + index * 48),
            line,
            fill="white" if index == 0 else "black",
            font=font,
        )
    out = io.BytesIO()
    page.save(out, "PDF", resolution=72)
    return out.getvalue()


def _grant(producer, body, today: date) -> None:
    decided = today - timedelta(days=GRANTED_DAYS_AGO)
    request = services.refer(
        {"producer_id": producer.id, "body_id": body.id, "purpose": "ماكينة ومواد خام", "requested": "8000",
         "referred_on": (decided - timedelta(days=20)).isoformat()}
    )  # fmt: skip
    services.decide(
        request, {"status": "approved", "approved": "6000", "decided_on": decided.isoformat()}, today=decided
    )


def _followups(today: date) -> None:
    by_name = {p.trade_name: p for p in services.list_producers()}
    bodies = services.list_bodies()
    for name, incomes in FOLLOWUPS:
        producer = by_name.get(name)
        if producer is None:
            continue
        if not graduation.anchor_dates([producer.id]) and bodies:
            _grant(producer, bodies[-1], today)
        dates = graduation.anchor_dates([producer.id]).get(producer.id, {})
        if not dates:
            continue
        kind, anchor_on = graduation.first_anchor(dates)
        for months, (income, note) in incomes.items():
            followed_on = add_months(anchor_on, months) + timedelta(days=3)
            if followed_on > today:
                continue
            graduation.record_followup(
                producer,
                {"anchor": kind, "anchor_on": anchor_on.isoformat(), "months": months,
                 "followed_on": followed_on.isoformat(), "income": income, "note": note},
                today=followed_on,
            )  # fmt: skip


def _documents() -> None:
    if "food" in documents.licensed_activities() and "food" not in documents.leaflets():
        documents.store_leaflet(
            "food",
            leaflet_pdf(
                [
                    "Home food licence - procedure leaflet",
                    "1. Register the activity on the Balady platform.",
                    "2. Attach the national ID and the home address.",
                    "3. Complete the food safety course (online).",
                    "4. Pay the fee; the licence is issued in 3 days.",
                    "5. Renew it before it expires (warned 30 days ahead).",
                ]
            ),
            "دليل إجراءات ترخيص الأسر المنتجة - الأطعمة.pdf",
        )
    past = [e for e in services.list_exhibitions() if e.feasibility_summary]
    if past and documents.study_of(past[0].id) is None:
        documents.store_study(
            past[0].id,
            leaflet_pdf(
                [
                    "Feasibility study - productive families exhibition",
                    "Expected visitors: 3,000 over three days.",
                    "Booth cost: 500 SAR; booths: 4.",
                    "Expected sales per family: 1,500 - 3,000 SAR.",
                    "Decision: approved by the board.",
                ]
            ),
            "دراسة جدوى المعرض.pdf",
        )


def load(today: date | None = None) -> None:
    today = today or tenant_today()
    if db.session.scalar(sa.select(sa.func.count(IncomeFollowUp.id))) == 0:
        _followups(today)
    _documents()
    db.session.flush()
