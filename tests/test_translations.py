"""Every user-visible string has an Arabic translation (Arabic first)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _i18n_tool():
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_has_an_arabic_translation():
    missing = _i18n_tool().missing()
    assert not missing, "untranslated: " + "; ".join(f"{k}: {v[:5]}" for k, v in missing.items())


def test_library_validation_messages_are_translated_with_their_values(app):
    from core.i18n import translate_messages

    with app.test_request_context("/?lang=ar"):
        assert translate_messages({"name": ["Length must be between 2 and 255."]}) == {
            "name": ["يجب أن يكون الطول بين 2 و255."]
        }
        assert translate_messages({"x": "Unknown field."}) == {"x": ["حقل غير معروف."]}


def test_language_switch_sets_the_page_direction(client):
    assert 'dir="rtl"' in client.get("/login").get_data(as_text=True)
    client.get("/lang/en")
    page = client.get("/login").get_data(as_text=True)
    assert 'dir="ltr"' in page and "Log in" in page
