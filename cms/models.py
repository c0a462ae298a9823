"""Wagtail pages: the site's home page and the campaign page supporters act on.

A Wagtail ``Page`` gets drafts, previews, revisions, scheduled publishing and moderation for
free; ``RoutablePageMixin`` adds sub-URLs (``thanks/``) served by the same page object.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from actions import intake
from actions import selectors as action_selectors
from actions.forms import SignForm
from actions.recognition import address_hash, client_address, remember_supporter, supporter_from_request

from . import page_cache
from .blocks import ActionStepsBlock, StoryBlock
from .call_routes import CampaignStepRoutesMixin
from .email_routes import EmailRoutesMixin
from .site_cache import ViewRestrictionShortcutMixin

DEFAULT_CONSENT_TEXT = "Yes, email me updates about this campaign and how I can help. I can unsubscribe at any time."
DEFAULT_ACTION_STEPS = [("sign", {}), ("email", {}), ("call", {}), ("share", {})]


def parse_goal_ladder(text: str) -> list[int]:
    """'5,000, 10000' -> [5000, 10000]. Raises ValueError on anything that is not a number."""
    rungs = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip().replace("_", "").replace(" ", "")
        if not part:
            continue
        if "." in part:
            raise ValueError(part)
        rungs.append(int(part.replace("'", "")))
    return rungs


class HomePage(Page):
    """The site's front page: a short introduction and the list of live campaigns."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.CampaignPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaigns"] = CampaignPage.objects.live().public().child_of(self).specific()
        return context


class CampaignTarget(Orderable):
    """A target as it appears on one campaign: which person, and what this campaign asks of them."""

    page = ParentalKey("cms.CampaignPage", on_delete=models.CASCADE, related_name="campaign_targets")
    target = models.ForeignKey("actions.Target", on_delete=models.PROTECT, related_name="+")
    ask = models.CharField(
        max_length=300, blank=True, help_text="What this campaign asks of them, e.g. 'Grant Kang Hen a pardon'."
    )

    panels = [FieldPanel("target"), FieldPanel("ask")]


