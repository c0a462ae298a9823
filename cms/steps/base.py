"""``StepView``: the Django class-based view every campaign step builds on.

Wagtail's ``RoutablePageMixin`` calls a ``@path`` method of the page for each sub-URL; that
method hands the page to a view here with ``as_view(page=self)``, the way Wagtail's form pages
hand themselves to their submissions view. Django's ``View`` then picks ``get()`` or ``post()``
and answers any method not in ``http_method_names`` with 405 and an ``Allow`` header.

A step view binds the request, calls one ``actions`` service and renders with the page's own
context (``page.get_context``), so templates see ``page`` as on any Wagtail page.
"""

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.views import View

from actions.intake import Submission
from actions.recognition import address_hash, client_address, supporter_from_request
from events.selectors import event_open_for_source

from .. import translations
from .ladder import ladder_context


class StepView(View):
    """One route of a campaign page. ``page`` is the ``CampaignPage`` serving the request."""

    page = None  # set by as_view(page=...)
    http_method_names = ["get", "head"]

    @cached_property
    def supporter(self):
        """The supporter this browser's cookie names, or None."""
        return supporter_from_request(self.request)

    def submission(self, **signals) -> Submission:
        """How this request submits an action, for ``actions.intake`` to judge: the client's
        address (hashed, never raw) and user agent, plus whatever the step's form adds (honeypot, start token,
        source, referrer). A source naming an event that is on now (``/e/<code>/``) sets ``at_event``."""
        user_agent = self.request.META.get("HTTP_USER_AGENT", "")[:512]
        source = signals.get("source", "")
        at_event = bool(source) and event_open_for_source(campaign_id=self.page.campaign_id, source=source) is not None
        return Submission(
            ip_hash=address_hash(client_address(self.request)),
            user_agent=user_agent,
            at_event=at_event,
            language=translations.active_language(),
            **signals,
        )

    def redirect(self, route: str, *, status: int = 302, **kwargs) -> HttpResponseRedirect:
        """Redirect to one of the page's named routes (``@path(..., name=...)``)."""
        return HttpResponseRedirect(self.page.route_url(route, **kwargs), status=status)

    def render(self, template: str, *, status: int = 200, **extra) -> TemplateResponse:
        context = self.page.get_context(self.request)
        context.update(extra)
        return TemplateResponse(self.request, template, context, status=status)

    def campaign_render(self, form, *, status: int = 200) -> TemplateResponse:
        """The campaign page itself with ``form`` (None once closed); a recognised supporter also
        sees the ladder. Every step that must answer with the page (a refused link, a closed
        campaign) answers with this."""
        extra = ladder_context(self.page, self.supporter) if self.supporter is not None else {}
        return self.render(
            self.page.get_template(self.request),
            status=status,
            form=form,
            counter=self.page.counter(),
            supporter=self.supporter,
            **extra,
        )
