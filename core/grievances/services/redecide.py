"""An upheld grievance against a request's rejection sends the request back to its committee.

Not a second workflow: the request takes the step ``redecide`` (registered by the grievances
feature through ``register_request_transitions``) through ``core.requests.transition()`` —
the same permission and state checks, timeline event, audit entry and
``request_transitioned`` as every other step. The step is refused on a request that no upheld
grievance is about (``request_transition_blockers``), so it is never a way around a decision.
"""

from __future__ import annotations

from typing import Any

from ...errors import Conflict
from ...extensions import db
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...lookup import get_in_tenant
from ...requests import AidRequest, Transition
from ...requests.workflow import transition
from ..models import Grievance
from .events import record_event

UPHELD = ("upheld", "partly_upheld")
REDECIDE = Transition(
    "redecide",
    ("rejected",),
    "in_committee",
    "grievances.receive",
    _l("Send back to the committee (grievance upheld)"),
    elsewhere=True,  # taken from the upheld grievance's page, which records it on the grievance
)


def upheld_grievance_about(request: AidRequest) -> Grievance | None:
    """The latest upheld (or partly upheld) grievance about ``request``, if any."""
    return db.session.scalars(
        db.select(Grievance)
        .where(Grievance.request_id == request.id, Grievance.outcome.in_(UPHELD))
        .order_by(Grievance.id.desc())
        .limit(1)
    ).first()


def redecide_request(grievance: Grievance, actor: Any) -> AidRequest:
    """The director sends the request the upheld grievance is about back to the committee."""
    request = get_in_tenant(AidRequest, grievance.request_id) if grievance.request_id else None
    if grievance.outcome not in UPHELD or request is None:
        raise Conflict(_("Only a grievance upheld against a request can send that request back."))
    transition(
        request, REDECIDE.action, actor, note=_("Grievance %(number)s was upheld.", number=grievance.number)
    )
    record_event(
        grievance,
        "request_redecided",
        actor,
        from_state=grievance.state,
        public=True,
        note=_("The request was sent back to the committee to be decided again."),
    )
    return request
