"""Large XLSX exports built by a worker: progress page, the file, its signed link that expires,
and the export log row that records it."""

import datetime
import io
import re

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports import services
from reports.models import ExportLog
from reports.views import export_jobs
from tests.factories import ActionFactory, SupporterFactory, campaign_page

pytestmark = pytest.mark.django_db

Job = ExportLog.JobStatus


@pytest.fixture
def exports_dir(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {**settings.STORAGES["exports"], "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.XLSX_BACKGROUND_ROWS = 3
    return tmp_path


@pytest.fixture
def campaign():
    page = campaign_page(title="Free Kang Hen")
    for n in range(5):
        ActionFactory(campaign=page, supporter=SupporterFactory(first_name=f"Signer{n}"))
    ActionFactory(campaign=page, supporter=SupporterFactory(first_name="=cmd()"), flagged=True)
    ActionFactory(campaign=campaign_page(title="Other"), supporter=SupporterFactory(first_name="Elsewhere"))
    return page


def test_a_large_xlsx_export_is_built_by_a_worker_and_downloaded_by_a_signed_link(
    organiser_client, organiser, campaign, exports_dir, django_capture_on_commit_callbacks
):
    url = reverse("reports:signatures") + f"?campaign={campaign.pk}&flagged=false&export=xlsx"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = organiser_client.get(url)
    log = ExportLog.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:export_job", args=[log.pk])
    assert (log.job_status, log.rows_expected, log.rows_done, log.export_format) == (Job.QUEUED, 5, 0, "xlsx")
    assert log.querystring == f"campaign={campaign.pk}&flagged=false"
    page = organiser_client.get(response["Location"])
    assert page.status_code == 200 and b'http-equiv="refresh"' in page.content and b"0 of about 5" in page.content

    for callback in callbacks:  # the commit: the worker's task runs (eagerly in tests)
        callback()
    log.refresh_from_db()
    assert (log.job_status, log.row_count, log.rows_done, log.job_query) == (Job.READY, 5, 5, None)
    assert log.expires_at > timezone.now() + datetime.timedelta(hours=23)
    page = organiser_client.get(reverse("reports:export_job", args=[log.pk]))
    assert b'http-equiv="refresh"' not in page.content
    link = re.search(rb'href="([^"]+/download/[^"]+)"', page.content).group(1).decode()
    download = organiser_client.get(link)
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).worksheets[0]
    names = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == [f"Signer{n}" for n in range(5)]


def test_the_download_link_expires_and_belongs_to_its_owner(
    organiser_client, organiser, campaign, exports_dir, settings, django_user_model
):
    log = services.xlsx_job_start(
        user=organiser, report="signatures", query={"campaign": [str(campaign.pk)]}, rows_expected=6
    )
    assert export_jobs.xlsx_build(log_id=log.pk) == Job.READY
    assert export_jobs.xlsx_build(log_id=log.pk) == "not-claimed"  # a repeat builds nothing
    log.refresh_from_db()
    link = export_jobs.download_url(log)
    assert organiser_client.get(link).status_code == 200

    # Another organiser cannot use the link.
    other = django_user_model.objects.create_user(username="other-organiser")
    other.groups.add(*organiser.groups.all())
    stranger = Client()
    stranger.force_login(other)
    assert stranger.get(link).status_code == 404

    # A tampered or stale link is refused with 410, never a 500.
    assert organiser_client.get(link[:-3] + "xx/").status_code == 410
    settings.EXPORT_FILE_MAX_AGE = -1
    assert organiser_client.get(link).status_code == 410

    # Past its expiry the file is deleted and the log row says so.
    settings.EXPORT_FILE_MAX_AGE = 3600
    assert services.exports_expire(now=timezone.now() + datetime.timedelta(days=2)) == 1
    log.refresh_from_db()
    assert (log.job_status, log.file_name) == (Job.EXPIRED, "")
    assert list(exports_dir.iterdir()) == []
    assert organiser_client.get(link).status_code == 410
    assert b"expired" in organiser_client.get(reverse("reports:export_job", args=[log.pk])).content


def test_a_small_xlsx_export_still_downloads_at_once(organiser_client, campaign, exports_dir, settings):
    settings.XLSX_BACKGROUND_ROWS = 100
    response = organiser_client.get(reverse("reports:signatures") + f"?campaign={campaign.pk}&export=xlsx")
    assert response.status_code == 200
    assert ExportLog.objects.get().job_status == Job.NONE


def test_signed_tokens_are_salted_for_exports_only(organiser, campaign, exports_dir):
    log = services.xlsx_job_start(user=organiser, report="signatures", query={}, rows_expected=6)
    token = export_jobs.download_url(log).rstrip("/").rsplit("/", 1)[1]
    with pytest.raises(signing.BadSignature):
        signing.TimestampSigner().unsign(token)
