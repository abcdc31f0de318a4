"""Core's senders: SMTP e-mail, a log-only SMS sender (sends nothing), in-app messages."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Any

from flask import current_app

log = logging.getLogger("charity_platform.notifications")


class SmtpEmailSender:
    """E-mail through the SMTP server of the tenant (``settings["smtp"]``) or of the platform
    (``MAIL_SERVER``, ``MAIL_PORT``, ``MAIL_USERNAME``, ``MAIL_PASSWORD``, ``MAIL_USE_TLS``,
    ``MAIL_FROM``). Without a server configured, sending fails and the outbox retries."""

    def settings(self, tenant: Any) -> dict:
        own = (tenant.settings or {}).get("smtp") or {}
        config = current_app.config
        return {
            "host": own.get("host") or config.get("MAIL_SERVER"),
            "port": int(own.get("port") or config.get("MAIL_PORT") or 25),
            "username": own.get("username") or config.get("MAIL_USERNAME"),
            "password": own.get("password") or config.get("MAIL_PASSWORD"),
            "use_tls": bool(own.get("use_tls", config.get("MAIL_USE_TLS", False))),
            "sender": own.get("sender") or config.get("MAIL_FROM") or "no-reply@localhost",
        }

    def send(self, message, tenant) -> None:
        smtp = self.settings(tenant)
        if not smtp["host"]:
            raise RuntimeError("no SMTP server configured")
        email = EmailMessage()
        email["From"] = smtp["sender"]
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email.set_content(message.body)
        with smtplib.SMTP(smtp["host"], smtp["port"], timeout=20) as client:
            if smtp["use_tls"]:
                client.starttls()
            if smtp["username"]:
                client.login(smtp["username"], smtp["password"] or "")
            client.send_message(email)


class LogOnlySmsSender:
    """NOT A REAL SMS GATEWAY: writes the message to the log and marks it sent.

    The default until an association's plugin declares an ``sms`` channel with its provider
    (``notification_channels`` hook); a provider implements ``send(message, tenant)``.
    """

    label = "log-only (no SMS is sent)"

    def send(self, message, tenant) -> None:
        log.info("[SMS log-only, not sent] tenant=%s to=%s: %s", tenant.slug, message.recipient, message.body)


class InAppSender:
    """In-app messages are read on the portal from the outbox itself: delivery is immediate."""

    def send(self, message, tenant) -> None:
        return None
