"""Browser-facing protections: safe redirect targets, security headers, cookie flags.

``init_app`` is called by ``create_app``. Every response gets the headers of
``security_headers`` (a route may set its own value first: it is kept). The
Content-Security-Policy allows no inline script and no inline style: pages load
their JavaScript from ``core/static`` (or a plugin's static folder).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import URLSafeTimedSerializer

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"

# Characters a browser drops or treats as a separator in a URL, and any other
# invisible character: controls (Cc), format characters (Cf), every kind of space.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def _visible(text: str) -> str:
    return "".join(
        ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
    )


def safe_redirect_target(target: object) -> str | None:
    """``target`` if it is a path of this site (``/…``), else ``None``.

    Control characters and white space are removed first (browsers ignore tabs and
    new lines inside a URL, so ``/\\t/evil.com`` means ``//evil.com``); a backslash
    is refused (browsers read it as a slash); what remains must have no scheme and no
    host and start with exactly one slash.
    """
    if not isinstance(target, str) or not target:
        return None
    cleaned = _visible(target)
    if not cleaned or "\\" in cleaned:
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return None
    return cleaned


def security_headers(production: bool) -> dict[str, str]:
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    if production:
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    return headers


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, the signing serializer built once per key set instead of
    on every request (Flask builds one in each ``open_session`` and ``save_session``). A new
    ``SECRET_KEY`` or ``SECRET_KEY_FALLBACKS`` builds a new one.

    A request without a ``Cookie`` header (an API client with its token) gets its empty session
    without the cookies being parsed, and a session nobody read or changed is saved without
    Flask looking up the seven cookie settings it would then not use."""

    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            if len(self._serializers) > 8:  # keys rotated in a long-lived process
                self._serializers.clear()
            serializer = self._serializers[key] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if "HTTP_COOKIE" not in request.environ and self.get_signing_serializer(app) is not None:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if session or session.modified or session.accessed:
            super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    production = bool(app.config.get("PRODUCTION"))
    app.session_interface = CookieSessions()
    # Cookies: never readable by scripts, not sent on cross-site sub-requests, and only
    # over HTTPS in production (Flask's session cookie and Flask-Login's remember cookie).
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["REMEMBER_COOKIE_HTTPONLY"] = True
    app.config["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    if production:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    headers = tuple((name.lower(), name, value) for name, value in security_headers(production).items())

    @app.after_request
    def _security_headers(response: Response) -> Response:
        # The names the response has, read once: werkzeug's ``Headers.setdefault`` looks each
        # one up by raising and catching a KeyError (an HTTPException), five times a response.
        present = {name.lower() for name in response.headers.keys()}  # noqa: SIM118 (Headers iterates pairs)
        for lower, name, value in headers:
            if lower not in present:
                response.headers.add(name, value)
        return response
