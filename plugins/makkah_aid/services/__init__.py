"""The plugin's services: rules.py applied to the tenant's data through core.toolkit.

Functions write through the session (flush, never commit); the caller commits once, so a
refusal writes nothing. One module per concern, lower ones first (each imports only those
above it):

- ``rule_versions``: the settings in force and their versions, labels, today;
- ``application``: the mandatory data checked at submission;
- ``case``: the file's circumstances (each with its document) and its category against its facts;
- ``assessment``: the need gap, band and ceiling (with the category check and circumstances);
- ``ladder``: a file's violations and the sanction the next one brings;
- ``pledge``: the written pledge some sanctions ask for;
- ``notifications``: telling the beneficiary, the applicant's portal;
- ``renewals``: data-renewal rounds;
- ``exclusions``: exclusion proposals (automatic rules, confirm, dismiss);
- ``file_status``: core's file status under the sanctions in force, the daily run;
- ``violations``: recording violations, attaching the pledge, lifting suspensions;
- ``providers``: the providers paid to deliver a service, and the disbursements they deliver.

Import the package (``from . import services``) and use ``services.<name>``.
"""

from __future__ import annotations

from core.toolkit import today

from .application import (
    DOCUMENT_LABELS,
    FIELD_LABELS,
    INPUT_KEYS,
    documents_for,
    household_data,
    problem_message,
    submission_errors,
)
from .assessment import (
    aid_ceiling,
    assessments_of,
    category_check_for,
    category_verdict,
    excluded_members,
    explain,
    file_of,
    gap_check,
    latest_assessment,
    latest_assessments,
    people_for,
    record_assessment,
)
from .case import (
    EVIDENCE_TYPE,
    PROBLEM_LABELS,
    category_check,
    category_facts,
    circumstance_kind,
    circumstance_label,
    circumstance_label_or_none,
    circumstance_reason,
    circumstances_of,
    circumstances_summary,
    end_circumstance,
    override_reasons,
    problem_labels,
    record_circumstance,
    update_category_facts,
)
from .exclusions import (
    confirm,
    dismiss,
    household_facts,
    may_decide,
    proposals,
    propose,
    scan_all,
    scan_file,
)
from .file_status import (
    blocking_messages,
    displayed_state,
    lift_expired,
    sanctions_in_force,
    sync_file_status,
    tick,
)
from .ladder import (
    documenters_text,
    next_sanctions,
    role_label,
    sanction_text,
    severe_next_sanction,
    violations_of,
)
from .notifications import (
    applicant_user_ids,
    files_of_user,
    notify_file,
    requests_of_user,
)
from .pledge import (
    find_pledge,
    pledge_status,
    pledge_status_label,
    pledge_statuses,
)
from .providers import (
    CONTRACT,
    INVOICE_TYPE,
    catalog_declarations,
    check_provider_disbursement,
    deliveries_of,
    domain_of,
    link_delivery,
    may_see_bank,
    provider_view,
    providers,
    save_provider,
    services_by_domain,
    update_provider,
)
from .renewals import (
    active_round,
    announce_round,
    record_renewal,
    renewal_facts,
    renewal_facts_of,
    renewal_view,
    renewals_of,
    round_view,
    rounds,
)
from .rule_versions import (
    PLUGIN_ID,
    current_rule_version,
    label,
    reason_entry,
    rule_versions,
    service_area,
    settings,
)
from .violations import (
    attach_pledge,
    lift,
    record_violation,
)

__all__ = [
    "INVOICE_TYPE",
    "catalog_declarations",
    "check_provider_disbursement",
    "circumstance_label_or_none",
    "deliveries_of",
    "domain_of",
    "link_delivery",
    "may_see_bank",
    "provider_view",
    "providers",
    "CONTRACT",
    "save_provider",
    "services_by_domain",
    "update_provider",
    "EVIDENCE_TYPE",
    "PROBLEM_LABELS",
    "category_check",
    "category_check_for",
    "category_facts",
    "category_verdict",
    "circumstance_kind",
    "circumstance_label",
    "circumstance_reason",
    "circumstances_of",
    "circumstances_summary",
    "displayed_state",
    "documenters_text",
    "end_circumstance",
    "override_reasons",
    "problem_labels",
    "record_circumstance",
    "role_label",
    "update_category_facts",
    "aid_ceiling",
    "gap_check",
    "DOCUMENT_LABELS",
    "FIELD_LABELS",
    "INPUT_KEYS",
    "PLUGIN_ID",
    "active_round",
    "announce_round",
    "applicant_user_ids",
    "assessments_of",
    "attach_pledge",
    "blocking_messages",
    "confirm",
    "current_rule_version",
    "dismiss",
    "documents_for",
    "excluded_members",
    "explain",
    "file_of",
    "files_of_user",
    "find_pledge",
    "household_data",
    "household_facts",
    "label",
    "latest_assessment",
    "latest_assessments",
    "lift",
    "lift_expired",
    "may_decide",
    "next_sanctions",
    "severe_next_sanction",
    "notify_file",
    "people_for",
    "pledge_status",
    "pledge_status_label",
    "pledge_statuses",
    "problem_message",
    "proposals",
    "propose",
    "reason_entry",
    "record_assessment",
    "record_renewal",
    "record_violation",
    "renewal_facts",
    "renewal_facts_of",
    "renewal_view",
    "renewals_of",
    "requests_of_user",
    "round_view",
    "rounds",
    "rule_versions",
    "sanction_text",
    "sanctions_in_force",
    "scan_all",
    "scan_file",
    "service_area",
    "settings",
    "submission_errors",
    "sync_file_status",
    "tick",
    "today",
    "violations_of",
]
