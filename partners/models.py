"""Partners: the organisations of a coalition that put a campaign's action on their own sites.

A ``Partner`` (a snippet, ``partners/wagtail_hooks.py``) names the sites allowed to frame the
embed (``<campaign URL>embed/?partner=<code>``) and the wording of its own opt-in. Every action
taken through its embed carries it (``actions.Action.partner``); a supporter who ticks its
opt-in gets a ``PartnerConsent``, kept apart from the campaign's own consent. A partner's
organiser is a Wagtail user linked to one partner (``PartnerMembership``) who sees and exports
only that partner's opted-in supporters.

This app never imports ``cms``: a campaign is its ``wagtailcore.Page``, as in ``actions``.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext_lazy as _

# An origin a partner's page is served from: a scheme, a host (optionally "*." first) and an
# optional port; nothing that could end or extend a header (spaces, quotes, ";" or ",").
ORIGIN_RE = re.compile(
    r"^(https?://)?(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$"
)
PARTNER_ORGANISERS_GROUP = "Partner organisers"
CODE_RE = re.compile(r"^[a-z0-9-]{2,32}$")


def campaign_page_choices() -> models.Q:
    """The pages a partner may be given: campaign pages in the default language. A campaign's
    translations share its id (what actions, totals and the embed's check use), so a partner is
    linked to the campaign once, by that page, and may embed it in every language."""
    return models.Q(
        content_type__app_label="cms",
        content_type__model="campaignpage",
        locale__language_code=get_supported_language_variant(settings.LANGUAGE_CODE),
    )


def origin_normalise(entry: str) -> str:
    """``example.org`` -> ``https://example.org``; a scheme given is kept (``http://`` for local tests)."""
    entry = entry.strip().lower().rstrip("/")
    return entry if entry.startswith(("http://", "https://")) else f"https://{entry}"


def origins_parse(text: str) -> list[str]:
    """The allowed origins, one a line; raises ValidationError naming the first bad line."""
    origins = []
    for line in (text or "").splitlines():
        line = line.strip().lower().rstrip("/")
        if not line:
            continue
        if not ORIGIN_RE.match(line):
            raise ValidationError(
                _("“%(line)s” is not a site address. Write one per line, like https://example.org."),
                params={"line": line[:80]},
            )
        origins.append(origin_normalise(line))
    return origins


class Partner(models.Model):
    """One coalition partner and the campaigns it may embed."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(
        _("short code"),
        max_length=32,
        unique=True,
        help_text=_("Lower-case letters, digits and dashes; it goes in the embed's address (?partner=…)."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    website = models.URLField(_("website"), blank=True)
    allowed_domains = models.TextField(
        _("sites allowed to embed"),
        blank=True,
        help_text=_("One per line, e.g. https://example.org or *.example.org. Only these may show the embed."),
    )
    opt_in_text = models.CharField(
        _("opt-in wording"),
        max_length=300,
        default="Keep me updated by {partner}",
        help_text=_("Shown next to the partner's own opt-in box; {partner} becomes the partner's name."),
    )
    campaigns = models.ManyToManyField(
        "wagtailcore.Page",
        blank=True,
        related_name="+",
        limit_choices_to=campaign_page_choices,
        verbose_name=_("campaigns it may embed"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [("view_partner_reports", "Can view every partner's report")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.code and not CODE_RE.match(self.code):
            raise ValidationError({"code": _("Use 2 to 32 lower-case letters, digits and dashes.")})
        try:
            origins_parse(self.allowed_domains)
        except ValidationError as error:
            raise ValidationError({"allowed_domains": error.messages}) from None

    @property
    def origins(self) -> list[str]:
        """The allowed origins as CSP source expressions (bad lines, if any slipped in, skipped)."""
        return [
            origin_normalise(line)
            for line in self.allowed_domains.splitlines()
            if ORIGIN_RE.match(line.strip().lower().rstrip("/"))
        ]

    @property
    def opt_in_label(self) -> str:
        """The opt-in wording with the partner's name in it (the exact text stored with a consent)."""
        return self.opt_in_text.replace("{partner}", self.name)


class PartnerConsent(models.Model):
    """A supporter's "keep me updated" to one partner: the words they agreed to and when.

    Separate from the campaign's own consent (``Action.consent``): a campaign's one-click
    unsubscribe never touches it, and a partner's organiser sees only these rows. "No more
    updates" on the supporter's data page and erasure withdraw it too (``withdrawn_at``).
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="consents")
    supporter = models.ForeignKey("actions.Supporter", on_delete=models.CASCADE, related_name="partner_consents")
    campaign = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    given_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "supporter", "campaign"], name="partner_consent_once"),
        ]

    def __str__(self):
        return f"{self.partner} consent {self.pk}"


class PartnerMembership(models.Model):
    """Links a partner organiser's account to the one partner whose supporters they may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_membership",
        verbose_name=_("user"),
        help_text=_("Their account (Settings → Users). They will see this partner's opted-in supporters only."),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("partner")
    )

    class Meta:
        verbose_name = _("partner organiser")

    def __str__(self):
        return f"{self.user} for {self.partner}"
