"""Every step of a request, taken from one place: the request page's forms and the API's
``POST /t/<tenant>/api/v1/requests/<id>/steps/<action>``.

Core's steps with their own input keep their handlers (``requests.steps``, and the ones
features add with ``requests.views.register_step_form``: ``disburse``); any other step of the
transition table — core's button steps and every enabled plugin's (``register_request_transitions``)
— is taken here with its note, through :func:`core.requests.workflow.transition`: the same role,
state and ``validate_request_transition`` checks, timeline event, audit entry and
``request_transitioned`` as core's own steps. A disabled plugin's steps are gone from the table at
once, so from the page and the endpoint too (404).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from marshmallow import Schema, validate

from ..errors import Conflict, NotFound
from ..i18n import lazy_gettext as _l
from ..validation import Text
from . import steps
from .workflow import Transition, check_allowed, transition, transitions

# Core's steps the request page shows with a form of their own (the others come from the table).
OWN_FORMS = frozenset(
    {"submit", "link_file", "schedule_visit", "record_visit", "approve", "reject", "return", "disburse"}
)
NOTE_NEEDED = _l("Write the note this step asks for.")
ELSEWHERE = _l("This step is taken from its own page, not from the request.")
NOTE_MAX = 5000


class _Note(Schema):
    note = Text(load_default="", validate=validate.Length(max=NOTE_MAX))


class _RequiredNote(Schema):
    note = Text(
        required=True,
        validate=validate.Length(min=1, max=NOTE_MAX, error=NOTE_NEEDED),
        error_messages={"required": NOTE_NEEDED, "null": NOTE_NEEDED},
    )


def step_of(action: str) -> Transition:
    """The step ``action`` of the current tenant's table; 404 for any other (or a disabled
    plugin's) action."""
    step = transitions().get(action)
    if step is None:
        raise NotFound(steps.NO_SUCH_STEP)
    return step


def check_available(item: Any, action: str, actor: Any) -> Transition:
    """The step, once the actor's role (403) and the request's state (409) allow it — before its
    input is read, so a step that cannot be taken says so whatever was sent (the messages of
    :func:`~core.requests.workflow.transition`, which checks both again)."""
    step = step_of(action)
    if step.elsewhere:
        raise Conflict(ELSEWHERE)
    check_allowed(item, step, actor)
    return step


def load_note(step: Transition, form: Mapping) -> str:
    """The step's note, checked (422 on ``note`` when the step requires one and none is given)."""
    raw = form.get("note")
    if raw is None and not step.note_required:
        return ""
    schema = _RequiredNote() if step.note_required else _Note()
    return schema.load({"note": raw} if raw is not None else {})["note"]


def take(item: Any, action: str, form: Mapping, actor: Any) -> None:
    """Take a step that needs nothing but its note; the workflow checks role, state and plugins
    first (403/409), then the note (422) — nothing is written on any refusal."""
    step = step_of(action)
    if step.elsewhere:
        raise Conflict(ELSEWHERE)

    def check_note(_request) -> None:
        load_note(step, form)

    # The note is checked once every check of the workflow passed (``apply`` runs before any
    # write); the event keeps it (trimmed, as the check reads it).
    transition(item, action, actor, note=_checked_text(form), apply=check_note)


def take_step(request: Any, action: str, actor: Any, note: str = "") -> None:
    """A step of the table taken in code (a plugin's services, its demo data): as from the page."""
    take(request, action, {"note": note}, actor)


def _checked_text(form: Mapping) -> str:
    value = form.get("note")
    return value.strip() if isinstance(value, str) else ""


def handler_for(action: str, added: Mapping) -> steps.StepHandler:
    """The page's (and the API's) handler of ``action``: core's own form, a feature's, else the
    generic step of the transition table; 404 for an action no table knows."""
    if action in steps.STEP_FORMS or action in added:
        return steps.step_handler(action, added)
    step_of(action)
    return lambda item, form, files, actor: take(item, action, form, actor)


def page_steps(available: Iterable[Transition]) -> list[Transition]:
    """The steps drawn from the table on the request page (a button, with a note box when the
    step asks for one): every available step but core's own forms and steps taken elsewhere."""
    return [t for t in available if t.action not in OWN_FORMS and not t.elsewhere]


def needs_confirmation(action: str) -> bool:
    step = transitions().get(action)
    return bool(step and step.confirm)


__all__ = [
    "OWN_FORMS",
    "check_available",
    "handler_for",
    "load_note",
    "needs_confirmation",
    "page_steps",
    "step_of",
    "take",
    "take_step",
]
