"""Forms check a field's length limit on the cleaned value, the one that is stored; the petition
copies its fields per form without deepcopy."""

import copy
import unicodedata

from actions.forms import EmailForm, SignForm
from actions.text import email_key
from tests.factories import TargetFactory

# Typed as 40 characters; NFC writes each as three code points, so 120 once cleaned.
GROWS_UNDER_NFC = "\ufb2c" * 40


def test_the_characters_used_here_do_grow_when_cleaned():
    assert len(unicodedata.normalize("NFC", GROWS_UNDER_NFC)) == 120
    assert len(("\u00df" * 20).upper()) == 40


def sign_data(**fields):
    return {
        "first_name": "Sok",
        "last_name": "Chea",
        "email": "sok@example.org",
        "country": "US",
        "postal_code": "95110",
        **fields,
    }


def test_names_and_city_that_outgrow_their_field_once_cleaned_are_refused():
    for field in ("first_name", "last_name", "city"):
        form = SignForm(sign_data(**{field: GROWS_UNDER_NFC}))
        assert not form.is_valid()
        assert form.errors[field] == ["Please use at most 100 characters."]


def test_a_postal_code_that_outgrows_its_field_once_upper_cased_is_refused():
    form = SignForm(sign_data(country="ZZ", postal_code="\u00df" * 20))
    assert not form.is_valid()
    assert form.errors["postal_code"] == ["Please use at most 20 characters."]
    assert SignForm(sign_data(country="ZZ", postal_code="\u00df" * 10)).is_valid()


def test_an_email_subject_that_outgrows_its_field_once_cleaned_is_refused(db):
    target = TargetFactory()
    fields = {f"subject_{target.pk}": "\ufb2c" * 70, f"body_{target.pk}": "Please act now, for everyone's sake."}
    form = EmailForm(fields, targets=[target], recognised=True, editable=True)
    assert not form.is_valid()
    assert form.errors[f"subject_{target.pk}"] == ["Please use at most 200 characters."]


def test_an_address_whose_key_outgrows_its_column_is_refused():
    # 248 characters, valid, but lower-cased for the supporter key it is 437.
    address = "a@" + ".".join(["\u0130" * 63] * 3) + "." + "b" * 50 + ".com"
    assert len(address) <= 254 < len(email_key(address))
    form = SignForm(sign_data(email=address))
    assert not form.is_valid()
    assert form.errors["email"] == ["Please enter a shorter email address."]
    assert SignForm(sign_data(email=" Sok@Example.org ")).is_valid()


def test_each_sign_form_gets_its_own_copy_of_every_field_without_deepcopy():
    """The petition's fields are copied per form by FieldsCopiedLightly: what one form changes
    (its consent wording, a widget's attributes, an error message, choices) no other form sees."""
    from actions.forms import FieldsCopiedLightly

    assert isinstance(SignForm.base_fields, FieldsCopiedLightly)
    one, two = SignForm(consent_text="Updates from us"), SignForm()
    for name, field in one.fields.items():
        other, base = two.fields[name], SignForm.base_fields[name]
        assert field is not other and field is not base
        assert field.widget is not other.widget and field.widget.attrs is not other.widget.attrs
        assert field.error_messages is not other.error_messages and field.validators is not other.validators
        assert type(field) is type(base) and type(field.widget) is type(base.widget)
    assert one.fields["consent"].label == "Updates from us"
    assert two.fields["consent"].label == "Send me updates about this campaign."
    one.fields["email"].widget.attrs["placeholder"] = "you@example.org"
    one.fields["email"].error_messages["required"] = "Changed"
    one.fields["country"].choices = [("US", "Only here")]
    assert "placeholder" not in two.fields["email"].widget.attrs
    assert two.fields["email"].error_messages["required"] != "Changed"
    assert [c for c, _ in two.fields["country"].choices] == ["US", "ZZ"]
    assert [c for c, _ in SignForm.base_fields["country"].widget.choices] == ["US", "ZZ"]
    # The copies still validate and render as the fields they came from.
    bound = SignForm({"first_name": "Ana", "last_name": "Li", "email": "x", "country": "US"})
    assert not bound.is_valid() and "email" in bound.errors
    assert 'autocomplete="email"' in str(two["email"])


def test_fields_that_nest_fields_are_still_deep_copied():
    from django import forms

    from actions.forms import FieldsCopiedLightly

    fields = FieldsCopiedLightly(
        when=forms.SplitDateTimeField(), name=forms.CharField(widget=forms.TextInput(attrs={"size": 4}))
    )
    copied = copy.deepcopy(fields)
    assert copied["when"].fields[0] is not fields["when"].fields[0]  # a real deep copy
    assert copied["when"].widget.widgets[0] is not fields["when"].widget.widgets[0]
    assert copied["name"].widget.attrs == {"size": 4} and copied["name"].widget.attrs is not fields["name"].widget.attrs
