"""Registry search against raw SQL, side by side: prefix / family name / exact ID p95, and the
family-name search as the association grows (10k / 50k / 200k households: flat).

The candidate is ``search_persons`` (what the pages and the API call: page + bounded count,
then the page's ``Person`` objects). The baseline is the same work written by hand on the
DBAPI cursor of the same connection: the page with its count, then the page's rows by id.
Each query is timed call by call, candidate and baseline alternated, one transaction each.

    .venv/bin/python bench/search_rows.py --households 50000
    .venv/bin/python bench/search_rows.py --scale 10000,50000,200000   # the flat-count rows
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import interleave  # noqa: E402
import seed  # noqa: E402

from core.extensions import db  # noqa: E402
from core.registry import ids  # noqa: E402
from core.registry.models import Person  # noqa: E402
from core.registry.normalize import normalize_name, spelled  # noqa: E402
from core.registry.search import COUNT_CAP, search_persons  # noqa: E402
from core.tenancy import Tenant, tenant_context  # noqa: E402

RATIO_TARGET = 1.5
P95_TARGET_MS = {"sqlite": 50.0, "postgresql": 30.0}
FLAT_TARGET_MS = 50.0
PREFIXES = ["أح", "فاط", "عبد ال", "سع", "مري", "خال", "نور", "يوس"]
FAMILIES = ["الغامدي", "الزهراني", "القحطاني", "العتيبي", "الحربي", "الشهري", "المطيري", "الدوسري"]

_ONE_WORD = (
    "SELECT id, count(*) OVER () FROM ("
    " SELECT id, name_normalized FROM (SELECT id, name_normalized FROM registry_persons"
    "  WHERE tenant_id = ? AND name_normalized >= ? AND name_normalized < ? ORDER BY name_normalized LIMIT ?) a"
    " UNION"
    " SELECT id, name_normalized FROM (SELECT id, name_normalized FROM registry_persons"
    "  WHERE tenant_id = ? AND family_normalized >= ? AND family_normalized < ? ORDER BY family_normalized LIMIT ?) b"
    ") m ORDER BY name_normalized, id LIMIT ? OFFSET 0"
)
_KEYS = (
    "SELECT id, count(*) OVER () FROM ("
    " SELECT DISTINCT person_id AS id, sort_name AS name_normalized FROM registry_person_name_keys"
    " WHERE tenant_id = ? AND key >= ? AND key < ? LIMIT ?) m ORDER BY name_normalized, id LIMIT ? OFFSET 0"
)


def raw_search(tenant_id: int, q: str, columns: str, pg: bool):
    """The same search by hand on the DBAPI cursor (rows as tuples)."""
    cursor = db.session.connection().connection.dbapi_connection.cursor()

    def run(sql, params):
        cursor.execute(sql.replace("?", "%s") if pg else sql, params)
        return cursor.fetchall()

    if q.isdigit() and len(q) == 10:
        rows = run(
            f"SELECT {columns} FROM registry_persons WHERE tenant_id = ? AND national_id_hash = ?",
            (tenant_id, ids.lookup_hash(q)),
        )
        return rows, len(rows)
    low = normalize_name(q)
    high = low + "\U0010ffff"
    if " " in low or " " in spelled(q):  # several name parts, also «عبد ال» (search_persons' rule)
        page = run(_KEYS, (tenant_id, low, high, COUNT_CAP + 1, 20))
    else:
        page = run(_ONE_WORD, (tenant_id, low, high, COUNT_CAP + 1, tenant_id, low, high, COUNT_CAP + 1, 20))
    if not page:
        return [], 0
    marks = ",".join("?" * len(page))
    rows = run(
        f"SELECT {columns} FROM registry_persons WHERE tenant_id = ? AND id IN ({marks})",
        (tenant_id, *[r[0] for r in page]),
    )
    return rows, page[0][1]


def measure(app, seeded: seed.Seeded, kinds: dict[str, list[str]], calls: int) -> dict[str, tuple]:
    """kind → (candidate p95 ms, baseline p95 ms, candidate median ms, baseline median ms)."""
    pg = seed.is_postgres(app.config["SQLALCHEMY_DATABASE_URI"])
    columns = ", ".join(c.name for c in Person.__table__.c)
    out = {}
    with app.app_context():
        tenant = db.session.get(Tenant, seeded.tenant_id)
        with tenant_context(tenant):
            rng = random.Random(3)
            for kind, queries in kinds.items():
                for q in queries[:3]:  # both find the same people
                    found, total = search_persons(q)
                    raw, raw_total = raw_search(seeded.tenant_id, q, columns, pg)
                    assert {p.id for p in found} == {r[0] for r in raw} and total == min(
                        raw_total, COUNT_CAP
                    ), q
                    db.session.rollback()
                picks = [rng.choice(queries) for _ in range(calls + 10)]

                def candidate(q):
                    search_persons(q)
                    db.session.rollback()

                def baseline(q):
                    raw_search(seeded.tenant_id, q, columns, pg)
                    db.session.rollback()

                cand, base = interleave.each_call(candidate, baseline, picks)
                cand, base = cand[10:], base[10:]  # warm-up
                out[kind] = (
                    interleave.p95(cand) * 1000,
                    interleave.p95(base) * 1000,
                    interleave.median(cand) * 1000,
                    interleave.median(base) * 1000,
                )
        db.session.remove()
    return out


def build(url: str, households: int) -> tuple[object, seed.Seeded]:
    app = seed.make_bench_app(url)
    seed.fresh_database(app)
    seeded = seed.seed(app, households)
    seed.analyze(app)
    return app, seeded


def rows(households: int = 50_000, calls: int = 200, url: str | None = None) -> list[interleave.Row]:
    url = url or seed.default_url("search-rows")
    app, seeded = build(url, households)
    dialect = "postgresql" if seed.is_postgres(url) else "sqlite"
    kinds = {"prefix": PREFIXES, "family name": FAMILIES, "exact ID": seeded.head_ids[:100]}
    figures = measure(app, seeded, kinds, calls)
    out = []
    for kind, (c95, b95, cmed, bmed) in figures.items():
        ratio = c95 / b95
        out.append(
            interleave.Row(
                f"registry search p95, {kind}, {households:,} households ({dialect})",
                c95,
                b95,
                "ms",
                f"≤ {RATIO_TARGET}× and ≤ {P95_TARGET_MS[dialect]:.0f} ms",
                ratio <= RATIO_TARGET and c95 <= P95_TARGET_MS[dialect],
                note=f"medians {cmed:.2f} / {bmed:.2f} ms",
            )
        )
    return out


def scale_rows(sizes: list[int], calls: int = 100) -> list[interleave.Row]:
    out = []
    for households in sizes:
        app, seeded = build(seed.sqlite_url(f"search-scale-{households}"), households)
        c95, b95, cmed, _ = measure(app, seeded, {"family name": FAMILIES}, calls)["family name"]
        out.append(
            interleave.Row(
                f"family-name search at {households:,} households (sqlite)",
                c95,
                b95,
                "ms",
                f"flat, ≤ {FLAT_TARGET_MS:.0f} ms",
                c95 <= FLAT_TARGET_MS,
                note=f"p95; median {cmed:.2f} ms",
            )
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true", help="2,000 households, 50 calls")
    parser.add_argument("--scale", default="", help="comma-separated sizes for the flat-count rows")
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    if args.scale:
        result = scale_rows([int(n) for n in args.scale.split(",")], calls=args.calls)
    elif args.quick:
        result = rows(2000, 50)
    else:
        result = rows(args.households, args.calls)
    return 0 if interleave.print_rows("Registry search", result) else 1


if __name__ == "__main__":
    sys.exit(main())
