"""Registry import at scale (issue 19): the real importer's background-job path beside a raw
``executemany`` of the same rows, and its peak memory as the file grows.

Generates households with members in ``importer.COLUMNS`` (one row per person, head first,
Arabic relationship words and Arabic-Indic dates mixed in), starts the import with
``start_import(…, background=True)`` as the upload page does (stored file, job runner thread),
polls the job row from another session (what the progress page shows) and reports the time to
validate the whole file and write it. The baseline inserts the same persons (derived columns
computed beforehand, not timed) with one Core ``executemany`` into another tenant.

    .venv/bin/python bench/registry_import.py --rows 50000              # time row: ≤ 20 s
    .venv/bin/python bench/registry_import.py --households 50000        # 3.3× the rows
    .venv/bin/python bench/registry_import.py --scale 10000,50000,200000  # peak RSS per size (rows)
    .venv/bin/python bench/registry_import.py --quick

Issue 19's time row is 50,000 *rows* of a file: its figures say so (130–271 s at 184–384
rows/s; the raw ``executemany`` baseline 2.7 s at 18k rows/s), and so does the measurement it was
read from (bench/README.md, "Import, 50,000 rows (15,161 households)"); its words say "50k
households", which are ~164,000 rows — ``--households 50000`` times that too.

Peak memory is the process's ``ru_maxrss`` (each ``--scale`` size in a process of its own); it
includes the CSV's bytes, which the bench and the job each hold once. Exit 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import time
from concurrent.futures import wait
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import interleave  # noqa: E402
import seed  # noqa: E402

from core.extensions import db  # noqa: E402
from core.registry.importer import COLUMNS, start_import  # noqa: E402
from core.registry.models import Household, ImportJob, Person  # noqa: E402
from core.tenancy import Tenant, tenant_context  # noqa: E402
from core.tenancy.services import create_tenant  # noqa: E402

TIME_TARGET_S = 20.0  # a 50,000-row file validated whole and written
RSS_TARGET_MB = 300.0  # at 200k rows, and flat from 10k


class _Lines:
    """A write-only text sink that keeps UTF-8 bytes (no str copy of the whole file)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, text: str) -> None:
        self.parts.append(text.encode())


def household_rows(rng: random.Random, serial: int) -> list[dict]:
    rows = []
    for p in seed.household_people(rng, serial):
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
        rows.append(row)
    return rows


def csv_file(
    *, rows: int | None = None, households: int | None = None, seed_value: int = 3
) -> tuple[bytes, int]:
    """``(CSV bytes, rows)``: about ``rows`` rows (whole households) or ``households`` households."""
    rng = random.Random(seed_value)
    sink = _Lines()
    sink.write("\ufeff")
    writer = csv.DictWriter(sink, fieldnames=COLUMNS)
    writer.writeheader()
    written, serial = 0, 1
    while (households is not None and serial <= households) or (rows is not None and written < rows):
        family = household_rows(rng, serial)
        if rows is not None:
            family = family[: rows - written]
        writer.writerows(family)
        written += len(family)
        serial += 1
    return b"".join(sink.parts), written


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_import(app, tenant_id: int, data: bytes, poll: float) -> tuple[float, str, list, int, int]:
    started = time.perf_counter()
    with app.test_request_context("/"), tenant_context(db.session.get(Tenant, tenant_id)):
        record = start_import("bench.csv", data, only_good_rows=False, background=True)
        import_id, future = record.id, app.extensions["charity_jobs"].futures[record.job_id]
        db.session.remove()
    with app.app_context(), tenant_context(db.session.get(Tenant, tenant_id)):
        while not future.done():
            wait([future], timeout=poll)
            db.session.rollback()
            job = db.session.get(ImportJob, import_id)
            print(
                f"  {time.perf_counter() - started:6.1f} s  {job.status:<8} "
                f"{job.validated_rows:>6} checked {job.processed_rows:>6} written /{job.total_rows} "
                f"({job.progress}%)  RSS peak {peak_rss_mb():.0f} MB",
                flush=True,
            )
        elapsed = time.perf_counter() - started
        future.result()
        db.session.rollback()
        job = db.session.get(ImportJob, import_id)
        persons = db.session.execute(db.select(db.func.count(Person.id))).scalar_one()
        households = db.session.execute(db.select(db.func.count(Household.id))).scalar_one()
        outcome = (elapsed, job.status, job.errors[:3], persons, households)
        db.session.remove()
    return outcome


