"""What each Twilio webhook costs in statements: pinned so that a change that adds queries to the
hot path of a live call is seen. ``make bench-calls`` (bench/calls_bench.py) measures the same
webhooks' statements and CPU under production settings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import SupporterFactory, TargetFactory, campaign_page
from tests.twilio_standin import calls_switch

pytestmark = pytest.mark.django_db

# Statements per webhook as measured (savepoints included): the event insert in its own savepoint,
# the session locked and moved, the leg written. "done" records the call action, which may read the
# active webhook subscriptions (at most once per WEBHOOK_SUBSCRIPTIONS_TTL per process): one more.
BUDGET = {"answer": 8, "leg": 2, "dial": 10, "done": 15, "status": 10}


def test_statements_per_webhook(client, recognise, twilio_standin, twilio):
    target = TargetFactory(name="Jeff Rosen", phone="+14082997400", office_hours="Mon-Sun 00:00-24:00")
    campaign = campaign_page(targets=[target], action_steps=[("sign", {}), ("call", {})])
    calls_switch(campaign)
    recognise(client, SupporterFactory()).post(campaign.url + "call/me/", {"phone": "(650) 253-0000"})
    placed = twilio_standin.calls[0]
    base = placed["Url"].removesuffix("answer/")
    steps = [
        ("answer", placed["Url"], {}),
        ("leg", base + "leg/0/", {}),
        ("dial", base + "leg/0/dial/", {}),
        ("done", base + "leg/0/done/", {"DialCallStatus": "completed", "DialCallDuration": 60}),
        ("status", placed["StatusCallback"], {"CallStatus": "completed", "CallDuration": 90}),
    ]
    measured = {}
    for name, url, params in steps:
        with CaptureQueriesContext(connection) as queries:
            response = twilio.post(url, **params)
        assert response.status_code in (200, 204)
        measured[name] = len(queries)
    print("statements per webhook:", measured)
    assert all(measured[name] <= BUDGET[name] for name in BUDGET), measured
