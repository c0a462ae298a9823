"""``/api/osdi/v1/``: each resource answers with or without a trailing slash, as OSDI clients vary."""

from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^$", views.EntryPoint.as_view(), name="osdi_entry"),
    re_path(r"^people/?$", views.People.as_view(), name="osdi_people"),
    re_path(r"^people/(?P<uuid>[0-9a-f-]{36})/?$", views.Person.as_view(), name="osdi_person"),
    re_path(r"^petitions/?$", views.Petitions.as_view(), name="osdi_petitions"),
    re_path(r"^petitions/(?P<campaign_id>\d+)/?$", views.Petition.as_view(), name="osdi_petition"),
    re_path(r"^petitions/(?P<campaign_id>\d+)/signatures/?$", views.Signatures.as_view(), name="osdi_signatures"),
    re_path(
        r"^petitions/(?P<campaign_id>\d+)/signatures/(?P<action_id>\d+)/?$",
        views.Signature.as_view(),
        name="osdi_signature",
    ),
    re_path(r"^advocacy_campaigns/?$", views.AdvocacyCampaigns.as_view(), name="osdi_campaigns"),
    re_path(r"^advocacy_campaigns/(?P<campaign_id>\d+)/?$", views.AdvocacyCampaign.as_view(), name="osdi_campaign"),
    re_path(
        r"^advocacy_campaigns/(?P<campaign_id>\d+)/outreaches/?$", views.Outreaches.as_view(), name="osdi_outreaches"
    ),
]
