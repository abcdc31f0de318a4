"""Creating and submitting a request: the catalog it asks from, the draft, the applicant's
declaration, the plugins' mandatory data, and submission (number and date at once)."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError
from sqlalchemy.orm.attributes import set_committed_value

from ...auth.permissions import can
from ...calendar import today
from ...errors import Conflict, Forbidden
from ...extensions import db
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...plugins import tenant_hooks
from ...tenancy import utcnow
from .. import workflow
from ..models import AidRequest, CatalogItem
from ..numbering import next_number
from ..workflow import record_event, transition
from .beneficiary_file import file_in_tenant
from .fields import load_extra


def catalog(active_only: bool = False) -> list[CatalogItem]:
    """The tenant's aid catalog (what a request may ask for), regular items first."""
    query = db.select(CatalogItem).order_by(CatalogItem.seasonal, CatalogItem.code)
    if active_only:
        query = query.where(CatalogItem.active.is_(True))
    return list(db.session.scalars(query))


def check_catalog_item(item_id: int | None) -> None:
    """The aid program must be one of the tenant's catalog items (422 otherwise)."""
    if item_id is not None and db.session.get(CatalogItem, item_id) is None:
        raise ValidationError({"catalog_item_id": [_l("Choose one of the listed values.")]})


def create_request(data: dict, actor: Any, *, own: bool = False) -> AidRequest:
    """A draft request (validated ``data`` from ``RequestCreateSchema``). ``own``: the actor is the applicant."""

    if own:
        if not can(actor, "portal.apply"):
            raise Forbidden(_("Your role cannot take this step."))
    elif not can(actor, "requests.create"):
        raise Forbidden(_("Your role cannot take this step."))
    extra = load_extra(data.get("extra"))
    check_catalog_item(data.get("catalog_item_id"))
    if data.get("file_id") is not None:
        file_in_tenant(data["file_id"])
    request = AidRequest(
        state="draft",
        channel="portal" if own else data["channel"],
        applicant_name=data["applicant_name"],
        applicant_phone=data.get("applicant_phone"),
        applicant_email=data.get("applicant_email") or (actor.email if own else None),
        applicant_city=data.get("applicant_city"),
        applicant_user_id=actor.id if own else data.get("applicant_user_id"),
        file_id=data.get("file_id"),
        catalog_item_id=data.get("catalog_item_id"),
        summary=data.get("summary") or "",
        requested_halalas=data.get("requested_halalas"),
        needs_verification_with=data.get("needs_verification_with"),
        needs_permit=bool(data.get("needs_permit")),
        extra=extra,
        created_by_id=actor.id,
    )
    db.session.add(request)
    db.session.flush()
    # A new request's timeline is known (empty): not read from the database when first used;
    # ``record_event`` puts the creation on it.
    set_committed_value(request, "events", [])
    record_event(request, "create", actor, data={"channel": request.channel})
    return request


def sign_declaration(request: AidRequest, actor: Any, signed_by: str) -> None:
    """The applicant's declaration that the data is correct and that they bear direct responsibility.

    Signed by the applicant on the portal, or recorded by staff from the signed paper form.
    """

    if not (
        can(actor, "requests.create") or (workflow.is_own(request, actor) and can(actor, "portal.apply"))
    ):
        raise Forbidden(_("Your role cannot take this step."))
    if request.state not in ("draft", "submitted", "returned"):
        raise Conflict(_("The declaration can only be signed before the research starts."))
    request.declaration_signed_at = utcnow()
    request.declaration_signed_by = signed_by
    record_event(request, "sign_declaration", actor, data={"signed_by": signed_by})


DECLARATION_TEXT = _l(
    "I declare that all the data I gave is correct and complete, and I bear direct responsibility for it."
)


def submission_problems(request: AidRequest) -> dict:
    """What the plugins' ``validate_request_submission`` would refuse now, ``{field: [message]}``.

    Keys ``documents.<doc_type>`` name a document type still to attach to the request.
    """

    errors: dict = {}
    for found in tenant_hooks().validate_request_submission(request=request):
        for key, messages in (found or {}).items():
            errors.setdefault(key, []).extend(messages if isinstance(messages, list | tuple) else [messages])
    return errors


def missing_documents(problems: dict) -> list[str]:
    """The document types named by ``submission_problems`` (``documents.<doc_type>`` keys)."""
    return [key.split(".", 1)[1] for key in problems if key.startswith("documents.")]


def _check_submission(request: AidRequest) -> None:
    """The plugins' mandatory data (``validate_request_submission``): 422 per field, nothing written."""
    errors = submission_problems(request)
    if errors:
        raise ValidationError(errors)


def submit(request: AidRequest, actor: Any, *, declaration_signed_by: str | None = None) -> AidRequest:
    """Submit (or resubmit after a return): the request gets its number and date at once."""

    def apply(req: AidRequest) -> None:
        _check_submission(req)
        if declaration_signed_by:
            req.declaration_signed_at = utcnow()
            req.declaration_signed_by = declaration_signed_by
        if req.number is None:
            # the counter's own statement: the declaration need not be flushed before it (the
            # request is written once, with its number)
            with db.session.no_autoflush:
                req.number_year, req.number_seq, req.number = next_number(today())
            req.submitted_at = utcnow()
        req.returned_reason = None

    first = request.number is None
    transition(request, "submit", actor, data={"declaration_signed_by": declaration_signed_by}, apply=apply)
    if first:
        tenant_hooks().request_submitted(request=request)
    return request
