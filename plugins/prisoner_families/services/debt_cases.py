"""Debt cases of insolvent private-right prisoners (goal 4 of seed 000): the claim, the
negotiations with the creditor, what was forgiven and paid (by the association through an
insolvency program's disbursement, or by others), under the case's row lock."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError

from core.toolkit import (
    AidRequest,
    BeneficiaryFile,
    CatalogItem,
    Conflict,
    Household,
    NotFound,
    RequestCreateSchema,
    create_request,
    db,
    format_halalas,
    get_in_tenant,
    get_or_404,
    localized,
    normalize_digits,
    require_tenant,
    today,
)

from .. import rules
from ..i18n import _, _l
from ..models import DebtCase, DebtEntry, FamilyLink, Negotiation, Prisoner
from ._common import PLUGIN_ID, actor_id, audit, settings


def list_cases(
    status: str | None = None, *, prisoner_id: int | None = None, limit: int | None = None, offset: int = 0
) -> list[DebtCase]:
    """Debt cases (:func:`cases_query`); ``limit``/``offset`` for a slice."""
    query = cases_query(status, prisoner_id=prisoner_id)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(db.session.scalars(query))


def cases_query(status: str | None = None, *, prisoner_id: int | None = None) -> sa.Select:
    """Debt cases, newest first, filtered in SQL (``status``, one prisoner's)."""
    query = db.select(DebtCase).order_by(DebtCase.id.desc())
    if status:
        query = query.where(DebtCase.status == status)
    if prisoner_id is not None:
        query = query.where(DebtCase.prisoner_id == prisoner_id)
    return query


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
        opened_on=data.get("opened_on") or today(),
        status="open",
    )
    db.session.add(case)
    db.session.flush()
    audit(
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
        entry_date=entry_date or today(),
        payer=payer or "",
        note=note or "",
        catalog_code=catalog_code,
        disbursement_id=disbursement_id,
        recorded_by_id=actor_id(actor),
    )
    db.session.add(entry)
    db.session.flush()
    audit(
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
    audit(
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
        case.closed_on = max(today(), prisoner.released_on)
        db.session.flush()
        audit("debt_case.closed", case, {"claimed_halalas": case.claimed_halalas}, actor)


def close_settled_cases(prisoner: Prisoner, actor: Any = None) -> None:
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


def _riyals(halalas: int) -> str:
    riyals, rest = divmod(int(halalas), 100)
    return f"{riyals}.{rest:02d}" if rest else str(riyals)


def request_for_case(case: DebtCase, actor: Any) -> AidRequest:
    """A draft aid request paying towards ``case``: the prisoner's family head as the applicant
    (linked to the family's file), the first insolvency program, the remainder asked. Staff
    complete and submit it; its disbursements then count as paid by the association."""
    if case.status != "open":
        raise Conflict(_("The debt case is closed."))
    if case.remaining_halalas <= 0:
        raise Conflict(
            _("Nothing is left to pay on this case: it closes when the prisoner's release is recorded.")
        )
    prisoner = get_or_404(Prisoner, case.prisoner_id)
    link = db.session.scalars(
        db.select(FamilyLink).where(FamilyLink.prisoner_id == prisoner.id).order_by(FamilyLink.id).limit(1)
    ).first()
    household = get_in_tenant(Household, link.household_id) if link is not None else None
    file = (
        db.session.scalars(
            db.select(BeneficiaryFile).where(BeneficiaryFile.household_id == household.id)
        ).first()
        if household is not None
        else None
    )
    head = household.head if household is not None else prisoner.person
    codes = settings()["insolvency_programs"]
    items = {
        i.code: i.id for i in db.session.scalars(db.select(CatalogItem).where(CatalogItem.code.in_(codes)))
    }
    program = next((items[code] for code in codes if code in items), None)
    data = {
        "channel": "in_person",
        "applicant_name": head.full_name,
        "applicant_phone": head.phone or None,
        "applicant_city": head.city or None,
        "summary": _(
            "Paying towards the debt of %(prisoner)s to %(creditor)s",
            prisoner=prisoner.person.full_name,
            creditor=case.creditor,
        ),
        "requested_amount": _riyals(case.remaining_halalas),
        "extra": {PLUGIN_ID: {"debt_case_id": case.id}},
    }
    if program is not None:
        data["catalog_item_id"] = program
    if file is not None:
        data["file_id"] = file.id
    request = create_request(
        RequestCreateSchema().load({k: v for k, v in data.items() if v is not None}), actor
    )
    audit("debt_case.request_created", case, {"request": request.id}, actor)
    return request
