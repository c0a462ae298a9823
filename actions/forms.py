"""Forms bind and clean supporter input; they never write (services do)."""

import copy
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .fill_time import started_token
from .models import Supporter
from .text import clean_line, clean_paragraphs, clean_ref, clean_source, email_key

COUNTRY_CHOICES = [("US", _("United States")), ("ZZ", _("Outside the United States"))]
US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
COMMENT_MAX_LENGTH = 500


def too_long(form, field: str, value: str) -> str:
    """The error for a cleaned value longer than its field allows, or "".

    Django checks ``max_length`` on the text as typed, but cleaning can make it longer: NFC
    writes some letters as several code points (U+FB2C becomes three), and upper-casing turns
    "ß" into "SS". What is stored is the cleaned value, so the limit is checked on that too.
    """
    limit = form.fields[field].max_length
    if limit is None or len(value) <= limit:
        return ""
    return _("Please use at most %(limit)s characters.") % {"limit": limit}


class FieldsCopiedLightly(dict):
    """A form's ``base_fields`` whose per-form copy skips ``copy.deepcopy``'s generic machinery.

    Every form deep-copies its class's fields, so each instance may change its own. Django's
    ``Field.__deepcopy__`` and ``Widget.__deepcopy__`` already copy little (the object, the
    widget, its ``attrs``, the error messages, the validators list, a choice field's choices);
    the time goes into ``copy``'s reduce-and-reconstruct path and its memo. This makes those same
    copies directly, about a tenth of the petition POST's CPU before. Fields that nest other
    fields or widgets (``MultiValueField``, ``MultiWidget``) still get a real deep copy.
    """

    def __deepcopy__(self, memo):
        return {name: _field_copy(field, memo) for name, field in self.items()}


def _shallow(obj):
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


def _field_copy(field, memo):
    if isinstance(field, forms.MultiValueField) or isinstance(field.widget, forms.MultiWidget):
        return copy.deepcopy(field, memo)
    new = _shallow(field)
    new.widget = _shallow(field.widget)
    new.widget.attrs = field.widget.attrs.copy()
    if isinstance(field.widget, forms.widgets.ChoiceWidget):
        new.widget.choices = copy.copy(field.widget.choices)
    new.error_messages = field.error_messages.copy()
    new.validators = field.validators[:]
    if isinstance(field, forms.ChoiceField):
        new._choices = copy.deepcopy(field._choices, memo)
    return new


class SupporterFieldsMixin:
    def clean_email(self):
        value = self.cleaned_data["email"].strip()
        # The key we find supporters by lower-cases the address, and lower-casing can lengthen it
        # ("\u0130" becomes two code points): keep it within what an address may be.
        if len(email_key(value)) > Supporter._meta.get_field("email").max_length:
            raise forms.ValidationError(_("Please enter a shorter email address."))
        return value

    def clean_first_name(self):
        return self._clean_name("first_name")

    def clean_last_name(self):
        return self._clean_name("last_name")

    def clean_city(self):
        value = clean_line(self.cleaned_data.get("city", ""))
        if error := too_long(self, "city", value):
            raise forms.ValidationError(error)
        return value

    def _clean_name(self, field):
        value = clean_line(self.cleaned_data.get(field, ""))
        if not value:
            raise forms.ValidationError(_("Please enter your name."))
        if not any(char.isalpha() for char in value):
            raise forms.ValidationError(_("Please enter a name with at least one letter."))
        if error := too_long(self, field, value):
            raise forms.ValidationError(error)
        return value


