"""Notifications: an outbox table, message templates translated ar/en, per-channel senders.

``notify(template, context, user=…, email=…, phone=…)`` queues one message per reachable
channel; ``send_pending()`` (``flask notifications send``) delivers them and retries
failures with a back-off. Channels come from the ``notification_channels`` hook: core
declares ``email`` (SMTP), ``sms`` (a log-only sender, clearly labelled) and ``in_app``.
A value wrapped in ``Sealed`` (a reset or access link) goes out with the message but is kept in
the outbox only masked, and encrypted until the message is sent (``unsealed``: the text a
sender is given); an in-app message shows it masked, or the page ``Sealed(value, shown=…)``
names for the signed-in reader.
"""

from __future__ import annotations

from flask_login import current_user

from . import cli, hooks, jobs, views  # noqa: F401 - jobs registers the periodic delivery
from .models import OutboxMessage
from .services import (
    MASK,
    TEMPLATES,
    Channel,
    Sealed,
    in_app_messages,
    local_link,
    message_text,
    notify,
    notify_applicant,
    notify_staff,
    send_pending,
    unread_count,
    unsealed,
)

__all__ = [
    "MASK",
    "TEMPLATES",
    "Channel",
    "Sealed",
    "OutboxMessage",
    "in_app_messages",
    "local_link",
    "message_text",
    "init_app",
    "notify",
    "notify_applicant",
    "notify_staff",
    "send_pending",
    "unsealed",
]


def init_app(app) -> None:
    app.extensions["charity_plugins"].register_builtin(hooks)
    app.register_blueprint(views.bp, url_prefix="/t/<tenant>/inbox")
    # The menu's inbox entry and its unread count (staff only; see base.html).
    app.jinja_env.globals["inbox_unread"] = lambda: unread_count(current_user)
    cli.register(app)
