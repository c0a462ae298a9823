"""Admin views for organisers: webhook subscriptions, their deliveries, and API tokens.

Plain Django views mounted in the Wagtail admin (``wagtail_hooks.py``). A new subscription's
secret and a new token are rendered once in the response that created them, never stored in
clear or put in a URL.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from . import services, tokens
from .forms import SubscriptionForm, TokenForm
from .models import ApiToken, WebhookDelivery, WebhookSubscription

PAGE_SIZE = 50
Status = WebhookDelivery.Status


def _subscription_do(request) -> None:
    subscription_id = int(request.POST.get("subscription") or 0)
    do = request.POST.get("do")
    if do == "resume" and services.subscription_resume(subscription_id=subscription_id):
        messages.success(request, f"Subscription #{subscription_id} resumed.")
    elif do == "remove" and services.subscription_remove(subscription_id=subscription_id):
        messages.success(request, f"Subscription #{subscription_id} removed with its deliveries.")


@require_http_methods(["GET", "POST"])
@permission_required("integrations.change_webhooksubscription", raise_exception=True)
def webhooks(request):
    """Subscriptions with delivery counts; add one (its secret is shown once), resume or remove."""
    form, created = SubscriptionForm(), None
    if request.method == "POST" and request.POST.get("do") == "add":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            created = services.subscription_create(
                url=data["url"],
                events=data["events"],
                campaign_id=data["campaign"].pk if data["campaign"] else None,
                personal_data=data["personal_data"],
                organiser=request.user,
                contact_email=data["contact_email"],
                description=data["description"],
            )
            form = SubscriptionForm()
    elif request.method == "POST":
        _subscription_do(request)
        return redirect("integrations_webhooks")
    counts = {status: Count("deliveries", filter=Q(deliveries__status=status)) for status in Status.values}
    subscriptions = WebhookSubscription.objects.select_related("campaign").annotate(**counts)
    context = {"form": form, "created": created, "subscriptions": subscriptions}
    return TemplateResponse(request, "integrations/admin/webhooks.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@permission_required("integrations.change_webhooksubscription", raise_exception=True)
def webhook_deliveries(request, subscription_id: int):
    """One subscription's deliveries, newest first, filterable by status; redeliver the ticked ones."""
    subscription = get_object_or_404(WebhookSubscription, pk=subscription_id)
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("delivery") if v.isdigit()]
        count = services.deliveries_redeliver(
            delivery_ids=subscription.deliveries.filter(pk__in=ids).values_list("pk", flat=True)
        )
        messages.success(request, f"{count} delivery(ies) queued again, with the same Webhook-Id.")
        return redirect(request.get_full_path())
    rows = subscription.deliveries.all()
    status = request.GET.get("status", "")
    if status in Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    context = {"subscription": subscription, "page": page, "status": status, "statuses": Status.choices}
    return TemplateResponse(request, "integrations/admin/webhook_deliveries.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("integrations.change_apitoken", raise_exception=True)
def api_tokens(request):
    """API tokens with their last use; create one (shown once) or revoke one."""
    form, created = TokenForm(), None
    if request.method == "POST" and request.POST.get("do") == "add":
        form = TokenForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            campaign_id = data["campaign"].pk if data["campaign"] else None
            _, created = tokens.token_create(
                user=request.user, scopes=data["scopes"], campaign_id=campaign_id, name=data["name"]
            )
            form = TokenForm()
    elif request.method == "POST":
        token_id = int(request.POST.get("token") or 0)
        if tokens.token_revoke(token_id=token_id):
            messages.success(request, f"Token #{token_id} revoked.")
        return redirect("integrations_api_tokens")
    rows = ApiToken.objects.select_related("user", "campaign").annotate(use_count=Count("uses"))
    context = {"form": form, "created": created, "tokens": rows}
    return TemplateResponse(request, "integrations/admin/api_tokens.html", context, status=400 if form.errors else 200)
