"""Schemathesis against a served app: the OpenAPI document must match what the server does.

``make test`` runs this through ``tests/test_api_fuzz.py`` (on the suite's own migrated
database, SQLite and PostgreSQL). Run it alone with::

    .venv/bin/python scripts/api_fuzz.py            # a throwaway SQLite database
    .venv/bin/python scripts/api_fuzz.py --max-examples 50

It serves the real application over HTTP on 127.0.0.1 (a free port), seeds a tenant with
every plugin enabled and their demo data, a user holding every role (and platform admin)
with a bearer token, then runs ``schemathesis run --checks all`` authenticated with that
token. The checks switched off, and why, are in ``scripts/schemathesis.toml``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "scripts" / "schemathesis.toml"
SLUG = "fuzz"
EMAIL = "fuzz@example.org"
PASSWORD = "correct-horse-battery"
# Cases per operation in the fuzzing phase: with the coverage phase's deterministic cases (bounds,
# nulls, wrong types for every parameter) and the stateful phase, the 119 operations get several
# thousand cases in total (the test asserts at least 1,000).
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_MAX_EXAMPLES", "5"))

# The served app is the production configuration with two adjustments, each for the fuzzer:
# - the login limit is high: schemathesis posts hundreds of bodies to /api/v1/auth/token and
#   expects the documented 200/401/422, not the throttle's 429 (which tests/test_auth.py covers);
# - the dummy test plugin is not loaded (it is not part of the product's API).
SERVED_CONFIG = {
    "TESTING": False,
    "LOGIN_RATE_LIMIT": "100000 per minute",
    "RATELIMIT_ENABLED": True,
    "SECRET_KEY": "api-fuzz-secret-key-not-for-production",
}


def seed(app) -> str:
    """A tenant with every plugin and its demo data; a user with every role. Returns a bearer token."""
    from core.auth.models import TENANT_ROLES
    from core.auth.services import create_user, find_user, issue_token, set_roles
    from core.extensions import db
    from core.plugins import get_host, set_plugin_state, tenant_hooks
    from core.tenancy import tenant_context
    from core.tenancy.services import create_tenant, get_tenant

    with app.app_context():
        tenant = get_tenant(SLUG) or create_tenant(
            {"slug": SLUG, "name_ar": "جمعية الاختبار", "name_en": "Fuzz Association"}
        )
        db.session.commit()
        user = find_user(EMAIL) or create_user(
            {"email": EMAIL, "password": PASSWORD, "name": "Fuzz", "is_platform_admin": True}
        )
        set_roles(tenant, user, list(TENANT_ROLES))
        db.session.commit()
        # The demo data of the core and of makkah_aid (the demos of two associations share their
        # national IDs, so one tenant holds one of them), then every plugin on: the fuzzer reaches
        # every plugin's API under one tenant.
        plugin_ids = sorted(get_host().plugins)
        set_plugin_state(tenant, "makkah_aid", True, {})
        db.session.commit()
        with tenant_context(tenant):
            tenant_hooks().load_demo_data(tenant=tenant)
        db.session.commit()
        for plugin_id in plugin_ids:
            set_plugin_state(tenant, plugin_id, True, {})
        db.session.commit()
        _token, secret = issue_token(user, name="api-fuzz")
        db.session.commit()
        db.session.remove()
        return secret


@contextmanager
def served(app):
    """Serve ``app`` over HTTP on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def excluded_checks() -> list[str]:
    """Checks switched off in scripts/schemathesis.toml (each with its reason written there).

    ``--checks all`` on the command line wins over the file, so they are passed as ``--exclude-checks``.
    """
    with CONFIG.open("rb") as file:
        checks = tomllib.load(file).get("checks", {})
    return sorted(name for name, setting in checks.items() if setting.get("enabled") is False)


def run_schemathesis(base_url: str, token: str, max_examples: int = MAX_EXAMPLES, extra=()) -> tuple:
    """Run the CLI; returns (exit code, output, seconds)."""
    excluded = excluded_checks()
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(CONFIG),
        "run",
        f"{base_url}/api/v1/openapi.json",
        "--url",
        base_url,
        "--checks",
        "all",
        *(["--exclude-checks", ",".join(excluded)] if excluded else []),
        "--max-examples",
        str(max_examples),
        "--header",
        f"Authorization: Bearer {token}",
        "--workers",
        "1",
        "--seed",
        os.environ.get("API_FUZZ_SEED", "20261130"),
        "--no-color",
        *extra,
    ]
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:  # schemathesis keeps a crash cache in its cwd
        result = subprocess.run(command, capture_output=True, text=True, cwd=scratch, timeout=1200)
    return result.returncode, result.stdout + result.stderr, time.monotonic() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--max-examples", type=int, default=MAX_EXAMPLES)
    args, extra = parser.parse_known_args(argv)
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from core import create_app

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/fuzz.sqlite3"
        app = create_app({**SERVED_CONFIG, "SQLALCHEMY_DATABASE_URI": url, "STORAGE_DIR": f"{tmp}/storage"})
        with app.app_context():
            upgrade(revision="heads")
        token = seed(app)
        with served(app) as base_url:
            code, output, seconds = run_schemathesis(base_url, token, args.max_examples, extra)
        print(output)
        print(f"schemathesis exit code {code} in {seconds:.0f} s")
        return code


if __name__ == "__main__":
    sys.exit(main())
