"""The plugin's services: rules.py applied to the tenant's data through core.toolkit.

Functions write through the session (flush, never commit); the caller commits once, so a
refusal writes nothing. One module per concern, lower ones first (each imports only those
above it):

- ``rule_versions``: the settings in force and their versions, labels, today;
- ``application``: the mandatory data checked at submission;
- ``assessment``: the need gap, band and ceiling;
- ``ladder``: a file's violations and the sanction the next one brings;
- ``pledge``: the written pledge some sanctions ask for;
- ``notifications``: telling the beneficiary, the applicant's portal;
- ``renewals``: data-renewal rounds;
- ``exclusions``: exclusion proposals (automatic rules, confirm, dismiss);
- ``file_status``: core's file status under the sanctions in force, the daily run;
- ``violations``: recording violations, attaching the pledge, lifting suspensions.

Import the package (``from . import services``) and use ``services.<name>``.
"""

from __future__ import annotations

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
    excluded_members,
    explain,
    file_of,
    gap_check,
    latest_assessment,
    latest_assessments,
    people_for,
    record_assessment,
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
    lift_expired,
    sanctions_in_force,
    sync_file_status,
    tick,
)
from .ladder import (
    next_sanctions,
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
    today,
)
from .violations import (
    attach_pledge,
    lift,
    record_violation,
)

__all__ = [
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
