"""Confirming a signature from the email's link, in Chromium: the page holds one button and
passes axe, pressing it confirms, and an expired link's page (with its "new link" button) too."""

import pytest
from playwright.sync_api import expect

from actions import confirmation
from actions.models import SignatureConfirmation
from tests.browser.axe import assert_no_serious_violations
from tests.factories import ActionFactory, SupporterFactory, campaign_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def confirm_url(live_server):
    page = campaign_page(confirm_signatures=True)
    action = ActionFactory(campaign=page, supporter=SupporterFactory(first_name="Vanna"))
    row = confirmation.confirmation_request(
        action=action, title=page.title, sender_name="Free Kang Hen", page_url=live_server.url + page.url
    )
    return confirmation.confirmation_url(row)


def test_the_confirmation_page_is_one_accessible_button(confirm_url, phone_page):
    phone_page.goto(confirm_url)
    expect(phone_page.locator("main").get_by_role("button")).to_have_count(1)
    assert_no_serious_violations(phone_page, label="the confirmation page")
    assert SignatureConfirmation.objects.get().confirmed_at is None  # the browser's GET changed nothing
    phone_page.get_by_role("button", name="Confirm my signature").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Your signature is confirmed")
    assert_no_serious_violations(phone_page, label="the confirmed page")
    assert SignatureConfirmation.objects.get().confirmed_at is not None


def test_an_expired_link_offers_a_new_one_accessibly(confirm_url, phone_page, settings):
    settings.CONFIRM_LINK_MAX_AGE = -1
    response = phone_page.goto(confirm_url)
    assert response.status == 410
    expect(phone_page.get_by_role("button", name="Email me a new link")).to_be_visible()
    assert_no_serious_violations(phone_page, label="the expired-link page")
