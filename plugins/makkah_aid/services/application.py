"""The application's mandatory data (seed 004 "البيانات المطلوبة"): what is missing at submission,
in words, keyed by the form's input names."""

from __future__ import annotations

from datetime import date

from core.toolkit import (
    AidRequest,
    BeneficiaryFile,
    Document,
    Household,
    db,
    get_in_tenant,
    today,
)

from .. import rules
from ..i18n import _, _l
from .rule_versions import PLUGIN_ID

# The labels of the inputs these problems land on (core's and the schema's), word for word:
# an error names its field as the form does (issue 12).
FIELD_LABELS = {
    "applicant_name": _l("Full name (four parts)"),
    "four_part_name": _l("Full name (four parts)"),
    "nationality": _l("Nationality"),
    "id_number": _l("ID or iqama number"),
    "id_expiry": _l("ID expiry date"),
    "national_address_code": _l("National address short code"),
    "current_job": _l("Current job"),
    "monthly_income_halalas": _l("Total current income (SAR per month)"),
    "catalog_item_id": _l("Aid program"),
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


INPUT_KEYS = {"monthly_income_halalas": "monthly_income", "annual_rent_halalas": "annual_rent"}


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


# The application's relationships in the registry's words (the registry has one "spouse").
REGISTRY_RELATIONSHIP = {"wife": "spouse", "husband": "spouse"}


def _riyals(halalas) -> str:
    riyals, rest = divmod(int(halalas), 100)
    return f"{riyals}.{rest:02d}" if rest else str(riyals)


def household_data(request: AidRequest) -> dict:
    """What the application holds for the household's file, as the registration form takes it
    (``request_household_data``): the head's ID, dates, nationality, job, income, address,
    housing and category, and each dependent as a member."""
    data = (request.extra or {}).get(PLUGIN_ID) or {}
    if not data:
        return {}
    out: dict = {}
    for source, target in (
        ("id_number", "national_id"),
        ("id_expiry", "id_expiry"),
        ("nationality", "nationality"),
        ("birth_date", "birth_date"),
        ("current_job", "job"),
        ("national_address_code", "national_address"),
        ("housing", "housing_tenure"),
        ("category", "category"),
    ):
        if data.get(source):
            out[target] = str(data[source])
    if data.get("monthly_income_halalas") is not None:
        out["monthly_income"] = _riyals(data["monthly_income_halalas"])
    if data.get("annual_rent_halalas"):
        out["annual_rent"] = _riyals(data["annual_rent_halalas"])
    out["members"] = [
        {
            "name": dependent.get("name") or "",
            "relationship": REGISTRY_RELATIONSHIP.get(
                dependent.get("relationship"), dependent.get("relationship")
            ),
            "job": dependent.get("job") or "",
            "income": _riyals(dependent.get("monthly_income_halalas") or 0),
            "resides_with_head": bool(dependent.get("resides_permanently", True)),
        }
        for dependent in data.get("dependents") or []
    ]
    return out
