"""The Python files one aid request crosses from the portal to its disbursement.

It builds the app in-process (the production configuration, ``core.testing.app.make_app``) on a
scratch SQLite database migrated like the test fixtures, creates a tenant and one staff user per
role, then drives the journey of ``tests/e2e/test_request_flow_browser.py`` through the HTML
pages with a browser-like client (``BrowserClient``: CSRF token and same-origin Referer on every
form post; forms are read from the page, their prefilled values kept): the applicant registers in
the portal, applies with the declaration and attaches a document; the relations officer finds it
in the new-requests queue; the researcher registers the household from the applicant's data,
starts the research, schedules and records the field visit and verifies; the committee member
approves within the ceiling; the finance officer records two disbursements, each with a scanned
receipt; the applicant sees both. Every step asserts it succeeded (status, redirect, state).
No permit step: a portal application does not need the authority's permit (``needs_permit`` is
set only on staff intake), and escalations have no page form (API only); were one needed, the
disbursement would be refused (409) and the journey fail.

While the journey runs (not while the app is built), ``sys.setprofile``/``threading.setprofile``
record every Python file under ``core/`` and ``plugins/`` whose code ran (``core/testing/``
excluded). Printed: the number of files, their lines and the largest, of packages (a directory under ``core/`` or
``plugins/<id>/``; top-level core modules count as ``core``) and the files by package::

    .venv/bin/python scripts/request_journey.py                 # no plugins, then both plugins
    .venv/bin/python scripts/request_journey.py --plugins none  # one configuration
    .venv/bin/python scripts/request_journey.py --json
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402

from core.aid.models import CatalogItem  # noqa: E402
from core.auth.services import create_user, set_roles  # noqa: E402
from core.extensions import db, limiter  # noqa: E402
from core.plugins import set_plugin_state  # noqa: E402
from core.registry.ids import check_digit_for  # noqa: E402
from core.tenancy import tenant_context  # noqa: E402
from core.tenancy.services import create_tenant  # noqa: E402
from core.testing.app import PASSWORD, make_app  # noqa: E402
from core.testing.files import make_image  # noqa: E402

SLUG = "first"
PLUGINS = ("makkah_aid", "prisoner_families")
STAFF_ROLES = ("relations_officer", "researcher", "committee_member", "finance_officer")
CEILING_HALALAS = 500000
APPROVED = "3000"
PAYMENTS = (("1000", "2025-11-20"), ("2000", "2025-12-20"))
WATCHED = ("core", "plugins")
# makkah_aid's mandatory application data (its fields on the portal's apply form) and the
# researcher's need-gap assessment (annual needs in SAR)
MAKKAH_APPLICATION = {
    "extra.makkah_aid.nationality": "SA",
    "extra.makkah_aid.id_expiry": "1452-01-01",
    "extra.makkah_aid.current_job": "لا يعمل",
    "extra.makkah_aid.monthly_income": "1500",
    "extra.makkah_aid.dependents_count": "0",
    "extra.makkah_aid.housing": "rented",
    "extra.makkah_aid.annual_rent": "18000",
    "extra.makkah_aid.category": "family",
}
MAKKAH_NEEDS = {"need_food_drink": "24000", "need_housing": "18000", "notes": "زيارة ميدانية"}
EXCLUDED = ("core/testing/",)


class JourneyError(AssertionError):
    """A step of the journey did not do what it should have."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise JourneyError(message)


# --- pages and their forms ----------------------------------------------------------------------


@dataclass
class Form:
    action: str | None
    method: str
    attrs: dict
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, default value) in page order
    file_fields: list[str] = field(default_factory=list)
    names: set[str] = field(default_factory=set)  # every field's name, checked boxes or not
    _select: tuple[str, bool, list, list] | None = None  # name, multiple, options, selected
    _textarea: list | None = None


