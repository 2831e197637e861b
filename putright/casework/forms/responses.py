"""Forms for responding, signing off, escalating, withdrawing, closing and refusing.

The forms check that what was typed is well formed (a real date, an amount of money, a finding
chosen for each point); the lifecycle services decide whether the step is allowed. A service's
refusal that names one point, remedy or action is shown beside that row's field.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.forms.boundfield import BoundField
from django.utils.html import format_html

from putright.casework.views.base import ActionForm
from putright.complaints.models import (
    CorrespondenceChannel,
    Document,
    Finding,
    Point,
    Refusal,
    RemedyKind,
    RootCause,
)
from putright.core.errors import DomainError
from putright.core.forms import GovukDateField
from putright.organisation.models import ExclusionReason

MAX_REMEDIES = 5
REMEDY_PARTS = ("kind", "description", "amount", "due_on", "resident_agreed")
MAX_ACTIONS = 5

# --- Money -----------------------------------------------------------------------------------

# Pounds with or without thousands commas ("1250", "1,250"), then optional pence.
_AMOUNT = re.compile(r"^(?P<pounds>\d{1,3}(?:,\d{3})+|\d*)(?:\.(?P<pence>\d*))?$")
MAX_PENCE = 1_000_000_000  # £10,000,000: far above any remedy, well inside the database column


class MoneyError(ValueError):
    """Why a typed amount is not an amount of money; ``code`` names the kind of mistake."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_pence(text: str) -> int:
    """An amount typed in pounds and pence, as whole pence: ``"£1,250.50"`` -> ``125050``.

    Accepts an optional pound sign, spaces, thousands commas in the right places and up to two
    decimal places ("12.5" is £12.50). Refuses negative amounts, more than two decimal places,
    anything that is not a number, and amounts of £10 million or more. Never uses floats.
    """
    cleaned = "".join(str(text).split())
    if "-" in cleaned or "\u2212" in cleaned:
        raise MoneyError("negative")
    if cleaned.startswith("£"):
        cleaned = cleaned[1:]
    match = _AMOUNT.match(cleaned)
    if match is None or not (match["pounds"] or match["pence"]):
        raise MoneyError("invalid")
    pence_digits = match["pence"]
    if pence_digits is not None and len(pence_digits) > 2:
        raise MoneyError("decimals")
    if pence_digits == "":
        raise MoneyError("invalid")  # "12." is probably a slip; ask for "12" or "12.00"
    amount = Decimal(match["pounds"].replace(",", "") or "0")
    if pence_digits:
        amount += Decimal(pence_digits.ljust(2, "0")) / 100
    pence = int(amount * 100)
    if pence >= MAX_PENCE:
        raise MoneyError("too_large")
    return pence


def format_pounds(pence: int | None, *, symbol: bool = True) -> str:
    """Whole pence as pounds and pence for people: ``125050`` -> ``"£1,250.50"``."""
    if pence is None:
        return ""
    text = f"{pence // 100:,}.{pence % 100:02d}"
    return f"£{text}" if symbol else text


class MoneyField(forms.CharField):
    """An amount in pounds and pence, typed in one box; cleans to whole pence (``int``)."""

    default_error_messages = {
        "invalid": "%(Label)s must be an amount of money, like 150 or 1,250.50",
        "negative": "%(Label)s cannot be negative",
        "decimals": "%(Label)s must have no more than 2 numbers after the decimal point",
        "too_large": "%(Label)s must be less than £10,000,000",
    }

    def __init__(self, *, error_label: str, **kwargs: Any):
        self.error_label = error_label
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_pence(text)
        except MoneyError as error:
            raise forms.ValidationError(
                self.error_messages[error.code],
                code=error.code,
                params={"Label": self.error_label},
            ) from None


# --- Shared pieces ---------------------------------------------------------------------------


def _visually_hidden_suffix(text: str, suffix: str) -> Any:
    """A label that reads "Kind" on screen and "Kind of remedy 2" to a screen reader."""
    return format_html('{}<span class="govuk-visually-hidden"> {}</span>', text, suffix)


