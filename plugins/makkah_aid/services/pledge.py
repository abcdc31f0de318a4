"""The written pledge (إقرار خطي) some sanctions ask for: a core document of type ``pledge``
attached to the household on or after the violation date."""

from __future__ import annotations

from datetime import date

from core.toolkit import (
    BeneficiaryFile,
    Document,
    db,
    get_in_tenant,
    get_or_404,
    local_time,
    today,
)

from .. import rules
from ..i18n import _
from ..models import Violation


def _pledge_candidates(file: BeneficiaryFile) -> list[Document]:
    return list(
        db.session.scalars(
            db.select(Document)
            .where(Document.household_id == file.household_id, Document.doc_type == "pledge")
            .order_by(Document.uploaded_at, Document.id)
        ).unique()
    )


def _pledge_fits(document: Document, violation: Violation) -> bool:
    return rules.pledge_counts(local_time(document.uploaded_at).date(), violation.occurred_on)


def find_pledge(
    violation: Violation,
    file: BeneficiaryFile | None = None,
    *,
    candidates: list[Document] | None = None,
    linked: dict[int, Document] | None = None,
) -> Document | None:
    """The signed pledge of a violation: the one linked to it, else the first pledge document
    attached to the household on or after the violation date (linked from then on).

    ``candidates`` (the household's pledge documents) and ``linked`` (documents by id) when the
    caller loaded them for many violations at once (``pledge_statuses``)."""
    if not rules.pledge_required(violation.sanction or {}):
        return None
    if violation.pledge_document_id is not None:
        document = (
            linked.get(violation.pledge_document_id)
            if linked is not None
            else get_in_tenant(Document, violation.pledge_document_id)
        )
        if document is not None:
            return document
    if candidates is None:
        file = file or get_or_404(BeneficiaryFile, violation.file_id)
        candidates = _pledge_candidates(file)
    for document in candidates:
        if _pledge_fits(document, violation):
            violation.pledge_document_id = document.id
            db.session.flush()
            return document
    return None


def pledge_statuses(
    violations: list[Violation], file: BeneficiaryFile, on: date | None = None
) -> dict[int, dict]:
    """``pledge_status`` of each of one file's violations (violation id → status), the pledge
    documents loaded once for all of them."""
    if not any(rules.pledge_required(v.sanction or {}) for v in violations):
        return {v.id: pledge_status(v, on, candidates=[], linked={}) for v in violations}
    candidates = _pledge_candidates(file)
    linked = {d.id: d for d in candidates}
    missing = {v.pledge_document_id for v in violations if v.pledge_document_id is not None} - set(linked)
    if missing:
        linked.update(
            (d.id, d)
            for d in db.session.scalars(db.select(Document).where(Document.id.in_(missing))).unique()
        )
    return {v.id: pledge_status(v, on, candidates=candidates, linked=linked) for v in violations}


def pledge_status(
    violation: Violation,
    on: date | None = None,
    *,
    candidates: list[Document] | None = None,
    linked: dict[int, Document] | None = None,
) -> dict:
    """What the page and the API show about a violation's written pledge."""
    sanction = violation.sanction or {}
    document = find_pledge(violation, candidates=candidates, linked=linked)
    attached = document is not None
    status = rules.pledge_status(sanction, attached)
    awaiting = violation.in_force and rules.awaiting_pledge(
        sanction, violation.ends_on, on or today(), attached
    )
    return {
        "pledge_required": status != "not_required",
        "pledge_status": status,
        "pledge_document_id": document.id if document else None,
        "awaiting_pledge": awaiting,
    }


def pledge_status_label(status: str) -> str:
    return {
        "not_required": _("Not required"),
        "attached": _("Written pledge attached"),
        "missing": _("Written pledge missing"),
    }.get(status, status)
