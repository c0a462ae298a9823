"""The embed: no chrome, no cookie, a signed form token, the partner's frame-ancestors, attribution."""

import re

import pytest
from django.test import Client

from actions.models import Action
from partners.embed_token import embed_token
from partners.models import PartnerConsent

from .conftest import partner_for, signer

pytestmark = pytest.mark.django_db


def embed_get(client, campaign, query=""):
    return client.get(f"{campaign.url}embed/{query}")


def token_in(response) -> str:
    return re.search(r'name="embed_token" value="([^"]+)"', response.content.decode()).group(1)


def started_in(response) -> str:
    return re.search(r'name="started" value="([^"]+)"', response.content.decode()).group(1)


def hidden_fields(response) -> dict:
    """The hidden inputs of the form as shown (token, start time, source, ref)."""
    html = response.content.decode()
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', html))


def embed_post(client, campaign, response, **extra):
    return client.post(f"{campaign.url}embed/", {**hidden_fields(response), **signer(**extra)})


def test_the_embed_has_the_form_without_the_site_chrome_and_sets_no_cookie(campaign, partner):
    response = embed_get(Client(), campaign, "?partner=alc")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' not in html and "skip-link" not in html
    assert 'name="embed_token"' in html and "csrfmiddlewaretoken" not in html
    assert "Keep me updated by Asian Law Caucus" in html
    assert response.cookies == {}
    assert "X-Frame-Options" not in response
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors https://alc.example.org http://127.0.0.1:8765" in csp
    assert "report-uri /csp-report/" in csp
    assert "no-store" in response["Cache-Control"]


def test_every_other_page_still_refuses_frames(client, campaign, partner):
    response = client.get(campaign.url)
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_signing_with_no_cookie_records_the_partner_and_keeps_source_and_ref(campaign, partner):
    client = Client(enforce_csrf_checks=True)
    shown = embed_get(client, campaign, "?partner=alc&source=newsletter&ref=abc123")
    client.cookies.clear()  # a frame on another site gets no cookie of ours
    response = embed_post(client, campaign, shown, partner_consent="on", consent="on")
    assert response.status_code == 200, response.content.decode()[:500]
    assert "Thank you, Mai!" in response.content.decode()
    assert response.cookies == {}
    action = Action.objects.get()
    assert (action.partner_id, action.source, action.referrer_code) == (partner.pk, "newsletter", "abc123")
    assert action.consent is True
    consent = PartnerConsent.objects.get()
    assert (consent.partner, consent.supporter, consent.text) == (partner, action.supporter, partner.opt_in_label)
    assert "frame-ancestors https://alc.example.org" in response["Content-Security-Policy"]


def test_the_partner_opt_in_is_kept_apart_from_the_campaign_consent(campaign, partner):
    client = Client(enforce_csrf_checks=True)
    embed_post(client, campaign, embed_get(client, campaign, "?partner=alc"))
    action = Action.objects.get()
    assert action.partner_id == partner.pk and action.consent is False
    assert not PartnerConsent.objects.exists()


@pytest.mark.parametrize("code", ["nobody", "ALC'; drop", "", "%00"])
def test_an_unknown_partner_code_gives_the_embed_without_attribution(client, campaign, partner, code):
    shown = embed_get(client, campaign, f"?partner={code}")
    assert shown.status_code == 200
    assert "Keep me updated" not in shown.content.decode()
    # Framing still follows the campaign's partners, so a mistyped code works on their sites.
    assert "frame-ancestors https://alc.example.org" in shown["Content-Security-Policy"]
    assert embed_post(client, campaign, shown).status_code == 200
    assert Action.objects.get().partner_id is None


def test_a_partner_not_allowed_on_this_campaign_is_not_attributed(client, campaign, partner):
    from tests.factories import campaign_page

    other = campaign_page()
    partner_for(other, code="faith", name="Faith Coalition", allowed_domains="https://faith.example.org")
    shown = embed_get(client, campaign, "?partner=faith")
    assert "faith.example.org" not in shown["Content-Security-Policy"]
    embed_post(client, campaign, shown)
    assert Action.objects.get().partner_id is None


def test_a_campaign_without_partners_may_be_framed_by_nobody(client, campaign):
    assert "frame-ancestors 'none'" in embed_get(client, campaign)["Content-Security-Policy"]


@pytest.mark.parametrize("token", ["", "forged", "eyJjIjoxfQ:1abc:xyz"])
def test_a_missing_or_forged_token_rerenders_the_form_and_writes_nothing(client, campaign, partner, token):
    shown = embed_get(client, campaign, "?partner=alc")
    response = client.post(f"{campaign.url}embed/", signer(embed_token=token, started=started_in(shown)))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="embed-token-notice"' in html and 'value="mai@example.org"' in html
    assert token_in(response) != token
    assert not Action.objects.exists()
    # The fresh token works.
    assert client.post(f"{campaign.url}embed/", signer(embed_token=token_in(response))).status_code == 200
    assert Action.objects.count() == 1


def test_an_expired_token_is_refused(client, campaign, partner, settings):
    settings.EMBED_TOKEN_MAX_AGE = -1
    shown = embed_get(client, campaign, "?partner=alc")
    assert embed_post(client, campaign, shown).status_code == 400
    assert not Action.objects.exists()


def test_a_token_for_another_campaign_is_refused(client, campaign, partner):
    from tests.factories import campaign_page

    other = campaign_page()
    response = client.post(
        f"{campaign.url}embed/", signer(embed_token=embed_token(campaign_id=other.pk, partner_id=None))
    )
    assert response.status_code == 400 and not Action.objects.exists()


def test_field_errors_show_by_their_fields_in_the_frame(client, campaign, partner):
    shown = embed_get(client, campaign, "?partner=alc")
    response = embed_post(client, campaign, shown, email="not-an-email")
    assert response.status_code == 400
    assert 'id="id_email_error"' in response.content.decode()
    assert "frame-ancestors https://alc.example.org" in response["Content-Security-Policy"]


def test_signing_twice_in_the_frame_keeps_one_signature_and_one_consent(client, campaign, partner):
    shown = embed_get(client, campaign, "?partner=alc")
    for _ in range(2):
        assert embed_post(client, campaign, shown, partner_consent="on").status_code == 200
    assert Action.objects.count() == 1 and PartnerConsent.objects.count() == 1


def test_the_embed_is_not_served_from_the_page_cache(client, campaign, partner):
    client.get(campaign.url)  # fills the page cache for the campaign page
    response = embed_get(client, campaign)
    assert "embed_token" in response.content.decode()
    assert "X-Frame-Options" not in response


def test_the_partner_logo_shows_in_the_embed(client, campaign, partner, settings, tmp_path):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    settings.MEDIA_ROOT = str(tmp_path)
    partner.logo = Image.objects.create(title="ALC logo", file=get_test_image_file())
    partner.save()
    html = embed_get(client, campaign, "?partner=alc").content.decode()
    assert 'class="embed-partner-logo"' in html and 'alt=""' in html
