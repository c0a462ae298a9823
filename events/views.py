"""The public short link of an event, and the admin's QR code and printable sign for it.

``/e/<code>/`` sends a person to the campaign page with ``?source=event-<code>``; the petition
form carries that source back, and ``cms.steps`` asks ``selectors.event_open_for_source`` whether
the event is on now (then the per-address limit does not apply).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from .models import Event
from .qr import qr_png, qr_svg
from .selectors import event_by_code


def event_short_url(event: Event) -> str:
    """The absolute short link, on the public site that serves the event's campaign."""
    site = event.campaign.get_site()
    root = site.root_url if site is not None else ""
    return f"{root}{reverse('event_link', args=[event.code])}"


@require_safe
def event_link(request, code: str):
    """``/e/<code>/``: to the campaign page, the event named in the form's source."""
    event = event_by_code(code)
    campaign = event.campaign.specific if event is not None else None
    if campaign is None or not campaign.live:
        return render(request, "events/not_found.html", status=404)
    url = campaign.get_url(request=request)
    return HttpResponseRedirect(f"{url}?{urlencode({'source': event.source})}")


def _event_for_organiser(request, pk: int) -> Event:
    if not request.user.has_perm("events.view_event"):
        raise PermissionDenied
    return get_object_or_404(Event.objects.select_related("campaign"), pk=pk)


def event_qr(request, pk: int, kind: str):
    """The QR code as SVG (print shops) or PNG (documents), offered as a download."""
    event = _event_for_organiser(request, pk)
    url = event_short_url(event)
    body, content_type = (qr_svg(url), "image/svg+xml") if kind == "svg" else (qr_png(url), "image/png")
    response = HttpResponse(body, content_type=content_type)
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="event-{event.code}-qr.{kind}"'
    return response


def event_print(request, pk: int):
    """A page to print and hold up: the event, its QR code large, the short link spelled out."""
    event = _event_for_organiser(request, pk)
    return render(
        request,
        "events/print.html",
        {
            "event": event,
            "short_url": event_short_url(event),
            "svg": qr_svg(event_short_url(event), inline=True).decode(),
        },
    )
