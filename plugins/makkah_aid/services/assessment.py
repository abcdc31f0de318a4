"""The need-gap assessment: the researcher's needs by item against the household's income →
gap, band and ceiling, stored with the rule version it applied."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from core.toolkit import (
    AidRequest,
    BeneficiaryFile,
    Ceiling,
    Check,
    Conflict,
    Household,
    audit_record,
    current_language,
    db,
    format_halalas,
    get_in_tenant,
)

from .. import rules
from ..i18n import _, _l
from ..models import Assessment, ExclusionProposal
from .case import category_figures, circumstances_summary, problem_labels
from .rule_versions import PLUGIN_ID, current_rule_version


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
    figures = result.figures()
    # What the researcher and the committee see beside the gap: the category against its
    # facts (overridden with a reason when it does not fit) and the documented circumstances.
    figures["category"] = category_figures(file, data.get("category_override_reason"), actor)
    figures["circumstances"] = circumstances_summary(file)
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
        figures=figures,
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
            "category_fits": (figures["category"] or {}).get("fits"),
            "category_override": bool((figures["category"] or {}).get("override_reason")),
            "circumstances": [c["id"] for c in figures["circumstances"]],
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


def gap_check(request: AidRequest) -> Check:
    """The committee's view of the gap criterion (``assess_eligibility``): needs review until the
    researcher records the needs, then pass or fail with every figure used."""
    assessment = latest_assessment(request)
    if assessment is None:
        return Check(
            "makkah_aid.gap",
            _l("Need gap (Makkah association)"),
            "needs_review",
            _l("The researcher has not recorded the household's basic needs yet."),
        )
    figures = {
        "needs_by_item": assessment.figures.get("needs_by_item", {}),
        "needs_total": assessment.needs_total,
        "income_by_person": assessment.figures.get("income_by_person", []),
        "income_total": assessment.income_total,
        "gap": assessment.gap,
        "min_gap": assessment.figures.get("min_gap"),
        "band": assessment.band,
        "ceiling": assessment.ceiling_halalas,
        "rule_version": assessment.rule_version_id,
        "assessment": assessment.id,
        "circumstances": assessment.figures.get("circumstances") or [],
    }
    return Check(
        "makkah_aid.gap",
        _l("Need gap (Makkah association)"),
        "pass" if assessment.eligible else "fail",
        explain(assessment),
        figures,
    )


def aid_ceiling(request: AidRequest) -> Ceiling | None:
    """The band's ceiling of the latest assessment (``propose_aid_ceiling``); none before one."""
    assessment = latest_assessment(request)
    if assessment is None:
        return None
    if not assessment.eligible:
        return Ceiling(0, _l("Not eligible on the gap criterion: any amount needs an override reason."))
    band_label = assessment.figures.get("band_label_ar") or assessment.band
    return Ceiling(
        int(assessment.ceiling_halalas),
        _(
            "Band %(band)s of the need gap (rule version %(version)s)",
            band=band_label,
            version=assessment.rule_version_id,
        ),
    )


def category_verdict(assessment: Assessment) -> tuple[str, str]:
    """(outcome, words) of the category check stored with an assessment: ``pass`` when the
    category fits its facts or the researcher overrode the misfit with a reason, ``fail`` when
    it does not fit, ``needs_review`` when a fact is missing or the request has no file."""
    category = assessment.figures.get("category")
    if not category:
        return "needs_review", _(
            "The request is not linked to a household file: the category is not checked."
        )
    problems = "; ".join(problem_labels(category.get("problems") or []))
    if category.get("override_reason"):
        return "pass", _(
            "The category does not fit its facts (%(problems)s); the researcher overrode it: %(reason)s",
            problems=problems,
            reason=category["override_reason"],
        )
    if category.get("fits") is True:
        return "pass", _("The household's category fits its facts.")
    if category.get("fits") is False:
        return "fail", _("The household's category does not fit its facts: %(problems)s", problems=problems)
    if not category.get("problems"):
        return "needs_review", _("This category has no rule to check.")
    return "needs_review", _("Facts are missing to check the category: %(problems)s", problems=problems)


def category_check_for(request: AidRequest) -> Check:
    """The committee's view of the category definition (``assess_eligibility``)."""
    assessment = latest_assessment(request)
    title = _l("Category definition (Makkah association)")
    if assessment is None:
        return Check(
            "makkah_aid.category",
            title,
            "needs_review",
            _l("The researcher has not recorded the assessment yet."),
        )
    outcome, words = category_verdict(assessment)
    return Check("makkah_aid.category", title, outcome, words, assessment.figures.get("category") or {})
