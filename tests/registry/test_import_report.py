"""The import as people fill it in: Arabic or English values for the columns with a list of values
(ذكر، متزوج، إيجار), errors that list the values allowed in the user's language, columns named in
that language in the report and the template, and a failed check shown as stopped, not at 50 %."""

from __future__ import annotations

import csv
import io

from flask_babel import force_locale

from core.extensions import db
from core.registry import Household, Person
from core.registry.importer import COLUMNS, start_import, template_csv
from tests.registry.factories import valid_id
from tests.registry.test_import import csv_bytes, row


def head_row(relationship: str, *args, **extra) -> str:
    """A head's row (housing fields filled) whose relationship cell holds ``relationship``."""
    cells = next(csv.reader([row(*args, **extra)]))
    cells[COLUMNS.index("relationship")] = relationship
    return ",".join(cells)


def test_arabic_and_english_labels_are_read_as_codes(app_ctx, tenant, in_tenant):
    data = csv_bytes(
        head_row("رب الأسرة", "A", "head", "سعد", valid_id(), gender="ذكر", marital_status="متزوج",
                 housing_tenure="إيجار", category="أسرة"),
        row("A", "زوجة", "منى", gender="أنثى", marital_status="متزوجة"),
        head_row("Head of household", "B", "head", "هند", valid_id("2"), gender="Female",
                 marital_status="Widowed", housing_tenure="Owned", category="Family"),
    )  # fmt: skip
    with in_tenant(tenant):
        job = start_import("families.csv", data, only_good_rows=False)
        db.session.commit()
        assert job.status == "done", job.errors
        people = {p.first_name: p for p in db.session.scalars(db.select(Person))}
        assert (people["سعد"].gender, people["سعد"].marital_status) == ("male", "married")
        assert (people["منى"].gender, people["منى"].marital_status) == ("female", "married")
        assert (people["هند"].gender, people["هند"].marital_status) == ("female", "widowed")
        tenures = sorted(
            h.housing_tenure for h in db.session.execute(db.select(Household)).unique().scalars()
        )
        assert tenures == ["owned", "rented"]


def test_a_value_not_in_the_list_is_reported_once_with_the_allowed_values(app_ctx, tenant, in_tenant):
    data = csv_bytes(row("A", "head", "سعد", valid_id(), gender="رجل", housing_tenure="خيمة"))
    with in_tenant(tenant), force_locale("ar"):
        job = start_import("families.csv", data, only_good_rows=False)
        db.session.commit()
        errors = {e["field"]: e["message"] for e in job.errors}
        assert [e["field"] for e in job.errors].count("gender") == 1
        assert "«رجل»" in errors["gender"] or "رجل" in errors["gender"]
        assert "ذكر" in errors["gender"] and "أنثى" in errors["gender"]
        assert "ملك" in errors["housing_tenure"] and "إيجار" in errors["housing_tenure"]
    with in_tenant(tenant), force_locale("en"):
        job = start_import("families.csv", data, only_good_rows=False)
        db.session.commit()
        errors = {e["field"]: e["message"] for e in job.errors}
        assert "Male, Female" in errors["gender"]


def test_the_report_names_columns_in_words_and_shows_a_failed_check_as_stopped(
    client, tenant, staff, login, in_tenant
):
    data = csv_bytes(row("A", "head", "سعد", valid_id(), gender="رجل"))
    with in_tenant(tenant):
        job = start_import("families.csv", data, only_good_rows=False)
        db.session.commit()
        job_id = job.id
        assert job.status == "failed"
    login(staff["relations_officer"])
    page = client.get(f"/t/first/registry/import/{job_id}").get_data(as_text=True)
    assert 'data-state="failed"' in page and 'data-progress="100"' in page and "50%" not in page
    table = page[page.index('id="import-errors"') :]
    assert "<td>الجنس</td>" in table and "gender" not in table.split("</table>")[0]
    english = client.get(f"/t/first/registry/import/{job_id}?lang=en").get_data(as_text=True)
    assert "<td>Gender</td>" in english


def test_the_template_names_its_columns_in_the_users_language_and_reads_back(app_ctx, tenant, in_tenant):
    with force_locale("ar"):
        arabic = next(csv.reader(io.StringIO(template_csv().lstrip("\ufeff"))))
    with force_locale("en"):
        english = next(csv.reader(io.StringIO(template_csv().lstrip("\ufeff"))))
    assert arabic[:3] == ["رقم الأسرة", "صلة القرابة", "الاسم الأول"] and len(arabic) == len(COLUMNS)
    assert english[:3] == ["Household reference", "Relationship", "First name"]
    for header in (arabic, english):
        body = row("A", "head", "سعد", valid_id(), gender="ذكر")
        data = ("\ufeff" + ",".join(header) + "\n" + body + "\n").encode()
        with in_tenant(tenant):
            job = start_import("template.csv", data, only_good_rows=False)
            db.session.commit()
            assert job.status == "done", job.errors
