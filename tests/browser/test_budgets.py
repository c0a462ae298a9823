"""Budgets a supporter on a slow phone plan feels: bytes transferred, hosts contacted, and the
whole signing path with JavaScript turned off."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from actions.models import Action, ActionKind
from tests.browser.journeys import (
    PHONE,
    STORY_WITH_EVERY_TEXT_BLOCK,
    Supporter,
    campaign_open,
    counter_value,
    email_field,
    hero_image,
    sign,
    sign_with_mistake,
)
from tests.factories import TargetFactory, campaign_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRANSFER_BUDGET_BYTES = 150 * 1024


@pytest.fixture
def campaign(live_server):
    return campaign_page(
        targets=[TargetFactory(name="Jeff Rosen"), TargetFactory(name="Gavin Newsom")],
        story=STORY_WITH_EVERY_TEXT_BLOCK,
        hero_image=hero_image(),
        hero_alt="Kang Hen at home with his wife and children",
    )


def test_campaign_page_transfers_at_most_150_kb_from_its_own_host_only(live_server, browser, campaign):
    own_host = urlparse(live_server.url).netloc
    context = browser.new_context(**PHONE)
    requested, elsewhere, finished = [], [], []

    def guard(route):
        # Nothing may leave the machine; record and refuse anything not for the live server.
        if urlparse(route.request.url).netloc != own_host:
            elsewhere.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    context.on("request", lambda request: requested.append(request.url))
    context.on("requestfinished", lambda request: finished.append(request))
    page = context.new_page()
    # The counter's first poll of the totals belongs to the page's cost, so wait for it too.
    with page.expect_response(lambda response: "totals.json" in response.url):
        campaign_open(page, live_server.url + campaign.url)
    page.wait_for_load_state("networkidle")

    images = [request.url for request in finished if request.resource_type == "image"]
    assert images, "the hero image should be requested (and left out of the count)"
    transferred = {}
    for request in finished:
        if request.resource_type == "image":
            continue
        sizes = request.sizes()
        transferred[request.url] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
    total = sum(transferred.values())
    breakdown = "\n".join(f"  {size:>8} B  {url}" for url, size in sorted(transferred.items(), key=lambda i: -i[1]))
    print(f"\ncampaign page transfer excluding images: {total} B\n{breakdown}")

    # The figure must cover what the page is made of, or it proves nothing.
    assert any(url.endswith(campaign.url) for url in transferred), breakdown
    assert any(url.endswith(".css") for url in transferred), breakdown
    assert any(url.endswith(".js") for url in transferred), breakdown
    assert total <= TRANSFER_BUDGET_BYTES, f"{total} B transferred, budget {TRANSFER_BUDGET_BYTES} B:\n{breakdown}"
    assert elsewhere == [], f"requests to other hosts: {elsewhere}"
    assert requested, "no request was seen at all"
    assert {urlparse(url).netloc for url in requested} == {own_host}
    context.close()


def test_signing_works_with_javascript_turned_off(live_server, browser, campaign):
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    supporter = Supporter(first_name="Ruth", last_name="Lee", email="ruth@example.org")

    campaign_open(page, live_server.url + campaign.url, source="sms")
    assert counter_value(page) == 0
    # A mistake: the server alone shows the errors and keeps what was typed.
    sign_with_mistake(page, supporter)
    expect(page.locator("#id_email_error")).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Ruth")
    expect(email_field(page)).to_have_value("not-an-email")

    page.get_by_role("checkbox").check()
    sign(page, supporter)
    assert counter_value(page) == 1
    expect(page.get_by_text("Next: Email the decision makers")).to_be_visible()

    action = Action.objects.get(kind=ActionKind.SIGN)
    assert action.supporter.email == "ruth@example.org"
    assert action.source == "sms"
    assert action.consent is True
    context.close()
