"""Security settings and headers, admin sign-in throttling, secrets only from the environment."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from actions.admin_login import THROTTLED_MESSAGE
from tests.factories import campaign_page

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="advocacy.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        CLIENT_ADDRESS_HASH_KEY=secrets.token_urlsafe(32),
        PII_KEYS=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        PII_INDEX_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS="campaign.example.org",
        DATABASE_URL="sqlite:////nonexistent-dir/advocacy.sqlite3",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def _run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "CLIENT_ADDRESS_HASH_KEY", "ALLOWED_HOSTS", "PII_KEYS", "PII_INDEX_KEY"]
)
def test_production_refuses_to_start_without_a_secret(missing):
    result = _run(["manage.py", "check"], _production_env(**{missing: None}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr


PRODUCTION_HEADERS = """
import django
django.setup()
from django.test import Client
response = Client(raise_request_exception=False).get("/api/campaigns/1/totals.json", secure=True, HTTP_HOST="campaign.example.org")
print(response.status_code)
for name in ("Strict-Transport-Security", "Content-Security-Policy", "Referrer-Policy", "X-Frame-Options", "X-Content-Type-Options"):
    print(name + ": " + response.get(name, "MISSING"))
insecure = Client(raise_request_exception=False).get("/", HTTP_HOST="campaign.example.org")
print("insecure", insecure.status_code, insecure.get("Location", ""))
"""


def test_production_sends_hsts_csp_referrer_policy_and_redirects_to_https():
    # The database is deliberately unreachable: the plain 503 page still carries every header.
    result = _run(["-c", PRODUCTION_HEADERS], _production_env())
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.startswith("503")
    assert "Strict-Transport-Security: max-age=31536000; includeSubDomains; preload" in out
    assert "Referrer-Policy: strict-origin-when-cross-origin" in out
    assert "X-Frame-Options: DENY" in out and "X-Content-Type-Options: nosniff" in out
    csp = next(line for line in out.splitlines() if line.startswith("Content-Security-Policy"))
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "insecure 301 https://campaign.example.org/" in out


@pytest.mark.django_db
def test_public_pages_have_a_strict_policy_and_the_admin_its_own(client, admin_client):
    campaign = campaign_page()
    for path in (campaign.url, campaign.url + "thanks/", f"/api/campaigns/{campaign.pk}/totals.json"):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    admin = admin_client.get("/admin/")
    assert admin.status_code == 200
    assert "frame-ancestors 'self'" in admin["Content-Security-Policy"]
    assert "https://" not in admin["Content-Security-Policy"].split("frame-src")[0]
    # The admin frames its own page previews.
    assert "frame-src 'self'" in admin["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path, framing, x_frame",
    [
        ("/admin/pages/4/edit/preview/", "frame-ancestors 'self'", "SAMEORIGIN"),
        ("/campaign/", "frame-ancestors 'none'", "DENY"),
    ],
)
def test_only_the_admin_may_frame_a_page_rendered_with_the_public_policy(rf, path, framing, x_frame):
    # Wagtail's preview runs a fake public request through the middleware, so its response
    # reaches the outer pass already carrying the public policy; only under /admin/ is it framable.
    from django.http import HttpResponse

    from advocacy.csp import SitePolicyMiddleware

    def inner(request):
        response = HttpResponse("preview")
        response["Content-Security-Policy"] = "default-src 'self'; script-src 'self'; frame-ancestors 'none'"
        response["X-Frame-Options"] = "DENY"
        return response

    response = SitePolicyMiddleware(inner)(rf.get(path))
    assert framing in response["Content-Security-Policy"]
    assert "script-src 'self'; " in response["Content-Security-Policy"]  # the rest stays strict
    assert response["X-Frame-Options"] == x_frame


@pytest.mark.django_db
def test_admin_logins_are_throttled_per_username(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "admin_login_user": (3, 300, 20, 3600)}
    get_user_model().objects.create_superuser("organiser", "o@example.org", "right-password")
    get_user_model().objects.create_superuser("colleague", "c@example.org", "right-password")
    attempts = [
        Client(REMOTE_ADDR=f"192.0.2.{n}").post("/admin/login/", {"username": "organiser", "password": "wrong"})
        for n in range(3)
    ]
    assert all(r.status_code == 200 and THROTTLED_MESSAGE not in r.content.decode() for r in attempts)
    # Over the limit: even the right password is refused, with a clear message, not a 500.
    client = Client(REMOTE_ADDR="192.0.2.99")
    throttled = client.post("/admin/login/", {"username": "Organiser", "password": "right-password"})
    assert throttled.status_code == 200 and THROTTLED_MESSAGE in throttled.content.decode()
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="192.0.2.99")
    assert other.post("/admin/login/", {"username": "colleague", "password": "right-password"}).status_code == 302


@pytest.mark.django_db
def test_admin_logins_are_throttled_per_address(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "admin_login_address": (4, 300, 20, 3600)}
    get_user_model().objects.create_superuser("organiser", "o@example.org", "right-password")
    client = Client(REMOTE_ADDR="203.0.113.5")
    for n in range(4):
        client.post("/admin/login/", {"username": f"guess{n}", "password": "x"})
    refused = client.post("/admin/login/", {"username": "organiser", "password": "right-password"})
    assert THROTTLED_MESSAGE in refused.content.decode()
    elsewhere = Client(REMOTE_ADDR="203.0.113.6")
    assert elsewhere.post("/admin/login/", {"username": "organiser", "password": "right-password"}).status_code == 302
