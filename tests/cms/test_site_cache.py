import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from tests.factories import campaign_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncached(settings):
    settings.PAGE_CACHE_SECONDS = 0
    return settings


@pytest.fixture
def campaign():
    return campaign_page(title="Free Test Person")


def _sql(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, " ".join(q["sql"] for q in queries.captured_queries)


def test_a_repeat_page_view_asks_neither_for_the_site_nor_for_privacy_settings(uncached, campaign):
    client = Client()
    first, first_sql = _sql(client, campaign.url)
    assert first.status_code == 200
    assert "wagtailcore_site" in first_sql  # the first request in this process looks it up
    second, second_sql = _sql(client, campaign.url)
    assert second.status_code == 200
    assert "Free Test Person" in second.content.decode()
    assert "wagtailcore_site" not in second_sql
    assert "wagtailcore_pageviewrestriction" not in second_sql


def test_a_privacy_setting_applies_on_the_very_next_request(uncached, campaign):
    client = Client()
    assert 'name="password"' not in client.get(campaign.url).content.decode()
    PageViewRestriction.objects.create(page=campaign, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")
    html = client.get(campaign.url).content.decode()
    assert 'name="password"' in html


def test_a_changed_site_is_noticed_on_the_next_request(uncached, campaign):
    client = Client()
    assert client.get(campaign.url).status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.root_page = campaign.get_parent().get_parent()  # the tree root: the home page's slug is now in the path
    site.save()
    assert client.get(campaign.url).status_code == 404


def test_a_campaign_is_routed_without_a_query_until_a_page_is_published(uncached, campaign):
    client = Client()
    client.get(campaign.url)
    _, sql = _sql(client, campaign.url)
    assert "cms_campaignpage" not in sql  # the campaign's row is remembered by this process
    campaign.title = "Free Kang Hen Now"
    campaign.save_revision().publish()
    response, sql = _sql(client, campaign.url)
    assert "Free Kang Hen Now" in response.content.decode()  # seen on the very next request
    assert "cms_campaignpage" in sql


def test_each_request_gets_its_own_campaign_instance_with_its_story(campaign):
    from cms import site_cache
    from cms.models import CampaignPage

    home = campaign.get_parent().specific
    first = site_cache.child_for(home, campaign.slug, CampaignPage)
    second = site_cache.child_for(home, campaign.slug, CampaignPage)
    assert first is not second and first.pk == second.pk == campaign.pk
    assert [b.block_type for b in first.story] == [b.block_type for b in campaign.story]
    first.title = "changed in one request only"
    assert second.title == campaign.title
    assert site_cache.child_for(home, "no-such-campaign", CampaignPage) is None


def test_another_process_change_is_seen_once_the_trusted_version_expires(uncached, campaign, monkeypatch):
    from django.core.cache import cache

    from cms import site_cache
    from cms.models import CampaignPage

    client = Client()
    assert client.get(campaign.url).status_code == 200
    # Another process renames the campaign: its row changes and it replaces the shared version.
    CampaignPage.objects.filter(pk=campaign.pk).update(title="Renamed Elsewhere")
    cache.set(site_cache.VERSION_KEY, "from-another-process", timeout=None)
    monkeypatch.setattr(site_cache, "VERSION_TRUST_SECONDS", 0.0)
    assert "Renamed Elsewhere" in client.get(campaign.url).content.decode()


def _sign(client, page, email):
    return client.post(
        page.url,
        {
            "first_name": "Ana",
            "last_name": "Lopez",
            "email": email,
            "country": "US",
            "postal_code": "95110",
            "started": "",
        },
    )


def test_the_redirect_after_signing_follows_a_moved_campaign_at_once(uncached, campaign, settings):
    settings.SIGN_MIN_SECONDS = 0
    client = Client()
    first = _sign(client, campaign, "ana@example.org")
    assert first.status_code == 302 and first["Location"] == campaign.url + "thanks/"
    old_url = campaign.url
    campaign.slug = "free-test-person-now"
    campaign.save_revision().publish()
    campaign.refresh_from_db()
    assert campaign.url != old_url
    second = _sign(Client(), campaign, "ben@example.org")
    # The remembered URL belonged to the old site version: the new slug is used at once.
    assert second.status_code == 302 and second["Location"] == campaign.url + "thanks/"


def test_route_urls_are_built_without_the_site_version_when_the_cache_is_down(campaign, monkeypatch):
    from cms import site_cache

    remembered = site_cache.route_url(campaign, "thanks")
    assert remembered == campaign.url + "thanks/"
    monkeypatch.setattr(site_cache, "_request_version", lambda: None)
    site_cache._urls.clear()
    assert site_cache.route_url(campaign, "email") == campaign.url + "email/"
    assert site_cache._urls == {}  # nothing remembered without a version to file it under
    assert campaign.route_url("call_me_state", session_id="5f0c6a3e-0c83-4a55-9a39-0d3f5a0b7c11").endswith(
        "/call/me/5f0c6a3e-0c83-4a55-9a39-0d3f5a0b7c11/"
    )
