"""The plugin's services: rules.py applied to the tenant's data through core.toolkit.

Functions write through the session (flush, never commit); the caller commits once, so a
refusal writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from marshmallow import ValidationError
from sqlalchemy.orm import selectinload

from core.toolkit import (
    AidRequest,
    BeneficiaryFile,
    Conflict,
    Document,
    Forbidden,
    Household,
    Member,
    User,
    audit_record,
    change_file_status,
    current_language,
    db,
    format_halalas,
    get_in_tenant,
    get_or_404,
    notify,
    plugin_settings,
    renew_file,
    require_tenant,
    roles_in,
    utcnow,
)

from . import rules
from .i18n import _, _l
from .models import Assessment, ExclusionProposal, Renewal, RenewalRound, RuleVersion, Violation

PLUGIN_ID = "makkah_aid"


def today() -> date:
    return date.today()


# --------------------------------------------------------------------------- settings and rule versions


def settings() -> dict:
    return plugin_settings(PLUGIN_ID)


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def current_rule_version() -> RuleVersion:
    """The version of the settings in force now; a new one is written when they changed."""
    current = settings()
    digest = _digest(current)
    latest = db.session.scalars(
        db.select(RuleVersion).order_by(RuleVersion.effective_from.desc(), RuleVersion.id.desc()).limit(1)
    ).first()
    if latest is not None and latest.digest == digest:
        return latest
    version = RuleVersion(settings=current, digest=digest, effective_from=utcnow())
    db.session.add(version)
    db.session.flush()
    audit_record("makkah_aid.rules.version", "rule_version", version.id, {"digest": digest[:12]})
    return version


def rule_versions() -> list[RuleVersion]:
    return list(db.session.scalars(db.select(RuleVersion).order_by(RuleVersion.id.desc())))


def service_area(rule_settings: dict | None = None) -> list[str]:
    configured = (rule_settings or settings()).get("service_area") or []
    return list(configured) or [a for a in (require_tenant().service_area or []) if a and a.strip()]


def label(item: dict) -> str:
    """The Arabic or English label of a settings entry (band, violation, reason)."""
    return item.get(f"label_{current_language()}") or item.get("label_ar") or item.get("code", "")


def reason_entry(code: str, rule_settings: dict | None = None) -> dict | None:
    return next((r for r in (rule_settings or settings())["exclusion_reasons"] if r["code"] == code), None)


# --------------------------------------------------------------------------- the application's mandatory data

FIELD_LABELS = {
    "applicant_name": _l("Four-part name"),
    "four_part_name": _l("Four-part name"),
    "nationality": _l("Nationality"),
    "id_number": _l("ID or iqama number"),
    "id_expiry": _l("ID expiry date"),
    "national_address_code": _l("National address short code"),
    "current_job": _l("Current job"),
    "monthly_income_halalas": _l("Total current income"),
    "catalog_item_id": _l("Requested aid type"),
    "dependents_count": _l("Number of dependents"),
    "dependents": _l("Dependents"),
    "housing": _l("Housing owned or rented"),
    "annual_rent_halalas": _l("Annual rent"),
    "previous_aid": _l("Aid received before"),
}
DOCUMENT_LABELS = {
    "id_copy": _l("copy of the ID or iqama"),
    "national_address": _l("national address proof"),
    "lease": _l("lease contract"),
    "ownership_deed": _l("housing ownership deed"),
}


def problem_message(field: str, problem: str) -> str:
    if field.startswith("documents."):
        doc_type = field.split(".", 1)[1]
        return _("Attach the document: %(document)s.", document=DOCUMENT_LABELS.get(doc_type, doc_type))
    messages = {
        "missing": _("%(field)s is required.", field=FIELD_LABELS.get(field, field)),
        "four_parts": _("Enter the four-part name (first, father, grandfather and family names)."),
        "expired": _("The ID has expired: an application needs a valid, unexpired ID or iqama."),
        "count": _("List every dependent declared (name, relationship, job and income)."),
        "dependent": _("Each dependent needs a name and a relationship."),
        "previous_aid": _("For each aid received before, enter its type, amount and date."),
    }
    return messages.get(problem, messages["missing"])


def documents_for(request: AidRequest) -> set[str]:
    """Document types attached to the request, or to its household and the household's head."""
    conditions = [Document.request_id == request.id]
    if request.file_id is not None:
        file = get_in_tenant(BeneficiaryFile, request.file_id)
        if file is not None:
            conditions.append(Document.household_id == file.household_id)
            household = get_in_tenant(Household, file.household_id)
            if household is not None:
                conditions.append(Document.person_id == household.head_person_id)
    return set(db.session.scalars(db.select(Document.doc_type).where(db.or_(*conditions))))


