"""Every report and every export, for every role: who gets in and who does not."""

import pytest
from django.urls import reverse

from actions.models import Action
from cms.models import CampaignPage
from reports.models import ExportLog
from tests.factories import ActionFactory, TargetFactory, campaign_page

pytestmark = pytest.mark.django_db


# Every report URL: (URL name, whether it takes the campaign id (and a target's), query string,
# writes an export log).
REPORT_URLS = [
    ("overview_index", False, "", False),
    ("overview", True, "", False),
    ("languages", True, "", False),
    ("signatures", False, "", False),
    ("signatures_results", False, "", False),
    ("signatures", False, "?export=csv", True),
    ("signatures", False, "?export=xlsx", True),
    ("delivery_csv", True, "", True),
    ("delivery_print", True, "", True),
    ("letters_print", "and target", "", True),
    ("calls", False, "", False),
    ("calls_results", False, "", False),
    ("calls", False, "?export=csv", True),
    ("calls", False, "?export=xlsx", True),
    ("messages", False, "", False),
    ("messages_results", False, "", False),
    ("messages", False, "?export=csv", True),
    ("messages_retry", False, "", False),
    ("export_log", False, "", False),
    ("export_log_results", False, "", False),
]
# What each role gets on every one of them: anonymous visitors are sent to log in, editors and a
# partner's organiser are refused, organisers and superusers get the report (and an export log
# row for each export). The partner reports have their own matrix (tests/partners/).
ROLES = {"anonymous": 302, "editor": 403, "partner_organiser": 403, "organiser": 200, "superuser": 200}
PARTNER_URLS = {"partner_index", "partner_supporters"}


def report_url(name: str, takes_campaign, query: str, campaign_id: int) -> str:
    args = [campaign_id] if takes_campaign else []
    if takes_campaign == "and target":
        args.append(CampaignPage.objects.get(pk=campaign_id).campaign_targets.get().target_id)
    return reverse(f"reports:{name}", args=args) + query


@pytest.fixture
def campaign():
    page = campaign_page(targets=[TargetFactory()])
    ActionFactory(campaign=page, comment="Free him")
    return page


def test_the_matrix_covers_every_registered_report_url(campaign):
    from django.urls import resolve

    from reports import urls

    covered = {resolve(report_url(*row[:3], campaign.pk).split("?")[0]).url_name for row in REPORT_URLS}
    # Checked by their own tests: the export jobs below, the POST-only delivery package in
    # tests/reports/test_delivery_package.py.
    elsewhere = {"export_job", "export_job_download", "export_job_download_part", "delivery_package"}
    assert covered | elsewhere | PARTNER_URLS == {pattern.name for pattern in urls.urlpatterns}


@pytest.mark.parametrize("role, status", [*ROLES.items(), ("other_organiser", 404)])
def test_a_background_export_is_seen_and_downloaded_by_its_owner_only(
    client, request, campaign, organiser, role, status, settings, tmp_path, django_user_model
):
    from reports import services
    from reports.views import export_jobs

    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {**settings.STORAGES["exports"], "OPTIONS": {"location": str(tmp_path)}},
    }
    if role == "other_organiser":
        user = django_user_model.objects.create_user(username="other-organiser")
        user.groups.add(*organiser.groups.all())
        client.force_login(user)
    else:
        client, user = client_as(client, request, role)
    owner = user if role in ("organiser", "superuser") else organiser
    log = services.xlsx_job_start(user=owner, report="signatures", query={}, rows_expected=1)
    export_jobs.xlsx_build(log_id=log.pk)
    log.refresh_from_db()
    for url in (reverse("reports:export_job", args=[log.pk]), export_jobs.download_url(log)):
        response = client.get(url)
        assert response.status_code == status, url
        assert status == 200 or b"Free him" not in _body(response)


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def client_as(client, request, role: str):
    """The test client logged in as ``role`` (anonymous: not logged in), and that user."""
    user = None if role == "anonymous" else request.getfixturevalue(role)
    if user is not None:
        client.force_login(user)
    return client, user


@pytest.mark.parametrize("role, status", ROLES.items())
@pytest.mark.parametrize("name, takes_campaign, query, export", REPORT_URLS, ids=[n + q for n, _, q, _ in REPORT_URLS])
def test_each_role_gets_its_exact_status_on_each_report(
    client, request, campaign, role, status, name, takes_campaign, query, export
):
    client, user = client_as(client, request, role)
    url = report_url(name, takes_campaign, query, campaign.pk)
    response = client.get(url)
    assert response.status_code == status, url
    body = _body(response)
    assert response.get("Location", "").startswith(reverse("wagtailadmin_login")) == (status == 302)
    assert status == 200 or b"Free him" not in body  # a refusal never carries supporter data
    logged = 1 if export and status == 200 else 0
    assert ExportLog.objects.count() == ExportLog.objects.filter(user=user).count() == logged


def test_the_reports_menu_shows_organiser_reports_to_organisers_only(client, organiser, editor, campaign):
    client.force_login(editor)
    assert reverse("reports:signatures").encode() not in client.get(reverse("wagtailadmin_home")).content
    client.force_login(organiser)
    assert reverse("reports:signatures").encode() in client.get(reverse("wagtailadmin_home")).content


def test_editors_still_edit_pages(client, editor, campaign):
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[campaign.pk])).status_code == 200
    assert Action.objects.count() == 1
