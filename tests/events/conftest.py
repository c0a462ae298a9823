"""An event of a campaign, open now, and an organiser to manage it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from events.models import Event
from tests.factories import campaign_page


@pytest.fixture
def campaign(db):
    return campaign_page()


@pytest.fixture
def event(campaign):
    now = timezone.now()
    return Event.objects.create(
        campaign=campaign,
        name="Rally at the DA's office",
        place="70 W Hedding St, San Jose",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
    )


@pytest.fixture
def organiser_client(client, db):
    user = User.objects.create_user(username="olivia-organiser", password="not-used")
    user.groups.add(Group.objects.get(name="Organisers"))
    client.force_login(user)
    return client
