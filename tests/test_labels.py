"""The label registry: every code a page prints goes through one translated label, contributed by
core's features and the plugins through ``register_labels`` (global: a disabled plugin's codes stay
in words in the audit trail)."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale

from core.audit.labels import action_label, object_label
from core.labels import label, labels, value_text


def test_core_audit_actions_and_objects_read_as_words(app_ctx):
    with force_locale("ar"):
        assert action_label("registry.person.searched") == "بحث عن شخص"
        assert object_label("AidRequest", 21) == "الطلب رقم 21"
        assert object_label("audit") == "سجل التدقيق"
    with force_locale("en"):
        assert action_label("registry.person.searched") == "Person search"
        assert object_label("household", 3) == "Household no. 3"


def test_request_steps_in_the_audit_trail_use_the_steps_words(app_ctx):
    with force_locale("en"):
        assert action_label("request.start_research") == "Start the research"
        assert action_label("request.create") == "Request registered"


def test_plugins_label_their_codes_whether_or_not_a_tenant_enabled_them(app_ctx):
    with force_locale("ar"):
        assert action_label("makkah_aid.violation.recorded") == "تسجيل مخالفة"
        assert object_label("DebtCase", 2) == "قضية مديونية رقم 2"
    with force_locale("en"):
        assert label("prisoner_families.debt_case.closed", "audit_action") == "Debt case closed"


def test_roles_and_plugins_in_words(app_ctx):
    with force_locale("ar"):
        assert label("committee_member", "role") == "عضو اللجنة"
        assert label("makkah_aid", "plugin") == "مساعدات الجمعية الخيرية بمكة المكرمة"
    with force_locale("en"):
        assert labels(["auditor", "researcher"], "role") == ["Auditor", "Social researcher"]


def test_a_code_nobody_labelled_is_printed_as_it_is_for_the_sweep_to_find(app_ctx):
    assert label("no_such_code", "audit_action") == "no_such_code"
    assert label(None, "role") == "" and labels(None, "role") == []


def test_the_template_filters_print_words_and_lists_as_lists(app):
    with app.test_request_context("/?lang=en"):
        html = render_template_string(
            '{{ "registry.file.read"|label("audit_action") }}|{{ ["tenant_admin", "auditor"]|labels("role")|join(", ") }}'
            "|{{ true|value_text }}|{{ none|value_text }}"
        )
    assert html == "Beneficiary file read|Association admin, Auditor|Yes|—"


def test_recorded_values_read_as_words():
    assert value_text(3) == "3" and value_text("") == "—"
