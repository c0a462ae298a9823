"""Reads about partners: who may embed a campaign, what each brought in, their supporters."""

from django.db.models import Q, Sum

from actions.models import ActionKind, PartnerDailyTotal

from .models import CODE_RE, Partner, PartnerConsent


def partner_for_embed(*, campaign_id: int, code: str) -> Partner | None:
    """The partner named by ``?partner=`` if it may embed this campaign, else None (no attribution)."""
    code = (code or "").strip().lower()
    if not CODE_RE.match(code):
        return None  # nothing that could not be a code reaches the database (a NUL byte, say)
    return Partner.objects.filter(code=code, campaigns__id=campaign_id).first()


def embed_origins(*, campaign_id: int, partner: Partner | None) -> list[str]:
    """The origins allowed to frame this embed: the partner's own, or, when the code was unknown,
    those of every partner of the campaign (so a mistyped code still shows on a partner's site)."""
    if partner is not None:
        return partner.origins
    origins = []
    for other in Partner.objects.filter(campaigns__id=campaign_id):
        origins.extend(origin for origin in other.origins if origin not in origins)
    return origins


def partners_for_campaign(*, campaign_id: int):
    return Partner.objects.filter(campaigns__id=campaign_id).order_by("name")


def partner_action_counts(*, campaign_id: int) -> list[dict]:
    """Per partner of one campaign, from the stored totals (never the action log): counted
    signatures, other counted actions, and flagged ones."""
    rows = (
        PartnerDailyTotal.objects.filter(campaign_id=campaign_id)
        .values("partner_id", "partner__name", "partner__code")
        .annotate(
            signatures=Sum("count", filter=Q(kind=ActionKind.SIGN), default=0),
            other=Sum("count", filter=~Q(kind=ActionKind.SIGN), default=0),
            flagged=Sum("flagged_count", default=0),
        )
        .order_by("-signatures", "partner__name")
    )
    return list(rows)


def partner_daily_counts(*, campaign_id: int) -> list[dict]:
    """Counted actions per partner per day (the campaign's time zone), newest day first."""
    rows = (
        PartnerDailyTotal.objects.filter(campaign_id=campaign_id, count__gt=0)
        .values("day", "partner__name")
        .annotate(actions=Sum("count"))
        .order_by("-day", "partner__name")
    )
    return list(rows)


def partner_supporters(*, partner: Partner):
    """The partner's opted-in supporters (consent not withdrawn, supporter not anonymised), with
    the words they agreed to and when. Supporter fields are read through the model."""
    return (
        PartnerConsent.objects.filter(partner=partner, withdrawn_at__isnull=True, supporter__anonymised_at__isnull=True)
        .select_related("supporter")
        .order_by("-given_at")
    )