class CampaignPage(ViewRestrictionShortcutMixin, EmailRoutesMixin, CampaignStepRoutesMixin, RoutablePageMixin, Page):
    """One campaign: its story, its goal and the actions supporters take on it."""

    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_alt = models.CharField(
        "hero image description", max_length=250, blank=True, help_text="Describe the picture for screen readers."
    )
    lede = models.TextField(help_text="One or two sentences under the title: the ask, plainly.")
    story = StreamField(StoryBlock(), blank=True, use_json_field=True)

    signature_goal = models.PositiveIntegerField(default=2500, help_text="The first goal shown.")
    goal_ladder = models.CharField(
        max_length=200,
        default="5000, 10000, 25000, 50000, 100000",
        blank=True,
        help_text="Next goals, in order: once the count reaches a goal, the next one is shown.",
    )
    action_steps = StreamField(
        ActionStepsBlock(),
        blank=True,
        use_json_field=True,
        default=DEFAULT_ACTION_STEPS,
        help_text="The actions this campaign offers, in order. Supporters are offered the next one after each.",
    )
    consent_text = models.TextField(
        default=DEFAULT_CONSENT_TEXT, help_text="Stored word for word with each signature that ticks it."
    )
    share_text = models.TextField(blank=True, help_text="The message people send when they share the campaign.")
    sender_name = models.CharField(
        max_length=100,
        default="Free Kang Hen",
        help_text='Emails go out as "Jane Doe via <this name>".',
    )
    is_open = models.BooleanField("open for action", default=True)
    closes_at = models.DateTimeField("closes at", null=True, blank=True)
    result = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="Shown instead of the forms once the campaign is closed.",
    )

    # --- Sharing: Open Graph and Twitter card metadata (issue 4), edited in the Promote tab ---
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The picture shown when the page is shared (1200×630 works best). Defaults to the hero image.",
    )
    social_description = models.CharField(
        max_length=300,
        blank=True,
        help_text="The line shown under the title when the page is shared. Defaults to the lede.",
    )

    # --- Privacy (issue 6) ---------------------------------------------------------------------
    show_signer_list = models.BooleanField(
        "show a public list of signers",
        default=False,
        help_text="Lists the newest signers by first name, last initial and city only. Off by default: "
        "some supporters may be at risk if named.",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_alt")], heading="Hero"),
        FieldPanel("lede"),
        FieldPanel("story"),
    ]
    action_panels = [
        FieldRowPanel([FieldPanel("signature_goal"), FieldPanel("goal_ladder")], heading="Goal"),
        InlinePanel("campaign_targets", heading="Targets", label="Target", min_num=0),
        FieldPanel("action_steps"),
        FieldPanel("consent_text"),
        FieldPanel("share_text"),
        FieldPanel("sender_name"),
        FieldPanel("show_signer_list"),
        MultiFieldPanel(
            [FieldPanel("is_open"), FieldPanel("closes_at"), FieldPanel("result")], heading="Open or closed"
        ),
    ]
    promote_panels = Page.promote_panels + [
        MultiFieldPanel([FieldPanel("social_image"), FieldPanel("social_description")], heading="When shared"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Story"),
            ObjectList(action_panels, heading="Targets and actions"),
            ObjectList(promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )

    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "campaign page"

    def clean(self):
        super().clean()
        try:
            rungs = parse_goal_ladder(self.goal_ladder)
        except ValueError:
            raise ValidationError({"goal_ladder": "Use whole numbers separated by commas, e.g. 5000, 10000."})
        previous = self.signature_goal or 0
        for rung in rungs:
            if rung <= previous:
                raise ValidationError({"goal_ladder": "Each goal must be larger than the one before it."})
            previous = rung

    # --- Reads used by templates ----------------------------------------------------------------

    def goal_for(self, count: int) -> int:
        """The goal to show for this count: the first rung the count has not reached yet.

        Past the last rung, goals keep growing by the last rung's size.
        """
        rungs = [self.signature_goal or 1]
        try:
            rungs += [r for r in parse_goal_ladder(self.goal_ladder) if r > rungs[-1]]
        except ValueError:
            pass
        for rung in rungs:
            if count < rung:
                return rung
        step = rungs[-1]
        return (count // step + 1) * step

    @property
    def is_closed(self) -> bool:
        return not self.is_open or (self.closes_at is not None and self.closes_at <= timezone.now())

    @property
    def step_kinds(self) -> list[str]:
        return [block.block_type for block in self.action_steps]

    def targets(self):
        return [ct.target for ct in self.campaign_targets.select_related("target", "target__photo")]

    def counter(self) -> dict:
        totals = action_selectors.campaign_totals(campaign_id=self.pk)
        count = totals["sign"]
        goal = self.goal_for(count)
        return {"count": count, "goal": goal, "percent": min(100, round(100 * count / goal, 1)), "totals": totals}

    def public_signers(self) -> list[dict[str, str]]:
        if not self.show_signer_list:
            return []
        return action_selectors.public_signers(campaign_id=self.pk)

    def next_step(self, done: set[str]):
        """The first configured action this supporter has not done yet, or None."""
        for block in self.action_steps:
            if block.block_type not in done:
                return block
        return None

    # --- Routes ---------------------------------------------------------------------------------

    @path("")
    def campaign(self, request):
        if request.method == "POST":
            return self.sign(request)
        self.referral_visit_note(request)
        if page_cache.is_cacheable_request(request):
            return self.render_campaign_cacheable(request)
        form = SignForm(
            consent_text=self.consent_text,
            initial={"source": request.GET.get("source", "")[:64], "ref": request.GET.get("ref", "")[:16]},
        )
        return self.render_campaign(request, form)

    def sign(self, request):
        if self.is_closed:
            return self.render_campaign(request, None, status=409)
        form = SignForm(request.POST, consent_text=self.consent_text)
        if not form.is_valid():
            return self.render_campaign(request, form, status=400)
        data = form.cleaned_data
        result = intake.signature_create(
            campaign_id=self.pk,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            city=data["city"],
            postal_code=data["postal_code"],
            country=data["country"],
            comment=data["comment"],
            consent=data["consent"],
            consent_text=self.consent_text,
            submission=intake.Submission(
                ip_hash=address_hash(client_address(request)),
                honeypot=data["website"],
                started=data["started"],
                source=data["source"],
                referrer_code=data["ref"],
            ),
        )
        response = HttpResponseRedirect(self.url + self.reverse_subpage("thanks"))
        remember_supporter(request, response, result.supporter)
        return response

    @path("thanks/")
    def thanks(self, request):
        supporter = supporter_from_request(request)
        context = self.get_context(request)
        context.update(supporter=supporter, counter=self.counter(), **self.ladder_context(request, supporter))
        return TemplateResponse(request, "cms/campaign_thanks.html", context)

    def render_campaign_cacheable(self, request):
        """The page as every first-time visitor sees it, with placeholders for the per-visitor
        tokens (see ``cms.page_cache``)."""
        form = SignForm(consent_text=self.consent_text)
        form.fields["started"].initial = page_cache.STARTED_PLACEHOLDER
        context = self.get_context(request)
        context.update(form=form, counter=self.counter(), supporter=None, csrf_token=page_cache.CSRF_PLACEHOLDER)
        return page_cache.render_cacheable(request, TemplateResponse(request, self.get_template(request), context))

    def render_campaign(self, request, form, status=200):
        context = self.get_context(request)
        supporter = supporter_from_request(request)
        context.update(form=form, counter=self.counter(), supporter=supporter)
        if supporter is not None:
            context.update(self.ladder_context(request, supporter))
        return TemplateResponse(request, self.get_template(request), context, status=status)
