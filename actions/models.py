"""Targets, supporters, the actions they take, and the stored totals the counters read.

This app never imports ``cms``: a campaign is referred to by its Wagtail page (``wagtailcore.Page``)
so that actions and totals survive any change to the page type.
"""

import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.search import index

from . import office_hours as office_hours_module


def _referral_code():
    # 10 url-safe characters, about 60 bits: unguessable enough to attribute shares, short
    # enough for an SMS.
    return secrets.token_urlsafe(8)[:10]


TIME_ZONE_CHOICES = sorted((name, name.replace("_", " ")) for name in zoneinfo.available_timezones() if "/" in name)


class Target(index.Indexed, models.Model):
    """A person with the power to decide: the people supporters sign to, email and call.

    Managed by editors as a Wagtail snippet (see ``actions/wagtail_hooks.py``).
    """

    class Delivery(models.TextChoices):
        DIRECT = "direct", "Email each message as it is sent"
        DIGEST = "digest", "One email a day bundling that day's messages"
        MAILTO = "mailto", "Supporter's own mail client (no address we may send to)"
        NONE = "none", "Not by email (phone, web form or post only)"

    name = models.CharField(max_length=200)
    title = models.CharField("title or office", max_length=200)
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    salutation = models.CharField(
        max_length=200, blank=True, help_text='How messages greet them, e.g. "Dear Governor Newsom".'
    )
    email = models.EmailField(blank=True, help_text="Leave blank when the office publishes none.")
    phone = models.CharField(max_length=40, blank=True)
    office_hours = models.CharField(
        max_length=200,
        default="Mon-Fri 09:00-17:00",
        blank=True,
        help_text='When the phone is answered, e.g. "Mon-Fri 09:00-17:00" or "Mon-Thu 08:30-16:30; Fri 08:30-12:00".',
    )
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="America/Los_Angeles")
    contact_form_url = models.URLField("web contact form", blank=True)
    postal_address = models.TextField(blank=True)
    delivery = models.CharField(
        "how messages reach them", max_length=10, choices=Delivery.choices, default=Delivery.MAILTO
    )
    digest_hour = models.PositiveSmallIntegerField(
        default=8, help_text="For daily digests: the hour (0-23) in the target's time zone."
    )
    max_messages_per_hour = models.PositiveIntegerField(
        default=0, help_text="Cap on server-sent messages per hour; 0 means no cap."
    )
    verify_before_launch = models.BooleanField(
        default=True,
        help_text="Contact details not yet checked by an organiser. Untick once verified.",
    )
    note = models.TextField(blank=True, help_text="Internal note for editors; never shown publicly.")

    search_fields = [index.SearchField("name"), index.SearchField("title"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.title}"

    def clean(self):
        super().clean()
        try:
            office_hours_module.validate(self.office_hours)
        except office_hours_module.OfficeHoursError as error:
            raise ValidationError({"office_hours": str(error)}) from None

    def office_state(self, at=None):
        """Open or closed now (or at ``at``), with when that changes; see actions/office_hours.py."""
        return office_hours_module.office_state(
            office_hours=self.office_hours, time_zone=self.time_zone, at=at or timezone.now()
        )


class Supporter(models.Model):
    """A person who took at least one action. One row per normalised email address."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(max_length=254)
    email_key = models.CharField(max_length=254, unique=True, editable=False)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    city = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US")
    referral_code = models.CharField(max_length=16, unique=True, default=_referral_code, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the supporter's personal fields were wiped (on request or by retention); their
    # actions stay so totals remain.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        # No email here: __str__ ends up in logs and admin breadcrumbs.
        return f"{self.first_name} {self.last_name[:1]}."

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


class ActionKind(models.TextChoices):
    SIGN = "sign", "Signature"
    EMAIL = "email", "Email to targets"
    CALL = "call", "Call"
    SHARE = "share", "Share"


# A supporter can take each of these once per campaign; the database enforces it.
ONCE_PER_CAMPAIGN = (ActionKind.SIGN, ActionKind.EMAIL)


class Action(models.Model):
    """One thing one supporter did for one campaign: the log every total is computed from."""

    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ActionKind.choices)
    supporter = models.ForeignKey(Supporter, on_delete=models.PROTECT, related_name="actions")
    target = models.ForeignKey(Target, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    outcome = models.CharField(max_length=20, blank=True, help_text="Call outcome or share channel.")
    comment = models.TextField(blank=True)
    consent = models.BooleanField(default=False)
    consent_text = models.TextField(blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=64, blank=True)
    referrer_code = models.CharField(max_length=16, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    flagged = models.BooleanField(default=False)
    flag_reason = models.CharField(max_length=64, blank=True)
    # False until totals_refresh has folded this action into DailyTotal.
    tallied = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "supporter", "kind"],
                condition=Q(kind__in=["sign", "email"]),
                name="action_once_per_campaign",
            ),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(tallied=False), name="action_untallied"),
            models.Index(fields=["campaign", "kind", "created_at"], name="action_campaign_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class DailyTotal(models.Model):
    """Counted and flagged actions per campaign, day (campaign time zone), kind, target,
    outcome and source. Written only by the totals tasks; read by counters and reports."""

    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=ActionKind.choices)
    # 0 when the action has no target; a plain integer so the unique key has no NULLs.
    target_key = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, blank=True, default="")
    source = models.CharField(max_length=64, blank=True, default="")
    count = models.PositiveIntegerField(default=0, validators=[MinValueValidator(0)])
    flagged_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "day", "kind", "target_key", "outcome", "source"],
                name="daily_total_key",
            )
        ]
        indexes = [models.Index(fields=["campaign", "kind"], name="daily_total_campaign_kind")]

    def __str__(self):
        return f"{self.day} {self.kind}: {self.count}"


class HourlyTotal(models.Model):
    """Counted and flagged actions per campaign, clock hour (UTC) and kind.

    Folded by the same transaction as ``DailyTotal``; the reports' 48-hour chart reads it so that
    no report ever scans the action log.
    """

    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField(help_text="Start of the hour, UTC.")
    kind = models.CharField(max_length=10, choices=ActionKind.choices)
    count = models.PositiveIntegerField(default=0)
    flagged_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "hour", "kind"], name="hourly_total_key")]

    def __str__(self):
        return f"{self.hour:%Y-%m-%d %H}h {self.kind}: {self.count}"


class ReferralTotal(models.Model):
    """Counted and flagged actions per campaign, referrer (the sharer's referral code) and kind.

    Only actions that arrived through someone's share link have a row here.
    """

    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    referrer_code = models.CharField(max_length=16)
    kind = models.CharField(max_length=10, choices=ActionKind.choices)
    count = models.PositiveIntegerField(default=0)
    flagged_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "referrer_code", "kind"], name="referral_total_key")]

    def __str__(self):
        return f"{self.referrer_code} {self.kind}: {self.count}"


class TallyLock(models.Model):
    """A single row the totals tasks lock so that only one folds at a time.

    Signing never touches it, so it is not a hot row for supporters.
    """

    folded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Totals folded at {self.folded_at}"


class CallOutcome(models.TextChoices):
    """What happened when a supporter called an office; stored in ``Action.outcome``."""

    TALKED = "talked", "Talked to staff"
    VOICEMAIL = "voicemail", "Left a voicemail"
    NO_ANSWER = "no_answer", "Busy or no answer"
    SKIPPED = "skipped", "Skipped"


class ShareChannel(models.TextChoices):
    """Where a supporter shared the campaign; stored in ``Action.outcome`` for share actions."""

    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    WHATSAPP = "whatsapp", "WhatsApp"
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X"
    COPY = "copy", "Copy link"


class ReferralVisit(models.Model):
    """One visit that arrived through a supporter's share link (``?ref=<referral code>``).

    Append-only: each visit inserts its own row and nothing is ever updated, so a share that goes
    viral writes many small rows instead of contending on one counter. Repeat visits from the
    same browser or address on the same day are dropped in the cache before they reach here.
    """

    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    referrer_code = models.CharField(max_length=16)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["campaign", "referrer_code", "day"], name="referral_visit_code_day")]

    def __str__(self):
        return f"Referral visit {self.referrer_code} {self.day}"


# --- Email to targets: the outbox, tracking, suppressions and the live-delivery switch ----------


class OutboundMessage(models.Model):
    """One email in the outbox: a supporter's message to one target, or their thank-you.

    The row is the truth about delivery; Celery only wakes workers up. A worker sends a row only
    after winning an atomic claim (``queued`` to ``sending``), so a task delivered twice sends once.
    """

    class Kind(models.TextChoices):
        TO_TARGET = "target", "Supporter's message to a target"
        THANK_YOU = "thanks", "Thank-you to the supporter"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        BOUNCED = "bounced", "Bounced"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Suppressed (address blocked)"
        MAILTO = "mailto", "Handed to the supporter's mail client"

    class Delivery(models.TextChoices):
        DIRECT = "direct", "Direct"
        DIGEST = "digest", "Daily digest"
        MAILTO = "mailto", "Supporter's mail client"

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="messages")
    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="+")
    target = models.ForeignKey(Target, null=True, blank=True, on_delete=models.PROTECT, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TO_TARGET)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.DIRECT)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    # Sent to the organisers' review address instead of the target (live delivery was off).
    review = models.BooleanField(default=False)
    to_email = models.EmailField(max_length=254, blank=True)
    reply_to = models.EmailField(max_length=254, blank=True)
    # "Jane Doe via Free Kang Hen": cleaned to one line when the message is created.
    from_name = models.CharField(max_length=250, blank=True)
    sender_name = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=250)
    body = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When a worker claimed the row; a "sending" row older than the lease is requeued by the relay.
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    esp_message_id = models.CharField(max_length=255, blank=True, db_index=True)
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
        ]

    def __str__(self):
        return f"Message #{self.pk} ({self.status})"


class TrackingEvent(models.Model):
    """One event from the provider's tracking webhook, stored once by its event id."""

    event_id = models.CharField(max_length=255, unique=True)
    message = models.ForeignKey(OutboundMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    esp_message_id = models.CharField(max_length=255, blank=True)
    event_type = models.CharField(max_length=20)
    reject_reason = models.CharField(max_length=40, blank=True)
    recipient = models.EmailField(max_length=254, blank=True)
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
