"""Request numbers under concurrent submissions: unique, gap-free, and how many per second.

N threads, each in its own app context, each creating and submitting M requests through
``core.requests.services`` (one commit per submission, as a page does). Every
``--rollback-every``-th submission is rolled back after taking its number: the numbers
must still come out as exactly 1..K for the K committed submissions.

Runs against a fresh SQLite file and, when DATABASE_URL points at PostgreSQL, against it too.

    .venv/bin/python bench/request_numbers.py --threads 8 --each 50
    .venv/bin/python bench/request_numbers.py --quick

Exit 1 on any error, duplicate or gap.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time

import seed

from core.auth.models import User
from core.auth.services import set_roles
from core.extensions import db
from core.requests import services
from core.requests.models import AidRequest
from core.tenancy import Tenant, tenant_context
from core.tenancy.services import create_tenant


def prepare(app) -> tuple[int, int]:
    with app.app_context():
        tenant = create_tenant(
            {"slug": "bench", "name_ar": "جمعية القياس", "name_en": "Benchmark association"}
        )
        # Never logs in: no need to pay for an argon2 hash.
        officer = User(email="officer@bench.example.org", name="officer", password_hash="!")
        db.session.add(officer)
        db.session.flush()
        set_roles(tenant, officer, ["relations_officer"])
        db.session.commit()
        ids = tenant.id, officer.id
        db.session.remove()
    return ids


def run(app, threads: int, each: int, rollback_every: int) -> bool:
    tenant_id, officer_id = prepare(app)
    errors: list[BaseException] = []
    latencies: list[float] = []
    committed = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def writer(index: int) -> None:
        mine, done = [], 0
        try:
            with app.app_context():
                barrier.wait()
                for i in range(each):
                    start = time.perf_counter()
                    with tenant_context(db.session.get(Tenant, tenant_id)):
                        officer = db.session.get(User, officer_id)
                        request = services.create_request(
                            {"channel": "phone", "applicant_name": f"متقدم {index}-{i}"}, officer
                        )
                        services.submit(request, officer, declaration_signed_by="متقدم")
                        if rollback_every and (index * each + i) % rollback_every == rollback_every - 1:
                            db.session.rollback()
                        else:
                            db.session.commit()
                            done += 1
                    mine.append(time.perf_counter() - start)
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        with lock:
            latencies.extend(mine)
            committed[0] += done

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started

    with app.app_context():
        with tenant_context(db.session.get(Tenant, tenant_id)):
            seqs = sorted(
                db.session.scalars(db.select(AidRequest.number_seq).where(AidRequest.number_seq.is_not(None)))
            )
            numbers = set(
                db.session.scalars(db.select(AidRequest.number).where(AidRequest.number.is_not(None)))
            )
        db.session.remove()
    unique = len(numbers) == len(seqs)
    gap_free = seqs == list(range(1, committed[0] + 1))
    print(
        f"  {threads} threads x {each} submissions ({threads * each - committed[0]} rolled back): "
        f"{committed[0]} committed in {elapsed:.2f} s = {threads * each / elapsed:.0f} submissions/s; "
        f"latency median {statistics.median(latencies or [0]) * 1000:.1f} ms, "
        f"max {max(latencies or [0]) * 1000:.0f} ms"
    )
    print(
        f"  numbers 1..{seqs[-1] if seqs else 0}: unique={unique} gap_free={gap_free} errors={len(errors)}"
        + (f" first error: {errors[0]!r}" if errors else "")
    )
    return unique and gap_free and not errors and len(seqs) == committed[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--each", type=int, default=50, help="submissions per thread")
    parser.add_argument(
        "--rollback-every", type=int, default=10, help="roll back every k-th submission (0: none)"
    )
    parser.add_argument("--quick", action="store_true", help="4 threads x 10 submissions")
    args = parser.parse_args()
    threads, each = (4, 10) if args.quick else (args.threads, args.each)

    env = os.environ.get("DATABASE_URL", "")
    urls = [seed.sqlite_url("numbers")] + ([env] if seed.is_postgres(env) else [])
    ok = True
    for url in urls:
        app = seed.make_bench_app(url)
        seed.fresh_database(app)
        print(f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}:")
        passed = run(app, threads, each, args.rollback_every)
        with app.app_context():
            db.engine.dispose()
        ok &= passed
    print("OK: unique and gap-free" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
