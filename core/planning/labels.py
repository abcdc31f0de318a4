"""Words for planning's codes (statuses, goal kinds, calendars), registered as labels."""

from __future__ import annotations

from ..i18n import lazy_gettext as _l

STATUS_LABELS = {
    "on_track": _l("On track"),
    "behind": _l("Behind"),
    "done": _l("Done"),
    "not_measured": _l("Not measured"),
}
PLAN_STATUS_LABELS = {
    "draft": _l("Draft"),
    "approved": _l("Approved by the board"),
    "superseded": _l("Superseded by a newer version"),
}
GOAL_KIND_LABELS = {"strategic": _l("Strategic goal"), "developmental": _l("Developmental goal")}
CALENDAR_LABELS = {"gregorian": _l("Gregorian"), "hijri": _l("Hijri")}
SOURCE_LABELS = {
    "catalog": _l("From the aid program's disbursements"),
    "kpi": _l("Computed by the platform"),
    "manual": _l("Entered by hand"),
}
