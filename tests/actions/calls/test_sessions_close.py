"""The beat task that closes call sessions Twilio never reported the end of (a dropped status
callback, a crashed worker): scheduled, registered, and through Celery's own machinery it fails
only the stale sessions that are not over, blanks their number, and is safe to run again."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from actions import tasks
from actions.calls.models import CallSession, CallState
from advocacy.celery import app
from tests.factories import SupporterFactory, TargetFactory, campaign_page
from tests.twilio_standin import calls_switch

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_runs_the_close_task_well_within_a_sessions_lifetime():
    entry = next(e for e in django_settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("call_sessions_close"))
    assert entry["task"] == tasks.call_sessions_close.name and entry["task"] in app.tasks
    assert entry["schedule"] < django_settings.CALL_SESSION_MAX_SECONDS
    assert entry["options"]["expires"] < entry["schedule"]  # a backlog of old runs is dropped, not piled up


def test_the_task_closes_only_stale_sessions_that_never_reported(client, recognise, twilio_standin, settings):
    target = TargetFactory(name="Jeff Rosen", phone="+14082997400", office_hours="Mon-Sun 00:00-24:00")
    campaign = campaign_page(targets=[target], action_steps=[("sign", {}), ("call", {})])
    calls_switch(campaign)
    for phone in ("(650) 253-0000", "(650) 253-0001", "(650) 253-0002"):
        response = recognise(client, SupporterFactory()).post(campaign.url + "call/me/", {"phone": phone})
        assert response.status_code == 303
    stale, finished, fresh = CallSession.objects.order_by("created_at")
    long_ago = timezone.now() - timedelta(seconds=settings.CALL_SESSION_MAX_SECONDS + 60)
    CallSession.objects.filter(pk__in=[stale.pk, finished.pk]).update(created_at=long_ago)
    CallSession.objects.filter(pk=finished.pk).update(state=CallState.COMPLETED)

    assert tasks.call_sessions_close.apply().get() == 1
    states = dict(CallSession.objects.values_list("pk", "state"))
    assert states == {stale.pk: CallState.FAILED, finished.pk: CallState.COMPLETED, fresh.pk: CallState.RINGING}
    stale.refresh_from_db()
    assert stale.phone == "" and stale.phone_hash  # the number is reduced to its keyed hash
    assert tasks.call_sessions_close.apply().get() == 0  # safe to repeat
