"""``/csp-report/``: any body, any amount, never a 500; logged without query strings."""

import json
import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

REPORT = {
    "csp-report": {
        "document-uri": "https://act.example.org/kang-hen/embed/?partner=alc&email=mai@example.org",
        "violated-directive": "frame-ancestors",
        "effective-directive": "frame-ancestors",
        "blocked-uri": "https://not-a-partner.example.com/page?x=1",
    }
}


def test_a_refused_frame_is_logged_without_query_strings(client, caplog):
    with caplog.at_level(logging.WARNING, logger="partners.csp_reports"):
        response = client.post(reverse("csp_report"), json.dumps(REPORT), content_type="application/csp-report")
    assert response.status_code == 204
    assert (
        "directive=frame-ancestors page=https://act.example.org/kang-hen/embed/ blocked=https://not-a-partner.example.com"
        in caplog.text
    )
    assert "mai@example.org" not in caplog.text and "partner=alc" not in caplog.text


def test_the_reporting_api_shape_is_read_too(client, caplog):
    body = [{"type": "csp-violation", "body": {"effectiveDirective": "frame-ancestors", "documentURL": "https://a/b/"}}]
    with caplog.at_level(logging.WARNING, logger="partners.csp_reports"):
        response = client.post(reverse("csp_report"), json.dumps(body), content_type="application/reports+json")
    assert response.status_code == 204 and "directive=frame-ancestors page=https://a/b/" in caplog.text


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[]",
        b"[1]",
        b'{"csp-report": 5}',
        b'{"csp-report": {"document-uri": 7}}',
        b"null",
    ],
)
def test_junk_is_answered_without_an_error(client, body):
    assert client.post(reverse("csp_report"), body, content_type="application/csp-report").status_code == 204


def test_a_huge_body_is_refused(client):
    big = json.dumps({"csp-report": {"document-uri": "x" * 20000}})
    assert client.post(reverse("csp_report"), big, content_type="application/csp-report").status_code == 413


def test_get_is_not_allowed(client):
    assert client.get(reverse("csp_report")).status_code == 405


def test_reports_are_rate_limited_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "csp_report_address": (3, 60, 100, 3600)}
    statuses = [
        client.post(reverse("csp_report"), json.dumps(REPORT), content_type="application/csp-report").status_code
        for _ in range(5)
    ]
    assert statuses == [204, 204, 204, 429, 429]
