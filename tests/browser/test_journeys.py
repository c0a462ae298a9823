"""Every person's path through the site, step by step, in real Chromium, with a picture per step.

Pictures go to SCREENSHOT_DIR (default tests/browser/screenshots/, git-ignored), one folder per
journey. The steps themselves live in tests/browser/journeys.py.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from actions.models import Action, ActionKind
from cms.models import CampaignPage
from tests.browser import journeys as steps
from tests.browser.journeys import PHONE, Supporter
from tests.factories import TargetFactory, campaign_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign(live_server):
    return campaign_page(
        targets=[TargetFactory(name="Jeff Rosen"), TargetFactory(name="Gavin Newsom")],
        story=steps.STORY_WITH_EVERY_TEXT_BLOCK,
    )


def test_supporter_on_a_phone_from_a_shared_link(live_server, browser, campaign, screenshots):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    supporter = Supporter()

    # 1. A friend's message: the shared link says where it was shared.
    steps.campaign_open(page, live_server.url + campaign.url, source="whatsapp")
    assert steps.counter_value(page) == 0
    screenshots.take(page, "campaign", full_page=False)

    # 2. Sign, with a slip first: the error is shown by the field and nothing typed is lost.
    steps.sign_with_mistake(page, supporter)
    screenshots.take(page, "form-with-errors", full_page=False)
    steps.sign(page, supporter)
    screenshots.take(page, "thank-you", full_page=False)

    # 3. The counter rose, and the signature remembers the link it came from.
    assert steps.counter_value(page) == 1
    action = Action.objects.get(kind=ActionKind.SIGN)
    assert action.source == "whatsapp"
    expect(page.get_by_text("Next: Email the decision makers")).to_be_visible()

    # 4. Email both targets (issue 3): steps.email_targets(page, ...); screenshots.take(page, "email").
    # 5. Call and log an outcome (issue 4): steps.call_log(page, outcome=...); screenshots.take(...).
    # 6. Share (issue 4): steps.share_open(page); screenshots.take(page, "share").

    # Back on the campaign page, the count a newcomer sees has risen too.
    steps.campaign_open(page, live_server.url + campaign.url)
    assert steps.counter_value(page) == 1
    screenshots.take(page, "campaign-after", full_page=False)
    context.close()


def test_supporter_with_keyboard_only(live_server, desktop_page, campaign, screenshots):
    page = desktop_page
    supporter = Supporter(first_name="Dara", email="dara@example.org")
    page.goto(live_server.url + campaign.url)

    # The first Tab lands on the skip link, which must show itself; Enter jumps past the header.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    steps.focus_visible_assert(page)
    screenshots.take(page, "skip-link", full_page=False)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # Every field is reached with Tab alone, each stop showing its focus. The email is forgotten.
    for label, value in (
        ("First name", supporter.first_name),
        ("Last name", supporter.last_name),
        ("City", supporter.city),
        ("ZIP code", supporter.postal_code),
    ):
        field = page.get_by_role("textbox", name=label, exact=True)
        steps.tab_to(page, field)
        page.keyboard.type(value)
    steps.tab_to(page, page.locator("form.sign-form").get_by_role("button"))
    page.keyboard.press("Enter")

    # The error summary takes focus, visibly; its link leads straight to the field to fix.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    steps.focus_visible_assert(page)
    screenshots.take(page, "error-summary", full_page=False)
    steps.tab_to(page, summary.get_by_role("link", name=re.compile("^Email")))
    page.keyboard.press("Enter")
    email = steps.email_field(page)
    expect(email).to_be_focused()
    steps.focus_visible_assert(page)
    expect(page.get_by_role("textbox", name="First name", exact=True)).to_have_value(supporter.first_name)
    page.keyboard.type(supporter.email)
    screenshots.take(page, "form-filled", full_page=False)

    consent = page.get_by_role("checkbox")
    steps.tab_to(page, consent)
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    screenshots.take(page, "consent-ticked", full_page=False)

    submit = page.locator("form.sign-form").get_by_role("button")
    steps.tab_to(page, submit)
    screenshots.take(page, "submit-focused", full_page=False)
    page.keyboard.press("Enter")
    steps.thanks_expect(page, supporter=supporter)
    assert steps.counter_value(page) == 1
    screenshots.take(page, "thank-you", full_page=False)

    # From the thank-you page the keyboard still finds its way back to the campaign.
    back = page.locator(".thanks").get_by_role("link").first
    steps.tab_to(page, back)
    page.keyboard.press("Enter")
    # Back on the campaign, this browser is recognised: no form to refill, the next step instead.
    expect(page.get_by_text(f"You have signed, {supporter.first_name}. Thank you!")).to_be_visible()
    # Email, call and share steps (issues 3 and 4) continue here with Tab, Enter and Space.


def test_editor_changes_story_and_goal_then_publishes(live_server, desktop_page, campaign, screenshots):
    get_user_model().objects.create_superuser("editor", "editor@example.org", "editor-test-password")
    page = desktop_page
    news = "Update: the hearing is set for 9 December."

    steps.admin_login(page, live_server.url, username="editor", password="editor-test-password")
    screenshots.take(page, "dashboard", full_page=False)
    steps.admin_page_edit_open(page, live_server.url, page_id=campaign.pk)
    steps.admin_story_append(page, " " + news)
    screenshots.take(page, "story-edited", full_page=False)
    steps.admin_goal_set(page, 3000)
    screenshots.take(page, "goal-changed", full_page=False)

    # The preview shows the edits while the public page still shows the old version.
    steps.admin_preview_expect(page, news, "3,000")
    screenshots.take(page, "preview", full_page=False)
    public = page.context.new_page()
    public.goto(live_server.url + campaign.url)
    expect(public.locator("main")).not_to_contain_text(news)
    expect(public.locator("[data-counter-goal]")).to_have_text("2,500")

    steps.admin_publish(page)
    screenshots.take(page, "published", full_page=False)

    public.reload()
    expect(public.locator("main")).to_contain_text(news)
    expect(public.locator("[data-counter-goal]")).to_have_text("3,000")
    screenshots.take(public, "public-page")
    assert CampaignPage.objects.get(pk=campaign.pk).signature_goal == 3000
