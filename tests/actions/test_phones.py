"""Phone numbers in E.164 (actions/phones.py), and a target's number checked when it is saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import Target
from actions.phones import PhoneError, phone_display, phone_is_callable, phone_parse, tel_href
from tests.factories import TargetFactory


@pytest.mark.parametrize(
    ("typed", "e164", "extension"),
    [
        ("(408) 299-7400", "+14082997400", ""),
        ("408.299.7400", "+14082997400", ""),
        ("+1 (916) 445-2841", "+19164452841", ""),
        ("(408) 299-7400 ext. 12", "+14082997400", "12"),
        ("+855 23 216 666", "+85523216666", ""),
        ("+44 20 7946 0018", "+442079460018", ""),
    ],
)
def test_numbers_are_stored_in_e164_with_the_extension_apart(typed, e164, extension):
    phone = phone_parse(typed)
    assert (phone.e164, phone.extension) == (e164, extension)


@pytest.mark.parametrize("typed", ["", "hello", "123", "(408) 299-740", "+1 555 0100"])
def test_what_is_not_a_number_is_refused_with_a_sentence(typed):
    with pytest.raises(PhoneError) as caught:
        phone_parse(typed)
    assert str(caught.value).endswith(".")


def test_tel_links_are_international_and_keep_the_extension():
    assert tel_href("+14082997400") == "tel:+14082997400"
    assert tel_href("+14082997400", "12") == "tel:+14082997400;ext=12"
    # A number stored before the migration (national digits) still gets an international link.
    assert tel_href("(408) 299-7400") == "tel:+14082997400"
    assert tel_href("") == "" and tel_href("not a number") == ""


def test_display_is_national_at_home_and_international_abroad():
    assert phone_display("+14082997400") == "(408) 299-7400"
    assert phone_display("+14082997400", "12") == "(408) 299-7400 ext. 12"
    assert phone_display("+85523216666") == "+855 23 216 666"


def test_premium_and_invalid_numbers_are_never_callable():
    assert phone_is_callable("+14082997400")
    assert not phone_is_callable("+19005550100")  # US premium rate
    assert not phone_is_callable("+911")
    assert not phone_is_callable("911")


@pytest.mark.django_db
def test_target_clean_normalises_and_refuses_a_bad_number():
    target = TargetFactory.build(phone="(408) 299-7400 x 7")
    target.full_clean(exclude=["photo"])
    assert (target.phone, target.phone_extension, target.tel_href) == ("+14082997400", "7", "tel:+14082997400;ext=7")
    target.phone = "299-74"
    with pytest.raises(ValidationError) as caught:
        target.full_clean(exclude=["photo"])
    assert "phone" in caught.value.message_dict


def _target_form(**fields):
    return {
        "name": "Jeff Rosen",
        "title": "District Attorney",
        "salutation": "",
        "email": "",
        "phone": "(408) 299-7400",
        "phone_extension": "",
        "office_hours": "Mon-Fri 08:00-17:00",
        "time_zone": "America/Los_Angeles",
        "contact_form_url": "",
        "postal_address": "",
        "delivery": "none",  # phone only: a mail-client target needs an address (issue 20)
        "digest_hour": 8,
        "max_messages_per_hour": 0,
        "note": "",
        **fields,
    }


@pytest.mark.django_db
def test_admin_stores_e164_and_shows_a_clear_error_next_to_the_phone(admin_client):
    add_url = reverse("wagtailsnippets_actions_target:add")
    response = admin_client.post(add_url, _target_form(phone="408 299 740"))
    assert response.status_code == 200
    assert "This is not a valid phone number" in response.content.decode()
    assert not Target.objects.exists()
    response = admin_client.post(add_url, _target_form(phone="(408) 299-7400 ext. 12"))
    assert response.status_code == 302
    assert Target.objects.values_list("phone", "phone_extension").get() == ("+14082997400", "12")


@pytest.mark.django_db
def test_migration_converts_existing_numbers():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("actions.migrations.0007_target_phone_e164")
    good = TargetFactory(phone="(916) 445-2841 ext. 3")
    bad = TargetFactory(phone="call the front desk")
    migration.phones_to_e164(apps, None)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.phone, good.phone_extension) == ("+19164452841", "3")
    assert bad.phone == "call the front desk"
