"""Tenant hook dispatch: ``tenant_hooks().<hook>(...)`` in a request against pluggy's own cached
``pm.subset_hook_caller`` for the same enabled set — 10 installed plugins, 4 enabled.

    .venv/bin/python bench/dispatch.py            # --quick: fewer calls

Exits 1 when the ratio is over its target (1.3×).
"""

from __future__ import annotations

import argparse
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import interleave  # noqa: E402
import seed  # noqa: E402

from core.extensions import db  # noqa: E402
from core.hookspecs import hookimpl  # noqa: E402
from core.plugins import PluginMeta, get_host, tenant_hooks  # noqa: E402
from core.tenancy import PluginEnablement, set_current_tenant  # noqa: E402
from core.tenancy.services import create_tenant  # noqa: E402

TARGET = 1.3
PLUGINS = 10
ENABLED = 4


def synthetic_plugin(n: int) -> types.ModuleType:
    """An installed plugin implementing one tenant hook (cheap, so dispatch is what is timed)."""
    module = types.ModuleType(f"bench_plugin_{n}")
    module.PLUGIN = PluginMeta(
        id=f"bench_plugin_{n}", name_ar=f"إضافة {n}", name_en=f"Plugin {n}", version="1"
    )

    @hookimpl
    def grievance_decided(grievance):
        return None

    module.grievance_decided = grievance_decided
    return module


def build(url: str):
    app = seed.make_bench_app(url, CHARITY_PLUGINS=[])
    seed.fresh_database(app)
    host = get_host(app)
    for n in range(PLUGINS):
        host.add(synthetic_plugin(n))
    with app.app_context():
        tenant = create_tenant(
            {"slug": "bench", "name_ar": "جمعية القياس", "name_en": "Benchmark association"}
        )
        db.session.commit()
        set_current_tenant(tenant)
        for n in range(ENABLED):
            db.session.add(PluginEnablement(plugin_id=f"bench_plugin_{n * 2}", enabled=True, settings={}))
        db.session.commit()
        tenant_id = tenant.id
    return app, tenant_id


def run(app, tenant_id: int, calls: int, rounds: int) -> interleave.Row:
    host = get_host(app)
    from core.tenancy import Tenant  # lazy: the model needs the app built above

    with app.test_request_context("/"):
        set_current_tenant(db.session.get(Tenant, tenant_id))
        enabled = {f"bench_plugin_{n * 2}" for n in range(ENABLED)}
        excluded = [p.module for pid, p in host.plugins.items() if pid not in enabled]
        cached = host.pm.subset_hook_caller("grievance_decided", remove_plugins=excluded)

        def candidate():
            tenant_hooks().grievance_decided(grievance=None)

        def baseline():
            cached(grievance=None)

        assert list(tenant_hooks().grievance_decided(grievance=None)) == list(
            baseline() or cached(grievance=None)
        )
        cand, base = interleave.side_by_side(candidate, baseline, calls=calls, rounds=rounds)
    c, b = interleave.median(cand) * 1e6, interleave.median(base) * 1e6
    return interleave.Row(
        f"tenant hook dispatch, {PLUGINS} plugins, {ENABLED} enabled",
        c,
        b,
        "µs",
        f"≤ {TARGET}×",
        c / b <= TARGET,
        note="per call",
    )


def rows(quick: bool = False) -> list[interleave.Row]:
    app, tenant_id = build(seed.sqlite_url("dispatch"))
    return [run(app, tenant_id, calls=2000 if quick else 20000, rounds=5 if quick else 9)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    return 0 if interleave.print_rows("Dispatch", rows(args.quick)) else 1


if __name__ == "__main__":
    sys.exit(main())
