"""The embed's sign form: the petition's own ``SignForm`` plus the embed token and, when a
partner is known, the partner's separate opt-in box."""

from django import forms

from actions.forms import SignForm

from .embed_token import FIELD, embed_token


class EmbedSignForm(SignForm):
    embed_token = forms.CharField(required=False, widget=forms.HiddenInput)
    partner_consent = forms.BooleanField(required=False)

    def __init__(self, *args, campaign_id: int, partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        self.fields[FIELD].initial = embed_token(campaign_id=campaign_id, partner_id=partner.pk if partner else None)
        if partner is None:
            del self.fields["partner_consent"]
        else:
            self.fields["partner_consent"].label = partner.opt_in_label

    @property
    def partner_consented(self) -> bool:
        return self.partner is not None and bool(self.cleaned_data.get("partner_consent"))
