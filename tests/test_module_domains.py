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


def _i18n_tool():
    import importlib.util

    spec = importlib.util.spec_from_file_location("i18n_tool", CORE_DIR.parent / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_domain_translates_one_msgid_two_ways():
    """The catalogues one lookup may reach (a module's own, then core's) agree on every msgid and
    context: the same English cannot show two words on one screen. Different meanings take a
    context (``pgettext``)."""
    conflicts = _i18n_tool().conflicts()
    assert not conflicts, "\n".join(f"{domain}: {items}" for domain, items in conflicts.items())


def test_the_domains_at_run_time_are_the_ones_checked(app):
    """Core's default domain holds core's catalogue only, each module's domain its own: merging
    catalogues into one domain (how one module's word once reached another's pages) is refused."""
    tool = _i18n_tool()
    with app.app_context():
        core = app.extensions["babel"].instance.domain_instance.translation_directories
    assert [str(directory) for directory in core] == [str(CORE_DIR / "translations")]
    for name, domain in MODULE_DOMAINS.items():
        assert domain.translation_directories == [str(CORE_DIR / name / "translations")]
    checked = {name for name, chain in tool.domains().items() if name.startswith("core/")}
    assert checked == {f"core/{name}" for name in MODULE_DOMAINS}


def test_the_conflict_check_names_two_words_for_one_msgid(tmp_path):
    tool = _i18n_tool()
    for name, word in (("one", "مؤكد"), ("two", "معتمدة")):
        po = tmp_path / name / "translations" / "ar" / "LC_MESSAGES" / "messages.po"
        po.parent.mkdir(parents=True)
        po.write_text(f'msgid ""\nmsgstr ""\n\nmsgid "Confirmed"\nmsgstr "{word}"\n', encoding="utf-8")
    tool.ROOT = tmp_path
    found = tool.conflicts({"merged": [tmp_path / "one", tmp_path / "two"]})
    assert found == {"merged": ["'Confirmed': one: مؤكد; two: معتمدة"]}


def test_every_file_is_translated_in_the_catalogue_it_is_extracted_into(app):
    """The run-time owner of each file (its domain) is the folder whose catalogue
    ``scripts/i18n.py`` extracts the file's strings into."""
    from core.i18n import _domain_of_file

    tool = _i18n_tool()
    wrong = []
    for folder in tool.catalogue_folders():
        keep = tool.owned_files(folder)
        expected = MODULE_DOMAINS.get(folder.name) if folder.parent == CORE_DIR else None
        for path in [*folder.rglob("*.py"), *folder.rglob("*.html")]:
            if "static" in path.parts or not keep(str(path.relative_to(folder))):
                continue
            domain = _domain_of_file(str(path))
            if folder.parent.name == "plugins":
                ok = domain is not None and domain.domain == [folder.name]
            else:
                ok = domain is expected
            if not ok:
                wrong.append(str(path.relative_to(CORE_DIR.parent)))
    assert not wrong, wrong[:10]
