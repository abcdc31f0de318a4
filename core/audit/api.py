"""Tenant API of the audit trail (auditors): list, CSV export, chain verification."""

from __future__ import annotations

from flask import stream_with_context
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validates_schema

from ..api import ApiBlueprint
from ..calendar import AnyDate
from ..downloads import download_response
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..schema_fields import Timestamp
from ..tenancy import require_tenant, tenant_context
from . import chain, services

audit_api = ApiBlueprint("audit_api", __name__, description="The audit trail of one association")


class AuditEventSchema(Schema):
    id = fields.Integer()
    seq = fields.Integer()
    at = Timestamp()
    user_id = fields.Integer(allow_none=True)
    user_email = fields.String(allow_none=True)
    action = fields.String()
    object_type = fields.String()
    object_id = fields.String(allow_none=True)
    details = fields.Dict()
    ip = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    hash = fields.String()


class RangeArgs(Schema):
    """A date range (either end may be left out)."""

    class Meta:
        unknown = EXCLUDE

    start = AnyDate(load_default=None, allow_none=True)
    end = AnyDate(load_default=None, allow_none=True)

    @validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError({"end": [_l("The end must not be before the start.")]})


class ChainReportSchema(Schema):
    ok = fields.Boolean()
    checked = fields.Integer()
    broken_at_seq = fields.Integer(allow_none=True)
    broken_entry_id = fields.Integer(allow_none=True)
    problem = fields.String(allow_none=True)


@audit_api.route("/events")
@audit_api.arguments(RangeArgs, location="query")
@audit_api.response(200, AuditEventSchema(many=True))
@audit_api.requires("audit.read")
def list_events(args):
    """The latest 500 entries in the date range (newest first). ``start`` and ``end`` are days
    of the association's calendar (its time zone's midnights); ``at`` is UTC."""
    return list(services.events_between(require_tenant().id, args["start"], args["end"], limit=500))


@audit_api.route("/export.csv")
@audit_api.arguments(RangeArgs, location="query")
@audit_api.response(200, description="CSV, UTF-8")
@audit_api.requires("audit.export")
def export_events(args):
    """Every entry of the date range as CSV (oldest first; without dates, the last 30 days),
    in the machine columns (``seq, at, user_id, …``; ``at`` in UTC). The days are the
    association's (its time zone's midnights). The export itself is audited."""
    return csv_download(args["start"], args["end"], for_people=False)


def csv_download(start, end, *, for_people: bool):
    """The audited CSV download of a date range (the API's and the audit page's)."""
    tenant = require_tenant()
    start, end = services.export_range(start, end)
    services.record("audit.exported", "audit", None, {"start": str(start), "end": str(end)})
    db.session.commit()
    names = services.names_between(tenant.id, start, end) if for_people else None
    lines = services.export_csv(tenant.id, start, end, for_people=for_people, names=names)
    body = stream_with_context(_in_tenant(tenant, lines))
    return download_response(body, f"audit-{tenant.slug}-{start}-{end}.csv", "text/csv")


def _in_tenant(tenant, lines):
    """The lines streamed in the tenant's context: the server sends them after the view has
    returned, and on PostgreSQL row-level security shows no row outside that context."""
    with tenant_context(tenant):
        yield from lines


@audit_api.route("/verify")
@audit_api.response(200, ChainReportSchema)
@audit_api.requires("audit.read")
def verify():
    """Walk the tenant's hash chain and report the first broken link, if any."""
    report = chain.verify_chain(require_tenant().id)
    return {**report.__dict__, "ok": report.ok}
