"""The OSDI read API: tokens and scopes (401/403), use logged, rate limit, OSDI's field names,
paging and ``modified_date`` over 10,000 signatures with a bounded number of queries."""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import intake
from actions.access.models import PersonalDataAccess
from actions.models import Action, ActionKind, Supporter
from actions.pii import email_index
from actions.privacy_services import supporter_anonymise
from integrations.models import ApiToken, ApiTokenUse
from integrations.tokens import token_create, token_revoke
from tests.factories import SupporterFactory, campaign_page, email_action, email_target

pytestmark = pytest.mark.django_db
API = "/api/osdi/v1/"
ALL = ApiToken.Scope.values

# Keys of OSDI 1.x's own examples (person, signature, petition, collection), which ours must use.
OSDI_PERSON_KEYS = {"identifiers", "created_date", "modified_date", "given_name", "family_name",
                    "email_addresses", "postal_addresses", "custom_fields", "_links"}  # fmt: skip
OSDI_SIGNATURE_KEYS = {"identifiers", "created_date", "modified_date", "comments", "_links"}
OSDI_PETITION_KEYS = {"identifiers", "created_date", "modified_date", "title", "description", "petition_text",
                      "browser_url", "total_signatures", "target", "_links"}  # fmt: skip
OSDI_COLLECTION_KEYS = {"total_pages", "per_page", "page", "total_records", "_links", "_embedded"}


@pytest.fixture
def organiser(django_user_model):
    return django_user_model.objects.create_user("organiser", email="organiser@example.org")


@pytest.fixture
def token(organiser):
    return token_create(user=organiser, scopes=ALL, name="CRM")[1]


def get(client, path, token=None, **params):
    headers = {"OSDI-API-Token": token} if token else {}
    return client.get(API + path, params, headers=headers)


def sign(campaign, email="sok.chea@example.org", **fields):
    return intake.signature_create(
        campaign_id=campaign.pk, first_name="Sok", last_name="Chea", email=email, postal_code="95110",
        submission=intake.Submission(), **fields,
    )  # fmt: skip


def test_401_without_a_valid_token_403_without_the_scope(client, organiser):
    campaign = campaign_page()
    people_only = token_create(user=organiser, scopes=["people:read"])[1]
    actions_only = token_create(user=organiser, scopes=["actions:read"])[1]
    revoked_token, revoked = token_create(user=organiser, scopes=ALL)
    token_revoke(token_id=revoked_token.pk)
    for path in ("", "people", "petitions", f"petitions/{campaign.pk}/signatures", "advocacy_campaigns"):
        assert get(client, path).status_code == 401
        assert get(client, path, "osdi_not-a-token").status_code == 401
        assert get(client, path, revoked).status_code == 401
    response = get(client, "people")
    assert response["WWW-Authenticate"].startswith("OSDI-API-Token") and response.json()["error"]
    assert get(client, "people", people_only).status_code == 200
    assert get(client, "petitions", people_only).status_code == 403
    assert get(client, "people", actions_only).status_code == 403
    assert get(client, f"petitions/{campaign.pk}/signatures", actions_only).status_code == 200
    body = {"person": {"email_addresses": [{"address": "a@example.org"}]}}
    posted = client.post(
        API + f"petitions/{campaign.pk}/signatures", body, content_type="application/json",
        headers={"OSDI-API-Token": actions_only},
    )  # fmt: skip
    assert posted.status_code == 403 and not Action.objects.exists()
    # No page cache in the way: the same URL answers each token for itself.
    assert [get(client, "people", t).status_code for t in (people_only, actions_only, people_only)] == [200, 403, 200]


def test_each_use_is_logged_with_time_and_client_address(client, token):
    get(client, "people", token)
    use = ApiTokenUse.objects.get()
    assert (use.method, use.path, use.status_code, use.client_address) == (
        "GET",
        "/api/osdi/v1/people",
        200,
        "127.0.0.1",
    )
    assert ApiToken.objects.get().last_used_at is not None
    assert token not in str(ApiToken.objects.values_list()) and ApiToken.objects.get().token_hash != token


