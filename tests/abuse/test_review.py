"""Organisers review flagged actions in the Wagtail admin; totals follow every change."""

import pytest
from django.urls import reverse

from actions import review
from actions.models import Action, DailyTotal
from actions.selectors import campaign_totals
from actions.totals import totals_fold
from tests.factories import ActionFactory, SupporterFactory, campaign_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return campaign_page()


def _stored(campaign):
    rows = DailyTotal.objects.filter(campaign_id=campaign.pk, kind="sign")
    return sum(r.count for r in rows), sum(r.flagged_count for r in rows)


def test_restore_and_invalidate_recompute_totals_exactly(campaign):
    genuine = ActionFactory.create_batch(3, campaign=campaign)
    flagged = ActionFactory.create_batch(2, campaign=campaign, flagged=True, flag_reason="rate-address")
    totals_fold()
    assert _stored(campaign) == (3, 2)
    assert review.actions_restore(action_ids=[a.pk for a in flagged]) == 2
    assert _stored(campaign) == (5, 0)
    assert campaign_totals(campaign_id=campaign.pk)["sign"] == 5
    assert review.actions_invalidate(action_ids=[genuine[0].pk]) == 1
    assert _stored(campaign) == (4, 1)
    assert Action.objects.get(pk=genuine[0].pk).flag_reason == "organiser"
    # Flipping an action that is not yet folded is counted right once the fold runs.
    late = ActionFactory(campaign=campaign, flagged=True, flag_reason="honeypot")
    review.actions_restore(action_ids=[late.pk])
    totals_fold()
    assert _stored(campaign) == (5, 1)


def test_admin_lists_flagged_with_reason_and_bulk_restores(admin_client, campaign):
    supporter = SupporterFactory(first_name="<script>alert(1)</script>", last_name="Bot")
    bot = ActionFactory(
        campaign=campaign, supporter=supporter, flagged=True, flag_reason="honeypot", comment="<b>x</b>"
    )
    counted = ActionFactory(campaign=campaign)
    totals_fold()
    url = reverse("actions_flagged_review")
    response = admin_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "honeypot" in html
    assert f'value="{bot.pk}"' in html and f'value="{counted.pk}"' not in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>x</b>" not in html
    response = admin_client.post(url, {"action": [bot.pk], "do": "restore"})
    assert response.status_code == 302
    assert not Action.objects.get(pk=bot.pk).flagged
    assert _stored(campaign) == (2, 0)
    admin_client.post(url + "?show=all", {"action": [bot.pk, counted.pk], "do": "invalidate"})
    assert _stored(campaign) == (0, 2)


def test_review_needs_permission(client, django_user_model, campaign):
    user = django_user_model.objects.create_user(username="editor", password="pw")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    bot = ActionFactory(campaign=campaign, flagged=True, flag_reason="honeypot")
    # Wagtail turns a refused admin view into a redirect to the dashboard with a message.
    refused = client.get(reverse("actions_flagged_review"))
    assert refused.status_code == 302 and "honeypot" not in refused.content.decode()
    client.post(reverse("actions_flagged_review"), {"action": [bot.pk], "do": "restore"})
    assert Action.objects.get(pk=bot.pk).flagged
