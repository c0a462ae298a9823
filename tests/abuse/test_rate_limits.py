"""Rate limits, honeypot and time-to-fill flag an action; the response never tells a bot so."""

import time

import pytest
from django.core import signing
from django.test import Client

from actions.forms import started_token
from actions.models import Action, Supporter
from actions.selectors import campaign_totals
from actions.totals import totals_fold
from tests.factories import SupporterFactory, campaign_page, email_form_texts, email_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return campaign_page()


def form_data(n=0, **overrides):
    data = {
        "first_name": "Sok",
        "last_name": "Chea",
        "email": f"person{n}@example.org",
        "city": "San Jose",
        "postal_code": "95110",
        "country": "US",
        "website": "",
        "started": signing.dumps(int(time.time()) - 60, salt="actions.forms.started"),
    }
    data.update(overrides)
    return data


def _shape(response):
    """Everything a client can observe except the opaque cookie value."""
    cookies = {
        name: {key: morsel[key] for key in ("path", "max-age", "httponly", "samesite", "secure", "domain")}
        for name, morsel in response.cookies.items()
    }
    headers = {k: v for k, v in response.headers.items() if k.lower() != "set-cookie"}
    return response.status_code, response["Location"], cookies, headers, response.content


def test_address_burst_limit_flags_but_stores_and_answers_like_success(campaign, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_address": (3, 60, 100, 3600)}
    responses = [Client(REMOTE_ADDR="203.0.113.9").post(campaign.url, form_data(n)) for n in range(5)]
    assert len({repr(_shape(r)) for r in responses}) == 1
    flags = list(Action.objects.order_by("id").values_list("flagged", "flag_reason"))
    assert flags == [(False, "")] * 3 + [(True, "rate-address")] * 2
    other = Client(REMOTE_ADDR="203.0.113.10").post(campaign.url, form_data(99))
    assert other.status_code == 302
    assert not Action.objects.get(supporter__in=Supporter.objects.by_email("person99@example.org")).flagged
    totals_fold()
    assert campaign_totals(campaign_id=campaign.pk)["sign"] == 4


def test_sustained_address_limit_applies_across_bursts(campaign, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_address": (0, 1, 2, 3600)}
    for n in range(3):
        Client(REMOTE_ADDR="203.0.113.9").post(campaign.url, form_data(n))
    assert list(Action.objects.order_by("id").values_list("flagged", flat=True)) == [False, False, True]


def test_email_limit_on_signing_counts_one_email_across_campaigns(campaign, settings):
    """Signing happens once per campaign, so a repeat on one campaign is the same signature and
    a per-campaign email count could never flag a stored one. The per-email limit therefore
    counts one normalised email across campaigns: signing campaign after campaign in a burst."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_email": (2, 60, 10, 3600)}
    campaigns = [campaign, campaign_page(), campaign_page()]
    emails = ["Sok.Chea+a@gmail.com", "sokchea@gmail.com", "SOKCHEA@gmail.com"]
    for n, (page, email) in enumerate(zip(campaigns, emails, strict=True)):
        response = Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(page.url, form_data(email=email))
        assert response.status_code == 302
    rows = list(Action.objects.order_by("id").values_list("campaign_id", "flagged", "flag_reason"))
    assert rows == [
        (campaigns[0].pk, False, ""),
        (campaigns[1].pk, False, ""),
        (campaigns[2].pk, True, "rate-email"),
    ]
    assert Supporter.objects.count() == 1


@pytest.mark.parametrize("kind", ["sign", "email"])
def test_email_limit_of_once_per_campaign_kinds_is_not_per_campaign(kind, settings):
    from actions.intake import rate_limit_reason

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, f"{kind}_email": (1, 60, 10, 3600)}
    assert rate_limit_reason(kind=kind, campaign_id=1, ip_hash="", email="sokchea@gmail.com") == ""
    assert rate_limit_reason(kind=kind, campaign_id=2, ip_hash="", email="Sok.Chea@gmail.com") == "rate-email"


def test_email_limit_of_repeatable_kinds_is_per_campaign(settings):
    from actions.intake import rate_limit_reason

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "call_email": (1, 60, 10, 3600)}
    assert rate_limit_reason(kind="call", campaign_id=1, ip_hash="", email="sokchea@gmail.com") == ""
    assert rate_limit_reason(kind="call", campaign_id=2, ip_hash="", email="sokchea@gmail.com") == ""
    assert rate_limit_reason(kind="call", campaign_id=2, ip_hash="", email="sokchea@gmail.com") == "rate-email"


@pytest.mark.parametrize(
    "overrides, setting, reason",
    [
        ({"website": "http://spam.example"}, 0, "honeypot"),
        ({"started": "now"}, 30, "too-fast"),
        ({"started": "forged"}, 30, "no-start-time"),
    ],
)
def test_flagged_responses_are_indistinguishable_from_success(campaign, settings, overrides, setting, reason):
    settings.SIGN_MIN_SECONDS = setting
    if overrides.get("started") == "now":
        overrides = {"started": started_token()}  # made here: collection happens long before
    genuine = Client(REMOTE_ADDR="192.0.2.1").post(campaign.url, form_data(1))
    bot = Client(REMOTE_ADDR="192.0.2.2").post(campaign.url, form_data(2, **overrides))
    assert _shape(genuine) == _shape(bot)
    assert Action.objects.get(supporter__in=Supporter.objects.by_email("person2@example.org")).flag_reason == reason
    assert not Action.objects.get(supporter__in=Supporter.objects.by_email("person1@example.org")).flagged
    # The thanks page a bot then fetches also looks the same (apart from the name it gave).
    genuine_thanks = Client(HTTP_COOKIE=f"supporter={genuine.cookies['supporter'].value}").get(genuine["Location"])
    bot_thanks = Client(HTTP_COOKIE=f"supporter={bot.cookies['supporter'].value}").get(bot["Location"])
    assert genuine_thanks.status_code == bot_thanks.status_code == 200
    assert genuine_thanks.content == bot_thanks.content


def test_spoofed_forwarded_for_changes_nothing(campaign, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_address": (2, 60, 100, 3600)}
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # An attacker at one address rotating X-Forwarded-For is still one address.
    for n in range(4):
        Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(campaign.url, form_data(n))
    assert Action.objects.filter(flagged=True).count() == 2
    assert Action.objects.values("ip_hash").distinct().count() == 1


def test_forwarded_for_from_a_trusted_proxy_is_believed(campaign, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_address": (2, 60, 100, 3600)}
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for n in range(4):
        Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").post(campaign.url, form_data(n))
    assert Action.objects.filter(flagged=True).count() == 0
    assert Action.objects.values("ip_hash").distinct().count() == 4


# --- The same limits on every public action: email, call and share go through the same service ---


def page_with_every_step(target):
    return campaign_page(targets=[target], action_steps=[("sign", {}), ("email", {}), ("call", {}), ("share", {})])


@pytest.fixture
def all_steps():
    target = email_target(name="Jeff Rosen", phone="(408) 299-7400", office_hours="Mon-Sun 00:00-24:00")
    return page_with_every_step(target), target


def take(kind, page, target, *, address, email, recognise):
    """One supporter's action of ``kind`` from ``address``, the way a browser sends it."""
    client = Client(REMOTE_ADDR=address)
    if kind == "email":
        data = email_form_texts(client, page)
        data.update(first_name="Sok", last_name="Chea", email=email, postal_code="95110")
        return client.post(page.url + "email/", data)
    supporter = Supporter.objects.by_email(email).first() or SupporterFactory(email=email)
    recognise(client, supporter)
    if kind == "call":
        return client.post(page.url + "call/log/", {"target": target.pk, "outcome": "talked"})
    return client.post(page.url + "share/log/", {"channel": "sms"})


@pytest.mark.parametrize("kind", ["email", "call", "share"])
def test_every_action_is_limited_per_client_address_and_campaign(all_steps, settings, recognise, kind):
    page, target = all_steps
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, f"{kind}_address": (2, 60, 100, 3600)}
    responses = [
        take(kind, page, target, address="203.0.113.9", email=f"p{n}@example.org", recognise=recognise)
        for n in range(4)
    ]
    # Over the limit the action is stored, flagged and answered exactly as a counted one.
    assert len({(r.status_code, r.get("Location")) for r in responses}) == 1
    assert responses[0].status_code in (204, 302, 303)
    flags = list(Action.objects.filter(kind=kind).order_by("id").values_list("flagged", "flag_reason"))
    assert flags == [(False, "")] * 2 + [(True, "rate-address")] * 2
    # The same address on another campaign starts afresh.
    other_page = page_with_every_step(target)
    take(kind, other_page, target, address="203.0.113.9", email="p9@example.org", recognise=recognise)
    assert not Action.objects.get(kind=kind, campaign_id=other_page.pk).flagged
    totals_fold()
    assert campaign_totals(campaign_id=page.pk)[kind] == 2  # one target: one count per counted action


@pytest.mark.parametrize("kind", ["call", "share"])
def test_every_action_is_limited_per_email(all_steps, settings, recognise, kind):
    page, target = all_steps
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, f"{kind}_email": (2, 60, 100, 3600)}
    # One supporter from four addresses (a phone moving between networks, or a bot rotating them).
    for n in range(4):
        take(kind, page, target, address=f"198.51.100.{n}", email="Sok.Chea@example.org", recognise=recognise)
    flags = list(Action.objects.filter(kind=kind).order_by("id").values_list("flagged", "flag_reason"))
    assert flags == [(False, "")] * 2 + [(True, "rate-email")] * 2


def test_limits_can_be_set_from_the_environment_and_bad_values_are_named(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from advocacy.settings.base import _rate_limit

    monkeypatch.setenv("RATE_LIMIT_CALL_EMAIL", "4/30,40/600")
    assert _rate_limit("call_email", (10, 60, 40, 3600)) == (4, 30, 40, 600)
    monkeypatch.delenv("RATE_LIMIT_CALL_EMAIL")
    assert _rate_limit("call_email", (10, 60, 40, 3600)) == (10, 60, 40, 3600)
    for bad in ("4", "4/30", "a/b,c/d", "4/0,40/600"):
        monkeypatch.setenv("RATE_LIMIT_CALL_EMAIL", bad)
        with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_CALL_EMAIL"):
            _rate_limit("call_email", (10, 60, 40, 3600))
