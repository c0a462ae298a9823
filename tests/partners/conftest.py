"""Partners for the partner tests: one that may embed the campaign, from two local origins."""

import pytest

from partners.models import Partner
from tests.factories import TargetFactory, campaign_page

# The report tests' users, one per role (the partner organiser's partner is "alc").
from tests.reports.conftest import editor, organiser, partner_organiser, superuser  # noqa: F401


@pytest.fixture
def campaign(db):
    return campaign_page(targets=[TargetFactory()])


def partner_for(campaign, **fields) -> Partner:
    defaults = dict(
        name="Asian Law Caucus",
        code="alc",
        website="https://alc.example.org",
        allowed_domains="https://alc.example.org\nhttp://127.0.0.1:8765",
    )
    defaults.update(fields)
    partner = Partner.objects.create(**defaults)
    partner.campaigns.add(campaign)
    return partner


@pytest.fixture
def partner(campaign):
    return partner_for(campaign)


def signer(**extra) -> dict:
    data = {
        "first_name": "Mai",
        "last_name": "Tran",
        "email": "mai@example.org",
        "postal_code": "95110",
        "country": "US",
        "city": "San Jose",
    }
    data.update(extra)
    return data