def raw_executemany(app, tenant_id: int, data: bytes) -> float:
    """The baseline: the file's persons inserted by one Core ``executemany`` (rows prepared
    beforehand, derived columns included, not timed), committed."""
    text = data.decode("utf-8-sig").splitlines()
    reader = csv.DictReader(text)
    people = [
        {
            **{k: r[k] for k in ("first_name", "father_name", "grandfather_name", "family_name")},
            "national_id": r["national_id"] or None,
            "gender": r["gender"] or None,
            "city": r.get("city") or None,
            "job": r["job"],
            "monthly_income": int(r["monthly_income"] or 0) * 100,
        }
        for r in reader
    ]
    with app.app_context(), tenant_context(db.session.get(Tenant, tenant_id)):
        rows = [seed.person_row(tenant_id, p) for p in people]
        started = time.perf_counter()
        db.session.execute(db.insert(Person.__table__), rows)
        db.session.commit()
        elapsed = time.perf_counter() - started
        db.session.remove()
    return elapsed


def prepare(args) -> tuple:
    app = seed.make_bench_app(args.database or seed.default_url("import"))
    seed.fresh_database(app)
    with app.app_context():
        tenants = [
            create_tenant({"slug": slug, "name_ar": "جمعية القياس", "name_en": f"Benchmark {slug}"}).id
            for slug in ("bench", "baseline")
        ]
        db.session.commit()
    return app, tenants


def time_row(args) -> bool:
    app, (tenant_id, baseline_tenant) = prepare(args)
    if args.quick:
        data, rows = csv_file(households=300)
    elif args.rows:
        data, rows = csv_file(rows=args.rows)
    else:
        data, rows = csv_file(households=args.households)
    households = _households_in(data)
    print(f"CSV: {households} households, {rows} rows, {len(data) / 1e6:.1f} MB; RSS {peak_rss_mb():.0f} MB")
    elapsed, status, errors, persons, created = run_import(app, tenant_id, data, args.poll)
    baseline = raw_executemany(app, baseline_tenant, data)
    print(
        f"import {status}: {created} households, {persons} persons in {elapsed:.1f} s = {rows / elapsed:.0f} rows/s"
    )
    ok = status == "done" and persons == rows and created == households
    if not ok:
        print(f"FAIL: job {status}, {persons} persons / {created} households written, errors {errors}")
    row = interleave.Row(
        f"import {rows:,} rows ({households:,} households), validated + written",
        elapsed,
        baseline,
        "s",
        f"≤ {TIME_TARGET_S:g} s",
        ok and elapsed <= TIME_TARGET_S,
        note="baseline: raw executemany of the persons",
    )
    return interleave.print_rows("Registry import", [row])


def _households_in(data: bytes) -> int:
    return len({r["household"] for r in csv.DictReader(data.decode("utf-8-sig").splitlines())})


def memory_child(args) -> None:
    """One size: import ``--rows`` rows, print ``RSS <peak MB> <seconds> <status>``."""
    app, (tenant_id, _baseline) = prepare(args)
    data, rows = csv_file(rows=args.rows)
    elapsed, status, _errors, persons, _households = run_import(app, tenant_id, data, args.poll)
    status = status if persons == rows else f"{status}, {persons} of {rows} persons"
    print(f"RSS {peak_rss_mb():.1f} {elapsed:.1f} {status}")


def memory_rows(args) -> bool:
    sizes = [int(n) for n in args.scale.split(",")]
    results = []
    for size in sizes:
        command = [sys.executable, __file__, "--memory-child", "--rows", str(size), "--poll", str(args.poll)]
        if args.database:
            command += ["--database", args.database]
        out = subprocess.run(command, capture_output=True, text=True, check=False)
        line = next((x for x in out.stdout.splitlines() if x.startswith("RSS ")), None)
        if line is None:
            print(out.stdout[-2000:], out.stderr[-3000:])
            results.append((size, float("inf"), 0.0, "crashed"))
            continue
        _rss, mb, seconds, status = line.split(" ", 3)
        results.append((size, float(mb), float(seconds), status))
        print(f"  {size:>7} rows: peak RSS {float(mb):.0f} MB, {float(seconds):.1f} s, {status}", flush=True)
    smallest = results[0][1]
    rows = [
        interleave.Row(
            f"import peak memory at {size:,} rows",
            mb,
            smallest,
            "MB",
            f"flat, ≤ {RSS_TARGET_MB:g} MB",
            status == "done" and mb <= RSS_TARGET_MB,
            note=f"{seconds:.0f} s; baseline: the {sizes[0]:,}-row import",
        )
        for size, mb, seconds, status in results
    ]
    return interleave.print_rows("Registry import memory", rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000, help="the file's households (no --rows)")
    parser.add_argument(
        "--rows", type=int, default=0, help="the file's rows (whole households, the last cut)"
    )
    parser.add_argument("--scale", default="", help="comma-separated row counts for the memory rows")
    parser.add_argument("--quick", action="store_true", help="300 households")
    parser.add_argument(
        "--database", default=None, help="SQLAlchemy URL (default: DATABASE_URL or /tmp SQLite)"
    )
    parser.add_argument("--poll", type=float, default=5.0, help="seconds between progress lines")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args)
        return 0
    if args.scale:
        return 0 if memory_rows(args) else 1
    return 0 if time_row(args) else 1


if __name__ == "__main__":
    sys.exit(main())
