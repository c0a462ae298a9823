import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.blocks import StructBlockValidationError

from actions.models import Action, DailyTotal
from actions.phones import tel_href
from actions.selectors import campaign_totals, campaign_totals_by_target
from actions.totals import totals_fold
from cms.blocks import CallStepBlock
from tests.factories import SupporterFactory, TargetFactory, campaign_page

pytestmark = pytest.mark.django_db

ALWAYS_OPEN = "Mon-Sun 00:00-24:00"


def closed_today_hours(zone: str) -> str:
    """Hours only on the day after tomorrow in the target's zone: closed now, whatever the time."""
    day = (timezone.now().astimezone(zoneinfo.ZoneInfo(zone)) + timedelta(days=2)).strftime("%a")
    return f"{day} 09:00-17:00"


def call_steps(**value):
    step = {"heading": "Call their offices", "script": "Hi, I'm {first_name} from {city}. Please {ask}.", **value}
    return [("sign", {}), ("email", {}), ("call", step), ("share", {})]


@pytest.fixture
def rosen():
    return TargetFactory(name="Jeff Rosen", phone="(408) 299-7400", office_hours=ALWAYS_OPEN)


@pytest.fixture
def newsom():
    return TargetFactory(
        name="Gavin Newsom",
        phone="+1 (916) 445-2841",
        office_hours=closed_today_hours("America/New_York"),
        time_zone="America/New_York",
    )


@pytest.fixture
def campaign(rosen, newsom):
    page = campaign_page(
        targets=[rosen, newsom], action_steps=call_steps(talking_points=["He has lived here 40 years"])
    )
    return page


@pytest.fixture
def supporter():
    return SupporterFactory(first_name="Sok", last_name="Chea", city="San Jose")


def test_tel_href_is_international():
    assert tel_href("(408) 299-7400") == "tel:+14082997400"
    assert tel_href("+855 23 216 666") == "tel:+85523216666"
    assert tel_href("") == ""


def test_call_page_shows_phone_personal_script_and_office_state(client, campaign, supporter, recognise):
    html = recognise(client, supporter).get(campaign.url + "call/").content.decode()
    assert 'href="tel:+14082997400"' in html and 'href="tel:+19164452841"' in html
    assert "Call (408) 299-7400" in html
    assert "Hi, I&#x27;m Sok from San Jose. Please Act now, Jeff Rosen." in html
    assert "Please Act now, Gavin Newsom." in html
    assert "Open now until midnight PT" in html
    assert "Closed, opens " in html and " 9 am ET" in html
    assert "He has lived here 40 years" in html
    # Only the closed office gets the email offer.
    assert html.count('class="call-closed-offer"') == 1
    assert f'href="{campaign.url}email/"' in html
    assert html.count('name="outcome" value="talked"') == 2


def test_call_page_without_recognition_has_placeholders_and_no_logging(client, campaign):
    html = client.get(campaign.url + "call/").content.decode()
    assert "Hi, I&#x27;m [your first name] from [your city]." in html
    assert 'name="outcome"' not in html
    assert "Sign first" in html


def test_call_step_can_name_its_own_targets(rosen, newsom):
    page = campaign_page(targets=[rosen, newsom], action_steps=call_steps(targets=[newsom]))
    assert [target for target, _ in page.call_targets()] == [newsom]
    assert page.call_targets()[0][1] == "Act now, Gavin Newsom"


def test_block_refuses_an_unknown_placeholder_on_save():
    block = CallStepBlock()
    value = block.to_python({"heading": "Call", "script": "Hello {frist_name}", "targets": [], "talking_points": []})
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "Unknown placeholder {frist_name}" in str(error.value.block_errors["script"])
    good = block.to_python({"heading": "Call", "script": "Hello {first_name}", "targets": [], "talking_points": []})
    assert block.clean(good)["script"] == "Hello {first_name}"


def test_logging_an_outcome_records_a_call_action(client, campaign, supporter, recognise, rosen):
    recognise(client, supporter)
    response = client.post(campaign.url + "call/log/", {"target": rosen.pk, "outcome": "voicemail"})
    assert response.status_code == 303
    assert response["Location"] == f"{campaign.url}call/?logged=1#target-{rosen.pk}"
    action = Action.objects.get(kind="call")
    assert (action.supporter, action.target, action.outcome, action.flagged) == (supporter, rosen, "voicemail", False)
    html = client.get(response["Location"]).content.decode()
    assert "Logged: Left a voicemail" in html


