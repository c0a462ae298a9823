"""The Kang Hen campaign in Khmer on a phone, in Chromium: one campaign, every language readable.

A supporter opens the Khmer page from a shared link, signs, emails both targets and logs a call:
the English page's count rises by one, the thank-you is in Khmer and the messages to the targets
are in English. Every language's page passes axe with the right ``lang``; switching language
keeps the supporter recognised and on the same step. A picture of each step is saved.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from actions.models import Action, OutboundMessage, Target
from cms.models import CampaignPage
from tests.browser.axe import assert_no_serious_violations
from tests.browser.journeys import PHONE, Screenshots, counter_value

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

README_PICTURE = Path(settings.BASE_DIR) / "docs" / "img" / "campaign-khmer-phone.png"


@pytest.fixture
def campaign(live_server):
    """The campaign as load_campaign makes it, its two offices reachable by direct email."""
    call_command("load_campaign")
    for n, target in enumerate(Target.objects.order_by("pk"), start=1):
        target.email, target.delivery, target.verify_before_launch = f"office{n}@example.gov", "direct", False
        target.save()
    return CampaignPage.campaigns().get()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    yield page
    context.close()


def no_sideways_scroll(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide on a {width[1]} px screen"


def test_a_khmer_supporter_signs_emails_and_calls_for_the_one_campaign(campaign, live_server, phone, browser):
    steps = Screenshots("khmer-phone")
    page = phone
    english_before = CampaignPage.objects.get(pk=campaign.pk).counter()["count"]

    # 1. The shared link to the Khmer page.
    page.goto(f"{live_server.url}/km/{campaign.slug}/?source=whatsapp")
    expect(page.locator("html")).to_have_attribute("lang", "km")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ខាង ហេន")
    no_sideways_scroll(page)
    page.screenshot(path=str(steps.folder / "00-readme.png"), animations="disabled", caret="hide")
    steps.take(page, "khmer-page")

    # 2. Sign, with a name in Khmer script.
    form = page.locator("form.sign-form")
    form.locator("input[name=first_name]").fill("សុខា")
    form.locator("input[name=last_name]").fill("ចាន់")
    form.locator("input[name=email]").fill("sokha.chan@example.org")
    form.locator("input[name=city]").fill("San Jose")
    form.locator("input[name=postal_code]").fill("95112")
    steps.take(page, "filled")
    form.get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("សូមអរគុណ សុខា!")
    no_sideways_scroll(page)
    steps.take(page, "thanks")

    # The English page's count rose by one: one campaign, one count.
    action = Action.objects.get(kind="sign")
    assert action.campaign_id == campaign.pk and action.language == "km"
    english = browser.new_context(**PHONE).new_page()
    english.goto(live_server.url + campaign.url)
    assert counter_value(english) == english_before + 1
    expect(english.locator("html")).to_have_attribute("lang", "en")
    english.context.close()

    email_and_call_in_khmer(page, live_server, campaign, steps)
    switch_to_english_on_the_call_step(page, campaign, steps)

    # The README's picture is a tracked file: replaced only when asked (README_PICTURES=1), so a
    # test run leaves the checkout as it found it.
    if os.environ.get("README_PICTURES") == "1":
        README_PICTURE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(steps.folder / "00-readme.png", README_PICTURE)


def email_and_call_in_khmer(page, live_server, campaign, steps) -> None:
    # 3. Email both targets: the page is in Khmer, the messages go in English.
    page.goto(f"{live_server.url}/km/{campaign.slug}/email/")
    expect(page.locator("form.email-form")).to_be_visible()
    steps.take(page, "email-step")
    page.locator("form.email-form").get_by_role("button").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("សូមអរគុណ សុខា!")
    steps.take(page, "emails-sent")
    to_targets = OutboundMessage.objects.filter(kind=OutboundMessage.Kind.TO_TARGET)
    assert to_targets.count() == 2
    assert all(m.subject.startswith("A constituent asks:") and m.body.startswith("Dear ") for m in to_targets)
    thanks = OutboundMessage.objects.get(kind=OutboundMessage.Kind.THANK_YOU)
    assert thanks.subject.startswith("សូមអរគុណ") and "ជូនចំពោះ សុខា" in thanks.body

    # 4. Log a call, from the Khmer call step.
    page.goto(f"{live_server.url}/km/{campaign.slug}/call/")
    page.locator(".call-target").first.get_by_role("button", name="បាននិយាយជាមួយបុគ្គលិក").click()
    expect(page.locator(".notice[role=status]")).to_have_text("សូមអរគុណ ការហៅរបស់អ្នកត្រូវបានកត់ត្រា។")
    steps.take(page, "call-logged")
    assert Action.objects.filter(kind="call", campaign_id=campaign.pk, language="km").count() == 1


def switch_to_english_on_the_call_step(page, campaign, steps) -> None:
    # 5. Switch to English on the same step: still recognised, still on the call step.
    page.locator(".language-switcher").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(rf"/{campaign.slug}/call/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".not-you")).to_contain_text("Calling as សុខា")
    steps.take(page, "switched-to-english")


@pytest.mark.parametrize("language", ["en", "km", "vi", "es", "zh-hant"])
def test_every_language_of_the_campaign_passes_axe(campaign, live_server, phone, language):
    prefix = "" if language == "en" else f"/{language}"
    phone.goto(f"{live_server.url}{prefix}/{campaign.slug}/")
    expect(phone.locator("html")).to_have_attribute("lang", language)
    expect(phone.locator(".language-switcher a[aria-current]")).to_have_attribute("lang", language)
    no_sideways_scroll(phone)
    assert_no_serious_violations(phone, label=f"the campaign page in {language}")
    phone.goto(f"{live_server.url}{prefix}/{campaign.slug}/call/")
    assert_no_serious_violations(phone, label=f"the call step in {language}")


def test_an_unknown_language_prefix_is_a_404_page_in_english(campaign, live_server, phone):
    response = phone.goto(f"{live_server.url}/xx/{campaign.slug}/")
    assert response.status == 404
    expect(phone.locator("html")).to_have_attribute("lang", "en")
