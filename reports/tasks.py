"""Celery tasks for the reports app: thin wrappers around services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def digest_send() -> int:
    """Email yesterday's digest to the organisers once it is morning. Runs hourly; safe to
    repeat: each day's digest is sent once."""
    return services.digest_send_if_due()
