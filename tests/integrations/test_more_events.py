"""The other events: an email delivered or bounced, a goal reached; and the token admin."""

import pytest

from actions import intake, totals
from actions.outbox import tracking
from integrations import goals, services
from integrations.models import ApiToken, GoalNotice, WebhookDelivery
from tests.actions.test_webhooks import event, sent_message
from tests.factories import campaign_page, email_target

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(webhook_settings):
    return webhook_settings


def test_delivered_and_bounced_emails_to_targets_are_events(django_capture_on_commit_callbacks):
    page = campaign_page(targets=[email_target(name="Jeff Rosen", email="rosen@example.gov")])
    services.subscription_create(url="http://127.0.0.1:9/", events=["message.delivered", "message.bounced"])
    message = sent_message(page)
    # Each event applied as it arrives (a replay of the first changes nothing).
    for kind, minutes, event_id in [("delivered", 1, "d1"), ("delivered", 1, "d1"), ("bounced", 2, "b1")]:
        with django_capture_on_commit_callbacks(execute=True):
            tracking.tracking_event_record(esp_name="Postmark", event=event(message, kind, minutes, event_id))
    rows = list(WebhookDelivery.objects.order_by("pk").values_list("event", "payload"))
    assert [name for name, _ in rows] == ["message.delivered", "message.bounced"]
    data = rows[0][1]["message"]
    assert (data["campaign_id"], data["target_id"], data["status"]) == (page.pk, message.target_id, "delivered")
    assert "rosen@example.gov" not in str(rows)


def test_each_goal_reached_is_told_once():
    page = campaign_page(signature_goal=2, goal_ladder="4, 8")
    services.subscription_create(url="http://127.0.0.1:9/", events=["campaign.goal_reached"], campaign_id=page.pk)
    for n in range(5):
        intake.signature_create(
            campaign_id=page.pk, first_name="A", last_name=str(n), email=f"a{n}@example.org",
            submission=intake.Submission(),
        )  # fmt: skip
    totals.totals_fold()
    assert goals.goals_check() == 2
    assert goals.goals_check() == 0
    assert sorted(GoalNotice.objects.values_list("goal", flat=True)) == [2, 4]
    payloads = [d.payload for d in WebhookDelivery.objects.order_by("pk")]
    assert [(p["goal"], p["count"]) for p in payloads] == [(2, 5), (4, 5)]
    assert payloads[0]["campaign"]["title"] == page.title


def test_no_goal_check_without_a_subscriber(django_assert_num_queries):
    campaign_page(signature_goal=1)
    with django_assert_num_queries(1):  # the subscriptions, once; no campaign is read
        assert goals.goals_check() == 0


def test_admin_creates_a_token_shown_once_and_revokes_it(admin_client):
    response = admin_client.post(
        "/admin/integrations/api-tokens/", {"do": "add", "name": "CRM", "scopes": ["people:read"]}
    )
    token = ApiToken.objects.get()
    page = response.content.decode()
    assert response.status_code == 200 and token.prefix in page and "shown only this once" in page
    assert "osdi_" in page and token.token_hash not in page
    listing = admin_client.get("/admin/integrations/api-tokens/").content.decode()
    assert token.prefix in listing and "shown only this once" not in listing
    admin_client.post("/admin/integrations/api-tokens/", {"do": "revoke", "token": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None
    bad = admin_client.post("/admin/integrations/api-tokens/", {"do": "add", "name": "", "scopes": []})
    assert bad.status_code == 400 and "scopes-error" in bad.content.decode()


def test_organisers_manage_webhooks_and_tokens_editors_do_not(client, django_user_model):
    from django.contrib.auth.models import Group

    # Wagtail turns the admin's permission denied into a redirect to the dashboard.
    for group, expected in (("Organisers", (200, None)), ("Editors", (302, "/admin/"))):
        user = django_user_model.objects.create_user(f"{group.lower()}-user", password="not-used")
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        for path in ("webhooks", "api-tokens"):
            response = client.get(f"/admin/integrations/{path}/")
            assert (response.status_code, response.headers.get("Location")) == expected, (group, path)
