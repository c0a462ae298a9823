"""Admin forms: a webhook subscription and an API token (both shown their secret once)."""

from django import forms
from django.core.exceptions import ValidationError

from cms.models import CampaignPage

from .models import EVENT_CHOICES, ApiToken
from .services import url_check


class _CampaignField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=CampaignPage.campaigns().order_by("title"), required=False, empty_label="Every campaign", **kwargs
        )


class SubscriptionForm(forms.Form):
    url = forms.URLField(label="Receiver URL", max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple)
    campaign = _CampaignField()
    personal_data = forms.BooleanField(
        required=False, label="Include supporters' names, email and postal address (action.created)"
    )
    contact_email = forms.EmailField(required=False, help_text="Told if the receiver keeps failing. Default: yours.")
    description = forms.CharField(required=False, max_length=200)

    def clean_url(self):
        try:
            return url_check(self.cleaned_data["url"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="Who uses it, e.g. Action Network sync.")
    scopes = forms.MultipleChoiceField(choices=ApiToken.Scope.choices, widget=forms.CheckboxSelectMultiple)
    campaign = _CampaignField()
