"""Writes about partners: a supporter's opt-in to hear from a partner."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Partner, PartnerConsent


def partner_consent_record(*, partner: Partner, supporter, campaign_id: int) -> PartnerConsent:
    """Store the supporter's "keep me updated" to ``partner``, once per partner and campaign.

    The words stored are the ones shown next to the box. Repeating it (a resubmitted form, two
    tabs) returns the row already stored; an opt-in withdrawn before is given again (with the
    new words and time).
    """
    text = partner.opt_in_label
    existing = PartnerConsent.objects.filter(partner=partner, supporter=supporter, campaign_id=campaign_id).first()
    if existing is None:
        try:
            with transaction.atomic():
                return PartnerConsent.objects.create(
                    partner=partner, supporter=supporter, campaign_id=campaign_id, text=text
                )
        except IntegrityError:
            existing = PartnerConsent.objects.get(partner=partner, supporter=supporter, campaign_id=campaign_id)
    if existing.withdrawn_at is not None:
        # Given anew: the record shows the words and the time of this agreement, not the old one.
        now = timezone.now()
        PartnerConsent.objects.filter(pk=existing.pk).update(withdrawn_at=None, text=text, given_at=now)
        existing.withdrawn_at, existing.text, existing.given_at = None, text, now
    return existing


def partner_organiser_sync(*, user_id: int) -> None:
    """Keep a user's place in the Partner organisers group in step with their partner link:
    linked to a partner means in the group (admin access, nothing else); unlinked means out."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from .models import PARTNER_ORGANISERS_GROUP, PartnerMembership

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return
    group, _ = Group.objects.get_or_create(name=PARTNER_ORGANISERS_GROUP)
    if PartnerMembership.objects.filter(user_id=user_id).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)
