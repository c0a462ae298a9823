"""A partner's page frames the petition in real Chromium with third-party cookies blocked.

The partner's site is a tiny ``http.server`` on another origin (127.0.0.1 and its own port; the
campaign site is ``localhost``, so the frame is a third party). A supporter signs inside the
frame, the frame sizes itself to its content, the campaign's count rises by one and the action
carries the partner. The same embed on a site not on the partner's list is refused by the
browser (frame-ancestors) and the refusal is reported to ``/csp-report/``.
"""

import logging
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from actions.models import Action
from partners.models import Partner
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import TargetFactory, campaign_page
from tests.waiting import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTNER_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Asian Law Caucus: stand with Kang Hen</title>
<style>body{{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;background:#f3f6f4}}
header{{background:#1d4d3a;color:#fff;padding:1rem 1.5rem;border-radius:.5rem}}</style></head>
<body><header><h1>Asian Law Caucus</h1><p>Our community stands with Kang Hen. Sign below.</p></header>
{snippet}
<footer><p>Asian Law Caucus, San Francisco</p></footer></body></html>"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def partner_site(tmp_path):
    """Serve ``tmp_path`` on 127.0.0.1 (a port of its own): the partner's web site."""
    servers = []

    def start(html: str) -> str:
        folder = tmp_path / f"site{len(servers)}"
        folder.mkdir()
        (folder / "index.html").write_text(html)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def cookieless_context(browser):
    """A Chromium whose frames on another site get no cookies (third-party cookies blocked)."""
    blocked = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--test-third-party-cookie-phaseout"]
    )
    context = blocked.new_context(viewport={"width": 1000, "height": 1250})
    yield context
    context.close()
    blocked.close()


def _snippet(live_server, campaign, code="alc") -> str:
    from partners.embed_code import embed_snippet

    return embed_snippet(
        campaign_url=live_server.url + campaign.url,
        campaign_title=campaign.title,
        partner_code=code,
        site_root=live_server.url,
    )


def _campaign(live_server, settings):
    settings.SIGN_MIN_SECONDS = 0
    return campaign_page(title="Stop the Deportation of Kang Hen", targets=[TargetFactory()])


def test_a_supporter_signs_inside_a_partners_frame_with_no_cookie(
    live_server, settings, cookieless_context, partner_site, screenshots
):
    campaign = _campaign(live_server, settings)
    partner = Partner.objects.create(name="Asian Law Caucus", code="alc")
    partner.campaigns.add(campaign)
    # The partner's site must be on the list before its port is known: start it, then list it.
    origin = partner_site(PARTNER_PAGE.format(snippet=_snippet(live_server, campaign)))
    Partner.objects.filter(pk=partner.pk).update(allowed_domains=origin)

    top = cookieless_context.new_page()
    top.goto(live_server.url + campaign.url)  # our own cookies exist in this browser now...
    expect(top.locator("[data-counter-count]")).to_have_text("0")
    assert cookieless_context.cookies(live_server.url)

    embed_requests = []
    page = cookieless_context.new_page()
    page.on("request", lambda r: embed_requests.append(r) if "/embed/" in r.url else None)
    page.goto(origin + "/index.html")
    frame = page.frame_locator("iframe[data-advocacy-embed]")
    expect(frame.get_by_role("heading", name="Sign the petition")).to_be_visible()
    iframe = page.locator("iframe[data-advocacy-embed]")
    _assert_frame_fits(page, iframe)
    screenshots.take(page, "partner-page-framing-the-petition", full_page=False)

    frame.get_by_label("First name").fill("Sokha")
    frame.get_by_label("Last name").fill("Chan")
    frame.get_by_role("textbox", name="Email", exact=True).fill("sokha.chan@example.org")
    frame.get_by_label("City").fill("San Jose")
    frame.get_by_label("ZIP code").fill("95112")
    frame.get_by_label("Keep me updated by Asian Law Caucus").check()
    frame.get_by_role("button", name="Sign now").click()
    expect(frame.get_by_role("heading", name="Thank you, Sokha!")).to_be_visible()
    expect(frame.locator("[data-counter-count]")).to_have_text("1")
    _assert_frame_fits(page, iframe)
    screenshots.take(page, "signed-inside-the-frame", full_page=False)

    # ...but none was sent to, or set by, the frame: it worked on its signed token alone.
    posts = [r for r in embed_requests if r.method == "POST"]
    assert len(posts) == 1 and len(embed_requests) == 2
    for request in embed_requests:
        assert "cookie" not in request.all_headers()
        assert "set-cookie" not in request.response().all_headers()
    action = Action.objects.get(campaign_id=campaign.pk)
    assert (action.partner_id, action.flagged) == (partner.pk, False)
    assert action.supporter.partner_consents.get().partner == partner
    top.reload()
    expect(top.locator("[data-counter-count]")).to_have_text("1")


def _assert_frame_fits(page, iframe) -> None:
    """The frame settles at its content's height. Both are read together on every poll: while
    a resize is under way the content can reflow (a scrollbar comes or goes), so a height read
    once could be one the frame rightly never takes."""
    fits = wait_for(lambda: iframe.get_attribute("data-advocacy-height") == str(_content_height(page)), timeout=10)
    assert fits, (iframe.get_attribute("data-advocacy-height"), _content_height(page))


def _content_height(page) -> int:
    """The frame's own document height as the resize script clamps it (200 to 5000 px)."""
    frame = next(f for f in page.frames if "/embed/" in f.url)
    height = frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
    return max(200, min(5000, height))


def test_a_site_not_on_the_list_cannot_frame_the_embed(live_server, settings, cookieless_context, partner_site, caplog):
    campaign = _campaign(live_server, settings)
    partner = Partner.objects.create(name="Asian Law Caucus", code="alc", allowed_domains="https://alc.example.org")
    partner.campaigns.add(campaign)
    stranger = partner_site(PARTNER_PAGE.format(snippet=_snippet(live_server, campaign)))
    page = cookieless_context.new_page()
    with caplog.at_level(logging.WARNING, logger="partners.csp_reports"):
        page.goto(stranger + "/index.html")
        # Chromium replaces a refused frame with its own error page: no form, no heading.
        assert wait_for(lambda: "directive=frame-ancestors" in caplog.text, timeout=15)
    frame = page.frame_locator("iframe[data-advocacy-embed]")
    expect(frame.locator("form.embed-form")).to_have_count(0)
    expect(frame.get_by_role("heading", name="Sign the petition")).to_have_count(0)
    # Chromium reports the refused document by its origin only (no path, no query string).
    assert f"blocked={live_server.url}" in caplog.text and stranger not in caplog.text
    assert not Action.objects.exists()
