"""In Chromium, the pages work under the strict Content-Security-Policy: no violation, no
script error, and the scripts they need (Bootstrap, app.js, Swagger UI) run from /static."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from core.extensions import db
from core.jobs.models import Job
from core.registry.models import ImportJob
from core.tenancy import utcnow
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.browser


class ConsoleWatch:
    """Console errors, failed page scripts and CSP violations reported by the page."""

    def __init__(self, page) -> None:
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        # Reported by Chromium as a DOM event too (the init script is not subject to the CSP).
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
        )

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"{message.type}: {message.text}")

    def check(self, where: str) -> None:
        problems, self.problems = self.problems, []
        assert problems == [], f"{where}: {problems}"


def test_pages_run_under_the_content_security_policy(
    page, browser_login, create_tenant, create_user_, in_tenant
):
    tenant = create_tenant("first")
    user = create_user_(
        email="staff@example.org",
        platform_admin=True,
        roles={tenant: ["tenant_admin", "relations_officer", "researcher", "finance_officer"]},
    )
    with in_tenant(tenant):
        job = ImportJob(filename="households.csv", total_rows=4, households_created=2)
        db.session.add(job)
        db.session.flush()
        # an import three quarters through (6 of 8 steps): its bar's width is set by app.js
        state = Job(
            kind="registry.import",
            state="running",
            params={"import_id": job.id},
            total=8,
            progress=6,
            heartbeat_at=utcnow(),
        )
        db.session.add(state)
        db.session.flush()
        job.job_id = state.id
        db.session.commit()
        job_id = job.id
    watch = ConsoleWatch(page)

    page.goto("/login")
    csp = page.evaluate("() => fetch('/login').then(r => r.headers.get('content-security-policy'))")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    watch.check("login")
    browser_login(page, user.email, PASSWORD)
    watch.check("after login")

    for path in (
        "/t/first/",
        "/t/first/registry/",
        "/t/first/registry/households/new",
        "/t/first/requests/",
        "/t/first/requests/new",
        "/t/first/admin/users",
        "/admin/",
        "/admin/lockouts",
        "/account/password",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        watch.check(path)

    # app.js sets the progress bar's width (no inline style attribute is allowed)
    page.goto(f"/t/first/registry/import/{job_id}")
    width = page.evaluate("getComputedStyle(document.querySelector('.progress-bar')).width")
    total = page.evaluate("getComputedStyle(document.querySelector('.progress')).width")
    assert abs(float(width[:-2]) / float(total[:-2]) - 0.75) < 0.02
    watch.check("import job")

    # Bootstrap's collapsing menu still works on a phone-sized window
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/t/first/registry/")
    page.click(".navbar-toggler")
    page.wait_for_selector("#mainnav.show")
    watch.check("menu")

    # Swagger UI renders a large definition lazily (only what is in view), so the window is
    # made tall enough for all of it: every API section then shows its operations.
    page.set_viewport_size({"width": 1366, "height": 20000})
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-summary")
    # polled from Python: a string predicate would be evaluated by eval(), which this very
    # policy forbids. Sections render as they come into view (and leave when they go), so the
    # names seen while scrolling down are gathered.
    wanted = {tag["name"] for tag in page.request.get("/api/v1/openapi.json").json()["tags"]}
    seen: set[str] = set()
    for _tick in range(300):
        sections = page.locator(".opblock-tag[data-tag]")
        for i in range(sections.count()):
            try:
                seen.add(sections.nth(i).get_attribute("data-tag", timeout=500))
            except PlaywrightTimeoutError:  # the section left the view between count and read
                continue
        if wanted <= seen:
            break
        page.mouse.wheel(0, 1500)
        page.wait_for_timeout(100)
    assert wanted <= seen, wanted - seen
    assert page.locator(".opblock").count() > 100
    watch.check("swagger docs")


def test_the_portal_registration_runs_under_the_policy(page, create_tenant):
    create_tenant("first")
    watch = ConsoleWatch(page)
    page.goto("/t/first/portal/register")
    watch.check("portal register")
