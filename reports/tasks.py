"""Celery tasks for the reports app: thin wrappers around services."""

from celery import shared_task

from . import services
from .views import export_jobs


@shared_task(acks_late=True, ignore_result=True)
def digest_send() -> int:
    """Email yesterday's digest to the organisers once it is morning. Runs hourly; safe to
    repeat: each day's digest is sent once."""
    return services.digest_send_if_due()


@shared_task(acks_late=True, ignore_result=True)
def export_xlsx_build(log_id: int) -> str:
    """Build one queued XLSX export. Safe to repeat: only a queued job is claimed and built."""
    return export_jobs.xlsx_build(log_id=log_id)


@shared_task(acks_late=True, ignore_result=True)
def exports_expire() -> int:
    """Periodic: delete built exports past their expiry. Safe to repeat."""
    return services.exports_expire()
