"""The personal-data access log: written for each person's read, never by tasks or totals,
readable by organisers, and impossible to change or delete from the admin."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from actions.access.services import pii_access_record
from actions.models import PersonalDataAccess
from actions.tasks import totals_refresh
from tests.factories import ActionFactory, SupporterFactory, campaign_page

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def organiser():
    user = User.objects.create_user(username="olivia", password="x")
    user.groups.add(Group.objects.get(name="Organisers"))
    return user


@pytest.fixture
def superuser():
    return User.objects.create_user(username="sue", password="x", is_superuser=True)


@pytest.fixture
def signatures():
    campaign = campaign_page()
    for n in range(3):
        ActionFactory(campaign=campaign, supporter=SupporterFactory(email=f"p{n}@example.org"))
    return campaign


def test_the_admin_supporter_view_and_download_are_each_recorded(superuser, signatures):
    client = _client(superuser)
    client.post(reverse("actions_supporter_data"), {"email": "P1@example.org"})
    client.post(reverse("actions_supporter_data"), {"email": "p1@example.org", "do": "download"})
    entries = list(PersonalDataAccess.objects.order_by("at").values_list("username", "what", "rows"))
    assert entries == [("sue", "admin supporter view", 1), ("sue", "admin supporter download", 1)]


def test_an_export_is_recorded_with_its_row_count_and_a_report_page_is_not(organiser, signatures):
    client = _client(organiser)
    assert client.get(reverse("reports:overview", args=[signatures.pk])).status_code == 200
    assert not PersonalDataAccess.objects.exists()  # totals and charts decrypt no one
    client.get(reverse("reports:signatures") + f"?campaign={signatures.pk}&export=csv").getvalue()
    entry = PersonalDataAccess.objects.get()
    assert (entry.user, entry.what, entry.rows) == (organiser, "export: signatures (csv)", 3)


def test_tasks_record_nothing():
    assert pii_access_record(user=None, what="task", rows=10) is None
    totals_refresh.delay()
    assert not PersonalDataAccess.objects.exists()


def test_organisers_read_the_log_and_no_one_can_change_or_delete_it(organiser, superuser):
    entry = pii_access_record(user=superuser, what="admin supporter view", supporter_id=1)
    listing = _client(organiser).get(reverse("personal_data_access:index"))
    assert listing.status_code == 200 and "admin supporter view" in listing.content.decode()
    for user in (organiser, superuser):
        client = _client(user)
        for name in ("edit", "delete"):
            response = client.post(reverse(f"personal_data_access:{name}", args=[entry.pk]))
            assert response.status_code in (302, 403, 404)
    assert PersonalDataAccess.objects.filter(pk=entry.pk, what="admin supporter view").exists()
