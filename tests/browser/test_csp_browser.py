"""The Content Security Policy blocks nothing we ship: public pages and the Wagtail admin work."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.factories import campaign_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _collect_violations(page):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return violations


def test_public_page_and_admin_editor_run_under_the_policy(live_server, browser):
    campaign = campaign_page()
    get_user_model().objects.create_superuser("organiser", "o@example.org", "a-long-test-password")
    context = browser.new_context()
    page = context.new_page()
    violations = _collect_violations(page)

    page.goto(live_server.url + campaign.url)
    expect(page.get_by_role("button", name="Sign now")).to_be_visible()
    expect(page.locator("[data-counter-count]")).to_have_text("0")

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("organiser")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/admin/pages/{campaign.pk}/edit/")
    expect(page.get_by_role("button", name="Save draft")).to_be_visible()
    page.goto(live_server.url + "/admin/actions/flagged/")
    expect(page.get_by_role("heading", name="Flagged actions")).to_be_visible()
    context.close()
    assert violations == [], "\n".join(violations)
