"""Registry import at scale: a 50k-row CSV through the real importer's background-job path.

Generates households with members in ``importer.COLUMNS`` (one row per person, head first),
starts the import with ``start_import(…, background=True)`` as the upload page does, polls the
job row from another session (what the progress page shows) and reports rows/second, total time
and peak memory (ru_maxrss of this process, which also holds the CSV).

    .venv/bin/python bench/registry_import.py --rows 50000
    /usr/bin/time -v .venv/bin/python bench/registry_import.py --rows 50000   # independent peak RSS
    .venv/bin/python bench/registry_import.py --quick

Budget: 50k rows imported in under 5 minutes, peak RSS under 1 GiB. Exit 1 if missed.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import sys
import time
from concurrent.futures import wait

import seed

from core.extensions import db
from core.registry.importer import COLUMNS, start_import
from core.registry.models import Household, ImportJob, Person
from core.tenancy import Tenant, tenant_context
from core.tenancy.services import create_tenant

BUDGET_SECONDS = 300
BUDGET_RSS_MB = 1024


def csv_file(rows: int, rng: random.Random) -> bytes:
    """About ``rows`` rows (whole households), Arabic relationship words and Arabic-Indic digits mixed in."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    written, serial = 0, 1
    while written < rows:
        family = seed.household_people(rng, serial)[: rows - written]
        for p in family:
            head = p["relationship"] == "head"
            row = {k: p.get(k, "") for k in ("first_name", "father_name", "grandfather_name", "family_name")}
            row.update(
                household=f"H{serial}",
                relationship="رب الأسرة" if head and serial % 2 else p["relationship"],
                national_id=p.get("national_id", ""),
                gender=p.get("gender", ""),
                job=p.get("job") or ("طالب" if p.get("studying") else "لا يعمل"),
                monthly_income=str(p.get("monthly_income", 0) // 100),
            )
            if head:
                row.update(
                    id_expiry="١٤٥٢-٠١-٠١" if serial % 3 == 0 else "2031-06-30",
                    nationality="SA",
                    birth_date=p["birth_date"].isoformat(),
                    marital_status="married",
                    phone=f"05{serial % 10**8:08d}",
                    city=p["city"],
                    housing_tenure="rented" if serial % 3 else "owned",
                    annual_rent="18000" if serial % 3 else "",
                    category="family",
                )
            else:
                row.update(resides_with_head="yes", studying="yes" if p.get("studying") else "no")
            writer.writerow(row)
        written += len(family)
        serial += 1
    return ("\ufeff" + out.getvalue()).encode()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true", help="2,000 rows")
    parser.add_argument(
        "--database", default=None, help="SQLAlchemy URL (default: DATABASE_URL or /tmp SQLite)"
    )
    parser.add_argument("--poll", type=float, default=5.0, help="seconds between progress lines")
    args = parser.parse_args()
    rows = 2000 if args.quick else args.rows

    app = seed.make_bench_app(args.database or seed.default_url("import"))
    seed.fresh_database(app)
    data = csv_file(rows, random.Random(3))
    print(f"CSV: {rows} rows, {len(data) / 1e6:.1f} MB; RSS so far {peak_rss_mb():.0f} MB")

    with app.app_context():
        tenant = create_tenant(
            {"slug": "bench", "name_ar": "جمعية القياس", "name_en": "Benchmark association"}
        )
        db.session.commit()
        tenant_id = tenant.id
    started = time.perf_counter()
    with app.test_request_context("/"), tenant_context(db.session.get(Tenant, tenant_id)):
        job = start_import("bench.csv", data, only_good_rows=False, background=True)
        job_id, future = job.id, app.extensions["charity_jobs"].futures[job.job_id]
        db.session.remove()
    del data
    with app.app_context():
        tenant = db.session.get(Tenant, tenant_id)
        with tenant_context(tenant):
            while not future.done():
                wait([future], timeout=args.poll)
                db.session.rollback()
                job = db.session.get(ImportJob, job_id)
                print(
                    f"  {time.perf_counter() - started:6.1f} s  {job.status:<8} "
                    f"{job.processed_rows:>6}/{job.total_rows} rows ({job.progress}%)  "
                    f"{job.households_created} households  RSS peak {peak_rss_mb():.0f} MB"
                )
            elapsed = time.perf_counter() - started
            db.session.rollback()
            job = db.session.get(ImportJob, job_id)
            persons = db.session.execute(db.select(db.func.count(Person.id))).scalar_one()
            households = db.session.execute(db.select(db.func.count(Household.id))).scalar_one()
            status, errors = job.status, job.errors[:3]
        db.session.remove()

    rss = peak_rss_mb()
    print(
        f"import {status}: {rows} rows, {households} households, {persons} persons in {elapsed:.1f} s "
        f"= {rows / elapsed:.0f} rows/s; peak RSS {rss:.0f} MB"
    )
    ok = status == "done" and persons == rows and elapsed < BUDGET_SECONDS and rss < BUDGET_RSS_MB
    if status != "done" or persons != rows:
        print(f"FAIL: job {status}, {persons} persons written, errors {errors}")
    if elapsed >= BUDGET_SECONDS:
        print(f"FAIL: over the {BUDGET_SECONDS} s budget")
    if rss >= BUDGET_RSS_MB:
        print(f"FAIL: over the {BUDGET_RSS_MB} MB budget")
    print("OK: budget met" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
