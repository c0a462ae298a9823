"""Bad input on the one-click links (go/<kind>/<payload>/<stamp>/<signature>/) and on every
step page's query string. A clean answer, never a 500, never an action a link did not carry.

Requests sent per run: examples (max_examples) x requests per example. Hypothesis runs fewer
when it has tried every distinct example, as it does for the 4 link kinds x 2 browsers of the
valid-link test.

  test_tampered_or_random_one_click_links .............................. 50 x 2 = 100
  test_a_valid_link_posted_twice_acts_once .............................. 8 x 3 =  24
  test_step_pages_with_any_query_string ................................ 20 x 8 = 160
                                                                                   ---
                                                                                   284
"""

import urllib.parse

import pytest
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import assume, given
from hypothesis import strategies as st

from actions.links import LINK_KINDS
from actions.models import Action, ActionKind
from tests.factories import SupporterFactory, email_action

from .inputs import ANY_TEXT, hypothesis_settings, recognised_client

pytestmark = pytest.mark.django_db

# A path segment Wagtail's page routing lets through (letters, digits, _ and -), or anything at all.
SEGMENT = st.one_of(st.from_regex(r"[\w-]{0,60}", fullmatch=True), ANY_TEXT)


def supporter_cookie_set(response) -> bool:
    cookie = response.cookies.get(django_settings.SUPPORTER_COOKIE_NAME)
    return cookie is not None and cookie.value != ""


# --- go/<kind>/<payload>/<stamp>/<signature>/ one-click links -----------------------------------


def link_segments(page, supporter, kind) -> list[str]:
    url = page.one_click_url(supporter=supporter, kind=kind)
    return url[url.index(page.url) + len(page.url) :].strip("/").split("/")[1:]


EDIT = st.tuples(
    st.sampled_from(["replace", "insert", "cut", "swap", "drop", "add"]),
    st.integers(0, 4),  # which segment
    st.integers(0, 80),  # where in it
    SEGMENT,
)


@hypothesis_settings(50)
@given(kind=st.sampled_from(LINK_KINDS), edits=st.lists(EDIT, min_size=1, max_size=3))
def test_tampered_or_random_one_click_links(campaign, kind, edits):
    """Every link that is not exactly one we made gets the friendly refusal (400) or, when
    Wagtail cannot route it at all, a 404; it never acts and never recognises anyone."""
    page = campaign.page
    supporter = SupporterFactory()
    original = link_segments(page, supporter, kind)
    segments = list(original)
    for op, index, at, text in edits:
        index = min(index, len(segments) - 1) if segments else 0
        if op == "drop" and segments:
            del segments[index]
        elif op == "add":
            segments.insert(index, text)
        elif not segments:
            segments.append(text)
        elif op == "swap":
            segments[index] = text
        elif op == "replace":
            old = segments[index]
            segments[index] = old[:at] + text + old[at + 1 :]
        elif op == "insert":
            segments[index] = segments[index][:at] + text + segments[index][at:]
        else:
            segments[index] = segments[index][:at]
    assume(segments != original)
    path = page.url + "go/" + "".join(urllib.parse.quote(s, safe="") + "/" for s in segments)
    before = Action.objects.count()
    client = Client(raise_request_exception=False)
    for response in (client.get(path), client.post(path)):
        assert response.status_code in (400, 404), path
        if response.status_code == 400:
            html = response.content.decode()
            assert "You can still take part here." in html and 'name="first_name"' in html
        assert not supporter_cookie_set(response)
    assert Action.objects.count() == before


@hypothesis_settings(30)
@given(kind=st.sampled_from(LINK_KINDS), as_someone_else=st.booleans())
def test_a_valid_link_posted_twice_acts_once(campaign, recognise, kind, as_someone_else):
    page = campaign.page
    supporter = SupporterFactory()
    client = recognised_client(recognise, SupporterFactory() if as_someone_else else None)
    path = page.url + "go/" + "/".join(link_segments(page, supporter, kind)) + "/"
    before = Action.objects.count()
    assert client.get(path).status_code == 200
    destination = page.url + ("thanks/" if kind == ActionKind.SIGN else f"{kind}/")
    for _ in range(2):
        response = client.post(path)
        assert response.status_code == 303 and response["Location"] == destination
        assert supporter_cookie_set(response)
    taken = Action.objects.filter(supporter=supporter)
    assert list(taken.values_list("kind", flat=True)) == ([ActionKind.SIGN] if kind == ActionKind.SIGN else [])
    assert Action.objects.count() == before + taken.count()


# --- GET with any query string on every step page ----------------------------------------------


@pytest.fixture
def emailed(campaign):
    """A supporter who has already sent the campaign's emails."""
    return email_action(campaign.page).supporter


@hypothesis_settings(20)
@given(query=st.binary(max_size=300), who=st.sampled_from(["anonymous", "recognised", "emailed"]))
def test_step_pages_with_any_query_string(campaign, recognise, emailed, query, who):
    page = campaign.page
    supporter = {"anonymous": None, "recognised": SupporterFactory(), "emailed": emailed}[who]
    client = recognised_client(recognise, supporter)
    emailed_already = who == "emailed"
    expected = {
        "sign/": 302,
        "thanks/": 200,
        "email/": 302 if emailed_already else 200,
        "email/sent/": 200 if emailed_already else 302,
        "call/": 200,
        "share/": 200,
        "call/log/": 405,
        "forget/": 302,  # last: it makes the browser forget the supporter
    }
    before = Action.objects.count()
    for route, status in expected.items():
        response = client.get(page.url + route, QUERY_STRING=urllib.parse.quote_from_bytes(query, safe="=&%+"))
        assert response.status_code == status, route
    assert Action.objects.count() == before