def staff_choices() -> list[tuple[str, str]]:
    """Active staff who can handle complaints, as select choices (one query)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(
                groups__permissions__codename="handle_complaint",
                groups__permissions__content_type__app_label="complaints",
            )
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("full_name", "email")
        .values_list("pk", "full_name", "email")
    )
    return [(str(pk), name or email) for pk, name, email in users]


class ResponseActionForm(ActionForm):
    """An action form that can also move a service's field-less refusal beside a field."""

    # Refusal codes whose message belongs beside a field the service does not name.
    field_for_code: Mapping[str, str] = {}

    def add_domain_error(self, error: DomainError) -> None:
        field = self.field_for_code.get(error.code)
        if field in self.fields:
            self.add_error(field, error.message)
            return
        super().add_domain_error(error)


def _date_field(label: str, **kwargs: Any) -> GovukDateField:
    kwargs.setdefault("help_text", "For example, 27 3 2026")
    return GovukDateField(label=label, **kwargs)


# --- Drafting the response -------------------------------------------------------------------


class DraftResponseForm(ResponseActionForm):
    """A decision on every point of complaint, up to five remedies and five actions, and the
    root causes. Rows of remedies and actions left empty are ignored."""

    root_causes = forms.MultipleChoiceField(
        label="Root causes",
        choices=RootCause.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )

    def __init__(
        self,
        *args: Any,
        points: Iterable[Point],
        staff: list[tuple[str, str]],
        **kwargs: Any,
    ):
        self.points = list(points)
        super().__init__(*args, **kwargs)
        root_causes = self.fields.pop("root_causes")
        for point in self.points:
            n = point.number
            self.fields[f"point_{n}_finding"] = forms.ChoiceField(
                label=f"Finding on point {n}",
                choices=Finding.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Select the finding on point {n}"},
            )
            self.fields[f"point_{n}_reasons"] = forms.CharField(
                label=f"Reasons for the finding on point {n}",
                widget=forms.Textarea,
                help_text="The resident will read these reasons in the response.",
                error_messages={"required": f"Enter the reasons for the finding on point {n}"},
            )
        for i in range(1, MAX_REMEDIES + 1):
            suffix = f"of remedy {i}"
            self.fields[f"remedy_{i}_kind"] = forms.ChoiceField(
                label=_visually_hidden_suffix("Kind", suffix),
                choices=[("", "Choose a kind of remedy"), *RemedyKind.choices],
                required=False,
            )
            self.fields[f"remedy_{i}_description"] = forms.CharField(
                label=_visually_hidden_suffix("What will be done or given", f"for remedy {i}"),
                required=False,
                widget=forms.Textarea,
            )
            self.fields[f"remedy_{i}_amount"] = MoneyField(
                label=_visually_hidden_suffix("Amount", suffix),
                error_label=f"Amount of remedy {i}",
                required=False,
                help_text="For a financial remedy, in pounds and pence.",
            )
            # Code 7.3: what will happen and by when, agreed with the resident where possible.
            self.fields[f"remedy_{i}_due_on"] = _date_field(
                _visually_hidden_suffix("By when", f"for remedy {i}"),
                error_label=f"By when date of remedy {i}",
                required=False,
            )
            self.fields[f"remedy_{i}_resident_agreed"] = forms.ChoiceField(
                label=format_html(
                    'Did the resident agree<span class="govuk-visually-hidden"> to remedy {}'
                    "</span>?",
                    i,
                ),
                help_text="To what will happen and by when.",
                choices=[("", "Not known yet"), ("yes", "Yes"), ("no", "No")],
                required=False,
            )
        staff_options = [("", "No owner yet"), *staff]
        for i in range(1, MAX_ACTIONS + 1):
            suffix = f"of action {i}"
            self.fields[f"action_{i}_description"] = forms.CharField(
                label=_visually_hidden_suffix("What will be done", f"for action {i}"),
                required=False,
                widget=forms.Textarea,
            )
            self.fields[f"action_{i}_owner"] = forms.ChoiceField(
                label=_visually_hidden_suffix("Owner", suffix),
                choices=staff_options,
                required=False,
            )
            self.fields[f"action_{i}_due_on"] = _date_field(
                _visually_hidden_suffix("Due date", suffix),
                error_label=f"Due date of action {i}",
                required=False,
            )
        self.fields["root_causes"] = root_causes
        self._remedy_rows: list[int] = []
        self._action_rows: list[int] = []

    # Rows for the template ---------------------------------------------------------------

    def point_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "point": point,
                "finding": self[f"point_{point.number}_finding"],
                "reasons": self[f"point_{point.number}_reasons"],
            }
            for point in self.points
        ]

    def _rows(self, prefix: str, count: int, names: tuple[str, ...]) -> list[dict[str, Any]]:
        rows = []
        for i in range(1, count + 1):
            fields = {name: self[f"{prefix}_{i}_{name}"] for name in names}
            rows.append({"number": i, "filled": _row_has_input(fields.values()), **fields})
        return rows

    def remedy_rows(self) -> list[dict[str, Any]]:
        return self._rows("remedy", MAX_REMEDIES, REMEDY_PARTS)

    def action_rows(self) -> list[dict[str, Any]]:
        return self._rows("action", MAX_ACTIONS, ("description", "owner", "due_on"))

    def more_remedies_open(self) -> bool:
        """Rows after the first start folded away unless something is in them."""
        return any(row["filled"] for row in self.remedy_rows()[1:])

    def more_actions_open(self) -> bool:
        return any(row["filled"] for row in self.action_rows()[1:])

    # Cleaning ----------------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for i in range(1, MAX_REMEDIES + 1):
            names = [f"remedy_{i}_{part}" for part in REMEDY_PARTS]
            if not self._filled(names):
                continue
            if not data.get(names[0]) and names[0] not in self.errors:
                self.add_error(names[0], f"Select the kind of remedy {i}")
            if not data.get(names[1]) and names[1] not in self.errors:
                self.add_error(names[1], f"Describe remedy {i}")
        for i in range(1, MAX_ACTIONS + 1):
            names = [f"action_{i}_{part}" for part in ("description", "owner", "due_on")]
            if not self._filled(names):
                continue
            if not data.get(names[0]) and names[0] not in self.errors:
                self.add_error(names[0], f"Describe action {i}")
            if not data.get(names[2]) and names[2] not in self.errors:
                self.add_error(names[2], f"Enter the due date of action {i}")
        return data

    def _filled(self, names: list[str]) -> bool:
        """Whether the person typed anything in these fields (valid or not)."""
        return _row_has_input(self[name] for name in names)

    def decisions(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            point.number: (
                data.get(f"point_{point.number}_finding", ""),
                data.get(f"point_{point.number}_reasons", ""),
            )
            for point in self.points
        }

    def remedies(self) -> list[dict[str, Any]]:
        """The filled remedy rows, in order; remembers which row each came from."""
        data = self.cleaned_data
        remedies, self._remedy_rows = [], []
        for i in range(1, MAX_REMEDIES + 1):
            kind = data.get(f"remedy_{i}_kind")
            description = data.get(f"remedy_{i}_description")
            amount = data.get(f"remedy_{i}_amount")
            due_on = data.get(f"remedy_{i}_due_on")
            agreed = data.get(f"remedy_{i}_resident_agreed")
            if kind or description or amount is not None or due_on or agreed:
                remedy = {"kind": kind, "description": description, "amount_pence": amount}
                if due_on:
                    remedy["due_on"] = due_on
                if agreed:
                    remedy["resident_agreed"] = agreed
                remedies.append(remedy)
                self._remedy_rows.append(i)
        return remedies

    def actions(self, users: Mapping[int, Any]) -> list[dict[str, Any]]:
        """The filled action rows, in order, with owners as users from ``users`` (pk -> user)."""
        data = self.cleaned_data
        actions, self._action_rows = [], []
        for i in range(1, MAX_ACTIONS + 1):
            description = data.get(f"action_{i}_description")
            owner = data.get(f"action_{i}_owner")
            due_on = data.get(f"action_{i}_due_on")
            if description or owner or due_on:
                actions.append(
                    {
                        "description": description,
                        "owner": users.get(int(owner)) if owner else None,
                        "due_on": due_on,
                    }
                )
                self._action_rows.append(i)
        return actions

    def owner_ids(self) -> set[int]:
        return {
            int(self.cleaned_data[f"action_{i}_owner"])
            for i in range(1, MAX_ACTIONS + 1)
            if self.cleaned_data.get(f"action_{i}_owner")
        }

    # A service's refusal beside the row it names -----------------------------------------

    _REMEDY_PART = {
        "invalid_remedy_kind": "kind",
        "remedy_description_missing": "description",
        "invalid_amount": "amount",
        "amount_missing": "amount",
        "invalid_remedy_due": "due_on",
        "invalid_resident_agreed": "resident_agreed",
    }
    _ACTION_PART = {
        "action_description_missing": "description",
        "action_due_missing": "due_on",
        "unknown_owner": "owner",
    }

    def add_domain_error(self, error: DomainError) -> None:
        field = self._field_for(error)
        if field is not None and field in self.fields:
            self.add_error(field, error.message)
        else:
            super().add_domain_error(error)

    def _field_for(self, error: DomainError) -> str | None:
        context = error.context or {}
        if error.field == "decisions" and context.get("point") is not None:
            part = "reasons" if error.code == "reasons_missing" else "finding"
            return f"point_{context['point']}_{part}"
        if error.field == "remedies" and context.get("remedy") is not None:
            row = _row_for(self._remedy_rows, context["remedy"])
            return f"remedy_{row}_{self._REMEDY_PART.get(error.code, 'kind')}"
        if error.field == "actions":
            row = _row_for(self._action_rows, context.get("action", 1))
            return f"action_{row}_{self._ACTION_PART.get(error.code, 'description')}"
        return None