def submission_errors(request: AidRequest, on: date | None = None) -> dict:
    data = (request.extra or {}).get(PLUGIN_ID) or {}
    problems = rules.missing_fields(
        data,
        catalog_item_id=request.catalog_item_id,
        documents=documents_for(request),
        today=on or today(),
        applicant_name=request.applicant_name,
    )
    return {
        INPUT_KEYS.get(field, field): [problem_message(field, problem)] for field, problem in problems.items()
    }


# Amounts are typed in riyals under these names and kept in halalas (``schemas._sar``).
INPUT_KEYS = {"monthly_income_halalas": "monthly_income", "annual_rent_halalas": "annual_rent"}


# --------------------------------------------------------------------------- assessment


def excluded_members(file: BeneficiaryFile | None) -> dict[int, str]:
    """Members who stopped counting after a confirmed member-level exclusion."""
    if file is None:
        return {}
    rows = db.session.scalars(
        db.select(ExclusionProposal).where(
            ExclusionProposal.file_id == file.id,
            ExclusionProposal.scope == "member",
            ExclusionProposal.status == "confirmed",
        )
    )
    return {p.member_id: p.reason for p in rows if p.member_id is not None}


def people_for(request: AidRequest, file: BeneficiaryFile | None) -> list[rules.PersonLine]:
    """The household as the assessment sees it: from the registry when the request is linked
    to a file (monthly incomes × 12), else from the application's own data."""
    if file is not None:
        household = get_in_tenant(Household, file.household_id)
        excluded = excluded_members(file)
        people = [
            rules.PersonLine(
                "head", household.head.full_name, "head", int(household.head.monthly_income or 0) * 12, True
            )
        ]
        for member in household.members:
            people.append(
                rules.PersonLine(
                    f"member:{member.id}",
                    member.person.full_name,
                    member.relationship_,
                    int(member.income or 0) * 12,
                    bool(member.resides_with_head),
                    excluded.get(member.id),
                )
            )
        return people
    data = (request.extra or {}).get(PLUGIN_ID) or {}
    people = [
        rules.PersonLine(
            "head",
            data.get("four_part_name") or request.applicant_name,
            "head",
            int(data.get("monthly_income_halalas") or 0) * 12,
            True,
        )
    ]
    for index, dependent in enumerate(data.get("dependents") or []):
        people.append(
            rules.PersonLine(
                f"dependent:{index}",
                dependent.get("name") or "",
                dependent.get("relationship") or "",
                int(dependent.get("monthly_income_halalas") or 0) * 12,
                bool(dependent.get("resides_permanently", True)),
            )
        )
    return people


def file_of(request: AidRequest) -> BeneficiaryFile | None:
    return get_in_tenant(BeneficiaryFile, request.file_id) if request.file_id is not None else None


def record_assessment(request: AidRequest, data: dict, actor: Any) -> Assessment:
    """The researcher's needs by item → gap, band and ceiling, stored with the rule version."""
    if request.state in ("approved", "rejected", "disbursed", "closed", "withdrawn"):
        raise Conflict(_("The committee has decided: the assessment can no longer change."))
    file = file_of(request)
    people = people_for(request, file)
    by_key = {p.key: p for p in people}
    for line in data.get("incomes") or []:
        if line["key"] not in by_key:
            raise ValidationError({"incomes": [_("Unknown person: %(key)s", key=line["key"])]})
        person = by_key[line["key"]]
        resides = (
            person.resides_permanently
            if line.get("resides_permanently") is None
            else line["resides_permanently"]
        )
        by_key[line["key"]] = rules.PersonLine(
            person.key,
            person.name,
            person.relationship,
            line["annual_income"],
            resides,
            person.excluded_reason,
            person.needs,
        )
    for key, needs in (data.get("member_needs") or {}).items():
        if key not in by_key or key == "head":
            raise ValidationError({"member_needs": [_("Unknown person: %(key)s", key=key)]})
        person = by_key[key]
        by_key[key] = rules.PersonLine(
            person.key,
            person.name,
            person.relationship,
            person.annual_income,
            person.resides_permanently,
            person.excluded_reason,
            dict(needs),
        )
    version = current_rule_version()
    result = rules.assess_gap(data["needs"], list(by_key.values()), version.settings)
    assessment = Assessment(
        request_id=request.id,
        file_id=file.id if file else None,
        rule_version_id=version.id,
        needs_total=result.needs_total,
        income_total=result.income_total,
        gap=result.gap,
        eligible=result.eligible,
        band=result.band,
        ceiling_halalas=result.ceiling,
        figures=result.figures(),
        notes=data.get("notes") or "",
        assessed_by_id=getattr(actor, "id", None),
    )
    db.session.add(assessment)
    db.session.flush()
    audit_record(
        "makkah_aid.assessment.recorded",
        "request",
        request.id,
        {
            "assessment": assessment.id,
            "rule_version": version.id,
            "needs_total": result.needs_total,
            "income_total": result.income_total,
            "gap": result.gap,
            "band": result.band,
            "ceiling": result.ceiling,
        },
        user=actor,
    )
    return assessment


