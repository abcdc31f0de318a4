"""Every hook of the platform, each with its contract.

Two kinds of hooks, visibly separate:

* **global** hooks are called once, for every installed plugin, whatever the tenant
  (start-up, blueprint and command registration). They are called on
  ``plugin_host.pm.hook``.
* **tenant-scoped** hooks are called through ``core.toolkit.hooks()``, which skips
  the plugins the current tenant has not enabled. Core's own implementations
  (built-in plugins registered ``trylast``) always run.

Naming families: ``register_*`` return lists that are merged; ``<noun>_<past
participle>`` are events whose return values are ignored; ``assess_*`` and
``validate_*`` are rule hooks. Implementations may accept any subset of the
arguments, so arguments can be added without breaking plugins.

One module per area (``app``, ``tenant``, ``registry``, ``requests``, ...); a new area adds its
own module here and imports it below. ``docs/plugin_hooks.md`` documents every hook; a test
fails when one is missing.
"""

from __future__ import annotations

from ._markers import GLOBAL_HOOKS, PROJECT, hookimpl, hookspec
from .app import (
    app_started,
    register_api_blueprints,
    register_blueprints,
    register_commands,
    register_jobs,
    register_labels,
)
from .audit import audit_object_names
from .calendar import holidays_changed
from .dashboard import dashboard_cards
from .grievances import grievance_decided, grievance_filed, register_grievance_categories, validate_grievance
from .policies import register_policy_areas
from .portal import register_portal_request_panels
from .registry import (
    file_status_changed,
    household_registration_source,
    person_aid_total,
    register_document_types,
    register_exclusion_reasons,
    register_file_fields,
    register_household_categories,
    register_household_panels,
    register_request_panels,
    request_household_data,
    validate_file_status_change,
)
from .requests import (
    approval_override_reasons,
    assess_eligibility,
    disbursement_recorded,
    file_status_checked,
    notification_channels,
    propose_aid_ceiling,
    register_aid_catalog,
    register_kpi_sources,
    register_notification_templates,
    register_portal_policies,
    register_request_fields,
    register_request_transitions,
    request_submitted,
    request_transitioned,
    validate_request_submission,
    validate_request_transition,
)
from .self_reliance import collect_self_reliance_placements
from .tenant import load_demo_data, register_nav_items, register_permissions

__all__ = [
    "GLOBAL_HOOKS",
    "PROJECT",
    "hookimpl",
    "hookspec",
    "audit_object_names",
    "register_blueprints",
    "register_api_blueprints",
    "register_commands",
    "register_jobs",
    "register_labels",
    "app_started",
    "register_permissions",
    "register_nav_items",
    "load_demo_data",
    "register_household_categories",
    "register_document_types",
    "register_exclusion_reasons",
    "register_file_fields",
    "validate_file_status_change",
    "file_status_changed",
    "person_aid_total",
    "register_household_panels",
    "register_request_panels",
    "request_household_data",
    "household_registration_source",
    "register_request_fields",
    "request_submitted",
    "request_transitioned",
    "validate_request_transition",
    "validate_request_submission",
    "file_status_checked",
    "register_request_transitions",
    "assess_eligibility",
    "propose_aid_ceiling",
    "disbursement_recorded",
    "approval_override_reasons",
    "register_aid_catalog",
    "register_kpi_sources",
    "register_portal_policies",
    "register_portal_request_panels",
    "register_notification_templates",
    "notification_channels",
    "register_grievance_categories",
    "grievance_filed",
    "grievance_decided",
    "validate_grievance",
    "holidays_changed",
    "dashboard_cards",
    "collect_self_reliance_placements",
    "register_policy_areas",
]