def test_outcome_totals_per_target_and_outcome(client, campaign, recognise, rosen, newsom):
    calls = [(rosen, "talked"), (rosen, "talked"), (rosen, "voicemail"), (newsom, "no_answer"), (newsom, "skipped")]
    for target, outcome in calls:
        recognise(client, SupporterFactory())
        client.post(campaign.url + "call/log/", {"target": target.pk, "outcome": outcome})
    totals_fold()
    assert campaign_totals_by_target(campaign_id=campaign.pk, kind="call") == {
        (rosen.pk, "talked"): 2,
        (rosen.pk, "voicemail"): 1,
        (newsom.pk, "no_answer"): 1,
        (newsom.pk, "skipped"): 1,
    }
    assert sum(DailyTotal.objects.filter(kind="call").values_list("count", flat=True)) == 5
    assert campaign_totals(campaign_id=campaign.pk)["call"] == 5
    html = client.get(campaign.url + "call/").content.decode()
    assert "3 calls logged to this office: talked to staff 2, left a voicemail 1" in html


@pytest.mark.parametrize(
    "data",
    [{"outcome": "hung_up"}, {"outcome": "talked", "target": "x"}, {"outcome": "talked", "target": "999999"}],
)
def test_bad_outcome_or_target_is_a_clean_400(client, campaign, supporter, recognise, rosen, data):
    recognise(client, supporter)
    data = {"target": rosen.pk, **data}
    assert client.post(campaign.url + "call/log/", data).status_code == 400
    assert not Action.objects.filter(kind="call").exists()


def test_logging_needs_post_and_recognition(client, campaign, rosen):
    assert client.get(campaign.url + "call/log/").status_code == 405
    response = client.post(campaign.url + "call/log/", {"target": rosen.pk, "outcome": "talked"})
    assert response.status_code == 302 and response["Location"] == campaign.url
    assert not Action.objects.exists()


def test_over_the_rate_limit_calls_are_stored_flagged_and_answered_alike(
    client, campaign, supporter, recognise, rosen, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "call_email": (2, 60, 40, 3600)}
    recognise(client, supporter)
    responses = [client.post(campaign.url + "call/log/", {"target": rosen.pk, "outcome": "talked"}) for _ in range(3)]
    assert {(r.status_code, r["Location"]) for r in responses} == {
        (303, f"{campaign.url}call/?logged=1#target-{rosen.pk}")
    }
    assert list(Action.objects.order_by("id").values_list("flagged", "flag_reason")) == [
        (False, ""),
        (False, ""),
        (True, "rate-email"),
    ]
    totals_fold()
    assert campaign_totals_by_target(campaign_id=campaign.pk, kind="call") == {(rosen.pk, "talked"): 2}


def test_rate_limit_per_client_address(client, campaign, recognise, rosen, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "call_address": (1, 60, 120, 3600)}
    for _ in range(2):
        recognise(client, SupporterFactory())
        client.post(campaign.url + "call/log/", {"target": rosen.pk, "outcome": "talked"})
    assert list(Action.objects.order_by("id").values_list("flagged", flat=True)) == [False, True]


def test_closed_campaign_refuses_call_logs(client, supporter, recognise, rosen):
    page = campaign_page(targets=[rosen], action_steps=call_steps(), is_open=False)
    recognise(client, supporter)
    assert client.post(page.url + "call/log/", {"target": rosen.pk, "outcome": "talked"}).status_code == 409
    assert not Action.objects.exists()


def test_the_script_is_filled_and_cleaned_like_an_email(client, rosen, recognise):
    """The same composer as the emails: supporter and target values cleaned to one line, the
    target's salutation defaulting to "Dear <name>"."""
    page = campaign_page(targets=[rosen], action_steps=call_steps(script="{salutation}, I'm {full_name}.\n\n\n{ask}"))
    supporter = SupporterFactory(first_name="So\u202ek\r\nX", last_name="Chea")
    html = recognise(client, supporter).get(page.url + "call/").content.decode()
    assert "Dear Jeff Rosen, I&#x27;m Sok X Chea.<br><br>Act now, Jeff Rosen" in html
