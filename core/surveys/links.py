"""The complaint route from a survey: a seam the grievances feature plugs into.

A low rating (at or below the tenant's ``complaint_below``) offers the grievance form,
prefilled. Surveys do not import grievances (they are built side by side); the grievances
feature registers how to build that link::

    from core.surveys.links import register_complaint_route
    register_complaint_route(app, lambda request_id, score: url_for(
        "grievances_portal.new", kind="complaint", request_id=request_id, source="survey"))

Without a registration, no complaint link is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

_KEY = "charity_surveys_complaint_route"


def register_complaint_route(app: Flask, build: Callable[[int | None, int | None], str]) -> None:
    """``build(request_id, score)`` returns the address of the prefilled grievance form."""
    app.extensions[_KEY] = build


def complaint_url(request_id: int | None, score: int | None, threshold: int) -> str | None:
    """The prefilled complaint form's address for a low rating (None: not low, or no route)."""
    build: Any = current_app.extensions.get(_KEY)
    if build is None or score is None or score > threshold:
        return None
    return build(request_id, score)
