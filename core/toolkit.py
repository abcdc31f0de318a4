"""The one stable module plugins import from (tests add ``core.testing``). Everything else in
``core`` may move; a name here changes only with a note in ``docs/toolkit.md``.

A plugin is a package with ``PLUGIN = PluginMeta(...)`` and ``@hookimpl`` functions (see
``core/hookspecs/`` and ``docs/plugin_hooks.md``). ``__all__`` lists the names in groups, each
described in ``docs/toolkit.md`` (``tests/test_toolkit_documented.py`` keeps the two in step):

* **Plugins and hooks** — declaring a plugin, implementing hooks, the values hooks return,
  the per-tenant hook caller, enablement and settings.
* **Models and the database** — the session, the tenant mixin and keys, core's models a plugin
  reads or points at.
* **Tenancy** — the tenant in context, running a block for one tenant.
* **Lookup** — one tenant-safe "get or 404".
* **Errors** — the error vocabulary services raise (HTTP status and field messages).
* **Permissions** — declaring and checking permissions, the roles.
* **Services** — core's business operations a plugin calls (registry, requests, aid, documents,
  notifications, audit, KPIs): they validate, write, audit; the caller commits.
* **Web and API** — the API blueprint class, the one HTML form path, and file downloads.
* **Schemas and validation** — marshmallow fields and schemas of core, text checks.
* **Numbers, dates and IDs** — parsing and formatting what people type (any digit script,
  Hijri or Gregorian dates, national IDs).
* **Translations** — gettext, the current language, a plugin's own domain.
* **Jobs** — background tasks and periodic jobs.
"""

from __future__ import annotations

from .aid.models import CatalogItem, Disbursement
from .aid.services import install_default_catalog
from .aid.services import record_disbursement as disburse_request
from .api import ApiBlueprint
from .audit.services import record as audit_record
from .auth.models import STAFF_ROLES, User
from .auth.permissions import Permission, can, check, require, roles_in
from .auth.services import staff_holding, users_with_role
from .calendar import LocalMoment, day_bounds, format_date, local_time, parse_date, today
from .documents.kept import FileSlot
from .documents.models import Document
from .documents.services import StoredFile, read_stored, store_file
from .documents.services import read_content as read_document
from .documents.services import upload as upload_document
from .downloads import download_response
from .errors import AppError, Conflict, Forbidden, Invalid, NotFound
from .extensions import db, limiter
from .forms import FormOutcome, ask_confirmation, confirmed, form_transaction
from .hookspecs import hookimpl
from .i18n import current_language, lazy_text, localized, plugin_domain
from .i18n import gettext as _
from .i18n import lazy_gettext as _l
from .integrity import unique_field
from .jobs import Periodic, Task, enqueue, report, run_periodic, task
from .kpi import KpiSource, kpi_sources, kpi_values
from .labels import label, labels
from .lookup import get_in_tenant, get_or_404
from .navigation import DashboardCard, DashboardItem, NavItem
from .notifications import Sealed, notify, notify_staff
from .notifications.safety import contact_safety_of, set_contact_safety
from .numbers import (
    NumberFormatError,
    format_halalas,
    normalize_digits,
    parse_decimal,
    parse_halalas,
    parse_int,
)
from .pagination import Paged, PageOf, page_number, page_of
from .plugins import ContractHints, PluginMeta, is_enabled, plugin_settings
from .plugins import tenant_hooks as hooks
from .policies import PolicyLink
from .policies import in_force_links as policies_in_force
from .policies import links_for as policies_for_area
from .registry import BeneficiaryFile, Choice, FileFields, Household, Member, Person
from .registry.ids import InvalidNationalId, check_digit_for, parse_national_id
from .registry.ids import decrypt as decrypt_at_rest
from .registry.ids import encrypt as encrypt_at_rest
from .registry.panels import Panel, RegistrationSource
from .registry.services import (
    add_months,
    create_household,
    find_by_national_id,
    household_income,
    households_of_many,
    renew_file,
    search_persons,
)
from .registry.services import change_status as change_file_status
from .registry.services import resumed_status as resumed_file_status
from .requests import AidRequest, Ceiling, Check, RequestFields, Transition
from .requests.demo import walk as walk_demo_request
from .requests.demo import walk_on as walk_on_demo_request
from .requests.generic_steps import take_step as take_request_step
from .requests.schemas import AnyDate, Money, RequestCreateSchema
from .requests.services import approve as approve_request
from .requests.services import close as close_request
from .requests.services import create_request
from .requests.services import submit as submit_request
from .schema_fields import Timestamp
from .surveys.models import Survey, SurveyQuestion, SurveyResponse, SurveyVersion
from .surveys.services import add_question as add_survey_question
from .surveys.services import create_survey
from .surveys.services import publish as publish_survey
from .surveys.services import questions_of as survey_questions
from .surveys.services import record_response as record_survey_response
from .tenancy import (
    Tenant,
    TenantMixin,
    current_tenant,
    drop_redundant_tenant_keys,
    page_path,
    page_url,
    require_tenant,
    restore_redundant_tenant_keys,
    tenant_context,
    tenant_foreign_key,
    utcnow,
)
from .tenancy.services import all_tenants
from .validation import Name, Text, check_name, check_text

