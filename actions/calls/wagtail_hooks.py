"""The organiser's controls for the call bridge, registered by ``actions/wagtail_hooks.py``:
each campaign's call switch (off, review, live; its caller ID and review number) and the
blocklist of numbers the bridge never rings nor connects to."""

from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import BlockedNumber, CallSwitch

SWITCH_HELP = (
    "<p>“Call me” rings supporters through Twilio and connects them to each office. It needs "
    "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN in the server's environment; without them the call "
    "step offers the offices' numbers only.</p><p><strong>Review</strong> connects every leg to the "
    "review number instead of the office: try the whole call safely. Switch to <strong>Live</strong> "
    "only once the offices' numbers are verified.</p>"
)


class CallSwitchViewSet(SnippetViewSet):
    model = CallSwitch
    icon = "mobile-alt"
    menu_label = "Call switches"
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["campaign", "mode", "caller_id", "updated_at"]
    list_filter = ["mode"]
    panels = [
        HelpPanel(content=SWITCH_HELP),
        FieldPanel("campaign"),
        FieldPanel("mode"),
        FieldRowPanel([FieldPanel("caller_id"), FieldPanel("review_number")]),
        FieldPanel("intro"),
    ]


class BlockedNumberViewSet(SnippetViewSet):
    model = BlockedNumber
    icon = "cross"
    menu_label = "Blocked numbers"
    menu_order = 230
    add_to_admin_menu = True
    list_display = ["__str__", "reason", "created_at"]
    panels = [FieldPanel("number"), FieldPanel("reason")]


register_snippet(CallSwitchViewSet)
register_snippet(BlockedNumberViewSet)
