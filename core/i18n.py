"""Language selection and translation helpers: Arabic first, English second.

The locale of a request is chosen from, in order: ``?lang=``, the language the
user switched to (session), the user's preference, ``Accept-Language`` (API
requests only: pages stay Arabic until the user switches), the tenant's default,
and finally Arabic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Domain, get_locale
from flask_babel import gettext as gettext
from flask_babel import lazy_gettext as lazy_gettext
from flask_babel import lazy_ngettext as lazy_ngettext
from flask_babel import ngettext as ngettext
from flask_login import current_user
from markupsafe import Markup, escape

from .numbers import format_halalas

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

    preferred = getattr(current_user, "locale", None) if current_user else None
    if preferred in LANGUAGES:
        return preferred
    # Pages are Arabic unless the user switched; API clients state their language in the header.
    if "/api/" in request.path and request.accept_languages:
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


def N_(text: str) -> str:  # noqa: N802 - the conventional gettext no-op marker
    """Mark a string for extraction without translating it now."""
    return text


# marshmallow/webargs answer in English; these are their messages (msgids of our catalogue).
# Formatted ones are matched by pattern and their values carried into the translation.
LIBRARY_MESSAGES = (
    N_("Missing data for required field."),
    N_("Unknown field."),
    N_("Field may not be null."),
    N_("Invalid value."),
    N_("Invalid input type."),
    N_("Not a valid string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Not a valid boolean."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid list."),
    N_("Not a valid mapping type."),
    N_("Not a valid UUID."),
    N_("Not a valid time."),
    N_("Invalid JSON body."),
    N_("String does not match expected pattern."),
    N_("Special numeric values (nan or infinity) are not permitted."),
)
LIBRARY_PATTERNS = (
    (
        N_("Length must be between %(min)s and %(max)s."),
        r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.",
    ),
    (N_("Shorter than minimum length %(min)s."), r"Shorter than minimum length (?P<min>\d+)\."),
    (N_("Longer than maximum length %(max)s."), r"Longer than maximum length (?P<max>\d+)\."),
    (N_("Length must be %(equal)s."), r"Length must be (?P<equal>\d+)\."),
    (
        N_("Must be greater than or equal to %(min)s and less than or equal to %(max)s."),
        r"Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.",
    ),
    (N_("Must be greater than or equal to %(min)s."), r"Must be greater than or equal to (?P<min>\S+)\."),
    (N_("Must be less than or equal to %(max)s."), r"Must be less than or equal to (?P<max>\S+)\."),
    (N_("Must be greater than %(min)s."), r"Must be greater than (?P<min>\S+)\."),
    (N_("Must be less than %(max)s."), r"Must be less than (?P<max>\S+)\."),
    (N_("Must be one of: %(choices)s."), r"Must be one of: (?P<choices>.+)\."),
)
_COMPILED_PATTERNS = tuple((msgid, re.compile(f"^{pattern}$")) for msgid, pattern in LIBRARY_PATTERNS)


def _translate_one(text: str) -> str:
    for msgid, pattern in _COMPILED_PATTERNS:
        match = pattern.match(text)
        if match:
            return gettext(msgid, **match.groupdict())  # noqa: INT001 - msgids listed above
    return gettext(text) if text else text  # noqa: INT001 - the library's message is the msgid


def translate_messages(messages: Any) -> Any:
    """Translate validation messages (marshmallow/webargs output) for the response.

    Lazy strings resolve in the request's language; plain English messages (the
    library's defaults) are looked up in the core catalogue by their text.
    """
    if isinstance(messages, Mapping):
        return {
            str(key): translate_messages(value if isinstance(value, Mapping | list | tuple) else [value])
            for key, value in messages.items()
        }
    if isinstance(messages, list | tuple):
        return [translate_messages(item) for item in messages]
    return _translate_one(str(messages))


class PluginDomain(Domain):
    """A plugin's own catalogue, falling back to core's for strings it does not have
    (so a plugin page's ``_`` also translates the base layout's strings)."""

    def get_translations(self):
        translations = super().get_translations()
        if not getattr(translations, "_core_fallback_added", False) and has_app_context():
            core = current_app.extensions["babel"].instance.domain_instance.get_translations()
            if core is not translations:
                translations.add_fallback(core)
            translations._core_fallback_added = True
        return translations

    def template_gettext(self, string: str, **variables: Any) -> Markup:
        """The plugin's ``_`` for its templates: like Jinja's own, the translation as markup and
        the values escaped, markup values (``|hdate``, ``|number``) kept as they are."""
        translated = Markup(escape(self.gettext(string)))  # noqa: INT001 - the template's msgid
        return translated % variables if variables else translated


def plugin_domain(plugin_id: str, translations_dir: str) -> Domain:
    """A translation domain of its own for a plugin (``<plugin>/translations/<lang>/LC_MESSAGES/<id>.mo``).

    Use its ``gettext``/``lazy_gettext`` in the plugin's code, and register it for the
    plugin's templates with ``@bp.context_processor`` returning ``{"_": domain.template_gettext}``.
    """
    return PluginDomain(translation_directories=[translations_dir], domain=plugin_id)


def localized(record: Any, attribute: str) -> str:
    """``record.<attribute>_ar`` or ``_en`` by the current language, falling back to Arabic."""
    lang = current_language()
    value = getattr(record, f"{attribute}_{lang}", None)
    return value or getattr(record, f"{attribute}_ar", "") or ""


def message_list(messages: Any) -> list[str]:
    """Field messages as a flat list of translated strings (for templates)."""
    if messages is None:
        return []
    if isinstance(messages, Mapping):
        return [text for value in messages.values() for text in message_list(value)]
    if isinstance(messages, list | tuple):
        return [text for value in messages for text in message_list(value)]
    return [translate_messages(messages)]


def money(halalas: int | None) -> str:
    """Integer halalas as an amount in riyals for display: ``150050`` → ``1,500.50 ريال``."""
    if halalas is None:
        return ""
    return gettext("%(amount)s SAR", amount=format_halalas(int(halalas)))


def isolated_number(value: Any) -> Markup:
    """A number, ID or request number for a page (the ``|number`` filter): a left-to-right
    isolate that never wraps, so "000001-1448" or "١٤٤٨-٠٠٠٠٠١" keeps its order inside Arabic
    text. '' for None."""
    if value is None or value == "":
        return Markup("")
    return Markup('<bdi dir="ltr" class="number text-nowrap">{}</bdi>').format(value)


def request_number(item: Any) -> Markup:
    """How a request is named on a page: its number isolated (``|number``), or "Draft no. 17"
    before it has one. The one helper for every template that prints a request's number."""
    number = getattr(item, "number", None)
    if number:
        return isolated_number(number)
    return Markup(escape(gettext("Draft #%(id)s", id="\x00"))).replace(
        "\x00", isolated_number(getattr(item, "id", ""))
    )


def markup_gettext(string: str, **variables: Any) -> Markup:
    """``gettext`` for a message shown on a page whose values may be markup (an isolated
    number, a date from ``|hdate``): the translation and plain values escaped, markup kept.
    Use it for flashed messages that name a number or a date."""
    translated = Markup(escape(gettext(string)))  # noqa: INT001 - callers pass literal msgids
    return translated % variables if variables else translated


def configure(app) -> None:
    app.jinja_env.globals.update(
        current_language=current_language,
        text_direction=text_direction,
        localized=localized,
        request_number=request_number,
    )
    app.jinja_env.filters["messages"] = message_list
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["number"] = isolated_number
