"""The outbox's tables: each message to a target or supporter, the provider's events about it,
suppressed addresses, and each campaign's live-delivery switch with its log.

Defined here beside the code that writes them, and imported by ``actions.models`` (Django finds
an app's models there), so ``from actions.models import OutboundMessage`` works as for any model.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..pii import EncryptedCharField, EncryptedEmailField, EncryptedTextField


class OutboundMessage(models.Model):
    """One email in the outbox: a supporter's message to one target, or their thank-you.

    The row is the truth about delivery; Celery only wakes workers up. A worker sends a row only
    after winning an atomic claim (``queued`` to ``sending``), so a task delivered twice sends once.
    """

    # Three rows per email action: Wagtail's reference index (which tracks every model an admin
    # viewset shows) would add a task and several queries to each save, and list every message as
    # a "usage" of its campaign page and target.
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        TO_TARGET = "target", "Supporter's message to a target"
        THANK_YOU = "thanks", "Thank-you to the supporter"
        CONFIRM = "confirm", "Signature confirmation request to the supporter"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        BOUNCED = "bounced", "Bounced"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Suppressed (address blocked)"
        MAILTO = "mailto", "Opened in the supporter's mail client (we can't see if it was sent)"
        FORM = "form", "Waiting for the supporter to use the office's web form"
        SELF_SENT = "self_sent", "Sent by the supporter through the office's form (self-reported)"
        NOT_SENT = "not_sent", "Not sent: the supporter couldn't use the office's form"
        LETTER = "letter", "Added to the printed letters"

    class Delivery(models.TextChoices):
        DIRECT = "direct", "Direct"
        DIGEST = "digest", "Daily digest"
        MAILTO = "mailto", "Supporter's mail client"
        FORM = "form", "Office's web contact form"
        LETTER = "letter", "Printed letter"

    action = models.ForeignKey("actions.Action", on_delete=models.PROTECT, related_name="messages")
    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(
        "actions.Target", null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TO_TARGET)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.DIRECT)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    # Sent to the organisers' review address instead of the target (live delivery was off).
    review = models.BooleanField(default=False)
    # A target's address. Empty on thank-you messages: the supporter's address is not copied here
    # but read from the supporter (encrypted at rest) when sending; see ``recipient``.
    to_email = models.EmailField(max_length=254, blank=True)
    # The supporter's address, name and words: encrypted at rest (``actions.pii``).
    reply_to = EncryptedEmailField(max_length=254, blank=True)
    # "Jane Doe via Free Kang Hen": cleaned to one line when the message is created.
    from_name = EncryptedCharField(max_length=250, blank=True)
    sender_name = EncryptedCharField(max_length=100, blank=True)
    subject = models.CharField(max_length=250)
    body = EncryptedTextField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a worker claimed the row; a "sending" row older than the lease is requeued by the relay.
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    esp_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    # Extra header lines set when the message is composed (List-Unsubscribe on supporter emails).
    headers = models.JSONField(default=dict, blank=True, null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "target"], condition=Q(target__isnull=False), name="message_once_per_action_target"
            ),
            models.UniqueConstraint(fields=["action"], condition=Q(kind="thanks"), name="message_one_thank_you"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
            models.Index(fields=["target", "status", "sent_at"], name="message_target_rate"),
            # The per-supporter daily cap counts a day's thank-yous to one address.
            models.Index(fields=["to_email", "created_at"], condition=Q(kind="thanks"), name="message_thanks_daily"),
        ]

    def __str__(self):
        return f"Message #{self.pk} ({self.status})"

    @property
    def recipient(self) -> str:
        """Where the message goes: the target's address, or the supporter's (read from the
        encrypted supporter row, never copied here) for a thank-you or a confirmation request."""
        if self.to_email or self.kind not in (self.Kind.THANK_YOU, self.Kind.CONFIRM):
            return self.to_email
        return self.action.supporter.email


class TrackingEvent(models.Model):
    """One event from the provider's tracking webhook, stored once by its event id."""

    event_id = models.CharField(max_length=255, unique=True)
    message = models.ForeignKey(OutboundMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    esp_message_id = models.CharField(max_length=255, blank=True)
    event_type = models.CharField(max_length=20)
    reject_reason = models.CharField(max_length=40, blank=True)
    recipient = EncryptedEmailField(max_length=254, blank=True)  # a thank-you's is a supporter's address
    timestamp = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    applied = models.BooleanField(default=False)

    class Meta:
        ordering = ["timestamp"]

    def __str__(self):
        return f"{self.event_type} at {self.timestamp:%Y-%m-%d %H:%M}"


class Suppression(models.Model):
    """An address we never send to again: it bounced, complained or asked us to stop."""

    address = models.EmailField(max_length=254, unique=True, help_text="Stored in lower case.")
    reason = models.CharField(max_length=40)
    detail = models.CharField(max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.address} ({self.reason})"


class CampaignDelivery(models.Model):
    """Whether a campaign's messages go to the targets or to the organisers' review address.

    Deliberately not a page field: page fields go through drafts and publishing, while this is a
    switch that takes effect at once and is logged with who flipped it (``DeliverySwitch``).
    """

    campaign = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    deliver_to_targets = models.BooleanField(default=False)
    review_address = models.EmailField(max_length=254, blank=True, help_text="Empty: the site's review address.")
    switched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    switched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "campaign deliveries"

    def __str__(self):
        return f"Campaign {self.campaign_id}: {'live' if self.deliver_to_targets else 'review only'}"


class DeliverySwitch(models.Model):
    """The log of every change to a campaign's delivery switch."""

    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    deliver_to_targets = models.BooleanField()
    review_address = models.EmailField(max_length=254, blank=True)
    switched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    switched_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-switched_at"]

    def __str__(self):
        return f"{'On' if self.deliver_to_targets else 'Off'} at {self.switched_at:%Y-%m-%d %H:%M}"
