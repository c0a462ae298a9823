"""A supporter's privacy choices reach the partners they opted in to."""

import pytest

from actions import privacy_services
from partners.models import PartnerConsent
from partners.selectors import partner_supporters
from partners.services import partner_consent_record
from tests.factories import SupporterFactory

pytestmark = pytest.mark.django_db


def opted_in(partner, campaign):
    supporter = SupporterFactory()
    partner_consent_record(partner=partner, supporter=supporter, campaign_id=campaign.pk)
    return supporter


def test_no_more_updates_withdraws_partner_opt_ins_and_keeps_the_record(partner, campaign):
    leaving, staying = opted_in(partner, campaign), opted_in(partner, campaign)
    assert privacy_services.supporter_consent_withdraw(supporter_id=leaving.pk) is True
    consent = PartnerConsent.objects.get(supporter=leaving)
    assert consent.withdrawn_at is not None and consent.text  # what they agreed to stays on record
    assert [c.supporter_id for c in partner_supporters(partner=partner)] == [staying.pk]
    assert privacy_services.supporter_consent_withdraw(supporter_id=leaving.pk) is False  # safe to repeat


def test_a_campaign_unsubscribe_leaves_the_partner_opt_in(partner, campaign):
    supporter = opted_in(partner, campaign)
    privacy_services.campaign_consent_withdraw(supporter_id=supporter.pk, campaign_id=campaign.pk)
    assert PartnerConsent.objects.get(supporter=supporter).withdrawn_at is None


def test_erasure_withdraws_partner_opt_ins(partner, campaign):
    supporter = opted_in(partner, campaign)
    assert privacy_services.supporter_anonymise(supporter_id=supporter.pk) is True
    assert PartnerConsent.objects.get(supporter=supporter).withdrawn_at is not None
    assert not partner_supporters(partner=partner).exists()
