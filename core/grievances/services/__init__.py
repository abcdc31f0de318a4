"""Grievance services: plain functions, one per rule or step (views and the API are thin).

* :mod:`.rules` — the tenant's rule versions (15 / 30 / 10 by default) and the categories;
* :mod:`.filing` — filing with the seed's refusals, numbering, the prefill of the form;
* :mod:`.handling` — the transition table and the steps; :mod:`.appeals` — appeals;
* :mod:`.deadlines` — due dates (paused while awaiting the complainant), the traffic light;
* :mod:`.access` — confidentiality and the audit of reads; :mod:`.queues` — queues, tick, KPIs;
* :mod:`.redecide` — an upheld grievance sends its request back to the committee.
"""

from ...calendar import today
from .access import audit_list, audit_read, can_act, can_read, is_complainant, read, visible_filter
from .appeals import CONFLICT, appeal_deadline_passed, assign_appeal, decide_appeal, open_appeal
from .deadlines import (
    compute_due_date,
    effective_due_date,
    light,
    paused_so_far,
    refresh_due_date,
    working_days_left,
)
from .events import TEMPLATES, record_event
from .export import export_xlsx
from .filing import admissibility_errors, file_grievance, grievance_form_prefill
from .handling import (
    OUTCOME_LABELS,
    RULE_LABELS,
    TRANSITIONS,
    answer,
    ask_complainant,
    assign,
    close,
    decide,
    handlers_of,
    mark_malicious,
    reject_inadmissible,
    reopen,
    review,
    set_about,
    withdraw,
)
from .queues import (
    QUEUES,
    counts,
    kpi_appeal_rate,
    kpi_decided_in_time,
    kpi_filed,
    kpi_median_days,
    kpi_reopen_rate,
    kpi_upheld,
    queue,
    queue_size,
    read_queue,
    refresh_open_due_dates,
    tick,
    urgent,
)
from .redecide import REDECIDE, redecide_request, upheld_grievance_about
from .rules import (
    CORE_CATEGORIES,
    DEFAULT_RULES,
    add_rule_version,
    categories,
    category_label,
    rule_versions,
    rules_on,
)

__all__ = [
    "CONFLICT",
    "CORE_CATEGORIES",
    "DEFAULT_RULES",
    "OUTCOME_LABELS",
    "QUEUES",
    "REDECIDE",
    "RULE_LABELS",
    "TEMPLATES",
    "TRANSITIONS",
    "add_rule_version",
    "admissibility_errors",
    "answer",
    "appeal_deadline_passed",
    "ask_complainant",
    "assign",
    "assign_appeal",
    "audit_list",
    "audit_read",
    "can_act",
    "can_read",
    "categories",
    "category_label",
    "close",
    "compute_due_date",
    "counts",
    "decide",
    "decide_appeal",
    "effective_due_date",
    "export_xlsx",
    "file_grievance",
    "grievance_form_prefill",
    "handlers_of",
    "is_complainant",
    "kpi_appeal_rate",
    "kpi_decided_in_time",
    "kpi_filed",
    "kpi_median_days",
    "kpi_reopen_rate",
    "kpi_upheld",
    "light",
    "mark_malicious",
    "open_appeal",
    "paused_so_far",
    "queue",
    "queue_size",
    "read",
    "read_queue",
    "redecide_request",
    "record_event",
    "refresh_due_date",
    "refresh_open_due_dates",
    "reject_inadmissible",
    "reopen",
    "review",
    "rule_versions",
    "rules_on",
    "set_about",
    "tick",
    "today",
    "upheld_grievance_about",
    "urgent",
    "visible_filter",
    "withdraw",
    "working_days_left",
]