def latest_assessment(request: AidRequest) -> Assessment | None:
    return db.session.scalars(
        db.select(Assessment)
        .where(Assessment.request_id == request.id)
        .order_by(Assessment.id.desc())
        .limit(1)
    ).first()


def latest_assessments(requests: list[AidRequest]) -> dict[int, Assessment]:
    """``latest_assessment`` of many requests in one query: request id → its latest assessment."""
    ids = [r.id for r in requests]
    if not ids:
        return {}
    newest = (
        db.select(db.func.max(Assessment.id))
        .where(Assessment.request_id.in_(ids))
        .group_by(Assessment.request_id)
    )
    rows = db.session.scalars(db.select(Assessment).where(Assessment.id.in_(newest)))
    return {a.request_id: a for a in rows}


def assessments_of(request: AidRequest) -> list[Assessment]:
    return list(
        db.session.scalars(
            db.select(Assessment).where(Assessment.request_id == request.id).order_by(Assessment.id)
        )
    )


def explain(assessment: Assessment) -> str:
    """The result in words, with its figures (shown to the committee and, on rejection, the applicant)."""
    figures = {
        "needs": format_halalas(assessment.needs_total),
        "income": format_halalas(assessment.income_total),
        "gap": format_halalas(assessment.gap),
        "minimum": format_halalas(assessment.figures.get("min_gap", 0)),
    }
    if not assessment.eligible:
        return _(
            "Annual basic needs %(needs)s SAR minus annual income %(income)s SAR leave a gap of %(gap)s SAR, "
            "below the %(minimum)s SAR the association requires: not eligible on the gap criterion.",
            **figures,
        )
    band_label = assessment.figures.get(f"band_label_{current_language()}") or assessment.band
    return _(
        "Annual basic needs %(needs)s SAR minus annual income %(income)s SAR leave a gap of %(gap)s SAR: "
        "band %(band)s, ceiling of the proposed aid %(ceiling)s SAR.",
        band=band_label,
        ceiling=format_halalas(assessment.ceiling_halalas or 0),
        **figures,
    )


# --------------------------------------------------------------------------- violations ladder


def violations_of(file: BeneficiaryFile) -> list[Violation]:
    return list(
        db.session.scalars(
            db.select(Violation).where(Violation.file_id == file.id).order_by(Violation.id.desc())
        )
    )


def sanctions_in_force(file: BeneficiaryFile) -> list[Violation]:
    lift_expired(file)
    return [v for v in violations_of(file) if v.in_force]


def next_sanctions(file: BeneficiaryFile) -> list[dict]:
    """For each violation of the ladder, the sanction its next occurrence would bring."""
    rule_settings = settings()
    counts: dict[str, int] = {}
    for violation in violations_of(file):
        counts[violation.code] = counts.get(violation.code, 0) + 1
    result = []
    for item in rule_settings["ladder"]:
        occurrence = counts.get(item["code"], 0) + 1
        result.append(
            {
                "code": item["code"],
                "label": label(item),
                "occurrence": occurrence,
                "sanction": rules.sanction_for(rule_settings, item["code"], occurrence),
            }
        )
    return result


def sanction_text(sanction: dict, ends_on: date | None = None) -> str:
    kind = sanction["kind"]
    if kind == "timed":
        text = _("Suspension for %(months)s months", months=sanction["months"])
        if ends_on:
            text += " " + _("(until %(date)s)", date=ends_on.isoformat())
    elif kind == "condition":
        condition = sanction.get(f"condition_{current_language()}") or sanction.get("condition_ar") or ""
        text = _("Suspension until: %(condition)s", condition=condition)
    elif kind == "permanent":
        text = _("Permanent suspension of the family's services")
    else:
        text = _("Dismissal and permanent deprivation of services")
    if sanction.get("referral"):
        text += " — " + _("file referred to the security authorities")
    if sanction.get("pledge"):
        text += " — " + _("with a written pledge")
    return text


def _can_change(file: BeneficiaryFile, new: str) -> bool:
    allowed = {
        "applicant": {"active", "excluded", "closed"},
        "active": {"suspended", "excluded", "closed"},
        "suspended": {"active", "excluded", "closed"},
        "excluded": {"applicant", "closed"},
        "closed": {"applicant"},
    }
    return new in allowed.get(file.status, set())