__all__ = [
    # --- Plugins and hooks: declaring a plugin, implementing hooks, the values hooks return.
    "PluginMeta",
    "ContractHints",
    "hookimpl",
    "hooks",
    "is_enabled",
    "plugin_settings",
    "NavItem",
    "DashboardCard",
    "DashboardItem",
    "Choice",
    "Check",
    "Ceiling",
    "RequestFields",
    "Transition",
    "FileFields",
    "KpiSource",
    "Panel",
    "RegistrationSource",
    # --- Models and the database: the session, tenant tables and keys, core's models.
    "db",
    "TenantMixin",
    "tenant_foreign_key",
    "drop_redundant_tenant_keys",
    "restore_redundant_tenant_keys",
    "unique_field",
    "utcnow",
    "Tenant",
    "User",
    "Person",
    "Household",
    "Member",
    "BeneficiaryFile",
    "AidRequest",
    "CatalogItem",
    "Disbursement",
    "Document",
    "Survey",
    "SurveyVersion",
    "SurveyQuestion",
    "SurveyResponse",
    # --- Tenancy: the tenant in context.
    "current_tenant",
    "require_tenant",
    "page_path",
    "page_url",
    "tenant_context",
    "all_tenants",
    # --- Lookup: one tenant-safe get-or-404.
    "get_or_404",
    "get_in_tenant",
    # --- Errors: what services raise; the web layer answers with its status and messages.
    "AppError",
    "Invalid",
    "NotFound",
    "Forbidden",
    "Conflict",
    # --- Permissions: declared through register_permissions, checked here.
    "Permission",
    "can",
    "check",
    "require",
    "roles_in",
    "users_with_role",
    "STAFF_ROLES",
    # --- Services: core's operations a plugin calls (they flush and audit; the caller commits).
    "create_household",
    "find_by_national_id",
    "search_persons",
    "households_of_many",
    "household_income",
    "change_file_status",
    "resumed_file_status",
    "renew_file",
    "add_months",
    "create_request",
    "submit_request",
    "install_default_catalog",
    "walk_demo_request",
    "walk_on_demo_request",
    "approve_request",
    "close_request",
    "take_request_step",
    "disburse_request",
    "upload_document",
    "store_file",
    "read_stored",
    "StoredFile",
    "FileSlot",
    "policies_in_force",
    "policies_for_area",
    "PolicyLink",
    "read_document",
    "notify",
    "notify_staff",
    "Sealed",
    "staff_holding",
    "set_contact_safety",
    "contact_safety_of",
    "audit_record",
    "kpi_sources",
    "kpi_values",
    "create_survey",
    "add_survey_question",
    "publish_survey",
    "survey_questions",
    "record_survey_response",
    # --- Web and API: blueprints, the one HTML form path, downloads.
    "ApiBlueprint",
    "page_of",
    "page_number",
    "PageOf",
    "Paged",
    "form_transaction",
    "FormOutcome",
    "ask_confirmation",
    "confirmed",
    "download_response",
    "limiter",
    # --- Schemas and validation: core's marshmallow fields and schemas, text checks.
    "RequestCreateSchema",
    "Money",
    "AnyDate",
    "LocalMoment",
    "Timestamp",
    "Name",
    "Text",
    "check_name",
    "check_text",
    # --- Numbers, dates and IDs: what people type, in any digit script and calendar.
    "parse_int",
    "parse_decimal",
    "parse_halalas",
    "format_halalas",
    "normalize_digits",
    "NumberFormatError",
    "parse_date",
    "format_date",
    "local_time",
    "today",
    "day_bounds",
    "parse_national_id",
    "check_digit_for",
    "InvalidNationalId",
    "encrypt_at_rest",
    "decrypt_at_rest",
    # --- Translations: gettext and the current language (a plugin uses its own domain).
    "_",
    "_l",
    "lazy_text",
    "current_language",
    "localized",
    "plugin_domain",
    "label",
    "labels",
    # --- Jobs: background tasks and periodic jobs.
    "Task",
    "task",
    "enqueue",
    "report",
    "Periodic",
    "run_periodic",
]
