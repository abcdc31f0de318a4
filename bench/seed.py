"""Fill a fresh database with N households for one tenant (plus a second, smaller tenant), fast.

A small sample goes through the registry's real services (``create_household``); the rest is
bulk-inserted with SQLAlchemy Core, its derived columns (normalised names, ID ciphertext, keyed
hash, ID type) computed by the registry's own functions — so search behaves exactly as in
production. The sample is then used to check that both paths store the same derived values.

    .venv/bin/python bench/seed.py --households 50000            # SQLite file under /tmp
    DATABASE_URL=postgresql://… DATABASE_OWNER_URL=… .venv/bin/python bench/seed.py

Bulk rows get no audit entries (the hash chain is the audit's business, not search's).
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, make_url, text  # noqa: E402

from core import create_app  # noqa: E402
from core.extensions import db  # noqa: E402
from core.registry import ids  # noqa: E402
from core.registry.models import BeneficiaryFile, FileEvent, Household, Member, Person, PersonNameKey  # noqa: E402
from core.registry.normalize import name_keys, normalize_name, normalized_full_name  # noqa: E402
from core.registry.schemas import HouseholdSchema  # noqa: E402
from core.registry.services import create_household  # noqa: E402
from core.tenancy import Tenant, tenant_context  # noqa: E402
from core.tenancy.services import create_tenant  # noqa: E402


def _words(text: str) -> list[str]:
    return text.split()


# Written as people type them: hamza forms, taa marbuta, alef maqsura, "عبد الله" in two words.
MALE = _words(
    "أحمد محمد إبراهيم عبد الله عبد الرحمن خالد سعد فهد يوسف مصطفى علي عمر سلطان ناصر فيصل تركي "
    "بندر مشعل إسماعيل حمزة أسامة طلال ماجد عيسى موسى يحيى سامي هاني وليد زكريا مرتضى عبد العزيز "
    "صالح سليمان عادل مازن رائد أنس إياد ضياء"
)
FEMALE = _words(
    "فاطمة عائشة مريم نورة هند سارة أسماء خديجة رقية منى ريم لمى هيفاء سلمى ليلى أمل جميلة حصة "
    "لطيفة مها هدى سلوى رنا أروى إيمان آمنة"
)
FAMILIES = _words(
    "الغامدي الزهراني القحطاني العتيبي الحربي الشهري المطيري الدوسري السبيعي العنزي الشمري البقمي "
    "الأحمدي الجهني المالكي العمري الشهراني اليامي الأنصاري الرشيدي الخالدي السلمي الثقفي الهذلي "
    "الحارثي الشريف الفيفي العسيري البلوي الزهراني القرشي الكعبي المحمادي الصاعدي اللهيبي الأسمري "
    "العصيمي الرويلي التميمي الدخيل آل الشيخ آل مرعي آل عمر آل سالم بن لادن باعشن بامحرز"
)
CITIES = ("مكة المكرمة", "جدة", "الطائف", "الرياض", "المدينة المنورة", "أبها")


def _fix_compound(names: list[str]) -> list[str]:
    """The word lists above split "عبد الله" and "آل الشيخ"; join them back."""
    out: list[str] = []
    for word in names:
        if out and out[-1] in ("عبد", "آل", "بن"):
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out


MALE, FEMALE, FAMILIES = _fix_compound(MALE), _fix_compound(FEMALE), sorted(set(_fix_compound(FAMILIES)))


def valid_id(serial: int, prefix: str = "1") -> str:
    body = f"{prefix}{serial % 10**8:08d}"
    return body + ids.check_digit_for(body)


# --------------------------------------------------------------------------- app & database


def sqlite_url(name: str) -> str:
    return f"sqlite:///{Path(tempfile.gettempdir()) / f'charity-bench-{name}.sqlite3'}"


def default_url(name: str) -> str:
    return os.environ.get("DATABASE_URL") or sqlite_url(name)


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres", "postgresql"))


def _storage_dir() -> str:
    """A stored-files folder for one bench app, removed when the bench process ends (and by
    gunicorn's workers' parent: only the process that made it removes it)."""
    folder = tempfile.mkdtemp(prefix="charity-bench-storage-")
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return folder


def make_bench_app(url: str, **overrides):
    from core.config import normalise_database_url

    url = normalise_database_url(url)
    owner = os.environ.get("DATABASE_OWNER_URL")
    config = {
        "SQLALCHEMY_DATABASE_URI": url,
        "DATABASE_OWNER_URL": normalise_database_url(owner) if owner and is_postgres(url) else None,
        "SECRET_KEY": "bench-secret",
        "RATELIMIT_ENABLED": False,
        "STORAGE_DIR": _storage_dir(),
    }
    config.update(overrides)
    return create_app(config)


def fresh_database(app) -> None:
    """Drop everything and run the real migrations (all branches)."""
    from flask_migrate import upgrade

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        path = make_url(url).database
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
    else:
        owner = app.config.get("DATABASE_OWNER_URL") or url
        engine = create_engine(owner)
        app_role = make_url(url).username
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
            if app_role and app_role != make_url(owner).username:
                conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{app_role}"'))
        engine.dispose()
    with app.app_context():
        upgrade(revision="heads")


def analyze(app) -> None:
    """PostgreSQL: ANALYZE as the owner (autovacuum would in production); SQLite: ANALYZE."""
    url = app.config.get("DATABASE_OWNER_URL") or app.config["SQLALCHEMY_DATABASE_URI"]
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()


# --------------------------------------------------------------------------- data


@dataclass
class Seeded:
    tenant_id: int
    other_tenant_id: int
    households: int
    persons: int
    head_ids: list[str]  # national ID numbers of some heads (for exact-ID queries)
    seconds: float


def household_people(rng: random.Random, serial: int) -> list[dict]:
    """Head, spouse and 0-3 children (mean ≈ 3 persons), as plain field dicts."""
    family = rng.choice(FAMILIES)
    head_male = rng.random() < 0.8
    head = {
        "first_name": rng.choice(MALE if head_male else FEMALE),
        "father_name": rng.choice(MALE),
        "grandfather_name": rng.choice(MALE),
        "family_name": family,
        "national_id": valid_id(serial * 2, "1" if rng.random() < 0.85 else "2"),
        "gender": "male" if head_male else "female",
        "marital_status": "married",
        "birth_date": date(rng.randint(1955, 2000), rng.randint(1, 12), rng.randint(1, 28)),
        "city": rng.choice(CITIES),
        "job": "عامل",
        "monthly_income": rng.randrange(0, 800_000, 5000),
        "relationship": "head",
    }
    people = [head]
    if rng.random() < 0.9:
        people.append(
            {
                "first_name": rng.choice(FEMALE if head_male else MALE),
                "father_name": rng.choice(MALE),
                "grandfather_name": rng.choice(MALE),
                "family_name": rng.choice(FAMILIES),
                "national_id": valid_id(serial * 2 + 1),
                "gender": "female" if head_male else "male",
                "marital_status": "married",
                "relationship": "spouse",
                "monthly_income": 0,
            }
        )
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        son = rng.random() < 0.5
        people.append(
            {
                "first_name": rng.choice(MALE if son else FEMALE),
                "father_name": head["first_name"] if head_male else rng.choice(MALE),
                "grandfather_name": head["father_name"],
                "family_name": family,
                "gender": "male" if son else "female",
                "relationship": "son" if son else "daughter",
                "studying": True,
                "monthly_income": 0,
            }
        )
    return people


def person_row(tenant_id: int, p: dict) -> dict:
    """The registry_persons row for ``p``, derived columns computed as services._apply_person does."""
    number = p.get("national_id")
    return {
        "tenant_id": tenant_id,
        "first_name": p["first_name"],
        "father_name": p.get("father_name", ""),
        "grandfather_name": p.get("grandfather_name", ""),
        "family_name": p.get("family_name", ""),
        "name_normalized": normalized_full_name(
            p["first_name"], p.get("father_name"), p.get("grandfather_name"), p.get("family_name")
        ),
        "family_normalized": normalize_name(p.get("family_name")),
        "national_id_encrypted": ids.encrypt(number) if number else None,
        "national_id_hash": ids.lookup_hash(number) if number else None,
        "id_type": ids.id_type(number) if number else None,
        "gender": p.get("gender"),
        "marital_status": p.get("marital_status"),
        "birth_date": p.get("birth_date"),
        "nationality": "SA" if number and number[0] == "1" else None,
        "city": p.get("city"),
        "job": p.get("job"),
        "monthly_income": p.get("monthly_income", 0),
    }


def person_name_keys(p: dict) -> list[str]:
    """The person's search keys, as services.sync_name_keys stores them."""
    return name_keys(p["first_name"], p.get("father_name"), p.get("grandfather_name"), p.get("family_name"))