def record_violation(file: BeneficiaryFile, data: dict, actor: Any) -> Violation:
    """Record a violation; the ladder gives the sanction of its occurrence in this file, and
    the file's status changes through core (suspended until a date / a condition /
    permanently; dismissal excludes the file with referral)."""
    version = current_rule_version()
    rule_settings = version.settings
    item = rules.ladder_item(rule_settings, data["code"])
    if item is None:
        raise ValidationError({"code": [_("Choose one of the listed values.")]})
    if file.status in ("excluded", "closed"):
        raise Conflict(_("This file is already excluded or closed."))
    previous = db.session.scalar(
        db.select(db.func.count(Violation.id)).where(
            Violation.file_id == file.id, Violation.code == data["code"]
        )
    )
    occurrence = int(previous or 0) + 1
    sanction = rules.sanction_for(rule_settings, data["code"], occurrence)
    if sanction.get("documented_by") and not (data.get("notes") or "").strip():
        raise ValidationError(
            {"notes": [_("Record how the research team and the executive director documented it.")]}
        )
    occurred_on = data.get("occurred_on") or today()
    pledge_id = data.get("pledge_document_id")
    if pledge_id is not None:
        document = get_in_tenant(Document, pledge_id)
        if (
            document is None
            or document.doc_type != "pledge"
            or document.household_id != file.household_id
            or not rules.pledge_counts(document.uploaded_at.date(), occurred_on)
        ):
            raise ValidationError(
                {
                    "pledge_document_id": [
                        _(
                            "Choose a signed written pledge (document type: pledge) attached to this "
                            "household on or after the violation date."
                        )
                    ]
                }
            )
        if not rules.pledge_required(sanction):
            pledge_id = None
    ends_on = rules.sanction_end(sanction, occurred_on)
    violation = Violation(
        file_id=file.id,
        code=data["code"],
        occurrence=occurrence,
        occurred_on=occurred_on,
        sanction=sanction,
        sanction_kind=sanction["kind"],
        ends_on=ends_on,
        pledge_document_id=pledge_id,
        referral=bool(sanction.get("referral")),
        notes=data.get("notes") or "",
        rule_version_id=version.id,
        recorded_by_id=getattr(actor, "id", None),
    )
    db.session.add(violation)
    db.session.flush()
    reason = _(
        "Violation: %(violation)s (occurrence %(n)s) — %(sanction)s",
        violation=label(item),
        n=occurrence,
        sanction=sanction_text(sanction, ends_on),
    )
    _apply_sanction(file, sanction, ends_on, reason, actor, cause=violation.id)
    audit_record(
        "makkah_aid.violation.recorded",
        "file",
        file.id,
        {
            "violation": violation.id,
            "code": violation.code,
            "occurrence": occurrence,
            "sanction": sanction["kind"],
        },
        user=actor,
    )
    _notify_file(file, "makkah_aid_sanction", reason=reason)
    return violation


def _apply_sanction(
    file: BeneficiaryFile,
    sanction: dict,
    ends_on: date | None,
    reason: str,
    actor: Any,
    cause: int | None = None,
) -> None:
    if sanction["kind"] == "dismissal":
        if _can_change(file, "excluded"):
            change_file_status(
                file, {"status": "excluded", "exclusion_reason": "assault", "reason": reason}, actor
            )
        return
    # An applicant file that core cannot suspend keeps its status: the plugin's own check
    # still refuses approvals and disbursements while a sanction is in force.
    sync_file_status(file, actor, reason, cause=cause)


# --------------------------------------------------------------------------- written pledge


def _pledge_candidates(file: BeneficiaryFile) -> list[Document]:
    return list(
        db.session.scalars(
            db.select(Document)
            .where(Document.household_id == file.household_id, Document.doc_type == "pledge")
            .order_by(Document.uploaded_at, Document.id)
        ).unique()
    )


def _pledge_fits(document: Document, violation: Violation) -> bool:
    return rules.pledge_counts(document.uploaded_at.date(), violation.occurred_on)


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


def attach_pledge(file: BeneficiaryFile, data: bytes, filename: str | None, actor: Any) -> Document:
    """Upload the signed written pledge (core document, type ``pledge``) to the household;
    timed suspensions waiting for it may then end at their date."""
    from core.toolkit import upload_document

    document = upload_document(
        data, filename, {"doc_type": "pledge", "household_id": file.household_id}, actor
    )
    for violation in violations_of(file):
        if violation.in_force and rules.pledge_required(violation.sanction or {}):
            find_pledge(violation, file)
    audit_record("makkah_aid.pledge.attached", "file", file.id, {"document": document.id}, user=actor)
    lift_expired(file)
    return document


# --------------------------------------------------------------------------- the file's status


def _in_force_view(violation: Violation, file: BeneficiaryFile, on: date) -> rules.InForce:
    sanction = violation.sanction or {}
    awaiting = rules.pledge_required(sanction) and rules.awaiting_pledge(
        sanction, violation.ends_on, on, find_pledge(violation, file) is not None
    )
    return rules.InForce(
        id=violation.id,
        kind=violation.sanction_kind,
        ends_on=violation.ends_on,
        condition=sanction.get("condition_ar") or sanction.get("condition_en") or "",
        awaiting_pledge=awaiting,
    )


