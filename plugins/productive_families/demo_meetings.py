"""Demo meetings and initiatives (seed 001, goals 1 and 3): three meetings with active families,
their attendance and challenges survey answers, and two initiatives (one economic meeting the
quality target, one community below it) with their annual plans. Idempotent."""

from __future__ import annotations

import io
from datetime import date, timedelta

import sqlalchemy as sa
from pypdf import PdfWriter

from core.toolkit import db, survey_questions
from core.toolkit import today as tenant_today

from .models_meetings import Meeting
from .services import initiatives as initiative_services
from .services import meetings as meeting_services

MEETINGS = [
    # (days ago, topic, place, absent every n-th invitee, answers: (first, second, circumstances) …)
    (150, "اللقاء السنوي الأول للأسر المنتجة", "مقر الجمعية — الهفوف", 4,
     [("marketing", "financing", "no"), ("licensing", "marketing", "social"), ("marketing", "raw_materials", "no"),
      ("financing", "none", "health")]),
    (75, "لقاء التسويق الإلكتروني والمعارض", "قاعة الغرفة التجارية بالأحساء", 3,
     [("marketing", "training", "no"), ("raw_materials", "marketing", "social"), ("training", "none", "no")]),
    (20, "لقاء تحديات الترخيص والتمويل", "مقر الجمعية — الهفوف", 5,
     [("licensing", "financing", "no"), ("financing", "licensing", "no"), ("marketing", "licensing", "social"),
      ("family", "none", "health")]),
]  # fmt: skip
INITIATIVES = [
    ("economic", "سوق الأسر المنتجة الشهري في الأحساء",
     "دراسة احتياج: ٦٠٪ من الأسر في لقاءات العام تذكر التسويق أول تحدٍّ، ولا يوجد منفذ بيع دوري قريب.",
     "سوق شهري في ساحة عامة بأجنحة مجانية للأسر المرخصة أولاً، مع تدريب على العرض والتسعير.",
     "in_progress", [10, 10, 9, 9, 10, 10],
     [(2, "اتفاق مع البلدية على الموقع", "إدارة البرامج والمشروعات"), (3, "السوق الأول", "إدارة البرامج والمشروعات"),
      (6, "تقييم منتصف العام", "إدارة الجودة"), (12, "التقرير السنوي للمبادرة", "إدارة الجودة")]),
    ("community", "مبادرة «أمهات منتجات» لرعاية الأبناء أثناء التدريب",
     "دراسة احتياج: أسر كثيرة لا تحضر التدريب لعدم وجود من يرعى الأطفال.",
     "ركن رعاية أطفال بإشراف متطوعات في أيام البرامج التدريبية.",
     "design", [9, 9, 8, 8, 9, 9],
     [(4, "استقطاب المتطوعات", "إدارة المستفيدين"), (5, "تجهيز الركن", "إدارة البرامج والمشروعات")]),
]  # fmt: skip


def _meetings(today: date) -> None:
    version = meeting_services.challenges_version()
    questions = survey_questions(version)
    choice_ids = [str(q.id) for q in questions if q.kind == "choice"]
    for days, topic, place, absent_every, answers in MEETINGS:
        moment = (today - timedelta(days=days)).isoformat() + "T17:00"
        meeting = meeting_services.create_meeting({"topic": topic, "place": place, "starts_at": moment})
        invitees = meeting_services.invitees_of(meeting)
        present = [i.producer_id for n, i in enumerate(invitees, 1) if n % absent_every]
        meeting_services.record_attendance(meeting, {"present": present})
        for first, second, circumstances in answers[: len(present)]:
            raw = dict(zip(choice_ids, (first, second, circumstances), strict=True))
            meeting_services.add_response(meeting, raw)


def _study() -> bytes:
    """A one-page PDF standing for the approved needs study."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _initiatives(today: date) -> None:
    criteria = initiative_services.criteria()
    for index, (kind, title, study, design, status, scores, plan) in enumerate(INITIATIVES):
        initiative = initiative_services.create_initiative(
            {"kind": kind, "title": title, "year": today.year, "needs_study": study, "design": design},
            study=_study() if index == 0 else None,
            study_filename="دراسة-الاحتياج.pdf" if index == 0 else None,
        )
        initiative_services.update_initiative(initiative, {"status": status})
        for month, what, owner in plan:
            initiative_services.add_activity(initiative, {"title": what, "month": month, "owner": owner})
        initiative_services.score(
            initiative, {"scores": {str(c.id): s for c, s in zip(criteria, scores, strict=True)}}, today=today
        )


def load(tenant) -> None:
    if db.session.scalar(sa.select(sa.func.count(Meeting.id))):
        return
    if not meeting_services.active_producers():
        return
    today = tenant_today(tenant)
    _meetings(today)
    _initiatives(today)
    db.session.flush()
