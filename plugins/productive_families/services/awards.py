"""The annual award for the outstanding productive family: criteria with weights summing to 100,
nominations, judges who score each criterion 0–10 on their own page (a judge sees no other
judge's scores, nor the ranking, until they have submitted all theirs), weighted totals ranked
(``rules.rank`` states the tie-break) and the winners published on the portal."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import (
    Conflict,
    Forbidden,
    NotFound,
    User,
    db,
    get_in_tenant,
    require_tenant,
    roles_in,
    utcnow,
)

from .. import rules
from ..i18n import _l
from ..models import AwardNomination, AwardRound, AwardScore
from ..schemas import AwardRoundSchema, JudgeSchema, NominationSchema, ScoresSchema
from ._common import audit
from .producers import get_producer


def create_round(data: dict, actor: Any = None) -> AwardRound:
    values = AwardRoundSchema().load(data)
    if db.session.scalar(sa.select(AwardRound.id).where(AwardRound.year == values["year"])):
        raise ValidationError({"year": [_l("This year already has an award round.")]})
    criteria = [{"code": f"c{i}", **c} for i, c in enumerate(values.pop("criteria"), start=1)]
    award = AwardRound(criteria=criteria, judge_ids=[], **values)
    db.session.add(award)
    db.session.flush()
    audit("award.created", award, {"criteria": len(criteria)}, actor)
    return award


def get_round(round_id: int) -> AwardRound:
    award = get_in_tenant(AwardRound, round_id)
    if award is None:
        raise NotFound(_l("No such award round in this association."))
    return award


def list_rounds() -> list[AwardRound]:
    return list(db.session.scalars(sa.select(AwardRound).order_by(AwardRound.year.desc())))


def _open(award: AwardRound) -> None:
    if award.published_at is not None:
        raise Conflict(_l("The award's results are published: it takes no more changes."))


def nominate(award: AwardRound, data: dict, actor: Any = None) -> AwardNomination:
    _open(award)
    values = NominationSchema().load(data)
    producer = get_producer(values["producer_id"])
    exists = db.session.scalar(
        sa.select(AwardNomination.id).where(
            AwardNomination.round_id == award.id, AwardNomination.producer_id == producer.id
        )
    )
    if exists:
        raise ValidationError({"producer_id": [_l("This producer is already nominated.")]})
    nomination = AwardNomination(round_id=award.id, producer_id=producer.id)
    db.session.add(nomination)
    db.session.flush()
    audit("award.nominated", award, {"nomination_id": nomination.id}, actor)
    return nomination


def add_judge(award: AwardRound, data: dict, actor: Any = None) -> User:
    """A member of the association's staff judges the round."""
    _open(award)
    values = JudgeSchema().load(data)
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == values["email"].lower()))
    roles = roles_in(user, require_tenant()) if user is not None else frozenset()
    if not roles - {"applicant"}:
        raise ValidationError({"email": [_l("No member of the association's staff has this e-mail.")]})
    if user.id not in award.judge_ids:
        award.judge_ids = [*award.judge_ids, user.id]
        db.session.flush()
        audit("award.judge_added", award, {"judge_id": user.id}, actor)
    return user


def nominations_of(award: AwardRound) -> list[AwardNomination]:
    query = (
        sa.select(AwardNomination).where(AwardNomination.round_id == award.id).order_by(AwardNomination.id)
    )
    return list(db.session.scalars(query).unique())


def _scores(award: AwardRound, judge_id: int | None = None) -> list[AwardScore]:
    query = (
        sa.select(AwardScore)
        .join(
            AwardNomination,
            sa.and_(
                AwardNomination.id == AwardScore.nomination_id,
                AwardNomination.tenant_id == AwardScore.tenant_id,
            ),
        )
        .where(AwardNomination.round_id == award.id)
    )
    if judge_id is not None:
        query = query.where(AwardScore.judge_id == judge_id)
    return list(db.session.scalars(query))


def _check_judge(award: AwardRound, user: Any) -> None:
    if getattr(user, "id", None) not in award.judge_ids:
        raise Forbidden(_l("Only the round's judges score it."))


def judge_tasks(award: AwardRound, user: Any) -> list[dict]:
    """What the judge sees: each nomination with the judge's own scores (None until submitted) —
    never another judge's."""
    _check_judge(award, user)
    mine = {s.nomination_id: s.scores for s in _scores(award, user.id)}
    return [
        {"nomination_id": n.id, "trade_name": n.producer.trade_name, "scores": mine.get(n.id)}
        for n in nominations_of(award)
    ]


def submit_scores(award: AwardRound, nomination_id: int, user: Any, data: dict) -> AwardScore:
    """The judge's scores of one nomination, every criterion 0–10; final once submitted."""
    _open(award)
    _check_judge(award, user)
    nomination = get_in_tenant(AwardNomination, nomination_id)
    if nomination is None or nomination.round_id != award.id:
        raise NotFound(_l("No such nomination."))
    values = ScoresSchema().load(data)["scores"]
    codes = {c["code"] for c in award.criteria}
    errors = {code: [_l("Score every criterion from 0 to 10.")] for code in codes - set(values)}
    errors.update({code: [_l("Not a criterion of this award.")] for code in set(values) - codes})
    if errors:
        raise ValidationError(errors)
    if _scores_of(nomination.id, user.id) is not None:
        raise Conflict(_l("You have already submitted your scores for this nomination."))
    score = AwardScore(nomination_id=nomination.id, judge_id=user.id, scores=values)
    db.session.add(score)
    db.session.flush()
    audit("award.scored", award, {"nomination_id": nomination.id}, user)
    return score


def _scores_of(nomination_id: int, judge_id: int) -> AwardScore | None:
    return db.session.scalar(
        sa.select(AwardScore).where(
            AwardScore.nomination_id == nomination_id, AwardScore.judge_id == judge_id
        )
    )


def may_see_results(award: AwardRound, user: Any) -> bool:
    """A judge sees the totals only once they have scored every nomination."""
    if getattr(user, "id", None) not in award.judge_ids:
        return True
    return len(_scores(award, user.id)) >= len(nominations_of(award))


def results(award: AwardRound, user: Any = None) -> list[dict]:
    """Nominations ranked by weighted total (``rules.rank``)."""
    if user is not None and not may_see_results(award, user):
        raise Forbidden(_l("Submit your own scores first: the results stay hidden from a judge until then."))
    by_nomination: dict[int, list[dict]] = {}
    for score in _scores(award):
        by_nomination.setdefault(score.nomination_id, []).append(score.scores)
    entries = [
        {
            "id": n.id,
            "trade_name": n.producer.trade_name,
            "scores": by_nomination.get(n.id, []),
            "total": rules.weighted_total(by_nomination.get(n.id, []), award.criteria),
            "judges": len(by_nomination.get(n.id, [])),
        }
        for n in nominations_of(award)
    ]
    return rules.rank(entries, award.criteria)


def publish(award: AwardRound, actor: Any = None) -> AwardRound:
    _open(award)
    if not _scores(award):
        raise Conflict(_l("No judge has scored yet: nothing to publish."))
    award.published_at = utcnow()
    db.session.flush()
    audit("award.published", award, {}, actor)
    return award


def published_winners() -> tuple[AwardRound | None, list[dict]]:
    """The latest published round and its winners (the first ``winners`` of the ranking)."""
    award = db.session.scalar(
        sa.select(AwardRound)
        .where(AwardRound.published_at.is_not(None))
        .order_by(AwardRound.year.desc())
        .limit(1)
    )
    if award is None:
        return None, []
    return award, results(award)[: award.winners]
