"""The one stable module plugins import from. Everything else in ``core`` may move.

A plugin is a package with ``PLUGIN = PluginMeta(...)`` and ``@hookimpl`` functions
(see ``core/hookspecs.py`` and ``docs/plugin_hooks.md``). From here it gets the
database, the tenant mixin, the permission check, translations, errors and the
per-tenant hook caller.
"""

from __future__ import annotations

from .aid.models import CatalogItem, Disbursement
from .aid.services import install_default_catalog
from .api import ApiBlueprint
from .audit.services import record as audit_record
from .auth.models import STAFF_ROLES, User
from .auth.permissions import Permission, can, check, require, roles_in
from .calendar import format_date, parse_date
from .documents.download import download_response
from .documents.models import Document
from .documents.services import upload as upload_document
from .errors import AppError, Conflict, Forbidden, Invalid, NotFound
from .extensions import db
from .forms import FormOutcome, form_transaction
from .hookspecs import hookimpl
from .i18n import current_language, localized, plugin_domain
from .i18n import gettext as _
from .i18n import lazy_gettext as _l
from .integrity import unique_field
from .jobs import Periodic, Task, enqueue, report, run_periodic, task
from .kpi import KpiSource, kpi_sources, kpi_values
from .lookup import get_in_tenant, get_or_404
from .navigation import NavItem
from .notifications import notify
from .numbers import (
    NumberFormatError,
    format_halalas,
    normalize_digits,
    parse_decimal,
    parse_halalas,
    parse_int,
)
from .plugins import PluginMeta, is_enabled, plugin_settings
from .plugins import tenant_hooks as hooks
from .registry import BeneficiaryFile, Choice, FileFields, Household, Member, Person
from .registry.ids import InvalidNationalId, check_digit_for, parse_national_id
from .registry.services import (
    add_months,
    create_household,
    find_by_national_id,
    households_of_many,
    renew_file,
    search_persons,
)
from .registry.services import change_status as change_file_status
from .requests import AidRequest, Ceiling, Check, RequestFields
from .requests.forms import adding_row as request_form_adding_row
from .requests.forms import extra_from_form as request_extra_from_form
from .requests.forms import extra_inputs as request_extra_inputs
from .requests.forms import flatten_errors as flatten_request_errors
from .requests.forms import place_errors as place_request_errors
from .requests.schemas import AnyDate, Money, RequestCreateSchema
from .requests.services import create_request
from .requests.services import submit as submit_request
from .schema_fields import Timestamp
from .tenancy import (
    Tenant,
    TenantMixin,
    current_tenant,
    require_tenant,
    tenant_context,
    tenant_foreign_key,
    utcnow,
)
from .tenancy.services import all_tenants
from .validation import Name, Text, check_name, check_text

__all__ = [
    "Periodic",
    "Task",
    "enqueue",
    "report",
    "run_periodic",
    "task",
    "create_household",
    "find_by_national_id",
    "all_tenants",
    "User",
    "STAFF_ROLES",
    "roles_in",
    "format_date",
    "parse_date",
    "upload_document",
    "download_response",
    "Name",
    "Text",
    "check_name",
    "check_text",
    "unique_field",
    "notify",
    "FileFields",
    "Member",
    "InvalidNationalId",
    "parse_national_id",
    "change_file_status",
    "renew_file",
    "AidRequest",
    "Ceiling",
    "create_request",
    "submit_request",
    "Document",
    "install_default_catalog",
    "CatalogItem",
    "Disbursement",
    "households_of_many",
    "search_persons",
    "Money",
    "AnyDate",
    "Timestamp",
    "RequestFields",
    "RequestCreateSchema",
    "request_form_adding_row",
    "request_extra_from_form",
    "request_extra_inputs",
    "flatten_request_errors",
    "place_request_errors",
    "Check",
    "get_in_tenant",
    "get_or_404",
    "FormOutcome",
    "form_transaction",
    "add_months",
    "check_digit_for",
    "Person",
    "Household",
    "Choice",
    "BeneficiaryFile",
    "audit_record",
    "kpi_values",
    "kpi_sources",
    "KpiSource",
    "ApiBlueprint",
    "AppError",
    "Conflict",
    "Forbidden",
    "Invalid",
    "NavItem",
    "NotFound",
    "NumberFormatError",
    "Permission",
    "PluginMeta",
    "Tenant",
    "TenantMixin",
    "_",
    "_l",
    "can",
    "check",
    "current_language",
    "current_tenant",
    "db",
    "format_halalas",
    "hookimpl",
    "hooks",
    "is_enabled",
    "localized",
    "normalize_digits",
    "parse_decimal",
    "parse_halalas",
    "parse_int",
    "plugin_domain",
    "plugin_settings",
    "require",
    "require_tenant",
    "tenant_context",
    "tenant_foreign_key",
    "utcnow",
]
