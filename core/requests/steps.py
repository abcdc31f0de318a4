"""The steps staff take from a request's page: one handler per action, in one table.

A handler reads its form (``form``, ``files``: the posted ``MultiDict``s), loads it through the
step's schema and calls the step's service, which checks the actor's permission and the
workflow; it raises ``Invalid``/``AppError`` to refuse. ``requests.views.step`` runs it inside
``core.forms.form_transaction`` (one commit, or the page again with the step's errors).
Features built on requests (``core.aid``'s ``disburse``) add their own handlers with
``requests.views.register_step_form``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import NotFound
from ..i18n import lazy_gettext as _l
from ..numbers import NumberFormatError, parse_int
from . import services
from .schemas import (
    ApproveSchema,
    NoteSchema,
    RecordVisitSchema,
    RejectSchema,
    ScheduleVisitSchema,
    SubmitSchema,
)

StepHandler = Callable[[Any, Mapping, Mapping, Any], Any]  # (request, form, files, actor)
NO_SUCH_STEP = _l("This step does not exist.")


def _without_form(service: Callable[[Any, Any], Any]) -> StepHandler:
    """A step whose form is a button: the service with the request and the actor."""

    def handler(item, form, files, actor):
        return service(item, actor)

    return handler


def _with_note(service: Callable[[Any, Any, str], Any]) -> StepHandler:
    """A button step that keeps an optional note (the generic step endpoint sends one)."""

    def handler(item, form, files, actor):
        return service(item, actor, NoteSchema().load({"note": form.get("note") or ""})["note"])

    return handler


def submit(item, form, files, actor):
    data = SubmitSchema().load(
        {"declaration": form.get("declaration") == "on", "signed_by": form.get("signed_by", "")}
    )
    services.submit(item, actor, declaration_signed_by=data["signed_by"])


def link_file(item, form, files, actor):
    try:
        file_id = parse_int(form.get("file_id", ""))
    except NumberFormatError:
        file_id = None  # the service answers 422 on the field
    services.link_file(item, actor, file_id)


def return_to_applicant(item, form, files, actor):
    services.return_to_applicant(item, actor, form.get("reason", "").strip() or "-")


def schedule_visit(item, form, files, actor):
    data = ScheduleVisitSchema().load({"scheduled_for": form.get("scheduled_for", "")})
    services.schedule_visit(item, actor, data["scheduled_for"])


def record_visit(item, form, files, actor):
    rows = zip(
        form.getlist("field"),
        form.getlist("entered"),
        form.getlist("status"),
        form.getlist("found"),
        strict=False,
    )
    checked = [{"field": f, "entered": e, "status": s, "found": v} for f, e, s, v in rows if f.strip()]
    data = RecordVisitSchema().load(
        {
            "visited_on": form.get("visited_on", ""),
            "findings": form.get("findings", ""),
            "checked_fields": checked,
        }
    )
    services.record_visit(item, actor, **data)


def approve(item, form, files, actor):
    data = ApproveSchema().load(
        {
            "amount": form.get("amount", ""),
            "members_present": form.getlist("members_present"),
            "override_reason": form.get("override_reason") or None,
        }
    )
    services.approve(
        item,
        actor,
        amount_halalas=data["amount"],
        members_present=data["members_present"],
        decided_on=data["decided_on"],
        override_reason=data["override_reason"],
    )


def reject(item, form, files, actor):
    data = RejectSchema().load(
        {"reason": form.get("reason", ""), "members_present": form.getlist("members_present")}
    )
    services.reject(item, actor, **data)


STEP_FORMS: dict[str, StepHandler] = {
    "start_research": _without_form(services.start_research),
    "verify": _without_form(services.verify),
    "send_to_committee": _without_form(services.send_to_committee),
    "close": _with_note(services.close),
    "withdraw": _with_note(services.withdraw),
    "submit": submit,
    "link_file": link_file,
    "return": return_to_applicant,
    "schedule_visit": schedule_visit,
    "record_visit": record_visit,
    "approve": approve,
    "reject": reject,
}


def step_handler(action: str, added: Mapping[str, Callable[[Any, Mapping, Mapping], Any]]) -> StepHandler:
    """The handler of ``action``: core's, else one a feature added (``handler(item, form,
    files)``); :class:`NotFound` (the 404 page) for any other action."""
    if action in STEP_FORMS:
        return STEP_FORMS[action]
    if action in added:
        handler = added[action]
        return lambda item, form, files, actor: handler(item, form, files)
    raise NotFound(NO_SUCH_STEP)
