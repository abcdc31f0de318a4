"""Create + submit a request through the API (token auth, in-process WSGI), one pair at a time:
the statements and the time of each pair, and optionally a cProfile of the whole run. The
load row's unit of work (``bench/load.py``) without the network and the other clients.

    .venv/bin/python bench/create_submit.py --pairs 200            # SQLite under /tmp
    .venv/bin/python bench/create_submit.py --pairs 200 --profile  # + the top of cProfile
    bash scripts/with-postgres.sh sh -c 'DATABASE_URL=$TEST_DATABASE_URL \
      DATABASE_OWNER_URL=$TEST_DATABASE_OWNER_URL .venv/bin/python bench/create_submit.py'

``--root DIR`` runs another checkout's code (e.g. ``git archive`` of the old commit unpacked
under /tmp) with this script, so the old and the new code can be run in turns.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_path(root: Path) -> None:
    # that checkout's ``bench/seed.py`` (which puts its own root first on the path)
    sys.path.insert(0, str(root / "bench"))
    sys.path.insert(0, str(root))


RESEARCHERS = 3  # the staff told of each submission (their inbox)


def prepare(app):
    from core.auth.models import User
    from core.auth.services import issue_token, set_roles
    from core.extensions import db
    from core.tenancy.services import create_tenant

    with app.app_context():
        tenant = create_tenant(
            {"slug": "bench", "name_ar": "جمعية القياس", "name_en": "Benchmark association"}
        )
        officer = User(email="officer@bench.example.org", name="officer", password_hash="!")
        db.session.add(officer)
        db.session.flush()
        set_roles(tenant, officer, ["relations_officer"])
        for n in range(RESEARCHERS):
            researcher = User(email=f"researcher{n}@bench.example.org", name=f"r{n}", password_hash="!")
            db.session.add(researcher)
            db.session.flush()
            set_roles(tenant, researcher, ["researcher"])
        _, secret = issue_token(officer)
        db.session.commit()
        db.session.remove()
    return secret


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--profile", action="store_true", help="print the top of cProfile (cumulative)")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--dump", type=Path, help="also write the profile's stats to this file")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose code runs")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    _import_path(args.root.resolve())

    import seed
    from sqlalchemy import event

    import core
    from core.extensions import db

    url = os.environ.get("DATABASE_URL") or seed.sqlite_url("create-submit")
    # The rate limiter on, as production runs it (make_bench_app turns it off for seeding).
    app = seed.make_bench_app(url, RATELIMIT_ENABLED=True)
    seed.fresh_database(app)
    secret = prepare(app)
    headers = {"Authorization": f"Bearer {secret}"}
    client = app.test_client()
    body = {"channel": "in_person", "applicant_name": "نورة محمد السبيعي", "applicant_phone": "0500000001"}
    signed = {"declaration": True, "signed_by": "نورة محمد السبيعي"}
    counted = [0]

    def count(*_args):
        counted[0] += 1

    def pair() -> None:
        created = client.post("/t/bench/api/v1/requests/", json=body, headers=headers)
        assert created.status_code == 201, created.get_data(as_text=True)
        request_id = created.get_json()["id"]
        submitted = client.post(f"/t/bench/api/v1/requests/{request_id}/submit", json=signed, headers=headers)
        assert submitted.status_code == 200, submitted.get_data(as_text=True)

    with app.app_context():
        engine = db.engine
    for _ in range(args.warmup):
        pair()
    event.listen(engine, "before_cursor_execute", count)
    times = []
    cpu_started = time.process_time()
    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    for _ in range(args.pairs):
        started = time.perf_counter()
        pair()
        times.append(time.perf_counter() - started)
    cpu = (time.process_time() - cpu_started) / args.pairs
    if profiler:
        profiler.disable()
    event.remove(engine, "before_cursor_execute", count)
    load = os.getloadavg()[0]
    times.sort()
    print(
        f"{args.label or args.root.name} ({Path(core.__file__).parent.parent}) [{engine.dialect.name}] {args.pairs} pairs: "
        f"{counted[0] / args.pairs:.1f} statements/pair, median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.1f} ms, CPU {cpu * 1000:.1f} ms/pair, load {load:.1f}"
        + (" (profiled)" if profiler else "")
    )
    if profiler:
        if args.dump:
            profiler.dump_stats(args.dump)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
