"""Page objects for the journeys: one small helper per step a person takes, shared by every test.

A journey test reads as the list of steps a person takes; each step here finds things the way a
person or a screen reader does (by role and label), waits for the result, and leaves the page
ready for the next step. New steps (email, call, share, one-click, organiser reports) belong here
as functions of the same shape, next to the step they follow.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page, expect

SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR") or Path(settings.BASE_DIR) / "tests" / "browser" / "screenshots")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


class Screenshots:
    """Saves one numbered picture per step of a journey into SCREENSHOT_DIR/<journey>/."""

    def __init__(self, journey: str):
        self.folder = SCREENSHOT_DIR / journey
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0

    def take(self, page: Page, step: str, *, full_page: bool = True) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
        return path


@dataclass
class Supporter:
    first_name: str = "Sokha"
    last_name: str = "Chan"
    email: str = "sokha.chan@example.org"
    city: str = "San Jose"
    postal_code: str = "95112"


# A story that uses every text block editors have, so the checks see each block's markup.
STORY_WITH_EVERY_TEXT_BLOCK = [
    ("paragraph", '<p>Kang came to California as a child refugee. <a href="/">Read more</a>.</p>'),
    ("pull_quote", {"quote": "My children need their father at home.", "attribution": "Kang Hen"}),
    (
        "timeline",
        {
            "heading": "What happened",
            "events": [
                {"date": "1994-01-01", "date_precision": "year", "text": "Arrested just after turning 18."},
                {"date": "2019-04-01", "date_precision": "day", "text": "Detained by ICE in San Francisco."},
            ],
        },
    ),
    ("call_out", {"heading": "Act today", "text": "<p>The hearing is soon.</p>", "tone": "urgent"}),
    ("call_out", {"heading": "Good to know", "text": "<p>Calls take two minutes.</p>", "tone": "info"}),
]


def hero_image(*, title: str = "Kang Hen with his family"):
    """A small real JPEG stored as a Wagtail image, for pages that show a hero picture."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.images.models import Image
    from wagtail.models import Collection

    # Transactional tests empty every table, Wagtail's root collection included.
    collection = Collection.get_first_root_node() or Collection.add_root(name="Root")
    buffer = BytesIO()
    PillowImage.new("RGB", (1600, 900), (155, 28, 28)).save(buffer, format="JPEG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="hero.jpg"), collection=collection)


# --- The campaign page ----------------------------------------------------------------------------


def campaign_open(page: Page, url: str, *, source: str = "") -> None:
    """Open the campaign the way a shared link does (``?source=`` says where it was shared)."""
    page.goto(url + (f"?source={source}" if source else ""))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def counter_value(page: Page) -> int:
    return int(re.sub(r"\D", "", page.locator("[data-counter-count]").first.inner_text()) or 0)


def email_field(page: Page):
    return page.get_by_role("textbox", name="Email", exact=True)


def sign_form_fill(page: Page, supporter: Supporter) -> None:
    page.get_by_label("First name").fill(supporter.first_name)
    page.get_by_label("Last name").fill(supporter.last_name)
    email_field(page).fill(supporter.email)
    page.get_by_label("City").fill(supporter.city)
    page.get_by_label("ZIP code").fill(supporter.postal_code)


def sign_submit(page: Page) -> None:
    page.locator("form.sign-form").get_by_role("button").click()


def sign(page: Page, supporter: Supporter) -> None:
    """Fill in the petition, send it, and arrive on the thank-you page."""
    sign_form_fill(page, supporter)
    sign_submit(page)
    thanks_expect(page, supporter=supporter)


def sign_with_mistake(page: Page, supporter: Supporter) -> None:
    """Send the form with an invalid email: the page comes back with errors and the input kept."""
    sign_form_fill(page, supporter)
    email_field(page).fill("not-an-email")
    sign_submit(page)
    expect(page.locator("#error-summary")).to_be_visible()


# --- After signing -------------------------------------------------------------------------------


def thanks_expect(page: Page, *, supporter: Supporter) -> None:
    expect(page).to_have_url(re.compile(r"/thanks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Thank you, {supporter.first_name}!")


def next_step_follow(page: Page, heading: str) -> None:
    """Press the "Next: ..." button the ladder offers after each step."""
    next_step = page.locator(".next-step")
    expect(next_step.get_by_role("heading")).to_have_text(f"Next: {heading}")
    next_step.get_by_role("link", name=heading).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def email_step_expect(page: Page, *, targets: list[str]) -> None:
    """The email step for a recognised supporter: one editable message per target, no form to
    fill in again."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Email the decision makers")
    expect(page.get_by_label("First name")).to_have_count(0)
    for name in targets:
        expect(page.get_by_label(f"Message to {name}")).to_be_visible()


def email_send(page: Page, *, supporter: Supporter, targets: list[str], notes: dict[str, str] | None = None) -> None:
    """Optionally rewrite some messages, send them all, and arrive on the confirmation that lists
    what went out to each target."""
    for name, text in (notes or {}).items():
        page.get_by_label(f"Message to {name}").fill(text)
    page.locator("form.email-form").get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Thank you, {supporter.first_name}!")
    for name in targets:
        expect(page.locator(".sent-list").get_by_role("heading", name=re.compile(rf"^To {name},"))).to_be_visible()


def call_step_expect(page: Page, *, targets: list[str]) -> None:
    expect(page).to_have_url(re.compile(r"/call/$"))
    for name in targets:
        expect(page.locator(".call-step").get_by_role("heading", name=re.compile(rf"^{name}"))).to_be_visible()


def call_log(page: Page, *, target: str, outcome: str) -> None:
    """After the call, one tap on what happened; the page comes back saying it is logged."""
    card = page.locator(".call-target").filter(has=page.get_by_role("heading", name=re.compile(rf"^{target}")))
    card.first.get_by_role("button", name=outcome).click()
    expect(page).to_have_url(re.compile(r"/call/\?logged=1"))
    expect(card.first.locator(".call-logged")).to_have_text(f"✓ Logged: {outcome}")


def share_step_expect(page: Page, *, referral_code: str) -> None:
    """The share step offers each channel and the supporter's own link, carrying their code."""
    expect(page).to_have_url(re.compile(r"/share/$"))
    expect(page.locator("[data-share-url]")).to_have_value(re.compile(rf"\?ref={referral_code}$"))
    expect(page.locator(".share-links").get_by_role("link", name="WhatsApp")).to_be_visible()


def share_copy(page: Page) -> None:
    """Copy the link; the page's script logs the share in the background, and waiting for that
    request (rather than for a fixed time) is what makes the count below it reliable."""
    with page.expect_response(lambda response: response.url.endswith("/share/log/")) as logged:
        page.get_by_role("button", name="Copy link").click()
    assert logged.value.status == 204, logged.value.status
    expect(page.get_by_role("status")).to_have_text("Link copied.")


# --- One-click links from emails ------------------------------------------------------------------


def one_click_expect(page: Page, *, says: str, button: str) -> None:
    """The page a link from an email opens: what will happen, in words, and exactly one button."""
    main = page.locator("main")
    expect(main).to_contain_text(says)
    expect(main.get_by_role("button")).to_have_count(1)
    expect(main.get_by_role("button")).to_have_text(button)


# --- Keyboard ------------------------------------------------------------------------------------

FOCUS_STYLE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    name: el.getAttribute('name') || el.id || el.textContent.trim().slice(0, 40),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    width: rect.width,
    height: rect.height,
    inViewport: rect.bottom > 0 && rect.right > 0 && rect.top < innerHeight && rect.left < innerWidth,
  };
}"""


def focus_visible_assert(page: Page) -> dict:
    """The focused element shows a real outline (at least 2px, not transparent) and is on screen."""
    focus = page.evaluate(FOCUS_STYLE_JS)
    assert focus is not None, "nothing has focus"
    visible = (
        focus["outlineStyle"] != "none"
        and focus["outlineWidth"] >= 2
        and "rgba(0, 0, 0, 0)" not in focus["outlineColor"]
        and focus["width"] > 0
        and focus["height"] > 0
        and focus["inViewport"]
    )
    assert visible, f"focus is not visible on {focus}"
    return focus


def tab_to(page: Page, locator, *, max_tabs: int = 40) -> int:
    """Press Tab until ``locator`` has focus, checking that every stop on the way shows its focus."""
    for presses in range(1, max_tabs + 1):
        page.keyboard.press("Tab")
        focus_visible_assert(page)
        if locator.evaluate("el => el === document.activeElement"):
            return presses
    raise AssertionError(f"{locator} was not reached with {max_tabs} presses of Tab")


def type_into_focused(page: Page, text: str) -> None:
    page.keyboard.type(text)


# --- The Wagtail admin ---------------------------------------------------------------------------


def admin_login(page: Page, base_url: str, *, username: str, password: str) -> None:
    """Log in through Wagtail's own login form, as an editor does."""
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def admin_page_edit_open(page: Page, base_url: str, *, page_id: int) -> None:
    page.goto(f"{base_url}/admin/pages/{page_id}/edit/")
    expect(page.get_by_role("tab", name="Story")).to_be_visible()


