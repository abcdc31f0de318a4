"""Persons through the API: validation, encryption at rest, search, duplicate signal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from core.extensions import db
from tests.registry.factories import person_payload, valid_id


def test_register_a_person_with_arabic_digits_and_read_it_back(api, officer):
    number = valid_id("2")
    payload = person_payload(
        national_id=number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        phone="٠٥٥ ١٢٣ ٤٥٦٧",
        monthly_income="٣٬٥٠٠٫٥٠",
        national_address="rrrd ۲۹۲۹",
    )
    response = api(officer).post("/persons", json=payload)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["national_id"] == number
    assert body["id_type"] == "resident"
    assert body["phone"] == "+966551234567"
    assert body["monthly_income"] == 3500.5
    assert body["monthly_income_halalas"] == 350050
    assert body["national_address"] == "RRRD2929"
    assert set(person_payload()) <= set(body)
    again = api(officer).get(f"/persons/{body['id']}")
    assert again.status_code == 200 and again.json["full_name"] == "أحمد محمد علي الغامدي"


def test_bad_input_answers_422_with_arabic_field_messages_and_writes_nothing(api, officer, app_ctx, tenant):
    payload = person_payload(
        national_id="1234567890",
        phone="0712345678",
        national_address="RRR29",
        monthly_income="abc",
        father_name="",
    )
    response = api(officer).post("/persons", json=payload, headers={"Accept-Language": "ar"})
    assert response.status_code == 422
    errors = response.json["errors"]
    assert {"national_id", "phone", "national_address", "monthly_income", "father_name"} <= set(errors)
    assert all(isinstance(m, list) and m for m in errors.values())
    assert "هوية" in errors["national_id"][0]
    count = db.session.execute(text("SELECT count(*) FROM registry_persons")).scalar_one()
    assert count == 0


def test_the_same_id_twice_in_one_association_is_refused(api, officer):
    payload = person_payload()
    assert api(officer).post("/persons", json=payload).status_code == 201
    response = api(officer).post("/persons", json=payload)
    assert response.status_code == 422
    assert "national_id" in response.json["errors"]


def test_a_database_dump_does_not_reveal_id_numbers(app, api, officer):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        pytest.skip("greps the SQLite file")
    number = valid_id("1")
    assert api(officer).post("/persons", json=person_payload(national_id=number)).status_code == 201
    with app.app_context():
        db.session.execute(text("PRAGMA wal_checkpoint(FULL)"))
        db.session.commit()
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    files = [path, *path.parent.glob(path.name + "-*")]
    assert _files_holding([number.encode(), number.encode("utf-16-le")], files) == []


# Read in another process: closing a file descriptor of the database in this one would drop every
# POSIX lock this process holds on it (SQLite's included), and another process closing its last
# connection would then delete the write-ahead log under this one's open connections.
_FIND = """
import sys
needles = [bytes.fromhex(n) for n in sys.argv[1].split(",")]
for name in sys.argv[2:]:
    with open(name, "rb") as file:
        blob = file.read()
    if any(n in blob for n in needles):
        print(name)
