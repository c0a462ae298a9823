"""Wagtail pages: the site's home page and the campaign page supporters act on.

A Wagtail ``Page`` gets drafts, previews, revisions, scheduled publishing and moderation for
free; ``RoutablePageMixin`` adds sub-URLs (``thanks/``, ``call/``, ...) served by the same page
object. Each of those routes is one line handing the page to a class-based view in
``cms/steps/`` (as Wagtail's form pages hand themselves to their submissions view); the page
itself keeps the reads its templates, views and the admin use.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from actions import confirmation
from actions import selectors as action_selectors
from actions.links import action_link_url
from actions.models import Target
from actions.outbox import compose

from . import site_cache, translations
from .blocks import ActionStepsBlock, StoryBlock
from .campaign_target import CampaignTarget  # noqa: F401 (registered here)
from .goals import counter_for, goal_for, parse_goal_ladder  # noqa: F401 (parse_goal_ladder: named here by callers)
from .home_page import HomePage  # noqa: F401 (registered here)
from .site_cache import ViewRestrictionShortcutMixin
from .steps.call import CallLogView, CallStepView
from .steps.call_me import CallbackCancelView, CallMeStateView, CallMeView
from .steps.email import EmailReportView, EmailSentView, EmailStepView
from .steps.embed import EmbedView
from .steps.one_click import OneClickView
from .steps.petition import CampaignPageView, ForgetView, SignOneButtonView, ThanksView
from .steps.share import ShareLogView, ShareStepView

DEFAULT_CONSENT_TEXT = "Yes, email me updates about this campaign and how I can help. I can unsubscribe at any time."
DEFAULT_ACTION_STEPS = [("sign", {}), ("email", {}), ("call", {}), ("share", {})]


class CampaignPage(ViewRestrictionShortcutMixin, RoutablePageMixin, Page):
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

    # --- The petition's confirmation and delivery (issue 18) -----------------------------------
    confirm_signatures = models.BooleanField(
        "ask signers to confirm by email",
        default=False,
        help_text="Each new signer gets an email with a link to confirm their signature (and one reminder). "
        "Every signature still counts; reports and the delivery package also show how many are confirmed.",
    )
    counter_confirmed_only = models.BooleanField(
        "public counter shows confirmed signatures only",
        default=False,
        help_text="Off: the counter shows every signature. On: signatures still waiting for their "
        "signer's confirmation are left out of the public count and the goal (reports show both).",
    )
    delivery_letter = models.TextField(
        "delivery cover letter",
        blank=True,
        help_text="The first page of the petition delivered to each target (Reports → the campaign's overview → "
        "delivery package). Blank lines separate paragraphs.",
    )

    # --- Languages (issue 14) --------------------------------------------------------------------
    translation_needs_review = models.BooleanField(
        "needs review by a native speaker",
        default=False,
        help_text="Set on every new translation (and on the machine-drafted ones load_campaign makes). "
        "Untick it once a native speaker has checked this language's text, before launch.",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("translation_needs_review")], heading="Translation review"),
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
            [FieldPanel("confirm_signatures"), FieldPanel("counter_confirmed_only"), FieldPanel("delivery_letter")],
            heading="Petition",
        ),
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

    # --- Reads: used by templates, the step views in cms/steps/ and the admin -------------------

    @classmethod
    def campaigns(cls):
        """Every campaign once: its default-language page (its translations share its id)."""
        return cls.objects.filter(locale__language_code=translations.default_language())

    @property
    def campaign_id(self) -> int:
        """The campaign's one id, whatever the language: the default-language page's id. Actions,
        totals, targets' messages and reports all key on it (see cms/translations.py)."""
        return translations.campaign_id_for(self)

    def translations_for_switcher(self) -> list[dict]:
        """This campaign's live languages, each with its URL (the language switcher, hreflang)."""
        return translations.alternates(self)

    def goal_for(self, count: int) -> int:
        """The goal to show for this count (see ``goal_for``)."""
        return goal_for(count, signature_goal=self.signature_goal, goal_ladder=self.goal_ladder)

    @property
    def is_closed(self) -> bool:
        return not self.is_open or (self.closes_at is not None and self.closes_at <= timezone.now())

    @property
    def step_kinds(self) -> list[str]:
        return [block.block_type for block in self.action_steps]

    def targets(self):
        return [ct.target for ct in self.campaign_targets.select_related("target", "target__photo")]

    def counter(self) -> dict:
        return counter_for(
            self.campaign_id,
            signature_goal=self.signature_goal,
            goal_ladder=self.goal_ladder,
            confirmed_only=self.counter_confirmed_only,
        )

    def public_signers(self) -> list[dict[str, str]]:
        if not self.show_signer_list:
            return []
        return action_selectors.public_signers(campaign_id=self.campaign_id)

    def confirmation_request(self, request, result, *, proven: bool = False) -> None:
        """Email a new signer the link to confirm, when this campaign asks for it (``proven``: they
        signed through a link from our own email, so they are confirmed at once)."""
        if self.confirm_signatures and result.created:
            confirmation.confirmation_request(
                action=result.action,
                title=self.title,
                sender_name=self.sender_name,
                page_url=request.build_absolute_uri(self.url),
                proven=proven,
            )

    def next_step(self, done: set[str]):
        """The first configured action this supporter has not done yet, or None."""
        return next((block for block in self.action_steps if block.block_type not in done), None)

    def step_block(self, kind: str):
        """The configured block of one step kind, or None when the campaign does not offer it."""
        return next((block for block in self.action_steps if block.block_type == kind), None)

    def email_step(self):
        """The campaign's "email the targets" block, or None when it offers no email action."""
        return self.step_block("email")

    def call_targets(self) -> list[tuple]:
        """(target, ask) pairs to call: the call step's own choice, else every campaign target."""
        asks = {ct.target_id: (ct.target, ct.ask) for ct in self.campaign_targets.select_related("target")}
        block = self.step_block("call")
        chosen = [target for target in (block.value.get("targets") or [] if block else []) if target is not None]
        if not chosen:
            return list(asks.values())
        return [(target, asks.get(target.pk, (target, ""))[1]) for target in chosen]

    def email_campaign(self, request=None, *, done=frozenset()) -> compose.EmailCampaign:
        """The email action as plain values for ``actions.outbox`` (which never imports cms)."""
        step = self.email_step()
        if step is None:
            raise Http404("This campaign has no email action")
        value = step.value
        chosen = {target.pk for target in value.get("targets") or [] if target is not None}
        reached = [
            (ct.target_for_email(), ct.ask)
            for ct in self.campaign_targets.select_related("target")
            if not chosen or ct.target_id in chosen
        ]
        specs = [translations.target_spec(self, t, ask) for t, ask in reached if t.channel != Target.Delivery.NONE]
        page_url = request.build_absolute_uri(self.url) if request is not None else (self.full_url or "")
        following = self.next_step(set(done) | {"email"})
        return compose.EmailCampaign(
            campaign_id=self.campaign_id,
            title=self.title,
            sender_name=self.sender_name,
            subject_template=value["subject"],
            body_template=value["body"],
            targets=specs,
            page_url=page_url,
            next_step_heading=following.value["heading"] if following else "",
            next_step_url=page_url if following else "",
            next_step_kind=following.block_type if following else "",
        )

    def email_drafts(self, campaign: compose.EmailCampaign, *, supporter=None, personal_note="", hints=True):
        """Each target's message, personalised for ``supporter`` (or with our hints)."""
        values = compose.supporter_values(supporter=supporter, personal_note=personal_note, hints=hints)
        return [compose.message_render(campaign=campaign, spec=spec, values=values) for spec in campaign.targets]

    # --- URLs -----------------------------------------------------------------------------------

    def route_url(self, name: str, **kwargs) -> str:
        """The URL of one of the routes below, by its name. Each step's entry route is named by
        its kind ("sign", "email", "call", "share"), so this is also where a step lives."""
        if not kwargs:
            return site_cache.route_url(self, name)
        return self.url + self.reverse_subpage(name, kwargs=kwargs)

    def one_click_url(self, *, supporter, kind: str) -> str:
        """A signed, expiring link for an email to this supporter: it opens a page showing what
        will happen and one button. For the thank-you email and any other supporter email."""
        return action_link_url(campaign_url=self.full_url, kind=kind, campaign_id=self.campaign_id, supporter=supporter)

    # --- Routes: each hands the page to its view in cms/steps/ ----------------------------------

    @path("", name="sign")
    def campaign(self, request):
        return CampaignPageView.as_view(page=self)(request)

    @path("thanks/", name="thanks")
    def thanks(self, request):
        return ThanksView.as_view(page=self)(request)

    @path("sign/", name="sign_one_button")
    def sign_one_button(self, request):
        return SignOneButtonView.as_view(page=self)(request)

    @path("forget/", name="forget")
    def forget(self, request):
        return ForgetView.as_view(page=self)(request)

    @path("email/", name="email")
    def email(self, request):
        return EmailStepView.as_view(page=self)(request)

    @path("email/sent/", name="email_sent")
    def email_sent(self, request):
        return EmailSentView.as_view(page=self)(request)

    @path("email/report/", name="email_report")
    def email_report(self, request):
        return EmailReportView.as_view(page=self)(request)

    @path("call/", name="call")
    def call(self, request):
        return CallStepView.as_view(page=self)(request)

    @path("call/log/", name="call_log")
    def call_log(self, request):
        return CallLogView.as_view(page=self)(request)

    @path("call/me/", name="call_me")
    def call_me(self, request):
        return CallMeView.as_view(page=self)(request)

    @path("call/me/<uuid:session_id>/", name="call_me_state")
    def call_me_state(self, request, session_id):
        return CallMeStateView.as_view(page=self)(request, session_id=session_id)

    @path("call/me/callback/<uuid:callback_id>/cancel/", name="call_me_callback_cancel")
    def call_me_callback_cancel(self, request, callback_id):
        return CallbackCancelView.as_view(page=self)(request, callback_id=callback_id)

    @path("share/", name="share")
    def share(self, request):
        return ShareStepView.as_view(page=self)(request)

    @path("share/log/", name="share_log")
    def share_log(self, request):
        return ShareLogView.as_view(page=self)(request)

    @path("embed/", name="embed")
    def embed(self, request):
        return EmbedView.as_view(page=self)(request)

    @path("go/<str:kind>/<str:payload>/<str:stamp>/<str:signature>/", name="one_click")
    def one_click(self, request, **link):
        return OneClickView.as_view(page=self)(request, **link)
