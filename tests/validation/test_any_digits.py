"""Any-digit input everywhere a number is typed: Arabic-Indic (٠-٩), Extended Arabic-Indic
(۰-۹) and Latin digits read alike by every number, date and time field (API, pages, plugins),
request numbers tracked in any digits, numeric keypads on digit fields."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from flask import render_template_string
from marshmallow import Schema, ValidationError, fields

from core.extensions import db
from core.requests.models import AidRequest
from core.requests.numbering import parse_number
from core.requests.services import get_by_number
from core.tenancy import tenant_context

ARABIC = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


class Everything(Schema):
    count = fields.Integer()
    share = fields.Decimal()
    ratio = fields.Float()
    day = fields.Date()
    moment = fields.DateTime()
    at = fields.Time()


LATIN = {
    "count": "12",
    "share": "12.5",
    "ratio": "0.25",
    "day": "2025-11-03",
    "moment": "2025-11-03T10:15:00",
    "at": "10:15:00",
}
EXPECTED = {
    "count": 12,
    "share": Decimal("12.5"),
    "ratio": 0.25,
    "day": date(2025, 11, 3),
    "moment": datetime(2025, 11, 3, 10, 15),
    "at": datetime(2025, 11, 3, 10, 15).time(),
}


@pytest.mark.parametrize("script", [ARABIC, PERSIAN], ids=["arabic-indic", "persian"])
@pytest.mark.parametrize("field", sorted(LATIN))
def test_every_number_date_and_time_field_reads_any_digits(app, script, field):
    typed = LATIN[field].translate(script)
    assert Everything().load({field: typed}) == {field: EXPECTED[field]}


def test_what_is_not_a_number_in_any_script_is_still_refused(app):
    with pytest.raises(ValidationError) as refused:
        Everything().load({"count": "١٢أ", "day": "٢٠٢٥-١٣-٠١"})
    assert set(refused.value.messages) == {"count", "day"}


@pytest.mark.parametrize(
    "typed",
    [
        "1448-000001",
        "١٤٤٨-٠٠٠٠٠١",
        "۱۴۴۸-۰۰۰۰۰۱",
        "000001-1448",
        "٠٠٠٠٠١-١٤٤٨",
        " 1448 – 1 ",
        "1448/1",
        "1448000001",
    ],
)
def test_a_request_number_is_read_in_any_digits_and_either_order(typed):
    assert parse_number(typed) == "1448-000001"


@pytest.mark.parametrize("typed", ["", "abc", "1448", "1448-0", "12-34", "1448-1-2"])
def test_what_is_not_a_request_number_is_none(typed):
    assert parse_number(typed) is None


def test_the_portal_tracks_a_request_typed_in_arabic_indic_digits(client, tenant, login, create_user_):
    applicant = create_user_(roles={tenant: ["applicant"]})
    with tenant_context(tenant):
        item = AidRequest(
            state="submitted", channel="portal", applicant_name="فهد", number="1448-000007",
            applicant_user_id=applicant.id,
        )  # fmt: skip
        db.session.add(item)
        db.session.commit()
        item_id = item.id
        assert get_by_number("١٤٤٨-٠٠٠٠٠٧").id == item_id
    login(applicant)
    found = client.get("/t/first/portal/track", query_string={"number": "١٤٤٨-٠٠٠٠٠٧"})
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/portal/requests/{item_id}")
    missing = client.get("/t/first/portal/track", query_string={"number": "١٤٤٨-٠٠٠٠٠٨"})
    assert missing.status_code == 302 and missing.headers["Location"].endswith("/portal/")


def test_the_api_reads_a_date_range_in_arabic_indic_digits(api, create_user_, tenant):
    auditor = create_user_(roles={tenant: ["auditor"]})
    response = api(auditor).get(
        "/audit/export.csv", query_string={"start": "٢٠٠٠-٠١-٠١", "end": "٢٩٩٩-١٢-٣١"}
    )
    assert response.status_code == 200 and response.mimetype == "text/csv"


def test_the_api_refuses_a_bad_date_with_a_field_error(api, create_user_, tenant):
    auditor = create_user_(roles={tenant: ["auditor"]})
    response = api(auditor).get("/audit/export.csv", query_string={"start": "٢٠٠٠-١٣-٠١"})
    assert response.status_code == 422 and "start" in str(response.json)


def test_a_household_is_registered_from_arabic_indic_digits_through_the_api(api, officer):
    payload = {
        "head": {
            "first_name": "سعد", "father_name": "علي", "grandfather_name": "محمد", "family_name": "الحربي",
            "national_id": "١٠٠٠٠٠٠٠٠٨", "id_expiry": "١٤٥٠-٠١-٠١", "birth_date": "١٩٨٥-٠٣-٠٢",
            "phone": "٠٥٥١٢٣٤٥٦٧", "monthly_income": "٣٠٠٠٫٥٠", "gender": "male", "marital_status": "married",
            "nationality": "SA", "job": "عامل",
        },
        "housing_tenure": "rented",
        "annual_rent": "١٨٬٠٠٠",
    }  # fmt: skip
    response = api(officer).post("/households", json=payload)
    assert response.status_code == 201, response.json
    head = response.json["head"]
    assert head["phone"].endswith("551234567") and head["birth_date"] == "1985-03-02"


@pytest.mark.parametrize(
    ("name", "mode"),
    [("national_id", "numeric"), ("phone", "numeric"), ("applicant_phone", "numeric"), ("monthly_income", "decimal"),
     ("requested_amount", "decimal"), ("first_name", None)],
)  # fmt: skip
def test_digit_fields_open_the_numeric_keypad(app, name, mode):
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "_forms.html" import input %}{{ input(name, "x") }}', name=name
        )
    assert (f'inputmode="{mode}"' in html) if mode else ("inputmode" not in html)
