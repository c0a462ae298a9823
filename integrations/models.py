"""Webhook subscriptions and their delivery rows; API tokens and each use of one.

A delivery row is the outbox pattern of ``actions.outbox`` for webhooks: written in the same
transaction as the event it reports, claimed by one worker, retried with backoff, and the row's
``uuid`` is the ``Webhook-Id`` a receiver sees on every attempt.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from actions.pii import EncryptedJSONField

EVENT_CHOICES = [
    ("action.created", "A supporter signed, emailed, called or shared"),
    ("message.delivered", "An email reached a target"),
    ("message.bounced", "An email to a target bounced"),
    ("supporter.erased", "A supporter deleted their data"),
    ("campaign.goal_reached", "A campaign reached a signature goal"),
]
EVENTS = [name for name, _ in EVENT_CHOICES]


class WebhookSubscription(models.Model):
    """Where to post which events, and the secret the posts are signed with."""

    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=64, editable=False, help_text="Shown once, when created.")
    events = models.JSONField(default=list, help_text="Event names, e.g. action.created.")
    campaign = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="Only this campaign's events; empty for every campaign.",
    )  # fmt: skip
    personal_data = models.BooleanField(
        default=False, help_text="Include supporters' names, email and postal address in action.created."
    )
    description = models.CharField(max_length=200, blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_email = models.EmailField(blank=True, help_text="Told when the subscription is paused.")
    active = models.BooleanField(default=True)
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    paused_at = models.DateTimeField(null=True, blank=True, editable=False)
    paused_reason = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.url} ({', '.join(self.events)})"


class WebhookDelivery(models.Model):
    """One event for one subscription: posted until the receiver answers 2xx or attempts run out."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    # Sealed like the supporter's own row: a payload may carry their name and email.
    payload = EncryptedJSONField()
    # The supporter the payload describes, so their erasure can scrub it before it goes out.
    supporter_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response = models.CharField(max_length=500, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["subscription", "next_attempt_at"], condition=Q(status="queued"), name="webhook_due"),
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="webhook_sending"),
        ]

    def __str__(self):
        return f"{self.event} → {self.subscription_id} ({self.status})"


class ApiToken(models.Model):
    """An OSDI API token: only its SHA-256 is stored; the token itself is shown once."""

    class Scope(models.TextChoices):
        PEOPLE = "people:read", "Read people"
        ACTIONS = "actions:read", "Read petitions, signatures, campaigns and outreaches"
        SIGNATURES = "signatures:write", "Record signatures"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, editable=False, help_text="The first characters, to recognise it.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list)
    campaign = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="Only this campaign's petitions and actions; empty for every campaign.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.prefix}… ({self.name or self.user})"


class ApiTokenUse(models.Model):
    """Each request made with a token: when, from where, what."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(auto_now_add=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    status_code = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.method} {self.path} at {self.at:%Y-%m-%d %H:%M}"


class GoalNotice(models.Model):
    """A goal a campaign has passed and subscribers were told of (once per campaign and goal)."""

    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    goal = models.PositiveIntegerField()
    count = models.PositiveIntegerField()
    noticed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "goal"], name="goal_notice_once")]

    def __str__(self):
        return f"{self.campaign_id} passed {self.goal}"
