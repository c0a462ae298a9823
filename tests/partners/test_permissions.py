"""Partner reports and exports, role by role: a partner's organiser sees their partner only.

The other report URLs refuse a partner's organiser in the reports matrix
(tests/reports/test_permissions.py, role "partner_organiser").
"""

import csv
import io

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from actions.access.models import PersonalDataAccess
from actions.models import Supporter
from partners.models import Partner, PartnerConsent, PartnerMembership
from reports.models import ExportLog
from tests.factories import SupporterFactory

from .conftest import partner_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(campaign, partner_organiser):
    """The partner organiser's partner ("alc") and another ("faith"), each with one opted-in
    supporter, and a supporter of "alc" who withdrew."""
    alc = Partner.objects.get(code="alc")
    alc.campaigns.add(campaign)
    faith = partner_for(campaign, code="faith", name="Faith Coalition", allowed_domains="https://faith.example.org")
    ours = SupporterFactory(first_name="Ours", email="ours@example.org", postal_code="95110")
    theirs = SupporterFactory(first_name="Theirs", email="theirs@example.org")
    gone = SupporterFactory(first_name="Gone", email="gone@example.org")
    from django.utils import timezone

    PartnerConsent.objects.create(partner=alc, supporter=ours, campaign=campaign, text=alc.opt_in_label)
    PartnerConsent.objects.create(partner=faith, supporter=theirs, campaign=campaign, text=faith.opt_in_label)
    PartnerConsent.objects.create(partner=alc, supporter=gone, campaign=campaign, text="x", withdrawn_at=timezone.now())
    return {"alc": alc, "faith": faith}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _urls(data, campaign):
    alc, faith = data["alc"], data["faith"]
    supporters = lambda p: reverse("reports:partner_supporters", args=[p.pk])  # noqa: E731
    return {
        "index": reverse("reports:partner_index"),
        "own": supporters(alc),
        "own_csv": supporters(alc) + "?export=csv",
        "own_xlsx": supporters(alc) + "?export=xlsx",
        "other": supporters(faith),
        "other_csv": supporters(faith) + "?export=csv",
        "other_xlsx": supporters(faith) + "?export=xlsx",
        "missing": reverse("reports:partner_supporters", args=[9999]),
        "embed_code": reverse("partners_embed_code", args=[alc.pk]),
        "overview": reverse("reports:overview", args=[campaign.pk]),
    }


# URL -> status per role. "own" is the partner organiser's partner (alc); "other" is faith.
MATRIX = {
    "anonymous": dict.fromkeys(
        [
            "index",
            "own",
            "own_csv",
            "own_xlsx",
            "other",
            "other_csv",
            "other_xlsx",
            "missing",
            "embed_code",
            "overview",
        ],
        302,
    ),
    "editor": {
        **dict.fromkeys(
            ["index", "own", "own_csv", "own_xlsx", "other", "other_csv", "other_xlsx", "missing", "overview"], 403
        ),
        "embed_code": 200,
    },
    "partner_organiser": {
        "index": 302,
        "own": 200,
        "own_csv": 200,
        "own_xlsx": 200,
        "other": 403,
        "other_csv": 403,
        "other_xlsx": 403,
        "missing": 403,
        "embed_code": 403,
        "overview": 403,
    },
    "organiser": {
        **dict.fromkeys(
            ["index", "own", "own_csv", "own_xlsx", "other", "other_csv", "other_xlsx", "embed_code", "overview"], 200
        ),
        "missing": 404,
    },
    "superuser": {
        **dict.fromkeys(
            ["index", "own", "own_csv", "own_xlsx", "other", "other_csv", "other_xlsx", "embed_code", "overview"], 200
        ),
        "missing": 404,
    },
}
EXPORTS = {"own_csv", "own_xlsx", "other_csv", "other_xlsx"}


@pytest.mark.parametrize("role", MATRIX)
def test_each_role_gets_its_exact_status_on_each_partner_url(client, request, data, campaign, role):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    if user is not None:
        client.force_login(user)
    for key, url in _urls(data, campaign).items():
        response = client.get(url)
        expected = MATRIX[role][key]
        assert response.status_code == expected, (role, key, url)
        body = _body(response)
        if expected != 200:
            assert b"theirs@example.org" not in body and b"ours@example.org" not in body
        if role == "partner_organiser" and expected == 200:
            assert b"theirs@example.org" not in body and b"gone@example.org" not in body
    exports = sum(1 for key in EXPORTS if MATRIX[role][key] == 200)
    assert ExportLog.objects.count() == ExportLog.objects.filter(user=user).count() == exports


def test_the_partner_organiser_lands_on_their_own_partner(client, data, partner_organiser):
    client.force_login(partner_organiser)
    response = client.get(reverse("reports:partner_index"))
    assert response["Location"] == reverse("reports:partner_supporters", args=[data["alc"].pk])


def test_the_export_holds_name_email_zip_and_the_consent_and_is_logged(client, data, partner_organiser):
    client.force_login(partner_organiser)
    response = client.get(reverse("reports:partner_supporters", args=[data["alc"].pk]) + "?export=csv")
    rows = list(csv.reader(io.StringIO(_body(response).decode("utf-8-sig"))))
    assert rows[0][:6] == ["First name", "Last name", "Email", "ZIP code", "Consent text", "Consent given at"]
    assert [row[2] for row in rows[1:]] == ["ours@example.org"]
    assert rows[1][3] == "95110" and rows[1][4] == "Keep me updated by Asian Law Caucus"
    log = ExportLog.objects.get()
    assert (log.user, log.report, log.export_format, log.row_count) == (
        partner_organiser,
        "partner-supporters-alc",
        "csv",
        1,
    )
    # Viewing the list and downloading it are both reads of personal data.
    client.get(reverse("reports:partner_supporters", args=[data["alc"].pk]))
    reads = list(PersonalDataAccess.objects.order_by("pk").values_list("user", "what", "rows"))
    assert reads == [
        (partner_organiser.pk, "export: partner-supporters-alc (csv)", 1),
        (partner_organiser.pk, "partner supporters: alc", 1),
    ]


def test_a_partner_organiser_without_a_partner_sees_nothing(client, data):
    user = User.objects.create_user(username="loose", password="not-used")
    user.groups.add(Group.objects.get(name="Partner organisers"))
    client.force_login(user)
    assert client.get(reverse("reports:partner_index")).status_code == 403
    assert client.get(reverse("reports:partner_supporters", args=[data["alc"].pk])).status_code == 403


def test_the_menu_shows_partner_supporters_to_the_partner_organiser_but_no_other_report(
    client, data, partner_organiser
):
    client.force_login(partner_organiser)
    home = client.get(reverse("wagtailadmin_home")).content
    assert reverse("reports:partner_index").encode() in home
    assert reverse("reports:signatures").encode() not in home
    assert Supporter.objects.count() == 3 and PartnerMembership.objects.count() == 1
