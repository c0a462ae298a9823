"""A target as one campaign addresses it (an inline on the campaign page's Targets tab).

Registered with Django through ``cms.models``, which imports it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from actions.models import Target


class CampaignTarget(Orderable):
    """A target as it appears on one campaign: which person, and what this campaign asks of them."""

    page = ParentalKey("cms.CampaignPage", on_delete=models.CASCADE, related_name="campaign_targets")
    target = models.ForeignKey("actions.Target", on_delete=models.PROTECT, related_name="+")
    ask = models.CharField(
        max_length=300, blank=True, help_text="What this campaign asks of them, e.g. 'Grant Kang Hen a pardon'."
    )
    channel = models.CharField(
        "how this campaign's email step reaches them",
        max_length=10,
        choices=Target.Delivery.choices,
        blank=True,
        help_text="Empty: the target's own choice. The target must have this channel's details.",
    )

    panels = [FieldPanel("target"), FieldPanel("ask"), FieldPanel("channel")]

    def clean(self):
        super().clean()
        if self.channel and self.target_id and not self.target.has_channel(self.channel):
            raise ValidationError({"channel": f"{self.target} has no details for this channel."})

    def target_for_email(self) -> Target:
        """The target as this campaign's email step reaches it: the campaign's channel, when set,
        stands in for the target's own choice on this in-memory copy (never saved)."""
        target = self.target
        if self.channel:
            target.delivery = self.channel
        return target
