"""A Makkah applicant applies on core's portal: the plugin's request fields (rows included),
Arabic-Indic digits, the documents still missing, one error per missing item, and the
staff "register a request" form taking the same data."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import BytesIO

import pytest

from core.testing import to_hijri
from core.toolkit import AidRequest, CatalogItem, Document, db, tenant_context
from core.toolkit import today as tenant_today

from .helpers import PNG, catalog_id, national_id

NS = "extra.makkah_aid."
AR = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def arabic(text: str) -> str:
    return text.translate(AR)


def hijri(day: date) -> str:
    year, month, day_ = to_hijri(day)
    return f"{year:04d}-{month:02d}-{day_:02d}"


@pytest.fixture
def applicant(client, makkah):
    page = client.post(
        "/t/first/portal/register",
        data={
            "name": "نورة السبيعي",
            "email": "noura@example.org",
            "password": "long-enough-pass-1",
            "password2": "long-enough-pass-1",
        },
    )
    assert page.status_code == 302
    # Registering does not log in (a taken e-mail answers the same way): log in.
    logged_in = client.post("/login", data={"email": "noura@example.org", "password": "long-enough-pass-1"})
    assert logged_in.status_code == 302
    return client


def form(item_id: int, **overrides) -> dict:
    """A complete portal application, every number and date in Arabic-Indic digits."""
    data = {
        "applicant_name": "نورة محمد عبدالله السبيعي",
        "applicant_phone": "٠٥٥١٢٣٤٥٦٧",
        "catalog_item_id": arabic(str(item_id)),
        "requested_amount": "٢٬٥٠٠",
        "declaration": "on",
        NS + "nationality": "سعودية",
        NS + "id_number": arabic(national_id(4343)),
        NS + "id_expiry": arabic(hijri(tenant_today() + timedelta(days=200))),
        NS + "current_job": "لا تعمل",
        NS + "monthly_income": "١٬٥٠٠٫٥٠",
        NS + "dependents_count": "٢",
        NS + "dependents.0.name": "سارة",
        NS + "dependents.0.relationship": "daughter",
        NS + "dependents.0.job": "طالبة",
        NS + "dependents.0.monthly_income": "٠",
        NS + "dependents.0.resides_permanently": "on",
        # row 1 left empty: rows are kept by their content, not their position
        NS + "dependents.2.name": "خالد",
        NS + "dependents.2.relationship": "son",
        NS + "dependents.2.monthly_income": "٣٠٠",
        NS + "housing": "rented",
        NS + "annual_rent": "١٨٠٠٠",
        NS + "received_aid_before": "on",
        NS + "previous_aid.0.aid_type": "سلة رمضان",
        NS + "previous_aid.0.amount": "٥٠٠",
        NS + "previous_aid.0.received_on": "٢٠٢٤-٠٣-١٥",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def requests_count(tenant) -> int:
    with tenant_context(tenant):
        return db.session.scalar(db.select(db.func.count()).select_from(AidRequest))


def the_item(makkah) -> int:
    with tenant_context(makkah):
        return catalog_id()


def errors_of(response) -> list[str]:
    """The ``data-field`` of every error listed above the form."""
    return re.findall(r'<li data-field="([^"]+)"', response.get_data(as_text=True))


def test_portal_shows_the_plugin_fields_with_rows(applicant):
    page = applicant.get("/t/first/portal/apply").get_data(as_text=True)
    assert 'data-extra="makkah_aid"' in page
    for name in ("nationality", "id_number", "id_expiry", "current_job", "monthly_income", "housing"):
        assert f'name="{NS}{name}"' in page
    # no empty row shown (nothing pre-ticked): a row to copy in a <template> and an "add a row"
    # button for each group (issue 12: rows are added one at a time)
    assert f'name="{NS}dependents.0.name"' not in page and f'name="{NS}previous_aid.0.amount"' not in page
    assert f'name="{NS}dependents.__row__.relationship"' in page
    assert f'name="{NS}previous_aid.__row__.received_on"' in page
    assert page.count('name="add_row"') == 2
    assert 'name="catalog_item_id"' in page
    # one more row, without JavaScript: the form comes back filled in, nothing is written
    more = applicant.post(
        "/t/first/portal/apply",
        data={"applicant_name": "نورة", NS + "dependents.0.name": "سارة", "add_row": NS + "dependents"},
    )
    text = more.get_data(as_text=True)
    assert more.status_code == 200 and f'name="{NS}dependents.1.name"' in text and "سارة" in text
    assert f'name="{NS}dependents.2.name"' not in text


def test_portal_application_end_to_end(applicant, makkah):
    applied = applicant.post("/t/first/portal/apply", data=form(the_item(makkah)))
    # The data is complete; only the documents are missing: kept as a draft, documents listed.
    assert applied.status_code == 302, applied.get_data(as_text=True)[:4000]
    with tenant_context(makkah):
        item = db.session.scalars(db.select(AidRequest)).one()
        assert item.state == "draft" and item.number is None and item.channel == "portal"
        data = item.extra["makkah_aid"]
        assert data["id_number"] == national_id(4343)
        assert data["id_expiry"] == (tenant_today() + timedelta(days=200)).isoformat()
        assert data["monthly_income_halalas"] == 150_050
        assert data["annual_rent_halalas"] == 1_800_000
        assert data["dependents_count"] == 2
        assert [(d["name"], d["relationship"], d["monthly_income_halalas"]) for d in data["dependents"]] == [
            ("سارة", "daughter", 0),
            ("خالد", "son", 30_000),
        ]
        assert [d["resides_permanently"] for d in data["dependents"]] == [True, False]
        assert data["previous_aid"] == [
            {"aid_type": "سلة رمضان", "amount_halalas": 50_000, "received_on": "2024-03-15"}
        ]
        assert item.requested_halalas == 250_000 and item.applicant_phone == "+966551234567"
        rid = item.id
    page = applicant.get(f"/t/first/portal/requests/{rid}").get_data(as_text=True)
    assert 'data-missing="documents.id_copy"' in page and 'data-missing="documents.lease"' in page

    # Submitting now: one translated error per missing document, nothing written.
    refused = applicant.post(f"/t/first/portal/requests/{rid}/submit", data={"declaration": "on"})
    assert refused.status_code == 422
    assert sorted(errors_of(refused)) == ["documents.id_copy", "documents.lease"]
    assert "أرفق" in refused.get_data(as_text=True)
    with tenant_context(makkah):
        assert db.session.get(AidRequest, rid).state == "draft"

    for doc_type in ("id_copy", "lease"):
        uploaded = applicant.post(
            f"/t/first/portal/requests/{rid}/documents",
            data={"doc_type": doc_type, "file": (BytesIO(PNG), f"{doc_type}.png")},
            content_type="multipart/form-data",
        )
        assert uploaded.status_code == 302
    page = applicant.get(f"/t/first/portal/requests/{rid}").get_data(as_text=True)
    assert 'id="still-missing"' not in page

    assert applicant.post(f"/t/first/portal/requests/{rid}/submit", data={}).status_code == 422
    done = applicant.post(f"/t/first/portal/requests/{rid}/submit", data={"declaration": "on"})
    assert done.status_code == 302
    with tenant_context(makkah):
        item = db.session.get(AidRequest, rid)
        assert item.state == "submitted" and item.number and item.declaration_signed_at
        number = item.number
        assert {d.doc_type for d in db.session.scalars(db.select(Document))} == {"id_copy", "lease"}
    shown = applicant.get(f"/t/first/portal/requests/{rid}").get_data(as_text=True)
    assert number in shown


MANDATORY = {
    "applicant_name": ("applicant_name", "نورة محمد"),
    "nationality": (NS + "nationality", ""),
    "id_number": (NS + "id_number", ""),
    "id_expiry": (NS + "id_expiry", ""),
    "current_job": (NS + "current_job", ""),
    "monthly_income": (NS + "monthly_income", ""),
    "catalog_item_id": ("catalog_item_id", ""),
    "dependents_count": (NS + "dependents_count", ""),
    "housing": (NS + "housing", ""),
    "annual_rent": (NS + "annual_rent", ""),
}


@pytest.mark.parametrize("missing", sorted(MANDATORY))
def test_each_missing_mandatory_item_is_one_error_and_nothing_written(applicant, makkah, missing):
    key, value = MANDATORY[missing]
    refused = applicant.post("/t/first/portal/apply", data=form(the_item(makkah), **{key: value}))
    assert refused.status_code == 422
    expected = key if missing in ("applicant_name", "catalog_item_id") else NS + missing
    fields = errors_of(refused)
    # the item itself, once (its documents may be listed too when they depend on it)
    assert fields.count(expected) == 1
    assert [f for f in fields if not f.startswith("documents.")] == [expected]
    assert "is-invalid" in refused.get_data(as_text=True)
    assert requests_count(makkah) == 0


def test_everything_missing_one_error_each(applicant, makkah):
    refused = applicant.post(
        "/t/first/portal/apply", data={"applicant_name": "نورة محمد عبدالله السبيعي", "declaration": "on"}
    )
    assert refused.status_code == 422
    fields = errors_of(refused)
    assert len(fields) == len(set(fields))
    assert set(fields) == {
        NS + "nationality",
        NS + "id_number",
        NS + "id_expiry",
        NS + "current_job",
        NS + "monthly_income",
        NS + "dependents_count",
        NS + "housing",
        "catalog_item_id",
        "documents.id_copy",
    }
    assert "مطلوب" in refused.get_data(as_text=True)
    assert requests_count(makkah) == 0


def test_expired_id_is_refused(applicant, makkah):
    yesterday = (tenant_today() - timedelta(days=1)).isoformat()
    refused = applicant.post(
        "/t/first/portal/apply", data=form(the_item(makkah), **{NS + "id_expiry": arabic(yesterday)})
    )
    assert refused.status_code == 422
    assert [f for f in errors_of(refused) if not f.startswith("documents.")] == [NS + "id_expiry"]
    assert "انتهت" in refused.get_data(as_text=True)
    assert requests_count(makkah) == 0


@pytest.mark.parametrize(
    "key,value",
    [
        (NS + "id_number", "123"),
        (NS + "monthly_income", "كثير"),
        (NS + "id_expiry", "أمس"),
        (NS + "housing", "tent"),
        (NS + "dependents.0.monthly_income", "-5"),
        (NS + "previous_aid.0.received_on", "٢٠٢٤-١٣-٤٠"),
        ("catalog_item_id", "999999"),
    ],
)
def test_bad_input_is_refused_on_its_field(applicant, makkah, key, value):
    refused = applicant.post("/t/first/portal/apply", data=form(the_item(makkah), **{key: value}))
    assert refused.status_code == 422
    assert errors_of(refused) == [key]
    assert requests_count(makkah) == 0


def test_other_tenant_portal_unaffected(client, tenant, other_tenant, enable_plugin):
    enable_plugin(tenant, "makkah_aid")
    client.post(
        "/t/second/portal/register",
        data={
            "name": "فهد",
            "email": "fahad@example.org",
            "password": "long-enough-pass-1",
            "password2": "long-enough-pass-1",
        },
    )
    client.post("/login", data={"email": "fahad@example.org", "password": "long-enough-pass-1"})
    page = client.get("/t/second/portal/apply").get_data(as_text=True)
    assert "makkah_aid" not in page and 'name="add_row"' not in page
    applied = client.post(
        "/t/second/portal/apply",
        data={"applicant_name": "فهد سالم علي القحطاني", "summary": "إيجار", "declaration": "on"},
    )
    assert applied.status_code == 302
    with tenant_context(other_tenant):
        item = db.session.scalars(db.select(AidRequest)).one()
        assert item.state == "submitted" and item.number and item.extra == {}


def test_staff_register_form_takes_the_same_data(makkah, staff, client, login):
    login(staff["relations_officer"])
    page = client.get("/t/first/requests/new").get_data(as_text=True)
    assert f'name="{NS}dependents.__row__.relationship"' in page
    assert f'name="{NS}previous_aid.__row__.amount"' in page
    data = form(the_item(makkah), channel="phone")
    data.pop("declaration")
    bad = client.post("/t/first/requests/new", data={**data, NS + "dependents.2.monthly_income": "x"})
    assert bad.status_code == 422
    assert 'id="extra-makkah_aid-dependents-2-monthly_income-error"' in bad.get_data(as_text=True)
    assert requests_count(makkah) == 0
    saved = client.post("/t/first/requests/new", data=data)
    assert saved.status_code == 302
    with tenant_context(makkah):
        item = db.session.scalars(db.select(AidRequest)).one()
        assert item.channel == "phone" and len(item.extra["makkah_aid"]["dependents"]) == 2
        assert db.session.get(CatalogItem, item.catalog_item_id) is not None
        rid = item.id
    view = client.get(f"/t/first/requests/{rid}").get_data(as_text=True)
    assert "خالد" in view and "1,500.50" in view
