"""Every change to contacts beside complaints: enquiries, service requests, compliments,
satisfaction surveys and their follow-ups, and logged contacts (Code 1.3 to 1.6).

Each service checks its own preconditions, refusing an invalid step with ``StepRefused``
(``InvalidInput`` for a missing or malformed value), every problem found at once so a form shows
them all; it runs in one transaction and appends one ``ContactsEvent`` saying who did it and when,
with the old and new values. Due dates are counted in working days on the organisation's
calendar, from targets in the settings (``PUTRIGHT_ENQUIRY_RESPONSE_DAYS``,
``PUTRIGHT_CONTACT_RESPONSE_DAYS``).
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from putright.complaints import services as complaint_services
from putright.complaints.models import Complaint, ComplaintEvent, Status
from putright.contacts.models import (
    Compliment,
    ComplimentChannel,
    Contact,
    ContactChannel,
    ContactsEvent,
    ContactType,
    EnquirerRole,
    Enquiry,
    SatisfactionSurvey,
    ServiceRequest,
    ServiceRequestCategory,
    ServiceRequestSource,
    SurveyFollowUp,
)
from putright.core import clock
from putright.core.dates import long_date
from putright.core.errors import InvalidInput, Problems, StepRefused
from putright.core.history import created, diff, snapshot
from putright.organisation.selectors import current_calendar
from putright.people.models import Resident

ENQUIRY_FIELDS = [
    "received_on",
    "enquirer_name",
    "enquirer_role",
    "resident",
    "summary",
    "due_on",
    "responded_on",
    "complaint",
    "choice_offered",
    "choice_offered_on",
]
SERVICE_REQUEST_FIELDS = [
    "external_reference",
    "source",
    "category",
    "resident",
    "description",
    "opened_on",
    "target_on",
    "status",
    "closed_on",
]
COMPLIMENT_FIELDS = [
    "received_on",
    "channel",
    "about_team",
    "about_person",
    "about_staff",
    "about_contractor",
    "text",
]
RESPONSE_FIELDS = ["score", "comment", "comment_dissatisfied", "responded_on"]
CONTACT_FIELDS = [
    "external_reference",
    "received_on",
    "channel",
    "contact_type",
    "due_on",
    "answered_on",
    "answered_in_time",
]
LOW_SCORE = 2  # a score of 2 or less out of 5 is dissatisfaction (Code 1.6 follow-up)
CLOSED_STATUSES = frozenset({Status.CLOSED, Status.WITHDRAWN, Status.NOT_ACCEPTED})


# Targets -----------------------------------------------------------------------------------------


def enquiry_due(received_on: date) -> date:
    """The date an enquiry's response is due: the policy's working days after receipt."""
    return current_calendar().add(received_on, settings.PUTRIGHT_ENQUIRY_RESPONSE_DAYS)


def contact_due(received_on: date) -> date:
    """The date a contact's answer is due: the policy's working days after receipt."""
    return current_calendar().add(received_on, settings.PUTRIGHT_CONTACT_RESPONSE_DAYS)


# Checks ------------------------------------------------------------------------------------------


def _text(problems: Problems, value: Any, *, field: str, message: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        problems.add(InvalidInput(f"{field}_missing", message, field=field))
    return text


def _optional_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _day(problems: Problems, value: Any, *, field: str, what: str, required: bool = True):
    if value is None:
        if required:
            problems.add(InvalidInput(f"{field}_missing", f"Enter {what}.", field=field))
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, date):
        problems.add(InvalidInput(f"{field}_invalid", f"Enter {what} as a date.", field=field))
        return None
    if value > clock.today():
        problems.add(
            InvalidInput(
                f"{field}_in_future",
                f"{what[:1].upper()}{what[1:]} cannot be in the future.",
                field=field,
            )
        )
    return value


def _not_before(
    problems: Problems, later: date | None, earlier: date | None, *, field: str, message: str
) -> None:
    if later is not None and earlier is not None and later < earlier:
        problems.add(StepRefused(f"{field}_too_early", message, field=field))


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def _choice(problems: Problems, value: Any, choices: Any, *, field: str, message: str) -> str:
    value = _plain(value)
    if value not in choices.values:
        problems.add(InvalidInput(f"{field}_invalid", message, field=field))
        return ""
    return value


def _instance(problems: Problems, value: Any, model: Any, *, field: str, message: str, required):
    if value is None:
        if required:
            problems.add(InvalidInput(f"{field}_missing", message, field=field))
        return None
    if not isinstance(value, model) or value.pk is None:
        problems.add(InvalidInput(f"{field}_invalid", message, field=field))
        return None
    return value


def _reference(value: Any) -> str | None:
    """An external reference: stored as given, or NULL (so many records may have none)."""
    text = _optional_text(value)
    return text or None


def _complaint_history(
    complaint: Complaint, *, acting_user: Any, action: str, summary: str, on: date, **changes: Any
) -> None:
    """The link in the complaint's own history too, so its timeline shows it."""
    complaint_services.link_history_record(
        acting_user=acting_user,
        complaint=complaint,
        action=action,
        summary=summary,
        changes=changes,
        on=on,
    )


