"""Import: the whole file validated first, line-numbered errors, all or nothing; export to XLSX."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from core import jobs
from core.extensions import db
from core.registry import Household, ImportJob
from core.registry.importer import COLUMNS, export_xlsx, start_import
from tests.registry.factories import valid_id

HEADER = ",".join(COLUMNS)


def row(household, relationship, first, national_id="", **extra):
    values = {
        "household": household, "relationship": relationship, "first_name": first, "father_name": "محمد",
        "grandfather_name": "علي", "family_name": "الحربي", "national_id": national_id, "id_expiry": "١٤٥٠-٠١-٠١",
        "nationality": "SA", "job": "عامل", "monthly_income": "٢٥٠٠", "housing_tenure": "rented",
        "annual_rent": "12000", "category": "family", **extra,
    }  # fmt: skip
    if relationship != "head":
        values.update(housing_tenure="", annual_rent="", category="", id_expiry="", nationality="")
    return ",".join(str(values.get(c, "")) for c in COLUMNS)


def csv_bytes(*rows) -> bytes:
    return ("\ufeff" + "\n".join([HEADER, *rows]) + "\n").encode()


def good_file() -> bytes:
    return csv_bytes(
        row("A", "head", "سعد", valid_id()),
        row("A", "spouse", "منى", studying="no"),
        row("A", "son", "علي", studying="yes"),
        row("B", "head", "هند", valid_id("2")),
    )


def _count(model):
    return db.session.execute(db.select(db.func.count(model.id))).scalar_one()


def test_a_good_file_imports_every_household_with_members(app_ctx, tenant, in_tenant):
    with in_tenant(tenant):
        job = start_import("families.csv", good_file(), only_good_rows=False)
        db.session.commit()
        assert (job.status, job.households_created, job.total_rows) == ("done", 2, 4)
        households = db.session.execute(db.select(Household).order_by(Household.id)).unique().scalars().all()
        assert [len(h.members) for h in households] == [2, 0]
        assert households[0].members[1].studying is True


def test_a_bad_row_means_nothing_is_written_and_every_error_has_its_line(app_ctx, tenant, in_tenant):
    duplicate = valid_id()
    data = csv_bytes(
        row("A", "head", "سعد", duplicate),
        row("A", "cousin", "منى"),  # line 3: unknown relationship
        row("B", "head", "هند", "1234567890"),  # line 4: bad check digit
        row("C", "head", "فهد", duplicate, phone="123"),  # line 5: duplicate id + bad phone
        row("D", "son", "ريم"),  # line 6: household without head
        row("E", "head", "", valid_id(), annual_rent=""),  # line 7: no first name, no rent
    )
    with in_tenant(tenant):
        job = start_import("bad.csv", data, only_good_rows=False)
        db.session.commit()
        assert job.status == "failed"
        found = {(e["line"], e["field"]) for e in job.errors}
        assert {(3, "relationship"), (4, "national_id"), (5, "national_id"), (5, "phone"), (6, "relationship"),
                (7, "first_name"), (7, "annual_rent")} <= found  # fmt: skip
        assert _count(Household) == 0


def test_only_good_rows_imports_the_good_households_and_reports_the_rest(app_ctx, tenant, in_tenant):
    data = csv_bytes(
        row("A", "head", "سعد", valid_id()), row("B", "head", "هند", "1234567890"), row("B", "son", "x")
    )
    with in_tenant(tenant):
        job = start_import("mixed.csv", data, only_good_rows=True)
        db.session.commit()
        assert (job.status, job.households_created) == ("done", 1)
        assert [e["line"] for e in job.errors] == [3]


def test_errors_are_reported_in_the_users_language(app, api, create_user_, tenant):
    user = create_user_(roles={tenant: ["relations_officer"]})
    client = api(user)
    data = csv_bytes(row("A", "head", "سعد", "1234567890"))
    response = client.post(
        "/imports", data={"file": (io.BytesIO(data), "x.csv")}, content_type="multipart/form-data",
        headers={"Accept-Language": "ar"},
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json["status"] == "failed"
    message = response.json["errors"][0]["message"]
    assert "هوية" in message


def test_an_xlsx_file_imports_like_csv(app_ctx, tenant, in_tenant):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["رقم الأسرة", "صلة القرابة", "الاسم الأول", "اسم الأب", "اسم الجد", "اسم العائلة", "رقم الهوية",
                  "تاريخ انتهاء الهوية", "الجنسية", "العمل", "الدخل الشهري", "السكن", "الإيجار السنوي"])  # fmt: skip
    sheet.append(["1", "رب الأسرة", "سعد", "محمد", "علي", "الحربي", int(valid_id()), "2031-01-01", "SA", "عامل",
                  2500, "owned", 0])  # fmt: skip
    sheet.append(["1", "ابن", "علي", "سعد", "", "الحربي", None, None, None, None, None, None, None])
    out = io.BytesIO()
    workbook.save(out)
    with in_tenant(tenant):
        job = start_import("families.xlsx", out.getvalue(), only_good_rows=False)
        db.session.commit()
        assert job.status == "done", job.errors
        assert job.households_created == 1


def test_big_files_run_in_the_background_with_progress(app, app_ctx, tenant, in_tenant):
    with in_tenant(tenant):
        job = start_import("families.csv", good_file(), only_good_rows=False, background=True)
        job_id = job.id
        assert job.job.runner == "inprocess"  # no REDIS_URL: a thread of this process
        jobs.wait(job.job_id, timeout=30)
        db.session.expire_all()
        done = db.session.get(ImportJob, job_id)
        assert (done.status, done.progress, done.households_created) == ("done", 100, 2)


def test_cli_import_and_export(runner, app_ctx, tenant, tmp_path, in_tenant):
    path = tmp_path / "families.csv"
    path.write_bytes(good_file())
    result = runner.invoke(args=["registry", "import", str(path), "--tenant", tenant.slug])
    assert result.exit_code == 0, result.output
    assert "2 household" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(row("A", "head", "سعد", "1234567890")))
    result = runner.invoke(args=["registry", "import", str(bad), "--tenant", tenant.slug])
    assert result.exit_code == 1 and "line 2: national_id" in result.output
    out = tmp_path / "registry.xlsx"
    assert runner.invoke(args=["registry", "export", str(out), "--tenant", tenant.slug]).exit_code == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("household", "relationship", "first_name") and len(rows) == 5


def test_export_round_trips_through_import(app_ctx, tenant, other_tenant, in_tenant):
    with in_tenant(tenant):
        start_import("families.csv", good_file(), only_good_rows=False)
        db.session.commit()
        data = export_xlsx()
    with in_tenant(other_tenant):
        job = start_import("export.xlsx", data, only_good_rows=False)
        db.session.commit()
        assert job.status == "done", job.errors
        assert _count(Household) == 2