def _returning_ids(table, rows: list[dict]) -> list[int]:
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(db.session.execute(stmt, rows).scalars())


def bulk_households(tenant_id: int, families: list[list[dict]]) -> int:
    """Insert households (head first in each list) with Core; returns the persons inserted."""
    persons_t, households_t = Person.__table__, Household.__table__
    members_t, files_t, events_t = Member.__table__, BeneficiaryFile.__table__, FileEvent.__table__
    flat = [p for family in families for p in family]
    rows = [person_row(tenant_id, p) for p in flat]
    inserted = _returning_ids(persons_t, rows)
    db.session.execute(
        insert(PersonNameKey.__table__),
        [
            {"tenant_id": tenant_id, "person_id": pid, "key": key, "sort_name": row["name_normalized"]}
            for pid, p, row in zip(inserted, flat, rows, strict=True)
            for key in person_name_keys(p)
        ],
    )
    person_ids = iter(inserted)
    ids_by_family = [[next(person_ids) for _ in family] for family in families]
    household_ids = _returning_ids(
        households_t,
        [
            {
                "tenant_id": tenant_id,
                "head_person_id": pids[0],
                "housing_tenure": "rented" if i % 3 else "owned",
                "annual_rent": 1_800_000 if i % 3 else 0,
                "category": "family",
            }
            for i, pids in enumerate(ids_by_family)
        ],
    )
    members = [
        {
            "tenant_id": tenant_id,
            "household_id": hid,
            "person_id": pid,
            "relationship": p["relationship"],
            "job": p.get("job"),
            "income": p.get("monthly_income", 0),
            "resides_with_head": True,
            "studying": bool(p.get("studying")),
        }
        for hid, pids, family in zip(household_ids, ids_by_family, families, strict=True)
        for pid, p in zip(pids[1:], family[1:], strict=True)
    ]
    if members:
        db.session.execute(insert(members_t), members)
    file_ids = _returning_ids(
        files_t,
        [{"tenant_id": tenant_id, "household_id": hid, "status": "applicant"} for hid in household_ids],
    )
    db.session.execute(
        insert(events_t),
        [
            {"tenant_id": tenant_id, "file_id": fid, "kind": "created", "to_status": "applicant"}
            for fid in file_ids
        ],
    )
    return len(flat)


