"""Integration: a real Celery worker on real Redis folds signatures into the totals."""

import time

import pytest

from actions import intake
from actions.models import Action
from actions.selectors import campaign_totals
from advocacy.celery import app
from tests.factories import campaign_page
from tests.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_worker_folds_signatures_into_totals(celery_worker_on_redis):
    assert app.conf.task_always_eager is False
    campaign = campaign_page()
    for n in range(3):
        intake.signature_create(
            campaign_id=campaign.pk,
            first_name="Sok",
            last_name="Chea",
            email=f"sok{n}@example.org",
            postal_code="95110",
            submission=intake.Submission(),
        )
        committed_at = time.monotonic()  # the commit has asked for a refresh by now
        # Each commit's own refresh folds it (the next one would fold it too, so wait here).
        assert wait_for(lambda n=n: campaign_totals(campaign_id=campaign.pk)["sign"] == n + 1)
        # Outlast the once-a-second debounce, so the next commit enqueues a refresh of its own.
        time.sleep(max(0.0, committed_at + 1.05 - time.monotonic()))
    assert not Action.objects.filter(tallied=False).exists()


def test_worker_runs_reconcile_task(celery_worker_on_redis):
    from actions.tasks import totals_reconcile

    campaign = campaign_page()
    intake.signature_create(
        campaign_id=campaign.pk,
        first_name="Sok",
        last_name="Chea",
        email="sok@example.org",
        postal_code="95110",
        submission=intake.Submission(),
    )
    assert wait_for(lambda: campaign_totals(campaign_id=campaign.pk)["sign"] == 1)
    from actions.models import DailyTotal

    DailyTotal.objects.update(count=7)
    totals_reconcile.delay()
    assert wait_for(lambda: DailyTotal.objects.get().count == 1)
