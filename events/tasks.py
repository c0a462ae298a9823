"""Celery tasks of the events app: thin, taking ids, safe to run twice."""

from celery import shared_task

from . import paper


@shared_task(acks_late=True, ignore_result=True)
def paper_import_run(import_id: int) -> int:
    """Import a confirmed file of paper signatures (resumes where a killed run stopped)."""
    return paper.paper_import_run(import_id=import_id)