def _event(**fields: Any) -> ContactsEvent:
    return ContactsEvent.write(on=clock.today(), **fields)


# Enquiries (MP, councillor, chief executive, board member) ----------------------------------------


def _check_enquiry(fields: dict[str, Any]) -> dict[str, Any]:
    problems = Problems()
    checked = dict(fields)
    received_on = _day(
        problems, fields.get("received_on"), field="received_on", what="the date received"
    )
    checked["enquirer_name"] = _text(
        problems,
        fields.get("enquirer_name"),
        field="enquirer_name",
        message="Enter who the enquiry is from.",
    )
    checked["enquirer_role"] = _choice(
        problems,
        fields.get("enquirer_role"),
        EnquirerRole,
        field="enquirer_role",
        message="Select their role.",
    )
    checked["resident"] = _instance(
        problems,
        fields.get("resident"),
        Resident,
        field="resident",
        message="Select the resident the enquiry is about.",
        required=True,
    )
    checked["summary"] = _text(
        problems, fields.get("summary"), field="summary", message="Enter what they asked."
    )
    responded_on = _day(
        problems,
        fields.get("responded_on"),
        field="responded_on",
        what="the date responded",
        required=False,
    )
    _not_before(
        problems,
        responded_on,
        received_on,
        field="responded_on",
        message="The date responded cannot be before the date received.",
    )
    checked["complaint"] = _instance(
        problems,
        fields.get("complaint"),
        Complaint,
        field="complaint",
        message="Enter the reference of a complaint.",
        required=False,
    )
    choice_offered = bool(fields.get("choice_offered"))
    offered_on = _day(
        problems,
        fields.get("choice_offered_on"),
        field="choice_offered_on",
        what="the date the choice to complain was offered",
        required=choice_offered,
    )
    if not choice_offered and offered_on is not None:
        problems.add(
            StepRefused(
                "choice_date_without_choice",
                "Only give a date the choice was offered when the resident was offered it.",
                field="choice_offered_on",
            )
        )
    _not_before(
        problems,
        offered_on,
        received_on,
        field="choice_offered_on",
        message="The choice to complain cannot have been offered before the enquiry arrived.",
    )
    checked["choice_offered"] = choice_offered
    checked["choice_offered_on"] = offered_on if choice_offered else None
    problems.raise_any()
    checked["due_on"] = enquiry_due(received_on)
    return checked


@transaction.atomic
def enquiry_record(
    *,
    acting_user: Any,
    received_on: date,
    enquirer_name: str,
    enquirer_role: str,
    resident: Resident,
    summary: str,
    responded_on: date | None = None,
    complaint: Complaint | None = None,
    choice_offered: bool = False,
    choice_offered_on: date | None = None,
) -> Enquiry:
    """Record an enquiry made for a resident; its response is due on the policy's target."""
    fields = _check_enquiry(
        {
            "received_on": received_on,
            "enquirer_name": enquirer_name,
            "enquirer_role": enquirer_role,
            "resident": resident,
            "summary": summary,
            "responded_on": responded_on,
            "complaint": complaint,
            "choice_offered": choice_offered,
            "choice_offered_on": choice_offered_on,
        }
    )
    enquiry = Enquiry.objects.create(**fields)
    _enquiry_history(enquiry, None, acting_user=acting_user)
    _event(
        acting_user=acting_user,
        action=ContactsEvent.Action.ENQUIRY_RECORDED,
        summary=f"Enquiry from {enquiry.enquirer_name} ({enquiry.get_enquirer_role_display()})",
        changes=created(snapshot(enquiry, ENQUIRY_FIELDS)),
        enquiry=enquiry,
    )
    return enquiry