"""


def _files_holding(needles: list[bytes], files: list[Path]) -> list[str]:
    found = subprocess.run(
        [sys.executable, "-c", _FIND, ",".join(n.hex() for n in needles), *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
    )
    return found.stdout.split()


def test_ids_decrypt_with_an_older_key_after_rotation(app_ctx, app, create_person, tenant, in_tenant):
    from cryptography.fernet import Fernet

    from core.registry import Person, ids

    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    configured = app.config["ID_ENCRYPTION_KEYS"]
    app.config["ID_ENCRYPTION_KEYS"] = [old_key]
    try:
        person = create_person(tenant, national_id=valid_id())
        number = person.national_id
        app.config["ID_ENCRYPTION_KEYS"] = [new_key, old_key]
        with in_tenant(tenant):
            stored = db.session.get(Person, person.id)
            assert stored.national_id == number
            stored.national_id_encrypted = ids.rotate(stored.national_id_encrypted)
            db.session.commit()
        app.config["ID_ENCRYPTION_KEYS"] = [new_key]
        with in_tenant(tenant):
            assert db.session.get(Person, person.id).national_id == number
    finally:
        app.config["ID_ENCRYPTION_KEYS"] = configured


def test_search_by_id_is_exact_and_accepts_arabic_digits(api, officer, create_person, tenant):
    number = valid_id()
    create_person(tenant, national_id=number)
    create_person(tenant, national_id=valid_id())
    arabic = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = api(officer).get("/persons", query_string={"q": arabic})
    assert response.status_code == 200
    assert [p["national_id"] for p in response.json] == [number]


@pytest.mark.parametrize("typed", ["احمد", "أحمد محمد", "الغامدى", "إحمد", "أحْمَد مُحَمَّد عَلِي الغَامِدِي"])
def test_search_by_name_finds_any_spelling_variant(api, officer, create_person, tenant, typed):
    create_person(
        tenant, first_name="أحمد", father_name="محمد", grandfather_name="علي", family_name="الغامدي"
    )
    create_person(
        tenant, first_name="سارة", father_name="خالد", grandfather_name="سعد", family_name="العتيبي"
    )
    response = api(officer).get("/persons", query_string={"q": typed})
    assert response.status_code == 200
    assert [p["first_name"] for p in response.json] == ["أحمد"]


def test_search_is_paginated(api, officer, create_person, tenant):
    for _ in range(5):
        create_person(tenant, family_name="الزهراني", national_id=valid_id())
    response = api(officer).get("/persons", query_string={"q": "الزهراني", "page": 2, "page_size": 2})
    assert response.status_code == 200 and len(response.json) == 2
    assert '"total": 5' in response.headers["X-Pagination"]


@pytest.mark.parametrize(
    ("typed", "table", "indexes"),
    [
        # One word: the start of the first (so the full) name or of the family name.
        (
            "احمد",
            "registry_persons",
            ("ix_registry_persons_tenant_name", "ix_registry_persons_tenant_family"),
        ),
        # Several: the name parts' keys (any ordered subset of the four parts), one covering range.
        ("احمد الغامدي", "registry_person_name_keys", ("ix_registry_person_name_keys_tenant_key",)),
    ],
)
def test_search_uses_the_tenant_name_index(app_ctx, tenant, in_tenant, typed, table, indexes):
    from core.registry.services import search_persons

    statements = []
    from sqlalchemy import event

    def capture(conn, cursor, statement, params, context, executemany):
        statements.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        with in_tenant(tenant):
            search_persons(typed)
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    select, params = next((s, p) for s, p in statements if table in s and "LIMIT" in s.upper())
    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL plans tiny tables with a sequential scan; the index exists (migration)
    plan = " ".join(
        str(r) for r in db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + select, params)
    )
    assert all(index in plan for index in indexes) and "SCAN registry_person" not in plan


def test_duplicate_signal_counts_other_associations_and_reveals_nothing_else(
    api, create_user_, create_person, tenant, other_tenant, create_tenant
):
    third = create_tenant("third")
    number = valid_id()
    mine = create_person(tenant, national_id=number)
    create_person(
        other_tenant, national_id=number, first_name="سرّي", job="معلومة خاصة", monthly_income="9999"
    )
    create_person(third, national_id=number)
    create_person(other_tenant, national_id=valid_id())
    user = create_user_(roles={tenant: ["relations_officer"]})
    response = api(user).get(f"/persons/{mine.id}/duplicates")
    assert response.status_code == 200
    assert response.json == {"other_associations": 2, "shared": []}
    raw = response.get_data(as_text=True)
    assert "سرّي" not in raw and "second" not in raw and "9999" not in raw


def test_sharing_agreement_in_force_shows_partner_aid_totals(
    api, create_user_, create_person, tenant, other_tenant
):
    number = valid_id()
    mine = create_person(tenant, national_id=number)
    create_person(other_tenant, national_id=number)
    admin = create_user_(roles={tenant: ["tenant_admin"]})
    partner_admin = create_user_(roles={other_tenant: ["tenant_admin"]})
    response = api(admin).post("/sharing-agreements", json={"partner": "second"})
    assert response.status_code == 201 and response.json["in_force"] is False
    assert api(admin).get(f"/persons/{mine.id}/duplicates").json["shared"] == []
    accepted = api(partner_admin, "second").post("/sharing-agreements", json={"partner": "first"})
    assert accepted.json["in_force"] is True
    shared = api(admin).get(f"/persons/{mine.id}/duplicates").json["shared"]
    assert shared == [
        {"association": "second", "name_ar": "جمعية second", "name_en": "Association second", "aid_total": 0}
    ]
    assert api(admin).post("/sharing-agreements", json={"partner": "nope"}).status_code == 422


def test_roles_that_do_not_serve_the_case_cannot_read_files(api, create_user_, create_person, tenant):
    person = create_person(tenant)
    auditor = create_user_(roles={tenant: ["auditor"]})
    applicant = create_user_(roles={tenant: ["applicant"]})
    assert api(auditor).get(f"/persons/{person.id}").status_code == 403
    assert api(applicant).get("/persons").status_code == 403
    assert api(auditor).post("/persons", json=person_payload()).status_code == 403


def test_each_encryption_of_one_number_draws_its_own_iv(app_ctx):
    from core.registry import ids

    number = valid_id()
    first, second = ids.encrypt(number), ids.encrypt(number)
    assert first != second
    assert ids.decrypt(first) == ids.decrypt(second) == number
