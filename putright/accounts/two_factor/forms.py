"""The one-box forms of the second factor, in GOV.UK wording."""

from __future__ import annotations

import math
import re

from django import forms
from django.core.exceptions import ValidationError

from putright.core.forms import GovukForm

# What people type besides the code itself: spaces and dashes that apps show for readability.
_SEPARATORS = re.compile(r"[\s\-]")

WRONG_CODE = "The code is not correct. Enter the code your authenticator app shows now"
WRONG_BACKUP_CODE = (
    "The backup code is not correct, or has been used. Enter a backup code you have not used"
)


def wait_message(seconds: int) -> str:
    if seconds < 90:
        wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        minutes = math.ceil(seconds / 60)
        wait = f"{minutes} minutes"
    return f"Too many wrong codes have been entered. Wait {wait}, then try again"


class CodeForm(GovukForm):
    """A 6-digit code from an authenticator app."""

    code = forms.CharField(
        label="Enter the code from your authenticator app",
        help_text="This is the 6-digit code the app shows for PutRight. It changes every 30 "
        "seconds.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter the code from your authenticator app"},
    )

    def clean_code(self) -> str:
        code = _SEPARATORS.sub("", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError("The code must be 6 numbers")
        return code


class SetUpCodeForm(CodeForm):
    """The first code from an app being set up, below the steps that say where to find it."""

    code = forms.CharField(
        label="Enter the 6-digit code the app shows",
        widget=CodeForm.base_fields["code"].widget,
        error_messages={"required": "Enter the 6-digit code the app shows"},
    )


class BackupCodeForm(GovukForm):
    """One of the person's single-use backup codes (8 letters and numbers, django-otp's)."""

    code = forms.CharField(
        label="Enter one of your backup codes",
        help_text="You were given 10 backup codes when you set up your authenticator app. Each "
        "one works once.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter one of your backup codes"},
    )

    def clean_code(self) -> str:
        code = _SEPARATORS.sub("", self.cleaned_data["code"]).lower()
        if not re.fullmatch(r"[a-z2-7]{8}", code):
            raise ValidationError("The backup code must be 8 letters and numbers, like ab2cd3ef")
        return code