def _enquiry_history(enquiry: Enquiry, linked_before: int | None, *, acting_user: Any) -> None:
    """When an enquiry is first linked to a complaint (or to another one), in its history."""
    if enquiry.complaint_id is None or enquiry.complaint_id == linked_before:
        return
    _complaint_history(
        enquiry.complaint,
        acting_user=acting_user,
        action=ComplaintEvent.Action.ENQUIRY_LINKED,
        summary=f"Enquiry from {enquiry.enquirer_name} "
        f"({enquiry.get_enquirer_role_display()}), received {long_date(enquiry.received_on)}",
        on=clock.today(),
        enquiry=enquiry.pk,
    )


@transaction.atomic
def enquiry_update(*, acting_user: Any, enquiry: Enquiry, **values: Any) -> Enquiry:
    """Change an enquiry: record the response, link a complaint, record the choice offered.
    The due date follows the date received."""
    locked = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    linked_before = locked.complaint_id
    before = snapshot(locked, ENQUIRY_FIELDS)
    current = {name: getattr(locked, name) for name in ENQUIRY_FIELDS if name != "due_on"}
    unknown = set(values) - set(current)
    if unknown:
        raise TypeError(f"enquiry_update got unknown fields {sorted(unknown)}")
    fields = _check_enquiry({**current, **values})
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    _enquiry_history(locked, linked_before, acting_user=acting_user)
    changes = diff(before, snapshot(locked, ENQUIRY_FIELDS))
    if changes:
        _event(
            acting_user=acting_user,
            action=ContactsEvent.Action.ENQUIRY_UPDATED,
            summary="Enquiry updated",
            changes=changes,
            enquiry=locked,
        )
    return locked


# Service requests (Code 1.4, 1.5) ---------------------------------------------------------------


def _check_service_request(fields: dict[str, Any], *, pk: int | None = None) -> dict[str, Any]:
    problems = Problems()
    checked = dict(fields)
    reference = _reference(fields.get("external_reference"))
    if (
        reference
        and ServiceRequest.objects.filter(external_reference=reference).exclude(pk=pk).exists()
    ):
        problems.add(
            StepRefused(
                "external_reference_taken",
                f"Service request {reference} is already recorded.",
                field="external_reference",
            )
        )
    checked["external_reference"] = reference
    checked["source"] = _choice(
        problems,
        fields.get("source"),
        ServiceRequestSource,
        field="source",
        message="Select where the request came from.",
    )
    checked["category"] = _choice(
        problems,
        fields.get("category"),
        ServiceRequestCategory,
        field="category",
        message="Select the category.",
    )
    checked["resident"] = _instance(
        problems,
        fields.get("resident"),
        Resident,
        field="resident",
        message="Select the resident.",
        required=False,
    )
    checked["description"] = _text(
        problems,
        fields.get("description"),
        field="description",
        message="Enter what was asked for.",
    )
    opened_on = _day(problems, fields.get("opened_on"), field="opened_on", what="the date opened")
    target_on = fields.get("target_on")
    if not isinstance(target_on, date):
        problems.add(InvalidInput("target_on_missing", "Enter the target date.", field="target_on"))
    else:
        _not_before(
            problems,
            target_on,
            opened_on,
            field="target_on",
            message="The target date cannot be before the date opened.",
        )
    status = _choice(
        problems,
        fields.get("status") or ServiceRequest.Status.OPEN,
        ServiceRequest.Status,
        field="status",
        message="Select open or closed.",
    )
    closed_on = _day(
        problems,
        fields.get("closed_on"),
        field="closed_on",
        what="the date closed",
        required=status == ServiceRequest.Status.CLOSED,
    )
    if status == ServiceRequest.Status.OPEN and closed_on is not None:
        problems.add(
            StepRefused(
                "closed_on_while_open",
                "An open request has no date closed: clear the date or close the request.",
                field="closed_on",
            )
        )
    _not_before(
        problems,
        closed_on,
        opened_on,
        field="closed_on",
        message="The date closed cannot be before the date opened.",
    )
    checked["status"] = status
    checked["closed_on"] = closed_on if status == ServiceRequest.Status.CLOSED else None
    problems.raise_any()
    return checked


