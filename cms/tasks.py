"""Celery tasks that need to know about pages. Thin: they find ids and call ``actions`` services."""

from celery import shared_task
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from actions import privacy_services

from .models import CampaignPage


def expired_campaign_ids(*, months: int | None = None) -> list[int]:
    """Campaigns that closed longer ago than the personal-data retention period.

    A campaign's closing time is ``closes_at``; one closed by unticking "open" with no closing
    time has no date to count from, so it is kept until an organiser sets one.
    """
    months = settings.PERSONAL_DATA_RETENTION_MONTHS if months is None else months
    cutoff = timezone.now() - relativedelta(months=months)
    return list(CampaignPage.objects.filter(closes_at__lte=cutoff).values_list("pk", flat=True))


@shared_task(acks_late=True, ignore_result=True)
def personal_data_retention() -> int:
    """Anonymise personal data of campaigns past retention; totals stay. Safe to repeat."""
    return privacy_services.personal_data_retire(expired_campaign_ids=expired_campaign_ids())
