"""The organiser's first screen: the admin's home shows live campaigns' counts and what needs
attention, from stored totals, only to those who may open each page, in a bounded number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import ActionKind, DailyTotal, OutboundMessage
from actions.review import actions_invalidate
from actions.totals import totals_fold
from events.models import Event, PaperImport
from reports import home_selectors
from reports.home_panel import OrganiserHomePanel
from tests.factories import ActionFactory, TargetFactory, campaign_page

pytestmark = pytest.mark.django_db

HOME = "/admin/"


def _event(campaign, code):
    now = timezone.now()
    return Event.objects.create(
        campaign=campaign,
        name=f"Rally {code}",
        place="San Jose",
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=1),
        code=code,
    )


def _signatures(campaign, source, n, *, flagged=False):
    for _ in range(n):
        ActionFactory(campaign=campaign, kind=ActionKind.SIGN, source=source, flagged=flagged)


@pytest.fixture
def campaign():
    """A live campaign with, today, 4 online, 2 paper (one sheet from the rally), 3 through the
    rally's link, 1 flagged, 5 emails and 2 calls; earlier this week 10 more online, and last week 100."""
    page = campaign_page(title="Free Kang Hen", targets=[TargetFactory()])
    rally = _event(page, "rally234")
    _signatures(page, "", 3)
    _signatures(page, "newsletter", 1)
    _signatures(page, "paper", 1)
    _signatures(page, f"paper-{rally.code}", 1)
    _signatures(page, rally.source, 3)
    _signatures(page, "", 1, flagged=True)
    totals_fold()
    today = timezone.localdate()
    DailyTotal.objects.create(campaign=page, day=today, kind=ActionKind.EMAIL, target_key=1, count=5)
    DailyTotal.objects.create(campaign=page, day=today, kind=ActionKind.CALL, target_key=1, outcome="left", count=2)
    monday = home_selectors.week_start(today)
    DailyTotal.objects.create(campaign=page, day=monday, kind=ActionKind.SIGN, source="x", count=10)
    DailyTotal.objects.create(campaign=page, day=monday - datetime.timedelta(days=1), kind=ActionKind.SIGN, count=100)
    return page


def test_the_counts_split_signatures_by_where_they_were_given(campaign):
    (row,) = home_selectors.live_campaign_counts()
    monday_is_today = home_selectors.week_start(timezone.localdate()) == timezone.localdate()
    assert row["campaign"].pk == campaign.pk
    assert row["today"] == {"online": 4 + (10 if monday_is_today else 0), "paper": 2, "event": 3, "email": 5, "call": 2}
    assert row["week"] == {"online": 14, "paper": 2, "event": 3, "email": 5, "call": 2}


def test_a_campaign_that_is_not_live_is_left_out(campaign):
    draft = campaign_page(title="Draft campaign")
    draft.unpublish()
    assert [row["campaign"].pk for row in home_selectors.live_campaign_counts()] == [campaign.pk]


def test_the_organiser_sees_the_counts_on_the_home(client, organiser, campaign):
    client.force_login(organiser)
    html = client.get(HOME).content.decode()
    table = html[html.index("data-organiser-counts") :]
    today = table[table.index('data-period="today"') :].split("</tr>")[0]
    week = table[table.index('data-period="week"') :].split("</tr>")[0]
    assert 'data-column="paper">2<' in today and 'data-column="event">3<' in today
    assert 'data-column="online">14<' in week and 'data-column="call">2<' in week
    assert f"/admin/organiser-reports/overview/{campaign.pk}/" in table


@pytest.fixture
def attention(campaign):
    """2 flagged waiting (one more an organiser invalidated), 1 failed and 1 bounced message,
    and a paper import in preview."""
    ActionFactory(campaign=campaign, flagged=True, flag_reason="burst")
    invalidated = ActionFactory(campaign=campaign)
    actions_invalidate(action_ids=[invalidated.pk])
    action = ActionFactory(campaign=campaign, kind=ActionKind.EMAIL)
    for status in ("failed", "bounced", "sent"):
        OutboundMessage.objects.create(action=action, campaign=campaign, status=status, subject="Free him")
    PaperImport.objects.create(campaign=campaign, collected_on=timezone.localdate(), filename="a.csv", sha256="a" * 64)
    PaperImport.objects.create(
        campaign=campaign, collected_on=timezone.localdate(), filename="b.csv", sha256="b" * 64, status="done"
    )


