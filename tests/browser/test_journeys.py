"""Every person's path through the site, step by step, in real Chromium, with a picture per step.

Pictures go to SCREENSHOT_DIR (default tests/browser/screenshots/, git-ignored), one folder per
journey. The steps themselves live in tests/browser/journeys.py.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from actions.models import Action, ActionKind, OutboundMessage
from actions.models import Supporter as SupporterRecord
from actions.totals import totals_fold
from cms.models import CampaignPage
from tests.browser import journeys as steps
from tests.browser.journeys import PHONE, Supporter
from tests.factories import ActionFactory, SupporterFactory, campaign_page, email_target

TARGETS = ["Jeff Rosen", "Gavin Newsom"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign(live_server):
    # Targets we email directly and whose offices are always open, so every step acts at any hour.
    always_open = "Mon-Sun 00:00-24:00"
    return campaign_page(
        targets=[
            email_target(name="Jeff Rosen", phone="(408) 299-7400", office_hours=always_open),
            email_target(name="Gavin Newsom", title="Governor", phone="(916) 445-2841", office_hours=always_open),
        ],
        story=steps.STORY_WITH_EVERY_TEXT_BLOCK,
        share_text="Help keep Kang Hen home",
    )


def local_url(live_server, url: str) -> str:
    """A full URL the site built (for an email) pointed at the test server instead."""
    parts = urlsplit(url)
    return live_server.url + parts.path + (f"?{parts.query}" if parts.query else "")


def test_supporter_on_a_phone_from_a_shared_link(live_server, browser, campaign, screenshots):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    supporter = Supporter()
    phone_signs_from_a_shared_link(page, live_server.url + campaign.url, supporter, screenshots)
    phone_emails_both_targets(page, supporter, screenshots)
    phone_calls_both_offices(page, campaign, screenshots)
    phone_shares(page, screenshots)
    kinds = sorted(Action.objects.values_list("kind", flat=True))
    assert kinds == ["call", "call", "email", "share", "sign"], kinds

    # Back on the campaign page, the count a newcomer sees has risen too.
    steps.campaign_open(page, live_server.url + campaign.url)
    assert steps.counter_value(page) == 1
    screenshots.take(page, "campaign-after", full_page=False)
    context.close()


def phone_signs_from_a_shared_link(page, url: str, supporter: Supporter, screenshots):
    # 1. A friend's message: the shared link says where it was shared.
    steps.campaign_open(page, url, source="whatsapp")
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


def phone_emails_both_targets(page, supporter: Supporter, screenshots):
    # 4. Email both targets: the messages are written already; one is made personal.
    steps.next_step_follow(page, "Email the decision makers")
    steps.email_step_expect(page, targets=TARGETS)
    screenshots.take(page, "email")
    note = "Dear Governor Newsom,\n\nKang Hen is my neighbour. Please pardon him.\n\nSokha Chan"
    steps.email_send(page, supporter=supporter, targets=TARGETS, notes={"Gavin Newsom": note})
    screenshots.take(page, "email-sent")
    bodies = dict(OutboundMessage.objects.filter(kind="target").values_list("target__name", "body"))
    assert sorted(bodies) == sorted(TARGETS)
    assert bodies["Gavin Newsom"] == note
    assert bodies["Jeff Rosen"].startswith("Dear ")


def phone_calls_both_offices(page, campaign, screenshots):
    # 5. Call: the numbers are one tap away; afterwards, one tap logs what happened.
    steps.next_step_follow(page, "Call their offices")
    steps.call_step_expect(page, targets=TARGETS)
    expect(page.get_by_role("link", name="Call (408) 299-7400")).to_have_attribute("href", "tel:+14082997400")
    screenshots.take(page, "call")
    steps.call_log(page, target="Jeff Rosen", outcome="Talked to staff")
    steps.call_log(page, target="Gavin Newsom", outcome="Left a voicemail")
    screenshots.take(page, "call-logged")
    totals_fold()  # what the worker does once the call is stored
    page.reload()
    expect(page.locator(f"#target-{campaign.targets()[0].pk} [data-call-total]")).to_contain_text(
        "1 call logged to this office"
    )


def phone_shares(page, screenshots):
    # 6. Share: the supporter's own link carries their referral code; copying it counts a share.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    steps.next_step_follow(page, "Share with friends")
    steps.share_step_expect(page, referral_code=SupporterRecord.objects.get().referral_code)
    steps.share_copy(page)
    totals_fold()
    page.reload()
    expect(page.locator("[data-share-count]")).to_have_text("1 share so far.")
    expect(page.get_by_text("You have done everything this campaign asks.")).to_be_visible()
    screenshots.take(page, "share")


def test_returning_supporter_signs_from_a_one_click_link(live_server, browser, campaign, screenshots):
    # Someone who signed an earlier campaign gets this link in an email from us.
    known = SupporterFactory(first_name="Vanna", last_name="Ly")
    link = local_url(live_server, campaign.one_click_url(supporter=known, kind=ActionKind.SIGN))
    context = browser.new_context(**PHONE)
    page = context.new_page()

    # The link only says what will happen, with one button; opening it does nothing by itself.
    page.goto(link)
    steps.one_click_expect(page, says="adds your name, Vanna L.,", button="Sign as Vanna L.")
    assert not Action.objects.exists()
    screenshots.take(page, "one-click", full_page=False)
    # The same link, open in a second tab, is pressed again later.
    second = context.new_page()
    second.goto(link)

    page.locator("main").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, Vanna!")
    assert steps.counter_value(page) == 1
    screenshots.take(page, "signed", full_page=False)

    second.locator("main").get_by_role("button").click()
    expect(second).to_have_url(re.compile(r"/thanks/$"))
    assert Action.objects.filter(kind=ActionKind.SIGN, supporter=known).count() == 1
    # Opening the link once more says it is done, with nothing left to press.
    page.goto(link)
    expect(page.locator("main")).to_contain_text("You have already signed, Vanna.")
    expect(page.locator("main").get_by_role("button")).to_have_count(0)
    screenshots.take(page, "already-signed", full_page=False)
    steps.campaign_open(page, live_server.url + campaign.url)
    assert steps.counter_value(page) == 1
    context.close()


def test_one_click_link_to_a_step_opens_it_recognised(live_server, browser, campaign):
    known = SupporterFactory(first_name="Vanna", last_name="Ly")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(local_url(live_server, campaign.one_click_url(supporter=known, kind=ActionKind.EMAIL)))
    steps.one_click_expect(page, says="Nothing is sent until you choose to.", button="Continue as Vanna L.")
    page.locator("main").get_by_role("button").click()
    steps.email_step_expect(page, targets=TARGETS)
    expect(page.locator("main")).to_contain_text("Sending as Vanna Ly.")
    assert not OutboundMessage.objects.exists()
    context.close()


def test_supporter_with_keyboard_only(live_server, desktop_page, campaign, screenshots):
    page = desktop_page
    supporter = Supporter(first_name="Dara", email="dara@example.org")
    page.goto(live_server.url + campaign.url)
    keyboard_skips_the_header(page, screenshots)
    keyboard_signs_after_fixing_a_mistake(page, supporter, screenshots)
    keyboard_sends_the_email(page, supporter, screenshots)
    keyboard_logs_both_calls(page, screenshots)

    # Every step done, the keyboard reaches the share step and finds its way back to the campaign.
    steps.tab_to(page, page.locator(".next-step").get_by_role("link", name="Share with friends"), max_tabs=60)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Share with friends")
    steps.tab_to(page, page.locator(".share-links").get_by_role("link", name="WhatsApp"))
    screenshots.take(page, "share-focused", full_page=False)
    steps.tab_to(page, page.get_by_role("list", name="Your steps").get_by_role("link", name="Sign the petition"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(campaign.title)


def keyboard_skips_the_header(page, screenshots):
    # The first Tab lands on the skip link, which must show itself; Enter jumps past the header.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    steps.focus_visible_assert(page)
    screenshots.take(page, "skip-link", full_page=False)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def keyboard_signs_after_fixing_a_mistake(page, supporter: Supporter, screenshots):
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


def keyboard_sends_the_email(page, supporter: Supporter, screenshots):
    # The next step, the email, is reached and sent with the keyboard alone.
    steps.tab_to(page, page.locator(".next-step").get_by_role("link", name="Email the decision makers"))
    page.keyboard.press("Enter")
    steps.email_step_expect(page, targets=TARGETS)
    message = page.get_by_label("Message to Jeff Rosen")
    steps.tab_to(page, message)
    page.keyboard.press("Control+End")
    page.keyboard.type("\nI typed this with my keyboard.")
    screenshots.take(page, "email-step", full_page=False)
    steps.tab_to(page, page.locator("form.email-form").get_by_role("button"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Thank you, {supporter.first_name}!")
    assert "I typed this with my keyboard." in OutboundMessage.objects.get(target__name="Jeff Rosen").body
    screenshots.take(page, "email-sent", full_page=False)


def keyboard_logs_both_calls(page, screenshots):
    # The call step: Space presses an outcome button just as Enter does.
    steps.tab_to(page, page.locator(".next-step").get_by_role("link", name="Call their offices"))
    page.keyboard.press("Enter")
    steps.call_step_expect(page, targets=TARGETS)
    for target, outcome, key in (("Jeff Rosen", "Talked to staff", "Space"), ("Gavin Newsom", "Skipped", "Enter")):
        card = page.locator(".call-target").filter(has=page.get_by_role("heading", name=re.compile(f"^{target}")))
        steps.tab_to(page, card.get_by_role("button", name=outcome), max_tabs=60)
        screenshots.take(page, f"call-{key.lower()}-focused", full_page=False)
        page.keyboard.press(key)
        expect(card.locator(".call-logged")).to_have_text(f"✓ Logged: {outcome}")
    outcomes = sorted(Action.objects.filter(kind=ActionKind.CALL).values_list("outcome", flat=True))
    assert outcomes == ["skipped", "talked"], outcomes


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

    # Saved as a draft, the preview shows the edits while the public page still shows the old version.
    steps.admin_save_draft(page)
    preview = steps.admin_draft_preview_expect(page, live_server.url, news, "3,000", page_id=campaign.pk)
    screenshots.take(preview, "preview", full_page=False)
    preview.close()
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


def organisers_group():
    """The Organisers group with the permissions the reports data migration gives it.

    Transactional tests empty every table, so the group is made again here from the
    migration's own list; the permissions themselves are recreated by Django after each flush.
    (Re-running the migration function instead would create content types behind the
    content-type cache's back and break the tests that follow.)
    """
    import importlib

    from django.contrib.auth.models import Group, Permission

    migration = importlib.import_module("reports.migrations.0002_editors_and_organisers_groups")
    group = Group.objects.create(name="Organisers")
    for app_label, model, codename in migration.ORGANISER_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, content_type__model=model, codename=codename)
        )
    return group


def test_organiser_sees_the_overview_and_downloads_the_signatures(live_server, desktop_page, campaign, screenshots):
    organiser = get_user_model().objects.create_user(
        "olivia", "olivia@example.org", "organiser-test-password", is_staff=False
    )
    organiser.groups.add(organisers_group())
    for first, last in (("Sokha", "Chan"), ("Dara", "Ouk"), ("Vanna", "Ly")):
        supporter = SupporterFactory(first_name=first, last_name=last, city="San Jose")
        ActionFactory(kind=ActionKind.SIGN, campaign_id=campaign.pk, supporter=supporter, comment=f"For Kang, {first}")
    totals_fold()
    page = desktop_page

    steps.admin_login(page, live_server.url, username="olivia", password="organiser-test-password")
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Campaign overview").click()
    page.get_by_role("link", name=campaign.title).click()
    expect(page.get_by_role("heading", name="Progress")).to_be_visible()
    expect(page.locator("main")).to_contain_text("3 signatures counted of the current goal of 2,500")
    chart = page.locator("figure.report-figure svg").first
    expect(chart).to_be_visible()
    assert chart.bounding_box()["height"] > 50
    screenshots.take(page, "overview", full_page=False)
    page.get_by_role("heading", name="Actions per day").scroll_into_view_if_needed()
    screenshots.take(page, "chart", full_page=False)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"petition-{campaign.slug}-")
    rows = Path(download.path()).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].split(",") == ["Name", "City", "Comment", "Date"]
    assert sorted(row.split(",")[0] for row in rows[1:]) == ["Dara Ouk", "Sokha Chan", "Vanna Ly"]
    assert "For Kang, Dara" in "\n".join(rows)
