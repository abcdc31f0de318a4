"""A file's case beyond the gap: its circumstances (each with a supporting document) and whether
its category fits the facts (categories.py). Circumstances are shown on the assessment and to
the committee, and a committee may cite one to approve above the band's ceiling."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from core.toolkit import (
    AidRequest,
    BeneficiaryFile,
    Conflict,
    Document,
    Household,
    audit_record,
    db,
    get_in_tenant,
    today,
    upload_document,
    utcnow,
)

from .. import categories
from ..i18n import _, _l
from ..models import Circumstance
from ..schemas import FileExtraSchema
from .rule_versions import PLUGIN_ID, label, settings

EVIDENCE_TYPE = "circumstance_evidence"

PROBLEM_LABELS = {
    "birth_date_missing": _l("The head's birth date is not recorded: the age cannot be checked."),
    "marital_status_missing": _l("The head's marital status is not recorded."),
    "too_old": _l("Older than the orphans' age limit."),
    "parent_in_household": _l("A parent lives in the household."),
    "parents_not_lost": _l("Both parents are not recorded as deceased."),
    "supported": _l("Someone supports them (a relative, or a member with an income)."),
    "not_a_woman": _l("The head of the file is not a woman."),
    "not_unmarried": _l("The head of the file is or was married."),
    "not_adult": _l("The head of the file is under 18."),
    "able_to_work": _l("No inability to work is recorded, with its reason."),
    "no_prisoner": _l("No imprisoned breadwinner is recorded."),
    "no_family_members": _l("No spouse, child or sister lives with the head."),
}


# --------------------------------------------------------------------------- circumstances


def circumstance_kind(code: str) -> dict | None:
    return next((c for c in settings()["circumstances"] if c["code"] == code), None)


def circumstance_label(code: str) -> str:
    entry = circumstance_kind(code)
    return label(entry) if entry else code


def circumstance_label_or_none(code: str) -> str | None:
    """For ``register_labels``: the label of a circumstance code of the tenant, else None."""
    entry = circumstance_kind(code)
    return label(entry) if entry else None


def circumstances_of(file: BeneficiaryFile | None, in_force_only: bool = True) -> list[Circumstance]:
    if file is None:
        return []
    query = db.select(Circumstance).where(Circumstance.file_id == file.id)
    if in_force_only:
        query = query.where(Circumstance.ended_on.is_(None))
    return list(db.session.scalars(query.order_by(Circumstance.id)))


def record_circumstance(
    file: BeneficiaryFile,
    data: dict,
    actor: Any,
    *,
    upload: bytes | None = None,
    filename: str | None = None,
) -> Circumstance:
    """A circumstance of the file, only with its supporting document: one already attached to
    the household (``document_id``) or uploaded now (``upload``). Nothing is written on a refusal."""
    errors: dict = {}
    if circumstance_kind(data.get("kind") or "") is None:
        errors["kind"] = [_("Choose one of the listed values.")]
    document_id = data.get("document_id")
    if document_id:
        document = get_in_tenant(Document, document_id)
        if document is None or document.household_id != file.household_id:
            errors["document"] = [_("Choose a document attached to this household.")]
    elif not upload:
        errors["document"] = [_("Attach the supporting document of the circumstance.")]
    if file.status in ("excluded", "closed"):
        raise Conflict(_("This file is already excluded or closed."))
    if errors:
        raise ValidationError(errors)
    if not document_id:
        document = upload_document(
            upload, filename, {"doc_type": EVIDENCE_TYPE, "household_id": file.household_id}, actor
        )
        document_id = document.id
    circumstance = Circumstance(
        file_id=file.id,
        kind=data["kind"],
        description=(data.get("description") or "").strip(),
        occurred_on=data.get("occurred_on"),
        document_id=document_id,
        recorded_by_id=getattr(actor, "id", None),
    )
    db.session.add(circumstance)
    db.session.flush()
    audit_record(
        "makkah_aid.circumstance.recorded",
        "file",
        file.id,
        {"circumstance": circumstance.id, "kind": circumstance.kind, "document": document_id},
        user=actor,
    )
    return circumstance


def end_circumstance(circumstance: Circumstance, actor: Any, note: str = "") -> Circumstance:
    if circumstance.ended_on is not None:
        raise Conflict(_("This circumstance has already ended."))
    circumstance.ended_on = today()
    db.session.flush()
    audit_record(
        "makkah_aid.circumstance.ended",
        "file",
        circumstance.file_id,
        {"circumstance": circumstance.id, "note": note},
        user=actor,
    )
    return circumstance


def circumstance_reason(circumstance: Circumstance) -> str:
    """The stated reason a committee cites to approve above the band's ceiling."""
    text = _(
        "Documented circumstance: %(kind)s (supporting document no. %(document)s)",
        kind=circumstance_label(circumstance.kind),
        document=circumstance.document_id,
    )
    if circumstance.description:
        text += " — " + circumstance.description
    return text


