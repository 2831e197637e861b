"""Steps that issue a letter, and the pages of an issued letter.

A step with a letter shows the letter on its confirmation page exactly as it would go (the step
taken and rolled back), and issues both in one service call when confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path

from putright.casework.selectors.letters import (
    letter_delivery_status,
    letters_for_complaint,
    preview_of,
)
from putright.casework.steps import url_or_none
from putright.casework.views.base import ActionForm, ComplaintActionView
from putright.complaints.models import Complaint, Stage
from putright.core import clock
from putright.core.dates import long_date
from putright.core.forms import GovukDateField
from putright.letters import services as letter_services
from putright.letters.compose import Letter
from putright.letters.models import Delivery, IssuedLetter
from putright.letters.render import render_html
from putright.letters.stored import as_letter


def issued_message(letter: IssuedLetter) -> str:
    """What the person is told once a letter has been issued."""
    if letter.delivery == Delivery.EMAIL:
        return f"The letter “{letter.heading}” is being emailed to {letter.recipient['email']}."
    return (
        f"The letter “{letter.heading}” is ready to print from the case: post it and record "
        "the date it went."
    )


LETTER_FIELD = "letter-"


class LetterStepMixin:
    """For a ``ComplaintActionView`` whose step issues a letter through ``issue`` (one of the
    ``*_issue`` services in putright.letters.services).

    The confirmation page shows the letter and, for each section, a box with its words: the
    handler may rewrite any of them ("Update the letter" shows the result, checked again), and
    the letter goes with their words.
    """

    issue: Callable[..., IssuedLetter]
    confirm = True
    own_fields_prefix = LETTER_FIELD

    def letter_edits(self) -> dict[str, str]:
        """The sections as the handler left them on the confirmation page."""
        return {
            name[len(LETTER_FIELD) :]: value.replace("\r\n", "\n").strip()
            for name, value in self.request.POST.items()
            if name.startswith(LETTER_FIELD)
        }

    def step_arguments(self, form: ActionForm) -> dict[str, Any]:
        raise NotImplementedError

    def issue_arguments(self, form: ActionForm) -> dict[str, Any]:
        arguments = {
            "acting_user": self.request.user,
            "complaint": self.complaint,
            **self.step_arguments(form),
        }
        edits = self.letter_edits()
        if edits:
            arguments["letter_sections"] = edits
        return arguments

    def before_step(self, form: ActionForm) -> dict[str, Any] | None:
        """A step the screen takes first in the same transaction (allocating a handler, say);
        returns arguments to pass on to the issuing service."""
        return None

    def confirmation_context(self, form: ActionForm) -> dict[str, Any]:
        letter = letter_services.letter_preview(
            self.issue,
            before=lambda: self.before_step(form) or {},
            **self.issue_arguments(form),
        )
        self.complaint.refresh_from_db()  # the rolled-back step left its values on the instance
        problems = letter.check()
        if problems and not self.letter_edits():
            # From the record: the form's error summary says what to fill in, as typed.
            raise letter_services.LetterIncomplete(problems)
        return {"letter": preview_of(letter), "letter_fields": letter_fields(letter)}

    def perform_issue(self, form: ActionForm) -> IssuedLetter:
        with transaction.atomic():
            return self.issue(**{**self.issue_arguments(form), **(self.before_step(form) or {})})


def letter_fields(letter: Letter) -> list[dict[str, str]]:
    """A box for each section of the letter, labelled as the resident reads it."""
    return [
        {
            "name": f"{LETTER_FIELD}{key}",
            "id": f"{LETTER_FIELD}{key}",
            "label": letter.words.section_heading(key) or letter.type.element(key).label,
            "value": text,
            "rows": min(12, 2 + text.count("\n") + len(text) // 80),
        }
        for key, text in letter.sections.items()
    ]


class LetterView(ComplaintActionView):
    """An issued letter as it was sent, how it went, and (for post) recording that it went."""

    template_name = "casework/letter.html"
    own_case_only = False  # anyone working the case may post a letter
    title = "Letter"
    submit_label = "Record as posted"

    class form_class(ActionForm):  # noqa: N801  (a form belonging to this view only)
        posted_on = GovukDateField(label="Date posted")

    def dispatch(self, request, *args, **kwargs):
        self.letter_pk = kwargs["pk"]
        return super().dispatch(request, *args, **kwargs)

    def get_letter(self) -> IssuedLetter:
        if not hasattr(self, "_letter"):
            self._letter = get_object_or_404(
                letters_for_complaint(self.complaint).select_related("wording_version"),
                pk=self.letter_pk,
            )
        return self._letter

    def get_initial(self) -> dict[str, Any]:
        return {"posted_on": clock.today()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        letter = self.get_letter()
        return super().get_context_data(
            letter=letter,
            html=render_html(as_letter(letter), heading_level=2),
            dated=long_date(letter.dated),
            status=letter_delivery_status(letter),
            pdf_url=url_or_none(
                "document", reference=self.complaint.reference, pk=letter.document_id
            )
            if letter.document_id
            else None,
            awaiting_post=letter.delivery == Delivery.POST and letter.posted_on is None,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        letter = self.get_letter()
        if letter.delivery != Delivery.POST or letter.posted_on is not None:
            raise Http404("This letter is not waiting to be posted")
        return super().post(request, *args, **kwargs)

    def perform(self, form: ActionForm) -> str:
        letter = letter_services.letter_record_posted(
            acting_user=self.request.user,
            letter=self.get_letter(),
            on=form.cleaned_data["posted_on"],
        )
        return f"Recorded that “{letter.heading}” was posted on {long_date(letter.posted_on)}"


def letter_choices(complaint: Complaint) -> list[tuple[str, str]]:
    """The letters of their own this complaint can have now: an update on the actions each
    response promised, a closure letter once it is closed, and a free letter."""
    responded = (
        Stage.objects.filter(complaint=complaint, responded_on__isnull=False, actions__isnull=False)
        .values_list("number", flat=True)
        .distinct()
        .order_by("number")
    )
    choices = [
        (f"stage{n}_actions_update", f"An update on what our stage {n} response said we would do")
        for n in responded
    ]
    if complaint.status in (Complaint.Status.CLOSED, Complaint.Status.STAGE2_RESPONDED):
        choices.append(
            (f"stage{complaint.stage_number}_closure", "A letter saying the complaint is closed")
        )
    choices.append(("free", "A letter you write yourself"))
    return choices


class WriteLetterForm(ActionForm):
    letter_type = forms.ChoiceField(
        label="Which letter",
        widget=forms.RadioSelect,
        error_messages={"required": "Select which letter to write"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["letter_type"].choices = letter_choices(self.complaint)


class WriteLetterView(ComplaintActionView):
    """A letter that is not a step of its own: shown as it will go, with a box per section to
    finish or rewrite, and issued only once its check passes."""

    form_class = WriteLetterForm
    title = "Write a letter"
    submit_label = "Send the letter"
    confirm = True
    own_fields_prefix = LETTER_FIELD
    letter_edits = LetterStepMixin.letter_edits

    def draft(self, form: ActionForm) -> Letter:
        return letter_services.letter_draft(
            acting_user=self.request.user,
            complaint=self.complaint,
            letter_type_key=form.cleaned_data["letter_type"],
            sections=self.letter_edits() or None,
        )

    def confirmation_context(self, form: ActionForm) -> dict[str, Any]:
        # Unlike a step's letter, this one is mostly the handler's own words: the page opens
        # with what is still to write, and offers to send only once nothing is missing.
        letter = self.draft(form)
        return {"letter": preview_of(letter), "letter_fields": letter_fields(letter)}

    def perform(self, form: ActionForm) -> str:
        letter = letter_services.letter_issue(
            acting_user=self.request.user,
            complaint=self.complaint,
            letter_type_key=form.cleaned_data["letter_type"],
            sections=self.letter_edits() or None,
        )
        return issued_message(letter)


urlpatterns = [
    path("<str:reference>/letters/new/", WriteLetterView.as_view(), name="write-letter"),
    path("<str:reference>/letters/<int:pk>/", LetterView.as_view(), name="letter"),
]
