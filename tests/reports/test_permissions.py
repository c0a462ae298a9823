"""Every report and every export, for every role: who gets in and who does not."""

import pytest
from django.urls import reverse

from actions.models import Action
from reports.models import ExportLog
from tests.factories import ActionFactory, campaign_page

pytestmark = pytest.mark.django_db


def _urls(campaign_id):
    from reports.views.messages import MessagesReportView

    signatures, calls = reverse("reports:signatures"), reverse("reports:calls")
    messages = []
    if MessagesReportView is not None:
        messages = [
            reverse("reports:messages"),
            reverse("reports:messages_results"),
            reverse("reports:messages") + "?export=csv",
            reverse("reports:messages_retry"),
        ]
    return messages + [
        reverse("reports:overview_index"),
        reverse("reports:overview", args=[campaign_id]),
        signatures,
        reverse("reports:signatures_results"),
        signatures + "?export=csv",
        signatures + "?export=xlsx",
        reverse("reports:delivery_csv", args=[campaign_id]),
        reverse("reports:delivery_print", args=[campaign_id]),
        calls,
        reverse("reports:calls_results"),
        calls + "?export=csv",
        calls + "?export=xlsx",
        reverse("reports:export_log"),
        reverse("reports:export_log_results"),
    ]


@pytest.fixture
def campaign():
    page = campaign_page()
    ActionFactory(campaign=page, comment="Free him")
    return page


def test_the_matrix_covers_every_registered_report_url(campaign):
    from django.urls import resolve

    from reports import urls

    covered = {resolve(url.split("?")[0]).url_name for url in _urls(campaign.pk)}
    registered = {pattern.name for pattern in urls.urlpatterns}
    assert registered == covered


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_anonymous_visitors_are_sent_to_log_in(client, campaign):
    for url in _urls(campaign.pk):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("wagtailadmin_login")), url
    assert not ExportLog.objects.exists()


def test_editors_get_403_on_every_report_and_export(client, editor, campaign):
    client.force_login(editor)
    for url in _urls(campaign.pk):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Free him" not in _body(response)
    assert not ExportLog.objects.exists()


@pytest.mark.parametrize("role", ["organiser", "superuser"])
def test_organisers_and_superusers_open_every_report_and_export(client, role, request, campaign):
    user = request.getfixturevalue(role)
    client.force_login(user)
    urls = _urls(campaign.pk)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _body(response)
    exports = [url for url in urls if "export=" in url or "/delivery/" in url]
    assert ExportLog.objects.filter(user=user).count() == len(exports)


def test_the_reports_menu_shows_organiser_reports_to_organisers_only(client, organiser, editor, campaign):
    client.force_login(editor)
    assert reverse("reports:signatures").encode() not in client.get(reverse("wagtailadmin_home")).content
    client.force_login(organiser)
    assert reverse("reports:signatures").encode() in client.get(reverse("wagtailadmin_home")).content


def test_editors_still_edit_pages(client, editor, campaign):
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[campaign.pk])).status_code == 200
    assert Action.objects.count() == 1
