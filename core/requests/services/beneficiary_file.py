"""The beneficiary file of a request: linking (or relinking) it, the candidates to link,
and the registration form filled from the applicant's data."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError

from ...auth.permissions import can
from ...documents.models import Document
from ...errors import Conflict, Forbidden
from ...extensions import db
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...lookup import get_in_tenant
from ...plugins import tenant_hooks
from ...registry.models import BeneficiaryFile
from ...registry.services import households_of_many, search_persons, split_name
from ...tenancy import utcnow
from .. import links, workflow
from ..models import AidRequest
from ..workflow import record_event


def file_in_tenant(file_id: Any):
    """The tenant's beneficiary file ``file_id``; another tenant's or an unknown id: 422 on ``file_id``."""

    found = (
        get_in_tenant(BeneficiaryFile, file_id)
        if isinstance(file_id, int) and not isinstance(file_id, bool)
        else None
    )
    if found is None:
        raise ValidationError({"file_id": [_l("No such beneficiary file in this association.")]})
    return found


def may_link_file(request: AidRequest, actor: Any) -> bool:
    return can(actor, "requests.link_file") and request.state not in workflow.NO_LINK_STATES


def link_file(request: AidRequest, actor: Any, file_id: Any) -> AidRequest:
    """Link (or relink) ``request`` to one of the tenant's beneficiary files, audited, on the timeline.

    403 without ``requests.link_file``; 409 once the request is disbursed, closed or withdrawn;
    422 on ``file_id`` for a file this association does not have. The request's documents
    follow the file's household.
    """

    if not can(actor, "requests.link_file"):
        raise Forbidden(_("Your role cannot take this step."))
    if request.state in workflow.NO_LINK_STATES:
        raise Conflict(_("The beneficiary file can no longer be changed on this request."))
    file = file_in_tenant(file_id)
    if request.file_id == file.id:
        return request
    previous = links.file_of(request)
    request.file_id = file.id
    request.updated_at = utcnow()
    documents = db.session.scalars(db.select(Document).where(Document.request_id == request.id))
    for document in documents:
        if document.household_id is None or (previous and document.household_id == previous.household_id):
            document.household_id = file.household_id
    record_event(
        request,
        "relink_file" if previous is not None else "link_file",
        actor,
        data={"file_id": file.id, "previous_file_id": previous.id if previous else None},
    )
    return request


def file_candidates(q: str, per_page: int = 20) -> tuple[list[tuple[Any, list[tuple[Any, Any]]]], int]:
    """Persons matching ``q`` (any spelling of the name, or the ID number: ``search_persons``),
    each with ``[(household, file) …]`` of the households they head or belong to."""

    persons, total = search_persons(q, 1, per_page)
    households = households_of_many(persons)
    ids = {h.id for found in households.values() for h in found}
    files = (
        {
            f.household_id: f
            for f in db.session.scalars(
                db.select(BeneficiaryFile).where(BeneficiaryFile.household_id.in_(ids))
            )
        }
        if ids
        else {}
    )
    rows = [(p, [(h, files[h.id]) for h in households[p.id] if h.id in files]) for p in persons]
    return rows, total


def registration_prefill(request: AidRequest) -> dict:
    """The registration form's values taken from the request: core's applicant data, then what
    each enabled plugin adds from its own fields (``request_household_data``: ID, dates, job,
    income, housing, the dependents as members …). Not yet checked: ``registry.services.carry``
    keeps what the registry accepts and says why it leaves the rest."""
    phone = request.applicant_phone or ""
    if phone.startswith("+966"):
        phone = "0" + phone[4:]
    values: dict = {
        **split_name(request.applicant_name or ""),
        "phone": phone,
        "email": request.applicant_email or "",
        "city": request.applicant_city or "",
    }
    members: list = []
    for answer in reversed(tenant_hooks().request_household_data(request=request)):
        answer = dict(answer or {})
        members.extend(answer.pop("members", None) or [])
        values.update({k: v for k, v in answer.items() if v not in (None, "")})
    values["members"] = members
    return values