class _FormParser(HTMLParser):
    """The forms of a page, with what a browser would send untouched: text inputs' values, checked
    boxes, selected options (else a single select's first), textareas; not the submit buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: dict[str, str] = {}  # element id -> href
        self._form: Form | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and "id" in a and "href" in a:
            self.links[a["id"]] = a["href"]
        if tag == "form":
            self._form = Form(a.get("action"), a.get("method", "get").lower(), a)
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "name" not in a or "disabled" in a:
            if tag == "option" and form is not None and form._select is not None:
                self._option(form, a)
            return
        name = a["name"]
        form.names.add(name)
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind == "file":
                form.file_fields.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            else:
                form.fields.append((name, a.get("value", "")))
        elif tag == "select":
            form._select = (name, "multiple" in a, [], [])
        elif tag == "textarea":
            form._textarea = [name, ""]

    def _option(self, form: Form, a: dict) -> None:
        _name, _multiple, options, selected = form._select
        options.append(a.get("value", ""))
        if "selected" in a:
            selected.append(a.get("value", ""))

    def handle_data(self, data):
        if self._form is not None and self._form._textarea is not None:
            self._form._textarea[1] += data

    def handle_endtag(self, tag):
        form = self._form
        if form is None:
            return
        if tag == "select" and form._select is not None:
            name, multiple, options, selected = form._select
            chosen = selected if selected or multiple else options[:1]
            form.fields.extend((name, value) for value in chosen)
            form._select = None
        elif tag == "textarea" and form._textarea is not None:
            form.fields.append((form._textarea[0], form._textarea[1]))
            form._textarea = None
        elif tag == "form":
            self._form = None


class Page:
    def __init__(self, url: str, response) -> None:
        self.url = url
        self.response = response
        self.html = response.get_data(as_text=True)
        parser = _FormParser()
        parser.feed(self.html)
        self.forms = parser.forms
        self.links = parser.links

    def attribute(self, element_id: str, attribute: str) -> str | None:
        match = re.search(rf'<[^>]*\bid="{re.escape(element_id)}"[^>]*>', self.html)
        if match is None:
            return None
        value = re.search(rf'\b{attribute}="([^"]*)"', match.group(0))
        return value.group(1) if value else None

    def state(self) -> str | None:
        return self.attribute("request-state", "data-state")

    def count(self, pattern: str) -> int:
        return len(re.findall(pattern, self.html))

    def form(self, form_id: str | None = None, action_end: str | None = None) -> Form:
        """The page's form with this id, or whose action ends so, or its one post form without an
        action (it posts to the page itself)."""
        for form in self.forms:
            if form_id is not None and form.attrs.get("id") == form_id:
                return form
            if action_end is not None and (form.action or "").endswith(action_end):
                return form
        if form_id is None and action_end is None:
            own = [f for f in self.forms if f.method == "post" and not f.action]
            if len(own) == 1:
                return own[0]
        raise JourneyError(f"{self.url}: no form {form_id or action_end or '(own)'} on the page")


class Browser:
    """One person's browser session on the site."""

    def __init__(self, app, who: str, address: str) -> None:
        self.client = app.test_client()
        self.client.environ_base["REMOTE_ADDR"] = address
        self.who = who

    def get(self, url: str, status: int = 200) -> Page:
        response = self.client.get(url)
        check(response.status_code == status, f"{self.who}: GET {url} answered {response.status_code}")
        return Page(url, response)

    def land(self, url: str) -> Page:
        """GET ``url`` and follow its redirects, as the browser does; the last page must be there."""
        for _hop in range(5):
            response = self.client.get(url)
            if response.status_code not in (301, 302, 303):
                break
            url = urlsplit(response.headers["Location"]).path
        check(response.status_code == 200, f"{self.who}: landed on {url} with {response.status_code}")
        return Page(url, response)

    def submit(self, page: Page, form: Form, fill: dict | None = None, files: dict | None = None) -> str:
        """Fill the form's fields (a name must be on the form: str replaces its first value, a list
        all of them), attach files, post it; the step must redirect. Returns where to."""
        data = MultiDict(form.fields)
        for name, value in (fill or {}).items():
            check(name in form.names, f"{self.who}: the form {form.action or page.url} has no field {name}")
            if isinstance(value, list):
                data.setlist(name, value)
            else:
                values = data.getlist(name)
                data.setlist(name, [value, *values[1:]])
        for name, (content, filename) in (files or {}).items():
            check(name in form.file_fields, f"{self.who}: the form has no file field {name}")
            data.add(name, (io.BytesIO(content), filename))
        url = form.action or page.url
        response = self.client.post(url, data=data)
        body = response.get_data(as_text=True)
        if response.status_code != 302:
            errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]+)<', body)
            errors += re.findall(r'class="alert alert-danger[^"]*"[^>]*>([^<]+)<', body)
            raise JourneyError(f"{self.who}: POST {url} answered {response.status_code}: {errors[:6]}")
        return urlsplit(response.headers["Location"]).path

    def login(self, email: str) -> None:
        page = self.get("/login")
        where = self.submit(page, page.form(), {"email": email, "password": PASSWORD})
        check(where != "/login", f"{self.who}: the login was refused")
        self.land(where)  # where the browser lands after signing in


# --- the journey --------------------------------------------------------------------------------


