"""axe-core on every state a supporter sees, plus what axe cannot judge alone: announced errors,
the progress bar's name and value, contrast, and reading at 200% zoom."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_violations, axe_run
from tests.browser.journeys import (
    STORY_WITH_EVERY_TEXT_BLOCK,
    Supporter,
    call_log,
    call_step_expect,
    campaign_open,
    email_send,
    email_step_expect,
    hero_image,
    sign,
    sign_submit,
    sign_with_mistake,
)
from tests.factories import SupporterFactory, TargetFactory, campaign_page, email_target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign_url(live_server):
    campaign = campaign_page(
        targets=[TargetFactory(name="Jeff Rosen"), TargetFactory(name="Gavin Newsom")],
        story=STORY_WITH_EVERY_TEXT_BLOCK,
        hero_image=hero_image(),
        hero_alt="Kang Hen at home with his wife and children",
    )
    return live_server.url + campaign.url


def test_campaign_page_has_no_serious_violations(campaign_url, phone_page):
    campaign_open(phone_page, campaign_url)
    assert_no_serious_violations(phone_page, label="the campaign page")


def test_home_page_has_no_serious_violations(campaign_url, live_server, phone_page):
    phone_page.goto(live_server.url + "/")
    expect(phone_page.get_by_role("link", name="Stop the Deportation of Test Person")).to_be_visible()
    assert_no_serious_violations(phone_page, label="the home page")


def test_closed_campaign_has_no_serious_violations(live_server, phone_page):
    campaign = campaign_page(is_open=False, result="<p>Kang Hen was <b>pardoned</b>. Thank you.</p>")
    campaign_open(phone_page, live_server.url + campaign.url)
    expect(phone_page.get_by_role("heading", name="This campaign has closed")).to_be_visible()
    assert_no_serious_violations(phone_page, label="a closed campaign")


def test_form_with_errors_has_no_serious_violations_and_is_announced(campaign_url, phone_page):
    page = phone_page
    campaign_open(page, campaign_url)
    sign_with_mistake(page, Supporter())

    summary = page.locator("#error-summary")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("valid email")
    expect(page).to_have_title(re.compile(r"^Error: "))
    # Each field error is tied to its field, so a screen reader reads it on focus.
    email = page.get_by_role("textbox", name="Email", exact=True)
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description("Enter a valid email address.")
    # The summary's links take the keyboard to the field to fix.
    summary.get_by_role("link").first.click()
    expect(email).to_be_focused()
    assert_no_serious_violations(page, label="the form with errors")


def test_errors_are_announced_without_javascript(campaign_url, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    campaign_open(page, campaign_url)
    sign_submit(page)
    # No script moves focus here; role=alert makes the summary announce itself on load.
    expect(page.get_by_role("alert")).to_contain_text("Please check the form")
    # The title is the first thing read on arrival: it says at once that something needs fixing.
    expect(page).to_have_title(re.compile(r"^Error: Stop the Deportation"))
    context.close()


def test_thank_you_page_has_no_serious_violations(campaign_url, phone_page):
    campaign_open(phone_page, campaign_url)
    sign(phone_page, Supporter())
    assert_no_serious_violations(phone_page, label="the thank-you page")


def test_progress_bar_has_accessible_name_and_value(campaign_url, phone_page):
    campaign_open(phone_page, campaign_url)
    bar = phone_page.get_by_role("progressbar", name="Signatures towards the goal")
    expect(bar).to_have_attribute("max", "2500")
    expect(bar).to_have_attribute("value", "0")
    sign(phone_page, Supporter())
    bar = phone_page.get_by_role("progressbar", name="Signatures towards the goal")
    expect(bar).to_have_attribute("value", "1")
    # What assistive technology reads as the bar's value.
    snapshot = phone_page.locator(".counter").aria_snapshot()
    assert 'progressbar "Signatures towards the goal"' in snapshot, snapshot


def _luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in re.findall(r"[\d.]+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# The nearest opaque background behind an element, as the eye sees it.
COLOURS_JS = """(sel) => {
  const el = document.querySelector(sel);
  let bg = 'rgba(0, 0, 0, 0)';
  for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
    const colour = getComputedStyle(node).backgroundColor;
    if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') { bg = colour; break; }
  }
  if (bg === 'rgba(0, 0, 0, 0)') bg = 'rgb(255, 255, 255)';
  const style = getComputedStyle(el);
  return {color: style.color, background: bg, outline: style.outlineColor};
}"""


def test_colour_contrast_holds(campaign_url, phone_page):
    page = phone_page
    campaign_open(page, campaign_url)
    sign_with_mistake(page, Supporter())
    results = axe_run(page, tags=["wcag2aa"])
    contrast = [v for v in results["violations"] if v["id"] == "color-contrast"]
    assert contrast == [], contrast

    # Our own check of the colours that carry meaning, against WCAG AA's 4.5:1 for text.
    for selector in (".button-primary", ".error-message", ".lede", ".site-footer p", ".required", ".counter-text"):
        colours = page.evaluate(COLOURS_JS, selector)
        ratio = contrast_ratio(colours["color"], colours["background"])
        assert ratio >= 4.5, f"{selector}: {colours} has contrast {ratio:.2f}:1"
    # The focus ring is a non-text indicator: at least 3:1 against the page around it.
    page.get_by_label("City").focus()
    colours = page.evaluate(COLOURS_JS, "#id_city")
    ratio = contrast_ratio(colours["outline"], page.evaluate(COLOURS_JS, ".campaign-action")["background"])
    assert ratio >= 3, f"focus ring contrast {ratio:.2f}:1"


def test_axe_helper_fails_on_a_real_violation(browser):
    # The checks above are only worth something if the helper does fail on a real problem.
    context = browser.new_context()
    page = context.new_page()
    page.set_content(
        '<html lang="en"><body><main><h1>Hi</h1><p style="color:#bbb;background:#fff">faint</p>'
        '<input type="text"></main></body></html>'
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_no_serious_violations(page, label="a broken page")
    assert "color-contrast" in str(failure.value)
    assert "label" in str(failure.value)
    context.close()


@pytest.mark.parametrize("width", [640, 320], ids=["200pct-of-1280", "400pct-of-1280"])
def test_page_reads_at_high_zoom(campaign_url, browser, width):
    # Zooming a 1280px-wide window to 200% lays the page out in 640 CSS pixels at twice the pixel
    # density; 320px is WCAG's reflow width (400%). Nothing may need sideways scrolling.
    context = browser.new_context(viewport={"width": width, "height": 512}, device_scale_factor=1280 // width)
    page = context.new_page()
    campaign_open(page, campaign_url)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px wide"
    for label in ("First name", "Last name", "City", "ZIP code"):
        box = page.get_by_label(label).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{label} is cut off: {box}"
    sign(page, Supporter())
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the thank-you page scrolls sideways by {overflow}px at {width}px wide"
    context.close()


# --- Every action state after the campaign page ---------------------------------------------------


@pytest.fixture
def steps_campaign(live_server):
    always_open = "Mon-Sun 00:00-24:00"
    return campaign_page(
        targets=[
            email_target(name="Jeff Rosen", phone="(408) 299-7400", office_hours=always_open),
            email_target(name="Gavin Newsom", title="Governor", phone="(916) 445-2841"),
        ],
        share_text="Help keep Kang Hen home",
    )


def _signed(page, live_server, campaign):
    campaign_open(page, live_server.url + campaign.url)
    sign(page, Supporter())


def test_email_step_form_has_no_serious_violations(live_server, steps_campaign, phone_page):
    # A newcomer who lands on the email step first is asked who is writing.
    phone_page.goto(live_server.url + steps_campaign.url + "email/")
    expect(phone_page.get_by_role("group", name="Who is writing")).to_be_visible()
    assert_no_serious_violations(phone_page, label="the email step (form)")
    phone_page.locator("form.email-form").get_by_role("button").click()
    expect(phone_page.locator("#error-summary")).to_be_visible()
    assert_no_serious_violations(phone_page, label="the email step with errors")


def test_email_step_and_confirmation_have_no_serious_violations(live_server, steps_campaign, phone_page):
    page = phone_page
    _signed(page, live_server, steps_campaign)
    page.goto(live_server.url + steps_campaign.url + "email/")
    email_step_expect(page, targets=["Jeff Rosen", "Gavin Newsom"])
    assert_no_serious_violations(page, label="the email step (recognised)")
    email_send(page, supporter=Supporter(), targets=["Jeff Rosen", "Gavin Newsom"])
    assert_no_serious_violations(page, label="the email sent confirmation")


def test_call_and_share_steps_have_no_serious_violations(live_server, steps_campaign, phone_page):
    page = phone_page
    _signed(page, live_server, steps_campaign)
    page.goto(live_server.url + steps_campaign.url + "call/")
    call_step_expect(page, targets=["Jeff Rosen", "Gavin Newsom"])
    assert_no_serious_violations(page, label="the call step")
    call_log(page, target="Jeff Rosen", outcome="Talked to staff")
    assert_no_serious_violations(page, label="the call step with a logged call")
    page.goto(live_server.url + steps_campaign.url + "share/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Share with friends")
    assert_no_serious_violations(page, label="the share step")


def test_one_click_pages_have_no_serious_violations(live_server, steps_campaign, phone_page):
    from urllib.parse import urlsplit

    known = SupporterFactory(first_name="Vanna", last_name="Ly")
    for kind in ("sign", "call"):
        link = urlsplit(steps_campaign.one_click_url(supporter=known, kind=kind)).path
        phone_page.goto(live_server.url + link)
        expect(phone_page.locator("main").get_by_role("button")).to_have_count(1)
        assert_no_serious_violations(phone_page, label=f"the one-click {kind} page")
    # An altered link: the campaign page comes back with a clean 400 and says why.
    response = phone_page.goto(live_server.url + link.replace("/go/call/", "/go/sign/"))
    assert response.status == 400
    expect(phone_page.get_by_role("alert")).to_contain_text("That link doesn't work any more.")
    expect(phone_page.locator("form.sign-form")).to_be_visible()
    assert_no_serious_violations(phone_page, label="the bad-link page")
