"""Targets, supporters, the actions they take, and the stored totals the counters read.

This app never imports ``cms``: a campaign is referred to by its Wagtail page (``wagtailcore.Page``)
so that actions and totals survive any change to the page type.
"""

import secrets
import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .pii import EncryptedCharField, EncryptedEmailField, EncryptedTextField, email_index
from .targets import (  # noqa: F401 (the app's models are all reachable from here)
    CHANNEL_PREFERENCE,
    TIME_ZONE_CHOICES,
    Target,
    channel_errors,
    channel_ready,
)


def _referral_code():
    # 10 url-safe characters, about 60 bits: unguessable enough to attribute shares, short
    # enough for an SMS.
    return secrets.token_urlsafe(8)[:10]


class SupporterQuerySet(models.QuerySet):
    def by_email(self, email: str):
        """The supporters (at most one) whose normalised email is this one's, via the blind index."""
        return self.filter(email_index=email_index(email))


class Supporter(models.Model):
    """A person who took at least one action. One row per normalised email address.

    Personal fields are encrypted at rest (``actions.pii``); find a supporter by email with
    ``Supporter.objects.by_email(email)``, never by filtering on ``email``.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = EncryptedEmailField(max_length=254)
    # Blind index: HMAC of the normalised email (``pii.email_index``); unique, so one row per person.
    email_index = models.CharField(max_length=64, unique=True, editable=False)
    first_name = EncryptedCharField(max_length=100)
    last_name = EncryptedCharField(max_length=100)
    city = EncryptedCharField(max_length=100, blank=True)
    postal_code = EncryptedCharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US")
    referral_code = models.CharField(max_length=16, unique=True, default=_referral_code, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the supporter's personal fields were wiped (on request or by retention); their
    # actions stay so totals remain.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when the supporter asked for no more updates (from their data page); from then on none
    # of their actions counts as consent, while what they once agreed to stays on record.
    consent_withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The language of the page they last acted on (one of LANGUAGES' codes; empty: the default).
    # Emails to them (thank-yous, one-click links, their data page) are written in it.
    language = models.CharField(max_length=10, blank=True, default="", db_default="", editable=False)

    objects = SupporterQuerySet.as_manager()

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

    # No index of its own: "action_campaign_kind" (Meta) starts with the campaign and answers every
    # lookup by campaign, and each index more is written on every signature (issue 13).
    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(max_length=10, choices=ActionKind.choices)
    supporter = models.ForeignKey(Supporter, on_delete=models.PROTECT, related_name="actions")
    target = models.ForeignKey(Target, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    outcome = models.CharField(max_length=20, blank=True, help_text="Call outcome or share channel.")
    comment = EncryptedTextField(blank=True)
    consent = models.BooleanField(default=False)
    consent_text = models.TextField(blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=64, blank=True)
    referrer_code = models.CharField(max_length=16, blank=True)
    # The coalition partner whose embed the action came through (partners/), beside source/ref.
    partner = models.ForeignKey("partners.Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ip_hash = models.CharField(max_length=64, blank=True)
    flagged = models.BooleanField(default=False)
    flag_reason = models.CharField(max_length=64, blank=True)
    # The language of the page the action was taken on (every language of a campaign files its
    # actions under the one campaign id; this keeps which page was used, for reports). The
    # database's own default too, for the bulk COPY paths that name their columns.
    language = models.CharField(max_length=10, blank=True, default="", db_default="")
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
            # Only flagged rows: the review queue and the automatic release read them by time.
            models.Index(fields=["created_at"], condition=Q(flagged=True), name="action_flagged"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


class FlagRelease(models.Model):
    """Why a flagged action was released automatically (``actions.release``): the record an
    organiser reads instead of guessing. ``evidence`` is the later action that vouched for it."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="releases")
    previous_reason = models.CharField(max_length=64)
    reason = models.CharField(max_length=200)
    evidence = models.ForeignKey(Action, null=True, on_delete=models.SET_NULL, related_name="+")
    released_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-released_at"]

    def __str__(self):
        return f"Release of action #{self.action_id}"


class SignatureConfirmation(models.Model):
    """A signature waiting for (or given) the supporter's confirmation by email, on a campaign
    that asks for it (``actions.confirmation``). The campaign's title, sender name and page URL
    are copied here so the reminder, sent by the beat, needs nothing from ``cms``."""

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="confirmation")
    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=255)
    sender_name = models.CharField(max_length=100, blank=True)
    page_url = models.CharField(max_length=500)
    requested_at = models.DateTimeField(auto_now_add=True)
    # When a link was last emailed (the first, a reminder or a resend): resends are spaced by it.
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["campaign", "confirmed_at"], name="confirmation_campaign"),
            # Only rows a reminder may still be due for: the beat reads them by time.
            models.Index(
                fields=["requested_at"],
                condition=Q(confirmed_at__isnull=True, reminded_at__isnull=True),
                name="confirmation_reminder_due",
            ),
        ]

    def __str__(self):
        return f"Confirmation of action #{self.action_id}"


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


class PartnerDailyTotal(models.Model):
    """Counted and flagged actions per campaign, day (campaign time zone), coalition partner and
    kind: what each partner's embed brought in. Folded with the other totals; read by reports."""

    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ActionKind.choices)
    count = models.PositiveIntegerField(default=0)
    flagged_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "day", "partner", "kind"], name="partner_daily_total_key")
        ]

    def __str__(self):
        return f"{self.day} partner {self.partner_id} {self.kind}: {self.count}"


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

    TALKED = "talked", _("Talked to staff")
    VOICEMAIL = "voicemail", _("Left a voicemail")
    NO_ANSWER = "no_answer", _("Busy or no answer")
    SKIPPED = "skipped", _("Skipped")


class VerifiedCallOutcome(models.TextChoices):
    """What Twilio reported of one leg the call bridge dialled; stored in ``Action.outcome`` so that
    verified calls fold into the same totals as self-reported ones and stay apart in reports."""

    CONNECTED = "verified_connected", "Connected (verified)"
    BUSY = "verified_busy", "Busy (verified)"
    NO_ANSWER = "verified_no_answer", "No answer (verified)"
    FAILED = "verified_failed", "Failed (verified)"


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


# Imported last: the outbox's models refer to these by name ("actions.Action").
from .access.models import PersonalDataAccess  # noqa: E402, F401
from .calls.models import (  # noqa: E402, F401
    BlockedNumber,
    CallbackRequest,
    CallEvent,
    CallLeg,
    CallSession,
    CallSwitch,
)
from .outbox.models import (  # noqa: E402, F401
    CampaignDelivery,
    DeliverySwitch,
    OutboundMessage,
    Suppression,
    TrackingEvent,
)