def _row_for(rows: list[int], number: int) -> int:
    """The form row of the ``number``-th (from 1) item sent to the service."""
    try:
        return rows[int(number) - 1]
    except (IndexError, ValueError, TypeError):
        return int(number) if str(number).isdigit() else 1


def _row_has_input(bound_fields: Iterable[BoundField]) -> bool:
    for bound in bound_fields:
        value = bound.data if bound.form.is_bound else bound.value()
        if isinstance(value, list | tuple):
            if any(str(part or "").strip() for part in value):
                return True
        elif isinstance(value, datetime.date) or (value is not None and str(value).strip()):
            return True
    return False


def draft_initial(draft: Mapping[str, Any] | None) -> dict[str, Any]:
    """The draft form's starting values from a stage's saved draft, to edit it."""
    if not draft:
        return {}
    initial: dict[str, Any] = {}
    for number, (finding, reasons) in (draft.get("decisions") or {}).items():
        initial[f"point_{number}_finding"] = finding
        initial[f"point_{number}_reasons"] = reasons
    for i, remedy in enumerate((draft.get("remedies") or [])[:MAX_REMEDIES], start=1):
        initial[f"remedy_{i}_kind"] = remedy.get("kind", "")
        initial[f"remedy_{i}_description"] = remedy.get("description", "")
        initial[f"remedy_{i}_amount"] = format_pounds(remedy.get("amount_pence"), symbol=False)
        due_on = remedy.get("due_on")
        initial[f"remedy_{i}_due_on"] = datetime.date.fromisoformat(due_on) if due_on else None
        initial[f"remedy_{i}_resident_agreed"] = remedy.get("resident_agreed", "")
    for i, action in enumerate((draft.get("actions") or [])[:MAX_ACTIONS], start=1):
        initial[f"action_{i}_description"] = action.get("description", "")
        owner_id = action.get("owner_id")
        initial[f"action_{i}_owner"] = "" if owner_id is None else str(owner_id)
        due_on = action.get("due_on")
        initial[f"action_{i}_due_on"] = datetime.date.fromisoformat(due_on) if due_on else None
    initial["root_causes"] = list(draft.get("root_causes") or [])
    return initial