def admin_story_append(page: Page, text: str) -> None:
    """Type at the end of the story's first paragraph block (a Draftail rich text editor)."""
    page.get_by_role("tab", name="Story").click()
    editor = page.locator("#tab-story .public-DraftEditor-content").first
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)
    expect(editor).to_contain_text(text)
    # Draftail writes its content into the form's hidden input; leave the editor so the last
    # keystrokes are committed before anything reads the form.
    page.keyboard.press("Tab")
    story_input = page.locator("#tab-story input[type=hidden][name$='-value']").first
    expect(story_input).to_have_value(re.compile(re.escape(text.strip()[:20])), timeout=10_000)


def admin_goal_set(page: Page, goal: int) -> None:
    page.get_by_role("tab", name="Targets and actions").click()
    field = page.locator("#id_signature_goal")
    field.fill(str(goal))
    expect(field).to_have_value(str(goal))


def admin_save_draft(page: Page) -> None:
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(re.compile(r"has been updated"))).to_be_visible()


def admin_draft_preview_expect(page: Page, base_url: str, *texts: str, page_id: int) -> Page:
    """Open the saved draft's preview in a new tab, as an editor does, and wait for ``texts``."""
    preview = page.context.new_page()
    preview.goto(f"{base_url}/admin/pages/{page_id}/view_draft/")
    for text in texts:
        expect(preview.locator("main")).to_contain_text(text)
    return preview


def admin_publish(page: Page) -> None:
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text(re.compile(r"has been published"))).to_be_visible(
        timeout=20_000
    )  # a loaded CI box can take a while to save and publish
