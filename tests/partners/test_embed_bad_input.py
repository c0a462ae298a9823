"""Bad input on the embed (property-based): never a 500, never a lost or doubled signature.

Each example is one real request through the whole middleware stack, with no cookie at all
(a fresh client each time), as in a frame on a partner's site.
"""

import time
import urllib.parse

import pytest
from django.core import signing
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import Action, Supporter
from actions.pii import email_index
from partners.embed_token import embed_token
from partners.models import PartnerConsent

from .conftest import partner_for

pytestmark = pytest.mark.django_db

HYPOTHESIS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FIELDS = ["first_name", "last_name", "email", "city", "country", "postal_code", "consent", "partner_consent"]
FIELDS += ["website", "started", "source", "ref", "embed_token", "partner"]
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=200)
ODD_TEXT = st.text(
    st.one_of(
        st.sampled_from(["\u202e", "\u200b", "\ufeff", "\r", "\n", "\x00", "<", '"', "'", ";"]),
        st.characters(exclude_categories=["Cs"]),
    ),
    max_size=80,
)
CODES = st.one_of(st.sampled_from(["alc", "ALC", "alc ", "faith", "", "a", "x" * 40, "%00", "alc\x00"]), ODD_TEXT)


@pytest.fixture
def partner(campaign):
    partner = partner_for(campaign)
    partner_for(campaign, code="faith", name="Faith", allowed_domains="https://faith.example.org")
    return partner


def _started():
    return signing.dumps(int(time.time()) - 60, salt="actions.forms.started")


@HYPOTHESIS
@given(query=st.binary(max_size=300), code=CODES)
def test_any_query_string_gives_the_embed(campaign, partner, query, code):
    client = Client(raise_request_exception=False)
    raw = urllib.parse.quote_from_bytes(query, safe="=&%+")
    response = client.get(f"{campaign.url}embed/", QUERY_STRING=raw)
    assert response.status_code == 200
    response = client.get(f"{campaign.url}embed/", {"partner": code, "source": code, "ref": code})
    assert response.status_code == 200
    assert "frame-ancestors" in response["Content-Security-Policy"] and response.cookies == {}


@HYPOTHESIS
@given(data=st.dictionaries(st.one_of(st.sampled_from(FIELDS), ANY_TEXT), st.one_of(ANY_TEXT, ODD_TEXT), max_size=14))
def test_any_post_is_answered_cleanly(campaign, partner, data):
    before = Action.objects.count()
    response = Client(raise_request_exception=False).post(f"{campaign.url}embed/", data)
    assert response.status_code == 400  # no valid token can be guessed: refused, nothing written
    assert Action.objects.count() == before


@HYPOTHESIS
@given(
    first=ODD_TEXT,
    last=ODD_TEXT,
    email=st.emails(),
    city=ODD_TEXT,
    country=st.sampled_from(["US", "ZZ", "KH"]),
    postal_code=st.sampled_from(["95110", "", "ABC", "\x00"]),
    opt_in=st.booleans(),
    which=st.sampled_from(["alc", "none", "other-campaign"]),
    repeat=st.integers(min_value=1, max_value=3),
)
def test_every_accepted_signature_is_stored_once_with_its_partner(
    campaign, partner, first, last, email, city, country, postal_code, opt_in, which, repeat
):
    from tests.factories import campaign_page

    partner_id = {"alc": partner.pk, "none": None, "other-campaign": partner.pk}[which]
    campaign_id = campaign_page().pk if which == "other-campaign" else campaign.pk
    data = {
        "first_name": first,
        "last_name": last,
        "email": email,
        "city": city,
        "country": country,
        "postal_code": postal_code,
        "started": _started(),
        "embed_token": embed_token(campaign_id=campaign_id, partner_id=partner_id),
    }
    if opt_in:
        data["partner_consent"] = "on"
    before = Action.objects.count()
    # Examples share the database, so an email may have signed in an earlier one: that first
    # signature (and its partner) stands, as for any repeat.
    key = email_index(email.strip())
    earlier = Action.objects.filter(supporter__email_index=key, campaign_id=campaign.pk, kind="sign").first()
    earlier_consent = PartnerConsent.objects.filter(supporter__email_index=key, campaign_id=campaign.pk).exists()
    statuses = {
        Client(raise_request_exception=False).post(f"{campaign.url}embed/", data).status_code for _ in range(repeat)
    }
    assert len(statuses) == 1 and statuses <= {200, 400}
    if statuses == {200}:
        supporter = Supporter.objects.get(email_index=key)
        signed = Action.objects.filter(supporter=supporter, campaign_id=campaign.pk, kind="sign")
        assert signed.count() == 1
        expected_partner = earlier.partner_id if earlier else (partner.pk if which == "alc" else None)
        assert signed.get().partner_id == expected_partner
        consents = PartnerConsent.objects.filter(supporter=supporter, campaign_id=campaign.pk)
        assert consents.count() == (1 if earlier_consent or (which == "alc" and opt_in) else 0)
    else:
        assert Action.objects.count() == before
