"""The campaign page's routes as class-based views: named routes, and methods each one answers."""

import pytest

from actions.models import Action
from tests.factories import SupporterFactory, TargetFactory, campaign_page

pytestmark = pytest.mark.django_db

# Route -> the methods its view answers (Django's View adds HEAD wherever GET is allowed).
ALLOWED = {
    "": {"GET", "HEAD", "POST"},
    "thanks/": {"GET", "HEAD"},
    "sign/": {"GET", "HEAD", "POST"},
    "forget/": {"GET", "HEAD", "POST"},
    "email/": {"GET", "HEAD", "POST"},
    "email/sent/": {"GET", "HEAD"},
    "call/": {"GET", "HEAD"},
    "call/log/": {"POST"},
    "share/": {"GET", "HEAD"},
    "share/log/": {"POST"},
}


@pytest.fixture
def campaign():
    return campaign_page(targets=[TargetFactory(name="Jeff Rosen")])


def test_each_step_route_is_named_by_its_kind(campaign):
    assert campaign.route_url("sign") == campaign.url  # the sign form is the page itself
    for kind in ("email", "call", "share"):
        assert campaign.route_url(kind) == f"{campaign.url}{kind}/"
    assert campaign.route_url("call_log") == f"{campaign.url}call/log/"


@pytest.mark.parametrize("route", sorted(ALLOWED))
@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])  # Wagtail answers OPTIONS for the page
def test_a_method_a_step_does_not_answer_is_405_with_allow(client, campaign, recognise, route, method):
    recognise(client, SupporterFactory())
    response = client.generic(method, campaign.url + route)
    assert response.status_code == 405, route
    assert set(response["Allow"].split(", ")) == ALLOWED[route]
    assert not Action.objects.exists()


@pytest.mark.parametrize("route", ["call/log/", "share/log/"])
def test_a_log_route_refuses_get_and_head(client, campaign, route):
    for method in ("GET", "HEAD"):
        response = client.generic(method, campaign.url + route)
        assert response.status_code == 405 and response["Allow"] == "POST"


def test_get_sign_goes_back_to_the_page(client, campaign, recognise):
    response = recognise(client, SupporterFactory()).get(campaign.url + "sign/")
    assert response.status_code == 302 and response["Location"] == campaign.url
    assert not Action.objects.exists()


def test_a_one_click_link_answers_get_head_and_post_only(client, campaign):
    url = campaign.one_click_url(supporter=SupporterFactory(), kind="sign")
    path = url[url.index(campaign.url) :]
    assert client.head(path).status_code == 200
    response = client.generic("PUT", path)
    assert response.status_code == 405 and set(response["Allow"].split(", ")) == {"GET", "HEAD", "POST"}
    assert not Action.objects.exists()
