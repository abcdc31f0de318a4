"""Posting a form as a browser does: with the CSRF token the page gave to this session."""

from __future__ import annotations

import re

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client, page: str = "/login") -> str:
    html = client.get(page).get_data(as_text=True)
    match = _TOKEN.search(html)
    assert match, f"{page} carries a CSRF token"
    return match.group(1)


def post_form(client, path: str, data: dict | None = None, **kwargs):
    """POST ``data`` to ``path`` with the session's CSRF token (harmless when CSRF is off)."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client)}, **kwargs)
