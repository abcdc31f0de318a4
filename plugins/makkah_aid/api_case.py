"""The plugin's case API (``/t/<tenant>/api/v1/makkah_aid/…``): a file's circumstances and
category, the providers (bank details to finance only)."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from core.toolkit import AnyDate, BeneficiaryFile, db, get_or_404

from . import services
from .api import bp
from .i18n import _
from .models import Circumstance, Provider
from .settings import Strict


class CircumstanceInSchema(Strict):
    kind = fields.String(required=True, validate=validate.Length(min=1, max=63))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    occurred_on = AnyDate(load_default=None, allow_none=True)
    document_id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "A document attached to the household (required: the supporting document)"},
    )


class CircumstanceOutSchema(Schema):
    id = fields.Integer()
    file_id = fields.Integer()
    kind = fields.String()
    label = fields.String()
    description = fields.String()
    occurred_on = fields.Date(allow_none=True)
    document_id = fields.Integer()
    ended_on = fields.Date(allow_none=True)


class CaseOutSchema(Schema):
    file_id = fields.Integer()
    category = fields.Dict(metadata={"description": "{category, fits (true/false/null), problems, facts}"})
    problems = fields.List(fields.String(), metadata={"description": "The problems in words"})
    circumstances = fields.List(fields.Nested(CircumstanceOutSchema))


class CategoryFactsInSchema(Strict):
    father_deceased = fields.Boolean()
    mother_deceased = fields.Boolean()
    supported_by_relative = fields.Boolean()
    unable_to_work = fields.Boolean()
    unable_to_work_reason = fields.String(validate=validate.Length(max=500))
    breadwinner_imprisoned = fields.Boolean()


class ProviderFormSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = fields.String(load_default=None)
    catalog_item_id = fields.Integer(load_default=None)
    phone = fields.String(load_default=None, validate=validate.Length(max=32))
    contract_reference = fields.String(load_default=None, validate=validate.Length(max=120))
    contract_ends_on = AnyDate(load_default=None, allow_none=True)
    bank_name = fields.String(load_default=None, validate=validate.Length(max=120))
    iban = fields.String(load_default=None, validate=validate.Length(max=40))
    account_holder = fields.String(load_default=None, validate=validate.Length(max=255))
    active = fields.Boolean(load_default=None)
    notes = fields.String(load_default=None, validate=validate.Length(max=2000))


class ContractFileSchema(Schema):
    contract = fields.Raw(metadata={"type": "string", "format": "binary"})


class ProviderChangeSchema(ProviderFormSchema):
    """The same fields, all optional: what changes."""


class ContractChangeSchema(ContractFileSchema):
    """A new contract file, optional."""


class ProviderOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    catalog_item_id = fields.Integer()
    service = fields.String()
    domain = fields.String(allow_none=True)
    phone = fields.String()
    contract_reference = fields.String()
    contract_ends_on = fields.Date(allow_none=True)
    contract_filename = fields.String(allow_none=True)
    active = fields.Boolean()
    notes = fields.String()
    bank_name = fields.String(metadata={"description": "finance only"})
    iban = fields.String(metadata={"description": "finance only"})
    account_holder = fields.String(metadata={"description": "finance only"})


def circumstance_out(c: Circumstance) -> dict:
    return {
        "id": c.id,
        "file_id": c.file_id,
        "kind": c.kind,
        "label": services.circumstance_label(c.kind),
        "description": c.description,
        "occurred_on": c.occurred_on,
        "document_id": c.document_id,
        "ended_on": c.ended_on,
    }


@bp.route("/files/<int:file_id>/case")
@bp.response(200, CaseOutSchema)
@bp.requires("makkah_aid.view")
def file_case(file_id):
    """The file's category against its facts (ages from birth dates, parents, support, income)
    and its documented circumstances."""
    file = get_or_404(BeneficiaryFile, file_id)
    check = services.category_check(file)
    return {
        "file_id": file.id,
        "category": check.as_dict(),
        "problems": services.problem_labels(list(check.problems)),
        "circumstances": [circumstance_out(c) for c in services.circumstances_of(file, in_force_only=False)],
    }


@bp.route("/files/<int:file_id>/circumstances", methods=["POST"])
@bp.arguments(CircumstanceInSchema)
@bp.response(201, CircumstanceOutSchema)
@bp.requires("makkah_aid.circumstances")
def post_circumstance(data, file_id):
    """Record a circumstance with its supporting document (``document_id``, a document of the
    household); without one: 422 with a field error on ``document``, nothing written."""
    file = get_or_404(BeneficiaryFile, file_id)
    circumstance = services.record_circumstance(file, data, current_user)
    result = circumstance_out(circumstance)
    db.session.commit()
    return result


@bp.route("/files/<int:file_id>/category-facts", methods=["PUT"])
@bp.arguments(CategoryFactsInSchema)
@bp.response(200, CaseOutSchema)
@bp.requires("makkah_aid.circumstances")
def put_category_facts(data, file_id):
    """The facts the category rules use (parents deceased, support, inability to work, prisoner)."""
    file = get_or_404(BeneficiaryFile, file_id)
    services.update_category_facts(file, data, current_user)
    db.session.commit()
    return file_case(file_id)


@bp.route("/providers")
@bp.response(200, ProviderOutSchema(many=True))
@bp.requires("makkah_aid.view")
def list_providers():
    """The tenant's providers; bank details only for finance."""
    return [services.provider_view(p, current_user) for p in services.providers()]


@bp.route("/providers", methods=["POST"])
@bp.arguments(ProviderFormSchema, location="form")
@bp.arguments(ContractFileSchema, location="files")
@bp.response(201, ProviderOutSchema)
@bp.requires("makkah_aid.providers")
def post_provider(data, files):
    """Add a provider (multipart: its fields and the ``contract`` file, required)."""
    upload = request.files.get("contract")
    provider = services.save_provider(
        {k: v for k, v in data.items() if v is not None},
        current_user,
        contract=upload.read() if upload else None,
        contract_filename=upload.filename if upload else None,
    )
    db.session.commit()
    return services.provider_view(provider, current_user)


@bp.route("/providers/<int:provider_id>", methods=["PATCH"])
@bp.arguments(ProviderChangeSchema, location="form")
@bp.arguments(ContractChangeSchema, location="files")
@bp.response(200, ProviderOutSchema)
@bp.requires("makkah_aid.view")
def patch_provider(data, files, provider_id):
    """Change a provider (managers), or its bank details (finance)."""
    provider = get_or_404(Provider, provider_id)
    upload = request.files.get("contract")
    changes = {k: v for k, v in data.items() if v is not None}
    if not changes and upload is None:
        raise ValidationError({"_schema": [_("Send at least one field to change.")]})
    services.update_provider(provider, changes, current_user, upload)
    db.session.commit()
    return services.provider_view(provider, current_user)
