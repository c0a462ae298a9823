"""Large XLSX exports, built by a Celery worker: progress in the admin, a signed download link
that expires, and the export log row as the job's record.

``OrganiserReportView`` hands an XLSX export of more than ``XLSX_BACKGROUND_ROWS`` rows to
``services.xlsx_job_start`` and sends the organiser to ``ExportJobView``, which shows the rows
written so far and, once the file is ready, a link signed for ``EXPORT_FILE_MAX_AGE`` seconds.
The worker (``tasks.export_xlsx_build`` -> ``xlsx_build``) rebuilds the report's filtered rows
from the request's own filter with the report view itself, so a background file holds exactly
what the same download would have.
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.core import signing
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import resolve, reverse
from django.utils import timezone
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .. import services
from ..delivery_package.build import manifest_name
from ..exports import xlsx_file
from ..models import ExportLog
from .base import VIEW_REPORTS, OrganiserOnlyMixin

logger = logging.getLogger(__name__)

Job = ExportLog.JobStatus
PROGRESS_EVERY = 5_000
DOWNLOAD_SALT = "reports.export-download"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_url(log: ExportLog, *, part: str = "") -> str:
    """The signed link to a built export (or a delivery package's manifest, ``part="manifest"``);
    it stops working after EXPORT_FILE_MAX_AGE."""
    token = signing.TimestampSigner(salt=DOWNLOAD_SALT).sign(str(log.pk))
    if part:
        return reverse("reports:export_job_download_part", args=[log.pk, token, part])
    return reverse("reports:export_job_download", args=[log.pk, token])


def _report_view(log: ExportLog):
    """The report's view, set up as for the request that asked for the export."""
    match = resolve(reverse(f"reports:{log.report}"))
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(mutable=True)
    for key, values in (log.job_query or {}).items():
        request.GET.setlist(key, values)
    request.user = log.user
    view = match.func.view_class(**match.func.view_initkwargs)
    view.setup(request)
    return view


def _counted(rows, log_id: int):
    """Pass ``rows`` through, writing how many have gone every PROGRESS_EVERY rows."""
    done = 0
    for done, row in enumerate(rows, 1):  # noqa: B007 - done is read after the loop
        yield row
        if done % PROGRESS_EVERY == 0:
            ExportLog.objects.filter(pk=log_id).update(rows_done=done)


def xlsx_build(*, log_id: int) -> str:
    """Claim a queued export, write its workbook to the exports storage, record the result."""
    deadline = timezone.now() + datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    claimed = ExportLog.objects.filter(pk=log_id, job_status=Job.QUEUED).update(
        job_status=Job.RUNNING, job_deadline=deadline
    )
    if not claimed:
        return "not-claimed"
    log = ExportLog.objects.select_related("user").get(pk=log_id)
    try:
        if log.user is None or not log.user.is_active:
            raise PermissionError("the account that asked for the export is gone")
        view = _report_view(log)
        headings = [heading for heading, _ in view.export_columns]
        rows = _counted(view.export_rows(view.get_filtered_queryset()), log_id)
        output, count = xlsx_file(headings, rows)
        with output:
            name = storages["exports"].save(f"{log.report}-{log_id}-{secrets.token_hex(8)}.xlsx", output)
    except Exception as exc:
        ExportLog.objects.filter(pk=log_id).update(job_status=Job.FAILED, job_query=None)
        logger.error("export %s failed: %s", log_id, type(exc).__name__)
        return Job.FAILED
    ExportLog.objects.filter(pk=log_id).update(
        job_status=Job.READY,
        job_query=None,
        file_name=name,
        row_count=count,
        rows_done=count,
        expires_at=timezone.now() + datetime.timedelta(seconds=settings.EXPORT_FILE_MAX_AGE),
    )
    logger.info("export finished: log=%s rows=%s (built by a worker)", log_id, count)
    return Job.READY


def _own_job(request, log_id: int) -> ExportLog:
    # Only the person who asked for an export sees its progress or downloads it.
    return get_object_or_404(ExportLog.objects.exclude(job_status=""), pk=log_id, user_id=request.user.pk)


class ExportJobView(OrganiserOnlyMixin, WagtailAdminTemplateMixin, View):
    """The progress of one background export; the page refreshes itself until it is done."""

    page_title = "Export"
    header_icon = "download"
    required_permissions = (VIEW_REPORTS,)

    def get(self, request, log_id: int):
        services.jobs_time_out(log_id=log_id)  # a job whose worker died shows so, never "Building" forever
        log = _own_job(request, log_id)
        context = self.get_context_data(log=log, running=log.job_status in (Job.QUEUED, Job.RUNNING))
        if log.job_status == Job.READY:
            context["download_url"] = download_url(log)
            if log.export_format == "pdf":
                context["manifest_url"] = download_url(log, part="manifest")
        return TemplateResponse(request, "reports/export_job.html", context)


class ExportJobDownloadView(OrganiserOnlyMixin, View):
    """The built file, for its owner, while the signed link and the file are both fresh."""

    required_permissions = (VIEW_REPORTS,)

    def get(self, request, log_id: int, token: str, part: str = ""):
        try:
            signed_id = signing.TimestampSigner(salt=DOWNLOAD_SALT).unsign(token, max_age=settings.EXPORT_FILE_MAX_AGE)
        except signing.BadSignature:  # includes SignatureExpired
            return TemplateResponse(request, "reports/export_job_gone.html", status=410)
        if signed_id != str(log_id):
            raise Http404("No such export.")
        log = _own_job(request, log_id)
        if log.job_status != Job.READY or not log.expires_at or log.expires_at <= timezone.now():
            return TemplateResponse(request, "reports/export_job_gone.html", status=410)
        if log.export_format == "pdf":
            return _package_part(log, part)
        if part:
            raise Http404("No such file.")
        handle = storages["exports"].open(log.file_name, "rb")
        return FileResponse(handle, as_attachment=True, filename=f"{log.report}-{log.pk}.xlsx", content_type=XLSX_TYPE)


def _package_part(log: ExportLog, part: str) -> FileResponse:
    """A delivery package's PDF, or its manifest CSV beside it."""
    stem = log.report.replace(":", "-")
    if part == "manifest":
        handle = storages["exports"].open(manifest_name(log.file_name), "rb")
        return FileResponse(handle, as_attachment=True, filename=f"{stem}-manifest.csv", content_type="text/csv")
    if part:
        raise Http404("No such file.")
    handle = storages["exports"].open(log.file_name, "rb")
    return FileResponse(handle, as_attachment=True, filename=f"{stem}.pdf", content_type="application/pdf")
