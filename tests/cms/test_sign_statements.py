"""What one signature costs the database: the statements of a first-time sign POST.

A spike is thousands of these a minute, so each statement matters (issue 13). The list is
pinned: a change that adds a query to the sign path fails here and has to say why.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from integrations import events as webhook_events
from tests.factories import campaign_page

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Sok",
    "last_name": "Chea",
    "email": "sok@example.org",
    "city": "San Jose",
    "postal_code": "95110",
    "country": "US",
    "website": "",
}


def statement_kinds(queries) -> list[str]:
    """Each statement as its verb, plus the table for SELECT and INSERT."""
    kinds = []
    for query in queries:
        words = query["sql"].replace('"', " ").replace(".", " ").split()
        kind = words[0].upper()
        if kind in ("SELECT", "INSERT"):
            tables = ("wagtailcore_", "actions_", "cms_", "integrations_")
            kind += " " + next((w for w in words if w.startswith(tables)), words[-1])
        kinds.append(kind)
    return kinds


def test_a_first_signature_is_one_statement_on_postgresql_and_needs_no_routing_query():
    page = campaign_page()
    client = Client()
    client.get(page.url)  # the site, its root page and the campaign are remembered from here on
    # Each process reads the webhook subscriptions at most once per WEBHOOK_SUBSCRIPTIONS_TTL; read
    # them now, as the spike's earlier signatures would have, whatever ran before this test.
    webhook_events.subscriptions_forget()
    assert not webhook_events.listening("action.created", page.pk)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(page.url, FORM)
    assert response.status_code == 302 and Action.objects.count() == 1
    if connection.vendor == "postgresql":
        # The supporter and the signature in one statement (actions.first_signature). Inside the
        # test's own transaction it is kept apart by a savepoint; in a request it runs alone.
        assert statement_kinds(queries.captured_queries) == ["SAVEPOINT", "WITH", "RELEASE"]
    else:
        assert statement_kinds(queries.captured_queries) == [
            "SAVEPOINT",
            "SELECT actions_supporter",
            "SAVEPOINT",  # a concurrent first signature by the same person must not break the rest
            "INSERT actions_supporter",
            "RELEASE",
            "INSERT actions_action",
            "RELEASE",
        ]
