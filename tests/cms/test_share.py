"""Share links with the referral code, share logging, referral attribution, social metadata."""

import io
from urllib.parse import unquote

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from actions.models import Action, ReferralVisit
from actions.selectors import campaign_totals
from actions.totals import totals_fold
from tests.factories import SupporterFactory, TargetFactory, campaign_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return campaign_page(targets=[TargetFactory()], share_text="Help keep Kang Hen home")


@pytest.fixture
def supporter():
    return SupporterFactory(first_name="Sok")


def test_every_share_link_carries_the_referral_code(client, campaign, supporter, recognise):
    html = recognise(client, supporter).get(campaign.url + "share/").content.decode()
    ref = f"ref={supporter.referral_code}"
    for start in ("mailto:?subject=", "sms:?&amp;body=", "https://wa.me/?text=", "https://www.facebook.com/sharer/"):
        links = [part for part in html.split('href="')[1:] if part.startswith(start)]
        assert len(links) == 1, start
        assert ref in unquote(links[0].split('"')[0]), start
    x_link = [part for part in html.split('href="')[1:] if part.startswith("https://x.com/intent/tweet?")][0]
    assert ref in unquote(x_link.split('"')[0]) and "Help+keep+Kang+Hen+home" in x_link
    # Copy-link: a script-driven button, and a selectable field that works without it.
    assert f'value="http://testserver{campaign.url}?{ref}" readonly data-share-url' in html
    assert "data-share-copy hidden" in html


def test_share_page_without_recognition_has_no_referral_code(client, campaign):
    html = client.get(campaign.url + "share/").content.decode()
    assert "?ref=" not in html and f'value="http://testserver{campaign.url}"' in html


def test_logging_a_share_records_the_channel_and_counts(client, campaign, supporter, recognise):
    recognise(client, supporter)
    assert client.post(campaign.url + "share/log/", {"channel": "whatsapp"}).status_code == 204
    action = Action.objects.get()
    assert (action.kind, action.outcome, action.supporter) == ("share", "whatsapp", supporter)
    totals_fold()
    assert campaign_totals(campaign_id=campaign.pk)["share"] == 1
    assert "1 share so far." in client.get(campaign.url + "share/").content.decode()


def test_share_log_refuses_get_unknown_channels_and_records_nothing_anonymous(client, campaign, supporter, recognise):
    assert client.get(campaign.url + "share/log/?channel=sms").status_code == 405
    assert client.post(campaign.url + "share/log/", {"channel": "sms"}).status_code == 204
    recognise(client, supporter)
    assert client.post(campaign.url + "share/log/", {"channel": "myspace"}).status_code == 400
    assert not Action.objects.exists()


def test_share_log_is_rate_limited_by_flagging(client, campaign, supporter, recognise, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "share_email": (1, 60, 60, 3600)}
    recognise(client, supporter)
    codes = [client.post(campaign.url + "share/log/", {"channel": "sms"}).status_code for _ in range(2)]
    assert codes == [204, 204]
    assert list(Action.objects.order_by("id").values_list("flagged", flat=True)) == [False, True]


def test_referral_visits_are_recorded_once_per_visitor_and_day(client, campaign, supporter):
    for _ in range(3):
        client.get(campaign.url + f"?ref={supporter.referral_code}")
    client.get(campaign.url + f"?ref={supporter.referral_code}", REMOTE_ADDR="10.0.0.9")
    client.get(campaign.url + "?ref=nosuchcode")
    visits = ReferralVisit.objects.filter(campaign=campaign)
    assert list(visits.values_list("referrer_code", flat=True)) == [supporter.referral_code] * 2


def test_opening_your_own_share_link_is_not_a_referral(client, campaign, supporter, recognise):
    recognise(client, supporter).get(campaign.url + f"?ref={supporter.referral_code}")
    assert not ReferralVisit.objects.exists()


def test_actions_arriving_through_a_referral_are_attributed(client, campaign, supporter, recognise):
    html = client.get(campaign.url + f"?ref={supporter.referral_code}").content.decode()
    assert f'name="ref" value="{supporter.referral_code}"' in html
    client.post(
        campaign.url,
        {
            "first_name": "Dara",
            "last_name": "Kim",
            "email": "dara@example.org",
            "postal_code": "95110",
            "country": "US",
            "ref": supporter.referral_code,
        },
    )
    assert Action.objects.get(kind="sign").referrer_code == supporter.referral_code
    html = recognise(client, supporter).get(campaign.url + "share/").content.decode()
    assert "Through your link: 1 visit, 1 action." in html


def _image(title="Kang Hen"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (155, 28, 28)).save(buffer, format="PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name="kang.png"))


def test_open_graph_and_twitter_metadata_come_from_the_promote_tab(client):
    page = campaign_page(social_description="Kang Hen has lived here 40 years.", social_image=_image())
    html = client.get(page.url).content.decode()
    assert '<meta property="og:title" content="Stop the Deportation of Test Person">' in html
    assert '<meta property="og:description" content="Kang Hen has lived here 40 years.">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:image" content="http' in html and ".fill-1200x630" in html
    assert '<meta property="og:image:width" content="1200">' in html


def test_social_metadata_falls_back_to_the_lede(client):
    page = campaign_page(lede="Tell the DA to act.")
    html = client.get(page.url).content.decode()
    assert '<meta property="og:description" content="Tell the DA to act.">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_promote_tab_has_the_sharing_fields():
    from cms.models import CampaignPage

    promote = next(tab for tab in CampaignPage.get_edit_handler().children if tab.heading == "Promote")
    fields = set(promote.get_form_options()["fields"])
    assert {"social_image", "social_description", "seo_title"} <= fields
