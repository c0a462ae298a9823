"""The OSDI API under ``/api/osdi/v1/``: HAL+JSON, token auth, scopes, paging, ``modified_date``.

Views only read the query, ask ``resources`` for rows and representations, and page them; the
one write (record a signature) goes through ``record``, into ``actions.intake``.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from actions.access.services import pii_access_record
from actions.models import ActionKind
from actions.recognition import client_address

from ..models import ApiToken
from ..tokens import token_use_log
from . import record, resources
from .auth import HasScope, PerTokenThrottle, TokenAuthentication
from .query import BadQuery, modified_filter, page_of

READ_PEOPLE, READ_ACTIONS, WRITE_SIGNATURES = ApiToken.Scope.values


class HalJsonRenderer(JSONRenderer):
    media_type = "application/hal+json"
    format = "json"


def error_handler(exc, context):
    """Every error as JSON: ``{"error", "message"}``, plus ``field`` when one input is to blame."""
    if isinstance(exc, BadQuery | record.BadInput):
        return Response({"error": "bad_request", "field": exc.field, "message": str(exc)}, status=400)
    if isinstance(exc, Http404):
        return Response({"error": "not_found", "message": "No such resource."}, status=404)
    if isinstance(exc, exceptions.ParseError):
        return Response({"error": "bad_request", "field": "body", "message": "The body is not valid JSON."}, 400)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            headers["WWW-Authenticate"] = TokenAuthentication().authenticate_header(None)
        if isinstance(exc, exceptions.Throttled) and exc.wait:
            headers["Retry-After"] = str(int(exc.wait))
        return Response({"error": exc.get_codes(), "message": str(exc.detail)}, status=exc.status_code, headers=headers)
    return None


class OsdiView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [HasScope]
    throttle_classes = [PerTokenThrottle]
    renderer_classes = [HalJsonRenderer]
    parser_classes = [JSONParser]
    required_scopes: dict = {"GET": None}

    def get_exception_handler(self):
        return error_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request, "auth", None)
        if isinstance(token, ApiToken):
            token_use_log(
                token=token,
                client_address=client_address(request) or None,
                method=request.method,
                path=request.path,
                status_code=response.status_code,
            )
        return response

    def listing(self, request, queryset, *, name: str, represent, modified_field: str, personal=False) -> Response:
        """One page of a resource; ``personal``: its items carry supporters' data, so the read goes in
        the personal data access log (who, when, how many rows)."""
        params = request.query_params
        lookups = modified_filter(params.get("filter", ""), field=modified_field)
        page = page_of(queryset.filter(**lookups), params)
        base = request.build_absolute_uri(request.path)

        def page_link(number):
            kept = {k: v for k, v in params.items() if k in ("filter", "per_page")}
            return {"href": f"{base}?{urlencode({**kept, 'page': number})}"}

        items = represent(page.rows)
        if personal:
            pii_access_record(user=request.user, what=f"api: {name}", rows=len(items))
        links = {"self": page_link(page.number), f"osdi:{name}": [item["_links"].get("self", {}) for item in items]}
        if page.number < page.total_pages:
            links["next"] = page_link(page.number + 1)
        if page.number > 1:
            links["prev"] = page_link(page.number - 1)
        return Response(
            {
                "total_pages": page.total_pages,
                "per_page": page.per_page,
                "page": page.number,
                "total_records": page.total_records,
                "_links": links,
                "_embedded": {f"osdi:{name}": items},
            }
        )

    def campaign(self, campaign_id: int):
        return get_object_or_404(resources.campaigns(self.request.auth), pk=campaign_id)


class EntryPoint(OsdiView):
    def get(self, request):
        link = resources.link
        return Response(
            {
                "motd": "OSDI API of the advocacy campaign engine. See docs/api.md.",
                "vendor_name": resources.ORIGIN,
                "product_name": "Advocacy campaign engine",
                "osdi_version": "1.1",
                "max_pagesize": settings.OSDI_MAX_PAGE_SIZE,
                "namespace": "advocacy",
                "_links": {
                    "self": link(request, "osdi_entry"),
                    "osdi:people": link(request, "osdi_people"),
                    "osdi:petitions": link(request, "osdi_petitions"),
                    "osdi:advocacy_campaigns": link(request, "osdi_campaigns"),
                    "curies": [
                        {"name": "osdi", "href": "https://opensupporter.github.io/osdi-docs/{rel}", "templated": True}
                    ],
                },
            }
        )


class People(OsdiView):
    required_scopes = {"GET": READ_PEOPLE}

    def get(self, request):
        rows = resources.people(request.auth)
        return self.listing(
            request, rows, name="people", represent=lambda r: [resources.person(request, p) for p in r],
            modified_field="updated_at", personal=True,
        )  # fmt: skip


class Person(OsdiView):
    required_scopes = {"GET": READ_PEOPLE}

    def get(self, request, uuid):
        person = get_object_or_404(resources.people(request.auth), uuid=uuid)
        pii_access_record(user=request.user, what="api: person", supporter_id=person.pk)
        return Response(resources.person(request, person))


def _campaign_list(view, request, *, name, kinds, represent):
    def many(pages):
        totals = resources.totals_by_campaign([p.pk for p in pages], kinds)
        return [represent(request, p, totals.get(p.pk, 0)) for p in pages]

    rows = resources.campaigns(request.auth)
    return view.listing(request, rows, name=name, represent=many, modified_field="last_published_at")


class Petitions(OsdiView):
    required_scopes = {"GET": READ_ACTIONS}

    def get(self, request):
        return _campaign_list(self, request, name="petitions", kinds=[ActionKind.SIGN], represent=resources.petition)


class Petition(OsdiView):
    required_scopes = {"GET": READ_ACTIONS}

    def get(self, request, campaign_id):
        page = self.campaign(campaign_id)
        total = resources.totals_by_campaign([page.pk], [ActionKind.SIGN]).get(page.pk, 0)
        return Response(resources.petition(request, page, total))


class Signatures(OsdiView):
    required_scopes = {"GET": READ_ACTIONS, "POST": WRITE_SIGNATURES}

    def get(self, request, campaign_id):
        rows = resources.signatures(self.campaign(campaign_id).pk)
        return self.listing(
            request, rows, name="signatures", represent=lambda r: [resources.signature(request, s) for s in r],
            modified_field="created_at", personal=True,
        )  # fmt: skip

    def post(self, request, campaign_id):
        page = self.campaign(campaign_id)
        result = record.signature_record(request, page=page, body=request.data)
        row = resources.signatures(page.pk).filter(pk=result.action.pk).first() or result.action
        if not hasattr(row, "person_uuid"):
            row.person_uuid = result.supporter.uuid  # a flagged signature is kept, but not listed
        answer = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(resources.signature(request, row), status=answer)


class Signature(OsdiView):
    required_scopes = {"GET": READ_ACTIONS}

    def get(self, request, campaign_id, action_id):
        row = get_object_or_404(resources.signatures(self.campaign(campaign_id).pk), pk=action_id)
        pii_access_record(user=request.user, what="api: signature", supporter_id=row.supporter_id)
        return Response(resources.signature(request, row))


class AdvocacyCampaigns(OsdiView):
    required_scopes = {"GET": READ_ACTIONS}

    def get(self, request):
        kinds = [ActionKind.EMAIL, ActionKind.CALL]
        return _campaign_list(
            self, request, name="advocacy_campaigns", kinds=kinds, represent=resources.advocacy_campaign
        )


class AdvocacyCampaign(OsdiView):
    required_scopes = {"GET": READ_ACTIONS}

    def get(self, request, campaign_id):
        page = self.campaign(campaign_id)
        kinds = [ActionKind.EMAIL, ActionKind.CALL]
        return Response(
            resources.advocacy_campaign(request, page, resources.totals_by_campaign([page.pk], kinds).get(page.pk, 0))
        )


class Outreaches(OsdiView):
    required_scopes = {"GET": READ_ACTIONS}

    def get(self, request, campaign_id):
        rows = resources.outreaches(self.campaign(campaign_id).pk)
        return self.listing(
            request, rows, name="outreaches", represent=lambda r: [resources.outreach(request, o) for o in r],
            modified_field="created_at",
        )  # fmt: skip
