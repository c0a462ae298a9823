"""The page HTML cache (cms/page_cache.py): what is a hit, what is never cached, what clears it.

A hit is proven, not assumed: it runs no database query and still shows what the page said
when it was stored, even after the row changed underneath; a miss shows the change. Each
visitor's CSRF token and start time are their own, on a hit as on a miss.
"""

import datetime
import re
import time
import types

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from cms import page_cache, site_cache
from cms.models import CampaignPage
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
    return campaign_page(title="Free Test Person", lede="The first lede.")


def get(client, url):
    """(HTML, number of database queries the request ran)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode(), len(queries.captured_queries)


def change_behind_the_cache(page, **fields):
    """Change the page's row directly: no publishing, so nothing tells the cache."""
    CampaignPage.objects.filter(pk=page.pk).update(**fields)


def test_a_hit_runs_no_query_and_serves_the_stored_html(cached, campaign):
    html, queries = get(Client(), campaign.url)
    assert "Free Test Person" in html and queries > 0  # a miss renders the page
    change_behind_the_cache(campaign, title="Changed Behind The Cache")
    html, queries = get(Client(), campaign.url)
    assert queries == 0
    assert "Free Test Person" in html and "Changed Behind The Cache" not in html


def test_publishing_makes_cached_pages_stale_at_once(cached, campaign):
    get(Client(), campaign.url)
    change_behind_the_cache(campaign, lede="A newer lede.")
    assert "The first lede." in get(Client(), campaign.url)[0]  # still the stored page
    campaign.refresh_from_db()
    campaign.save_revision().publish()
    html, queries = get(Client(), campaign.url)
    assert "A newer lede." in html and queries > 0


def test_cache_is_off_when_seconds_is_zero(settings, campaign):
    settings.PAGE_CACHE_SECONDS = 0
    get(Client(), campaign.url)
    change_behind_the_cache(campaign, title="Changed Behind The Cache")
    # The page's row is also remembered per process until a page is saved (cms.site_cache);
    # only the rendered-page cache is under test here, so tell the row memory directly.
    site_cache.sites_changed()
    html, queries = get(Client(), campaign.url)
    assert "Changed Behind The Cache" in html and queries > 0


@pytest.fixture
def clock(monkeypatch):
    """clock.now: the time the form's start-time token records (actions.fill_time sees this one)."""
    from actions import fill_time

    state = types.SimpleNamespace(now=1_900_000_000)
    monkeypatch.setattr(fill_time, "time", types.SimpleNamespace(time=lambda: state.now))
    return state


def test_each_visitor_gets_own_tokens_and_never_a_placeholder(cached, campaign, clock):
    clients, htmls = [Client(enforce_csrf_checks=True) for _ in range(3)], []
    for n, client in enumerate(clients):
        clock.now += 100  # a later visitor, so a start time copied from the stored page shows
        html, queries = get(client, campaign.url)
        assert (queries == 0) == (n > 0)  # the first visitor fills the cache, the others hit it
        assert page_cache.CSRF_PLACEHOLDER not in html and page_cache.STARTED_PLACEHOLDER not in html
        assert signing.loads(STARTED.search(html).group(1), salt="actions.forms.started") == clock.now
        htmls.append(html)
    tokens = [CSRF.search(html).group(1) for html in htmls]
    assert len(set(tokens)) == 3
    assert len({client.cookies["csrftoken"].value for client in clients}) == 3  # a cookie on a hit too
    # Another visitor's token is refused; each visitor's own works (see test_a_cached_page_signs...).
    assert clients[2].post(campaign.url, sign_data(tokens[1], htmls[2], n=2)).status_code == 403
    for n, client in enumerate(clients):
        assert client.post(campaign.url, sign_data(tokens[n], htmls[n], n=n)).status_code == 302
    assert Action.objects.filter(flagged=False).count() == 3


