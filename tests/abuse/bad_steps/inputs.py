"""Shared input for the bad-input tests of a campaign page's step routes (this package).

Hypothesis strategies for hostile text, the campaign pages every test uses, and a client that
a test can make recognised or not. Each test module holds only its own route family's input.
"""

import functools
import itertools

from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.factories import campaign_page, email_form_texts, email_target


def hypothesis_settings(examples: int):
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- Input --------------------------------------------------------------------------------------

# Any text the test client can encode (lone surrogates cannot be sent as UTF-8 at all).
ANY_CHAR = st.characters(exclude_categories=["Cs"])
ANY_TEXT = st.text(ANY_CHAR, max_size=200)
# Pieces that are hard on text handling: line breaks (email headers), NUL (PostgreSQL refuses it),
# invisible and bidi characters, our own "[your name]" hints and placeholders (filled in after
# validation), and characters whose normal form (NFC) is longer than they are, so text that fits
# a field before cleaning may not fit it after.
PIECES = [
    "\r\n",
    "\r",
    "\n",
    "\x00",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\u2028",
    "<b>",
    '"',
    "\ufb2c",
    "\u0958",
    "\U0001d160",
    "\u0130",
    "[your name]",
    "[your first name]",
    "[your city]",
    "[your ZIP code]",
    "{first_name}",
    "{{ settings.SECRET_KEY }}",
    "Bcc: x@example.com",
]
ODD_TEXT = st.lists(st.one_of(st.sampled_from(PIECES), ANY_CHAR), max_size=60).map("".join)
# Text up to a 100-character field limit, much of it characters that grow when cleaned: under NFC
# (Hebrew and Devanagari letters with marks, musical symbols) or when upper-cased (a ligature).
GROWING = ["\ufb2c", "\u0958", "\U0001d160", "\ufb03", "a", " "]
AT_LIMIT = st.tuples(st.text(st.sampled_from(GROWING), min_size=20, max_size=100), ANY_TEXT).map(
    lambda parts: (parts[0] + parts[1])[:100]
)
VALUE = st.one_of(ANY_TEXT, ODD_TEXT, AT_LIMIT)
# Addresses around the 254-character limit whose domain grows when lower-cased ("\u0130" is two
# code points in lower case), as it is for the key supporters are found by.
LONG_ADDRESS = st.lists(st.text(st.sampled_from(["\u0130", "a"]), min_size=1, max_size=63), min_size=2, max_size=4).map(
    lambda labels: "a@" + ".".join(labels) + ".org"
)
LONG_ADDRESS_EXAMPLE = "a@" + ".".join(["\u0130" * 63] * 3) + "." + "b" * 50 + ".com"
# A fresh address for each example, so that replaying one (while shrinking) starts from scratch
# instead of repeating an earlier example's action.
FRESH = itertools.count()


def email_step(**overrides):
    value = {
        "heading": "Email the decision makers",
        "button_label": "Send my emails",
        "subject": "Please act, {target_title}",
        "body": "{salutation},\n\nPlease act: {ask}\n\n{personal_note}\n\nSincerely,\n{full_name}\n{city} {postal_code}",
        "supporters_may_edit": True,
        "min_body_length": 20,
        "max_body_length": 2000,
        "targets": [],
    }
    value.update(overrides)
    return value


class Campaign:
    """The pages every test here uses: one where supporters may edit the emails and one where they
    may only add a note, both with two email targets and every step."""

    def __init__(self):
        self.targets = [
            email_target(name="Jeff Rosen", salutation="Dear District Attorney Rosen"),
            email_target(name="Gavin Newsom", title="Governor", salutation="Dear Governor Newsom"),
        ]
        self.elsewhere = email_target(name="Not on this campaign")
        steps = [("sign", {}), ("email", email_step()), ("call", {}), ("share", {})]
        self.page = campaign_page(targets=self.targets, action_steps=steps)
        # What a browser with JavaScript off submits for a visitor it does not recognise.
        self.texts = email_form_texts(Client(), self.page)
        assert len(self.texts) == 4

    @functools.cached_property
    def fixed_page(self):
        """Made only for the tests that use it: publishing a page takes a good part of a second."""
        steps = [("sign", {}), ("email", email_step(supporters_may_edit=False)), ("call", {}), ("share", {})]
        return campaign_page(targets=self.targets, action_steps=steps)

    def field_name(self, name: str) -> str:
        """'subject_0' -> 'subject_<pk of the first target>'; other names stay as they are."""
        prefix, _, index = name.rpartition("_")
        if prefix in ("subject", "body") and index in ("0", "1"):
            return f"{prefix}_{self.targets[int(index)].pk}"
        return name


def recognised_client(recognise, supporter=None) -> Client:
    client = Client(raise_request_exception=False)
    return recognise(client, supporter) if supporter is not None else client
