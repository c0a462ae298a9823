"""Building one target's delivery package on a worker, recorded on its export log row.

Mirrors the background XLSX export (``reports/views/export_jobs.py``): ``services.
delivery_job_start`` logs the request and queues ``tasks.delivery_package_build`` after commit;
the worker claims the queued row (so a repeated task builds once), streams the counted
signatures once (``content.package_gather``, progress every 5,000 rows), draws the PDF, saves
the PDF and the manifest CSV in ``STORAGES["exports"]`` and records the page count, the rows and
the manifest's list hash. The files expire like any export; the hash stays in the log.
"""

import datetime
import io
import logging
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from cms.models import CampaignPage, CampaignTarget

from ..models import ExportLog
from . import content, pdf

logger = logging.getLogger(__name__)

Job = ExportLog.JobStatus
REPORT_PREFIX = "delivery-package"


def report_name(*, campaign_id: int, target_id: int) -> str:
    return f"{REPORT_PREFIX}:{campaign_id}:{target_id}"


def manifest_name(file_name: str) -> str:
    """Where a package's manifest is stored, beside its PDF."""
    return file_name.removesuffix(".pdf") + "-manifest.csv"


def heading_for(campaign: CampaignPage, link: CampaignTarget) -> pdf.Heading:
    target = link.target
    return pdf.Heading(
        campaign_title=campaign.title,
        target_name=target.name,
        target_title=target.title,
        salutation=target.salutation,
        ask=link.ask or campaign.lede,
        letter=campaign.delivery_letter,
        sender_name=campaign.sender_name,
        jurisdiction=", ".join(target.jurisdiction_prefixes()),
    )


def package_write(*, campaign: CampaignPage, link: CampaignTarget, progress=None) -> tuple[bytes, bytes, dict]:
    """(PDF bytes, manifest CSV bytes, facts) for one target of one campaign."""
    manifest = io.StringIO()
    package = content.package_gather(
        content.signers(campaign_id=campaign.pk),
        manifest=manifest,
        jurisdiction=link.target.jurisdiction_prefixes(),
        progress=progress,
    )
    output = io.BytesIO()
    pages = pdf.pdf_build(output, package=package, heading=heading_for(campaign, link))
    facts = {"rows": package.total, "pages": pages, "sha256": package.list_sha256}
    # A BOM so spreadsheet programs read the names' scripts as UTF-8.
    return output.getvalue(), ("\ufeff" + manifest.getvalue()).encode("utf-8"), facts


def package_build(*, log_id: int) -> str:
    """Claim a queued delivery package, build and store it, record the result."""
    deadline = timezone.now() + datetime.timedelta(seconds=settings.DELIVERY_TASK_TIME_LIMIT + 60)
    claimed = ExportLog.objects.filter(pk=log_id, job_status=Job.QUEUED).update(
        job_status=Job.RUNNING, job_deadline=deadline
    )
    if not claimed:
        return "not-claimed"
    log = ExportLog.objects.select_related("user").get(pk=log_id)
    try:
        if log.user is None or not log.user.is_active:
            raise PermissionError("the account that asked for the package is gone")
        query = log.job_query or {}
        campaign = CampaignPage.objects.get(pk=query["campaign"])
        link = CampaignTarget.objects.select_related("target").get(page=campaign, target_id=query["target"])

        def progress(done):
            ExportLog.objects.filter(pk=log_id).update(rows_done=done)

        pdf_bytes, manifest_bytes, facts = package_write(campaign=campaign, link=link, progress=progress)
        storage = storages["exports"]
        base = f"{REPORT_PREFIX}-{log_id}-{secrets.token_hex(8)}"
        name = storage.save(f"{base}.pdf", ContentFile(pdf_bytes))
        storage.save(manifest_name(name), ContentFile(manifest_bytes))
    except Exception as exc:
        ExportLog.objects.filter(pk=log_id).update(job_status=Job.FAILED, job_query=None)
        logger.error("delivery package %s failed: %s", log_id, type(exc).__name__)
        return Job.FAILED
    ExportLog.objects.filter(pk=log_id).update(
        job_status=Job.READY,
        job_query=None,
        file_name=name,
        row_count=facts["rows"],
        rows_done=facts["rows"],
        content_sha256=facts["sha256"],
        expires_at=timezone.now() + datetime.timedelta(seconds=settings.EXPORT_FILE_MAX_AGE),
    )
    logger.info("delivery package built: log=%s rows=%s pages=%s", log_id, facts["rows"], facts["pages"])
    return Job.READY
