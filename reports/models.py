"""What the reports app stores: a log of every export, and the digests already sent.

The custom permissions that guard every report live on ``ExportLog``'s Meta, because Django
attaches permissions to a model; the Organisers group (see the data migration) holds them.
"""

from django.conf import settings
from django.db import models


class ExportLog(models.Model):
    """One download of supporter data: who, when, which report and which filter."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Kept even if the account is deleted later, so the log still says who it was.
    username = models.CharField(max_length=150)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    report = models.CharField(max_length=64)
    export_format = models.CharField("format", max_length=10)
    querystring = models.TextField("filter", blank=True)
    row_count = models.PositiveIntegerField(null=True, blank=True, help_text="Filled in when the download completes.")

    # A large XLSX export is built by a Celery worker (reports/views/export_jobs.py): its state,
    # progress and file live on the same row, so the log records it like any other download.
    class JobStatus(models.TextChoices):
        NONE = "", "Streamed"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"
        TIMED_OUT = "timeout", "Timed out"

    job_status = models.CharField(max_length=10, choices=JobStatus.choices, default="", blank=True)
    # The filter exactly as requested (the search text too), for the worker; wiped when the job ends.
    job_query = models.JSONField(null=True, blank=True)
    rows_expected = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=255, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # Set when a worker claims the job: past it, a job still "Building" lost its worker (killed,
    # out of memory, past its time limit) and shows as timed out (``export_jobs.jobs_time_out``).
    job_deadline = models.DateTimeField(null=True, blank=True)
    # The delivery package's manifest hash: what was delivered, provable after the files expire.
    content_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("view_reports", "Can view organiser reports"),
            ("export_signatures", "Can export supporters' signatures"),
        ]

    def __str__(self):
        return f"{self.report} ({self.export_format}) by {self.username} at {self.created_at:%Y-%m-%d %H:%M}"


class DigestSent(models.Model):
    """One row per day whose digest went out, so a repeated task never emails twice."""

    day = models.DateField(unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"Digest for {self.day}"
