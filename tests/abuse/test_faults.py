"""Faults on the biggest day: Redis down, PostgreSQL down, twenty identical requests at once."""

import logging
import threading
import time

import pytest
from django.core import signing
from django.db import connection
from django.test import Client, override_settings

from actions.models import Action, DailyTotal, Supporter
from actions.selectors import campaign_totals
from actions.totals import totals_fold
from tests.factories import campaign_page
from tests.waiting import closed_port


def form_data(**overrides):
    data = {
        "first_name": "Sok",
        "last_name": "Chea",
        "email": "sok@example.org",
        "city": "San Jose",
        "postal_code": "95110",
        "country": "US",
        "website": "",
        "started": signing.dumps(int(time.time()) - 60, salt="actions.forms.started"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def celery_broker_down():
    from advocacy.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=f"redis://127.0.0.1:{closed_port()}/0", task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    yield
    app.conf.update(**saved)
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db
def test_redis_down_signing_succeeds_and_totals_catch_up(
    celery_broker_down, django_capture_on_commit_callbacks, caplog
):
    campaign = campaign_page()
    dead_cache = {
        "default": {
            # The backend the settings use whenever REDIS_URL is set.
            "BACKEND": "advocacy.cache.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    with override_settings(CACHES=dead_cache):
        client = Client()
        started = time.monotonic()
        # Run the after-commit callbacks as a real commit would: the wake-up must reach the
        # (dead) broker, and neither the dead cache nor the dead broker may fail the request.
        with caplog.at_level(logging.WARNING, logger="actions.publish"):
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                response = client.post(campaign.url, form_data())
        elapsed = time.monotonic() - started
        assert len(callbacks) == 1
        assert [r.getMessage() for r in caplog.records if r.name == "actions.publish"] == [
            "broker unavailable; totals_refresh() left to the periodic relay"
        ]
        assert response.status_code == 302 and response["Location"].endswith("thanks/")
        thanks = client.get(response["Location"])
        assert thanks.status_code == 200 and "Thank you, Sok!" in thanks.content.decode()
        assert client.get(campaign.url).status_code == 200
        action = Action.objects.get()
        assert not action.flagged and not action.tallied
        assert elapsed < 10  # the broker's fail-fast timeout, not a hang
        # The periodic refresh (Celery beat) folds what the failed wake-up call missed.
        assert totals_fold() == 1
        assert campaign_totals(campaign_id=campaign.pk)["sign"] == 1


@pytest.fixture
def database_down():
    """Point the default connection at nothing, then back, the way an outage comes and goes."""
    settings_dict = connection.settings_dict
    saved = {key: settings_dict.get(key) for key in ("NAME", "PORT", "HOST")}

    def down():
        connection.close()
        if connection.vendor == "sqlite":
            settings_dict["NAME"] = "/nonexistent-dir/for-sure/db.sqlite3"
        else:
            settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))

    def up():
        connection.close()
        settings_dict.update(saved)

    yield down, up
    up()


@pytest.mark.django_db(transaction=True)
def test_database_down_gives_plain_503_and_recovers_by_itself(database_down):
    campaign = campaign_page()
    url = campaign.url
    down, up = database_down
    client = Client(raise_request_exception=False)
    down()
    for response in (
        client.get(url),
        client.post(url, form_data()),
        client.get(f"/api/campaigns/{campaign.pk}/totals.json"),
    ):
        html = response.content.decode()
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert "Back in a moment" in html
        assert "Traceback" not in html and "OperationalError" not in html and "5432" not in html
    up()
    assert client.get(url).status_code == 200
    assert client.post(url, form_data()).status_code == 302
    assert Action.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_identical_sign_requests_at_once_make_one_signature():
    campaign = campaign_page()
    url = campaign.url
    data = form_data()
    barrier = threading.Barrier(20)
    statuses, errors = [], []

    def sign_once(n):
        try:
            client = Client(REMOTE_ADDR=f"198.51.100.{n}", raise_request_exception=False)
            barrier.wait(timeout=30)
            statuses.append(client.post(url, data).status_code)
        except Exception as exc:  # recorded, so a failure in a thread fails the test
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_once, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert statuses == [302] * 20
    assert Supporter.objects.count() == 1
    assert Action.objects.count() == 1
    totals_fold()
    stored = DailyTotal.objects.get(campaign_id=campaign.pk, kind="sign")
    assert stored.count + stored.flagged_count == 1
