"""Forms for the steps of a financial remedy: recording the offer, the resident's answer,
approval and payment. The forms check what was typed; the redress services decide whether the
step may happen."""

from __future__ import annotations

from typing import Any

from django import forms

from putright.casework.forms.responses import MoneyField, ResponseActionForm, _date_field
from putright.redress.models import HEADS_OF_LOSS, Compensation


class OfferForm(ResponseActionForm):
    """The amount split by heads of loss; the parts must add up to the remedy's amount."""

    ombudsman = forms.ChoiceField(
        label="Did the Housing Ombudsman order or recommend it?",
        choices=Compensation.Ombudsman.choices,
        widget=forms.RadioSelect,
        initial=Compensation.Ombudsman.NONE,
        error_messages={"required": "Select whether the Ombudsman ordered or recommended it"},
    )
    on = _date_field("Date of the offer")
    # The services' refusal about the whole split sits beside the first head.
    field_for_code = {"heads_do_not_add_up": "distress_pence"}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        heads = {
            field: MoneyField(
                label=label,
                error_label=label,
                required=False,
                help_text="In pounds and pence. Leave empty for none." if i == 0 else "",
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}
                ),
            )
            for i, (field, label) in enumerate(HEADS_OF_LOSS)
        }
        # Heads first, then the rest, in reading order.
        self.fields = {**heads, **self.fields}

    def heads(self) -> dict[str, int]:
        return {field: self.cleaned_data.get(field) or 0 for field, _ in HEADS_OF_LOSS}


class AnswerForm(ResponseActionForm):
    on = _date_field("Date the resident answered")
    note = forms.CharField(label="What the resident said", required=False, widget=forms.Textarea)


class ApproveForm(ResponseActionForm):
    on = _date_field("Date of approval")


class PayForm(ResponseActionForm):
    method = forms.ChoiceField(
        label="How was it paid?",
        choices=Compensation.Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how it was paid"},
    )
    reference = forms.CharField(
        label="Payment reference",
        required=False,
        max_length=100,
        help_text="From the payment system, so the payment can be evidenced to the Ombudsman. "
        "Needed unless it was offset against rent arrears.",
    )
    offset_agreed = forms.BooleanField(
        label="The resident agreed to the compensation being offset against their rent arrears",
        required=False,
    )
    on = _date_field("Date paid")
