"""The ladder follows the campaign's configured order and skips what the supporter has done."""

import pytest

from actions.models import Action
from actions.selectors import supporter_progress
from cms.steps.ladder import ladder_context
from tests.factories import ActionFactory, SupporterFactory, TargetFactory, campaign_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def targets():
    return [TargetFactory(name="Jeff Rosen"), TargetFactory(name="Gavin Newsom")]


@pytest.fixture
def supporter():
    return SupporterFactory(first_name="Sok")


def act(page, supporter, kind, target=None, outcome=""):
    return ActionFactory(campaign=page, supporter=supporter, kind=kind, target=target, outcome=outcome)


def next_kind(page, supporter):
    step = ladder_context(page, supporter)["next_step"]
    return step.block_type if step else None


def test_ladder_order_follows_the_cms_configuration(targets, supporter):
    page = campaign_page(targets=targets, action_steps=[("sign", {}), ("call", {}), ("share", {}), ("email", {})])
    assert next_kind(page, supporter) == "sign"
    act(page, supporter, "sign")
    assert next_kind(page, supporter) == "call"
    reordered = campaign_page(targets=targets, action_steps=[("share", {}), ("sign", {}), ("call", {})])
    act(reordered, supporter, "sign")
    assert next_kind(reordered, supporter) == "share"


def test_call_step_is_done_only_when_every_call_target_has_a_call(targets, supporter):
    page = campaign_page(targets=targets, action_steps=[("sign", {}), ("call", {}), ("share", {})])
    act(page, supporter, "sign")
    act(page, supporter, "call", target=targets[0], outcome="talked")
    context = ladder_context(page, supporter)
    assert context["next_step"].block_type == "call"
    assert [step["done"] for step in context["ladder"]] == [True, False, False]
    act(page, supporter, "call", target=targets[1], outcome="skipped")  # a skip is not asked again
    assert next_kind(page, supporter) == "share"
    act(page, supporter, "share", outcome="copy")
    assert next_kind(page, supporter) is None


def test_progress_is_per_kind_and_target_and_per_campaign(targets, supporter):
    page = campaign_page(targets=targets)
    other = campaign_page(targets=targets, title="Another")
    act(page, supporter, "call", target=targets[0], outcome="voicemail")
    act(page, supporter, "email")
    act(other, supporter, "call", target=targets[1], outcome="talked")
    progress = supporter_progress(campaign_id=page.pk, supporter=supporter)
    assert progress.done("call", targets[0].pk) and not progress.done("call", targets[1].pk)
    # One email action covers every target it wrote to.
    assert progress.done("email", targets[0].pk) and progress.done("email", targets[1].pk)
    assert not progress.done("sign")
    assert progress.outcomes == {targets[0].pk: "voicemail"}
    assert supporter_progress(campaign_id=page.pk, supporter=None).done("call") is False


def test_thanks_page_offers_the_next_step_with_ticks(client, targets, supporter, recognise):
    page = campaign_page(targets=targets, action_steps=[("sign", {}), ("call", {}), ("share", {})])
    act(page, supporter, "sign")
    html = recognise(client, supporter).get(page.url + "thanks/").content.decode()
    assert "Next: Call their offices" in html
    assert f'<a class="button button-primary" href="{page.url}call/">' in html
    assert html.count('class="ladder-done-step"') == 1


def test_after_logging_a_call_the_next_unfinished_step_is_offered(client, targets, supporter, recognise):
    page = campaign_page(targets=targets, action_steps=[("sign", {}), ("email", {}), ("call", {}), ("share", {})])
    act(page, supporter, "sign")
    act(page, supporter, "email")
    recognise(client, supporter)
    for target in targets:
        response = client.post(page.url + "call/log/", {"target": target.pk, "outcome": "talked"})
    html = client.get(response["Location"]).content.decode()
    assert "Next: Share with friends" in html
    assert html.count("Logged: Talked to staff") == 2
    assert Action.objects.filter(kind="call").count() == 2


def test_everything_done_says_so(client, targets, supporter, recognise):
    page = campaign_page(targets=targets, action_steps=[("sign", {}), ("share", {})])
    act(page, supporter, "sign")
    act(page, supporter, "share", outcome="sms")
    html = recognise(client, supporter).get(page.url + "thanks/").content.decode()
    assert "You have done everything this campaign asks." in html and "Next:" not in html


def test_a_signer_who_has_not_called_costs_one_query(targets, supporter, django_assert_num_queries):
    page = campaign_page(targets=targets, action_steps=[("sign", {}), ("call", {}), ("share", {})])
    act(page, supporter, "sign")
    ladder_context(page, SupporterFactory())  # fills the page's own memos (step URLs), as a served page has them
    with django_assert_num_queries(1):  # their progress; the call targets only matter after a call
        assert ladder_context(page, supporter)["next_step"].block_type == "call"
    act(page, supporter, "call", target=targets[0], outcome="talked")
    with django_assert_num_queries(2):
        assert ladder_context(page, supporter)["next_step"].block_type == "call"  # one office left
