"""Services of the plugin: plain functions that validate against the database, write through
the session (flush, never commit) and audit each change. Callers commit once, so a refusal
writes nothing.

One module per part of the plugin — ``prisoners`` (prisoners and their families),
``eligibility``, ``debt_cases``, ``rehabilitation`` (programs and follow-ups),
``self_reliance`` — and ``_common`` for what they share. Callers use the package:
``from . import services; services.create_prisoner(...)``.
"""

from __future__ import annotations

from ._common import PLUGIN_ID, settings
from .debt_cases import (
    add_entry,
    add_negotiation,
    case_entries,
    case_negotiations,
    close_settled_cases,
    create_case,
    insolvency_program_names,
    list_cases,
    lock_case,
    on_disbursement,
    request_for_case,
)
from .eligibility import (
    LABELS,
    REASONS,
    assess,
    assess_households,
    current_service_area,
    eligibility_facts,
    eligibility_facts_of_households,
)
from .prisoners import (
    create_prisoner,
    expected_releases,
    family_links,
    link_family,
    list_prisoners,
    record_release,
    update_prisoner,
)
from .rehabilitation import (
    add_session,
    create_program,
    enrol,
    enrolment_progress,
    enrolments_progress,
    install_default_programs,
    list_follow_ups,
    list_programs,
    program_enrolments,
    program_sessions,
    record_attendance,
    record_follow_up,
    record_interview,
    schedule_follow_ups,
)
from .self_reliance import (
    add_employment,
    add_placement,
    list_employments,
    list_placements,
    placements_between,
)

__all__ = [
    "placements_between",
    "LABELS",
    "PLUGIN_ID",
    "REASONS",
    "add_employment",
    "add_entry",
    "add_negotiation",
    "add_placement",
    "add_session",
    "assess",
    "assess_households",
    "case_entries",
    "case_negotiations",
    "close_settled_cases",
    "create_case",
    "create_prisoner",
    "create_program",
    "current_service_area",
    "eligibility_facts",
    "eligibility_facts_of_households",
    "enrol",
    "enrolment_progress",
    "enrolments_progress",
    "expected_releases",
    "family_links",
    "insolvency_program_names",
    "install_default_programs",
    "link_family",
    "list_cases",
    "list_employments",
    "list_follow_ups",
    "list_placements",
    "list_prisoners",
    "list_programs",
    "lock_case",
    "on_disbursement",
    "request_for_case",
    "program_enrolments",
    "program_sessions",
    "record_attendance",
    "record_follow_up",
    "record_interview",
    "record_release",
    "schedule_follow_ups",
    "settings",
    "update_prisoner",
]
