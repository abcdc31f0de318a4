"""A plugin's translation domain falls back to core's catalogue."""


def test_plugin_domain_falls_back_to_core(app, tmp_path):
    from core.i18n import plugin_domain

    dom = plugin_domain("nothing", str(tmp_path))
    with app.test_request_context("/?lang=ar"):
        assert dom.gettext("Not found.") == "غير موجود."
        assert dom.gettext("Plugin-only text") == "Plugin-only text"
