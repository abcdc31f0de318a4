"""Core's notifications, as a built-in plugin.

The channels (``trylast``: plugins override by name), and the messages to the applicant as
listeners of core's own request events — requests and aid announce what happened through the
hooks, and this module decides who is told (Datasette's ``DEFAULT_PLUGINS`` idea).
"""

from __future__ import annotations

from ..calendar import format_date
from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from ..numbers import format_halalas
from .senders import InAppSender, LogOnlySmsSender, SmtpEmailSender
from .services import Channel, notify_applicant


@hookimpl(trylast=True)
def notification_channels():
    return [
        Channel("email", _l("E-mail"), SmtpEmailSender()),
        Channel("sms", _l("SMS (log only, not sent)"), LogOnlySmsSender()),
        Channel("in_app", _l("Message on the portal"), InAppSender()),
    ]


@hookimpl
def request_submitted(request):
    notify_applicant(request, "request_received", date=format_date(request.submitted_at))


@hookimpl
def request_transitioned(request, action, from_state, to_state, actor):
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
        date=format_date(disbursement.disbursed_on),
    )
