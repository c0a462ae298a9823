"""A signature flagged at a busy address counts again once its supporter acts from elsewhere."""

import pytest

from actions import intake
from actions.models import Action, FlagRelease, ShareChannel
from actions.release import RELEASE_REASON, flags_release
from actions.selectors import campaign_totals
from actions.totals import totals_fold
from tests.factories import campaign_page

pytestmark = pytest.mark.django_db

BUSY, HOME = "a" * 64, "b" * 64


@pytest.fixture
def flagged(settings):
    """Two signatures from one busy address with a tight limit: the second is flagged."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_address": (1, 60, 100, 3600)}
    campaign = campaign_page()
    results = [
        intake.signature_create(
            campaign_id=campaign.pk,
            first_name=name,
            last_name="Keo",
            email=f"{name.lower()}@example.org",
            submission=intake.Submission(ip_hash=BUSY),
        )
        for name in ("Dara", "Sophea")
    ]
    assert [r.action.flag_reason for r in results] == ["", "rate-address"]
    totals_fold()
    return campaign, results[1]


def test_a_supporter_who_acts_again_from_elsewhere_is_released_with_a_record(flagged):
    campaign, result = flagged
    share = intake.share_log(
        campaign_id=campaign.pk,
        supporter=result.supporter,
        channel=ShareChannel.WHATSAPP,
        submission=intake.Submission(ip_hash=HOME),
    )
    assert not share.action.flagged
    assert campaign_totals(campaign_id=campaign.pk)["sign"] == 1

    assert flags_release() == 1
    action = Action.objects.get(pk=result.action.pk)
    assert (action.flagged, action.flag_reason) == (False, "")
    record = FlagRelease.objects.get(action=action)
    assert (record.previous_reason, record.reason, record.evidence_id) == (
        "rate-address",
        RELEASE_REASON,
        share.action.pk,
    )
    assert campaign_totals(campaign_id=campaign.pk)["sign"] == 2
    assert flags_release() == 0  # twice releases once
    assert FlagRelease.objects.count() == 1


def test_the_review_page_shows_the_release(flagged, admin_client):
    campaign, result = flagged
    intake.share_log(
        campaign_id=campaign.pk,
        supporter=result.supporter,
        channel=ShareChannel.WHATSAPP,
        submission=intake.Submission(ip_hash=HOME),
    )
    flags_release()
    html = admin_client.get("/admin/actions/flagged/?show=all").content.decode()
    assert "released automatically on" in html and RELEASE_REASON in html


def test_acting_again_from_the_same_address_releases_nothing(flagged):
    campaign, result = flagged
    intake.share_log(
        campaign_id=campaign.pk,
        supporter=result.supporter,
        channel=ShareChannel.WHATSAPP,
        submission=intake.Submission(ip_hash=BUSY),
    )
    assert flags_release() == 0
    assert Action.objects.get(pk=result.action.pk).flagged


def test_other_flags_wait_for_an_organiser(flagged):
    campaign, result = flagged
    Action.objects.filter(pk=result.action.pk).update(flag_reason="honeypot")
    intake.share_log(
        campaign_id=campaign.pk,
        supporter=result.supporter,
        channel=ShareChannel.WHATSAPP,
        submission=intake.Submission(ip_hash=HOME),
    )
    assert flags_release() == 0
    assert not FlagRelease.objects.exists()
