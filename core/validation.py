"""Which characters input may carry: one rule for the API, the pages, core and plugins.

* **Names** (people's four-part names, household, user, tenant, program and item names):
  no control characters (Unicode category Cc), no format characters (Cf: the right-to-left
  override U+202E, zero-width U+200B–U+200D, isolates U+2066–U+2069, U+FEFF …), no line or
  paragraph separators, and at least one letter — a name made only of invisible characters
  is no name. (Persian spellings with ZWNJ are refused too: the rule is the issue's, kept
  simple and visible.)
* **Free text** (notes, reasons, addresses, anything else typed): no control characters but
  tab, line feed and carriage return, and none of the explicit bidirectional embedding,
  override or isolate controls (U+202A–U+202E, U+2066–U+2069), which can make text display
  as something else than what is stored.
* **Any input at all**: a NUL byte, or another control character, anywhere in a JSON body,
  a query string or a form is refused with a field error naming the field
  (:func:`control_character_errors`, run by the API's argument parser and before every page).

Schemas use the :class:`Name` and :class:`Text` fields (``core.toolkit`` exports them for
plugins); forms that do not go through a schema call :func:`check_name` / :func:`check_text`.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from flask import request
from flask_smorest.arguments import ArgumentsMixin
from marshmallow import ValidationError, fields

from .errors import respond
from .i18n import lazy_gettext as _l

NAME_MESSAGE = _l("A name cannot contain invisible, formatting or control characters.")
NAME_LETTER_MESSAGE = _l("A name must contain letters.")
TEXT_MESSAGE = _l("The text contains invisible control characters; remove them.")
NUL_MESSAGE = _l("A NUL character (\\0) is not allowed here.")

ALLOWED_CONTROLS = frozenset("\t\n\r")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
NAME_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


def check_name(value: str | None) -> list:
    """Translated reasons ``value`` is not a usable name ([] when it is, or when empty)."""
    if not value:
        return []
    if "\x00" in value:
        return [NUL_MESSAGE]
    if any(unicodedata.category(ch) in NAME_REFUSED_CATEGORIES for ch in value):
        return [NAME_MESSAGE]
    if value.strip() and not any(unicodedata.category(ch).startswith("L") for ch in value):
        return [NAME_LETTER_MESSAGE]
    return []


def _bad_text_character(ch: str) -> bool:
    if ch in ALLOWED_CONTROLS:
        return False
    return ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs")


def check_text(value: str | None) -> list:
    """Translated reasons free text ``value`` is refused ([] when it is fine)."""
    if not value:
        return []
    if "\x00" in value:
        return [NUL_MESSAGE]
    if any(_bad_text_character(ch) for ch in value):
        return [TEXT_MESSAGE]
    return []


def _raise(messages: list) -> None:
    if messages:
        raise ValidationError(list(messages))


class Text(fields.String):
    """Free text: trimmed; control characters (but tab and line breaks) and bidi overrides refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        _raise(check_text(text))
        return text


class Name(fields.String):
    """A name: trimmed; no control, format or invisible characters, and at least one letter."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        _raise(check_name(text))
        return text


# --------------------------------------------------------------------------- any input


def _scan_string(value: str) -> list:
    if "\x00" in value:
        return [NUL_MESSAGE]
    if any(unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS for ch in value):
        return [TEXT_MESSAGE]
    return []


def _scan(value: Any) -> Any:
    """Errors shaped like the input (``{"head": {"first_name": [...]}}``, ``{"marks": {0: …}}``)."""
    if isinstance(value, str):
        return _scan_string(value)
    if isinstance(value, dict):
        found: dict = {}
        for key, item in value.items():
            if isinstance(key, str) and _scan_string(key):
                found.setdefault("_schema", []).extend(_scan_string(key))
                continue
            inner = _scan(item)
            if inner:
                found[key] = inner
        return found
    if isinstance(value, list | tuple):
        found = {}
        for index, item in enumerate(value):
            inner = _scan(item)
            if inner:
                found[index] = inner
        return found
    return []


def control_character_errors(data: Any) -> dict:
    """Field errors for every NUL or control character in ``data`` (a dict, a list, or a
    werkzeug MultiDict of form or query values); {} when there is none."""
    if hasattr(data, "lists"):  # MultiDict: every value of every key
        data = {key: values if len(values) > 1 else values[0] for key, values in data.lists()}
    if isinstance(data, list):
        found = _scan(data)
        return {"_schema": [NUL_MESSAGE]} if found and not isinstance(found, dict) else found
    return _scan(data) if isinstance(data, dict) else {}


def refuse_control_characters(data: Any) -> None:
    errors = control_character_errors(data)
    if errors:
        raise ValidationError(errors)


def make_argument_parser():
    """The API's webargs parser: the characters of the raw input are checked before the
    schema loads it, so the answer names the field (and this runs where parsing runs: after
    authentication and permissions)."""
    base = type(ArgumentsMixin.ARGUMENTS_PARSER)

    class CheckedParser(base):
        def load_json(self, req, schema):
            data = super().load_json(req, schema)
            if isinstance(data, dict | list):
                refuse_control_characters(data)
            return data

        def load_querystring(self, req, schema):
            refuse_control_characters(req.args)
            return super().load_querystring(req, schema)

        def load_form(self, req, schema):
            refuse_control_characters(req.form)
            return super().load_form(req, schema)

    return CheckedParser()


def check_page_input():
    """Before every page (not the API, whose parser checks after authentication): a NUL or
    control character in the query string or the form is a 422 naming the field."""
    if request.path.startswith("/api/") or "/api/v1/" in request.path or request.path.startswith("/static/"):
        return None
    errors = control_character_errors(request.args)
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.mimetype in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        errors.update(control_character_errors(request.form))
    if errors:
        return respond(422, None, errors)
    return None


def strip_bidi_controls(value: Any) -> Any:
    """Jinja ``finalize``: what a page prints never carries a bidi override or isolate
    (data stored before these rules could); Markup stays Markup."""
    if isinstance(value, str) and any(ch in BIDI_CONTROLS for ch in value):
        return value.translate(_BIDI_TABLE)
    return value


_BIDI_TABLE = {ord(ch): None for ch in BIDI_CONTROLS}


def init_app(app) -> None:
    app.before_request(check_page_input)
    app.jinja_env.finalize = strip_bidi_controls
