"""POST …/petitions/<id>/signatures: the web form's intake path (dedupe, flags, consent), and a
clean 400 naming the field for anything else, never a 500 (hypothesis over the body)."""

import json

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import Action, Supporter
from cms.models import CampaignPage
from integrations.tokens import token_create
from tests.factories import campaign_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(django_user_model):
    user = django_user_model.objects.create_user("partner")
    return token_create(user=user, scopes=["signatures:write", "actions:read"], name="Partner")[1]


def body(email="sok.chea@example.org", **person):
    return {
        "person": {
            "given_name": "Sok",
            "family_name": "Chea",
            "email_addresses": [{"address": email}],
            "postal_addresses": [{"postal_code": "95110", "locality": "San Jose", "country": "US"}],
            **person,
        },
        "comments": "Let him stay",
    }


def post(client, campaign, token, data, *, raw=False):
    payload = data if raw else json.dumps(data)
    return client.post(
        f"/api/osdi/v1/petitions/{campaign.pk}/signatures",
        payload,
        content_type="application/json",
        headers={"OSDI-API-Token": token},
    )


def test_a_signature_goes_through_intake_with_consent(client, token):
    campaign = campaign_page()
    response = post(client, campaign, token, body(custom_fields={"advocacy_consent": True}))
    assert response.status_code == 201
    action = Action.objects.get()
    assert (action.kind, action.source, action.comment, action.flagged) == ("sign", "osdi-api", "Let him stay", False)
    assert action.consent and action.consent_text == campaign.consent_text
    assert response.json()["identifiers"] == [f"advocacy:action:{action.pk}"]
    assert response.json()["_links"]["osdi:person"]["href"].endswith(str(action.supporter.uuid))


def test_a_duplicate_email_is_deduped(client, token):
    campaign = campaign_page()
    assert post(client, campaign, token, body()).status_code == 201
    again = post(client, campaign, token, body(email="SOK.CHEA@example.org", given_name="Someone"))
    assert again.status_code == 200
    assert Action.objects.count() == 1 and Supporter.objects.get().first_name == "Sok"


def test_a_honeypot_is_flagged_as_on_the_web(client, token):
    campaign = campaign_page()
    data = {**body(), "honeypot": "http://spam.example"}
    assert post(client, campaign, token, data).status_code == 201  # answered like a success
    assert Action.objects.get().flag_reason == "honeypot"


def test_over_the_per_email_limit_is_flagged_as_on_the_web(client, token):
    campaigns = [campaign_page(title=f"Campaign {n}") for n in range(4)]
    for campaign in campaigns:
        assert post(client, campaign, token, body()).status_code == 201
    reasons = list(Action.objects.order_by("pk").values_list("flag_reason", flat=True))
    assert reasons == ["", "", "", "rate-email"]  # RATE_LIMITS["sign_email"]: 3 a minute


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ("{not json", "body"),
        ("[]", "body"),
        ({"comments": "no person"}, "person"),
        (body(email_addresses=[]), "person.email_addresses[0].address"),
        (body(email="not-an-email"), "person.email_addresses[0].address"),
        (body(given_name=""), "person.given_name"),
        (body(given_name=7), "person.given_name"),
        (body(postal_addresses=[{"postal_code": "9"}]), "person.postal_addresses[0].postal_code"),
        (body(email_addresses="a@example.org"), "person.email_addresses"),
        (body(custom_fields={"advocacy_consent": "yes"}), "person.custom_fields.advocacy_consent"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, token, data, field):
    campaign = campaign_page()
    response = post(client, campaign, token, data if isinstance(data, str) else data, raw=isinstance(data, str))
    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["message"]
    assert not Action.objects.exists()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
person_like = st.fixed_dictionaries(
    {},
    optional={
        "given_name": json_values | st.text(max_size=120),
        "family_name": json_values,
        "email_addresses": st.lists(st.fixed_dictionaries({"address": st.emails() | json_values}), max_size=2)
        | json_values,
        "postal_addresses": st.lists(
            st.fixed_dictionaries({}, optional={"postal_code": st.text(max_size=12) | json_values}), max_size=2
        )
        | json_values,
        "custom_fields": st.dictionaries(st.just("advocacy_consent"), json_values) | json_values,
    },
)
bodies = (
    st.fixed_dictionaries({}, optional={"person": person_like | json_values, "comments": json_values}) | json_values
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=bodies)
def test_any_json_body_is_answered_without_a_500(client, token, data):
    campaign = CampaignPage.objects.first() or campaign_page()
    before = Action.objects.count()
    with override_settings(OSDI_RATE_LIMIT=(10_000, 10, 100_000, 3600)):  # many examples a second
        response = post(client, campaign, token, data)
    assert response.status_code in (200, 201, 400), response.content
    answer = response.json()
    if response.status_code == 400:
        assert answer["field"] and Action.objects.count() == before
    else:
        assert Action.objects.count() == before + (response.status_code == 201)
