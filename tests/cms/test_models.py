import pytest
from django.core.exceptions import ValidationError

from actions.models import ActionKind
from cms.models import CampaignPage, parse_goal_ladder
from tests.factories import campaign_page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "count, goal",
    [
        (0, 2500),
        (2499, 2500),
        (2500, 5000),
        (4999, 5000),
        (5000, 10000),
        (99_999, 100_000),
        (100_000, 200_000),
        (250_000, 300_000),
    ],
)
def test_goal_steps_up_the_ladder(count, goal):
    page = CampaignPage(signature_goal=2500, goal_ladder="5000, 10000; 25000, 50000, 100000")
    assert page.goal_for(count) == goal


def test_goal_ladder_parsing():
    assert parse_goal_ladder("5000, 10000") == [5000, 10000]
    assert parse_goal_ladder("5000; 10_000") == [5000, 10000]
    assert parse_goal_ladder("") == []
    with pytest.raises(ValueError):
        parse_goal_ladder("five thousand")


@pytest.mark.django_db
def test_goal_ladder_must_be_increasing_numbers():
    page = campaign_page()
    page.goal_ladder = "5000, 4000"
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "larger than the one before" in str(error.value)
    page.goal_ladder = "lots"
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "whole numbers" in str(error.value)


@pytest.mark.django_db
def test_next_step_follows_configured_order_and_skips_done():
    page = campaign_page(action_steps=[("sign", {}), ("call", {}), ("email", {}), ("share", {})])
    assert page.step_kinds == ["sign", "call", "email", "share"]
    assert page.next_step({ActionKind.SIGN}).block_type == "call"
    assert page.next_step({"sign", "call"}).block_type == "email"
    assert page.next_step({"sign", "call", "email", "share"}) is None
