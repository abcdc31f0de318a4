"""Telling the beneficiary, and what the applicant's portal page shows."""

from __future__ import annotations

from typing import Any

from core.toolkit import (
    AidRequest,
    BeneficiaryFile,
    Household,
    User,
    db,
    get_in_tenant,
    notify,
)


def applicant_user_ids(file: BeneficiaryFile) -> list[int]:
    return list(
        db.session.scalars(
            db.select(AidRequest.applicant_user_id)
            .where(AidRequest.file_id == file.id, AidRequest.applicant_user_id.is_not(None))
            .distinct()
        )
    )


def notify_file(file: BeneficiaryFile, template: str, **context: Any) -> None:
    """Tell the beneficiary (the household head's phone/e-mail, and their portal account)."""
    household = get_in_tenant(Household, file.household_id)
    head = household.head if household else None
    user_ids = applicant_user_ids(file)
    user = db.session.get(User, user_ids[0]) if user_ids else None
    notify(
        template,
        {"file": file.id, **context},
        user=user,
        email=getattr(head, "email", None)
        if user is None or user.email != getattr(head, "email", None)
        else None,
        phone=getattr(head, "phone", None),
    )


def files_of_user(user: Any) -> list[BeneficiaryFile]:
    ids = db.session.scalars(
        db.select(AidRequest.file_id)
        .where(AidRequest.applicant_user_id == user.id, AidRequest.file_id.is_not(None))
        .distinct()
    ).all()
    return [f for f in (get_in_tenant(BeneficiaryFile, i) for i in ids) if f is not None]


def requests_of_user(user: Any) -> list[AidRequest]:
    return list(
        db.session.scalars(
            db.select(AidRequest)
            .where(AidRequest.applicant_user_id == user.id)
            .order_by(AidRequest.id.desc())
        )
    )
