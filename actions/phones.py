"""Phone numbers: parsed, validated and stored in E.164 with Google's ``phonenumbers`` library.

A target's office number is stored as E.164 (``+14082997400``) with its extension apart, so that
``tel:`` links work from any phone and any VoIP app, and so that the call bridge dials exactly
what an editor checked. A number typed without a country code is read in ``PHONE_DEFAULT_REGION``
(the campaign's country). ``phone_is_callable`` refuses numbers the engine must never ring
(premium rate, shared cost, emergency and short codes), whoever asks.

Layer: bottom (imports nothing of the app).
"""

from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

# Kinds of numbers no call from the engine may ever reach, whoever typed them.
NEVER_CALLED_TYPES = frozenset({PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST, PhoneNumberType.UAN})


class PhoneError(ValueError):
    """A number that cannot be used; ``str(error)`` is a sentence for the person who typed it."""


@dataclass(frozen=True)
class Phone:
    e164: str
    extension: str = ""


def default_region() -> str:
    return getattr(settings, "PHONE_DEFAULT_REGION", "US") or "US"


def phone_parse(raw: str, *, region: str | None = None) -> Phone:
    """'(408) 299-7400 ext. 12' -> Phone('+14082997400', '12'); PhoneError when not a real number."""
    text = (raw or "").strip()
    if not text:
        raise PhoneError(_("Enter a phone number."))
    try:
        number = phonenumbers.parse(text, region or default_region())
    except NumberParseException:
        raise PhoneError(_("This does not look like a phone number.")) from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(_("This is not a valid phone number. Include the country code, e.g. +1 408 299 7400."))
    return Phone(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164), extension=(number.extension or "")[:10]
    )


def phone_display(e164: str, extension: str = "") -> str:
    """How people read the number: national in the default region ('(408) 299-7400'), else international."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, default_region())
    except NumberParseException:
        return e164
    in_region = phonenumbers.region_code_for_number(number) == default_region()
    text = phonenumbers.format_number(
        number, PhoneNumberFormat.NATIONAL if in_region else PhoneNumberFormat.INTERNATIONAL
    )
    return f"{text} ext. {extension}" if extension else text


def tel_href(e164: str, extension: str = "") -> str:
    """'+14082997400' -> 'tel:+14082997400' (RFC 3966; an extension as ';ext=12'). A stored
    number that is not E.164 yet (before an editor saves it again) is parsed on the way."""
    if not e164:
        return ""
    if not e164.startswith("+") or not e164[1:].isdigit():
        try:
            phone = phone_parse(e164)
        except PhoneError:
            return ""
        e164, extension = phone.e164, extension or phone.extension
    return f"tel:{e164};ext={extension}" if extension else f"tel:{e164}"


def phone_is_callable(e164: str) -> bool:
    """False for numbers the engine never rings: premium and shared-cost lines, emergency and
    other short numbers, and anything that is not a valid number."""
    try:
        number = phonenumbers.parse(e164, default_region())
    except NumberParseException:
        return False
    if not phonenumbers.is_valid_number(number):
        return False
    region = phonenumbers.region_code_for_number(number) or default_region()
    national = phonenumbers.national_significant_number(number)
    if phonenumbers.is_emergency_number(national, region):
        return False
    return phonenumbers.number_type(number) not in NEVER_CALLED_TYPES
