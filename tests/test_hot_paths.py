"""Issue 19's hot paths, held by statement and call counts (never timings; those are in bench/):
hook dispatch, the tenant setting of Row-Level Security, permission checks, the request detail."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from core.auth import permissions
from core.extensions import db
from core.plugins import get_host, set_plugin_state, tenant_hooks
from core.tenancy import tenant_context

# --------------------------------------------------------------------------- dispatch


def test_the_relay_of_an_enabled_set_is_built_once_and_its_callers_kept(app_ctx, monkeypatch):
    host = get_host()
    built = []
    original = host.pm.subset_hook_caller

    def counting(name, remove_plugins):
        built.append(name)
        return original(name, remove_plugins=remove_plugins)

    monkeypatch.setattr(host.pm, "subset_hook_caller", counting)
    relay = host.relay_for(frozenset())
    assert host.relay_for(frozenset()) is relay
    first = relay.register_permissions
    assert relay.register_permissions is first
    assert host.relay_for(frozenset()).register_permissions is first
    assert built.count("register_permissions") <= 1


def test_tenant_hooks_reads_the_enablements_once_per_request(app, tenant, max_queries):
    with app.test_request_context("/"), tenant_context(tenant):
        with max_queries(1) as captured:
            relays = {id(tenant_hooks()) for _ in range(50)}
        assert captured.count == 1 and len(relays) == 1


def test_enabling_a_plugin_reaches_the_relay_in_the_same_request_without_restart(app, tenant):
    with app.test_request_context("/"), tenant_context(tenant):
        before = tenant_hooks()
        set_plugin_state(tenant, "dummy", True)
        after = tenant_hooks()
        assert after is not before
        endpoints = [
            i.endpoint for group in after.register_nav_items(tenant=tenant, user=None) for i in group
        ]
        assert "dummy.index" in endpoints
        set_plugin_state(tenant, "dummy", False)
        assert tenant_hooks() is before  # the set seen before: its relay, built once, again
        db.session.rollback()


# --------------------------------------------------------------------------- permissions


def test_a_requests_permission_checks_enter_no_tenant_context_and_read_roles_once(
    app, tenant, staff, monkeypatch, max_queries
):
    entered = []
    original = permissions.tenant_context

    def counting(t):
        entered.append(t.id)
        return original(t)

    monkeypatch.setattr(permissions, "tenant_context", counting)
    user = staff["researcher"]
    with app.test_request_context("/"), tenant_context(tenant):
        permissions.forget_roles_cache()
        assert user.id and tenant.id  # loaded: the fixtures' commit expired them
        with max_queries(2) as captured:  # the membership, the enabled plugins
            results = [permissions.can(user, "requests.view") for _ in range(20)]
        assert all(results)
        assert captured.count <= 2
        assert entered == []


def test_a_role_change_is_seen_by_the_next_check(app, tenant, make_member):
    user = make_member("changing@first.example.org", tenant, ["researcher"])
    with app.test_request_context("/"), tenant_context(tenant):
        assert not permissions.can(user, "tenant.users.manage")
        from core.auth.models import Membership  # lazy: only this test changes a role

        membership = db.session.execute(
            db.select(Membership).where(Membership.user_id == user.id)
        ).scalar_one()
        membership.roles = ["tenant_admin"]
        db.session.flush()
        permissions.forget_roles_cache()
        assert permissions.can(user, "tenant.users.manage")
        db.session.rollback()


# --------------------------------------------------------------------------- request detail


def test_the_steps_a_user_may_take_look_up_roles_and_table_once_and_answer_as_can(
    app, tenant, staff, new_request, monkeypatch
):
    from core.requests import workflow

    request = new_request()
    db.session.commit()
    looked_up = []
    original = permissions._action_table

    def counting():
        looked_up.append(1)
        return original()

    monkeypatch.setattr(permissions, "_action_table", counting)
    with app.test_request_context("/"), tenant_context(tenant):
        for user in [*staff.values(), None]:
            for state in workflow.STATES:
                request.state = state
                looked_up.clear()
                found = workflow.available_actions(request, user)
                assert len(looked_up) <= 1
                expected = [
                    t
                    for t in workflow.transitions().values()
                    if state in t.sources
                    and (
                        permissions.can(user, t.permission)
                        or bool(
                            t.own_permission
                            and workflow.is_own(request, user)
                            and permissions.can(user, t.own_permission)
                        )
                    )
                ]
                assert found == expected, (user and user.email, state)
        db.session.rollback()


# Was 6 (tenant, token, user, roles, enabled plugins, the request with its events): the first five
# are one statement (core.auth.request_facts), on PostgreSQL too once the process knows the slug.
DETAIL_BUDGET = 2


def test_the_request_detail_api_sends_a_bounded_number_of_statements(
    app, client, staff, new_request, token_for, max_queries
):
    request = new_request()
    db.session.commit()
    headers = token_for(staff["researcher"])
    client.get(f"/t/first/api/v1/requests/{request.id}", headers=headers)  # warm: the app's caches
    request_id = request.id
    db.session.expunge_all()  # nothing left in the test's session: the request reads what it needs
    with max_queries(DETAIL_BUDGET) as captured:
        response = client.get(f"/t/first/api/v1/requests/{request_id}", headers=headers)
    assert response.status_code == 200
    print(captured.report())
    assert captured.count <= DETAIL_BUDGET


def test_the_request_detail_sets_the_tenant_once_per_transaction(app, client, staff, new_request, token_for):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the tenant setting (Row-Level Security) exists on PostgreSQL only")
    request = new_request()
    db.session.commit()
    headers = token_for(staff["researcher"])
    request_id = request.id
    db.session.rollback()  # the request opens its own transaction
    db.session.expunge_all()
    settings = []
    transactions = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "set_config" in statement:
            settings.append(statement)

    def began(conn):
        transactions.append(conn)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    event.listen(engine, "begin", began)
    try:
        response = client.get(f"/t/first/api/v1/requests/{request_id}", headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", record)
        event.remove(engine, "begin", began)
    assert response.status_code == 200
    # one per transaction (the request's; the token's last-use write may open a second)
    assert transactions and len(settings) <= len(transactions), (len(settings), len(transactions))


def test_the_tenant_setting_is_sent_only_when_it_changes_and_rls_follows(app_ctx, tenant, other_tenant):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the tenant setting (Row-Level Security) exists on PostgreSQL only")
    from core.tenancy import PluginEnablement  # lazy: a tenant table to read through RLS

    for owner in (tenant, other_tenant):
        with tenant_context(owner):
            db.session.add(PluginEnablement(plugin_id=f"probe_{owner.slug}", enabled=False, settings={}))
            db.session.commit()
    settings = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "set_config" in statement:
            settings.append(statement)

    def visible():
        return set(db.session.execute(db.select(PluginEnablement.plugin_id)).scalars())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with tenant_context(tenant):
            assert visible() == {"probe_first"}
            settings.clear()  # the transaction has begun with its setting
            for _ in range(10):
                with tenant_context(tenant):
                    assert visible() == {"probe_first"}
            assert settings == []  # the tenant already in context: nothing sent
            with tenant_context(other_tenant):
                assert visible() == {f"probe_{other_tenant.slug}"}
            assert len(settings) == 2  # into the other tenant and back
            assert visible() == {"probe_first"}
            db.session.commit()
            settings.clear()
            assert visible() == {"probe_first"}  # a new transaction: set again
            assert len(settings) == 1
            savepoint = db.session.begin_nested()
            with tenant_context(other_tenant):
                assert visible() == {f"probe_{other_tenant.slug}"}
                savepoint.rollback()  # its setting is gone with it
            assert visible() == {"probe_first"}
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
        db.session.rollback()


# --------------------------------------------------------------------------- registry search

FIRST_NAMES = ["أحمد", "خالد", "سعد", "فهد", "علي", "عمر", "ناصر", "يوسف"]


@pytest.fixture
def eight_ghamdis(app_ctx, tenant, create_person, monkeypatch):
    """Eight persons of one family, and a count bounded at five."""
    from core.registry import search  # lazy: the module whose bound is lowered

    monkeypatch.setattr(search, "COUNT_CAP", 5)
    for first in FIRST_NAMES:
        create_person(tenant, first_name=first, family_name="الغامدي")
    return tenant


@pytest.mark.parametrize("typed", ["الغامدي", "أحمد الغامدي", "غير موجود"])
def test_a_search_sends_two_statements_at_most(eight_ghamdis, typed, max_queries):
    from core.registry.search import search_persons  # lazy: after the bound was lowered

    db.session.expire_all()
    with tenant_context(eight_ghamdis), max_queries(2):
        search_persons(typed, 1, 3)


def test_the_count_stops_at_its_bound_and_says_there_are_more(eight_ghamdis):
    from core.registry.search import search_persons  # lazy: after the bound was lowered

    with tenant_context(eight_ghamdis):
        found, total = search_persons("الغامدي", 1, 3)
        assert total == 5 and total.more and len(found) == 3
        names = [p.name_normalized for p in found]
        assert names == sorted(names)
        found, total = search_persons("أحمد الغامدي", 1, 3)
        assert total == 1 and not total.more
        assert search_persons("الغامدي", 2, 3)[0]  # the second page: the 4th and 5th matches
        assert len(search_persons("الغامدي", 2, 3)[0]) == 2
        assert search_persons("الغامدي", 3, 3)[0] == []  # pages end with the bound


def test_the_search_page_says_more_than_the_bound(eight_ghamdis, staff, login):
    client = login(staff["researcher"])
    page = client.get("/t/first/registry/?q=الغامدي").get_data(as_text=True)
    assert 'أكثر من <bdi dir="ltr" class="number text-nowrap">5</bdi> نتيجة' in page
    assert page.count('class="list-group-item"') == 5


def test_the_search_pages_link_with_the_query_kept(eight_ghamdis, staff, login, monkeypatch):
    from core.registry import views  # lazy: the module whose page size is lowered

    monkeypatch.setattr(views, "PER_PAGE", 2)
    client = login(staff["researcher"])
    page = client.get("/t/first/registry/?q=الغامدي&page=٢").get_data(as_text=True)  # page ٢
    links = re.findall(r'class="page-link" href="([^"]+)"', page)
    assert len(links) == 3 and all("q=%D8%A7%D9%84%D8%BA" in link for link in links)  # the bound: 5 → 3 pages
    assert 'aria-current="page">2<' in page


# --------------------------------------------------------------------------- create and submit

CREATE_BUDGET = 9  # tenant, token, user, roles, plugins; request, event, audit tail+row (was 10: the
# new request's timeline is known, not read again)
SUBMIT_BUDGET = 15  # was 21, then 17: nothing read again after the commit, the request written once;
# the request and its timeline in one statement, the step's event put at its end; no safe-contact
# lookup for in-app messages; the staff told read as rows, their messages written in one flush


def _audit_lock() -> int:
    """PostgreSQL serialises the audit chain with ``pg_advisory_xact_lock``: one statement more."""
    return 1 if db.engine.dialect.name == "postgresql" else 0


def test_creating_a_request_through_the_api_sends_a_bounded_number_of_statements(
    app, client, staff, token_for, max_queries
):
    headers = token_for(staff["relations_officer"])
    body = {"channel": "in_person", "applicant_name": "نورة محمد السبيعي", "applicant_phone": "0500000001"}
    client.post("/t/first/api/v1/requests/", json=body, headers=headers)  # warm: the app's caches
    db.session.expunge_all()
    budget = CREATE_BUDGET + _audit_lock()
    with max_queries(budget) as captured:
        response = client.post("/t/first/api/v1/requests/", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    print(captured.report())
    assert captured.count <= budget


def test_submitting_a_request_through_the_api_sends_a_bounded_number_of_statements(
    app, client, staff, new_request, token_for, max_queries
):
    headers = token_for(staff["relations_officer"])
    first, second = new_request(), new_request()
    db.session.commit()
    body = {"declaration": True, "signed_by": "نورة محمد السبيعي"}
    ids = first.id, second.id
    client.post(f"/t/first/api/v1/requests/{ids[0]}/submit", json=body, headers=headers)  # warm
    db.session.expunge_all()
    budget = SUBMIT_BUDGET + _audit_lock()
    with max_queries(budget) as captured:
        response = client.post(f"/t/first/api/v1/requests/{ids[1]}/submit", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    print(captured.report())
    assert captured.count <= budget


def test_the_answers_of_create_and_submit_equal_the_detail_read_afterwards(app, client, staff, token_for):
    """Served from the objects as written (nothing expired by the commit): the same JSON as a
    fresh read of the request."""
    headers = token_for(staff["relations_officer"])
    body = {"channel": "in_person", "applicant_name": "نورة محمد السبيعي", "applicant_phone": "0500000001"}
    created = client.post("/t/first/api/v1/requests/", json=body, headers=headers)
    assert created.status_code == 201
    request_id = created.get_json()["id"]
    assert (
        client.get(f"/t/first/api/v1/requests/{request_id}", headers=headers).get_json() == created.get_json()
    )
    signed = {"declaration": True, "signed_by": "نورة محمد السبيعي"}
    submitted = client.post(f"/t/first/api/v1/requests/{request_id}/submit", json=signed, headers=headers)
    assert submitted.status_code == 200
    assert [e["action"] for e in submitted.get_json()["events"]][-1] == "submit"
    again = client.get(f"/t/first/api/v1/requests/{request_id}", headers=headers)
    assert again.get_json() == submitted.get_json()


# --------------------------------------------------------------------------- per-request overheads


def test_the_session_cookie_signer_is_built_once_per_key_set_and_anew_for_a_new_key(app):
    interface = app.session_interface
    first = interface.get_signing_serializer(app)
    assert interface.get_signing_serializer(app) is first
    saved = app.secret_key, app.config.get("SECRET_KEY_FALLBACKS")
    try:
        app.secret_key, app.config["SECRET_KEY_FALLBACKS"] = "a-rotated-key-" + "k" * 32, [saved[0]]
        rotated = interface.get_signing_serializer(app)
        assert rotated is not first
        # a cookie signed with the old key still opens (the old key is a fallback)
        assert rotated.loads(first.dumps({"_user_id": "7"})) == {"_user_id": "7"}
    finally:
        app.secret_key, app.config["SECRET_KEY_FALLBACKS"] = saved


def test_hooks_are_asked_once_whether_they_are_coroutines_and_coroutines_every_time(app, monkeypatch):
    import flask.app

    def plain():
        return "plain"

    async def awaited():
        return "awaited"

    asked = []
    original = flask.app.iscoroutinefunction
    monkeypatch.setattr(flask.app, "iscoroutinefunction", lambda func: asked.append(func) or original(func))
    assert app.ensure_sync(plain) is plain and app.ensure_sync(plain) is plain
    assert asked.count(plain) == 1
    for _ in range(2):  # still handed to Flask's async wrapper every time (no asgiref here: its error)
        with pytest.raises(RuntimeError, match="async"):
            app.ensure_sync(awaited)
    assert asked.count(awaited) == 2


def test_the_rate_limiter_skips_only_endpoints_where_no_limit_can_apply(app):
    from core.extensions import _no_limit_applies

    with app.test_request_context("/t/first/api/v1/requests/1"):
        assert _no_limit_applies() is True
    with app.test_request_context("/login", method="POST"):
        assert _no_limit_applies() is False  # its view declares the login limits
    with app.test_request_context("/api/v1/auth/token", method="POST"):
        assert _no_limit_applies() is False


def test_the_rate_limiter_works_only_where_a_limit_applies(app, monkeypatch):
    from flask.globals import request_ctx

    from core.extensions import limiter

    checked = []
    check = limiter._check_request_limit
    monkeypatch.setattr(
        limiter, "_check_request_limit", lambda *a, **kw: checked.append(a) or check(*a, **kw)
    )
    client = app.test_client()
    with client:  # the request's context kept after it: what the limiter left on it
        quiet = client.get("/api/v1/me")
        assert not hasattr(request_ctx._get_current_object(), "_limiter_request_context")
    assert quiet.status_code == 401 and checked == []
    assert not any(name.startswith("X-RateLimit") for name in quiet.headers.keys())  # noqa: SIM118
    answers = [
        client.post("/api/v1/auth/token", json={"email": "x@example.org", "password": "wrong"})
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [401, 401]
    assert checked  # the login's own limits, checked by Flask-Limiter
    remaining = [int(a.headers["X-RateLimit-Remaining"]) for a in answers]
    assert remaining[1] == remaining[0] - 1 and int(answers[0].headers["X-RateLimit-Limit"]) > 0