def service_payload(family: list[dict]) -> dict:
    """The same family as an API payload, loaded through the real schema."""

    def person(p: dict) -> dict:
        data = {k: p[k] for k in ("first_name", "father_name", "grandfather_name", "family_name") if p.get(k)}
        for key in ("national_id", "gender", "marital_status", "city", "job"):
            if p.get(key):
                data[key] = p[key]
        if p.get("birth_date"):
            data["birth_date"] = p["birth_date"].isoformat()
        data["monthly_income"] = str(p.get("monthly_income", 0) / 100)
        return data

    head = {**person(family[0]), "id_expiry": "2032-01-01", "nationality": "SA", "job": "عامل"}
    return HouseholdSchema().load(
        {
            "head": head,
            "housing_tenure": "owned",
            "category": "family",
            "members": [
                {"person": person(p), "relationship": p["relationship"], "studying": bool(p.get("studying"))}
                for p in family[1:]
            ],
        }
    )


def check_same_derived_columns(tenant_id: int, families: list[list[dict]]) -> None:
    """Service-created persons carry exactly the derived values the bulk path computes."""
    checked = 0
    for family in families:
        for p in family:
            row = person_row(tenant_id, p)
            query = db.select(Person).where(Person.name_normalized == row["name_normalized"])
            if row["national_id_hash"]:
                query = query.where(Person.national_id_hash == row["national_id_hash"])
            stored = db.session.execute(query).scalars().first()
            assert stored is not None, f"service-created person not found by bulk-derived columns: {p}"
            assert stored.family_normalized == row["family_normalized"]
            assert stored.id_type == row["id_type"]
            assert stored.national_id == p.get("national_id")
            stored_keys = db.session.execute(
                db.select(PersonNameKey.key).where(PersonNameKey.person_id == stored.id)
            ).scalars()
            assert sorted(stored_keys) == person_name_keys(p)
            checked += 1
    assert checked


