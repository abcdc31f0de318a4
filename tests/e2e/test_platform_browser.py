"""A platform admin disables a plugin for one tenant in the browser; its page vanishes there only."""

from __future__ import annotations

import pytest

from tests.e2e.browser import screenshot
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.browser


def test_platform_admin_disables_plugin_for_one_tenant_only(
    page, phone_page, browser_login, create_tenant, create_user_, enable_plugin
):
    first, second = create_tenant("first"), create_tenant("second")
    enable_plugin(first)
    enable_plugin(second)
    create_user_(email="root@example.org", platform_admin=True)
    create_user_(email="staff@example.org", roles={first: ["tenant_admin"], second: ["tenant_admin"]})

    browser_login(phone_page, "staff@example.org", PASSWORD)
    phone_page.goto("/t/first/")
    assert phone_page.locator("a[href='/t/first/dummy/']").count() >= 1
    screenshot(phone_page, "tenant-home-phone-375")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375

    browser_login(page, "root@example.org", PASSWORD)
    page.goto("/admin/tenants/first/plugins")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("#plugin-dummy button[value=disable]").click()
    page.wait_for_load_state()
    # Disabling asks first, naming the plugin and the association (no script: a page of its own)
    assert "first" in page.locator("#confirmation-title").inner_text()
    screenshot(page, "admin-disable-plugin-confirmation")
    page.locator("#confirm-button").click()
    page.wait_for_load_state()
    assert page.locator("#plugin-dummy").get_attribute("data-enabled") == "no"
    screenshot(page, "admin-tenant-plugins")

    assert phone_page.goto("/t/first/dummy/").status == 404
    phone_page.goto("/t/first/")
    assert phone_page.locator("a[href='/t/first/dummy/']").count() == 0
    assert phone_page.goto("/t/second/dummy/").status == 200
