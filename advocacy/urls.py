from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from actions import views as action_views
from cms import views as cms_views
from events import kiosk as event_kiosk
from events import views as event_views
from partners import csp_reports as partner_csp_reports

# A database outage that escapes the middleware still gets the plain 503 page.
handler500 = "advocacy.faults.handler500"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The email provider's tracking webhooks, e.g. /anymail/postmark/tracking/; anymail checks the
    # HTTP basic auth in ANYMAIL["WEBHOOK_SECRET"] before the receiver in actions/webhooks.py runs.
    path("anymail/", include("anymail.urls")),
    # Twilio's call-bridge webhooks; each checks X-Twilio-Signature first (actions/calls/views.py).
    path("calls/twilio/", include("actions.calls.urls")),
    # The OSDI API for CRMs (integrations/osdi/; docs/api.md): OSDI-API-Token header, never the page cache.
    path("api/osdi/v1/", include("integrations.osdi.urls")),
    path("api/campaigns/<int:page_id>/totals.json", cms_views.campaign_totals, name="campaign_totals"),
    # An event's short link (printed as a QR code): to its campaign, the event carried along.
    path("e/<str:code>/", event_views.event_link, name="event_link"),
    # A volunteer's tablet at the event (signed, expiring link from the admin; events/kiosk.py).
    path("e/<str:code>/kiosk/<str:token>/", event_kiosk.kiosk, name="event_kiosk"),
    path("e/<str:code>/kiosk/<str:token>/thanks/", event_kiosk.kiosk_thanks, name="event_kiosk_thanks"),
    # Browsers' Content-Security-Policy violation reports (a refused embed frame; partners/).
    path("csp-report/", partner_csp_reports.csp_report, name="csp_report"),
    path("your-data/<str:token>/", action_views.supporter_data, name="supporter_data"),
    path("unsubscribe/<str:token>/", action_views.unsubscribe, name="unsubscribe"),
    # Confirming a signature by email (campaigns that ask for it; actions/confirmation.py).
    path("confirm/<str:token>/", action_views.signature_confirm, name="signature_confirm"),
    path("your-data/<str:token>/download.json", action_views.supporter_data_download, name="supporter_data_download"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving catches every other path, so it comes last. English pages keep their
# unprefixed URLs; each other language's translations are under its prefix (/km/..., /vi/...),
# which also activates that language for the page's interface (settings/_i18n.py).
urlpatterns += i18n_patterns(path("", include(wagtail_urls)), prefix_default_language=False)
