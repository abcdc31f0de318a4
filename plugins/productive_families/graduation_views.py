"""Graduation pages (routes of the plugin's blueprint): the staff queue of due and overdue income
follow-ups, and a producer's follow-ups with the form recording one. The producer's page shows
the same follow-ups through ``graduation_summary`` (a template function)."""

from __future__ import annotations

from datetime import date

from flask import request, url_for
from flask_login import current_user

from core.toolkit import format_date, label, require
from core.toolkit import today as tenant_today

from .i18n import _, _l, domain
from .services import graduation, producers
from .views import DONE, P, bp, form_data, handle

DONE.update({"followup": _l("The income follow-up was recorded.")})
SLOT_FIELDS = ("anchor", "anchor_on", "months")


@bp.context_processor
def _graduation_context():
    return {
        "graduation_summary": graduation.graduation_of,
        "anchor_label": graduation.anchor_label,
        "slot_text": slot_text,
        "months_text": months_text,
    }


def months_text(months: int) -> str:
    """ "3 months", "12 months" in words, with the plural form of the current language."""
    return domain.ngettext("%(num)s month", "%(num)s months", months)


def slot_text(slot) -> str:
    """ "Licence issued on 1 March 2026 — 3 months (due 1 June 2026)" in the current language."""
    return _(
        "%(anchor)s on %(date)s, after %(months)s (due %(due)s)",
        anchor=graduation.anchor_label(slot.anchor_kind),
        date=format_date(slot.anchor_on),
        months=months_text(slot.months),
        due=format_date(slot.due_on),
    )


@bp.route("/graduation/")
@require(P + "view")
def graduation_queue():
    today = tenant_today()
    year = (date(today.year, 1, 1), date(today.year, 12, 31))
    return handle(
        "productive_families/graduation/queue.html",
        lambda: {
            "slots": graduation.open_slots(today=today),
            "outcome": graduation.outcomes(*year),
            "year": today.year,
            "state_label": lambda code: label(code, "productive_families_followup"),
        },
        {},
    )


def _followup_form() -> dict:
    """The page's form as the service's input: the chosen slot (``kind:date:months``) split."""
    data = {k: v for k, v in form_data().items() if k != "slot"}
    parts = request.form.get("slot", "").split(":")
    if len(parts) == 3:
        data.update(dict(zip(SLOT_FIELDS, parts, strict=True)))
    return data


@bp.route("/graduation/producers/<int:producer_id>", methods=["GET", "POST"])
@require(P + "view")
def graduation_producer(producer_id: int):
    record = producers.get_producer(producer_id)

    def record_followup():
        graduation.record_followup(record, _followup_form(), current_user)
        return url_for(".graduation_producer", producer_id=record.id)

    def context() -> dict:
        summary = graduation.graduation_of(record)
        return {
            "producer": record,
            "summary": summary,
            "recordable": [s for s in summary["slots"] if s.state != "upcoming"],
            "chosen": request.form.get("slot") or request.args.get("slot", ""),
            "today": tenant_today().isoformat(),
            "state_label": lambda code: label(code, "productive_families_followup"),
        }

    return handle(
        "productive_families/graduation/producer.html",
        context,
        {"followup": (P + "manage", record_followup)},
    )