def _link_by_reference(service_request: ServiceRequest, *, acting_user: Any) -> list[str]:
    """Link complaints that already name this request's housing-system reference."""
    if not service_request.external_reference:
        return []
    found = list(
        Complaint.objects.filter(
            service_request_reference__iexact=service_request.external_reference
        ).exclude(service_requests=service_request)
    )
    service_request.complaints.add(*found)
    for complaint in found:
        _request_history(complaint, service_request, acting_user=acting_user)
    return [complaint.reference for complaint in found]


def _request_history(complaint: Complaint, service_request: ServiceRequest, **who: Any) -> None:
    _complaint_history(
        complaint,
        action=ComplaintEvent.Action.SERVICE_REQUEST_LINKED,
        summary=f"Service request {service_request.reference} "
        f"({service_request.get_category_display().lower()})",
        on=clock.today(),
        service_request=service_request.reference,
        **who,
    )


@transaction.atomic
def service_request_record(
    *,
    acting_user: Any,
    source: str,
    category: str,
    description: str,
    opened_on: date,
    target_on: date,
    external_reference: str | None = None,
    resident: Resident | None = None,
    status: str = ServiceRequest.Status.OPEN,
    closed_on: date | None = None,
) -> ServiceRequest:
    """Record a service request, from any source or by its housing-system reference. Complaints
    that already name that reference are linked to it."""
    fields = _check_service_request(
        {
            "external_reference": external_reference,
            "source": source,
            "category": category,
            "resident": resident,
            "description": description,
            "opened_on": opened_on,
            "target_on": target_on,
            "status": status,
            "closed_on": closed_on,
        }
    )
    request = ServiceRequest.objects.create(**fields)
    changes = created(snapshot(request, SERVICE_REQUEST_FIELDS))
    linked = _link_by_reference(request, acting_user=acting_user)
    if linked:
        changes["complaints"] = [None, linked]
    _event(
        acting_user=acting_user,
        action=ContactsEvent.Action.SERVICE_REQUEST_RECORDED,
        summary=f"Service request {request.reference} recorded",
        changes=changes,
        service_request=request,
    )
    return request