# --- The quality check -------------------------------------------------------------------------


class SignOffForm(ResponseActionForm):
    note = forms.CharField(
        label="Note on your check",
        required=False,
        widget=forms.Textarea,
        help_text="Anything you checked or want on the record. The handler can see it.",
    )


class ReturnDraftForm(ResponseActionForm):
    note = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea,
        help_text="The drafter sees this when they open the draft again.",
        error_messages={
            "required": "Enter what needs to change before the response can be signed off"
        },
    )


class IssueResponseForm(ResponseActionForm):
    on = _date_field("Date the response was sent")


# --- Escalating, withdrawing and closing -------------------------------------------------------


class EscalateForm(ResponseActionForm):
    on = _date_field("Date the request to escalate was received")
    note = forms.CharField(
        label="What the resident said",
        required=False,
        widget=forms.Textarea,
        help_text="The resident does not have to give a reason for asking (Code 6.12).",
    )


class WithdrawForm(ResponseActionForm):
    on = _date_field("Date the resident withdrew the complaint")
    method = forms.ChoiceField(
        label="How did the resident withdraw it?",
        choices=CorrespondenceChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the resident withdrew the complaint"},
    )
    details = forms.CharField(
        label="What the resident said",
        required=False,
        widget=forms.Textarea,
    )

    def reason(self) -> str:
        method = CorrespondenceChannel(self.cleaned_data["method"]).label
        details = self.cleaned_data.get("details", "").strip()
        return f"{method}: {details}" if details else method