def sync_file_status(
    file: BeneficiaryFile, actor: Any, reason: str, on: date | None = None, cause: int | None = None
) -> bool:
    """Make core's file status reflect the strongest sanction in force (permanent > later end
    date > condition), through core's change of status (a file event) each time it changes;
    back to active only when none is in force. True when the status changed."""
    if file.status not in ("active", "suspended"):
        return False
    on = on or today()
    in_force = [v for v in violations_of(file) if v.in_force]
    views = {v.id: _in_force_view(v, file, on) for v in in_force}
    effective = rules.effective_sanction(list(views.values()))
    if effective is None:
        if file.status != "suspended":
            return False
        change_file_status(file, {"status": "active", "reason": reason}, actor)
        return True
    target = rules.file_suspension(effective)
    current = {"suspended_until": file.suspended_until, "suspension_condition": file.suspension_condition}
    if file.status == "suspended" and current == target:
        return False
    strongest = next(v for v in in_force if v.id == effective.id)
    if effective.awaiting_pledge:
        under = _("Suspended until the written pledge is attached")
    else:
        under = sanction_text(strongest.sanction, strongest.ends_on)
    if file.status == "suspended" and effective.id != cause:
        reason = _("%(reason)s — the file stays suspended under: %(sanction)s", reason=reason, sanction=under)
    data = {"status": "suspended", "reason": reason}
    data.update({k: v for k, v in target.items() if v is not None})
    change_file_status(file, data, actor)
    return True


def lift(violation: Violation, actor: Any, note: str) -> Violation:
    """Staff lift a suspension-until-a-condition once the condition is met (and, when the
    ladder asks for one, once the signed pledge is attached)."""
    if not violation.in_force:
        raise Conflict(_("This sanction is no longer in force."))
    if violation.sanction_kind != "condition":
        raise Conflict(
            _("Only a suspension until a condition is lifted by staff; timed ones end by themselves.")
        )
    file = get_or_404(BeneficiaryFile, violation.file_id)
    if rules.pledge_required(violation.sanction or {}) and find_pledge(violation, file) is None:
        raise Conflict(
            _(
                "Attach the signed written pledge to the household (dated on or after the violation) "
                "before lifting this suspension."
            )
        )
    violation.lifted_at = utcnow()
    violation.lifted_by_id = getattr(actor, "id", None)
    violation.lift_note = note
    db.session.flush()
    sync_file_status(file, actor, _("The condition of the suspension is met: %(note)s", note=note))
    audit_record("makkah_aid.violation.lifted", "file", file.id, {"violation": violation.id}, user=actor)
    return violation


def lift_expired(file: BeneficiaryFile, on: date | None = None) -> int:
    """Timed suspensions past their end date end by themselves (lazily, when the file is read)
    — unless their written pledge is missing: they stay in force until it is attached."""
    on = on or today()
    lifted = 0
    awaiting = False
    for violation in violations_of(file):
        if not (violation.in_force and violation.sanction_kind == "timed"):
            continue
        if not rules.suspension_over(violation.ends_on, on):
            continue
        sanction = violation.sanction or {}
        attached = find_pledge(violation, file) is not None if rules.pledge_required(sanction) else False
        if rules.timed_may_end(sanction, violation.ends_on, on, attached):
            violation.lifted_at = utcnow()
            violation.lift_note = "expired"
            lifted += 1
        else:
            awaiting = True
    if lifted:
        db.session.flush()
        audit_record("makkah_aid.violation.expired", "file", file.id, {"lifted": lifted})
    if lifted or awaiting:
        sync_file_status(file, None, _("The timed suspension ended."), on)
    return lifted


def tick(on: date | None = None) -> dict:
    """The daily run for the tenant in context: end timed suspensions, propose late renewals."""
    on = on or today()
    lifted = 0
    due = db.session.scalars(
        db.select(Violation.file_id)
        .where(Violation.lifted_at.is_(None), Violation.sanction_kind == "timed", Violation.ends_on <= on)
        .distinct()
    ).all()
    for file_id in due:
        lifted += lift_expired(get_or_404(BeneficiaryFile, file_id), on)
    proposed = scan_all(on)
    return {"lifted": lifted, "proposed": proposed}


def blocking_messages(file: BeneficiaryFile) -> list[str]:
    in_force = sanctions_in_force(file)
    if not in_force:
        return []
    return [_("A sanction of the violations ladder is in force on this file: no approval or disbursement.")]


# --------------------------------------------------------------------------- renewal rounds


def rounds() -> list[RenewalRound]:
    return list(
        db.session.scalars(
            db.select(RenewalRound).order_by(RenewalRound.announced_on.desc(), RenewalRound.id.desc())
        )
    )


def active_round() -> RenewalRound | None:
    found = rounds()
    return found[0] if found else None