@transaction.atomic
def service_request_update(
    *, acting_user: Any, service_request: ServiceRequest, **values: Any
) -> ServiceRequest:
    """Change a service request, close it or re-open it. Closing it is allowed while a complaint
    about it is open: the complaint does not hold the work up, nor the work the complaint."""
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
    before = snapshot(locked, SERVICE_REQUEST_FIELDS)
    current = {name: getattr(locked, name) for name in SERVICE_REQUEST_FIELDS}
    unknown = set(values) - set(current)
    if unknown:
        raise TypeError(f"service_request_update got unknown fields {sorted(unknown)}")
    fields = _check_service_request({**current, **values}, pk=locked.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    changes = diff(before, snapshot(locked, SERVICE_REQUEST_FIELDS))
    linked = _link_by_reference(locked, acting_user=acting_user)
    if linked:
        changes["complaints"] = [None, linked]
    if changes:
        _event(
            acting_user=acting_user,
            action=ContactsEvent.Action.SERVICE_REQUEST_UPDATED,
            summary=f"Service request {locked.reference} updated",
            changes=changes,
            service_request=locked,
        )
    return locked


@transaction.atomic
def service_request_review(
    *, acting_user: Any, service_request: ServiceRequest, reviewed_on: date, note: str
) -> ServiceRequest:
    """Record a review of a service request (Code 1.4: recorded, monitored and reviewed)."""
    problems = Problems()
    locked = ServiceRequest.objects.select_for_update().get(pk=service_request.pk)
    reviewed_on = _day(problems, reviewed_on, field="reviewed_on", what="the date reviewed")
    note = _text(problems, note, field="review_note", message="Enter what the review found.")
    _not_before(
        problems,
        reviewed_on,
        locked.opened_on,
        field="reviewed_on",
        message="The review cannot be before the request was opened.",
    )
    problems.raise_any()
    before = snapshot(locked, ["reviewed_on", "review_note"])
    locked.reviewed_on, locked.review_note = reviewed_on, note
    locked.save(update_fields=["reviewed_on", "review_note", "updated_at"])
    _event(
        acting_user=acting_user,
        action=ContactsEvent.Action.SERVICE_REQUEST_REVIEWED,
        summary=f"Service request {locked.reference} reviewed",
        changes=diff(before, snapshot(locked, ["reviewed_on", "review_note"])),
        service_request=locked,
    )
    return locked


@transaction.atomic
def service_request_link_complaint(
    *, acting_user: Any, service_request: ServiceRequest, complaint: Complaint
) -> ServiceRequest:
    """Link a complaint raised from this request (Code 1.5). The request stays as it is: open
    requests stay open, and the work on them carries on."""
    if not isinstance(complaint, Complaint) or complaint.pk is None:
        raise InvalidInput(
            "complaint_missing", "Enter the complaint's reference.", field="complaint"
        )
    if service_request.complaints.filter(pk=complaint.pk).exists():
        raise StepRefused(
            "complaint_already_linked",
            f"Complaint {complaint.reference} is already linked to this request.",
            field="complaint",
        )
    service_request.complaints.add(complaint)
    _request_history(complaint, service_request, acting_user=acting_user)
    _event(
        acting_user=acting_user,
        action=ContactsEvent.Action.COMPLAINT_LINKED,
        summary=f"Complaint {complaint.reference} raised from this request",
        changes={"complaints": [None, [complaint.reference]]},
        service_request=service_request,
    )
    return service_request


# Compliments --------------------------------------------------------------------------------------


def _check_compliment(fields: dict[str, Any]) -> dict[str, Any]:
    problems = Problems()
    checked = dict(fields)
    _day(problems, fields.get("received_on"), field="received_on", what="the date received")
    checked["channel"] = _choice(
        problems,
        fields.get("channel"),
        ComplimentChannel,
        field="channel",
        message="Select how the compliment arrived.",
    )
    for name in ("about_team", "about_person", "about_contractor"):
        checked[name] = _optional_text(fields.get(name))
    checked["about_staff"] = _instance(
        problems,
        fields.get("about_staff"),
        get_user_model(),
        field="about_staff",
        message="Select a member of staff from the list.",
        required=False,
    )
    if not (
        checked["about_team"]
        or checked["about_person"]
        or checked["about_contractor"]
        or checked["about_staff"]
    ):
        problems.add(
            InvalidInput(
                "about_missing",
                "Say who the compliment is about: a team, a person or a contractor.",
                field="about_team",
            )
        )
    checked["text"] = _text(
        problems, fields.get("text"), field="text", message="Enter what they said."
    )
    problems.raise_any()
    return checked


@transaction.atomic
def compliment_record(
    *,
    acting_user: Any,
    received_on: date,
    channel: str,
    text: str,
    about_team: str = "",
    about_person: str = "",
    about_staff: Any = None,
    about_contractor: str = "",
) -> Compliment:
    """Record a compliment for a team, a person (free text or a member of staff) or a contractor."""
    fields = _check_compliment(
        {
            "received_on": received_on,
            "channel": channel,
            "text": text,
            "about_team": about_team,
            "about_person": about_person,
            "about_staff": about_staff,
            "about_contractor": about_contractor,
        }
    )
    compliment = Compliment.objects.create(**fields)
    _event(
        acting_user=acting_user,
        action=ContactsEvent.Action.COMPLIMENT_RECORDED,
        summary=f"Compliment for {compliment.about}",
        changes=created(snapshot(compliment, COMPLIMENT_FIELDS)),
        compliment=compliment,
    )
    return compliment


@transaction.atomic
def compliment_update(*, acting_user: Any, compliment: Compliment, **values: Any) -> Compliment:
    locked = Compliment.objects.select_for_update().get(pk=compliment.pk)
    before = snapshot(locked, COMPLIMENT_FIELDS)
    current = {name: getattr(locked, name) for name in COMPLIMENT_FIELDS}
    unknown = set(values) - set(current)
    if unknown:
        raise TypeError(f"compliment_update got unknown fields {sorted(unknown)}")
    fields = _check_compliment({**current, **values})
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    changes = diff(before, snapshot(locked, COMPLIMENT_FIELDS))
    if changes:
        _event(
            acting_user=acting_user,
            action=ContactsEvent.Action.COMPLIMENT_UPDATED,
            summary="Compliment updated",
            changes=changes,
            compliment=locked,
        )
    return locked


# Satisfaction surveys and their follow-ups (Code 1.6) ------------------------------------------


def _check_survey_sent(problems: Problems, complaint: Any, sent_on: Any) -> date | None:
    complaint = _instance(
        problems,
        complaint,
        Complaint,
        field="complaint",
        message="Enter the reference of the closed complaint.",
        required=True,
    )
    sent_on = _day(problems, sent_on, field="sent_on", what="the date sent")
    if complaint is not None and complaint.status not in CLOSED_STATUSES:
        problems.add(
            StepRefused(
                "complaint_not_closed",
                f"Complaint {complaint.reference} is still open: a satisfaction survey is sent "
                "after it closes.",
                field="complaint",
            )
        )
    already = (
        complaint is not None
        and sent_on is not None
        and SatisfactionSurvey.objects.filter(complaint=complaint, sent_on=sent_on).exists()
    )
    if already:
        problems.add(
            StepRefused(
                "survey_already_sent",
                f"A survey for {complaint.reference} sent on that day is already recorded.",
                field="sent_on",
            )
        )
    return sent_on


def _check_response(problems: Problems, survey_sent_on: date | None, values: dict) -> dict:
    score = values.get("score")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        problems.add(InvalidInput("score_invalid", "Enter a score from 1 to 5.", field="score"))
    responded_on = _day(
        problems, values.get("responded_on"), field="responded_on", what="the date responded"
    )
    _not_before(
        problems,
        responded_on,
        survey_sent_on,
        field="responded_on",
        message="The response cannot be before the survey was sent.",
    )
    comment = _optional_text(values.get("comment"))
    dissatisfied = bool(values.get("comment_dissatisfied"))
    if dissatisfied and not comment:
        problems.add(
            InvalidInput(
                "dissatisfied_without_comment",
                "Enter the comment that expresses dissatisfaction.",
                field="comment",
            )
        )
    return {
        "score": score,
        "responded_on": responded_on,
        "comment": comment,
        "comment_dissatisfied": dissatisfied,
    }


def _open_follow_up(*, acting_user: Any, survey: SatisfactionSurvey) -> SurveyFollowUp | None:
    """A low score or a dissatisfied comment opens one follow-up (never a complaint)."""
    if survey.score is not None and survey.score <= LOW_SCORE:
        reason = SurveyFollowUp.Reason.LOW_SCORE
    elif survey.comment_dissatisfied:
        reason = SurveyFollowUp.Reason.DISSATISFIED_COMMENT
    else:
        return None
    follow_up, made = SurveyFollowUp.objects.get_or_create(
        survey=survey,
        # Opened when the dissatisfaction arrived, which an import may record long after.
        defaults={"reason": reason, "opened_on": survey.responded_on or clock.today()},
    )
    if made:
        _event(
            acting_user=acting_user,
            action=ContactsEvent.Action.FOLLOW_UP_OPENED,
            summary=f"Follow-up opened: {follow_up.get_reason_display().lower()}; offer the "
            "resident the choice to complain",
            changes={"follow_up": [None, reason]},
            survey=survey,
        )
    return follow_up


@transaction.atomic
def survey_send(
    *,
    acting_user: Any,
    complaint: Complaint,
    sent_on: date,
    provider_reference: str | None = None,
    score: int | None = None,
    comment: str = "",
    comment_dissatisfied: bool = False,
    responded_on: date | None = None,
) -> SatisfactionSurvey:
    """Record a survey sent after a complaint closed, with its response when one came back."""
    problems = Problems()
    sent_on = _check_survey_sent(problems, complaint, sent_on)
    reference = _reference(provider_reference)
    if reference and SatisfactionSurvey.objects.filter(provider_reference=reference).exists():
        problems.add(
            StepRefused(
                "provider_reference_taken",
                f"Survey {reference} is already recorded.",
                field="provider_reference",
            )
        )
    response = None
    if score is not None or responded_on is not None:
        response = _check_response(
            problems,
            sent_on,
            {
                "score": score,
                "comment": comment,
                "comment_dissatisfied": comment_dissatisfied,
                "responded_on": responded_on,
            },
        )
    problems.raise_any()
    survey = SatisfactionSurvey.objects.create(
        complaint=complaint, sent_on=sent_on, provider_reference=reference, **(response or {})
    )
    _event(
        acting_user=acting_user,
        action=ContactsEvent.Action.SURVEY_SENT,
        summary=f"Satisfaction survey sent for {complaint.reference}",
        changes=created(snapshot(survey, ["sent_on", "provider_reference", *RESPONSE_FIELDS])),
        survey=survey,
    )
    _complaint_history(
        complaint,
        acting_user=acting_user,
        action=ComplaintEvent.Action.SURVEY_SENT,
        summary=f"Survey {survey.reference}",
        on=sent_on,
        survey=survey.reference,
    )
    _open_follow_up(acting_user=acting_user, survey=survey)
    return survey


@transaction.atomic
def survey_response_record(
    *,
    acting_user: Any,
    survey: SatisfactionSurvey,
    score: int,
    responded_on: date,
    comment: str = "",
    comment_dissatisfied: bool = False,
) -> SatisfactionSurvey:
    """Record (or correct) a survey's response. A score of 2 or less, or a comment marked as
    dissatisfied, opens a follow-up offering the resident the choice to complain (Code 1.6)."""
    locked = SatisfactionSurvey.objects.select_for_update().get(pk=survey.pk)
    problems = Problems()
    values = _check_response(
        problems,
        locked.sent_on,
        {
            "score": score,
            "comment": comment,
            "comment_dissatisfied": comment_dissatisfied,
            "responded_on": responded_on,
        },
    )
    problems.raise_any()
    before = snapshot(locked, RESPONSE_FIELDS)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    changes = diff(before, snapshot(locked, RESPONSE_FIELDS))
    if changes:
        _event(
            acting_user=acting_user,
            action=ContactsEvent.Action.SURVEY_RESPONSE,
            summary=f"Response recorded: {locked.score} out of 5",
            changes=changes,
            survey=locked,
        )
    _open_follow_up(acting_user=acting_user, survey=locked)
    return locked


@transaction.atomic
def follow_up_complete(
    *,
    acting_user: Any,
    follow_up: SurveyFollowUp,
    done_on: date,
    choice_offered: bool,
    outcome: str,
    complaint: Complaint | None = None,
) -> SurveyFollowUp:
    """Close a follow-up once the resident has been offered the choice to complain; link the
    complaint they made, if they chose to."""
    locked = SurveyFollowUp.objects.select_for_update().get(pk=follow_up.pk)
    problems = Problems()
    if locked.done_on is not None:
        problems.add(StepRefused("follow_up_done", "This follow-up is already done."))
    done_on = _day(problems, done_on, field="done_on", what="the date done")
    _not_before(
        problems,
        done_on,
        locked.opened_on,
        field="done_on",
        message="The follow-up cannot be done before it was opened.",
    )
    if not choice_offered:
        problems.add(
            StepRefused(
                "choice_not_offered",
                "A follow-up is done only once the resident has been offered the choice to "
                "complain (Code 1.6).",
                field="choice_offered",
            )
        )
    outcome = _text(problems, outcome, field="outcome", message="Enter what the resident said.")
    complaint = _instance(
        problems,
        complaint,
        Complaint,
        field="complaint",
        message="Enter the reference of a complaint.",
        required=False,
    )
    problems.raise_any()
    locked.done_on, locked.choice_offered, locked.outcome = done_on, True, outcome
    locked.complaint = complaint
    locked.save()
    changes = {"done_on": [None, done_on.isoformat()], "outcome": [None, outcome]}
    if complaint is not None:
        changes["complaint"] = [None, complaint.reference]
        _complaint_history(
            complaint,
            acting_user=acting_user,
            action=ComplaintEvent.Action.RAISED_FROM_FOLLOW_UP,
            summary=f"After survey {locked.survey.reference} about complaint "
            f"{locked.survey.complaint.reference}",
            on=done_on,
            survey=locked.survey.reference,
        )
    _event(
        acting_user=acting_user,
        action=ContactsEvent.Action.FOLLOW_UP_DONE,
        summary="Follow-up done: the resident was offered the choice to complain",
        changes=changes,
        survey=locked.survey,
    )
    return locked


# Contacts (contact demand) ---------------------------------------------------------------------


def _check_contact(fields: dict[str, Any], *, pk: int | None = None) -> dict[str, Any]:
    problems = Problems()
    checked = dict(fields)
    reference = _reference(fields.get("external_reference"))
    if reference and Contact.objects.filter(external_reference=reference).exclude(pk=pk).exists():
        problems.add(
            StepRefused(
                "external_reference_taken",
                f"Contact {reference} is already logged.",
                field="external_reference",
            )
        )
    checked["external_reference"] = reference
    received_on = _day(
        problems, fields.get("received_on"), field="received_on", what="the date received"
    )
    checked["channel"] = _choice(
        problems,
        fields.get("channel"),
        ContactChannel,
        field="channel",
        message="Select the channel.",
    )
    checked["contact_type"] = _choice(
        problems,
        fields.get("contact_type"),
        ContactType,
        field="contact_type",
        message="Select the type of contact.",
    )
    answered_on = _day(
        problems,
        fields.get("answered_on"),
        field="answered_on",
        what="the date answered",
        required=False,
    )
    _not_before(
        problems,
        answered_on,
        received_on,
        field="answered_on",
        message="The date answered cannot be before the date received.",
    )
    problems.raise_any()
    checked["due_on"] = contact_due(received_on)
    checked["answered_in_time"] = None if answered_on is None else answered_on <= checked["due_on"]
    return checked


def contact_values(**fields: Any) -> dict[str, Any]:
    """A contact's checked values, ready to save (the import checks every row with this)."""
    return _check_contact(fields)


@transaction.atomic
def contact_log(
    *,
    acting_user: Any,
    received_on: date,
    channel: str,
    contact_type: str,
    answered_on: date | None = None,
    external_reference: str | None = None,
) -> Contact:
    """Log one contact; its answer is due on the policy's target, and whether it was met is
    stored once it is answered."""
    fields = _check_contact(
        {
            "received_on": received_on,
            "channel": channel,
            "contact_type": contact_type,
            "answered_on": answered_on,
            "external_reference": external_reference,
        }
    )
    contact = Contact.objects.create(**fields)
    _event(
        acting_user=acting_user,
        action=ContactsEvent.Action.CONTACT_LOGGED,
        summary=f"{contact.get_channel_display()} contact logged",
        changes=created(snapshot(contact, CONTACT_FIELDS)),
        contact=contact,
    )
    return contact


@transaction.atomic
def contact_update(*, acting_user: Any, contact: Contact, **values: Any) -> Contact:
    """Change a contact, or record when it was answered."""
    locked = Contact.objects.select_for_update().get(pk=contact.pk)
    before = snapshot(locked, CONTACT_FIELDS)
    current = {
        name: getattr(locked, name)
        for name in ("external_reference", "received_on", "channel", "contact_type", "answered_on")
    }
    unknown = set(values) - set(current)
    if unknown:
        raise TypeError(f"contact_update got unknown fields {sorted(unknown)}")
    fields = _check_contact({**current, **values}, pk=locked.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    changes = diff(before, snapshot(locked, CONTACT_FIELDS))
    if changes:
        _event(
            acting_user=acting_user,
            action=ContactsEvent.Action.CONTACT_UPDATED,
            summary="Contact updated",
            changes=changes,
            contact=locked,
        )
    return locked
