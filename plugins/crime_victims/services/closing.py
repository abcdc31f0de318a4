"""Closing a case whose needs were met without a disbursement: the request step ``close_needs_met``.

Core's ``close`` leaves only ``disbursed`` or ``rejected``. A case the committee accepted whose
needs the partners met (referrals completed), the association met without money, or that were
closed with a reason has no disbursement to record: this step closes it from ``approved``, with
the outcome of the case as its required note. It is a step of core's workflow
(``register_request_transitions``), so the request page shows its button and the API's
``…/requests/<id>/steps/close_needs_met`` takes it, with core's role check (``requests.close``),
event and audit; the plugin refuses it (``validate_request_transition``) until the rule holds.
"""

from __future__ import annotations

from core.toolkit import Transition

from .. import rules
from ..i18n import _, _l
from ..models import VictimCase
from .care import needs_of

CLOSE_NEEDS_MET = Transition(
    "close_needs_met",
    ("approved",),
    "closed",
    "requests.close",
    _l("Close the case: needs met"),
    note_label=_l("Outcome of the case (who met which need)"),
    note_required=True,
    confirm=True,
)


def problems(case: VictimCase | None) -> list[str]:
    """Why the case may not close as "needs met" (empty: it may): a victim case, whose service is
    recorded (intake step 7, checked with the other intake steps), with needs in its plan, every
    one resolved."""
    if case is None:
        return [_("Only a victim case closes with its needs met.")]
    statuses = [need.status for need in needs_of(case)]
    if not statuses:
        return [_("The case plan has no need: assess the case's needs first.")]
    if not rules.case_needs_met(statuses):
        return [
            _("Every need of the case must be met, completed by a partner, or closed with a reason first.")
        ]
    return []
