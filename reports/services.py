"""Writes for the reports app: the export log and the daily digest."""

import datetime
import importlib
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from actions.access.services import pii_access_record

from . import digest_selectors
from .delivery_package import build as delivery_build
from .models import DigestSent, ExportLog

logger = logging.getLogger(__name__)

ORGANISERS_GROUP = "Organisers"


def _loggable_filter(query: dict) -> str:
    # The free-text search may hold an email address; the log keeps that a search happened,
    # not what was searched for.
    cleaned = []
    for key, values in query.items():
        if key in {"export", "p", "_w_filter_fragment"}:
            continue
        for value in values:
            if key == "q" and value:
                value = "(search text)"
            cleaned.append((key, value))
    return urlencode(cleaned)


def export_log_start(*, user, report: str, export_format: str, query: dict) -> ExportLog:
    """Record that ``user`` started downloading ``report``; the row count is filled in later."""
    log = ExportLog.objects.create(
        user=user,
        username=user.get_username(),
        report=report,
        export_format=export_format,
        querystring=_loggable_filter(query),
    )
    logger.info("export started: report=%s format=%s log=%s user=%s", report, export_format, log.pk, user.pk)
    return log


def export_log_finish(*, log_id: int, row_count: int) -> None:
    ExportLog.objects.filter(pk=log_id).update(row_count=row_count)
    log = ExportLog.objects.select_related("user").get(pk=log_id)
    # Every report export lists people's actions with their names: it is a read of personal data.
    pii_access_record(user=log.user, what=f"export: {log.report} ({log.export_format})", rows=row_count)
    logger.info("export finished: log=%s rows=%s", log_id, row_count)


def digest_recipients():
    return (
        get_user_model()
        .objects.filter(groups__name=ORGANISERS_GROUP, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def digest_send_if_due(*, now: datetime.datetime | None = None) -> int:
    """Send yesterday's digest once the local clock has passed ``DIGEST_HOUR``; else do nothing."""
    local = timezone.localtime(now or timezone.now())
    if local.hour < settings.DIGEST_HOUR:
        return 0
    return digest_send(day=local.date() - datetime.timedelta(days=1))


def digest_send(*, day: datetime.date | None = None) -> int:
    """Email yesterday's digest (or ``day``'s) to every active organiser, once per day.

    Returns how many organisers it was sent to; 0 if it had already gone out. The ``DigestSent``
    row and the sending share one transaction: if the mail server fails, nothing is recorded and
    the next run tries again; if the task runs twice, the unique day stops the second.
    """
    day = day or timezone.localdate() - datetime.timedelta(days=1)
    recipients = list(digest_recipients().values_list("email", flat=True))
    data = digest_selectors.digest_data(day=day)
    subject = f"Campaign digest for {day:%A %B %-d}"
    body = render_to_string("reports/digest_email.txt", data)
    try:
        with transaction.atomic():
            DigestSent.objects.create(day=day, recipients=len(recipients))
            # One message per organiser: no one sees the others' addresses.
            messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in recipients]
            if messages:
                get_connection().send_messages(messages)
    except IntegrityError:
        logger.info("digest for %s already sent", day)
        return 0
    logger.info("digest for %s sent to %s organiser(s)", day, len(recipients))
    return len(recipients)


# --- Large XLSX exports, built by a worker -------------------------------------------------------


def xlsx_job_start(*, user, report: str, query: dict, rows_expected: int) -> ExportLog:
    """Log an XLSX export of ``report`` and queue it for a worker; the build starts after commit.

    The task is looked up when the transaction commits (services never import tasks). A broker that
    is down leaves the job queued, logged; the organiser sees it waiting and can ask again.
    """
    log = export_log_start(user=user, report=report, export_format="xlsx", query=query)
    ExportLog.objects.filter(pk=log.pk).update(
        job_status=ExportLog.JobStatus.QUEUED, job_query=query, rows_expected=rows_expected
    )

    def publish():
        try:
            importlib.import_module("reports.tasks").export_xlsx_build.delay(log.pk)
        except Exception:
            logger.warning("broker unavailable; export %s left queued", log.pk)

    transaction.on_commit(publish)
    return log


def delivery_job_start(*, user, campaign_id: int, target_id: int, rows_expected: int) -> ExportLog:
    """Log a delivery package for one target and queue its build after commit (as an XLSX job)."""
    report = delivery_build.report_name(campaign_id=campaign_id, target_id=target_id)
    log = export_log_start(user=user, report=report, export_format="pdf", query={})
    ExportLog.objects.filter(pk=log.pk).update(
        job_status=ExportLog.JobStatus.QUEUED,
        job_query={"campaign": campaign_id, "target": target_id},
        rows_expected=rows_expected,
    )

    def publish():
        try:
            importlib.import_module("reports.tasks").delivery_package_build.delay(log.pk)
        except Exception:
            logger.warning("broker unavailable; delivery package %s left queued", log.pk)

    transaction.on_commit(publish)
    return log


def jobs_time_out(*, now: datetime.datetime | None = None, log_id: int | None = None) -> int:
    """Mark background exports that can no longer finish as timed out: building past their
    deadline (the worker died or hit its limit) or never claimed for
    ``EXPORT_JOB_QUEUE_MAX_SECONDS``. How many. Safe to repeat."""
    now = now or timezone.now()
    jobs = ExportLog.objects.all() if log_id is None else ExportLog.objects.filter(pk=log_id)
    waited = now - datetime.timedelta(seconds=settings.EXPORT_JOB_QUEUE_MAX_SECONDS)
    lost = jobs.filter(job_status=ExportLog.JobStatus.RUNNING, job_deadline__lt=now) | jobs.filter(
        job_status=ExportLog.JobStatus.QUEUED, created_at__lt=waited
    )
    count = lost.update(job_status=ExportLog.JobStatus.TIMED_OUT, job_query=None)
    if count:
        logger.warning("background exports timed out: %d", count)
    return count


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete built export files past their expiry and mark their log rows expired; how many."""
    from django.core.files.storage import storages

    now = now or timezone.now()
    storage = storages["exports"]
    done = ExportLog.objects.filter(job_status=ExportLog.JobStatus.READY, expires_at__lte=now)
    count = 0
    for log_id, file_name in done.values_list("pk", "file_name"):
        if file_name:
            storage.delete(file_name)
        if file_name.endswith(".pdf"):  # a delivery package's manifest lies beside its PDF
            storage.delete(file_name.removesuffix(".pdf") + "-manifest.csv")
        count += ExportLog.objects.filter(pk=log_id).update(job_status=ExportLog.JobStatus.EXPIRED, file_name="")
    return count
