"""The satisfaction KPI and the results staff see (anonymous unless the tenant says otherwise).

Satisfaction share = responses whose KPI rating is at or above the tenant's threshold / all
responses with a KPI rating in the period; beside it the response rate (responses / sampled
invitations of the period) and the share's margin of error (finite population: the sampled
invitations). A program with fewer than 5 responses is not shown broken down.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...extensions import db
from ...requests.services import catalog
from ..models import CHANNELS, SurveyInvitation, SurveyQuestion, SurveyResponse
from . import stats
from .settings import can_read_free_text, survey_settings


def periods_between(start: date, end: date) -> list[str]:
    """The months ``YYYY-MM`` from ``start``'s to ``end``'s, inclusive."""
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _counts(periods: list[str], threshold: int) -> dict[tuple[str, int | None], dict[str, int]]:
    """``{(period, program_id): {"responses", "satisfied", "invited"}}`` in two grouped queries."""
    counts: dict[tuple[str, int | None], dict[str, int]] = {}

    def slot(key):
        return counts.setdefault(key, {"responses": 0, "satisfied": 0, "invited": 0})

    satisfied = db.func.sum(db.case((SurveyResponse.kpi_score >= threshold, 1), else_=0))
    for period, program_id, responses, happy in db.session.execute(
        db.select(
            SurveyResponse.period, SurveyResponse.program_id, db.func.count(SurveyResponse.id), satisfied
        )
        .where(SurveyResponse.period.in_(periods), SurveyResponse.kpi_score.is_not(None))
        .group_by(SurveyResponse.period, SurveyResponse.program_id)
    ):
        slot((period, program_id)).update(responses=int(responses), satisfied=int(happy or 0))
    for period, program_id, invited in db.session.execute(
        db.select(SurveyInvitation.period, SurveyInvitation.program_id, db.func.count(SurveyInvitation.id))
        .where(SurveyInvitation.period.in_(periods), SurveyInvitation.sampled.is_(True))
        .group_by(SurveyInvitation.period, SurveyInvitation.program_id)
    ):
        slot((period, program_id))["invited"] = int(invited)
    return counts


def figure(responses: int, satisfied: int, invited: int, *, suppress: bool = False) -> dict[str, Any]:
    """One result line; a suppressed one shows only that it is too small."""
    if suppress and stats.suppressed(responses):
        return {"suppressed": True, "responses": None, "share": None, "margin": None, "response_rate": None}
    return {
        "suppressed": False,
        "responses": responses,
        "invited": invited,
        "share": stats.share(satisfied, responses),
        "margin": stats.margin_of_error(satisfied, responses, invited or None),
        "response_rate": stats.response_rate(responses, invited),
    }


def _sum(rows) -> tuple[int, int, int]:
    rows = list(rows)
    return (
        sum(r["responses"] for r in rows),
        sum(r["satisfied"] for r in rows),
        sum(r["invited"] for r in rows),
    )


def satisfaction(start: date, end: date) -> dict[str, Any]:
    """The KPI for the months of ``start``..``end``: overall, per program (suppressed under 5
    responses) and per month (the dashboard's chart)."""
    settings = survey_settings()
    periods = periods_between(start, end)
    counts = _counts(periods, int(settings["threshold"]))
    overall = figure(*_sum(counts.values()))
    names = {item.id: item for item in catalog()}
    programs = []
    for program_id in sorted({p for (_period, p) in counts}, key=lambda p: (p is None, p or 0)):
        responses, happy, invited = _sum(v for (_period, p), v in counts.items() if p == program_id)
        programs.append(
            {
                "program_id": program_id,
                "program": names.get(program_id),
                **figure(responses, happy, invited, suppress=True),
            }
        )
    months = []
    for period in periods:
        responses, happy, invited = _sum(v for (p, _program), v in counts.items() if p == period)
        months.append({"period": period, **figure(responses, happy, invited, suppress=True)})
    return {
        "threshold": settings["threshold"],
        "target_share": settings["target_share"],
        "sampling": settings["sampling"],
        "target_margin": settings["target_margin"],
        "overall": overall,
        "programs": programs,
        "months": months,
    }


def overall(start: date, end: date) -> dict[str, Any]:
    """The overall figure only (what the KPI sources read: no program names, no months)."""
    counts = _counts(periods_between(start, end), int(survey_settings()["threshold"]))
    return figure(*_sum(counts.values()))


def satisfaction_share(tenant: Any, start: date, end: date) -> float | None:
    """The KPI source (``surveys.satisfaction``)."""
    return overall(start, end)["share"]


def response_rate(tenant: Any, start: date, end: date) -> float | None:
    """The KPI source (``surveys.response_rate``)."""
    return overall(start, end)["response_rate"]


def responses_for(user: Any, start: date, end: date) -> list[dict[str, Any]]:
    """The period's responses as staff may read them: free text only for the roles the tenant
    grants it; which request (so which beneficiary) only when the tenant turned ``identified``
    on. Responses of a program with fewer than 5 responses in the period are left out."""
    periods = periods_between(start, end)
    rows = list(
        db.session.scalars(
            db.select(SurveyResponse)
            .where(SurveyResponse.period.in_(periods), SurveyResponse.channel.in_(CHANNELS))
            .order_by(SurveyResponse.id)
        )
    )
    per_program: dict[int | None, int] = {}
    for r in rows:
        per_program[r.program_id] = per_program.get(r.program_id, 0) + 1
    # fail closed: without the right, only answers to questions known not to be free text
    closed_ids = {
        str(i) for i in db.session.scalars(db.select(SurveyQuestion.id).where(SurveyQuestion.kind != "text"))
    }
    free_text = can_read_free_text(user)
    identified = survey_settings()["identified"]
    request_of = {}
    if identified:
        ids = [r.invitation_id for r in rows if r.invitation_id]
        if ids:
            request_of = dict(
                db.session.execute(
                    db.select(SurveyInvitation.id, SurveyInvitation.request_id).where(
                        SurveyInvitation.id.in_(ids)
                    )
                ).all()
            )
    out = []
    for r in rows:
        if stats.suppressed(per_program[r.program_id]):
            continue
        answers = {k: v for k, v in (r.answers or {}).items() if free_text or k in closed_ids}
        out.append(
            {
                "id": r.id,
                "version_id": r.version_id,
                "program_id": r.program_id,
                "period": r.period,
                "channel": r.channel,
                "kpi_score": r.kpi_score,
                "answers": answers,
                "request_id": request_of.get(r.invitation_id) if identified else None,
            }
        )
    return out
