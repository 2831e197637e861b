"""Sign-in form: email address and password, in GOV.UK markup."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from putright.core.forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    # The account's email address is its username; matching ignores case (accounts.models).
    username = forms.CharField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Enter your email address"},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    error_messages = {
        # One message for a wrong address, a wrong password or a closed account, so the page
        # never tells a stranger which addresses have accounts.
        "invalid_login": "The email address or password is not correct",
        "inactive": "The email address or password is not correct",
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            # Shown beside the email address too, where the error summary's link lands.
            self.add_error("username", error)
            return self.cleaned_data