def sign_data(token: str, html: str, *, n: int) -> dict:
    return {
        "csrfmiddlewaretoken": token,
        "started": STARTED.search(html).group(1),
        "first_name": "Sok",
        "last_name": "Chea",
        "email": f"sok{n}@example.org",
        "postal_code": "95110",
        "country": "US",
    }


def test_a_cached_page_signs_and_counts(cached, campaign):
    get(Client(), campaign.url)  # fills the cache
    client = Client(enforce_csrf_checks=True)
    html, queries = get(client, campaign.url)
    assert queries == 0
    response = client.post(campaign.url, sign_data(CSRF.search(html).group(1), html, n=0))
    assert response.status_code == 302
    action = Action.objects.get()
    assert not action.flagged


def test_query_strings_and_returning_supporters_are_not_cached(cached, campaign):
    with_source, _ = get(Client(), campaign.url + "?source=newsletter")
    assert 'value="newsletter"' in with_source
    plain, _ = get(Client(), campaign.url)
    assert 'value="newsletter"' not in plain
    assert get(Client(), campaign.url)[1] == 0  # the plain page is cached now...
    again, queries = get(Client(), campaign.url + "?source=newsletter")
    assert 'value="newsletter"' in again and queries > 0  # ...a query string never is
    returning = Client()
    returning.cookies["supporter"] = "anything"
    assert get(returning, campaign.url)[1] > 0  # rendered for them, not served from the shared cache


def test_totals_endpoint_serves_repeat_polls_from_cache(cached, campaign, django_assert_num_queries):
    client = Client()
    assert client.get(f"/api/campaigns/{campaign.pk}/totals.json").json()["goal"] == 2500
    with django_assert_num_queries(0):
        assert client.get(f"/api/campaigns/{campaign.pk}/totals.json").json()["goal"] == 2500


def test_odd_bytes_in_the_path_make_a_safe_cache_key(rf):
    key = page_cache.cache_key(rf.get("/campaign/\x11>£"))
    assert key.isascii() and " " not in key and len(key) < 120


@pytest.fixture
def monotonic(monkeypatch):
    """page_cache's own clock (the local HTML's lifetime and the generation's trust), moved by hand."""
    state = types.SimpleNamespace(now=1000.0)
    monkeypatch.setattr(
        page_cache, "time", types.SimpleNamespace(monotonic=lambda: state.now, time=lambda: 1_900_000_000 + state.now)
    )
    return state


def test_a_process_serves_a_page_it_holds_without_the_shared_cache_for_a_second(cached, campaign, monotonic):
    get(Client(), campaign.url)  # rendered: stored in the shared cache and in this process
    change_behind_the_cache(campaign, title="Changed Behind The Cache")
    page_cache.cache.clear()  # the shared cache forgets the page
    monotonic.now += 0.5
    html, queries = get(Client(), campaign.url)
    assert queries == 0 and "Free Test Person" in html  # this process's copy, the shared one is gone
    site_cache.sites_changed()  # (the page's row is also remembered per process; see the test above)
    monotonic.now += 1.0  # past PAGE_CACHE_LOCAL_SECONDS: asked again, and the shared cache is empty
    html, queries = get(Client(), campaign.url)
    assert queries > 0 and "Changed Behind The Cache" in html


def test_a_publish_in_another_process_reaches_this_one_within_a_second(cached, campaign, monotonic):
    get(Client(), campaign.url)
    change_behind_the_cache(campaign, lede="Published elsewhere.")
    site_cache.sites_changed()
    # Another web process published: it bumped the shared generation; this one has not reread it.
    if not page_cache.cache.add(page_cache.GENERATION_KEY, 1, timeout=None):
        page_cache.cache.incr(page_cache.GENERATION_KEY)
    assert "The first lede." in get(Client(), campaign.url)[0]
    monotonic.now += page_cache.GENERATION_TRUST_SECONDS + 0.01
    html, queries = get(Client(), campaign.url)
    assert "Published elsewhere." in html and queries > 0