@dataclass
class Journey:
    plugins: tuple[str, ...]
    state: str
    disbursements: list[int]  # halalas, as the applicant's page shows them
    files: list[str]  # repository-relative paths, sorted

    @property
    def by_package(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for path in self.files:
            groups.setdefault(package_of(path), []).append(path)
        return dict(sorted(groups.items()))

    @property
    def lines(self) -> int:
        """Lines of the files crossed: what a newcomer reads to follow the request."""
        return sum(len((ROOT / path).read_text(encoding="utf-8").splitlines()) for path in self.files)

    @property
    def largest(self) -> tuple[str, int]:
        sizes = {path: len((ROOT / path).read_text(encoding="utf-8").splitlines()) for path in self.files}
        path = max(sizes, key=sizes.get)
        return path, sizes[path]

    def as_dict(self) -> dict:
        return {
            "plugins": list(self.plugins),
            "state": self.state,
            "disbursements_halalas": self.disbursements,
            "files": len(self.files),
            "packages": len(self.by_package),
            "lines": self.lines,
            "largest": list(self.largest),
            "by_package": self.by_package,
        }


def package_of(path: str) -> str:
    parts = path.split("/")
    if parts[0] == "plugins":
        return "/".join(parts[:2])
    return "core" if len(parts) == 2 else "/".join(parts[:2])


@contextmanager
def crossed_files(into: set[str]) -> Iterator[None]:
    """Record the files under core/ and plugins/ (not core/testing/) whose code runs in the block,
    in this thread and in threads started meanwhile."""
    seen: set[str] = set()
    roots = tuple(str(ROOT / name) + "/" for name in WATCHED)

    def profile(frame, event, arg):
        seen.add(frame.f_code.co_filename)

    before = sys.getprofile(), threading.getprofile()
    sys.setprofile(profile)
    threading.setprofile(profile)
    try:
        yield
    finally:
        sys.setprofile(before[0])
        threading.setprofile(before[1])
        for filename in seen:
            if filename.endswith(".py") and filename.startswith(roots):
                relative = str(Path(filename).relative_to(ROOT))
                if not relative.startswith(EXCLUDED):
                    into.add(relative)


def _national_id() -> str:
    body = "100000001"
    return body + check_digit_for(body)


def build(directory: Path, plugins: tuple[str, ...]):
    """The app on a new migrated SQLite database, a tenant (with ``plugins`` enabled and an aid
    ceiling), and one staff user per role; returns the app and the staff's e-mails."""
    app = make_app(
        f"sqlite:///{directory / 'journey.sqlite3'}",
        STORAGE_DIR=str(directory / "storage"),
        CHARITY_EXTRA_PLUGINS=[],
    )
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    with app.app_context():
        logging.disable(logging.INFO)  # the migrations' progress
        try:
            upgrade(revision="heads")
        finally:
            logging.disable(logging.NOTSET)
        tenant = create_tenant({"slug": SLUG, "name_ar": "جمعية الرحلة", "name_en": "Journey association"})
        tenant.settings = {**(tenant.settings or {}), "aid": {"default_ceiling_halalas": CEILING_HALALAS}}
        db.session.commit()
        for plugin_id in plugins:
            set_plugin_state(tenant, plugin_id, True)
        if plugins:  # makkah_aid: an application names its aid type (the tenant admin's catalog)
            with tenant_context(tenant):
                db.session.add(CatalogItem(code="rent", name_ar="إيجار", name_en="Rent", kind="cash"))
                db.session.commit()
        staff = {}
        for role in STAFF_ROLES:
            email = f"{role}@journey.example.org"
            user = create_user({"email": email, "password": PASSWORD, "name": role})
            set_roles(tenant, user, [role])
            staff[role] = email
        db.session.commit()
        limiter.reset()
    return app, staff


def walk(app, staff: dict[str, str], plugins: tuple[str, ...] = ()) -> tuple[str, list[int]]:
    """The journey through the pages; returns the state and disbursements the applicant sees.

    With ``makkah_aid`` enabled the application carries the association's mandatory data (its
    fields on the apply form, an aid type from the catalog), is kept as a draft until the ID copy
    and the lease are attached, then submitted from its page; the researcher records the
    need-gap assessment on the plugin's page before the committee decides."""
    base = f"/t/{SLUG}"
    receipt = make_image("PNG")
    makkah = "makkah_aid" in plugins

    # --- the applicant registers, applies with the declaration, attaches a document
    applicant = Browser(app, "applicant", "10.0.0.1")
    page = applicant.get(f"{base}/portal/register")
    where = applicant.submit(
        page,
        page.form(),
        {
            "name": "فهد سالم القحطاني",
            "email": "fahad@journey.example.org",
            "password": "long-enough-pass-1",
            "password2": "long-enough-pass-1",
        },
    )
    # registering does not log in (a taken e-mail answers the same way): the association's login
    page = applicant.land(where)
    check(page.url == f"{base}/login", "applicant: not taken to the association's login page")
    where = applicant.submit(
        page, page.form(), {"email": "fahad@journey.example.org", "password": "long-enough-pass-1"}
    )
    check(applicant.land(where).url.startswith(f"{base}/portal"), "applicant: not taken to the portal")
    page = applicant.get(f"{base}/portal/apply")
    check('dir="rtl"' in page.html, "applicant: the portal is not right-to-left")
    application = {
        "applicant_name": "فهد سالم علي القحطاني",
        "applicant_phone": "0550000002",
        "requested_amount": "٣٬٠٠٠",
        "summary": "مساعدة في سداد الإيجار",
        "declaration": "on",
    }
    if makkah:
        items = re.findall(r'<option value="(\d+)"', page.html[page.html.find('name="catalog_item_id"') :])
        check(bool(items), "applicant: no aid type to choose on the apply form")
        application |= {
            "catalog_item_id": items[0],
            "extra.makkah_aid.id_number": _national_id(),
            **MAKKAH_APPLICATION,
        }
    detail_url = applicant.submit(page, page.form("apply-form"), application)
    page = applicant.get(detail_url)
    expected = "draft" if makkah else "submitted"  # makkah_aid: its documents are still missing
    check(page.state() == expected, f"applicant: the application is {page.state()}, not {expected}")
    documents = ("id_copy", "lease") if makkah else ("id_copy",)
    for doc_type in documents:
        applicant.submit(
            page, page.form("upload-document"), {"doc_type": doc_type}, {"file": (receipt, f"{doc_type}.png")}
        )
        page = applicant.get(detail_url)
    check(page.count(r"data-document\b") == len(documents), "applicant: the documents are not on the request")
    if makkah:
        applicant.submit(page, page.form("submit-draft"), {"declaration": "on"})
        page = applicant.get(detail_url)
    found = re.search(r'id="request-number">(.*?)</', page.html, re.S)
    number = re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else ""  # the number is isolated (<bdi>)
    check(
        bool(number) and page.state() == "submitted",
        f"applicant: no number or not submitted ({page.state()})",
    )
    request_id = int(detail_url.rstrip("/").rsplit("/", 1)[1])
    request_url = f"{base}/requests/{request_id}"

    # --- relations officer: the new request is in the queue, with its number and document
    officer = Browser(app, "relations_officer", "10.0.0.2")
    officer.login(staff["relations_officer"])
    queue = officer.get(f"{base}/requests/?queue=new")
    check(number in queue.html and f'href="{request_url}"' in queue.html, "officer: not in the new queue")
    page = officer.get(request_url)
    check(page.state() == "submitted", f"officer: state {page.state()}")
    check(page.count(r"data-document\b") == len(documents), "officer: the documents are not shown")

    # --- researcher: registers the household, research, field visit, verification, committee
    researcher = Browser(app, "researcher", "10.0.0.3")
    researcher.login(staff["researcher"])
    page = researcher.get(request_url)
    check('id="no-linked-file"' in page.html, "researcher: the request already has a file")
    register = researcher.get(page.links["register-household"])
    check(
        'value="فهد"' in register.html and 'value="القحطاني"' in register.html,
        "researcher: the household form is not prefilled from the applicant",
    )
    where = researcher.submit(
        register,
        register.form(),
        {
            "national_id": _national_id(),
            "id_expiry": "1452-01-01",
            "nationality": "SA",
            "job": "لا يعمل",
            "monthly_income": "1500",
            "annual_rent": "18000",
        },
    )
    check(where == request_url, f"researcher: the registration went to {where}")
    page = researcher.get(request_url)
    check('id="linked-file"' in page.html, "researcher: the request is not linked to the new file")

    def step(who: Browser, action: str, state: str, fill=None, files=None, form_id=None) -> Page:
        current = who.get(request_url)
        form = current.form(form_id) if form_id else current.form(action_end=f"/step/{action}")
        where = who.submit(current, form, fill, files)
        check(where == request_url, f"{who.who}: {action} went to {where}")
        after = who.get(request_url)
        check(after.state() == state, f"{who.who}: after {action} the state is {after.state()}, not {state}")
        return after

    step(researcher, "start_research", "in_research")
    step(researcher, "schedule_visit", "field_visit_scheduled", {"scheduled_for": "2025-11-09"})
    step(
        researcher,
        "record_visit",
        "visited",
        {
            "visited_on": "2025-11-09",
            "findings": "تمت مطابقة البيانات مع الأصول",
            "field": "rent",
            "entered": "18000",
        },
        form_id="record-visit",
    )
    step(researcher, "verify", "verified")
    if makkah:  # the need-gap assessment comes before the committee (the plugin refuses it else)
        listing = researcher.get(f"{base}/makkah_aid/assessments")
        url = f"{base}/makkah_aid/requests/{request_id}/assessment"
        check(f'href="{url}"' in listing.html, "researcher: the request is not in the assessments list")
        page = researcher.get(url)
        where = researcher.submit(page, page.form(), MAKKAH_NEEDS)
        check(where == url, f"researcher: the assessment went to {where}")
        result = researcher.get(url)
        check('id="assessment-result"' in result.html, "researcher: the assessment is not recorded")
        check(result.attribute("assessment-result", "data-eligible") == "yes", "researcher: not eligible")
    step(researcher, "send_to_committee", "in_committee")

    # --- committee member: approves within the ceiling, members present from the list
    committee = Browser(app, "committee_member", "10.0.0.4")
    committee.login(staff["committee_member"])
    page = committee.get(request_url)
    ceiling = page.attribute("ceiling", "data-halalas")
    check(ceiling is not None and ceiling.isdigit(), "committee: no ceiling shown")
    if makkah:  # the ceiling of the need-gap assessment's band
        check(int(ceiling) >= int(APPROVED) * 100, f"committee: the ceiling {ceiling} is below the amount")
    else:
        check(int(ceiling) == CEILING_HALALAS, f"committee: the ceiling is {ceiling}, not the tenant's")
    members = re.findall(r'<option value="(\d+)">committee_member<', page.html)
    check(bool(members), "committee: the member is not in the members-present list")
    page = step(committee, "approve", "approved", {"amount": APPROVED, "members_present": members[:1]})
    check("committee_member" in page.html, "committee: the members present are not shown")

    # --- finance officer: two disbursements, each with the scanned receipt
    finance = Browser(app, "finance_officer", "10.0.0.5")
    finance.login(staff["finance_officer"])
    for count, (value, day) in enumerate(PAYMENTS, start=1):
        page = step(
            finance,
            "disburse",
            "disbursed",
            {"value": value, "disbursed_on": day},
            {"proof_file": (receipt, f"receipt-{count}.png")},
            form_id="disburse",
        )
        check(page.count(r"/documents/\d+/download") >= count, "finance: the receipt is not listed")

    # --- the applicant sees the disbursements and their values
    page = applicant.get(detail_url)
    values = [int(v) for v in re.findall(r'<li class="list-group-item" data-value="(\d+)"', page.html)]
    return page.state() or "", values


def run_journey(plugins: tuple[str, ...] = (), directory: Path | None = None) -> Journey:
    """Build the app (not recorded), walk the journey (recorded); the journey must succeed."""
    with tempfile.TemporaryDirectory(prefix="journey-") as scratch:
        app, staff = build(Path(directory or scratch), plugins)
        files: set[str] = set()
        try:
            with crossed_files(files):
                state, values = walk(app, staff, plugins)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    expected = [int(v) * 100 for v, _day in PAYMENTS]
    check(state == "disbursed", f"applicant: the request is {state}, not disbursed")
    check(sorted(values) == sorted(expected), f"applicant: sees disbursements {values}, not {expected}")
    return Journey(plugins, state, values, sorted(files))


def _print(journey: Journey) -> None:
    label = ", ".join(journey.plugins) or "no plugins"
    print(f"== {label}: {journey.state}, disbursements {journey.disbursements} (halalas)")
    path, size = journey.largest
    print(
        f"files crossed: {len(journey.files)} in {len(journey.by_package)} packages, "
        f"{journey.lines} lines (largest: {path}, {size})"
    )
    for package, paths in journey.by_package.items():
        print(f"  {package} ({len(paths)})")
        for path in paths:
            print(f"    {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--plugins",
        choices=("none", "all", "both-runs"),
        default="both-runs",
        help="none: no plugin enabled; all: makkah_aid and prisoner_families; both-runs (default): each",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    configurations = {"none": [()], "all": [PLUGINS], "both-runs": [(), PLUGINS]}[args.plugins]
    journeys = [run_journey(plugins) for plugins in configurations]
    if args.json:
        print(json.dumps([j.as_dict() for j in journeys], ensure_ascii=False, indent=2))
    else:
        for journey in journeys:
            _print(journey)
    return 0


if __name__ == "__main__":
    sys.exit(main())
