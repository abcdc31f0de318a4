"""Translated labels of the registry's codes (genders, statuses, relationships …)."""

from __future__ import annotations

from ..i18n import lazy_gettext as _l

LABELS = {
    "male": _l("Male"),
    "female": _l("Female"),
    "single": _l("Single"),
    "married": _l("Married"),
    "divorced": _l("Divorced"),
    "widowed": _l("Widowed"),
    "owned": _l("Owned"),
    "rented": _l("Rented"),
    "spouse": _l("Spouse"),
    "son": _l("Son"),
    "daughter": _l("Daughter"),
    "father": _l("Father"),
    "mother": _l("Mother"),
    "brother": _l("Brother"),
    "sister": _l("Sister"),
    "grandson": _l("Grandson"),
    "granddaughter": _l("Granddaughter"),
    "other": _l("Other"),
    "head": _l("Head of household"),
    "citizen": _l("Citizen"),
    "resident": _l("Resident"),
    "applicant": _l("Applicant"),
    "active": _l("Active"),
    "suspended": _l("Suspended"),
    "excluded": _l("Excluded"),
    "closed": _l("Closed"),
    "created": _l("File opened"),
    "status": _l("Status changed"),
    "renewed": _l("Data renewed"),
    "pending": _l("Waiting"),
    "running": _l("Running"),
    "done": _l("Done"),
    "failed": _l("Failed"),
    "interrupted": _l("Interrupted"),
}
