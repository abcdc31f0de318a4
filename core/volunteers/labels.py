"""The volunteer codes in words: states, kinds, days, audit steps."""

from __future__ import annotations

from ..i18n import lazy_gettext as _l

STATE_LABELS = {
    "applied": _l("Waiting for a decision"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "inactive": _l("Inactive"),
}
KIND_LABELS = {"individual": _l("Individual"), "organisation": _l("On behalf of an organisation")}
DAY_LABELS = {
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
}
OPPORTUNITY_KIND_LABELS = {
    "event": _l("Event"),
    "program_session": _l("Program session"),
    "distribution_day": _l("Distribution day"),
    "field_campaign": _l("Field campaign"),
}
OPPORTUNITY_STATE_LABELS = {"open": _l("Open"), "closed": _l("Closed")}
ASSIGNMENT_STATE_LABELS = {
    "applied": _l("Applied"),
    "assigned": _l("Has a place"),
    "withdrawn": _l("Withdrawn"),
}
HOURS_STATE_LABELS = {
    "none": _l("Not recorded"),
    "pending": _l("Waiting for confirmation"),
    "confirmed": _l("Hours confirmed"),
    "rejected": _l("Hours rejected"),
}
AUDIT_ACTIONS = {
    "volunteer.offer": _l("Offer to volunteer"),
    "volunteer.register": _l("Volunteer registered by staff"),
    "volunteer.update": _l("Volunteer's data changed"),
    "volunteer.accepted": _l("Volunteer accepted"),
    "volunteer.declined": _l("Volunteer declined"),
    "volunteer.inactive": _l("Volunteer made inactive"),
    "volunteer.skills": _l("Volunteer skill list changed"),
    "volunteer.opportunity.create": _l("Volunteer opportunity created"),
    "volunteer.opportunity.update": _l("Volunteer opportunity changed"),
    "volunteer.assign": _l("Volunteer given a place"),
    "volunteer.apply": _l("Volunteer applied for a place"),
    "volunteer.withdraw": _l("Volunteer's place freed"),
    "volunteer.check_in": _l("Volunteer checked in"),
    "volunteer.check_out": _l("Volunteer checked out"),
    "volunteer.confirm_hours": _l("Volunteer hours confirmed or rejected"),
    "volunteer.export": _l("Volunteers exported"),
    "volunteer.referral": _l("Request referred by a volunteer"),
    "volunteer.companion": _l("Volunteer added to a field visit"),
}
AUDIT_OBJECTS = {
    "volunteer": _l("Volunteer"),
    "volunteer_opportunity": _l("Volunteer opportunity"),
    "volunteer_assignment": _l("Volunteer's place"),
}
