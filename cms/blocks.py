"""StreamField blocks shared by the campaign pages.

A StreamField stores a page's body as an ordered list of typed blocks; editors add, reorder and
remove blocks in the admin. Each block renders with its own template under ``templates/blocks/``.
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from actions import placeholders

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3"]


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(max_length=250, help_text="Describe the picture for people who cannot see it.")
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_with_caption.html"


class PullQuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/pull_quote.html"


class TimelineEventBlock(blocks.StructBlock):
    date = blocks.DateBlock()
    date_precision = blocks.ChoiceBlock(
        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
        default="day",
        help_text="How much of the date to show.",
    )
    text = blocks.TextBlock()

    class Meta:
        icon = "date"


class TimelineBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=200)
    events = blocks.ListBlock(TimelineEventBlock())

    class Meta:
        icon = "history"
        template = "blocks/timeline.html"


class CallOutBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=200)
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    tone = blocks.ChoiceBlock(choices=[("info", "Information"), ("urgent", "Urgent")], default="info")

    class Meta:
        icon = "warning"
        template = "blocks/call_out.html"


class StoryBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="blocks/paragraph.html")
    image = ImageWithCaptionBlock()
    pull_quote = PullQuoteBlock()
    embed = EmbedBlock(help_text="A video or post link, e.g. a YouTube address.", template="blocks/embed.html")
    timeline = TimelineBlock()
    call_out = CallOutBlock()


# --- The actions a campaign offers, in the order editors choose ---------------------------------


class SignStepBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="Sign the petition", max_length=120)
    button_label = blocks.CharBlock(default="Sign now", max_length=60)

    class Meta:
        icon = "form"
        label = "Sign the petition"


class EmailStepBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="Email the decision makers", max_length=120)
    button_label = blocks.CharBlock(default="Send my emails", max_length=60)

    class Meta:
        icon = "mail"
        label = "Email the targets"


DEFAULT_CALL_SCRIPT = (
    "Hello, my name is {first_name} and I live in {city}. I'm calling with a request for "
    "{target_name}: {ask} Thank you for passing my message on."
)


class CallStepBlock(blocks.StructBlock):
    """The call step. The script uses the same safe ``{placeholder}`` syntax as the emails
    (``actions/placeholders.py``); an unknown placeholder is refused when the page is saved."""

    heading = blocks.CharBlock(default="Call their offices", max_length=120)
    targets = blocks.ListBlock(
        SnippetChooserBlock("actions.Target"),
        required=False,
        default=[],
        help_text="Whom to call, in order. Leave empty to call every target of this campaign.",
    )
    script = blocks.TextBlock(
        default=DEFAULT_CALL_SCRIPT,
        help_text="What the caller says. You can use: "
        + ", ".join("{" + name + "}" for name in placeholders.ALL_PLACEHOLDERS),
    )
    talking_points = blocks.ListBlock(
        blocks.CharBlock(max_length=200), required=False, default=[], help_text="Short points, one per line."
    )

    class Meta:
        icon = "mobile-alt"
        label = "Call the targets"

    def clean(self, value):
        value = super().clean(value)
        try:
            placeholders.validate(value.get("script", ""))
        except placeholders.PlaceholderError as error:
            raise StructBlockValidationError(block_errors={"script": ValidationError(str(error))}) from None
        return value


class ShareStepBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="Share with friends", max_length=120)

    class Meta:
        icon = "group"
        label = "Share"


class ActionStepsBlock(blocks.StreamBlock):
    """The ladder of actions: the first is shown on the page, each next one after the last."""

    sign = SignStepBlock()
    email = EmailStepBlock()
    call = CallStepBlock()
    share = ShareStepBlock()

    class Meta:
        block_counts = {kind: {"max_num": 1} for kind in ("sign", "email", "call", "share")}
