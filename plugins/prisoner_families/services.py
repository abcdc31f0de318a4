"""Services of the plugin: plain functions that validate against the database, write through
the session (flush, never commit) and audit each change. Callers commit once, so a refusal
writes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import (
    BeneficiaryFile,
    CatalogItem,
    Conflict,
    Document,
    Household,
    NotFound,
    Person,
    audit_record,
    db,
    format_halalas,
    get_in_tenant,
    get_or_404,
    localized,
    normalize_digits,
    plugin_settings,
    require_tenant,
    utcnow,
)

from . import rules
from .i18n import _, _l
from .models import (
    Attendance,
    DebtCase,
    DebtEntry,
    Employment,
    Enrolment,
    FamilyLink,
    FollowUp,
    Negotiation,
    Placement,
    Prisoner,
    Program,
    ProgramSession,
)
from .settings import DEFAULT_PROGRAMS

PLUGIN_ID = "prisoner_families"


def settings() -> dict:
    return plugin_settings(PLUGIN_ID)


def _actor_id(actor: Any) -> int | None:
    return getattr(actor, "id", None) if getattr(actor, "is_authenticated", False) else None


def _audit(action: str, obj: Any, details: dict | None = None, actor: Any = None) -> None:
    audit_record(f"{PLUGIN_ID}.{action}", type(obj).__name__, obj.id, details or {}, user=actor)


# --------------------------------------------------------------------------- prisoners and families


def list_prisoners(
    status: str | None = None,
    *,
    insolvent_private_right: bool = False,
    not_in_program: int | None = None,
    exclude_status: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Prisoner]:
    """The tenant's prisoners, newest first, filtered in SQL: by ``status``; only insolvent
    private-right prisoners (who may have a debt case); not enrolled in program ``not_in_program``;
    not in ``exclude_status``; ``limit``/``offset`` for a page."""
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
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(db.session.scalars(query))


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
    _audit("prisoner.created", prisoner, {"case_type": prisoner.case_type, "status": prisoner.status}, actor)
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
        _audit("prisoner.updated", prisoner, {"fields": changed}, actor)
    if prisoner.status == "released":
        schedule_follow_ups(prisoner)
        _close_settled_cases(prisoner, actor)
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
        linked_on=data.get("linked_on") or utcnow().date(),
    )
    db.session.add(link)
    if household.category != "prisoner_family":
        household.category = "prisoner_family"
    db.session.flush()
    _audit(
        "family.linked",
        link,
        {"prisoner": prisoner.id, "household": household.id, "evidence": document_id},
        actor,
    )
    return link


# --------------------------------------------------------------------------- eligibility


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
        id_expired=bool(person is not None and person.id_expiry and person.id_expiry < date.today()),
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
            id_expired=bool(person is not None and person.id_expiry and person.id_expiry < date.today()),
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


# --------------------------------------------------------------------------- debt cases


def list_cases(
    status: str | None = None, *, prisoner_id: int | None = None, limit: int | None = None, offset: int = 0
) -> list[DebtCase]:
    """Debt cases, newest first, filtered in SQL (``status``, one prisoner's); ``limit``/``offset`` for a page."""
    query = db.select(DebtCase).order_by(DebtCase.id.desc())
    if status:
        query = query.where(DebtCase.status == status)
    if prisoner_id is not None:
        query = query.where(DebtCase.prisoner_id == prisoner_id)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(db.session.scalars(query))


def create_case(data: dict, actor: Any = None) -> DebtCase:
    prisoner = get_in_tenant(Prisoner, data["prisoner_id"])
    if prisoner is None:
        raise ValidationError({"prisoner_id": [_l("No such prisoner in this association.")]})
    if prisoner.case_type != "private_right" or not prisoner.insolvent:
        raise ValidationError(
            {"prisoner_id": [_l("A debt case is for an insolvent private-right prisoner.")]}
        )
    if data["claimed_halalas"] <= 0:
        raise ValidationError({"claimed": [_l("The amount must be more than zero.")]})
    case = DebtCase(
        prisoner_id=prisoner.id,
        creditor=data["creditor"],
        court_reference=normalize_digits(data.get("court_reference") or ""),
        claimed_halalas=data["claimed_halalas"],
        opened_on=data.get("opened_on") or utcnow().date(),
        status="open",
    )
    db.session.add(case)
    db.session.flush()
    _audit(
        "debt_case.created", case, {"prisoner": prisoner.id, "claimed_halalas": case.claimed_halalas}, actor
    )
    return case


def lock_case(case_id: int) -> DebtCase:
    """The case with its current amounts, locked until commit.

    PostgreSQL: ``SELECT … FOR UPDATE`` on the row. SQLite: a no-op ``UPDATE`` first takes
    the database write lock (held to commit), so the read that follows is current.
    """
    tenant_id = require_tenant().id
    table = DebtCase.__table__
    if db.session.get_bind().dialect.name != "postgresql":
        db.session.execute(
            sa.update(table)
            .where(table.c.tenant_id == tenant_id, table.c.id == case_id)
            .values(id=table.c.id)
        )
    case = db.session.scalars(
        db.select(DebtCase)
        .where(DebtCase.id == case_id, DebtCase.tenant_id == tenant_id)
        .options(sa.orm.lazyload(DebtCase.prisoner))
        .with_for_update(of=DebtCase)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if case is None:
        raise NotFound(_("Not found."))
    return case


def _totals(case: DebtCase) -> rules.DebtTotals:
    return rules.DebtTotals(
        claimed=case.claimed_halalas,
        forgiven=case.forgiven_halalas,
        paid_by_association=case.paid_by_association_halalas,
        paid_by_others=case.paid_by_others_halalas,
    )


def _refusal(exc: rules.SettlementRefused) -> Conflict:
    if exc.code == "case_closed":
        return Conflict(_("The debt case is closed."))
    if exc.code == "exceeds_remaining":
        message = _(
            "The amount exceeds what remains of the claim (%(remaining)s SAR).",
            remaining=format_halalas(exc.figures["remaining"]),
        )
        return Conflict(message, {"amount": [message]})
    message = _("The amount must be more than zero.")
    return Conflict(message, {"amount": [message]})


def add_entry(
    case_id: int,
    kind: str,
    amount_halalas: int,
    *,
    entry_date: date | None = None,
    payer: str = "",
    note: str = "",
    catalog_code: str | None = None,
    disbursement_id: int | None = None,
    actor: Any = None,
) -> DebtEntry:
    """Forgive or pay part of a case under the row lock; refuses (409) what breaks the rules."""
    case = lock_case(case_id)
    try:
        new = rules.settle(_totals(case), kind, amount_halalas, closed=case.status == "closed")
    except rules.SettlementRefused as exc:
        raise _refusal(exc) from None
    case.forgiven_halalas = new.forgiven
    case.paid_by_association_halalas = new.paid_by_association
    case.paid_by_others_halalas = new.paid_by_others
    entry = DebtEntry(
        case_id=case.id,
        kind=kind,
        amount_halalas=amount_halalas,
        entry_date=entry_date or utcnow().date(),
        payer=payer or "",
        note=note or "",
        catalog_code=catalog_code,
        disbursement_id=disbursement_id,
        recorded_by_id=_actor_id(actor),
    )
    db.session.add(entry)
    db.session.flush()
    _audit(
        "debt_case.entry",
        case,
        {"kind": kind, "amount_halalas": amount_halalas, "remaining_halalas": case.remaining_halalas,
         "disbursement": disbursement_id},
        actor,
    )  # fmt: skip
    _maybe_close(case, actor)
    return entry


def add_negotiation(case_id: int, data: dict, actor: Any = None) -> Negotiation:
    case = get_or_404(DebtCase, case_id)
    if case.status == "closed":
        raise Conflict(_("The debt case is closed."))
    forgiven = data.get("forgiven_halalas") or 0
    outcome = data["outcome"]
    if outcome == "forgave_part" and forgiven <= 0:
        raise ValidationError({"forgiven": [_l("Enter the amount the creditor forgave.")]})
    if outcome in ("refused", "pending") and forgiven:
        raise ValidationError({"forgiven": [_l("Only a forgiving outcome records a forgiven amount.")]})
    if outcome == "forgave_all" and not forgiven:
        forgiven = case.remaining_halalas
    negotiation = Negotiation(
        case_id=case.id,
        attempted_on=data["attempted_on"],
        by_whom=data["by_whom"],
        outcome=data["outcome"],
        forgiven_halalas=forgiven,
        notes=data.get("notes") or "",
    )
    db.session.add(negotiation)
    db.session.flush()
    _audit(
        "debt_case.negotiation", case, {"outcome": negotiation.outcome, "forgiven_halalas": forgiven}, actor
    )
    if forgiven:
        add_entry(case.id, "forgiveness", forgiven, entry_date=data["attempted_on"], actor=actor)
    return negotiation


def _maybe_close(case: DebtCase, actor: Any = None) -> None:
    prisoner = get_in_tenant(Prisoner, case.prisoner_id)
    released = prisoner is not None and prisoner.status == "released" and prisoner.released_on is not None
    if case.status == "open" and rules.may_close(case.remaining_halalas, released):
        case.status = "closed"
        case.closed_on = max(utcnow().date(), prisoner.released_on)
        db.session.flush()
        _audit("debt_case.closed", case, {"claimed_halalas": case.claimed_halalas}, actor)


def _close_settled_cases(prisoner: Prisoner, actor: Any = None) -> None:
    for case in db.session.scalars(
        db.select(DebtCase).where(DebtCase.prisoner_id == prisoner.id, DebtCase.status == "open")
    ):
        _maybe_close(case, actor)


def case_entries(case: DebtCase) -> list[DebtEntry]:
    return list(
        db.session.scalars(db.select(DebtEntry).where(DebtEntry.case_id == case.id).order_by(DebtEntry.id))
    )


def case_negotiations(case: DebtCase) -> list[Negotiation]:
    return list(
        db.session.scalars(
            db.select(Negotiation).where(Negotiation.case_id == case.id).order_by(Negotiation.id)
        )
    )


def insolvency_program_names() -> list[str]:
    codes = settings()["insolvency_programs"]
    names = {
        item.code: localized(item, "name")
        for item in db.session.scalars(db.select(CatalogItem).where(CatalogItem.code.in_(codes)))
    }
    return [names.get(code, code) for code in codes]


def on_disbursement(disbursement: Any, request: Any) -> None:
    """A disbursement of an insolvency program linked to a debt case counts as paid by the
    association (once per disbursement); one that exceeds the remainder is refused."""
    case_id = ((request.extra or {}).get(PLUGIN_ID) or {}).get("debt_case_id")
    if not case_id or disbursement.catalog_item_id is None and request.catalog_item_id is None:
        return
    item = get_in_tenant(CatalogItem, disbursement.catalog_item_id or request.catalog_item_id)
    if item is None or item.code not in settings()["insolvency_programs"]:
        return
    if db.session.scalars(
        db.select(DebtEntry.id).where(DebtEntry.disbursement_id == disbursement.id)
    ).first():
        return
    add_entry(
        int(case_id),
        "association_payment",
        disbursement.value_halalas,
        entry_date=disbursement.disbursed_on,
        catalog_code=item.code,
        disbursement_id=disbursement.id,
        payer=item.name_ar,
    )


# --------------------------------------------------------------------------- rehabilitation


def list_programs(active_only: bool = False) -> list[Program]:
    query = db.select(Program).order_by(Program.id)
    if active_only:
        query = query.where(Program.active.is_(True))
    return list(db.session.scalars(query))


def create_program(data: dict, actor: Any = None) -> Program:
    if db.session.scalars(db.select(Program.id).where(Program.code == data["code"])).first():
        raise ValidationError({"code": [_l("A program with this code already exists.")]})
    data = dict(data)
    if data.get("min_attendance_percent") is None:
        data["min_attendance_percent"] = settings()["default_min_attendance_percent"]
    program = Program(**data)
    db.session.add(program)
    db.session.flush()
    _audit("program.created", program, {"code": program.code}, actor)
    return program


def install_default_programs(actor: Any = None) -> int:
    existing = {p.code for p in list_programs()}
    added = 0
    for spec in DEFAULT_PROGRAMS:
        if spec["code"] not in existing:
            create_program({"requires_interview": False, "fee_halalas": 0, **spec}, actor)
            added += 1
    return added


def enrol(program: Program, data: dict, actor: Any = None) -> Enrolment:
    prisoner = get_in_tenant(Prisoner, data["prisoner_id"])
    if prisoner is None:
        raise ValidationError({"prisoner_id": [_l("No such prisoner in this association.")]})
    if not program.active:
        raise Conflict(_("The program is not open for registration."))
    if prisoner.status == "deceased":
        raise ValidationError(
            {"prisoner_id": [_l("Only a prisoner or a released prisoner can be enrolled.")]}
        )
    if program.fee_halalas and not data.get("fee_acknowledged"):
        raise ValidationError(
            {"fee_acknowledged": [_l("The program's fee was announced: confirm it before registering.")]}
        )
    if db.session.scalars(
        db.select(Enrolment.id).where(
            Enrolment.program_id == program.id, Enrolment.prisoner_id == prisoner.id
        )
    ).first():
        raise ValidationError({"prisoner_id": [_l("Already enrolled in this program.")]})
    enrolment = Enrolment(
        program_id=program.id,
        prisoner_id=prisoner.id,
        enrolled_on=data.get("enrolled_on") or utcnow().date(),
        interview_outcome="pending" if program.requires_interview else None,
        fee_acknowledged=bool(data.get("fee_acknowledged")),
        status="enrolled",
    )
    db.session.add(enrolment)
    db.session.flush()
    _audit("enrolment.created", enrolment, {"program": program.id, "prisoner": prisoner.id}, actor)
    if prisoner.status == "released":
        schedule_follow_ups(prisoner)
    return enrolment


def record_interview(enrolment: Enrolment, data: dict, actor: Any = None) -> Enrolment:
    program = get_or_404(Program, enrolment.program_id)
    if not program.requires_interview:
        raise Conflict(_("This program does not require an interview."))
    enrolment.interview_outcome = data["outcome"]
    enrolment.interview_on = data["interview_on"]
    db.session.flush()
    _audit("enrolment.interview", enrolment, {"outcome": data["outcome"]}, actor)
    return enrolment


def program_sessions(program: Program) -> list[ProgramSession]:
    return list(
        db.session.scalars(
            db.select(ProgramSession)
            .where(ProgramSession.program_id == program.id)
            .order_by(ProgramSession.held_on)
        )
    )


def program_enrolments(program: Program) -> list[Enrolment]:
    return list(
        db.session.scalars(
            db.select(Enrolment).where(Enrolment.program_id == program.id).order_by(Enrolment.id)
        )
    )


def add_session(program: Program, data: dict, actor: Any = None) -> ProgramSession:
    session = ProgramSession(program_id=program.id, held_on=data["held_on"], topic=data.get("topic") or "")
    db.session.add(session)
    db.session.flush()
    _audit("session.created", session, {"program": program.id}, actor)
    return session


def record_attendance(session: ProgramSession, marks: list[dict], actor: Any = None) -> list[Attendance]:
    enrolments = {
        e.id: e
        for e in db.session.scalars(db.select(Enrolment).where(Enrolment.program_id == session.program_id))
    }
    program = get_or_404(Program, session.program_id)
    errors = {}
    for index, mark in enumerate(marks):
        enrolment = enrolments.get(mark["enrolment_id"])
        if enrolment is None:
            errors[index] = {"enrolment_id": [_l("Not enrolled in this program.")]}
        elif not rules.interview_ok(program.requires_interview, enrolment.interview_outcome):
            errors[index] = {"enrolment_id": [_l("The participant has not passed the program's interview.")]}
    if errors:
        raise ValidationError({"marks": errors})
    existing = {
        a.enrolment_id: a
        for a in db.session.scalars(db.select(Attendance).where(Attendance.session_id == session.id))
    }
    saved = []
    for mark in marks:
        row = existing.get(mark["enrolment_id"])
        if row is None:
            row = Attendance(session_id=session.id, enrolment_id=mark["enrolment_id"])
            db.session.add(row)
        row.present = bool(mark["present"])
        saved.append(row)
    db.session.flush()
    _audit("session.attendance", session, {"marks": len(marks)}, actor)
    return saved


def enrolment_progress(enrolment: Enrolment) -> dict:
    program = get_or_404(Program, enrolment.program_id)
    return enrolments_progress(program, [enrolment])[enrolment.id]


def enrolments_progress(program: Program, enrolments: list[Enrolment]) -> dict[int, dict]:
    """``enrolment_progress`` of one program's enrolments (enrolment id → progress) in two queries."""
    if not enrolments:
        return {}
    held = db.session.scalar(
        db.select(sa.func.count(ProgramSession.id)).where(ProgramSession.program_id == program.id)
    )
    attended = dict(
        db.session.execute(
            db.select(Attendance.enrolment_id, sa.func.count(Attendance.id))
            .where(Attendance.enrolment_id.in_([e.id for e in enrolments]), Attendance.present.is_(True))
            .group_by(Attendance.enrolment_id)
        ).all()
    )
    return {e.id: _progress(program, e, int(held or 0), int(attended.get(e.id) or 0)) for e in enrolments}


def _progress(program: Program, enrolment: Enrolment, held: int, present: int) -> dict:
    return {
        "sessions_held": int(held or 0),
        "sessions_attended": int(present or 0),
        "attendance_percent": rules.attendance_percent(int(present or 0), int(held or 0)),
        "min_attendance_percent": program.min_attendance_percent,
        "interview_ok": rules.interview_ok(program.requires_interview, enrolment.interview_outcome),
        "completed": rules.completed(int(present or 0), int(held or 0), program.min_attendance_percent)
        and rules.interview_ok(program.requires_interview, enrolment.interview_outcome),
    }


def schedule_follow_ups(prisoner: Prisoner) -> list[FollowUp]:
    """Follow-ups at the tenant's months after release, for a released participant (idempotent)."""
    if prisoner.status != "released" or prisoner.released_on is None:
        return []
    has_enrolment = db.session.scalars(
        db.select(Enrolment.id).where(Enrolment.prisoner_id == prisoner.id)
    ).first()
    if not has_enrolment:
        return []
    existing = {
        f.months_after
        for f in db.session.scalars(db.select(FollowUp).where(FollowUp.prisoner_id == prisoner.id))
    }
    added = []
    for months, due in rules.follow_up_schedule(prisoner.released_on, settings()["follow_up_months"]):
        if months not in existing:
            follow_up = FollowUp(prisoner_id=prisoner.id, months_after=months, due_on=due)
            db.session.add(follow_up)
            added.append(follow_up)
    db.session.flush()
    return added


def list_follow_ups(
    pending_only: bool = False, *, prisoner_id: int | None = None, limit: int | None = None, offset: int = 0
) -> list[FollowUp]:
    """Follow-ups by due date, filtered in SQL (pending only, one prisoner's); ``limit``/``offset`` for a page."""
    query = db.select(FollowUp).order_by(FollowUp.due_on, FollowUp.id)
    if pending_only:
        query = query.where(FollowUp.done_on.is_(None))
    if prisoner_id is not None:
        query = query.where(FollowUp.prisoner_id == prisoner_id)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(db.session.scalars(query))


def record_follow_up(follow_up: FollowUp, data: dict, actor: Any = None) -> FollowUp:
    follow_up.done_on = data["done_on"]
    follow_up.returned_to_crime = data["returned_to_crime"]
    follow_up.notes = data.get("notes") or ""
    db.session.flush()
    _audit("follow_up.recorded", follow_up, {"returned_to_crime": follow_up.returned_to_crime}, actor)
    return follow_up


# --------------------------------------------------------------------------- self-reliance


def list_placements() -> list[Placement]:
    return list(db.session.scalars(db.select(Placement).order_by(Placement.placed_on.desc())))


def add_placement(data: dict, actor: Any = None) -> Placement:
    if get_in_tenant(Household, data["household_id"]) is None:
        raise ValidationError({"household_id": [_l("No such household in this association.")]})
    placement = Placement(**data)
    db.session.add(placement)
    db.session.flush()
    _audit("placement.created", placement, {"kind": placement.kind}, actor)
    return placement


def list_employments() -> list[Employment]:
    return list(db.session.scalars(db.select(Employment).order_by(Employment.referred_on.desc())))


def add_employment(data: dict, actor: Any = None) -> Employment:
    if get_in_tenant(Person, data["person_id"]) is None:
        raise ValidationError({"person_id": [_l("No such person in this association.")]})
    if data.get("employed_on") and data["employed_on"] < data["referred_on"]:
        raise ValidationError({"employed_on": [_l("The employment cannot be before the referral.")]})
    employment = Employment(**data)
    db.session.add(employment)
    db.session.flush()
    _audit("employment.created", employment, {"employed": employment.employed_on is not None}, actor)
    return employment
