"""Actions per partner: folded into stored totals like every other count, shown in the overview."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import totals
from actions.models import Action, PartnerDailyTotal
from tests.factories import ActionFactory, SupporterFactory

from .conftest import partner_for

pytestmark = pytest.mark.django_db


def test_fold_counts_each_partner_once_and_reconcile_finds_no_drift(campaign, partner):
    faith = partner_for(campaign, code="faith", name="Faith Coalition", allowed_domains="faith.example.org")
    ActionFactory.create_batch(3, campaign=campaign, partner=partner)
    ActionFactory(campaign=campaign, partner=partner, flagged=True)
    ActionFactory(campaign=campaign, partner=faith, kind="share", outcome="copy", supporter=SupporterFactory())
    ActionFactory(campaign=campaign)  # not through an embed
    assert totals.totals_fold() == 6
    assert totals.totals_fold() == 0
    rows = {(r.partner_id, r.kind): (r.count, r.flagged_count) for r in PartnerDailyTotal.objects.all()}
    assert rows == {(partner.pk, "sign"): (3, 1), (faith.pk, "share"): (1, 0)}
    assert totals.totals_reconcile() == []


def test_reconcile_repairs_a_partner_total(campaign, partner):
    ActionFactory.create_batch(2, campaign=campaign, partner=partner)
    totals.totals_fold()
    PartnerDailyTotal.objects.update(count=7)
    drifts = totals.totals_reconcile()
    assert [(d.table, d.target_key, d.stored, d.actual) for d in drifts] == [("partner", partner.pk, (7, 0), (2, 0))]
    assert PartnerDailyTotal.objects.get().count == 2


def test_the_overview_shows_per_partner_and_per_day_without_reading_the_action_log(
    client, campaign, partner, organiser
):
    ActionFactory.create_batch(2, campaign=campaign, partner=partner)
    totals.totals_fold()
    client.force_login(organiser)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("reports:overview", args=[campaign.pk])).content.decode()
    assert not [q["sql"] for q in queries if f'"{Action._meta.db_table}"' in q["sql"]]
    assert "Per partner (actions through each partner" in html and "Per partner per day" in html
    row = html.split('<th scope="row">Asian Law Caucus</th>')[1].split("</tr>")[0]
    assert "<td>2</td>" in row
