"""Celery tasks: thin, idempotent wrappers around services. They take ids, never objects."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def totals_refresh() -> int:
    """Fold newly committed actions into the stored totals. Safe to run twice at once."""
    return services.totals_fold()


@shared_task(acks_late=True, ignore_result=True)
def totals_reconcile() -> int:
    """Recompute the totals from the action log; returns how many keys had drifted."""
    return len(services.totals_reconcile())


@shared_task(acks_late=True, ignore_result=True)
def client_addresses_purge() -> int:
    """Blank address hashes past their retention period. Safe to repeat."""
    from .privacy_services import client_addresses_purge as purge

    return purge()
