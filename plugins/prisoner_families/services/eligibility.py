"""Eligibility (seed 002): the three conditions — in the association's scope and service area,
Saudi or legal resident, registered as a beneficiary — each with its outcome and reason."""

from __future__ import annotations

import sqlalchemy as sa

from core.toolkit import BeneficiaryFile, Household, Person, db, get_in_tenant, require_tenant, today

from .. import rules
from ..i18n import _l
from ..models import Enrolment, FamilyLink, Prisoner
from ._common import PLUGIN_ID, settings


def eligibility_facts(household: Household | None, person: Person | None = None) -> rules.EligibilityFacts:
    """What seed 002's conditions need, read from the registry and the plugin's tables."""
    relation = None
    person = person or (household.head if household is not None else None)
    prisoner = None
    if household is not None:
        link = db.session.scalars(
            db.select(FamilyLink).where(FamilyLink.household_id == household.id)
        ).first()
        if link is not None:
            relation = "prisoner_family"
            prisoner = get_in_tenant(Prisoner, link.prisoner_id)
    if person is not None:
        own = db.session.scalars(db.select(Prisoner).where(Prisoner.person_id == person.id)).first()
        if own is not None:
            prisoner = own
            relation = "released_prisoner" if own.status == "released" else "prisoner"
    file = None
    if household is not None:
        file = db.session.scalars(
            db.select(BeneficiaryFile).where(BeneficiaryFile.household_id == household.id)
        ).first()
    enrolled = False
    if prisoner is not None and relation != "prisoner_family":
        enrolled = (
            db.session.scalars(
                db.select(Enrolment.id).where(
                    Enrolment.prisoner_id == prisoner.id, Enrolment.status == "enrolled"
                )
            ).first()
            is not None
        )
    return rules.EligibilityFacts(
        relation=relation,
        city=getattr(person, "city", None),
        id_type=getattr(person, "id_type", None),
        id_expired=bool(person is not None and person.id_expiry and person.id_expiry < today()),
        file_status=file.status if file is not None else None,
        enrolled=enrolled,
    )


def eligibility_facts_of_households(households: list[Household]) -> dict[int, rules.EligibilityFacts]:
    """``eligibility_facts(household)`` of many households (household id → facts) in a few
    queries, whatever their number."""
    households = [h for h in households if h is not None]
    if not households:
        return {}
    ids = [h.id for h in households]
    heads = {h.id: h.head for h in households}
    links: dict[int, FamilyLink] = {}
    for link in db.session.scalars(
        db.select(FamilyLink).where(FamilyLink.household_id.in_(ids)).order_by(FamilyLink.id)
    ):
        links.setdefault(link.household_id, link)
    own: dict[int, Prisoner] = {}
    head_ids = [p.id for p in heads.values() if p is not None]
    wanted = {lk.prisoner_id for lk in links.values()}
    prisoners: dict[int, Prisoner] = {}
    if head_ids or wanted:
        for prisoner in db.session.scalars(
            db.select(Prisoner)
            .where(sa.or_(Prisoner.person_id.in_(head_ids), Prisoner.id.in_(wanted)))
            .order_by(Prisoner.id)
        ):
            prisoners[prisoner.id] = prisoner
            if prisoner.person_id in head_ids:
                own.setdefault(prisoner.person_id, prisoner)
    files: dict[int, BeneficiaryFile] = {}
    for file in db.session.scalars(
        db.select(BeneficiaryFile).where(BeneficiaryFile.household_id.in_(ids)).order_by(BeneficiaryFile.id)
    ).unique():
        files.setdefault(file.household_id, file)
    relations: dict[int, tuple[str | None, Prisoner | None]] = {}
    for household in households:
        relation, prisoner = None, None
        if household.id in links:
            relation, prisoner = "prisoner_family", prisoners.get(links[household.id].prisoner_id)
        head = heads[household.id]
        if head is not None and head.id in own:
            prisoner = own[head.id]
            relation = "released_prisoner" if prisoner.status == "released" else "prisoner"
        relations[household.id] = (relation, prisoner)
    asking = {p.id for relation, p in relations.values() if p is not None and relation != "prisoner_family"}
    enrolled = (
        set(
            db.session.scalars(
                db.select(Enrolment.prisoner_id).where(
                    Enrolment.prisoner_id.in_(asking), Enrolment.status == "enrolled"
                )
            )
        )
        if asking
        else set()
    )
    facts = {}
    for household in households:
        relation, prisoner = relations[household.id]
        person = heads[household.id]
        file = files.get(household.id)
        facts[household.id] = rules.EligibilityFacts(
            relation=relation,
            city=getattr(person, "city", None),
            id_type=getattr(person, "id_type", None),
            id_expired=bool(person is not None and person.id_expiry and person.id_expiry < today()),
            file_status=file.status if file is not None else None,
            enrolled=bool(prisoner is not None and relation != "prisoner_family" and prisoner.id in enrolled),
        )
    return facts


def current_service_area() -> list[str]:
    return rules.service_area(settings()["service_area"], require_tenant().service_area or [])


LABELS = {
    "scope": _l("Within the association's scope and service area"),
    "residency": _l("Saudi or legal resident"),
    "registered": _l("Registered as a beneficiary of the association"),
}
REASONS = {
    "not_in_scope": _l("Not a prisoner, a released prisoner or a prisoner's family."),
    "no_service_area": _l("The association's service area is not set."),
    "outside_area": _l("Lives outside the association's service area."),
    "in_scope": _l("A prisoner, released prisoner or prisoner's family living in the service area."),
    "no_id": _l("No Saudi national ID or iqama is recorded."),
    "id_expired": _l("The ID or iqama has expired."),
    "citizen": _l("Saudi citizen."),
    "resident": _l("Legal resident with a valid iqama."),
    "registered": _l("Registered in the association's services or programs."),
    "no_file": _l("Has no beneficiary file in the association."),
    "file_not_active": _l("The beneficiary file is not active."),
}


def assess(household: Household | None, person: Person | None = None) -> list[dict]:
    """The three conditions as dicts (code, label, outcome pass/fail, reason, figures)."""
    return _outcomes(eligibility_facts(household, person), current_service_area())


def assess_households(households: list[Household]) -> dict[int, list[dict]]:
    """``assess(household)`` of many households (household id → conditions), in a few queries."""
    area = current_service_area()
    return {
        household_id: _outcomes(facts, area)
        for household_id, facts in eligibility_facts_of_households(households).items()
    }


def _outcomes(facts: rules.EligibilityFacts, area: list[str]) -> list[dict]:
    outcomes = rules.eligibility(facts, area)
    return [
        {
            "code": f"{PLUGIN_ID}.{o.code}",
            "label": LABELS[o.code],
            "outcome": "pass" if o.passed else "fail",
            "reason": REASONS[o.reason],
            "figures": o.figures,
        }
        for o in outcomes
    ]
