"""Writes about partners: a supporter's opt-in to hear from a partner."""

from django.db import IntegrityError, transaction

from .models import Partner, PartnerConsent


def partner_consent_record(*, partner: Partner, supporter, campaign_id: int) -> PartnerConsent:
    """Store the supporter's "keep me updated" to ``partner``, once per partner and campaign.

    The words stored are the ones shown next to the box. Repeating it (a resubmitted form, two
    tabs) returns the row already stored; an opt-in withdrawn before is given again.
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
        PartnerConsent.objects.filter(pk=existing.pk).update(withdrawn_at=None, text=text)
        existing.withdrawn_at, existing.text = None, text
    return existing