def seed(
    app, households: int, other_households: int | None = None, sample: int = 20, seed_: int = 7
) -> Seeded:
    """Two tenants; ``households`` in the first (``sample`` of them via the services)."""
    rng = random.Random(seed_)
    started = time.perf_counter()
    other_households = max(50, households // 50) if other_households is None else other_households
    head_ids: list[str] = []
    persons = 0
    with app.app_context():
        tenant = create_tenant(
            {"slug": "bench", "name_ar": "جمعية القياس", "name_en": "Benchmark association"}
        )
        other = create_tenant(
            {"slug": "bench-other", "name_ar": "جمعية أخرى", "name_en": "Other association"}
        )
        db.session.commit()
        tenant_id, other_id = tenant.id, other.id
        serial = 1
        with tenant_context(tenant):
            sampled = []
            for _ in range(min(sample, households)):
                family = household_people(rng, serial)
                serial += 1
                create_household(service_payload(family))
                sampled.append(family)
                head_ids.append(family[0]["national_id"])
                persons += len(family)
            db.session.commit()
            check_same_derived_columns(tenant_id, sampled)
            db.session.commit()
            remaining = households - len(sampled)
            while remaining > 0:
                chunk = []
                for _ in range(min(2000, remaining)):
                    chunk.append(household_people(rng, serial))
                    serial += 1
                persons += bulk_households(tenant_id, chunk)
                head_ids += [f[0]["national_id"] for f in chunk[::25]]
                db.session.commit()
                remaining -= len(chunk)
        with tenant_context(db.session.get(Tenant, other_id)):
            # Every fifth family of the other tenant shares ID numbers with the first one.
            chunk = [
                household_people(rng, n if n % 5 else n // 5 + 1)
                for n in range(serial, serial + other_households)
            ]
            bulk_households(other_id, chunk)
            db.session.commit()
        db.session.remove()
    return Seeded(tenant_id, other_id, households, persons, head_ids, time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true", help="2,000 households")
    parser.add_argument(
        "--database", default=None, help="SQLAlchemy URL (default: DATABASE_URL or /tmp SQLite)"
    )
    args = parser.parse_args()
    households = 2000 if args.quick else args.households
    app = make_bench_app(args.database or default_url("seed"))
    fresh_database(app)
    result = seed(app, households)
    print(
        f"{result.households} households, {result.persons} persons in tenant {result.tenant_id} "
        f"(+ tenant {result.other_tenant_id}) in {result.seconds:.1f} s -> {app.config['SQLALCHEMY_DATABASE_URI']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
