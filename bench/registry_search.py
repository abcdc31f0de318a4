"""Registry search at scale: exact ID and Arabic name parts through ``services.search_persons``.

Builds N households (bench/seed.py), then times searches in an app context with the tenant
set — each query typed in a spelling variant (أ/ا, ة/ه, ى/ي, diacritics, "عبد الله"),
checked to find the same people as the canonical spelling — and asserts that the database
plans every statement of a search as an index lookup, never a scan of registry_persons or
registry_person_name_keys. Name-part combinations (first + family, first + father + family,
father + family, first + grandfather + family) are built from persons drawn from the seeded
data, typed in a variant, and must find that person.

    .venv/bin/python bench/registry_search.py --households 50000
    .venv/bin/python bench/registry_search.py --quick

Budget: median < 20 ms per search (ID and name) at 50k households on SQLite. Exit 1 if missed.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time

import seed
from sqlalchemy import event

from core.extensions import db
from core.registry.models import Person
from core.registry.normalize import normalize_name
from core.registry.search import id_query
from core.registry.services import search_persons
from core.tenancy import Tenant, tenant_context

BUDGET_MS = 20.0
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# (canonical, as typed) pairs; canonical uses the spellings stored in bench/seed.py.
NAME_QUERIES = {
    "first+father": [
        ("أحمد محمد", "احمَد مُحمّد"),
        ("إبراهيم عبد الله", "ابراهيم عبدالله"),
        ("فاطمة علي", "فاطمه علي"),
        ("مصطفى يوسف", "مصطفي يوسف"),
        ("أسامة إسماعيل", "اسامه اسماعيل"),
        ("عبد الرحمن خالد", "عبدالرحمن خالد"),
    ],
    "family": [
        ("الغامدي", "الغامدى"),
        ("الأحمدي", "الاحمدى"),
        ("آل الشيخ", "ال الشيخ"),
        ("الأنصاري", "الأنصـــاري"),
    ],
    "first name only": [("فاطمة", "فاطمه"), ("عائشة", "عايشه"), ("أحمد", "أَحْمَد"), ("يحيى", "يحيي")],
}


PART_COMBINATIONS = {
    "first+family": ("first_name", "family_name"),
    "first+father+family": ("first_name", "father_name", "family_name"),
    "father+family": ("father_name", "family_name"),
    "first+grand+family": ("first_name", "grandfather_name", "family_name"),
}
_VARIANT = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه"})


def variant(text: str) -> str:
    """How the name may be typed: bare alef, ه for ة, ى for a final ي, "عبدالله" in one word."""
    words = [w.translate(_VARIANT) for w in text.replace("عبد ", "عبد").split()]
    return " ".join(w[:-1] + "ى" if w.endswith("ي") else w for w in words)


def part_queries(rng: random.Random, count: int) -> dict[str, list[tuple[str, str, int]]]:
    """``{kind: [(canonical, as typed, person id)]}`` from persons drawn from the tenant."""
    bounds = db.session.execute(db.select(db.func.min(Person.id), db.func.max(Person.id))).one()
    ids = rng.sample(range(bounds[0], bounds[1] + 1), min(count * 2, bounds[1] - bounds[0] + 1))
    people = db.session.execute(db.select(Person).where(Person.id.in_(ids))).scalars().all()
    people = [p for p in people if p.father_name and p.grandfather_name and p.family_name][:count]
    return {
        kind: [
            (" ".join(getattr(p, f) for f in fields), variant(" ".join(getattr(p, f) for f in fields)), p.id)
            for p in people
        ]
        for kind, fields in PART_COMBINATIONS.items()
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def capture_statements(fn) -> list[tuple[str, object]]:
    statements: list[tuple[str, object]] = []

    def listener(conn, cursor, statement, params, context, executemany):
        statements.append((statement, params))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return [(s, p) for s, p in statements if re.search(r"registry_person(s|_name_keys)\b", s)]


def check_plan(statement: str, params) -> tuple[bool, str]:
    """Index lookups only: SEARCH … USING [COVERING] INDEX / Index Scan; no scan of registry_persons."""
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
        plan = "\n".join(row[-1] for row in rows)
        # A SEARCH bounded by tenant_id alone reads the tenant's whole index: a scan too.
        scans = re.findall(
            r"^(SCAN registry_person(s|_name_keys)\b.*|SEARCH registry_person(s|_name_keys) .*\(tenant_id=\?\))$",
            plan,
            re.M,
        )
        uses_index = re.search(
            r"SEARCH registry_person(s|_name_keys) USING ((COVERING )?INDEX|INTEGER PRIMARY KEY)", plan
        )
    else:
        rows = conn.exec_driver_sql("EXPLAIN " + statement, params).all()
        plan = "\n".join(row[0] for row in rows)
        scans = re.findall(
            r"(Seq Scan on registry_person(s|_name_keys)\b.*|Index Cond: \(tenant_id = [^()]*\))$", plan, re.M
        )
        uses_index = re.search(
            r"(Index Scan|Index Only Scan|Bitmap Index Scan) (using|on) (ix|pk)_registry_person", plan
        )
    return bool(uses_index) and not scans, plan


def legacy_search(tenant_id: int, q: str) -> tuple[list, int]:
    """The search as it was before issue 12, for ``--compare``: the ID number, or a name as a
    prefix of the full four-part name or of the family name, counted in full (uncapped)."""
    number = id_query(q)
    if number is not None:
        return search_persons(q)
    prefix = normalize_name(q)
    upper = prefix + "\U0010ffff"
    by_name = db.select(Person.id, Person.name_normalized).where(
        Person.tenant_id == tenant_id, Person.name_normalized >= prefix, Person.name_normalized < upper
    )
    by_family = db.select(Person.id, Person.name_normalized).where(
        Person.tenant_id == tenant_id, Person.family_normalized >= prefix, Person.family_normalized < upper
    )
    matches = db.union(by_name, by_family).subquery()
    total = db.session.execute(db.select(db.func.count()).select_from(matches)).scalar_one()
    page_ids = db.select(matches.c.id).order_by(matches.c.name_normalized, matches.c.id).limit(20).subquery()
    rows = db.session.execute(
        db.select(Person)
        .join(page_ids, Person.id == page_ids.c.id)
        .order_by(Person.name_normalized, Person.id)
    ).scalars()
    return list(rows), total


def run(app, seeded: seed.Seeded, queries: int, rng: random.Random, compare: bool = False) -> bool:
    ok = True
    with app.app_context():
        tenant = db.session.get(Tenant, seeded.tenant_id)
        with tenant_context(tenant):
            kinds = {
                "ID (exact)": [(n, n) for n in seeded.head_ids[:50]]
                + [(n, n.translate(ARABIC_DIGITS)) for n in seeded.head_ids[50:100]],
                **NAME_QUERIES,
            }
            parts = part_queries(rng, 60)
            # Name parts in order, typed in a variant: the person they were taken from is found.
            for kind, triples in parts.items():
                for canonical, typed, person_id in triples[:20]:
                    found, total = search_persons(typed, 1, 10_000)
                    want = search_persons(canonical)[1]
                    if person_id not in {p.id for p in found} or want != total:
                        print(f"FAIL {kind}: {typed!r} found {total} without person {person_id} ({want})")
                        ok = False
                kinds[kind] = [(canonical, typed) for canonical, typed, _ in triples]
            # Correctness: the variant finds exactly what the canonical spelling finds.
            for kind, pairs in kinds.items():
                for canonical, typed in pairs[:6]:
                    want, got = search_persons(canonical)[1], search_persons(typed)[1]
                    if want != got or want == 0:
                        print(f"FAIL {kind}: {typed!r} found {got}, {canonical!r} found {want}")
                        ok = False
            # Plans: every statement on registry_persons, one query of each kind.
            for kind, pairs in kinds.items():
                for statement, params in capture_statements(lambda q=pairs[0][1]: search_persons(q)):
                    good, plan = check_plan(statement, params)
                    if not good:
                        ok = False
                        print(f"FAIL plan ({kind}) is not an index lookup:\n{statement}\n{plan}\n")
            print(f"plans: {'index lookups only' if ok else 'see failures above'}")
            db.session.rollback()
            header = f"{'kind':<20} {'median ms':>9} {'p95 ms':>8} {'max ms':>8} {'avg hits':>9}"
            if compare:
                header += f"  {'before: median ms':>17} {'avg hits':>9}"
            print(header)
            for kind, pairs in kinds.items():
                timings, hits, before, before_hits = [], [], [], []
                for i in range(queries + 5):
                    q = rng.choice(pairs)[1]
                    tenant.id  # noqa: B018 - a request has its tenant loaded before the search
                    start = time.perf_counter()
                    found, total = search_persons(q)
                    elapsed = (time.perf_counter() - start) * 1000
                    db.session.rollback()  # one transaction per search, as per request
                    if compare:  # the same query, interleaved, through the search before issue 12
                        start = time.perf_counter()
                        _, old_total = legacy_search(tenant.id, q)
                        old_elapsed = (time.perf_counter() - start) * 1000
                        db.session.rollback()
                    if i >= 5:  # warm-up
                        timings.append(elapsed)
                        hits.append(total)
                        if compare:
                            before.append(old_elapsed)
                            before_hits.append(old_total)
                median = statistics.median(timings)
                mark = "" if median < BUDGET_MS else f"  over budget ({BUDGET_MS:.0f} ms)"
                ok &= median < BUDGET_MS
                line = (
                    f"{kind:<20} {median:9.2f} {percentile(timings, 95):8.2f} {max(timings):8.2f} "
                    f"{statistics.mean(hits):9.0f}"
                )
                if compare:
                    line += f"  {statistics.median(before):17.2f} {statistics.mean(before_hits):9.0f}"
                print(line + mark)
        db.session.remove()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true", help="2,000 households, 50 queries per kind")
    parser.add_argument("--queries", type=int, default=200, help="timed searches per kind")
    parser.add_argument(
        "--database", default=None, help="SQLAlchemy URL (default: DATABASE_URL or /tmp SQLite)"
    )
    parser.add_argument(
        "--analyze", action="store_true", help="SQLite: run ANALYZE first (PostgreSQL always does)"
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also time each query, interleaved, through the search before issue 12 (name prefix only)",
    )
    args = parser.parse_args()
    households, queries = (2000, 50) if args.quick else (args.households, args.queries)

    app = seed.make_bench_app(args.database or seed.default_url("search"))
    seed.fresh_database(app)
    seeded = seed.seed(app, households)
    dialect = "postgresql" if seed.is_postgres(app.config["SQLALCHEMY_DATABASE_URI"]) else "sqlite"
    if dialect == "postgresql" or args.analyze:
        seed.analyze(app)
    print(
        f"{dialect}: {seeded.households} households, {seeded.persons} persons seeded in {seeded.seconds:.1f} s"
    )
    ok = run(app, seeded, queries, random.Random(1), compare=args.compare)
    print("OK: budget met" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
