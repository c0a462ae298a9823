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


DEFAULT_EMAIL_SUBJECT = "A constituent asks: {ask}"
DEFAULT_EMAIL_BODY = """{salutation},

I am writing as a constituent to ask you to act:

{ask}

{personal_note}

Thank you for your time.

Sincerely,
{full_name}
{city} {postal_code}"""


def _placeholder_help() -> str:
    return "Placeholders: " + ", ".join("{" + name + "}" for name in placeholders.ALL_PLACEHOLDERS) + "."


class EmailStepBlock(blocks.StructBlock):
    """The "email the targets" action: the message templates and what supporters may change.

    A StructBlock's ``clean()`` runs when the page is saved, so a template with an unknown
    placeholder is refused with the error shown next to the field.
    """

    heading = blocks.CharBlock(default="Email the decision makers", max_length=120)
    button_label = blocks.CharBlock(default="Send my emails", max_length=60)
    subject = blocks.CharBlock(default=DEFAULT_EMAIL_SUBJECT, max_length=200, help_text=_placeholder_help())
    body = blocks.TextBlock(default=DEFAULT_EMAIL_BODY, help_text=_placeholder_help())
    supporters_may_edit = blocks.BooleanBlock(
        required=False, default=True, help_text="Let supporters change the subject and text before sending."
    )
    min_body_length = blocks.IntegerBlock(default=50, min_value=0, help_text="Shortest message text accepted.")
    max_body_length = blocks.IntegerBlock(default=5000, min_value=1, help_text="Longest message text accepted.")
    targets = blocks.ListBlock(
        SnippetChooserBlock("actions.Target"),
        default=[],
        min_num=0,
        help_text="Who receives the email. Leave empty for all of the campaign's targets.",
    )

    class Meta:
        icon = "mail"
        label = "Email the targets"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        for name in ("subject", "body"):
            try:
                placeholders.validate(value.get(name) or "")
            except placeholders.PlaceholderError as exc:
                errors[name] = ValidationError(str(exc))
        if (value.get("min_body_length") or 0) > (value.get("max_body_length") or 0):
            errors["max_body_length"] = ValidationError("Must be at least the shortest length.")
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


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
