"""Verified and self-reported calls side by side per target, with the median length of the
verified calls that connected (reports.selectors.call_verification, shown on the overview)."""

import pytest
from django.urls import reverse

from actions import intake, totals
from actions.calls.models import CallLeg, CallSession, LegStatus
from reports import selectors
from tests.factories import ActionFactory, SupporterFactory, TargetFactory, campaign_page

pytestmark = pytest.mark.django_db


def bridged(campaign, target, supporter, *, status, duration, outcome):
    session = CallSession.objects.create(
        campaign=campaign, supporter=supporter, phone_hash="h", mode="live", caller_id="+14085550100"
    )
    action = intake.call_verified_log(
        campaign_id=campaign.pk, supporter=supporter, target_id=target.pk, outcome=outcome, ip_hash=""
    )
    CallLeg.objects.create(
        session=session,
        position=0,
        target=target,
        target_name=target.name,
        number="+14082997400",
        status=status,
        duration=duration,
        action=action,
    )


def test_verified_and_self_reported_calls_per_target_with_the_median(organiser_client):
    rosen, newsom = TargetFactory(name="Jeff Rosen"), TargetFactory(name="Gavin Newsom")
    campaign = campaign_page(targets=[rosen, newsom])
    supporter = SupporterFactory()
    for outcome in ("talked", "voicemail", "skipped"):
        ActionFactory(campaign=campaign, kind="call", target=rosen, outcome=outcome, supporter=supporter)
    for seconds in (60, 100, 300, 20):
        bridged(campaign, rosen, supporter, status=LegStatus.COMPLETED, duration=seconds, outcome="verified_connected")
    bridged(campaign, rosen, supporter, status=LegStatus.BUSY, duration=0, outcome="verified_busy")
    bridged(campaign, newsom, supporter, status=LegStatus.COMPLETED, duration=45, outcome="verified_connected")
    totals.totals_fold()
    rows = selectors.call_verification(campaign_id=campaign.pk)
    assert rows == [
        {"target": str(newsom), "self_reported": 0, "verified": 1, "connected": 1, "median_seconds": 45},
        {"target": str(rosen), "self_reported": 3, "verified": 5, "connected": 4, "median_seconds": 80},
    ]
    html = organiser_client.get(reverse("reports:overview", args=[campaign.pk])).content.decode()
    assert "verified by the call bridge and self-reported" in html
    assert "<td>3</td><td>5</td><td>4</td><td>80 s</td>" in html
