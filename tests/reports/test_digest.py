"""The morning digest: yesterday's totals per action and target, the change, what is failing."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from actions.models import DailyTotal
from reports import services
from reports.models import DigestSent
from tests.factories import TargetFactory, campaign_page

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def totals():
    target = TargetFactory(name="DA Rosen")
    campaign = campaign_page(title="Free Kang Hen", targets=[target])
    before = DAY - datetime.timedelta(days=1)
    rows = [
        (DAY, "sign", 0, "", 120, 4),
        (DAY, "sign", 0, "facebook", 30, 0),
        (before, "sign", 0, "", 100, 0),
        (DAY, "call", target.pk, "reached", 7, 0),
        (before, "call", target.pk, "reached", 9, 0),
        (DAY - datetime.timedelta(days=2), "email", target.pk, "", 50, 0),  # outside both days
    ]
    for day, kind, target_key, outcome_or_source, count, flagged in rows:
        DailyTotal.objects.create(
            campaign=campaign,
            day=day,
            kind=kind,
            target_key=target_key,
            outcome=outcome_or_source if kind == "call" else "",
            source=outcome_or_source if kind != "call" else "",
            count=count,
            flagged_count=flagged,
        )
    return campaign


def test_digest_reports_totals_changes_and_flags_to_each_organiser(totals, organiser, editor):
    second = type(organiser).objects.create_user("oscar", email="oscar@example.org", password="x")
    second.groups.add(*organiser.groups.all())
    assert services.digest_send(day=DAY) == 2
    assert [m.to for m in mail.outbox] == [["olivia-organiser@example.org"], ["oscar@example.org"]]
    body = mail.outbox[0].body
    assert "Campaign digest for Tuesday, March 10, 2026" in body
    assert "Free Kang Hen" in body
    assert "sign: 150 (+50)" in body
    assert "call: 7 (-2)" in body
    assert "to DA Rosen, District Attorney: 7 (-2)" in body
    assert "email: 0 (+0)" in body
    assert "flagged and not counted: 4" in body
    assert "Needs attention" in body
    assert "eddie" not in " ".join(m.to[0] for m in mail.outbox)


def test_digest_goes_out_once_per_day(totals, organiser):
    assert services.digest_send(day=DAY) == 1
    assert services.digest_send(day=DAY) == 0
    assert len(mail.outbox) == 1 and DigestSent.objects.get().recipients == 1


def test_digest_waits_for_the_morning(totals, organiser, settings):
    settings.DIGEST_HOUR = 7
    early = timezone.make_aware(datetime.datetime(2026, 3, 11, 6, 59))
    assert services.digest_send_if_due(now=early) == 0 and not mail.outbox
    later = timezone.make_aware(datetime.datetime(2026, 3, 11, 9, 0))
    assert services.digest_send_if_due(now=later) == 1
    assert DigestSent.objects.get().day == DAY


def test_digest_task_is_scheduled():
    from django.conf import settings

    from advocacy.celery import app

    assert settings.CELERY_BEAT_SCHEDULE["reports-digest"]["task"] == "reports.tasks.digest_send"
    app.loader.import_default_modules()
    assert "reports.tasks.digest_send" in app.tasks
