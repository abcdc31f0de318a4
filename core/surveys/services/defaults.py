"""The default survey every association ships with, and demo responses over several months."""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

from ...extensions import db
from ...requests.services import catalog
from ..models import Survey, SurveyInvitation, SurveyResponse, SurveyVersion
from .building import add_question, create_survey, publish, questions_of

DEFAULT_SURVEY = {
    "code": "satisfaction",
    "name_ar": "استبانة رضا المستفيدين",
    "name_en": "Beneficiary satisfaction survey",
}
DEFAULT_QUESTIONS = [
    {
        "kind": "rating",
        "text_ar": "ما مدى رضاك عن الخدمة التي قدمتها الجمعية؟",
        "text_en": "How satisfied are you with the service the association gave you?",
        "feeds_kpi": True,
    },
    {
        "kind": "yes_no",
        "text_ar": "هل وصلتك المساعدة في الوقت المناسب؟",
        "text_en": "Did the aid reach you in time?",
    },
    {
        "kind": "choice",
        "text_ar": "كيف كان تعامل الموظفين معك؟",
        "text_en": "How did the staff treat you?",
        "choices": [
            {"code": "excellent", "ar": "ممتاز", "en": "Excellent"},
            {"code": "good", "ar": "جيد", "en": "Good"},
            {"code": "poor", "ar": "ضعيف", "en": "Poor"},
        ],
    },
    {
        "kind": "text",
        "text_ar": "ملاحظات أو اقتراحات",
        "text_en": "Comments or suggestions",
        "required": False,
    },
]


def install_default_survey(actor: Any = None) -> Survey | None:
    """Create and publish the default survey unless the tenant has one (idempotent)."""
    if db.session.scalars(db.select(Survey).where(Survey.code == DEFAULT_SURVEY["code"])).first():
        return None
    survey = create_survey(dict(DEFAULT_SURVEY), actor)
    version = db.session.scalars(db.select(SurveyVersion).where(SurveyVersion.survey_id == survey.id)).one()
    for spec in DEFAULT_QUESTIONS:
        add_question(version, {"choices": [], "required": True, "feeds_kpi": False, **spec}, actor)
    publish(version, actor)
    return survey


def _months_back(today: date, count: int) -> list[str]:
    out, year, month = [], today.year, today.month
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


def load_demo_responses(today: date, months: int = 6, per_month: int = 14, seed: int = 13) -> int:
    """Invitations (not tied to a request) and responses over the last ``months`` months, spread
    over the tenant's first catalog items; idempotent (nothing is added when the tenant has
    responses). Returns the responses added."""
    install_default_survey()
    if db.session.scalar(db.select(db.func.count(SurveyResponse.id))):
        return 0
    version = db.session.scalars(
        db.select(SurveyVersion)
        .join(Survey, Survey.id == SurveyVersion.survey_id)
        .where(Survey.code == DEFAULT_SURVEY["code"], SurveyVersion.state == "published")
    ).first()
    if version is None:
        return 0
    questions = questions_of(version)
    programs = [item.id for item in catalog()[:3]] or [None]
    rng = random.Random(seed)
    added = 0
    for period in _months_back(today, months):
        created = datetime(int(period[:4]), int(period[5:]), 10, 10, 0)
        for index in range(per_month + rng.randint(0, 6)):
            program_id = programs[index % len(programs)]
            answered = rng.random() < 0.7
            db.session.add(
                SurveyInvitation(
                    tenant_id=version.tenant_id,
                    version_id=version.id,
                    request_id=None,
                    program_id=program_id,
                    period=period,
                    trigger="disbursement",
                    sampled=True,
                    created_at=created,
                    expires_at=created,  # demo links are spent
                    answered_at=created if answered else None,
                )
            )
            if not answered:
                continue
            answers: dict[str, Any] = {}
            for q in questions:
                if q.kind == "rating":
                    answers[str(q.id)] = rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 2, 5, 8])[0]
                elif q.kind == "yes_no":
                    answers[str(q.id)] = rng.random() < 0.85
                elif q.kind == "choice":
                    answers[str(q.id)] = rng.choice([c["code"] for c in q.choices])
            kpi = next((answers.get(str(q.id)) for q in questions if q.feeds_kpi), None)
            db.session.add(
                SurveyResponse(
                    tenant_id=version.tenant_id,
                    version_id=version.id,
                    program_id=program_id,
                    period=period,
                    channel=rng.choice(["link", "link", "paper"]),
                    answers=answers,
                    kpi_score=kpi,
                    submitted_at=created,
                )
            )
            added += 1
    db.session.flush()
    return added
