"""200 clients for 60 s against the production serving setup: create + submit aid requests.

A bounded load run (issue 19) that sets everything up itself and stops by itself:

1. a fresh database (PostgreSQL from ``DATABASE_URL`` / ``DATABASE_OWNER_URL`` — run it under
   ``scripts/with-postgres.sh``, as ``make bench-load`` does — migrated by the owner role, the
   app role under Row-Level Security);
2. ``--tenants`` associations and one relations officer per client (its own e-mail and
   password, spread over the associations round-robin);
3. gunicorn with ``gunicorn.conf.py`` (the production file, ``CHARITY_ENV=production`` and
   production keys) on 127.0.0.1, ``--worker-class``/``--workers``/``--threads`` as chosen
   below, behind a simulated reverse proxy: ``TRUSTED_PROXIES=1`` and each client sends its
   own ``X-Forwarded-For`` and ``X-Forwarded-Proto: https``, as nginx would. The rate limits
   keep their production values (login 10 per minute per address and per account; each
   client logs in once from its own address) — nothing is raised for the load;
4. locust headless (``bench/load_locustfile.py``): every client logs in — even clients
   through the login form (CSRF token of the page, session cookie, ``X-CSRFToken`` on the
   API), odd clients through ``POST /api/v1/auth/token`` (bearer token) — then, once all are
   logged in, the measured window of ``--seconds`` starts: each client creates a request
   (``POST /t/<slug>/api/v1/requests/``) and submits it (``POST …/<id>/submit``), waits
   ``--wait`` seconds (uniform, 5–15 s by default: ~20 create+submit a second from 200
   clients, 72,000 an hour — far above any association's day) and again; one extra probe client reads
   a request (``GET …/requests/<id>``) every half second;
5. after the window: p95 of create+submit (the two calls together, as the person waits for
   both) and of the probe, errors, and the request numbers read back from the database:
   unique and exactly 1..K per association.

Exit 1 when a target is missed (p95 > 1 s for either, any error, a duplicate or a gap).

    bash scripts/with-postgres.sh .venv/bin/python bench/load.py          # make bench-load
    bash scripts/with-postgres.sh .venv/bin/python bench/load.py --quick  # 20 clients, 10 s
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import seed  # noqa: E402

PASSWORD = "load-Bench-pass-2026!"  # noqa: S105 - synthetic clients of a throwaway database
BIN = Path(sys.executable).parent


def production_environment(url: str, owner: str, storage: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "CHARITY_"))}
    env.update(
        CHARITY_ENV="production",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=url,
        DATABASE_OWNER_URL=owner,
        SECRET_KEY="bench-load-" + "s" * 40,
        ID_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ID_HMAC_KEY="bench-load-hmac-" + "h" * 32,
        RLS_KEY="bench-load-rls-" + "r" * 32,
        AUDIT_HMAC_KEY="bench-load-audit-" + "a" * 32,
        PUBLIC_URL="https://127.0.0.1",
        STORAGE_DIR=storage,
        TRUSTED_PROXIES="1",
        JOBS_RUNNER="inprocess",
        GUNICORN_ACCESS_LOG=str(Path(storage).parent / "access.log"),  # as in production, to a file
        GUNICORN_LOG_LEVEL="warning",
    )
    return env


def prepare(env: dict[str, str], clients: int, tenants: int) -> list[dict]:
    """Fresh database, ``tenants`` associations, one relations officer per client."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        app = seed.make_bench_app(env["DATABASE_URL"], RATELIMIT_ENABLED=True)
        seed.fresh_database(app)
        from core.auth.models import User, hash_password
        from core.auth.services import set_roles
        from core.extensions import db
        from core.tenancy.services import create_tenant

        accounts = []
        with app.app_context():
            hashed = hash_password(PASSWORD)  # one hash for all: seeding is not what is measured
            made = [
                create_tenant(
                    {"slug": f"load{n}", "name_ar": f"جمعية الحمل {n}", "name_en": f"Load association {n}"}
                )
                for n in range(tenants)
            ]
            for n in range(clients):
                tenant = made[n % tenants]
                user = User(email=f"officer{n}@load.example.org", name=f"موظف {n}", password_hash=hashed)
                db.session.add(user)
                db.session.flush()
                set_roles(tenant, user, ["relations_officer"])
                accounts.append({"email": user.email, "slug": tenant.slug})
            db.session.commit()
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return accounts