def test_rate_limited_per_token(client, token, settings):
    settings.OSDI_RATE_LIMIT = (3, 10, 100, 3600)
    assert [get(client, "", token).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert get(client, "", token)["Retry-After"] == "10"


def test_entry_point_links_every_collection(client, token):
    body = get(client, "", token).json()
    assert {"osdi:people", "osdi:petitions", "osdi:advocacy_campaigns", "self"} <= set(body["_links"])
    assert get(client, "", token)["Content-Type"] == "application/hal+json"


def test_people_use_osdi_field_names_and_leave_out_erased_supporters(client, token):
    campaign = campaign_page()
    kept = sign(campaign, consent=True, consent_text="Email me").supporter
    erased = sign(campaign, email="gone@example.org").supporter
    supporter_anonymise(supporter_id=erased.pk)
    body = get(client, "people", token).json()
    assert OSDI_COLLECTION_KEYS <= set(body)
    [person] = body["_embedded"]["osdi:people"]
    assert OSDI_PERSON_KEYS <= set(person)
    assert person["identifiers"] == [f"advocacy:{kept.uuid}"]
    assert (person["given_name"], person["family_name"]) == ("Sok", "Chea")
    assert person["email_addresses"] == [{"primary": True, "address": "sok.chea@example.org", "status": "subscribed"}]
    assert person["postal_addresses"][0]["postal_code"] == "95110"
    assert person["custom_fields"]["advocacy_consent"] is True
    assert get(client, f"people/{kept.uuid}", token).json()["identifiers"] == person["identifiers"]
    assert get(client, f"people/{erased.uuid}", token).status_code == 404


def test_a_campaign_token_sees_only_that_campaign(client, organiser):
    mine, other = campaign_page(), campaign_page(title="Other")
    sign(mine)
    sign(other, email="elsewhere@example.org")
    token = token_create(user=organiser, scopes=ALL, campaign_id=mine.pk)[1]
    people = get(client, "people", token).json()["_embedded"]["osdi:people"]
    assert [p["email_addresses"][0]["address"] for p in people] == ["sok.chea@example.org"]
    petitions = get(client, "petitions", token).json()["_embedded"]["osdi:petitions"]
    assert [p["identifiers"] for p in petitions] == [[f"advocacy:campaign:{mine.pk}"]]
    assert get(client, f"petitions/{other.pk}/signatures", token).status_code == 404


def test_petitions_and_signatures(client, token):
    campaign = campaign_page(targets=[email_target(name="Jeff Rosen")])
    sign(campaign, comment="Free him")
    petition = get(client, f"petitions/{campaign.pk}", token).json()
    assert OSDI_PETITION_KEYS <= set(petition)
    assert petition["target"] == [{"name": "Jeff Rosen", "title": "District Attorney"}]
    assert petition["_links"]["osdi:signatures"]["href"].endswith(f"/petitions/{campaign.pk}/signatures")
    [signature] = get(client, f"petitions/{campaign.pk}/signatures", token).json()["_embedded"]["osdi:signatures"]
    assert OSDI_SIGNATURE_KEYS <= set(signature) and signature["comments"] == "Free him"
    person_href = signature["_links"]["osdi:person"]["href"]
    assert client.get(person_href, headers={"OSDI-API-Token": token}).json()["given_name"] == "Sok"


def test_outreaches_list_emails_and_calls_per_target(client, token):
    target = email_target(name="Jeff Rosen")
    campaign = campaign_page(targets=[target])
    supporter = SupporterFactory()
    email_action(campaign, supporter=supporter)
    intake.call_outcome_log(
        campaign_id=campaign.pk, supporter=supporter, target_id=target.pk, outcome="talked",
        submission=intake.Submission(),
    )  # fmt: skip
    body = get(client, f"advocacy_campaigns/{campaign.pk}/outreaches", token).json()
    outreaches = body["_embedded"]["osdi:outreaches"]
    assert [(o["type"], [t["name"] for t in o["targets"]]) for o in outreaches] == [
        ("email", ["Jeff Rosen"]),
        ("phone", ["Jeff Rosen"]),
    ]
    assert get(client, f"advocacy_campaigns/{campaign.pk}", token).json()["targets"][0]["name"] == "Jeff Rosen"


def _ten_thousand_signatures(campaign) -> datetime.datetime:
    """10,000 signatures: the first half a week old, the rest from today; returns the boundary."""
    old = timezone.now() - datetime.timedelta(days=7)
    supporters = [
        Supporter(email=f"s{n}@example.org", email_index=email_index(f"s{n}@example.org"), first_name="S",
                  last_name=str(n), uuid=uuid.uuid4(), referral_code=uuid.uuid4().hex[:12])
        for n in range(10_000)
    ]  # fmt: skip
    Supporter.objects.bulk_create(supporters, batch_size=2000)
    actions = [Action(campaign_id=campaign.pk, kind=ActionKind.SIGN, supporter=s) for s in supporters]
    Action.objects.bulk_create(actions, batch_size=2000)
    first_half = [a.pk for a in actions[:5000]]
    Action.objects.filter(pk__in=first_half).update(created_at=old)
    Supporter.objects.filter(pk__in=[s.pk for s in supporters[:5000]]).update(updated_at=old)
    return old + datetime.timedelta(days=1)


def test_paging_and_modified_date_over_ten_thousand_signatures_in_bounded_queries(client, token):
    campaign = campaign_page()
    boundary = _ten_thousand_signatures(campaign)
    path = f"petitions/{campaign.pk}/signatures"
    with CaptureQueriesContext(connection) as small:
        get(client, path, token, per_page=5)
    with CaptureQueriesContext(connection) as large:
        first = get(client, path, token, per_page=100).json()
    assert len(large.captured_queries) == len(small.captured_queries) <= 10  # no query per row
    assert (first["total_records"], first["total_pages"], first["per_page"]) == (10_000, 100, 100)
    assert len(first["_embedded"]["osdi:signatures"]) == 100
    since = boundary.strftime("%Y-%m-%dT%H:%M:%SZ")
    url, seen = None, []
    response = get(client, path, token, per_page=100, filter=f"modified_date gt '{since}'").json()
    assert response["total_records"] == 5000
    while True:
        seen += [s["identifiers"][0] for s in response["_embedded"]["osdi:signatures"]]
        url = response["_links"].get("next", {}).get("href")
        if not url:
            break
        response = client.get(url, headers={"OSDI-API-Token": token}).json()
    assert len(seen) == len(set(seen)) == 5000
    with CaptureQueriesContext(connection) as people_queries:
        people = get(client, "people", token, per_page=100, filter=f"modified_date lt '{since}'").json()
    assert people["total_records"] == 5000 and len(people_queries.captured_queries) <= 10


@pytest.mark.parametrize(
    "params",
    [{"filter": "modified_date gt 'yesterday'"}, {"filter": "name eq 'x'"}, {"page": "0"}, {"per_page": "many"}],
)
def test_bad_query_is_a_400_naming_the_parameter(client, token, params):
    response = get(client, "people", token, **params)
    assert response.status_code == 400
    assert response.json()["field"] == next(iter(params))


def test_api_token_create_prints_the_token_once(organiser, capsys):
    call_command("api_token_create", "organiser", "--scope", "people:read", "actions:read", "--name", "Sync")
    out = capsys.readouterr().out
    raw = out.strip().rsplit(" ", 1)[-1]
    assert raw.startswith("osdi_")
    token = ApiToken.objects.get()
    assert token.scopes == ["people:read", "actions:read"] and raw not in token.token_hash


def test_reads_of_personal_data_go_in_the_access_log_and_campaign_reads_do_not(client, token, organiser):
    campaign = campaign_page()
    first = sign(campaign).supporter
    sign(campaign, email="dara@example.org")
    get(client, "people", token)
    get(client, f"people/{first.uuid}", token)
    get(client, f"petitions/{campaign.pk}/signatures", token)
    get(client, f"petitions/{campaign.pk}", token)  # totals only: no personal data
    entries = list(PersonalDataAccess.objects.order_by("pk").values_list("user_id", "what", "rows", "supporter_id"))
    assert entries == [
        (organiser.pk, "api: people", 2, None),
        (organiser.pk, "api: person", 1, first.pk),
        (organiser.pk, "api: signatures", 2, None),
    ]
