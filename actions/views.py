"""A supporter's own data page, reached only through a signed, expiring link.

GET shows what we hold and three choices: download it as JSON; stop updates (a POST that
withdraws their consent); delete it (a POST, after a confirmation tick, that anonymises them and
keeps their actions so totals stay true). An invalid or
expired link gets the same plain 404 whatever the reason, so a link reveals nothing.
"""

from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import confirmation, privacy, privacy_services, selectors
from .languages import supporter_language_activate
from .privacy import supporter_data_path, supporter_from_token
from .unsubscribe import unsubscribe_read


def _supporter_or_404(token):
    supporter = supporter_from_token(token)
    if supporter is None:
        raise Http404("This link is not valid or has expired.")
    return supporter


def _data_page_context(supporter, token, **extra) -> dict:
    """What the page shows: the export, and the sections other apps add (partner opt-ins)."""
    data = selectors.supporter_data_export(supporter=supporter)
    return {
        "supporter": supporter,
        "token": token,
        "data": data,
        "sections": privacy.supporter_data_section_templates(data),
        # Something given since updates were last stopped (a partner opt-in) can be stopped too.
        "consent_open": privacy.supporter_data_consent_open(data),
        **extra,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def supporter_data(request, token: str):
    supporter = _supporter_or_404(token)
    supporter_language_activate(request, supporter)
    if request.method == "POST" and request.POST.get("do") == "stop-updates":
        privacy_services.supporter_consent_withdraw(supporter_id=supporter.pk)
        supporter.refresh_from_db()
        context = _data_page_context(supporter, token, updates_stopped=True)
        return TemplateResponse(request, "actions/supporter_data.html", context)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            context = {"supporter": supporter, "token": token, "confirm_error": True}
            return TemplateResponse(request, "actions/supporter_data.html", context, status=400)
        privacy_services.supporter_anonymise(supporter_id=supporter.pk)
        response = TemplateResponse(request, "actions/supporter_data_deleted.html", {})
        response.delete_cookie("supporter", samesite="Lax")
        return response
    return TemplateResponse(request, "actions/supporter_data.html", _data_page_context(supporter, token))


@never_cache
@require_http_methods(["GET"])
def supporter_data_download(request, token: str):
    supporter = _supporter_or_404(token)
    response = JsonResponse(selectors.supporter_data_export(supporter=supporter), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-campaign-data.json"'
    return response


@csrf_exempt  # RFC 8058: mail providers POST here with no cookie and no token but the signed URL
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET shows one button (a mail scanner following the link changes nothing); POST, from that
    button or from the provider's one-click, stops the campaign's updates at once. Idempotent."""
    found = unsubscribe_read(token)
    if found is None:
        raise Http404("This link is not valid.")
    supporter, campaign_id = found
    supporter_language_activate(request, supporter)
    done = request.method == "POST"
    if done:
        privacy_services.campaign_consent_withdraw(supporter_id=supporter.pk, campaign_id=campaign_id)
    context = {"token": token, "done": done, "data_page_path": supporter_data_path(supporter)}
    return TemplateResponse(request, "actions/unsubscribe.html", context)


# No CSRF token: the signed link is the credential, and both POSTs are harmless to repeat or to
# forge (confirming a signature the link already names; at most one fresh link per few minutes).
# A mail app's in-app browser that drops cookies must still be able to confirm.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signature_confirm(request, token: str):
    """GET shows one button and changes nothing (mail scanners open links); POST confirms, once.
    An expired link says so kindly and offers a fresh one; a forged one is a plain 404."""
    try:
        link = confirmation.confirmation_read(token)
    except confirmation.ConfirmLinkError:
        raise Http404("This link is not valid.") from None
    row = link.confirmation
    state, status = "ask", 200
    if row.confirmed_at is not None:
        state = "confirmed"
    elif link.expired and request.method == "POST" and request.POST.get("do") == "resend":
        confirmation.confirmation_resend(confirmation_id=row.pk)
        state = "resent"
    elif link.expired:
        state, status = "expired", 410
    elif request.method == "POST":
        confirmation.signature_confirm(confirmation_id=row.pk)
        state = "confirmed"
    context = {"state": state, "title": row.title, "page_url": row.page_url}
    return TemplateResponse(request, "actions/confirm.html", context, status=status)
