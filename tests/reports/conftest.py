"""Users for the report tests, one per role. The groups come from the reports data migration."""

import pytest
from django.contrib.auth.models import Group, User


def _user(username, *, group=None, superuser=False):
    user = User.objects.create_user(
        username=username, email=f"{username}@example.org", password="not-used", is_superuser=superuser
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def organiser(db):
    return _user("olivia-organiser", group="Organisers")


@pytest.fixture
def editor(db):
    return _user("eddie-editor", group="Editors")


@pytest.fixture
def superuser(db):
    return _user("sue-superuser", superuser=True)


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def partner_organiser(db):
    """A partner's organiser: in the Partner organisers group, linked to one partner only."""
    from partners.models import Partner, PartnerMembership

    partner = Partner.objects.create(name="Asian Law Caucus", code="alc", allowed_domains="https://alc.example.org")
    user = _user("pat-partner", group="Partner organisers")
    PartnerMembership.objects.create(user=user, partner=partner)
    return user
