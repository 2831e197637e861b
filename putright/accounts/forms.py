"""Sign-in and password forms, in GOV.UK markup and wording."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts
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


class _NewPasswordMixin:
    """The two new-password boxes of a password change or reset: GOV.UK labels, the rules of
    ``AUTH_PASSWORD_VALIDATORS`` as the hint, and a rule broken shown on the box it is about."""

    error_messages = {"password_mismatch": "The new passwords do not match"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = " ".join(password_validators_help_texts())
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"

    def clean(self):
        # Django checks the rules against the confirmation box; the person typed the password
        # in the first one, so that is where the message belongs.
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class PasswordChangeForm(GovukFormMixin, _NewPasswordMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        **_NewPasswordMixin.error_messages,
        "password_incorrect": "Your current password is not correct",
    }
    # Django's, without autofocus: GOV.UK pages never move the focus as they load.
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password"},
    )


class SetPasswordForm(GovukFormMixin, _NewPasswordMixin, auth_forms.SetPasswordForm):
    pass


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": "Enter your email address"},
    )
