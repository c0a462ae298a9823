"""The Wagtail admin sign-in form, with attempts throttled per username and per client address.

Wagtail lets a project swap its login form through ``WAGTAILADMIN_USER_LOGIN_FORM``; this one
counts each attempt before checking the password, so guessing is slowed for one account from
many addresses and for many accounts from one address. A throttled attempt gets a plain form
error, not a 500, and the password is not even checked.
"""

from django import forms
from wagtail.admin.forms.auth import LoginForm

from .ratelimit import hit, limit_from_settings
from .recognition import address_hash, client_address

THROTTLED_MESSAGE = "Too many sign-in attempts. Please wait a few minutes and try again."


class ThrottledLoginForm(LoginForm):
    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip().lower()
        address = client_address(self.request) if self.request is not None else ""
        over_user = bool(username) and hit(
            scope="admin_login_user",
            key=address_hash(f"user:{username}"),
            limit=limit_from_settings("admin_login_user"),
        )
        over_address = bool(address) and hit(
            scope="admin_login_address",
            key=address_hash(address),
            limit=limit_from_settings("admin_login_address"),
        )
        if over_user or over_address:
            raise forms.ValidationError(THROTTLED_MESSAGE, code="throttled")
        return super().clean()