class CloseForm(ResponseActionForm):
    on = _date_field("Date of closure")
    field_for_code = {"escalation_window_open": "on"}


# --- Refusing an escalation, reversing a refusal -----------------------------------------------


class RefuseEscalationForm(ResponseActionForm):
    reason = forms.ChoiceField(
        label="Reason from the complaints policy",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the reason from the complaints policy"},
    )
    explanation = forms.CharField(
        label="Why the reason applies to this request",
        widget=forms.Textarea,
        help_text="The resident will be told this.",
        error_messages={"required": "Enter why the reason applies to this request"},
    )
    evidence = forms.CharField(
        label="Evidence the decision rests on",
        widget=forms.Textarea,
        error_messages={"required": "Enter the evidence the decision rests on"},
    )
    evidence_date = _date_field(
        "Date that shows the reason applies",
        required=False,
        help_text="Only some reasons need one, such as the date a claim was filed at court. "
        "For example, 27 3 2026",
    )
    resident_told_on = _date_field("Date the resident was told")
    ombudsman_rights_given = forms.BooleanField(
        label="The resident was told they can take this decision to the Housing Ombudsman",
        required=False,
    )
    on = _date_field("Date of the decision")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The policy's reasons for refusing an escalation, read once for choices and hints.
        self.reasons = {
            str(reason.pk): reason
            for reason in ExclusionReason.objects.filter(
                is_active=True,
                applies_to__in=[
                    ExclusionReason.AppliesTo.ESCALATION,
                    ExclusionReason.AppliesTo.BOTH,
                ],
            ).order_by("sort_order", "label")
        }
        field = self.fields["reason"]
        field.choices = [(pk, reason.label) for pk, reason in self.reasons.items()]
        field.item_hints = {
            pk: reason.description for pk, reason in self.reasons.items() if reason.description
        }

    def clean_reason(self) -> ExclusionReason:
        return self.reasons[self.cleaned_data["reason"]]


class ReverseRefusalForm(ResponseActionForm):
    basis = forms.ChoiceField(
        label="Why is the refusal being reversed?",
        choices=Refusal.ReversalBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the refusal is being reversed"},
    )
    on = _date_field("Date of the decision to reverse it")
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea,
        help_text="What the review found, or what the Ombudsman told you to do.",
        error_messages={"required": "Enter why the refusal is being reversed"},
    )


# --- Actions promised in a response -------------------------------------------------------------


class CompleteActionForm(ResponseActionForm):
    on = _date_field("Date the action was completed")
    note = forms.CharField(
        label="What was done",
        required=False,
        widget=forms.Textarea,
        help_text="The evidence it was done: what was done, by whom, and how it was checked.",
    )
    # Evidence on the record already (Code 5.12): upload it to the case first if it is not.
    document = forms.ModelChoiceField(
        queryset=Document.objects.none(),
        label="Document showing it was done (optional)",
        required=False,
        empty_label="No document",
        help_text="One of the documents on this complaint's record, such as a job sheet or photo.",
        error_messages={"invalid_choice": "Select a document on this complaint's record"},
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = (
            Document.objects.filter(complaint=self.complaint).order_by("-uploaded_on", "-id")
            if self.complaint is not None
            else Document.objects.none()
        )
