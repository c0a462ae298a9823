import pytest
from django.db import transaction

from actions import intake, totals
from actions.models import Action, ActionKind, Supporter
from actions.selectors import campaign_totals
from tests.factories import SupporterFactory, campaign_page

pytestmark = pytest.mark.django_db


def sign(campaign, **overrides):
    data = dict(
        campaign_id=campaign.pk,
        first_name="Sok",
        last_name="Chea",
        email="sok.chea@gmail.com",
        city="San Jose",
        postal_code="95110",
    )
    submission = {key: overrides.pop(key) for key in ("source", "honeypot", "ip_hash") if key in overrides}
    data.update(overrides)
    return intake.signature_create(**data, submission=intake.Submission(**submission))


def test_signature_creates_supporter_and_one_action():
    campaign = campaign_page()
    result = sign(campaign, consent=True, consent_text="Email me", source="twitter", comment="Free Kang!")
    assert result.created
    action = Action.objects.get()
    assert (action.kind, action.campaign_id, action.supporter_id) == ("sign", campaign.pk, result.supporter.pk)
    assert action.consent and action.consent_text == "Email me" and action.consent_at is not None
    assert action.source == "twitter" and action.comment == "Free Kang!"
    assert not action.tallied


def test_consent_wording_is_not_stored_without_consent():
    campaign = campaign_page()
    sign(campaign, consent=False, consent_text="Email me")
    action = Action.objects.get()
    assert action.consent_text == "" and action.consent_at is None


@pytest.mark.parametrize(
    "variant", ["sok.chea@gmail.com", "SOK.CHEA@GMAIL.COM", "sokchea@gmail.com", "s.o.k.chea+kang@googlemail.com"]
)
def test_same_person_signs_once(variant):
    campaign = campaign_page()
    first = sign(campaign)
    again = sign(campaign, email=variant, first_name="Someone", last_name="Else", comment="changed")
    assert not again.created
    assert again.action.pk == first.action.pk
    assert Action.objects.count() == 1 and Supporter.objects.count() == 1
    supporter = Supporter.objects.get()
    # Nothing destructive: the original details stay.
    assert (supporter.first_name, supporter.last_name, supporter.email) == ("Sok", "Chea", "sok.chea@gmail.com")
    assert Action.objects.get().comment == ""


def test_returning_supporter_fills_only_empty_details():
    campaign = campaign_page()
    sign(campaign, city="", postal_code="")
    sign(campaign, city="Oakland", postal_code="94601")
    supporter = Supporter.objects.get()
    assert (supporter.city, supporter.postal_code) == ("Oakland", "94601")
    sign(campaign, city="Elsewhere")
    supporter.refresh_from_db()
    assert supporter.city == "Oakland"


def test_same_supporter_can_sign_two_campaigns():
    one, two = campaign_page(), campaign_page()
    assert sign(one).created and sign(two).created
    assert Supporter.objects.count() == 1 and Action.objects.count() == 2


def test_calls_are_not_once_per_campaign():
    campaign = campaign_page()
    supporter = SupporterFactory()
    for _ in range(2):
        intake.action_take(
            campaign_id=campaign.pk,
            kind=ActionKind.CALL,
            supporter=supporter,
            outcome="voicemail",
            submission=intake.Submission(),
            flag_reason="",
        )
    assert Action.objects.filter(kind="call").count() == 2


def test_own_referral_code_is_not_a_referral():
    campaign = campaign_page()
    supporter = SupporterFactory()
    result = intake.signature_take(
        campaign_id=campaign.pk,
        supporter=supporter,
        submission=intake.Submission(referrer_code=supporter.referral_code),
    )
    assert result.action.referrer_code == ""


def test_on_created_work_rolls_back_with_the_action():
    campaign = campaign_page()
    supporter = SupporterFactory()

    def explode(action):
        raise RuntimeError("outbox write failed")

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            intake.action_take(
                campaign_id=campaign.pk,
                kind="email",
                supporter=supporter,
                submission=intake.Submission(),
                flag_reason="",
                on_created=explode,
            )
    assert not Action.objects.exists()


def test_flagged_signature_is_stored_but_not_counted():
    campaign = campaign_page()
    sign(campaign, honeypot="http://spam.example")
    sign(campaign, email="other@example.org")
    totals.totals_fold()
    assert Action.objects.filter(flagged=True, flag_reason="honeypot").count() == 1
    assert campaign_totals(campaign_id=campaign.pk)["sign"] == 1


def test_first_signature_skips_the_lookup_for_an_earlier_action():
    campaign = campaign_page()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        sign(campaign, email="new.person@example.org")
    with CaptureQueriesContext(connection) as returning:
        sign(campaign, email="new.person@example.org")
    action_selects = lambda queries: [  # noqa: E731
        q for q in queries if q["sql"].startswith("SELECT") and 'FROM "actions_action"' in q["sql"]
    ]
    assert action_selects(first.captured_queries) == []
    assert len(action_selects(returning.captured_queries)) == 1
    assert Action.objects.count() == 1