def override_reasons(request: AidRequest) -> list[str]:
    """The circumstances of the request's file as stated reasons for an override."""
    file = get_in_tenant(BeneficiaryFile, request.file_id) if request.file_id else None
    return [circumstance_reason(c) for c in circumstances_of(file)]


def circumstances_summary(file: BeneficiaryFile | None) -> list[dict]:
    """What the assessment stores and the committee sees."""
    return [
        {
            "id": c.id,
            "kind": c.kind,
            "label": circumstance_label(c.kind),
            "description": c.description,
            "occurred_on": c.occurred_on.isoformat() if c.occurred_on else None,
            "document_id": c.document_id,
        }
        for c in circumstances_of(file)
    ]


# --------------------------------------------------------------------------- category


def category_facts(file: BeneficiaryFile) -> categories.CategoryFacts:
    household = get_in_tenant(Household, file.household_id)
    head = household.head
    extra = (file.extra or {}).get(PLUGIN_ID) or {}
    return categories.CategoryFacts(
        category=household.category,
        head_gender=head.gender,
        head_birth_date=head.birth_date,
        head_marital_status=head.marital_status,
        head_monthly_income=int(head.monthly_income or 0),
        members=tuple(
            categories.MemberLine(m.relationship_, int(m.income or 0), bool(m.resides_with_head))
            for m in household.members
        ),
        father_deceased=bool(extra.get("father_deceased")),
        mother_deceased=bool(extra.get("mother_deceased")),
        supported_by_relative=bool(extra.get("supported_by_relative")),
        unable_to_work=bool(extra.get("unable_to_work")),
        unable_to_work_reason=extra.get("unable_to_work_reason") or "",
        breadwinner_imprisoned=bool(extra.get("breadwinner_imprisoned")),
    )


def category_check(file: BeneficiaryFile | None) -> categories.CategoryResult | None:
    if file is None:
        return None
    return categories.check_category(category_facts(file), today(), settings())


def category_figures(file: BeneficiaryFile | None, override_reason: str | None, actor: Any) -> dict | None:
    """The category check an assessment stores; a researcher may override a misfit with a reason."""
    result = category_check(file)
    if result is None:
        return None
    figures = result.as_dict()
    reason = (override_reason or "").strip()
    if reason and result.fits is not True:
        figures.update(
            override_reason=reason,
            overridden_by_id=getattr(actor, "id", None),
            overridden_at=utcnow().isoformat(timespec="seconds"),
        )
    return figures


def problem_labels(codes: list[str]) -> list[str]:
    return [str(PROBLEM_LABELS.get(code, code)) for code in codes]


def update_category_facts(file: BeneficiaryFile, data: dict, actor: Any) -> dict:
    """The facts the category rules use, kept on the file (``extra["makkah_aid"]``)."""
    current = dict((file.extra or {}).get(PLUGIN_ID) or {})
    current.update(data)
    loaded = FileExtraSchema().load(current)
    file.extra = {**(file.extra or {}), PLUGIN_ID: FileExtraSchema().dump(loaded)}
    db.session.flush()
    audit_record("makkah_aid.category_facts.updated", "file", file.id, dict(data), user=actor)
    return file.extra[PLUGIN_ID]
