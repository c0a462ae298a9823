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
