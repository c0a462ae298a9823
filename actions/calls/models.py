"""The call bridge's rows: one ``CallSession`` per "Call me", one ``CallLeg`` per office to
connect, one ``CallEvent`` per stored state change, a ``CallSwitch`` per campaign and the
organisers' ``BlockedNumber`` list.

Imported at the end of ``actions/models.py`` so that Django finds them in the ``actions`` app.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .. import phones
from ..pii import EncryptedCharField, EncryptedTextField


def _e164_or_error(value: str, field: str) -> str:
    try:
        return phones.phone_parse(value).e164
    except phones.PhoneError as error:
        raise ValidationError({field: str(error)}) from None


class CallState(models.TextChoices):
    """A session's state; ``RANK`` orders them so that a late or repeated report never moves a
    session backwards."""

    REQUESTED = "requested", "Requested"
    RINGING = "ringing", "Ringing the supporter"
    IN_PROGRESS = "in_progress", "In progress"
    CONNECTED = "connected", "Connected to an office"
    COMPLETED = "completed", "Completed"
    NO_ANSWER = "no_answer", "Supporter did not answer"
    FAILED = "failed", "Failed"


TERMINAL_STATES = frozenset({CallState.COMPLETED, CallState.NO_ANSWER, CallState.FAILED})


class CallMode(models.TextChoices):
    OFF = "off", "Off: no “Call me”, tel: links only"
    REVIEW = "review", "Review: ring supporters, connect them to the review number"
    LIVE = "live", "Live: connect supporters to the offices"


class CallSwitch(models.Model):
    """Per campaign: whether "Call me" is offered and whom the bridge connects. Off by default;
    in review mode every leg goes to ``review_number`` instead of the office."""

    campaign = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(max_length=10, choices=CallMode.choices, default=CallMode.OFF)
    caller_id = models.CharField(
        max_length=20, blank=True, help_text="The number offices see (E.164, owned by the Twilio account)."
    )
    review_number = models.CharField(
        max_length=20, blank=True, help_text="In review mode, every leg rings this number instead of an office."
    )
    intro = models.TextField(blank=True, help_text="Spoken when the supporter answers, before the first script.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "call switch"
        verbose_name_plural = "call switches"

    def __str__(self):
        return f"Calls for campaign #{self.campaign_id}: {self.get_mode_display()}"

    def clean(self):
        super().clean()
        for field in ("caller_id", "review_number"):
            if getattr(self, field):
                setattr(self, field, _e164_or_error(getattr(self, field), field))
        if self.mode == CallMode.REVIEW and not self.review_number:
            raise ValidationError({"review_number": "In review mode every leg rings this number: enter one."})


class BlockedNumber(models.Model):
    """A number the bridge never rings nor connects to, whoever asks (kept as E.164)."""

    number = models.CharField(max_length=20, unique=True, help_text="E.164, e.g. +14085550123.")
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Blocked {self.number[:-4]}····"

    def clean(self):
        super().clean()
        self.number = _e164_or_error(self.number, "number")


class CallSession(models.Model):
    """One "Call me": Twilio rings the supporter, then the legs are bridged in order.

    The supporter's number is kept in ``phone`` only while the session runs, then blanked;
    ``phone_hash`` (keyed) stays for the per-number daily limit.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.PROTECT, related_name="+")
    supporter = models.ForeignKey("actions.Supporter", on_delete=models.PROTECT, related_name="call_sessions")
    phone = EncryptedCharField(max_length=20, blank=True)
    phone_hash = models.CharField(max_length=64, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=12, choices=CallState.choices, default=CallState.REQUESTED)
    position = models.PositiveSmallIntegerField(default=0, help_text="The leg being bridged.")
    mode = models.CharField(max_length=10, choices=CallMode.choices)
    caller_id = models.CharField(max_length=20)
    language = models.CharField(max_length=10, default="en-US")
    intro = models.TextField(blank=True)
    call_sid = models.CharField(max_length=64, blank=True, db_index=True)
    duration = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"], name="call_session_state")]

    def __str__(self):
        return f"Call session {str(self.id)[:8]} ({self.get_state_display()})"

    @property
    def is_over(self) -> bool:
        return self.state in TERMINAL_STATES


class LegStatus(models.TextChoices):
    PENDING = "pending", "Not reached yet"
    DIALLING = "dialling", "Dialling"
    COMPLETED = "completed", "Connected"
    BUSY = "busy", "Busy"
    NO_ANSWER = "no-answer", "No answer"
    FAILED = "failed", "Failed"
    CLOSED = "closed", "Skipped: office closed"
    NOT_REACHED = "not_reached", "Supporter hung up first"


class CallLeg(models.Model):
    """One office to connect in a session, with what Twilio reported of that leg."""

    session = models.ForeignKey(CallSession, on_delete=models.CASCADE, related_name="legs")
    position = models.PositiveSmallIntegerField()
    target = models.ForeignKey("actions.Target", on_delete=models.PROTECT, related_name="+")
    target_name = models.CharField(max_length=200)
    # Carries the supporter's name and city: encrypted at rest like them.
    script = EncryptedTextField(blank=True)
    number = models.CharField(max_length=20, help_text="What the bridge dials: the office or the review number.")
    extension = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=12, choices=LegStatus.choices, default=LegStatus.PENDING)
    duration = models.PositiveIntegerField(null=True, blank=True, help_text="Seconds connected, as Twilio reported.")
    dial_sid = models.CharField(max_length=64, blank=True)
    action = models.OneToOneField(
        "actions.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="call_leg"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [models.UniqueConstraint(fields=["session", "position"], name="call_leg_position")]

    def __str__(self):
        return f"Leg {self.position + 1} to {self.target_name}"


class CallEvent(models.Model):
    """One stored state change of a session. ``key`` is unique per session, so a report Twilio
    repeats is stored once."""

    session = models.ForeignKey(CallSession, on_delete=models.CASCADE, related_name="events")
    key = models.CharField(max_length=64)
    state = models.CharField(max_length=12, choices=CallState.choices)
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "key"], name="call_event_once"),
            models.CheckConstraint(condition=~Q(key=""), name="call_event_key_set"),
        ]

    def __str__(self):
        return f"{self.state} ({self.key})"


class CallbackStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for the first office to open"
    PLACED = "placed", "Call placed"
    CANCELLED = "cancelled", "Cancelled by the supporter"
    FAILED = "failed", "Could not be placed"


class CallbackRequest(models.Model):
    """ "Call me when they open": asked while every office was closed; the beat places the call at
    ``due_at`` (``callbacks.callbacks_fire``) unless the supporter cancelled it. The number is
    blanked once the request is placed, cancelled or failed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    supporter = models.ForeignKey("actions.Supporter", on_delete=models.CASCADE, related_name="call_callbacks")
    phone = EncryptedCharField(max_length=20, blank=True)
    language = models.CharField(max_length=10, default="en-US")
    legs = models.JSONField(default=list, help_text="[{target: id, script: text}], in order.")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=CallbackStatus.choices, default=CallbackStatus.WAITING)
    session = models.ForeignKey(CallSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["status", "due_at"], name="call_callback_due")]

    def __str__(self):
        return f"Callback {str(self.id)[:8]} ({self.get_status_display()})"
