"""The provider connection a batch is sent over: the environment's proxy settings are read once
per batch and still decide, host by host, as requests decides them."""

import pytest
import requests
from django.utils import timezone

from actions.models import OutboundMessage
from actions.outbox import deliver, provider
from tests.factories import SupporterFactory, campaign_page, email_action, email_target


def test_a_session_reads_the_environment_once_per_host_and_keeps_its_decisions(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "direct.example")
    session = requests.Session()
    provider.environment_read_once(session)

    proxied = session.merge_environment_settings("https://api.example/email", {}, None, True, None)
    direct = session.merge_environment_settings("https://direct.example/email", {}, None, True, None)
    assert proxied["proxies"].get("https") == "http://proxy.invalid:3128"
    assert "https" not in direct["proxies"]  # NO_PROXY still applies, host by host

    proxied["proxies"]["https"] = "http://changed.invalid:1"  # the caller's copy, not the remembered one
    monkeypatch.setenv("HTTPS_PROXY", "http://later.invalid:1")  # within one batch the answer stands
    again = session.merge_environment_settings("https://api.example/email/batch", {}, None, True, None)
    assert again["proxies"]["https"] == "http://proxy.invalid:3128"

    fresh = requests.Session()  # the next batch's session reads the environment again
    provider.environment_read_once(fresh)
    assert fresh.merge_environment_settings("https://api.example/", {}, None, True, None)["proxies"]["https"] == (
        "http://later.invalid:1"
    )


def test_a_session_that_ignores_the_environment_is_left_alone():
    session = requests.Session()
    session.trust_env = False
    provider.environment_read_once(session)
    assert "merge_environment_settings" not in vars(session)
    provider.environment_read_once(None)  # a backend without a requests session (SMTP, locmem)


@pytest.mark.django_db
def test_a_batch_sent_to_the_provider_reads_the_environment_once(provider_standin, monkeypatch):
    page = campaign_page(targets=[email_target(name="Jeff Rosen"), email_target(name="Gavin Newsom")])
    for n in range(3):
        email_action(page, supporter=SupporterFactory(email=f"p{n}@example.org"), live=True)
    OutboundMessage.objects.update(
        status=OutboundMessage.Status.QUEUED, attempts=0, sent_at=None, next_attempt_at=timezone.now()
    )
    reads = []
    real = requests.sessions.get_environ_proxies
    monkeypatch.setattr(requests.sessions, "get_environ_proxies", lambda *a, **k: reads.append(a) or real(*a, **k))

    outcomes = deliver.messages_send()

    assert len(outcomes) == 9 and len(provider_standin.requests) == 9
    assert {o.status for o in outcomes.values()} == {OutboundMessage.Status.SENT}
    assert len(reads) == 1
