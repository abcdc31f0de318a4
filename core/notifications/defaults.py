"""Core's notification channels, as a built-in plugin (``trylast``): plugins override by name."""

from __future__ import annotations

from ..hookspecs import hookimpl
from ..i18n import lazy_gettext as _l
from .senders import InAppSender, LogOnlySmsSender, SmtpEmailSender
from .services import Channel


@hookimpl(trylast=True)
def notification_channels():
    return [
        Channel("email", _l("E-mail"), SmtpEmailSender()),
        Channel("sms", _l("SMS (log only, not sent)"), LogOnlySmsSender()),
        Channel("in_app", _l("Message on the portal"), InAppSender()),
    ]
