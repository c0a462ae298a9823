"""Composing: a campaign's message (or call script) filled in for one target and one supporter.

Templates use the safe placeholders of ``actions.placeholders``; every value is cleaned to one
line (a personal note keeps its paragraphs) before it is inserted, and inserted as plain text,
so nothing a supporter types is read as a template or reaches a header with a line break.
``cms`` builds an ``EmailCampaign`` from the page: ``actions`` never imports ``cms``.
"""

from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import quote

from django.conf import settings

from .. import placeholders
from ..models import OutboundMessage, Supporter, Target
from ..text import clean_line, clean_paragraphs

SUBJECT_MAX_LENGTH = OutboundMessage._meta.get_field("subject").max_length

# What a supporter sees in a message before we know their name; replaced by their own cleaned
# details when they send (and by nothing else: their text is never read as a template).
SUPPORTER_HINTS = {
    "first_name": "[your first name]",
    "last_name": "[your last name]",
    "full_name": "[your name]",
    "city": "[your city]",
    "postal_code": "[your ZIP code]",
    "personal_note": "",
}


@dataclass(frozen=True)
class TargetSpec:
    """One target of the email step. The templates, when set, replace the campaign's for this
    target: a translated page writes to an English-speaking office from the English text."""

    target: Target
    ask: str = ""
    subject_template: str = ""
    body_template: str = ""


@dataclass(frozen=True)
class EmailCampaign:
    """Everything about a campaign's email action that the outbox needs, as plain values."""

    campaign_id: int
    title: str
    sender_name: str
    subject_template: str
    body_template: str
    targets: list[TargetSpec]
    page_url: str = ""
    next_step_heading: str = ""
    next_step_url: str = ""
    # The next step's kind ("sign", "call", ...): the thank-you links to it with a one-click link.
    next_step_kind: str = ""


@dataclass(frozen=True)
class Draft:
    """The message a supporter sends to one target, fully personalised."""

    target: Target
    subject: str
    body: str


def supporter_values(*, supporter: Supporter | None, personal_note: str = "", hints: bool = False) -> dict:
    """Placeholder values for the supporter, each cleaned to one line (the note keeps paragraphs)."""
    if supporter is None:
        return dict(SUPPORTER_HINTS) if hints else {name: "" for name in SUPPORTER_HINTS}
    return {
        "first_name": clean_line(supporter.first_name),
        "last_name": clean_line(supporter.last_name),
        "full_name": clean_line(supporter.full_name),
        "city": clean_line(supporter.city),
        "postal_code": clean_line(supporter.postal_code),
        "personal_note": clean_paragraphs(personal_note),
    }


def target_values(*, spec: TargetSpec) -> dict:
    target = spec.target
    return {
        "target_name": clean_line(target.name),
        "target_title": clean_line(target.title),
        "salutation": clean_line(target.salutation) or f"Dear {clean_line(target.name)}",
        "ask": clean_line(spec.ask),
    }


def message_render(*, campaign: EmailCampaign, spec: TargetSpec, values: dict) -> Draft:
    """The campaign's templates filled in for one target. Values are inserted as plain text."""
    merged = {**values, **target_values(spec=spec)}
    subject_template = spec.subject_template or campaign.subject_template
    body_template = spec.body_template or campaign.body_template
    subject = clean_line(placeholders.render(subject_template, merged))[:SUBJECT_MAX_LENGTH]
    body = clean_paragraphs(placeholders.render(body_template, merged))
    return Draft(target=spec.target, subject=subject, body=body)


def script_render(*, template: str, spec: TargetSpec, supporter: Supporter | None) -> str:
    """A call script for one target, filled exactly like an email body (hints for a stranger)."""
    values = {**supporter_values(supporter=supporter, hints=supporter is None), **target_values(spec=spec)}
    return clean_paragraphs(placeholders.render(template, values))


def supporter_text_fill(text: str, *, supporter: Supporter) -> str:
    """Replace only our own bracketed hints in text a supporter edited, with their own details."""
    values = supporter_values(supporter=supporter)
    for name, hint in SUPPORTER_HINTS.items():
        if hint:
            text = text.replace(hint, values[name])
    return text


def supporter_subject_fill(text: str, *, supporter: Supporter) -> str:
    """A subject the supporter edited, with our hints replaced: one line, cut to what a subject
    holds. A subject that fitted the form can outgrow that once each "[your name]" in it becomes
    the supporter's name (up to 201 characters)."""
    return clean_line(supporter_text_fill(text, supporter=supporter))[:SUBJECT_MAX_LENGTH]


def from_name(*, supporter: Supporter, sender_name: str) -> str:
    """'Jane Doe via Free Kang Hen', one line, no characters that could break a header."""
    return clean_line(f"{supporter.full_name} via {sender_name}")[:250]


def header_address(name: str, address: str) -> str:
    """'"Name" <address>' with the name quoted for a header."""
    name = clean_line(name).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{name}" <{address}>' if name else address


def campaign_address() -> str:
    """The sending address on the organisation's own domain (never a supporter's)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def mailto_link(message: OutboundMessage) -> str:
    """A mailto: link with the personalised text, for offices we may not send to ourselves; empty
    when the office has no address (a mailto: to nobody, or to our review address, helps no one)."""
    if message.delivery != OutboundMessage.Delivery.MAILTO or not message.to_email or message.review:
        return ""
    query = f"subject={quote(message.subject, safe='')}&body={quote(message.body, safe='')}"
    return f"mailto:{quote(message.to_email, safe='@')}?{query}"
