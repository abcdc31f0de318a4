"""Tenancy on the web (core/tenancy/web.py) and a side-effect-free import of core.

A request's tenant comes from its URL or, where the URL names none, from the host names a tenant
lists in ``hosts`` (the one host → tenant source); per-request state is forgotten at teardown;
SQLAlchemy listeners are installed by ``create_app``, once per app, never by an import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from flask import g
from marshmallow import ValidationError
from sqlalchemy import event, text

from core.auth.models import Membership
from core.config import ConfigError, from_environment
from core.extensions import _sqlite_pragmas, db
from core.tenancy import TenantRequired, rls, scoping, tenant_context
from core.tenancy.services import create_tenant as create_tenant_service
from core.tenancy.services import tenant_for_host, update_tenant
from core.tenancy.web import REQUEST_STATE, forget_after_request, host_tenant, page_path, page_url
from core.testing.app import make_app

HOSTED = "http://hosted.example.org"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SESSION_LISTENERS = [
    ("do_orm_execute", scoping._scope_statement),
    ("before_flush", scoping._stamp_new_objects),
    ("after_begin", rls._set_for_transaction),
    ("do_orm_execute", rls._refresh_loaded_objects),
]


# --------------------------------------------------------------------------- host → tenant


def test_the_root_of_a_tenants_host_is_its_home_page(client, create_tenant):
    create_tenant("hosted", hosts=["hosted.example.org"])
    response = client.get("/", base_url=HOSTED)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/t/hosted/")
    assert client.get("/", base_url="http://elsewhere.example.org").headers["Location"].startswith("/login")


def test_platform_pages_on_a_tenants_host_stay_platform_pages(
    client, create_tenant, tenant, create_user_, token_for
):
    hosted = create_tenant("hosted", hosts=["hosted.example.org"], name_en="Hosted Association")
    member_elsewhere = create_user_(roles={tenant: ["researcher"]})
    response = client.get("/api/v1/me", base_url=HOSTED, headers=token_for(member_elsewhere))
    assert response.status_code == 200  # not judged as a member of the host's association
    assert [m["tenant"] for m in response.json["memberships"]] == ["first"]
    page = client.get("/login?lang=en", base_url=HOSTED).get_data(as_text=True)
    assert hosted.name_en not in page


def test_the_tenant_in_the_url_wins_over_the_host(client, create_tenant, tenant, create_user_, token_for):
    hosted = create_tenant("hosted", hosts=["hosted.example.org"])
    admin = create_user_(roles={tenant: ["tenant_admin"], hosted: ["tenant_admin"]}, email="both@example.org")
    create_user_(roles={hosted: ["researcher"]}, email="hosted-only@example.org")
    response = client.get("/t/first/api/v1/members/", base_url=HOSTED, headers=token_for(admin))
    assert response.status_code == 200
    assert [member["user"]["email"] for member in response.json] == [admin.email]


def test_an_inactive_tenants_host_is_not_served(client, create_tenant):
    hosted = create_tenant("hosted", hosts=["hosted.example.org"])
    update_tenant(hosted, {"is_active": False})
    db.session.commit()
    response = client.get("/", base_url=HOSTED)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_a_host_name_belongs_to_one_tenant_even_an_inactive_one(app_ctx, create_tenant):
    hosted = create_tenant("hosted", hosts=["hosted.example.org"])
    update_tenant(hosted, {"is_active": False})
    db.session.commit()
    with pytest.raises(ValidationError) as raised:
        create_tenant_service(
            {"slug": "copy", "name_ar": "نسخة", "name_en": "Copy", "hosts": ["hosted.example.org"]}
        )
    assert "hosts" in raised.value.messages
    db.session.rollback()


@pytest.mark.parametrize("host", ["HOSTED.example.org", "hosted.example.org"])
def test_host_lookup_ignores_case_and_needs_the_whole_name(app_ctx, create_tenant, host):
    hosted = create_tenant("hosted", hosts=["hosted.example.org", "hosted.example.org:8443"])
    assert tenant_for_host(host) == hosted
    assert tenant_for_host("hosted.example.org:8443") == hosted
    for near_miss in ("osted.example.org", "hosted.example", "hosted_example.org", "%", '"', ""):
        assert tenant_for_host(near_miss) is None


def test_the_host_is_looked_up_once_per_request(app, create_tenant, query_counter):
    hosted = create_tenant("hosted", hosts=["hosted.example.org"])
    with app.test_request_context("/login", base_url=HOSTED):
        with query_counter() as queries:
            assert host_tenant() == hosted
            assert host_tenant() == hosted
        assert queries.count == 1


def test_only_the_root_page_looks_up_the_host(client, create_tenant, query_counter):
    create_tenant("hosted", hosts=["hosted.example.org"])
    with query_counter() as queries:
        assert client.get("/healthz", base_url=HOSTED).status_code == 200
    assert [" ".join(sql.split()) for sql in queries.statements] == ["SELECT 1"]


def test_a_page_path_is_the_same_in_a_request_and_outside_one(app, tenant):
    """A job or a command links a notification to a page as a request would (``url_for``)."""
    with app.app_context(), tenant_context(tenant):
        outside = page_path("requests.view", request_id=7)
        with app.test_request_context("/"):
            inside = page_path("requests.view", request_id=7)
    assert outside == inside == "/t/first/requests/7"
    with app.app_context(), pytest.raises(TenantRequired):
        page_path("requests.view", request_id=7)


def test_a_page_url_outside_a_request_is_on_the_tenants_host_or_the_platforms_address(
    app, tenant, create_tenant
):
    """What an SMS sent by a background job carries: never a host no one can reach."""
    hosted = create_tenant("hosted", hosts=["hosted.example.org", "www.hosted.example.org"])
    with app.app_context():
        with tenant_context(tenant):
            assert page_url("requests.view", request_id=7) == "https://localhost/t/first/requests/7"
            with app.test_request_context("/", base_url="https://first.example.net"):
                assert (
                    page_url("requests.view", request_id=7) == "https://first.example.net/t/first/requests/7"
                )
        with tenant_context(hosted):
            assert page_url("requests.view", request_id=7) == "https://hosted.example.org/t/hosted/requests/7"
        assert page_url("platform_admin.tenants") == "https://localhost/admin/"  # a platform page


def test_tenant_hosts_setting_is_refused_with_directions():
    with pytest.raises(ConfigError, match="hosts"):
        from_environment({"TENANT_HOSTS": "hosted.example.org=hosted"})


# --------------------------------------------------------------------------- request state


def test_every_features_request_state_is_forgotten_after_a_request(database_url):
    application = make_app(database_url)
    forget_after_request(application, "_probe")
    assert {
        "_tenant",
        "_tenant_id",
        "_tenancy_unscoped",
        "_unknown_tenant",
        "_host_tenant",
        "_enabled_plugins",
        "_plugin_settings",
        "_roles_cache",
        "_login_user",
        "csrf_token",
        "_flask_babel",
        "_probe",
    } <= application.extensions[REQUEST_STATE]
    client = application.test_client()
    with application.app_context():  # reused by the request, as the tests' contexts are
        g._probe = "left over"
        assert client.get("/healthz").status_code == 200
        assert "_probe" not in g
        assert "_host_tenant" not in g


# --------------------------------------------------------------------------- listeners


def _session_listeners(name: str) -> list:
    return list(getattr(db.session().dispatch, name))


def test_building_another_app_stacks_no_listener_and_scoping_works_in_both(
    app, database_url, tenant, other_tenant, create_user_
):
    create_user_(roles={tenant: ["researcher"]})
    second = make_app(database_url)
    for application in (app, second):
        with application.app_context():
            for name, listener in SESSION_LISTENERS:
                assert event.contains(db.session, name, listener)
                assert _session_listeners(name).count(listener) == 1
            if db.engine.dialect.name == "sqlite":
                assert event.contains(db.engine, "connect", _sqlite_pragmas)
                assert list(db.engine.pool.dispatch.connect).count(_sqlite_pragmas) == 1
                assert db.session.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            with pytest.raises(TenantRequired):
                db.session.execute(db.select(Membership)).scalars().all()
            db.session.rollback()
            with tenant_context(other_tenant):
                assert db.session.execute(db.select(Membership)).scalars().all() == []
            with tenant_context(tenant):
                assert len(db.session.execute(db.select(Membership)).scalars().all()) == 1
            db.session.remove()


_IMPORT_THEN_CREATE = """
import importlib, json, pkgutil, sys

