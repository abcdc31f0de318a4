"""Core's notifications, as a built-in plugin.

The channels (``trylast``: plugins override by name), and the messages to the applicant as
listeners of core's own request events — requests and aid announce what happened through the
hooks, and this module decides who is told (Datasette's ``DEFAULT_PLUGINS`` idea).
"""

from __future__ import annotations

from ..calendar import local_time
from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..numbers import format_halalas
from ..tenancy import page_path
from .senders import InAppSender, LogOnlySmsSender, SmtpEmailSender
from .services import Channel, notify_applicant, notify_staff


@hookimpl(trylast=True)
def notification_channels():
    return [
        Channel("email", _l("E-mail"), SmtpEmailSender()),
        Channel("sms", _l("SMS (log only, not sent)"), LogOnlySmsSender()),
        Channel("in_app", _l("Message on the portal"), InAppSender()),
    ]


@hookimpl
def request_submitted(request):
    submitted_on = local_time(request.submitted_at).date()  # the association's day
    notify_applicant(request, "request_received", date=submitted_on)
    _tell_staff(request, "requests.research", "staff_request_submitted", date=submitted_on)


# A request arriving in these states waits for the staff holding the permission: their inbox says so.
STAFF_NEXT = {
    "in_committee": ("requests.decide", "staff_request_in_committee"),
    "approved": ("requests.disburse", "staff_request_approved"),
}


def _tell_staff(request, action: str, template: str, **context) -> None:
    notify_staff(
        action,
        template,
        # The number isolated left-to-right (U+2066 … U+2069): "1448-000008" never reads reversed in Arabic.
        {"number": f"\u2066{request.number or ''}\u2069", "name": request.applicant_name, **context},
        link=_request_link(request),
    )


def _request_link(request) -> str:
    """The request's staff page (a path; also from the command line, with no page being answered)."""
    return page_path("requests.view", request_id=request.id)


@hookimpl
def request_transitioned(request, action, from_state, to_state, actor):
    if to_state in STAFF_NEXT and from_state != to_state:
        permission, template = STAFF_NEXT[to_state]
        _tell_staff(request, permission, template, amount=format_halalas(request.approved_halalas or 0))
    if action == "return":
        notify_applicant(request, "request_returned", reason=request.returned_reason or "")
    elif action == "approve":
        notify_applicant(request, "request_approved", amount=format_halalas(request.approved_halalas or 0))
    elif action == "reject":
        notify_applicant(request, "request_rejected", reason=request.rejection_reason or "")


@hookimpl
def disbursement_recorded(disbursement, request):
    notify_applicant(
        request,
        "aid_disbursed",
        amount=format_halalas(disbursement.value_halalas),
        date=disbursement.disbursed_on,
    )
