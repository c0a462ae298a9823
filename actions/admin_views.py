"""Wagtail admin views for organisers: reviewing flagged actions.

These are plain Django views mounted inside the Wagtail admin with the ``register_admin_urls``
hook (see ``wagtail_hooks.py``), so they get the admin's login, menu and look.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from . import review
from .access.services import pii_access_record
from .models import Action

REVIEW_PAGE_SIZE = 100


@require_http_methods(["GET", "POST"])
@permission_required("actions.change_action", raise_exception=True)
def flagged_review(request):
    """List flagged actions with their reasons; invalidate or restore the ticked ones in bulk.

    ``?show=all`` lists counted actions too, so an organiser can invalidate one that slipped
    through; ``?campaign=<id>`` narrows the list to one campaign.
    """
    if request.method == "POST":
        ids = [int(value) for value in request.POST.getlist("action") if value.isdigit()]
        if request.POST.get("do") == "restore":
            changed = review.actions_restore(action_ids=ids)
            messages.success(request, f"{changed} action(s) restored; totals recomputed.")
        elif request.POST.get("do") == "invalidate":
            changed = review.actions_invalidate(action_ids=ids)
            messages.success(request, f"{changed} action(s) invalidated; totals recomputed.")
        else:
            messages.error(request, "Choose invalidate or restore.")
        return redirect(request.get_full_path())

    actions = Action.objects.select_related("supporter", "campaign").prefetch_related("releases")
    actions = actions.order_by("-created_at")
    show_all = request.GET.get("show") == "all"
    if not show_all:
        actions = actions.filter(flagged=True)
    campaign = request.GET.get("campaign", "")
    if campaign.isdigit():
        actions = actions.filter(campaign_id=int(campaign))
    page = Paginator(actions, REVIEW_PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request, "actions/admin/flagged_review.html", {"page_obj": page, "show_all": show_all, "campaign": campaign}
    )


@require_http_methods(["GET", "POST"])
@permission_required("actions.change_supporter", raise_exception=True)
def supporter_data_admin(request):
    """Find a supporter by email, then download their data or anonymise them on their behalf.

    The email travels in a POST body, never in the URL, so it stays out of access logs.
    """
    from .models import Supporter
    from .privacy_services import supporter_anonymise
    from .selectors import supporter_data_export

    supporter = None
    if request.method == "POST":
        email = request.POST.get("email", "").strip()
        supporter = Supporter.objects.by_email(email).filter(anonymised_at__isnull=True).first() if email else None
        if supporter is None:
            messages.error(request, "No supporter with that email.")
        elif request.POST.get("do") == "download":
            pii_access_record(user=request.user, what="admin supporter download", supporter_id=supporter.pk)
            response = JsonResponse(supporter_data_export(supporter=supporter), json_dumps_params={"indent": 2})
            response["Content-Disposition"] = f'attachment; filename="supporter-{supporter.pk}.json"'
            return response
        elif request.POST.get("do") == "anonymise":
            supporter_anonymise(supporter_id=supporter.pk)
            messages.success(request, f"Supporter #{supporter.pk} anonymised; their actions still count.")
            return redirect("actions_supporter_data")
        else:
            pii_access_record(user=request.user, what="admin supporter view", supporter_id=supporter.pk)
    return TemplateResponse(request, "actions/admin/supporter_data.html", {"supporter": supporter})
