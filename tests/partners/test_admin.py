"""The Partners snippet and the copy-ready embed code."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners.embed_code import embed_snippet
from partners.models import Partner, origins_parse

pytestmark = pytest.mark.django_db


def test_the_embed_code_page_gives_the_frame_and_the_script_per_campaign(client, campaign, partner, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.org", "x"))
    response = client.get(reverse("partners_embed_code", args=[partner.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{campaign.url}embed/?partner=alc" in html
    assert "data-advocacy-embed" in html and "/static/js/embed-frame.js" in html


def test_the_snippet_escapes_the_title():
    code = embed_snippet(
        campaign_url="https://act.example.org/kang-hen/",
        campaign_title='A "quoted" <b>',
        partner_code="alc",
        site_root="https://act.example.org/",
    )
    assert 'src="https://act.example.org/kang-hen/embed/?partner=alc"' in code
    assert 'title="A &quot;quoted&quot; &lt;b&gt;"' in code
    assert '<script src="https://act.example.org/static/js/embed-frame.js" async></script>' in code


@pytest.mark.parametrize(
    "text, origins",
    [
        ("example.org", ["https://example.org"]),
        ("https://example.org/\n\n*.example.net", ["https://example.org", "https://*.example.net"]),
        ("http://127.0.0.1:8765", ["http://127.0.0.1:8765"]),
    ],
)
def test_allowed_sites_are_read_as_origins(text, origins):
    assert origins_parse(text) == origins


@pytest.mark.parametrize(
    "bad", ["https://example.org/path", "example.org; script-src *", "'self'", "a b", "*", "javascript:x"]
)
def test_anything_that_could_bend_the_header_is_refused(bad, campaign):
    partner = Partner(name="X", code="xx", allowed_domains=bad)
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "allowed_domains" in error.value.message_dict
    assert partner.origins == []  # and never reaches a header even if stored


def test_editors_can_create_a_partner_in_the_snippet(client, campaign):
    from django.contrib.auth.models import Group, User

    editor = User.objects.create_user("ed", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_partners_partner:add"),
        {
            "name": "Faith Coalition",
            "code": "faith",
            "website": "",
            "allowed_domains": "faith.example.org",
            "opt_in_text": "Keep me updated by {partner}",
            "campaigns": [campaign.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    partner = Partner.objects.get(code="faith")
    assert partner.origins == ["https://faith.example.org"] and list(partner.campaigns.all()) == [campaign.page_ptr]


def test_an_organiser_links_a_user_to_a_partner_and_unlinks_them(client, campaign, partner, organiser):
    from django.contrib.auth.models import User

    from partners.models import PartnerMembership

    pat = User.objects.create_user("pat", password="x")
    client.force_login(organiser)
    response = client.post(
        reverse("wagtailsnippets_partners_partnermembership:add"), {"user": pat.pk, "partner": partner.pk}
    )
    assert response.status_code == 302
    assert list(pat.groups.values_list("name", flat=True)) == ["Partner organisers"]
    client.force_login(pat)
    assert client.get(reverse("reports:partner_supporters", args=[partner.pk])).status_code == 200
    client.force_login(organiser)
    membership = PartnerMembership.objects.get()
    response = client.post(reverse("wagtailsnippets_partners_partnermembership:delete", args=[membership.pk]))
    assert response.status_code == 302
    assert not pat.groups.exists()
    client.force_login(pat)
    assert client.get(reverse("reports:partner_supporters", args=[partner.pk])).status_code in (302, 403)


def test_a_partner_is_offered_each_campaign_once_not_its_translations(client, campaign):
    from django.contrib.auth.models import Group, User

    from cms.translation_services import campaign_translation_create

    khmer = campaign_translation_create(page=campaign, language="km", fields={"title": "បញ្ឈប់ការនិរទេស"})
    editor = User.objects.create_user("ed", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    add_url = reverse("wagtailsnippets_partners_partner:add")
    html = client.get(add_url).content.decode()
    assert f'name="campaigns" value="{campaign.pk}"' in html
    assert f'name="campaigns" value="{khmer.pk}"' not in html
    form = {
        "name": "Faith Coalition",
        "code": "faith",
        "website": "",
        "allowed_domains": "faith.example.org",
        "opt_in_text": "Keep me updated by {partner}",
        "campaigns": [khmer.pk],
    }
    refused = client.post(add_url, form)
    assert refused.status_code == 200 and not Partner.objects.filter(code="faith").exists()
    assert "Select a valid choice" in refused.content.decode()


def test_a_partner_linked_to_a_translation_before_is_moved_to_the_campaigns_own_page(campaign):
    import importlib

    from django.apps import apps

    from cms.translation_services import campaign_translation_create

    migration = importlib.import_module("partners.migrations.0005_campaigns_in_the_default_language")
    khmer = campaign_translation_create(page=campaign, language="km", fields={"title": "បញ្ឈប់ការនិរទេស"})
    partner = Partner.objects.create(name="Faith Coalition", code="faith", allowed_domains="faith.example.org")
    partner.campaigns.add(khmer)  # as the admin allowed before
    migration.links_to_default_language(apps, None)
    assert list(partner.campaigns.values_list("pk", flat=True)) == [campaign.pk]
