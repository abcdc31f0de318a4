"""Language selection and translation helpers: Arabic first, English second.

The locale of a request is chosen from, in order: ``?lang=``, the language the
user switched to (session), the user's preference, ``Accept-Language``, the
tenant's default, and finally Arabic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, g, has_request_context, request, session
from flask_babel import Domain, get_locale
from flask_babel import gettext as gettext
from flask_babel import lazy_gettext as lazy_gettext
from flask_babel import ngettext as ngettext

LANGUAGES = ("ar", "en")
RTL_LANGUAGES = frozenset({"ar"})


def select_locale() -> str:
    if not has_request_context():
        return "ar"
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    from flask_login import current_user

    preferred = getattr(current_user, "locale", None) if current_user else None
    if preferred in LANGUAGES:
        return preferred
    if request.accept_languages:
        best = request.accept_languages.best_match(LANGUAGES)
        if best:
            return best
    tenant = g.get("_tenant")
    if tenant is not None and tenant.default_locale in LANGUAGES:
        return tenant.default_locale
    return "ar"


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "ar"


def text_direction() -> str:
    return "rtl" if current_language() in RTL_LANGUAGES else "ltr"


def translate_messages(messages: Any) -> Any:
    """Translate validation messages (marshmallow/webargs output) for the response.

    Lazy strings resolve in the request's language; plain English messages (the
    library's defaults) are looked up in the core catalogue by their text.
    """
    if isinstance(messages, Mapping):
        return {str(key): translate_messages(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [translate_messages(item) for item in messages]
    text = str(messages)
    return gettext(text) if text else text  # noqa: INT001 - the library's message is the msgid


def plugin_domain(plugin_id: str, translations_dir: str) -> Domain:
    """A translation domain of its own for a plugin (``<plugin>/translations/<lang>/LC_MESSAGES/<id>.mo``)."""
    return Domain(translation_directories=[translations_dir], domain=plugin_id)


def localized(record: Any, attribute: str) -> str:
    """``record.<attribute>_ar`` or ``_en`` by the current language, falling back to Arabic."""
    lang = current_language()
    value = getattr(record, f"{attribute}_{lang}", None)
    return value or getattr(record, f"{attribute}_ar", "") or ""


def configure(app) -> None:
    app.jinja_env.globals.update(
        current_language=current_language, text_direction=text_direction, localized=localized
    )
    current_app_languages = app.config.setdefault("LANGUAGES", LANGUAGES)
    assert set(current_app_languages) <= set(LANGUAGES)
