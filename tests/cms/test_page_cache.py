import re

import pytest
from django.test import Client

from actions.models import Action
from cms import page_cache
from tests.factories import campaign_page

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="started" value="([^"]+)"')


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.SIGN_MIN_SECONDS = 0
    return settings


@pytest.fixture
def campaign():
    return campaign_page(title="Free Test Person")


def test_second_visitor_is_served_from_cache_without_touching_the_database(cached, campaign, django_assert_num_queries):
    first = Client().get(campaign.url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = Client().get(campaign.url)
    assert second.status_code == 200
    assert "Free Test Person" in second.content.decode()


def test_each_visitor_gets_own_tokens_and_never_a_placeholder(cached, campaign):
    pages = [Client().get(campaign.url) for _ in range(3)]
    htmls = [page.content.decode() for page in pages]
    for html in htmls:
        assert page_cache.CSRF_PLACEHOLDER not in html and page_cache.STARTED_PLACEHOLDER not in html
    tokens = [CSRF.search(html).group(1) for html in htmls]
    assert len(set(tokens)) == 3
    cookies = [page.cookies["csrftoken"].value for page in pages]
    assert len(set(cookies)) == 3  # a CSRF cookie is set on a cache hit too, one per visitor
    assert all(STARTED.search(html).group(1) for html in htmls)


def test_a_cached_page_signs_and_counts(cached, campaign):
    Client().get(campaign.url)  # fills the cache
    client = Client(enforce_csrf_checks=True)
    html = client.get(campaign.url).content.decode()
    data = {
        "csrfmiddlewaretoken": CSRF.search(html).group(1),
        "started": STARTED.search(html).group(1),
        "first_name": "Sok",
        "last_name": "Chea",
        "email": "sok@example.org",
        "postal_code": "95110",
        "country": "US",
    }
    response = client.post(campaign.url, data)
    assert response.status_code == 302
    action = Action.objects.get()
    assert not action.flagged


def test_query_strings_and_returning_supporters_are_not_cached(cached, campaign, django_assert_max_num_queries):
    with_source = Client().get(campaign.url + "?source=newsletter").content.decode()
    assert 'value="newsletter"' in with_source
    plain = Client().get(campaign.url).content.decode()
    assert 'value="newsletter"' not in plain

    returning = Client()
    returning.cookies["supporter"] = "anything"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert returning.get(campaign.url).status_code == 200
    assert len(queries.captured_queries) > 0  # rendered for them, not served from the shared cache


def test_cache_is_off_when_seconds_is_zero(settings, campaign):
    settings.PAGE_CACHE_SECONDS = 0
    Client().get(campaign.url)
    campaign.title = "Changed title"
    campaign.save_revision().publish()
    assert "Changed title" in Client().get(campaign.url).content.decode()


def test_totals_endpoint_serves_repeat_polls_from_cache(cached, campaign, django_assert_num_queries):
    client = Client()
    assert client.get(f"/api/campaigns/{campaign.pk}/totals.json").json()["goal"] == 2500
    with django_assert_num_queries(0):
        assert client.get(f"/api/campaigns/{campaign.pk}/totals.json").json()["goal"] == 2500


def test_publishing_makes_cached_pages_stale_at_once(client, settings):
    from django.test import Client

    from tests.factories import campaign_page

    settings.PAGE_CACHE_SECONDS = 60
    page = campaign_page(lede="The first lede.")
    assert "The first lede." in Client().get(page.url).content.decode()
    page.lede = "A newer lede."
    page.save_revision().publish()
    assert "A newer lede." in Client().get(page.url).content.decode()


def test_odd_bytes_in_the_path_make_a_safe_cache_key(rf):
    from cms.page_cache import cache_key

    key = cache_key(rf.get("/campaign/\x11>£"))
    assert key.isascii() and " " not in key and len(key) < 120
