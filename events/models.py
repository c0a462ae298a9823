"""Events: a rally, a stall or a service where people sign in person, and the short link to it.

An organiser creates one per campaign in the Wagtail admin (a snippet, ``events/wagtail_hooks.py``)
and prints its QR code. Signatures through the link carry the event as their source
(``event-<code>``), so the stored totals already count them per event; during the event's time
window the per-address limit does not apply to them (a whole crowd shares one network there).

This app never imports ``cms``: a campaign is its ``wagtailcore.Page``, as in ``actions``.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed from a sign
SOURCE_PREFIX = "event-"
PAPER_SOURCE = "paper"  # paper signatures; "paper-<code>" for those collected at an event


def event_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class Event(models.Model):
    """One in-person event of a campaign, with its short link ``/e/<code>/``."""

    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200, help_text=_('e.g. "Rally at the DA\'s office"'))
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    code = models.CharField(max_length=16, unique=True, default=event_code, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self):
        return f"{self.name}, {self.place}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The event must end after it starts.")})

    @property
    def source(self) -> str:
        """The source every action through this event's link carries."""
        return f"{SOURCE_PREFIX}{self.code}"

    def is_open(self, at=None) -> bool:
        """True during the event's time window."""
        at = at or timezone.now()
        return self.starts_at <= at <= self.ends_at


class PaperImport(models.Model):
    """One uploaded file of paper signatures: previewed, confirmed, then imported in the background.

    The file's SHA-256 is unique per campaign, so the same file uploaded twice adds nothing. The
    row itself is the log: who uploaded what, when, and how many rows were imported or skipped.
    """

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")

    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="paper_imports")
    collected_on = models.DateField(_("collected on"))
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=list)  # the cleaned rows, each with its problems
    total_rows = models.PositiveIntegerField(default=0)
    problem_rows = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    done_rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["campaign", "sha256"], name="paper_import_once")]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"