class SignForm(SupporterFieldsMixin, forms.Form):
    """The petition form. Unknown extra fields are ignored; every error is shown by its field."""

    first_name = forms.CharField(max_length=100, label=_("First name"))
    last_name = forms.CharField(max_length=100, label=_("Last name"))
    email = forms.EmailField(max_length=254, label=_("Email"))
    city = forms.CharField(max_length=100, label=_("City"), required=False)
    country = forms.ChoiceField(choices=COUNTRY_CHOICES, initial="US", label=_("Country"))
    postal_code = forms.CharField(max_length=20, label=_("ZIP code"), required=False)
    comment = forms.CharField(
        label=_("Public comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
        max_length=COMMENT_MAX_LENGTH,
    )
    consent = forms.BooleanField(required=False)
    # Honeypot: hidden from people by CSS and from assistive technology by aria-hidden.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    source = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    ref = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)

    def __init__(self, *args, consent_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_text or _("Send me updates about this campaign.")
        self.fields["email"].widget.attrs.update(autocomplete="email", inputmode="email")
        self.fields["first_name"].widget.attrs.update(autocomplete="given-name")
        self.fields["last_name"].widget.attrs.update(autocomplete="family-name")
        self.fields["city"].widget.attrs.update(autocomplete="address-level2")
        self.fields["postal_code"].widget.attrs.update(autocomplete="postal-code", inputmode="numeric")
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        if not self.is_bound:
            self.fields["started"].initial = started_token()

    def signer(self) -> dict:
        """The signer's cleaned details, as ``intake.signature_create`` takes them."""
        data = self.cleaned_data
        fields = ("first_name", "last_name", "email", "city", "postal_code", "country", "comment", "consent")
        return {name: data[name] for name in fields}

    @property
    def signer_name(self) -> str:
        return f"{self.cleaned_data['first_name']} {self.cleaned_data['last_name']}"

    def clean_comment(self):
        return clean_paragraphs(self.cleaned_data.get("comment", ""))

    def clean_source(self):
        return clean_source(self.cleaned_data.get("source", ""))

    def clean_ref(self):
        return clean_ref(self.cleaned_data.get("ref", ""))

    def clean(self):
        data = super().clean()
        country = data.get("country")
        postal_code = clean_line(data.get("postal_code", "")).upper()
        if country == "US":
            if not postal_code:
                self.add_error("postal_code", _("Please enter your ZIP code."))
            elif not US_ZIP.match(postal_code):
                self.add_error("postal_code", _("Please enter a 5-digit ZIP code, like 95110."))
        elif error := too_long(self, "postal_code", postal_code):
            self.add_error("postal_code", error)
        data["postal_code"] = postal_code
        return data


# The petition is the form a spike posts: its fields are copied per form without deepcopy.
SignForm.base_fields = FieldsCopiedLightly(SignForm.base_fields)


class EmailForm(SupporterFieldsMixin, forms.Form):
    """The "email the targets" form: who the supporter is (unless recognised) and, per target,
    the subject and text when the campaign lets supporters edit them.

    Per-target fields are named ``subject_<target id>`` and ``body_<target id>``; the view passes
    the text each one starts with (``initial_texts``) so an unchanged message can be rendered
    again on the server with the supporter's real details.
    """

    first_name = forms.CharField(max_length=100, label=_("First name"))
    last_name = forms.CharField(max_length=100, label=_("Last name"))
    email = forms.EmailField(max_length=254, label=_("Email"))
    postal_code = forms.CharField(max_length=20, label=_("ZIP code"))
    city = forms.CharField(max_length=100, label=_("City"), required=False)
    personal_note = forms.CharField(
        label=_("Add a few words of your own (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(
        self,
        *args,
        targets=(),
        recognised=False,
        editable=False,
        ask_note=False,
        min_length=0,
        max_length=5000,
        initial_texts=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        self.editable = editable
        self.min_length, self.max_length = min_length, max_length
        if recognised:
            for name in ("first_name", "last_name", "email", "postal_code", "city"):
                del self.fields[name]
        else:
            self.fields["email"].widget.attrs.update(autocomplete="email", inputmode="email")
            self.fields["first_name"].widget.attrs.update(autocomplete="given-name")
            self.fields["last_name"].widget.attrs.update(autocomplete="family-name")
            self.fields["postal_code"].widget.attrs.update(autocomplete="postal-code", inputmode="numeric")
            self.fields["city"].widget.attrs.update(autocomplete="address-level2")
        if editable or not ask_note:
            del self.fields["personal_note"]
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        for target in self.targets if editable else ():
            subject, body = (initial_texts or {}).get(target.pk, ("", ""))
            self.fields[f"subject_{target.pk}"] = forms.CharField(
                label=_("Subject for %(name)s") % {"name": target.name}, max_length=200, initial=subject
            )
            self.fields[f"body_{target.pk}"] = forms.CharField(
                label=_("Message to %(name)s") % {"name": target.name},
                initial=body,
                widget=forms.Textarea(attrs={"rows": 12, "maxlength": max_length}),
            )

    def clean_postal_code(self):
        value = clean_line(self.cleaned_data.get("postal_code", "")).upper()
        if not US_ZIP.match(value):
            raise forms.ValidationError(_("Please enter a 5-digit ZIP code, like 95110."))
        return value

    def clean_personal_note(self):
        return clean_paragraphs(self.cleaned_data.get("personal_note", ""))

    def clean(self):
        data = super().clean()
        for target in self.targets if self.editable else ():
            subject_key, body_key = f"subject_{target.pk}", f"body_{target.pk}"
            if subject_key in data:
                data[subject_key] = clean_line(data[subject_key])
                if not data[subject_key]:
                    self.add_error(subject_key, _("Please give the email a subject."))
                elif error := too_long(self, subject_key, data[subject_key]):
                    self.add_error(subject_key, error)
            if body_key in data:
                body = clean_paragraphs(data[body_key])
                data[body_key] = body
                if len(body) < self.min_length:
                    self.add_error(
                        body_key, _("Please write at least %(count)s characters.") % {"count": self.min_length}
                    )
                elif len(body) > self.max_length:
                    self.add_error(
                        body_key, _("Please keep the message under %(count)s characters.") % {"count": self.max_length}
                    )
        return data

    def edited_texts(self) -> dict[int, tuple[str, str]]:
        """{target id: (subject, body)} as the supporter submitted them (editable campaigns only)."""
        if not self.editable:
            return {}
        return {t.pk: (self.cleaned_data[f"subject_{t.pk}"], self.cleaned_data[f"body_{t.pk}"]) for t in self.targets}

    def target_fields(self):
        """(target, subject field, body field) for the template, in target order."""
        return [(t, self[f"subject_{t.pk}"], self[f"body_{t.pk}"]) for t in self.targets if self.editable]


class CallMeForm(SupporterFieldsMixin, forms.Form):
    """Who asks to be called, for a supporter the site does not recognise yet: the same details
    as the email step asks (name, email, ZIP). The phone number itself is checked by
    ``actions.calls.services`` and its error shown by its own field."""

    first_name = forms.CharField(max_length=100, label=_("First name"))
    last_name = forms.CharField(max_length=100, label=_("Last name"))
    email = forms.EmailField(max_length=254, label=_("Email"))
    postal_code = forms.CharField(max_length=20, label=_("ZIP code"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="call-me-%s", **kwargs)
        self.fields["email"].widget.attrs.update(autocomplete="email", inputmode="email")
        self.fields["first_name"].widget.attrs.update(autocomplete="given-name")
        self.fields["last_name"].widget.attrs.update(autocomplete="family-name")
        self.fields["postal_code"].widget.attrs.update(autocomplete="postal-code", inputmode="numeric")

    def clean_postal_code(self):
        value = clean_line(self.cleaned_data.get("postal_code", "")).upper()
        if not US_ZIP.match(value):
            raise forms.ValidationError(_("Please enter a 5-digit ZIP code, like 95110."))
        return value