def _attention_html(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    if "data-organiser-attention" not in html:
        return ""
    return html[html.index("data-organiser-attention") :].split("</ul>")[0]


def test_the_superuser_sees_every_item_with_its_count_and_link(client, superuser, attention):
    html = _attention_html(client, superuser)
    assert '<a href="/admin/actions/flagged/"><strong>2</strong> flagged actions waiting for review' in html
    assert '/admin/organiser-reports/messages/?status=failed"><strong>1</strong> failed messages' in html
    assert '/admin/organiser-reports/messages/?status=bounced"><strong>1</strong> bounced messages' in html
    assert '<a href="/admin/paper-signatures/"><strong>1</strong> paper imports waiting' in html


def test_an_organiser_without_the_review_permission_does_not_see_flagged_actions(client, organiser, attention):
    assert not organiser.has_perm("actions.change_action")
    html = _attention_html(client, organiser)
    assert "flagged" not in html
    assert "failed messages" in html and "paper imports" in html


def test_an_editor_sees_neither_counts_nor_items_and_keeps_wagtails_summary(client, editor, attention):
    assert _attention_html(client, editor) == ""
    html = client.get(HOME).content.decode()
    assert "data-organiser-counts" not in html and "w-summary" in html


def test_the_counts_replace_wagtails_page_and_image_summary(client, organiser, campaign):
    client.force_login(organiser)
    html = client.get(HOME).content.decode()
    assert "w-summary__list" not in html and "Live campaigns" in html


def test_a_flood_of_flagged_actions_is_counted_up_to_a_cap(client, superuser, campaign, monkeypatch):
    monkeypatch.setattr(home_selectors, "FLAGGED_CAP", 3)
    _signatures(campaign, "", 5, flagged=True)
    assert home_selectors.flagged_waiting_count() == 4
    assert "<strong>3+</strong> flagged actions" in _attention_html(client, superuser)


def _home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_the_home_makes_the_same_number_of_queries_for_one_campaign_or_many(client, superuser, attention):
    client.force_login(superuser)
    _home_queries(client)  # warm the caches of content types and the like
    one = _home_queries(client)
    for n in range(6):
        page = campaign_page(title=f"Campaign {n}")
        _event(page, f"event{n}x")
        _signatures(page, f"event-event{n}x", 2)
        _signatures(page, "paper", 1)
    totals_fold()
    _home_queries(client)
    assert _home_queries(client) == one
    assert one <= 20


def test_the_panel_itself_makes_one_query_per_figure(rf, superuser, attention):
    request = rf.get(HOME)
    request.user = superuser
    with CaptureQueriesContext(connection) as queries:
        html = OrganiserHomePanel(request).render_html({})
    # live campaigns, their totals, flagged waiting, failing messages, paper imports in preview
    assert len(queries) == 5
    assert "Free Kang Hen" in html


@pytest.mark.parametrize("role", ["superuser", "organiser"])
def test_the_home_renders_for_each_role(client, request, role, campaign, attention):
    client.force_login(request.getfixturevalue(role))
    response = client.get(HOME)
    assert response.status_code == 200
    assert "Free Kang Hen" in response.content.decode()


def test_every_link_opens_for_the_superuser_even_with_nothing_to_show(client, superuser, campaign):
    client.force_login(superuser)
    html = _attention_html(client, superuser)
    links = [part.split('"')[0] for part in html.split('href="')[1:]]
    assert len(links) == 4 and "<strong>0</strong> failed messages" in html
    for link in links:
        assert client.get(link).status_code == 200, link
