"""Celery tasks for the reports app: thin wrappers around services."""

from celery import shared_task
from django.conf import settings

from . import services
from .delivery_package import build as delivery_build
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


@shared_task(
    acks_late=True,
    ignore_result=True,
    time_limit=settings.DELIVERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.DELIVERY_TASK_TIME_LIMIT - 30,
)
def delivery_package_build(log_id: int) -> str:
    """Build one queued delivery package (PDF and manifest). Safe to repeat: claimed once."""
    return delivery_build.package_build(log_id=log_id)


@shared_task(acks_late=True, ignore_result=True)
def exports_expire() -> int:
    """Periodic: time out exports that lost their worker; delete built ones past their expiry.
    Safe to repeat."""
    services.jobs_time_out()
    return services.exports_expire()