def check_numbers(env: dict[str, str], tenants: int) -> list[str]:
    """Request numbers of every association, read in its context (Row-Level Security): unique and
    exactly 1..K. Problems found."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        app = seed.make_bench_app(env["DATABASE_URL"])
        from core.extensions import db
        from core.requests.models import AidRequest
        from core.tenancy import Tenant, tenant_context

        problems, summary, reached = [], [], 0
        with app.app_context():
            for tenant in db.session.scalars(db.select(Tenant).order_by(Tenant.slug)).all():
                with tenant_context(tenant):
                    rows = db.session.execute(
                        db.select(AidRequest.number_seq, AidRequest.number).where(
                            AidRequest.number.is_not(None)
                        )
                    ).all()
                seqs = sorted(seq for seq, _ in rows)
                unique = len({number for _, number in rows}) == len(rows)
                gap_free = seqs == list(range(1, len(seqs) + 1))
                reached += bool(seqs)
                summary.append(f"{tenant.slug} 1..{len(seqs)} unique={unique} gap_free={gap_free}")
                if not (unique and gap_free):
                    problems.append(f"{tenant.slug}: numbers not unique and gap-free")
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    print(f"  numbers per association: {'; '.join(summary)}")
    if reached != tenants:
        problems.append(f"submissions reached {reached} of {tenants} associations")
    return problems


def wait_up(port: int, server: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on {port}:\n{log.read_text()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--tenants", type=int, default=4)
    parser.add_argument("--wait", default="5,15", help="seconds between a client's submissions: min,max")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_LOAD_PORT", "5117")))
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--workers", type=int, default=2)  # one per core of this machine
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--spawn-rate", type=float, default=10, help="clients starting (logging in) per second"
    )
    parser.add_argument("--quick", action="store_true", help="20 clients for 10 s (a smoke run)")
    args = parser.parse_args()
    if args.quick:
        args.clients, args.seconds = 20, 10
    url, owner = os.environ.get("DATABASE_URL", ""), os.environ.get("DATABASE_OWNER_URL", "")
    if not (seed.is_postgres(url) and owner):
        print("needs PostgreSQL: bash scripts/with-postgres.sh sh -c 'DATABASE_URL=$TEST_DATABASE_URL ")
        print(
            "  DATABASE_OWNER_URL=$TEST_DATABASE_OWNER_URL .venv/bin/python bench/load.py' (make bench-load)"
        )
        return 2

    work = Path(tempfile.mkdtemp(prefix="charity-load-"))
    env = production_environment(url, owner, str(work / "storage"))
    started = time.monotonic()
    accounts = prepare(env, args.clients, args.tenants)
    (work / "accounts.json").write_text(json.dumps(accounts))
    print(
        f"load: {args.clients} clients + 1 probe, {args.seconds} s, {args.tenants} associations; gunicorn "
        f"{args.worker_class} x{args.workers} workers x{args.threads} threads on 127.0.0.1:{args.port}; "
        f"prepared in {time.monotonic() - started:.0f} s; {os.getloadavg()[0]:.1f} load average"
    )
    log = work / "gunicorn.log"
    command = [
        str(BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{args.port}",
        "--worker-class", args.worker_class, "--workers", str(args.workers), "--threads", str(args.threads),
        "wsgi:app",
    ]  # fmt: skip
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_up(args.port, server, log)
        low, high = (float(x) for x in args.wait.split(","))
        results = work / "results.json"
        locust_env = {
            **os.environ,
            "LOAD_ACCOUNTS": str(work / "accounts.json"),
            "LOAD_PASSWORD": PASSWORD,
            "LOAD_SECONDS": str(args.seconds),
            "LOAD_WAIT": f"{low},{high}",
            "LOAD_RESULTS": str(results),
        }
        locust = subprocess.run(
            [
                str(BIN / "locust"), "-f", str(HERE / "load_locustfile.py"), "--headless", "--only-summary",
                "--users", str(args.clients + 1), "--spawn-rate", str(args.spawn_rate), "--host", f"http://127.0.0.1:{args.port}",
                # A ceiling only: the locustfile stops the run after the measured window.
                "--run-time", f"{args.seconds + 900}s", "--stop-timeout", "30", "--loglevel", "WARNING",
            ],
            cwd=ROOT, env=locust_env, timeout=args.seconds + 1000,
        )  # fmt: skip
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(40)
        except subprocess.TimeoutExpired:
            server.kill()
    if not results.exists():
        print(f"locust exited {locust.returncode} without results; gunicorn log:\n{log.read_text()[-3000:]}")
        return 1
    figures = json.loads(results.read_text())
    problems = list(figures["problems"]) + check_numbers(env, args.tenants)
    for line in figures["lines"]:
        print("  " + line)
    print(f"  {os.getloadavg()[0]:.1f} load average at the end; gunicorn log: {log}")
    errors = [line for line in log.read_text().splitlines() if "Traceback" in line or "[ERROR]" in line]
    if errors:
        problems.append(f"{len(errors)} errors in the gunicorn log")
    print("  result: " + ("targets met" if not problems else "NOT met: " + "; ".join(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
