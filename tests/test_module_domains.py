"""Each core feature folder translates its own strings (its own domain, falling back to core's),
so the same English in two modules keeps each module's Arabic word."""

from __future__ import annotations

from core.i18n import CORE_DIR, MODULE_DOMAINS


def _template(app, source: str, folder: str):
    """A template compiled as if it were a file of ``folder`` (its domain comes from its file)."""
    env = app.jinja_env
    filename = str(CORE_DIR / folder / "templates" / folder / "probe.html")
    code = env.compile(source, f"{folder}/probe.html", filename)
    return env.template_class.from_code(env, code, env.make_globals(None))


def test_python_strings_are_translated_by_the_module_that_holds_them(app):
    from core.requests.workflow import STATES
    from core.volunteers.labels import ASSIGNMENT_STATE_LABELS

    with app.test_request_context("/?lang=ar"):
        assert str(STATES["withdrawn"]) == "مسحوب"  # a request withdrawn by its applicant
        assert str(ASSIGNMENT_STATE_LABELS["withdrawn"]) == "أُخلي"  # a volunteer's place given up
    with app.test_request_context("/?lang=en"):
        assert str(STATES["withdrawn"]) == str(ASSIGNMENT_STATE_LABELS["withdrawn"]) == "Withdrawn"


def test_template_strings_are_translated_by_the_folder_of_the_template(app):
    source = '{{ _("Withdrawn") }}|{{ gettext("Open") }}|{{ _("Not found.") }}'
    with app.test_request_context("/?lang=ar"):
        volunteers = _template(app, source, "volunteers").render()
        requests = _template(app, source, "requests").render()
        core = app.jinja_env.from_string('{{ _("Not found.") }}').render()
    assert volunteers == "أُخلي|مفتوحة|غير موجود."  # the layout's strings from core's catalogue
    assert requests.startswith("مسحوب|") and requests.endswith("|غير موجود.")
    assert core == "غير موجود."


def test_a_module_domain_falls_back_to_core_for_shared_strings(app):
    with app.test_request_context("/?lang=ar"):
        for domain in MODULE_DOMAINS.values():
            assert domain.gettext("Not found.") == "غير موجود."


def test_every_core_catalogue_folder_is_a_domain():
    folders = {p.parent.name for p in CORE_DIR.glob("*/translations")}
    assert set(MODULE_DOMAINS) == folders


def test_the_toolkit_gettext_in_a_plugin_file_uses_the_plugins_domain(app):
    from plugins.crime_victims.i18n import domain

    probe = str(CORE_DIR.parent / "plugins" / "crime_victims" / "probe.py")
    namespace = {"__file__": probe}
    with app.test_request_context("/?lang=ar"):
        exec(compile("from core.toolkit import _\nshown = _('Received')", probe, "exec"), namespace)  # noqa: S102
        assert namespace["shown"] == domain.gettext("Received") == "الاستقبال"