def test_no_local_copy_when_it_is_turned_off(cached, campaign, monotonic):
    cached.PAGE_CACHE_LOCAL_SECONDS = 0
    get(Client(), campaign.url)
    assert page_cache._local == {}


def test_a_process_answers_repeat_counter_polls_from_memory_for_a_second(cached, campaign, monkeypatch):
    from actions.models import DailyTotal
    from cms import views

    clock = types.SimpleNamespace(now=500.0)
    monkeypatch.setattr(views, "time", types.SimpleNamespace(monotonic=lambda: clock.now))
    url = f"/api/campaigns/{campaign.pk}/totals.json"
    first = Client().get(url)
    assert first.json()["signatures"] == 0 and first["Cache-Control"].startswith("public, max-age=2")
    DailyTotal.objects.create(campaign=campaign, day=datetime.date.today(), kind="sign", count=5)
    page_cache.cache.clear()  # nothing shared is left to answer from
    clock.now += 0.9
    assert Client().get(url).json()["signatures"] == 0  # this process's answer, under a second old
    clock.now += 0.2
    again = Client().get(url)
    assert again.json()["signatures"] == 5 and again["Content-Type"] == "application/json"


def render_lock(url: str) -> str:
    """The key another process holds while it re-renders the page at ``url``."""
    from django.test import RequestFactory

    return page_cache.cache_key(RequestFactory().get(url, HTTP_HOST="testserver")) + ":rendering"


def test_a_stale_page_is_served_as_it_was_while_another_request_re_renders_it(cached, campaign, monotonic):
    get(Client(), campaign.url)
    change_behind_the_cache(campaign, title="Changed Behind The Cache")
    monotonic.now += cached.PAGE_CACHE_SECONDS + 1  # stale, here and in the shared cache
    lock = render_lock(campaign.url)
    assert page_cache.cache.add(lock, 1, timeout=60)  # another process is re-rendering it
    for _ in range(3):
        html, queries = get(Client(), campaign.url)
        assert queries == 0 and "Free Test Person" in html and "Changed Behind The Cache" not in html
    page_cache.cache.delete(lock)  # ...and it died before storing anything: the next request renders
    site_cache.sites_changed()  # (the page's row is also remembered per process; see above)
    html, queries = get(Client(), campaign.url)
    assert queries > 0 and "Changed Behind The Cache" in html
    assert page_cache.cache.get(lock) is None  # released once the render was stored
    html, queries = get(Client(), campaign.url)
    assert queries == 0 and "Changed Behind The Cache" in html  # fresh again


def test_a_fresh_page_ignores_the_render_lock_and_a_stale_one_takes_it(cached, campaign, monotonic):
    get(Client(), campaign.url)
    change_behind_the_cache(campaign, title="Changed Behind The Cache")
    monotonic.now += cached.PAGE_CACHE_SECONDS - 0.5  # this process's copy is gone, the shared one is fresh
    html, queries = get(Client(), campaign.url)
    assert queries == 0 and "Free Test Person" in html
    assert page_cache.cache.get(render_lock(campaign.url)) is None  # nobody claimed a render
    monotonic.now += 1  # now stale: the first request renders
    site_cache.sites_changed()
    html, queries = get(Client(), campaign.url)
    assert queries > 0 and "Changed Behind The Cache" in html


def test_the_stale_copy_lives_only_its_grace_in_the_shared_cache(cached, campaign):
    cached.PAGE_CACHE_SECONDS, cached.PAGE_CACHE_STALE_SECONDS = 7, 5
    get(Client(), campaign.url)
    key = page_cache.cache.make_key(render_lock(campaign.url).removesuffix(":rendering"))
    store = page_cache.cache
    if hasattr(store, "_expire_info"):  # per-process memory (no REDIS_URL)
        seconds_left = store._expire_info[key] - time.time()
    else:
        seconds_left = store._cache.get_client(key).ttl(key)
    assert 10 < seconds_left <= 12  # fresh for 7 s, then served stale for 5 s at most while re-rendered
