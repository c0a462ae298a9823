"""The overview reads stored totals only, and those totals equal the raw action log."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import totals
from actions.models import Action, ActionKind, OutboundMessage
from reports import selectors
from reports.generate import generate
from tests.factories import ActionFactory, SupporterFactory, TargetFactory, campaign_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    targets = [TargetFactory(name="DA Jeff Rosen"), TargetFactory(name="Governor Newsom")]
    campaign = campaign_page(targets=targets, signature_goal=1000, goal_ladder="5000")
    other = campaign_page(targets=targets)
    generate(campaign=campaign, targets=targets, actions=3000, days=20, seed=7)
    generate(campaign=other, targets=targets, actions=300, days=5, seed=8)
    return campaign


def _counted_units(log):
    """What the totals count, recomputed from the raw rows: each counted action once, except that a
    counted email action counts once per message it sent to a target (as the email step records it).
    Yields (kind, target name, source, referrer code, created_at, outcome)."""
    for a in log.filter(flagged=False).exclude(kind="email").select_related("target"):
        yield a.kind, a.target.name if a.target else None, a.source, a.referrer_code, a.created_at, a.outcome
    emails = log.filter(kind="email", flagged=False)
    for m in OutboundMessage.objects.filter(action__in=emails, kind="target").select_related("target", "action"):
        yield "email", m.target.name, m.action.source, m.action.referrer_code, m.action.created_at, ""


def test_overview_totals_equal_the_raw_action_log(generated):
    campaign = generated
    data = selectors.campaign_overview(campaign=campaign)
    log = Action.objects.filter(campaign=campaign)
    units = list(_counted_units(log))
    assert any(kind == "email" for kind, *_ in units)  # the generator wrote outbox rows

    for kind in ActionKind.values:
        assert data["per_kind"][kind] == {
            "counted": sum(1 for u in units if u[0] == kind),
            "flagged": log.filter(kind=kind, flagged=True).count(),
        }
    assert data["per_kind"]["sign"]["counted"] > 0 and data["per_kind"]["sign"]["flagged"] > 0

    per_target = Counter((name, kind) for kind, name, *_ in units if name)
    shown = {
        (name.split(",")[0], kind): n for name, kinds in data["per_target"].items() for kind, n in kinds.items() if n
    }
    assert shown == dict(per_target)

    per_source = Counter((source or "(direct)", kind) for kind, _, source, *_ in units)
    shown = {(source, kind): n for source, kinds in data["per_source"].items() for kind, n in kinds.items() if n}
    assert shown == dict(per_source)

    counted = log.filter(flagged=False)
    assert data["call_outcomes"] == dict(Counter(counted.filter(kind="call").values_list("outcome", flat=True)))
    assert data["share_channels"] == dict(Counter(counted.filter(kind="share").values_list("outcome", flat=True)))

    # Referrals credit actions (not messages): one email action is one referred action.
    referred = counted.exclude(referrer_code="")
    assert data["referred_total"] == referred.count() > 0
    top = Counter(referred.values_list("referrer_code", flat=True)).most_common(1)[0]
    assert (data["referrals"][0]["code"], data["referrals"][0]["count"]) == top

    per_day = Counter((timezone.localtime(created).date(), kind) for kind, _, _, _, created, _ in units)
    shown = {(day, kind): n for day, kinds in data["per_day"] for kind, n in kinds.items() if n}
    assert shown == dict(per_day)

    since = data["per_hour"][0][0]
    per_hour = Counter(
        (created.replace(minute=0, second=0, microsecond=0), kind)
        for kind, _, _, _, created, _ in units
        if created >= since
    )
    shown = {(hour, kind): n for hour, kinds in data["per_hour"] for kind, n in kinds.items() if n}
    assert shown == dict(per_hour) and shown

    assert data["signatures"] == counted.filter(kind="sign").count()
    assert data["goal"] == campaign.goal_for(data["signatures"])


def test_overview_never_reads_the_action_table(generated, organiser_client):
    with CaptureQueriesContext(connection) as queries:
        response = organiser_client.get(reverse("reports:overview", args=[generated.pk]))
    assert response.status_code == 200
    action_table = Action._meta.db_table
    assert not [q["sql"] for q in queries if f'"{action_table}"' in q["sql"]]
    assert b"<svg" in response.content and "Counted actions per day" in response.content.decode()


def test_overview_shows_the_chart_numbers_as_a_table_and_escapes_names(organiser_client):
    target = TargetFactory(name="<script>alert(1)</script>")
    campaign = campaign_page(targets=[target])
    ActionFactory(campaign=campaign, kind="call", target=target, outcome="reached", supporter=SupporterFactory())
    totals.totals_fold()
    html = organiser_client.get(reverse("reports:overview", args=[campaign.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'<th scope="row">{timezone.localdate():%Y-%m-%d}</th>' in html


def test_fold_keeps_hourly_and_referral_totals_exactly_once():
    campaign = campaign_page()
    sharer = SupporterFactory()
    ActionFactory.create_batch(3, campaign=campaign, referrer_code=sharer.referral_code)
    ActionFactory(campaign=campaign, referrer_code=sharer.referral_code, flagged=True)
    assert totals.totals_fold() == 4
    assert totals.totals_fold() == 0
    from actions.models import HourlyTotal, ReferralTotal

    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    hourly = HourlyTotal.objects.get(campaign=campaign, kind="sign")
    assert (hourly.count, hourly.flagged_count) in {(3, 1)} and hourly.hour in {
        hour,
        hour - datetime.timedelta(hours=1),
    }
    referral = ReferralTotal.objects.get(campaign=campaign, referrer_code=sharer.referral_code)
    assert (referral.count, referral.flagged_count) == (3, 1)
    assert totals.totals_reconcile() == []
    ReferralTotal.objects.update(count=10)
    HourlyTotal.objects.update(count=0)
    drifts = totals.totals_reconcile()
    assert sorted(d.table for d in drifts) == ["hourly", "referral"]
    assert ReferralTotal.objects.get().count == 3 and HourlyTotal.objects.get().count == 3
