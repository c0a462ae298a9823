"""Targets: the people with the power to decide, and the channels that reach each of them.

Defined here and imported by ``actions.models`` (the app's models module), so the model belongs
to the ``actions`` app as before.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from . import office_hours as office_hours_module
from . import phones

TIME_ZONE_CHOICES = sorted((name, name.replace("_", " ")) for name in zoneinfo.available_timezones() if "/" in name)


class Target(index.Indexed, models.Model):
    """A person with the power to decide: the people supporters sign to, email and call.

    Managed by editors as a Wagtail snippet (see ``actions/wagtail_hooks.py``).
    """

    class Delivery(models.TextChoices):
        """How the email step reaches them, most preferred first (see ``channel``)."""

        DIRECT = "direct", "Email each message as it is sent (verified address)"
        DIGEST = "digest", "One email a day bundling that day's messages (verified address)"
        FORM = "form", "The office's web contact form, used by the supporter"
        MAILTO = "mailto", "Supporter's own mail client (needs the office's address)"
        LETTER = "letter", "A printed letter to the postal address, delivered by organisers"
        NONE = "none", "Not in the email step (phone only)"

    name = models.CharField(max_length=200)
    title = models.CharField("title or office", max_length=200)
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    salutation = models.CharField(
        max_length=200, blank=True, help_text='How messages greet them, e.g. "Dear Governor Newsom".'
    )
    email = models.EmailField(blank=True, help_text="Leave blank when the office publishes none.")
    phone = models.CharField(
        max_length=40,
        blank=True,
        help_text='Stored in international form (+14082997400). Type it as you like, e.g. "(408) 299-7400 ext. 12"; '
        "a number without a country code is read as a number in PHONE_DEFAULT_REGION.",
    )
    phone_extension = models.CharField(max_length=10, blank=True, help_text="Kept from the number as typed.")
    office_hours = models.CharField(
        max_length=200,
        default="Mon-Fri 09:00-17:00",
        blank=True,
        help_text='When the phone is answered, e.g. "Mon-Fri 09:00-17:00" or "Mon-Thu 08:30-16:30; Fri 08:30-12:00".',
    )
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="America/Los_Angeles")
    contact_form_url = models.URLField("web contact form", blank=True, help_text="An https:// address.")
    contact_form_fields = models.CharField(
        "what the contact form asks for",
        max_length=300,
        blank=True,
        help_text='Shown to supporters beside the message, e.g. "Name, email, address, subject, message".',
    )
    postal_address = models.TextField(blank=True)
    jurisdiction = models.CharField(
        "jurisdiction (ZIP codes)",
        max_length=500,
        blank=True,
        help_text="ZIP codes, or their first digits, of the area this office answers for, comma-separated "
        "(e.g. 940, 950, 951). The petition's delivery counts signers there first. Blank: everywhere.",
    )
    language = models.CharField(
        "language of messages to them",
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        help_text="Messages to this target are written from the campaign's text in this language, "
        "whatever language the supporter's page is in. Empty: the site's default language (English).",
    )
    delivery = models.CharField(
        "how the email step reaches them",
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.NONE,
        help_text="The channel must have its details filled in: an email address, the form's https:// "
        "address, or the postal address.",
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
        errors = {}
        try:
            office_hours_module.validate(self.office_hours)
        except office_hours_module.OfficeHoursError as error:
            errors["office_hours"] = str(error)
        if self.phone:
            try:
                phone = phones.phone_parse(self.phone)
            except phones.PhoneError as error:
                errors["phone"] = str(error)
            else:
                self.phone, self.phone_extension = phone.e164, phone.extension or self.phone_extension
        if any(not part.isdigit() or len(part) > 5 for part in self.jurisdiction_prefixes()):
            errors["jurisdiction"] = "Use ZIP codes or their first digits, separated by commas, e.g. 950, 951."
        errors.update(channel_errors(self))
        if errors:
            raise ValidationError(errors)

    def jurisdiction_prefixes(self) -> tuple[str, ...]:
        return tuple(part.strip() for part in self.jurisdiction.split(",") if part.strip())

    def has_channel(self, channel: str) -> bool:
        """Whether the details this channel needs are filled in."""
        return channel_ready(self, channel)

    @property
    def channel(self) -> str:
        """The channel the email step uses: the organiser's choice when its details exist, else
        the first one, in order of preference, that the target really has (phone only: none)."""
        if channel_ready(self, self.delivery):
            return self.delivery
        return next((c for c in CHANNEL_PREFERENCE if channel_ready(self, c)), self.Delivery.NONE)

    @property
    def phone_display(self) -> str:
        return phones.phone_display(self.phone, self.phone_extension)

    @property
    def tel_href(self) -> str:
        return phones.tel_href(self.phone, self.phone_extension)

    def office_state(self, at=None):
        """Open or closed now (or at ``at``), with when that changes; see actions/office_hours.py."""
        return office_hours_module.office_state(
            office_hours=self.office_hours, time_zone=self.time_zone, at=at or timezone.now()
        )


CHANNEL_PREFERENCE = (
    Target.Delivery.DIRECT,
    Target.Delivery.DIGEST,
    Target.Delivery.FORM,
    Target.Delivery.MAILTO,
    Target.Delivery.LETTER,
)


def channel_ready(target: Target, channel: str) -> bool:
    if channel in (Target.Delivery.DIRECT, Target.Delivery.DIGEST, Target.Delivery.MAILTO):
        return bool(target.email)
    if channel == Target.Delivery.FORM:
        return target.contact_form_url.startswith("https://")
    if channel == Target.Delivery.LETTER:
        return bool(target.postal_address.strip())
    return channel == Target.Delivery.NONE


def channel_errors(target: Target) -> dict[str, str]:
    """What an organiser must fix before saving: each error keyed by its field."""
    errors = {}
    if target.email and any(mark in target.email for mark in ("\r", "\n", "<", " ", ",")):
        errors["email"] = _("Only the address itself, e.g. governor@example.gov: no name, no line breaks.")
    if target.contact_form_url and not target.contact_form_url.startswith("https://"):
        errors["contact_form_url"] = _("The contact form must be an https:// address.")
    needs = {
        Target.Delivery.DIRECT: _("Server-sent email needs the office's verified email address."),
        Target.Delivery.DIGEST: _("A daily digest needs the office's verified email address."),
        Target.Delivery.MAILTO: _("The supporter's mail client needs the office's email address."),
        Target.Delivery.FORM: _("The web contact form needs its https:// address."),
        Target.Delivery.LETTER: _("A printed letter needs the office's postal address."),
    }
    if target.delivery in needs and not channel_ready(target, target.delivery):
        errors.setdefault("delivery", needs[target.delivery])
    return errors
