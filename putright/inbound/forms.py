"""What staff type when dealing with an email in triage. Shape only: the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from putright.casework.forms.intake import ComplaintLogForm
from putright.casework.permissions import visible_complaints
from putright.complaints.models import Channel, Complaint
from putright.core.forms import GovukForm
from putright.inbound.models import InboundMessage
from putright.inbound.services import REFERENCE


class FileForm(GovukForm):
    """File the email on a complaint the person may see, named by its reference."""

    reference = forms.CharField(
        label="Complaint reference",
        help_text="For example, C-2026-00042",
        max_length=30,
        error_messages={"required": "Enter the reference of the complaint to file the email on"},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        self.user = user
        self.complaint: Complaint | None = None
        super().__init__(*args, **kwargs)

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip().upper()
        if not REFERENCE.fullmatch(reference):
            raise forms.ValidationError(
                "Enter a complaint reference in the correct format, like C-2026-00042"
            )
        # A confidential complaint the person may not see reads as not there, as on its page.
        self.complaint = visible_complaints(self.user).filter(reference=reference).first()
        if self.complaint is None:
            raise forms.ValidationError(f"There is no complaint with the reference {reference}")
        return reference


class DismissForm(GovukForm):
    reason = forms.CharField(
        label="Why it is not a complaint",
        help_text="For example, a repair request passed to the repairs team, or spam",
        widget=forms.Textarea,
        error_messages={"required": "Enter why you are dismissing the email"},
    )


class EmailComplaintLogForm(ComplaintLogForm):
    """The casework form for logging a complaint, less what the email fixes: it came in by
    email, and was received when it arrived (Code 6.2)."""

    FIXED = ("channel", "received_at", "received_time")

    def __init__(self, *args: Any, message: InboundMessage, **kwargs: Any):
        self.message = message
        super().__init__(*args, **kwargs)
        for name in self.FIXED:
            del self.fields[name]

    def service_arguments(self) -> dict[str, Any]:
        # The parent reads these from the fields removed above; ``message_log_complaint`` sets
        # both itself from the message, so they are dropped again.
        self.cleaned_data.setdefault("channel", Channel.EMAIL)
        self.cleaned_data.setdefault("received_datetime", self.message.received_at)
        arguments = super().service_arguments()
        del arguments["channel"], arguments["received_at"]
        return arguments