from sqlalchemy.event import registry


def ours():
    found = set()
    for key, listeners in list(registry._key_to_collection.items()):
        for ref in listeners.values():
            fn = ref()
            module = getattr(fn, "__module__", None) or ""
            if module.split(".")[0] in ("core", "plugins"):
                found.add(f"{key[1]}: {module}.{fn.__qualname__}")
    return sorted(found)


import core
import core.extensions

for info in pkgutil.walk_packages(core.__path__, "core."):
    # core.testing is the pytest plugin; core.jobs.celery_app is the worker's entry point (builds an app).
    if not info.name.startswith(("core.testing", "core.jobs.celery_app")):
        importlib.import_module(info.name)
after_import = ours()
core.create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1]})
print(json.dumps({"import": after_import, "create_app": ours()}))
"""


def test_importing_core_installs_no_listener_and_create_app_does(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("CHARITY_ENV", "FLASK_ENV")}
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_THEN_CREATE, f"sqlite:///{tmp_path / 'fresh.sqlite3'}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    # SQLAlchemy's own listeners (naming conventions, mapper set-up) are not ours.
    assert found["import"] == []
    assert {
        "connect: core.extensions._sqlite_pragmas",
        "do_orm_execute: core.tenancy.scoping._scope_statement",
        "before_flush: core.tenancy.scoping._stamp_new_objects",
        "after_begin: core.tenancy.rls._set_for_transaction",
        "do_orm_execute: core.tenancy.rls._refresh_loaded_objects",
    } <= set(found["create_app"])
    assert any(name.endswith("._refuse_bulk") for name in found["create_app"])  # the audit guards
