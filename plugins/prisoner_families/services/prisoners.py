"""Prisoners and their families: the prisoner record, his release, and the households linked
to him with their evidence (a letter from the prison administration or the court)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import Conflict, Document, Household, Person, db, get_in_tenant, today

from ..i18n import _, _l
from ..models import Enrolment, FamilyLink, Prisoner
from ._common import audit
from .debt_cases import close_settled_cases
from .rehabilitation import schedule_follow_ups


def list_prisoners(
    status: str | None = None,
    *,
    insolvent_private_right: bool = False,
    not_in_program: int | None = None,
    exclude_status: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Prisoner]:
    """The tenant's prisoners (:func:`prisoners_query`); ``limit``/``offset`` for a slice."""
    query = prisoners_query(
        status,
        insolvent_private_right=insolvent_private_right,
        not_in_program=not_in_program,
        exclude_status=exclude_status,
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(db.session.scalars(query))


def prisoners_query(
    status: str | None = None,
    *,
    insolvent_private_right: bool = False,
    not_in_program: int | None = None,
    exclude_status: str | None = None,
) -> sa.Select:
    """The tenant's prisoners, newest first, filtered in SQL: by ``status``; only insolvent
    private-right prisoners (who may have a debt case); not enrolled in program ``not_in_program``;
    not in ``exclude_status`` (a list's page: ``page_of``)."""
    query = db.select(Prisoner).order_by(Prisoner.id.desc())
    if status:
        query = query.where(Prisoner.status == status)
    if insolvent_private_right:
        query = query.where(Prisoner.insolvent.is_(True), Prisoner.case_type == "private_right")
    if not_in_program is not None:
        enrolled = db.select(Enrolment.prisoner_id).where(
            Enrolment.program_id == not_in_program, Enrolment.prisoner_id.is_not(None)
        )
        query = query.where(Prisoner.id.not_in(enrolled))
    if exclude_status:
        query = query.where(Prisoner.status != exclude_status)
    return query


def expected_releases(until: date) -> list[Prisoner]:
    """Prisoners still in prison whose expected release falls on or before ``until`` (those
    whose expected date passed with no release recorded too), soonest first, in one query."""
    query = db.select(Prisoner).where(
        Prisoner.status == "in_prison",
        Prisoner.expected_release_on.is_not(None),
        Prisoner.expected_release_on <= until,
    )
    return list(db.session.scalars(query.order_by(Prisoner.expected_release_on, Prisoner.id)))


def create_prisoner(data: dict, actor: Any = None) -> Prisoner:
    person = get_in_tenant(Person, data["person_id"])
    if person is None:
        raise ValidationError({"person_id": [_l("No such person in this association.")]})
    if db.session.scalars(db.select(Prisoner.id).where(Prisoner.person_id == person.id)).first():
        raise ValidationError({"person_id": [_l("This person is already registered as a prisoner.")]})
    prisoner = Prisoner(**data)
    _check_prisoner(prisoner)
    db.session.add(prisoner)
    db.session.flush()
    audit("prisoner.created", prisoner, {"case_type": prisoner.case_type, "status": prisoner.status}, actor)
    if prisoner.status == "released":
        schedule_follow_ups(prisoner)
    return prisoner


def update_prisoner(prisoner: Prisoner, data: dict, actor: Any = None) -> Prisoner:
    changed = [k for k, v in data.items() if getattr(prisoner, k) != v]
    for key in changed:
        setattr(prisoner, key, data[key])
    _check_prisoner(prisoner)
    db.session.flush()
    if changed:
        audit("prisoner.updated", prisoner, {"fields": changed}, actor)
    if prisoner.status == "released":
        schedule_follow_ups(prisoner)
        close_settled_cases(prisoner, actor)
    return prisoner


def _check_prisoner(prisoner: Prisoner) -> None:
    errors: dict = {}
    if prisoner.expected_release_on and prisoner.expected_release_on < prisoner.imprisoned_on:
        errors["expected_release_on"] = [_l("The expected release cannot be before the imprisonment.")]
    if prisoner.status == "released" and not prisoner.released_on:
        errors["released_on"] = [_l("Enter the release date.")]
    if prisoner.released_on and prisoner.released_on < prisoner.imprisoned_on:
        errors["released_on"] = [_l("The release cannot be before the imprisonment.")]
    if prisoner.insolvent and prisoner.case_type != "private_right":
        errors["insolvent"] = [_l("Only a private-right prisoner can be insolvent.")]
    if errors:
        raise ValidationError(errors)


def record_release(prisoner: Prisoner, released_on: date, actor: Any = None) -> Prisoner:
    if prisoner.status != "in_prison":
        raise Conflict(_("The prisoner is not in prison."))
    return update_prisoner(prisoner, {"status": "released", "released_on": released_on}, actor)


def family_links(prisoner: Prisoner) -> list[FamilyLink]:
    return list(db.session.scalars(db.select(FamilyLink).where(FamilyLink.prisoner_id == prisoner.id)))


def link_family(prisoner: Prisoner, data: dict, actor: Any = None) -> FamilyLink:
    household = get_in_tenant(Household, data["household_id"])
    if household is None:
        raise ValidationError({"household_id": [_l("No such household in this association.")]})
    document_id = data.get("evidence_document_id")
    if document_id is not None:
        document = get_in_tenant(Document, document_id)
        if document is None:
            raise ValidationError({"evidence_document_id": [_l("No such document in this association.")]})
    existing = db.session.scalars(
        db.select(FamilyLink).where(FamilyLink.household_id == household.id)
    ).first()
    if existing is not None:
        raise ValidationError({"household_id": [_l("This household is already linked to a prisoner.")]})
    link = FamilyLink(
        prisoner_id=prisoner.id,
        household_id=household.id,
        evidence_document_id=document_id,
        linked_on=data.get("linked_on") or today(),
    )
    db.session.add(link)
    if household.category != "prisoner_family":
        household.category = "prisoner_family"
    db.session.flush()
    audit(
        "family.linked",
        link,
        {"prisoner": prisoner.id, "household": household.id, "evidence": document_id},
        actor,
    )
    return link