def announce_round(data: dict, actor: Any) -> RenewalRound:
    """A renewal round: every open file must renew by announcement + the tenant's window."""
    version = current_rule_version()
    announced_on = data.get("announced_on") or today()
    renewal_round = RenewalRound(
        title=data["title"],
        announced_on=announced_on,
        due_on=rules.renewal_due(announced_on, version.settings),
        late_renewal_days=int(version.settings["late_renewal_days"]),
        rule_version_id=version.id,
        announced_by_id=getattr(actor, "id", None),
    )
    db.session.add(renewal_round)
    db.session.flush()
    files = db.session.scalars(
        db.select(BeneficiaryFile.id).where(BeneficiaryFile.status.in_(("applicant", "active", "suspended")))
    ).all()
    for file_id in files:
        db.session.add(Renewal(round_id=renewal_round.id, file_id=file_id))
    db.session.flush()
    audit_record(
        "makkah_aid.round.announced", "renewal_round", renewal_round.id, {"files": len(files)}, user=actor
    )
    return renewal_round


def renewals_of(renewal_round: RenewalRound) -> list[Renewal]:
    return list(
        db.session.scalars(
            db.select(Renewal).where(Renewal.round_id == renewal_round.id).order_by(Renewal.id)
        )
    )


def renewal_view(renewal_round: RenewalRound, renewal: Renewal, on: date) -> dict:
    rule_settings = {"late_renewal_days": renewal_round.late_renewal_days}
    return {
        "id": renewal.id,
        "file_id": renewal.file_id,
        "renewed_on": renewal.renewed_on,
        "days_late": 0 if renewal.renewed_on else rules.days_late(renewal_round.due_on, on),
        "late": rules.renewal_is_late(renewal_round.due_on, on, rule_settings, renewal.renewed_on),
    }


def round_view(renewal_round: RenewalRound, on: date | None = None) -> dict:
    on = on or today()
    rows = [renewal_view(renewal_round, r, on) for r in renewals_of(renewal_round)]
    from datetime import timedelta

    return {
        "id": renewal_round.id,
        "title": renewal_round.title,
        "announced_on": renewal_round.announced_on,
        "due_on": renewal_round.due_on,
        "late_after": renewal_round.due_on + timedelta(days=renewal_round.late_renewal_days),
        "rule_version_id": renewal_round.rule_version_id,
        "renewed": [r for r in rows if r["renewed_on"]],
        "late": [r for r in rows if r["late"]],
        "due": [r for r in rows if not r["renewed_on"] and not r["late"]],
    }


def record_renewal(
    renewal_round: RenewalRound, file: BeneficiaryFile, renewed_on: date | None, actor: Any
) -> Renewal:
    renewal = db.session.scalars(
        db.select(Renewal).where(Renewal.round_id == renewal_round.id, Renewal.file_id == file.id)
    ).first()
    if renewal is None:
        renewal = Renewal(round_id=renewal_round.id, file_id=file.id)
        db.session.add(renewal)
    if renewal.renewed_on is not None:
        raise Conflict(_("This file already renewed its data in this round."))
    renewal.renewed_on = renewed_on or today()
    renewal.recorded_by_id = getattr(actor, "id", None)
    db.session.flush()
    renew_file(file, {"renewed_on": renewal.renewed_on, "note": renewal_round.title}, actor)
    return renewal


