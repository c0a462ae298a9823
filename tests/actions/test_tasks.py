import pytest
from django.core.management import call_command

from actions import tasks, totals
from actions.models import Action, DailyTotal, HourlyTotal, ReferralTotal
from actions.selectors import campaign_totals
from tests.factories import ActionFactory, SupporterFactory, TargetFactory, campaign_page

pytestmark = pytest.mark.django_db


def test_totals_refresh_folds_each_action_exactly_once():
    campaign = campaign_page()
    ActionFactory.create_batch(7, campaign=campaign)
    ActionFactory.create_batch(2, campaign=campaign, flagged=True, flag_reason="rate-limit")
    assert tasks.totals_refresh() == 9
    assert tasks.totals_refresh() == 0  # a second run finds nothing new
    total = DailyTotal.objects.get(campaign=campaign, kind="sign")
    assert (total.count, total.flagged_count) == (7, 2)
    assert not Action.objects.filter(tallied=False).exists()


def test_totals_fold_adds_to_existing_totals_in_batches():
    campaign = campaign_page()
    ActionFactory.create_batch(5, campaign=campaign)
    totals.totals_fold()
    ActionFactory.create_batch(12, campaign=campaign)
    assert totals.totals_fold(batch_size=5) == 12
    assert campaign_totals(campaign_id=campaign.pk)["sign"] == 17


def test_totals_are_kept_per_campaign_kind_target_outcome_and_source():
    one, two = campaign_page(), campaign_page()
    target = TargetFactory()
    supporter = SupporterFactory()
    ActionFactory(campaign=one, supporter=supporter, source="twitter")
    ActionFactory(campaign=one, source="")
    ActionFactory(campaign=two)
    ActionFactory(campaign=one, supporter=supporter, kind="call", target=target, outcome="voicemail")
    ActionFactory(campaign=one, supporter=supporter, kind="call", target=target, outcome="voicemail")
    totals.totals_fold()
    assert campaign_totals(campaign_id=one.pk) == {"sign": 2, "email": 0, "call": 2, "share": 0}
    assert campaign_totals(campaign_id=two.pk)["sign"] == 1
    call_total = DailyTotal.objects.get(campaign=one, kind="call")
    assert (call_total.target_key, call_total.outcome, call_total.count) == (target.pk, "voicemail", 2)
    assert DailyTotal.objects.get(campaign=one, kind="sign", source="twitter").count == 1


def test_reconcile_finds_and_fixes_drift():
    campaign = campaign_page()
    ActionFactory.create_batch(4, campaign=campaign)
    totals.totals_fold()
    assert totals.totals_reconcile() == []
    DailyTotal.objects.filter(campaign=campaign).update(count=99)
    drifts = totals.totals_reconcile()
    assert len(drifts) == 1 and drifts[0].stored == (99, 0) and drifts[0].actual == (4, 0)
    assert DailyTotal.objects.get(campaign=campaign).count == 4
    assert totals.totals_reconcile() == []


def test_reconcile_removes_totals_with_no_actions_behind_them():
    campaign = campaign_page()
    ActionFactory(campaign=campaign)
    totals.totals_fold()
    Action.objects.all().delete()
    drifts = totals.totals_reconcile(campaign_id=campaign.pk)
    assert sorted(d.table for d in drifts) == ["daily", "hourly"]
    assert campaign_totals(campaign_id=campaign.pk)["sign"] == 0
    assert not HourlyTotal.objects.filter(campaign=campaign).exclude(count=0).exists()


def test_reconcile_fixes_many_keys_in_a_few_statements_and_keeps_the_rest(django_assert_max_num_queries):
    """After an import, one campaign can have a total per referrer to fix: they are written in one
    upsert per table, and a key that was already right is left as it was."""
    campaign = campaign_page()
    for n in range(40):
        ActionFactory(campaign=campaign, referrer_code=f"ref{n:02d}")
    ActionFactory.create_batch(2, campaign=campaign, referrer_code="ref00", flagged=True, flag_reason="too-fast")
    totals.totals_fold()
    ReferralTotal.objects.filter(campaign=campaign, referrer_code="ref01").update(count=7)
    ReferralTotal.objects.filter(campaign=campaign).exclude(referrer_code__in=["ref00", "ref01"]).delete()
    kept = ReferralTotal.objects.get(campaign=campaign, referrer_code="ref00")

    with django_assert_max_num_queries(20):
        drifts = totals.totals_reconcile(campaign_id=campaign.pk)

    assert sorted(d.source for d in drifts if d.table == "referral") == [f"ref{n:02d}" for n in range(1, 40)]
    rows = dict(ReferralTotal.objects.filter(campaign=campaign).values_list("referrer_code", "count"))
    assert rows == {f"ref{n:02d}": 1 for n in range(40)}
    again = ReferralTotal.objects.get(campaign=campaign, referrer_code="ref00")
    assert (again.pk, again.count, again.flagged_count) == (kept.pk, 1, 2)
    assert totals.totals_reconcile(campaign_id=campaign.pk) == []


def test_reconcile_totals_command_reports_what_it_fixed(capsys):
    campaign = campaign_page()
    ActionFactory.create_batch(3, campaign=campaign)
    totals.totals_fold()
    DailyTotal.objects.update(count=1)
    call_command("reconcile_totals")
    out = capsys.readouterr().out
    assert "1 drifted" in out and "stored 1, actual 3" in out
    call_command("reconcile_totals")
    assert "exact" in capsys.readouterr().out


def test_untallied_actions_are_folded_by_reconcile_command_first():
    campaign = campaign_page()
    ActionFactory.create_batch(2, campaign=campaign)
    call_command("reconcile_totals")
    assert campaign_totals(campaign_id=campaign.pk)["sign"] == 2
