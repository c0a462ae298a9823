"""OSDI resources: which rows a token may read, and each row as OSDI's JSON.

Field names follow the OSDI 1.x resource definitions (person, petition, signature,
advocacy_campaign, outreach). Every list is a fixed number of queries whatever its length:
related rows come in with ``select_related``/``prefetch_related`` or one grouped query.
"""

from django.db.models import Exists, F, OuterRef, Prefetch, Sum
from django.urls import reverse

from actions.models import Action, ActionKind, DailyTotal, OutboundMessage, Supporter
from cms.models import CampaignPage, CampaignTarget

ORIGIN = "Advocacy"


def _iso(value):
    return value.isoformat() if value else None


def link(request, name: str, *args) -> dict:
    return {"href": request.build_absolute_uri(reverse(name, args=args))}


# --- Querysets ----------------------------------------------------------------------------------


def people(token):
    """Supporters not erased (and, for a campaign's token, who acted on that campaign)."""
    consented = Action.objects.filter(supporter=OuterRef("pk"), consent=True)
    rows = Supporter.objects.filter(anonymised_at__isnull=True).annotate(has_consent=Exists(consented))
    if token.campaign_id:
        rows = rows.filter(Exists(Action.objects.filter(supporter=OuterRef("pk"), campaign_id=token.campaign_id)))
    return rows.order_by("pk")


def campaigns(token):
    targets = CampaignTarget.objects.select_related("target").order_by("sort_order")
    rows = CampaignPage.campaigns().live().prefetch_related(Prefetch("campaign_targets", queryset=targets))
    if token.campaign_id:
        rows = rows.filter(pk=token.campaign_id)
    return rows.order_by("pk")


def signatures(campaign_id: int):
    rows = Action.objects.filter(campaign_id=campaign_id, kind=ActionKind.SIGN, flagged=False)
    return rows.annotate(person_uuid=F("supporter__uuid")).order_by("pk")


def outreaches(campaign_id: int):
    messages = OutboundMessage.objects.filter(kind=OutboundMessage.Kind.TO_TARGET).select_related("target")
    rows = Action.objects.filter(campaign_id=campaign_id, kind__in=[ActionKind.EMAIL, ActionKind.CALL], flagged=False)
    rows = rows.select_related("target").prefetch_related(Prefetch("messages", queryset=messages.order_by("pk")))
    return rows.annotate(person_uuid=F("supporter__uuid")).order_by("pk")


def totals_by_campaign(campaign_ids, kinds) -> dict[int, int]:
    """Counted actions of ``kinds`` per campaign, from the stored totals, in one query."""
    rows = (
        DailyTotal.objects.filter(campaign_id__in=list(campaign_ids), kind__in=list(kinds))
        .values("campaign_id")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return {row["campaign_id"]: row["n"] or 0 for row in rows}


# --- Representations ----------------------------------------------------------------------------


def person(request, row) -> dict:
    return {
        "identifiers": [f"advocacy:{row.uuid}"],
        "origin_system": ORIGIN,
        "created_date": _iso(row.created_at),
        "modified_date": _iso(row.updated_at),
        "given_name": row.first_name,
        "family_name": row.last_name,
        "email_addresses": [
            {
                "primary": True,
                "address": row.email,
                "status": "unsubscribed" if row.consent_withdrawn_at else "subscribed",
            }
        ],
        "postal_addresses": [
            {"primary": True, "locality": row.city, "postal_code": row.postal_code, "country": row.country}
        ],
        "custom_fields": {
            "advocacy_consent": bool(getattr(row, "has_consent", False)) and not row.consent_withdrawn_at,
            "advocacy_consent_withdrawn_date": _iso(row.consent_withdrawn_at),
        },
        "_links": {"self": link(request, "osdi_person", row.uuid)},
    }


def _targets(page) -> list[dict]:
    return [{"name": ct.target.name, "title": ct.target.title} for ct in page.campaign_targets.all()]


def _campaign_common(request, page) -> dict:
    return {
        "identifiers": [f"advocacy:campaign:{page.pk}"],
        "origin_system": ORIGIN,
        "created_date": _iso(page.first_published_at),
        "modified_date": _iso(page.last_published_at),
        "title": page.title,
        "description": page.lede,
        "browser_url": page.get_full_url(request),
    }


def petition(request, page, total: int) -> dict:
    return {
        **_campaign_common(request, page),
        "petition_text": page.lede,
        "target": _targets(page),
        "total_signatures": total,
        "_links": {
            "self": link(request, "osdi_petition", page.pk),
            "osdi:signatures": link(request, "osdi_signatures", page.pk),
            "osdi:record_signature_helper": link(request, "osdi_signatures", page.pk),
        },
    }


def advocacy_campaign(request, page, total: int) -> dict:
    return {
        **_campaign_common(request, page),
        "type": "email, phone",
        "targets": _targets(page),
        "total_outreaches": total,
        "_links": {
            "self": link(request, "osdi_campaign", page.pk),
            "osdi:outreaches": link(request, "osdi_outreaches", page.pk),
        },
    }


def signature(request, row) -> dict:
    return {
        "identifiers": [f"advocacy:action:{row.pk}"],
        "origin_system": ORIGIN,
        "created_date": _iso(row.created_at),
        "modified_date": _iso(row.created_at),
        "comments": row.comment,
        "custom_fields": {"source": row.source, "consent": row.consent},
        "_links": {
            "self": link(request, "osdi_signature", row.campaign_id, row.pk),
            "osdi:petition": link(request, "osdi_petition", row.campaign_id),
            "osdi:person": link(request, "osdi_person", row.person_uuid),
        },
    }


def outreach(request, row) -> dict:
    if row.kind == ActionKind.CALL:
        targets = [row.target] if row.target else []
    else:
        targets = [message.target for message in row.messages.all() if message.target]
    messages = list(row.messages.all())
    return {
        "identifiers": [f"advocacy:action:{row.pk}"],
        "origin_system": ORIGIN,
        "created_date": _iso(row.created_at),
        "modified_date": _iso(row.created_at),
        "type": "phone" if row.kind == ActionKind.CALL else "email",
        "subject": messages[0].subject if messages else "",
        "targets": [{"name": target.name, "title": target.title} for target in targets],
        "custom_fields": {"outcome": row.outcome, "source": row.source},
        "_links": {
            "osdi:advocacy_campaign": link(request, "osdi_campaign", row.campaign_id),
            "osdi:person": link(request, "osdi_person", row.person_uuid),
        },
    }
