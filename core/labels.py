"""Words for codes: one registry of translated labels for every code a page shows.

A *kind* names a family of codes ("request_state", "violation", "exclusion_reason",
"evidence", "audit_action", "audit_object", "role", "band", …). Core's features and the
plugins contribute labels through the global hook ``register_labels`` (core's own
implementations are built-ins registered ``trylast``, so a plugin overrides them the same way a
third party would). A kind's labels are a mapping ``{code: label}`` or a function
``code -> label | None`` (for labels that depend on the tenant, such as a violation ladder
configured in the plugin's settings).

Templates print a code through the filter ``{{ code|label("violation") }}`` and a list of
codes through ``{{ codes|labels("evidence") }}`` (a list of strings to render as a list, never
a Python repr). A code nobody labelled is printed as it is: the raw-code sweep
(``tests/test_no_raw_codes.py``) finds it, and the fix is a label, not a special case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from flask import current_app

from .i18n import gettext
from .plugins import get_host

LabelSource = Mapping[str, Any] | Callable[[str], Any]


def _table() -> dict[str, list[LabelSource]]:
    """Every kind's label sources, in hook order (a plugin before core's built-ins), per app."""
    cached = current_app.extensions.get("charity_labels")
    if cached is None:
        cached = {}
        for result in get_host().pm.hook.register_labels():
            for kind, source in (result or {}).items():
                cached.setdefault(kind, []).append(source)
        current_app.extensions["charity_labels"] = cached
    return cached


def _lookup(source: LabelSource, code: str) -> Any:
    if callable(source):
        return source(code)
    return source.get(code)


def label(code: Any, kind: str) -> str:
    """The translated label of ``code`` in ``kind`` (the code itself when none is registered)."""
    if code is None or code == "":
        return ""
    text = str(code)
    for source in _table().get(kind, ()):
        found = _lookup(source, text)
        if found is not None and str(found):
            return str(found)
    return text


def labels(codes: Iterable[Any] | None, kind: str) -> list[str]:
    """Each code of a list (or the keys of a mapping) as its label; a single code as a one-item list."""
    if codes is None:
        return []
    if isinstance(codes, str):
        codes = [codes]
    return [label(code, kind) for code in codes]


def value_text(value: Any) -> str:
    """A recorded value (evidence, figures) as a person reads it: yes/no, a dash for nothing;
    a list is rendered item by item by the template (``{% for v in value %}``), never as a repr."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return str(value)


def has_label(code: Any, kind: str) -> bool:
    return any(_lookup(source, str(code)) is not None for source in _table().get(kind, ()))


def configure(app) -> None:
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["labels"] = labels
    app.jinja_env.filters["value_text"] = value_text
