"""The thanks page is shared between supporters who have done the same steps (cms/page_cache.py),
with only their own first name put in: never another's, never unescaped, never a stale ladder."""

import pytest
from django.test import Client

from cms import page_cache
from tests.factories import ActionFactory, SupporterFactory, TargetFactory, campaign_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.PAGE_CACHE_SECONDS = 60
    return settings


@pytest.fixture
def page():
    targets = [TargetFactory(name="Jeff Rosen"), TargetFactory(name="Gavin Newsom")]
    return campaign_page(targets=targets, action_steps=[("sign", {}), ("email", {}), ("share", {})])


def signer(page, first_name, *kinds):
    supporter = SupporterFactory(first_name=first_name)
    for kind in ("sign", *kinds):
        ActionFactory(campaign=page, supporter=supporter, kind=kind)
    return supporter


def thanks(recognise, page, supporter) -> str:
    response = recognise(Client(), supporter).get(page.url + "thanks/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"  # never kept by a proxy for someone else
    return response.content.decode()


def stored_copies() -> list[str]:
    return [html for html, _until in page_cache._local.values() if page_cache.NAME_PLACEHOLDER in html]


def test_two_signers_share_one_render_and_each_sees_only_their_own_name(cached, page, recognise):
    sok, dara = signer(page, "Sok"), signer(page, "Dara")
    first, second = thanks(recognise, page, sok), thanks(recognise, page, dara)
    assert "Thank you, Sok!" in first and "Not Sok?" in first and "Dara" not in first
    assert "Thank you, Dara!" in second and "Not Dara?" in second and "Sok" not in second
    copies = stored_copies()
    assert len(copies) == 1  # one shared copy served both
    assert "Sok" not in copies[0] and "Dara" not in copies[0]  # and it names nobody
    assert page_cache.NAME_PLACEHOLDER not in first + second


def test_a_shared_page_is_the_page_each_supporter_got_before(cached, page, recognise, settings):
    sok = signer(page, "Sok")
    shared = thanks(recognise, page, sok)
    assert stored_copies()
    settings.PAGE_CACHE_SECONDS = 0  # rendered for Sok alone, as before this cache
    assert thanks(recognise, page, sok) == shared


def test_a_name_is_escaped_where_it_is_put_in(cached, page, recognise):
    signer(page, "Vanna")  # fills the shared copy
    html = thanks(recognise, page, signer(page, '<img src=x onerror="alert(1)">'))
    assert "<img src=x" not in html
    assert "Thank you, &lt;img src=x onerror=&quot;alert(1)&quot;&gt;!" in html


def test_a_supporter_who_did_more_gets_their_own_ladder(cached, page, recognise):
    only_signed = thanks(recognise, page, signer(page, "Sok"))
    emailed = thanks(recognise, page, signer(page, "Dara", "email"))
    assert f'<a class="button button-primary" href="{page.url}email/">' in only_signed
    assert f'<a class="button button-primary" href="{page.url}share/">' in emailed
    assert only_signed.count('class="ladder-done-step"') == 1
    assert emailed.count('class="ladder-done-step"') == 2
    assert len(stored_copies()) == 2  # one per set of steps done
    again = thanks(recognise, page, signer(page, "Vanna"))
    assert again.count('class="ladder-done-step"') == 1 and "Thank you, Vanna!" in again


def test_a_browser_nobody_is_recognised_in_is_not_shared(cached, page):
    response = Client().get(page.url + "thanks/")
    assert response.status_code == 200 and "Thank you!" in response.content.decode()
    assert stored_copies() == []
