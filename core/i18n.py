"""Language selection and translation helpers: Arabic first, English second.

The locale of a request is chosen from, in order: ``?lang=``, the language the
user switched to (session), the user's preference, ``Accept-Language`` (API
requests only: pages stay Arabic until the user switches), the tenant's default,
and finally Arabic.

A string is translated by the catalogue of the folder whose file holds it: each core feature
folder with a ``translations/`` (``core/volunteers``, ``core/requests`` …) and each plugin is a
domain of its own, falling back to core's catalogue (``core/translations``: layout, forms,
errors). ``gettext``/``lazy_gettext``/``ngettext``/``pgettext`` below find that domain from the
file of their caller (a Python module, or the template a page's ``_()`` is written in), so the
same English in two modules may have two Arabic words without either reaching the other's pages.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Domain, get_domain, get_locale
from flask_babel.speaklater import LazyString
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
    """A catalogue of its own (a plugin's or a core feature's), falling back to core's for strings
    it does not have (so a plugin page's ``_`` also translates the base layout's strings)."""

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


CORE_DIR = Path(__file__).resolve().parent
# Folder ("/…/core/volunteers/") → its domain; the longest folder holding a file owns it.
_FOLDER_DOMAINS: dict[str, Domain] = {}
# File name (a module's ``__file__``, a compiled template's) → its domain, None for core's.
_FILE_DOMAINS: dict[str, Domain | None] = {}


def _own_domain(folder: Path, domain: Domain) -> Domain:
    _FOLDER_DOMAINS[os.path.realpath(folder) + os.sep] = domain
    _FILE_DOMAINS.clear()
    return domain


def plugin_domain(plugin_id: str, translations_dir: str) -> Domain:
    """A translation domain of its own for a plugin (``<plugin>/translations/<lang>/LC_MESSAGES/<id>.mo``).

    Use its ``gettext``/``lazy_gettext`` in the plugin's code, and register it for the
    plugin's templates with ``@bp.context_processor`` returning ``{"_": domain.template_gettext}``.
    The toolkit's ``_``/``_l`` called from the plugin's files use it too.
    """
    domain = PluginDomain(translation_directories=[translations_dir], domain=plugin_id)
    return _own_domain(Path(translations_dir).parent, domain)


# Every core feature folder with a ``translations/`` is a domain ("messages" in that folder),
# the same folders ``scripts/i18n.py`` extracts a catalogue for.
MODULE_DOMAINS: dict[str, Domain] = {
    folder.parent.name: _own_domain(folder.parent, PluginDomain(translation_directories=[str(folder)]))
    for folder in sorted(CORE_DIR.glob("*/translations"))
}


def _domain_of_file(filename: str | None) -> Domain | None:
    if not filename:
        return None
    try:
        return _FILE_DOMAINS[filename]
    except KeyError:
        real = os.path.realpath(filename)
        owners = [folder for folder in _FOLDER_DOMAINS if real.startswith(folder)]
        domain = _FOLDER_DOMAINS[max(owners, key=len)] if owners else None
        _FILE_DOMAINS[filename] = domain
        return domain


def _caller(frame) -> Domain:
    """The domain of the file running ``frame`` (the request's, i.e. core's, when it owns none)."""
    return _domain_of_file(frame.f_globals.get("__file__")) or get_domain()


def _in_core_domain(method: str):
    def call(*args: Any, **variables: Any) -> str:
        return getattr(get_domain(), method)(*args, **variables)

    return call


_CORE_CALLS = {method: _in_core_domain(method) for method in ("gettext", "ngettext", "pgettext")}


def _lazy_target(frame, method: str):
    """What a lazy string calls when shown: a feature's or plugin's domain is fixed now, core's is
    looked up then (the request's; outside a request there is no translation yet)."""
    domain = _domain_of_file(frame.f_globals.get("__file__"))
    return getattr(domain, method) if domain is not None else _CORE_CALLS[method]


def gettext(string: str, **variables: Any) -> str:
    return _caller(sys._getframe(1)).gettext(string, **variables)  # noqa: INT001 - the caller's msgid


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    return _caller(sys._getframe(1)).ngettext(singular, plural, num, **variables)


def pgettext(context: str, string: str, **variables: Any) -> str:
    return _caller(sys._getframe(1)).pgettext(context, string, **variables)


def npgettext(context: str, singular: str, plural: str, num: int, **variables: Any) -> str:
    return _caller(sys._getframe(1)).npgettext(context, singular, plural, num, **variables)


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    return LazyString(_lazy_target(sys._getframe(1), "gettext"), string, **variables)


def lazy_ngettext(singular: str, plural: str, num: int, **variables: Any) -> LazyString:
    return LazyString(_lazy_target(sys._getframe(1), "ngettext"), singular, plural, num, **variables)


def lazy_pgettext(context: str, string: str, **variables: Any) -> LazyString:
    return LazyString(_lazy_target(sys._getframe(1), "pgettext"), context, string, **variables)


def lazy_text(function: Any, *args: Any, **kwargs: Any) -> LazyString:
    """``function(*args, **kwargs)`` computed when the text is shown, in the language it is shown
    in — for a text that is not one msgid: a label kept in the data in each language (a
    settings entry's ``label_ar``/``label_en``), or a sentence made of several. A message queued
    with it is written in its recipient's language, not in that of whoever's action queued it
    (``core.notifications`` keeps it in every language for the inbox)."""
    return LazyString(function, *args, **kwargs)


_JINJA_FRAMES = ("jinja2.", "core.i18n", "flask_babel")


def _template_translations():
    """The translations of the template whose ``_()`` is running: the compiled template's frame
    (its globals name its file) is the first one above Jinja's own calls."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__", "").startswith(_JINJA_FRAMES):
        frame = frame.f_back
    domain = _domain_of_file(frame.f_globals.get("__file__")) if frame is not None else None
    return (domain or get_domain()).get_translations()


def _install_template_gettext(app) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _template_translations().ugettext(s),
        ngettext=lambda s, p, n: _template_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _template_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _template_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


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
    translated = Markup(escape(_caller(sys._getframe(1)).gettext(string)))  # noqa: INT001 - callers' msgids
    return translated % variables if variables else translated


def configure(app) -> None:
    _install_template_gettext(app)  # after Flask-Babel's: a template's strings in its folder's domain
    app.jinja_env.globals.update(
        current_language=current_language,
        text_direction=text_direction,
        localized=localized,
        request_number=request_number,
    )
    app.jinja_env.filters["messages"] = message_list
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["number"] = isolated_number