def renewal_facts(file: BeneficiaryFile) -> tuple[date | None, date | None]:
    """(due date, renewed on) of the file in the latest round it belongs to."""
    row = db.session.execute(
        db.select(RenewalRound.due_on, Renewal.renewed_on, RenewalRound.late_renewal_days)
        .join(
            Renewal, db.and_(Renewal.round_id == RenewalRound.id, Renewal.tenant_id == RenewalRound.tenant_id)
        )
        .where(Renewal.file_id == file.id)
        .order_by(RenewalRound.announced_on.desc(), RenewalRound.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else (None, None)


# --------------------------------------------------------------------------- exclusion proposals


def household_facts(file: BeneficiaryFile, *, prefetched: _Prefetched | None = None) -> rules.HouseholdFacts:
    household = get_in_tenant(Household, file.household_id)
    head = household.head
    extra = (file.extra or {}).get(PLUGIN_ID) or {}
    excluded = prefetched.excluded_members() if prefetched else excluded_members(file)
    members = tuple(
        rules.MemberFacts(
            member_id=m.id,
            name=m.person.full_name,
            relationship=m.relationship_,
            gender=m.person.gender,
            birth_date=m.person.birth_date,
            marital_status=m.person.marital_status,
            studying=bool(m.studying),
            resides_permanently=bool(m.resides_with_head) and m.id not in excluded,
        )
        for m in household.members
    )
    due_on, renewed_on = prefetched.renewal if prefetched else renewal_facts(file)
    return rules.HouseholdFacts(
        file_id=file.id,
        category=household.category,
        head_name=head.full_name,
        head_gender=head.gender,
        head_birth_date=head.birth_date,
        head_marital_status=head.marital_status,
        head_studying=bool(extra.get("head_studying")),
        head_city=head.city,
        sponsored_workers=int(extra.get("sponsored_workers") or 0),
        members=members,
        renewal_due_on=due_on,
        renewed_on=renewed_on,
    )


def _open_proposal(file_id: int, reason: str, member_id: int | None) -> ExclusionProposal | None:
    query = db.select(ExclusionProposal).where(
        ExclusionProposal.file_id == file_id,
        ExclusionProposal.reason == reason,
        ExclusionProposal.status == "proposed",
    )
    query = query.where(
        ExclusionProposal.member_id.is_(None)
        if member_id is None
        else ExclusionProposal.member_id == member_id
    )
    return db.session.scalars(query).first()


def propose(
    file: BeneficiaryFile,
    reason: str,
    *,
    evidence: dict,
    scope: str = "file",
    member_id: int | None = None,
    source: str = "automatic",
    note: str = "",
    actor: Any = None,
    prefetched: _Prefetched | None = None,
) -> ExclusionProposal | None:
    """Propose an exclusion (no duplicate while one is pending). Returns None when one is pending."""
    version = prefetched.version if prefetched else current_rule_version()
    entry = reason_entry(reason, version.settings)
    if entry is None:
        raise ValidationError({"reason": [_("Choose one of the listed values.")]})
    if member_id is not None:
        member = get_in_tenant(Member, member_id)
        if member is None or member.household_id != file.household_id:
            raise ValidationError({"member_id": [_("No such member in this household.")]})
    pending = (
        prefetched.open_proposal(reason, member_id)
        if prefetched
        else _open_proposal(file.id, reason, member_id)
    )
    if pending is not None:
        return None
    proposal = ExclusionProposal(
        file_id=file.id,
        member_id=member_id,
        reason=reason,
        scope="member" if member_id is not None else scope,
        evidence=evidence,
        source=source,
        note=note,
        rule_version_id=version.id,
        proposed_by_id=getattr(actor, "id", None),
    )
    db.session.add(proposal)
    db.session.flush()
    if prefetched is not None:
        prefetched.proposals.append(proposal)
    audit_record(
        "makkah_aid.exclusion.proposed",
        "file",
        file.id,
        {"proposal": proposal.id, "reason": reason, "scope": proposal.scope, "source": source},
        user=actor,
    )
    return proposal


def scan_file(
    file: BeneficiaryFile, on: date | None = None, *, prefetched: _Prefetched | None = None
) -> list[ExclusionProposal]:
    """Run the automatic rules over one file; new proposals are returned."""
    if file.status in ("excluded", "closed"):
        return []
    on = on or today()
    rule_settings = settings()
    made = []
    for found in rules.propose_exclusions(
        household_facts(file, prefetched=prefetched), rule_settings, on, service_area(rule_settings)
    ):
        if found.member_id is None and (
            prefetched.was_dismissed(found.reason) if prefetched else _was_dismissed(file.id, found.reason)
        ):
            continue
        proposal = propose(
            file,
            found.reason,
            evidence=found.evidence,
            scope=found.scope,
            member_id=found.member_id,
            prefetched=prefetched,
        )
        if proposal is not None:
            made.append(proposal)
    return made


def _was_dismissed(file_id: int, reason: str) -> bool:
    """A human dismissed this file-level proposal already: do not propose it again on every scan
    (late renewal is re-proposed per round, as its evidence then differs)."""
    if reason == "late_renewal":
        return False
    return (
        db.session.scalars(
            db.select(ExclusionProposal.id).where(
                ExclusionProposal.file_id == file_id,
                ExclusionProposal.reason == reason,
                ExclusionProposal.status == "dismissed",
                ExclusionProposal.member_id.is_(None),
            )
        ).first()
        is not None
    )


def scan_all(on: date | None = None) -> int:
    """``scan_file`` over every file still in play. What the rules read of each file (its
    household, head and members, member exclusions, latest round, dismissed proposals) is loaded
    for all of them in a few queries, not five to seven per file."""
    files = db.session.scalars(
        db.select(BeneficiaryFile).where(BeneficiaryFile.status.in_(("applicant", "active", "suspended")))
    ).all()
    if not files:
        return 0
    file_ids = [f.id for f in files]
    # Households with their heads and members (kept in the session's identity map).
    db.session.scalars(
        db.select(Household)
        .where(Household.id.in_([f.household_id for f in files]))
        .options(selectinload(Household.members))
    ).all()
    proposals_by_file: dict[int, list[ExclusionProposal]] = {file_id: [] for file_id in file_ids}
    for proposal in db.session.scalars(
        db.select(ExclusionProposal)
        .where(ExclusionProposal.file_id.in_(file_ids))
        .order_by(ExclusionProposal.id)
    ):
        proposals_by_file[proposal.file_id].append(proposal)
    rounds_by_file = _renewal_facts_of(file_ids)
    version = current_rule_version()
    made = 0
    for file in files:
        prefetched = _Prefetched(
            proposals_by_file[file.id], rounds_by_file.get(file.id, (None, None)), version
        )
        made += len(scan_file(file, on, prefetched=prefetched))
    return made


@dataclass
class _Prefetched:
    """What ``scan_all`` loaded of one file beforehand (proposals kept up to date as made)."""

    proposals: list[ExclusionProposal]
    renewal: tuple[date | None, date | None]
    version: RuleVersion

    def excluded_members(self) -> dict[int, str]:
        return {
            p.member_id: p.reason
            for p in self.proposals
            if p.scope == "member" and p.status == "confirmed" and p.member_id is not None
        }

    def was_dismissed(self, reason: str) -> bool:
        return reason != "late_renewal" and any(
            p.reason == reason and p.status == "dismissed" and p.member_id is None for p in self.proposals
        )

    def open_proposal(self, reason: str, member_id: int | None) -> ExclusionProposal | None:
        return next(
            (
                p
                for p in self.proposals
                if p.reason == reason and p.status == "proposed" and p.member_id == member_id
            ),
            None,
        )


def _renewal_facts_of(file_ids: list[int]) -> dict[int, tuple[date | None, date | None]]:
    """``renewal_facts`` of many files in one query."""
    rows = db.session.execute(
        db.select(Renewal.file_id, RenewalRound.due_on, Renewal.renewed_on)
        .join(
            Renewal, db.and_(Renewal.round_id == RenewalRound.id, Renewal.tenant_id == RenewalRound.tenant_id)
        )
        .where(Renewal.file_id.in_(file_ids))
        .order_by(RenewalRound.announced_on.desc(), RenewalRound.id.desc())
    )
    found: dict[int, tuple[date | None, date | None]] = {}
    for file_id, due_on, renewed_on in rows:
        found.setdefault(file_id, (due_on, renewed_on))
    return found


def proposals(status: str = "proposed") -> list[ExclusionProposal]:
    query = db.select(ExclusionProposal).order_by(ExclusionProposal.id.desc())
    if status != "all":
        query = query.where(ExclusionProposal.status == status)
    return list(db.session.scalars(query))


def may_decide(actor: Any, reason: str) -> bool:
    entry = reason_entry(reason)
    allowed = set(entry["confirm_roles"]) if entry else {"committee_member", "executive_director"}
    return bool(roles_in(actor, require_tenant()) & allowed)


def _check_decider(proposal: ExclusionProposal, actor: Any) -> None:
    if proposal.status != "proposed":
        raise Conflict(_("This proposal is already decided."))
    if not may_decide(actor, proposal.reason):
        raise Forbidden(_("Your role cannot decide this exclusion."))


def confirm(proposal: ExclusionProposal, actor: Any, note: str = "") -> ExclusionProposal:
    """Confirm: a file-level exclusion changes the file's status through core (death closes
    it); a member-level one makes the member stop counting. The beneficiary is told why."""
    _check_decider(proposal, actor)
    file = get_or_404(BeneficiaryFile, proposal.file_id)
    entry = reason_entry(proposal.reason) or {
        "label_ar": proposal.reason,
        "outcome": "excluded",
        "code": proposal.reason,
    }
    reason_text = label(entry)
    if proposal.scope == "file":
        outcome = entry.get("outcome", "excluded")
        if file.status in ("excluded", "closed") and outcome == "excluded":
            raise Conflict(_("This file is already excluded or closed."))
        data = {"status": outcome, "reason": note or reason_text}
        if outcome == "excluded":
            data["exclusion_reason"] = proposal.reason
        change_file_status(file, data, actor)
    proposal.status = "confirmed"
    proposal.decided_at = utcnow()
    proposal.decided_by_id = getattr(actor, "id", None)
    proposal.decision_note = note
    db.session.flush()
    audit_record(
        "makkah_aid.exclusion.confirmed",
        "file",
        file.id,
        {"proposal": proposal.id, "reason": proposal.reason, "scope": proposal.scope},
        user=actor,
    )
    template = "makkah_aid_exclusion" if proposal.scope == "file" else "makkah_aid_member_exclusion"
    _notify_file(file, template, reason=reason_text)
    return proposal


def dismiss(proposal: ExclusionProposal, actor: Any, note: str = "") -> ExclusionProposal:
    _check_decider(proposal, actor)
    proposal.status = "dismissed"
    proposal.decided_at = utcnow()
    proposal.decided_by_id = getattr(actor, "id", None)
    proposal.decision_note = note
    db.session.flush()
    audit_record(
        "makkah_aid.exclusion.dismissed",
        "file",
        proposal.file_id,
        {"proposal": proposal.id, "reason": proposal.reason},
        user=actor,
    )
    return proposal


# --------------------------------------------------------------------------- notifications and portal


def applicant_user_ids(file: BeneficiaryFile) -> list[int]:
    return list(
        db.session.scalars(
            db.select(AidRequest.applicant_user_id)
            .where(AidRequest.file_id == file.id, AidRequest.applicant_user_id.is_not(None))
            .distinct()
        )
    )


def _notify_file(file: BeneficiaryFile, template: str, **context: Any) -> None:
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
