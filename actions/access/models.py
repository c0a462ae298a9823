"""The personal-data access log: one row each time a person reads supporters' personal data.

Append-only: rows are written by ``services.pii_access_record`` and never changed or deleted
through the admin (the admin view has no edit or delete, for superusers too). Tasks and
aggregate reports read no one's data in a person's name and record nothing.

Imported by ``actions.models`` so that Django finds the model.
"""

from django.conf import settings
from django.db import models


class PersonalDataAccess(models.Model):
    """Who read which supporters' personal data, when, how, and how many rows."""

    # Nothing links to an entry: Wagtail's reference index would add six queries to every read.
    wagtail_reference_index_ignore = True

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Kept when the account is deleted: the log must outlive the people in it.
    username = models.CharField(max_length=150)
    what = models.CharField(max_length=100, help_text='e.g. "admin supporter view", "export: signatures".')
    rows = models.PositiveIntegerField(default=1)
    # One supporter's id when the access was to one person (the admin's supporter view).
    supporter_id = models.BigIntegerField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "personal data access"
        verbose_name_plural = "personal data access log"

    def __str__(self):
        return f"{self.username}: {self.what} ({self.rows} rows)"
