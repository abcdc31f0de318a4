"""The one HTML form-handling path: permission → schema → service → one commit → redirect,
or the page again with the field errors (422) or the refusal (403/409).

A view states what the form does; the transaction is this module's::

    with form_transaction("catalog.manage") as outcome:
        item = services.create_item(CatalogItemSchema().load(form), current_user)
    if outcome.ok:
        flash(_("Catalog item added: %(name)s.", name=item.name_ar), "success")
        return redirect(url_for(".catalog"))
    return render_template("aid/catalog.html", errors=outcome.errors), outcome.status

Inside the block, a schema's or a service's :data:`core.errors.Invalid` (marshmallow's
``ValidationError``) and any :class:`core.errors.AppError` roll the whole block back and are
kept on ``outcome`` — except :class:`core.errors.NotFound` (``get_or_404`` of a submitted id),
which answers the 404 error page. Anything else (``abort(403)``, a bug) is rolled back too and
propagates to the error handlers. When the block ends without a refusal, the session is
committed once, before the view redirects.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import render_template

from .auth.permissions import check
from .errors import AppError, Invalid, NotFound
from .extensions import db


@dataclass
class FormOutcome:
    """What a submitted form came to: nothing to say (``ok``), or the status to answer with,
    the refusal's message (``None`` for field errors) and the errors to show by field
    (``"_schema"`` for the form as a whole, the refusal's message included), with the
    refusal's extra response headers (``Retry-After`` of a 429)."""

    status: int = 200
    errors: dict[str, Any] = field(default_factory=dict)
    message: Any = None
    headers: dict | None = None

    @property
    def ok(self) -> bool:
        return self.status < 400


def refusal(error: Exception) -> FormOutcome:
    """The outcome of a refused form: 422 with the field errors of an :data:`Invalid`, or the
    status, message and errors of an :class:`AppError`."""
    if isinstance(error, Invalid):
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        return FormOutcome(422, dict(messages))
    if isinstance(error, AppError):
        return FormOutcome(
            error.status, {"_schema": [error.message], **error.errors}, error.message, error.headers
        )
    raise TypeError(f"not a refusal: {error!r}")


@contextmanager
def form_transaction(permission: str | None = None) -> Iterator[FormOutcome]:
    """Run the block as one transaction for an HTML form (see the module's docstring).
    ``permission`` is checked first (403 before anything is read or written)."""
    if permission is not None:
        check(permission)
    outcome = FormOutcome()
    try:
        yield outcome
    except NotFound:
        db.session.rollback()  # what the form names is not there (another tenant's id): the error page
        raise
    except (Invalid, AppError) as error:
        db.session.rollback()
        refused = refusal(error)
        outcome.status, outcome.errors, outcome.message = refused.status, refused.errors, refused.message
        outcome.headers = refused.headers
        return
    except BaseException:
        db.session.rollback()  # a 403/404 raised in the block, or a bug: nothing it did is kept
        raise
    db.session.commit()


CONFIRMED = "yes"


def confirmed(form) -> bool:
    """Whether a posted form carries the confirmation step's answer (see :func:`ask_confirmation`)."""
    return form.get("confirmed") == CONFIRMED


def ask_confirmation(
    *,
    title: str,
    affects: list[str] | str,
    action_url: str,
    fields: Any,
    button: str,
    cancel_url: str,
    danger: bool = True,
):
    """The page that asks before a severe or destructive action (an exclusion, a permanent
    sanction, disabling a plugin, closing a case): it names what the action affects and posts the
    same form again with ``confirmed=yes``. Plain HTML (no script): it works without JavaScript and
    under the content security policy. The view calls it when :func:`confirmed` is false and does
    nothing else; on the second post it acts.

    ``fields`` are the posted fields to send again (a ``MultiDict`` or ``(name, value)`` pairs;
    the CSRF token and any earlier answer are replaced).
    """
    pairs = fields.items(multi=True) if hasattr(fields, "items") and hasattr(fields, "getlist") else fields
    hidden = [(name, value) for name, value in pairs if name not in ("csrf_token", "confirmed")]
    return render_template(
        "confirm.html",
        title=title,
        affects=[affects] if isinstance(affects, str) else list(affects),
        action_url=action_url,
        hidden=hidden,
        button=button,
        cancel_url=cancel_url,
        danger=danger,
        lang_next=cancel_url,  # switching language here returns to the page the action came from
    )
