"""Arabic number–noun agreement: counts go through ngettext and the catalogues' six Arabic
plural forms (nplurals=6), compiled by babel."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import render_template_string

from plugins.makkah_aid.services.ladder import sanction_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("po", sorted(ROOT.glob("[cp]*/**/translations/ar/LC_MESSAGES/*.po")), ids=str)
def test_every_arabic_catalogue_declares_the_six_arabic_plural_forms(po):
    with po.open("rb") as handle:
        catalogue = read_po(handle, locale="ar")
    assert catalogue.num_plurals == 6
    assert "n==0 ? 0 : n==1 ? 1 : n==2 ? 2" in catalogue.plural_forms.replace(" ", "").replace(
        "n==0?0:n==1?1:n==2?2", "n==0 ? 0 : n==1 ? 1 : n==2 ? 2"
    )


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (1, "تعليق الخدمات لمدة شهر واحد"),
        (2, "تعليق الخدمات لمدة شهرين"),
        (3, "تعليق الخدمات لمدة 3 أشهر"),
        (11, "تعليق الخدمات لمدة 11 شهرًا"),
        (12, "تعليق الخدمات لمدة 12 شهرًا"),
        (100, "تعليق الخدمات لمدة 100 شهر"),
    ],
)
def test_suspension_months_agree_with_their_number_in_arabic(app, months, expected):
    with app.test_request_context("/?lang=ar"):
        assert sanction_text({"kind": "timed", "months": months}) == expected


@pytest.mark.parametrize("months", [1, 2, 12])
def test_suspension_months_in_english(app, months):
    with app.test_request_context("/?lang=en"):
        text = sanction_text({"kind": "timed", "months": months})
    assert text == f"Suspension for {months} month{'s' if months != 1 else ''}"


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (1, "متأخر يومًا واحدًا"),
        (2, "متأخر يومين"),
        (3, "متأخر 3 أيام"),
        (11, "متأخر 11 يومًا"),
        (100, "متأخر 100 يوم"),
    ],
)
def test_days_late_agree_with_their_number_in_arabic(app, days, expected):
    from plugins.makkah_aid.i18n import _domain

    with app.test_request_context("/?lang=ar"):
        shown = render_template_string(
            '{{ ngettext("%(num)s day late", "%(num)s days late", n) }}', ngettext=_domain.ngettext, n=days
        )
    assert shown == expected


def test_a_suspension_end_date_is_shown_in_the_tenants_calendar(app):
    from datetime import date

    with app.test_request_context("/?lang=ar"):
        text = sanction_text({"kind": "timed", "months": 2}, date(2026, 11, 30))
    assert "1448-06-20 هـ" in text and "isoformat" not in text


@pytest.mark.parametrize(
    ("n", "chain", "associations"),
    [
        (1, "السلسلة سليمة (قيد واحد).", "مسجل لدى جمعية أخرى واحدة."),
        (2, "السلسلة سليمة (قيدان).", "مسجل لدى جمعيتين أخريين."),
        (3, "السلسلة سليمة (3 قيود).", "مسجل لدى 3 جمعيات أخرى."),
        (11, "السلسلة سليمة (11 قيدًا).", "مسجل لدى 11 جمعية أخرى."),
        (100, "السلسلة سليمة (100 قيد).", "مسجل لدى 100 جمعية أخرى."),
    ],
)
def test_core_counts_agree_with_their_number_in_arabic(app, n, chain, associations):
    from core.i18n import MODULE_DOMAINS  # each string in the domain of the module showing it

    audit, registry = MODULE_DOMAINS["audit"], MODULE_DOMAINS["registry"]
    with app.test_request_context("/?lang=ar"):
        assert (
            audit.ngettext(
                "The chain is intact (%(num)s entry).", "The chain is intact (%(num)s entries).", n
            )
            == chain
        )
        assert (
            registry.ngettext(
                "Registered with %(num)s other association.", "Registered with %(num)s other associations.", n
            )
            == associations
        )


@pytest.mark.parametrize(
    ("months", "days", "expected"),
    [(12, 30, "كل 12 شهرًا"), (6, 10, "كل 6 أشهر"), (1, 2, "كل شهر")],
)
def test_the_renewal_rule_sentence_agrees_with_its_numbers(app, months, days, expected):
    from plugins.makkah_aid.i18n import _domain

    with app.test_request_context("/?lang=ar"):
        text = _domain.gettext(
            "Households renew their data every %(months)s when a round is announced; due %(days)s after the "
            "announcement; late by %(late)s or more → a late-renewal exclusion is proposed.",
            months=_domain.ngettext("%(num)s month", "%(num)s months", months),
            days=_domain.ngettext("%(num)s day", "%(num)s days", days),
            late=_domain.ngettext("%(num)s day", "%(num)s days", days),
        )
    assert expected in text and "%(" not in text
