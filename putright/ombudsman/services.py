"""Every step of Ombudsman casework, refused here when out of order, whatever calls it.

One function per step; each runs in one transaction, checks its preconditions, writes the change
and one ``OmbudsmanEvent``. Stage moves go through ``STAGE_MOVES``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction

from putright.complaints import services as complaint_services
from putright.complaints.models import Complaint, ComplaintEvent
from putright.core import clock
from putright.core.dates import long_date
from putright.core.errors import InvalidInput, StepRefused
from putright.learning import services as learning
from putright.ombudsman.models import (
    CaseReview,
    CaseStage,
    FailureOrder,
    Finding,
    InformationRequest,
    OmbudsmanCase,
    OmbudsmanEvent,
    Order,
    Outcome,
    Recommendation,
    StageChange,
)
from putright.organisation.models import Category
from putright.redress.models import Compensation
from putright.rules import malrate

# stage -> the stages the Ombudsman may move a case on to. It may close a case at any point
# (referred back, resolved early, outside jurisdiction); a review reopens a determination.
STAGE_MOVES: dict[str, frozenset[str]] = {
    CaseStage.ENQUIRY: frozenset({CaseStage.ASSESSMENT, CaseStage.CLOSED}),
    CaseStage.ASSESSMENT: frozenset(
        {CaseStage.ENQUIRY, CaseStage.INVESTIGATION, CaseStage.DETERMINATION, CaseStage.CLOSED}
    ),
    CaseStage.INVESTIGATION: frozenset({CaseStage.DETERMINATION, CaseStage.CLOSED}),
    CaseStage.DETERMINATION: frozenset({CaseStage.REVIEW, CaseStage.CLOSED}),
    CaseStage.REVIEW: frozenset({CaseStage.DETERMINATION, CaseStage.CLOSED}),
    CaseStage.CLOSED: frozenset({CaseStage.REVIEW}),
}
# Stages from which a determination may be recorded (at assessment, on the information held).
DETERMINABLE = frozenset({CaseStage.ASSESSMENT, CaseStage.INVESTIGATION, CaseStage.REVIEW})


# Helpers ----------------------------------------------------------------------------------------


def _day(on: date | None, field: str = "on") -> date:
    if on is None:
        return clock.today()
    if isinstance(on, datetime) or not isinstance(on, date):
        raise InvalidInput("invalid_date", "Give a real date.", field=field)
    if on > clock.today():
        raise InvalidInput("date_in_future", "The date cannot be in the future.", field=field)
    return on


def _not_before(on: date, earlier: date | None, what: str, field: str = "on") -> None:
    if earlier is not None and on < earlier:
        raise InvalidInput(
            "date_out_of_order",
            f"The date cannot be earlier than {what} ({long_date(earlier)}).",
            field=field,
        )


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput("missing", message, field=field)
    return value


def _event(
    case: OmbudsmanCase | None,
    *,
    acting_user: Any,
    on: date,
    action: str,
    summary: str,
    changes: dict | None = None,
    **subject: Any,
) -> None:
    OmbudsmanEvent.write(
        acting_user=acting_user,
        on=on,
        action=action,
        summary=summary,
        changes=changes or {},
        case=case,
        **subject,
    )


def _complaints_history(
    case: OmbudsmanCase, complaints: Iterable[Complaint], *, action: str, **event: Any
) -> None:
    """The same moment in each linked complaint's own history, so its timeline shows it."""
    for complaint in complaints:
        complaint_services.link_history_record(
            complaint=complaint, action=action, changes={"ombudsman_case": case.reference}, **event
        )


def _lock(case: OmbudsmanCase) -> OmbudsmanCase:
    return OmbudsmanCase.objects.select_for_update().get(pk=case.pk)


def _open(case: OmbudsmanCase, what: str) -> None:
    if case.stage == CaseStage.CLOSED:
        raise StepRefused("case_closed", f"The Ombudsman case is closed, so {what}.")


# The case ---------------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    acting_user: Any,
    reference: str,
    referred_on: date,
    complaints: Iterable[Complaint],
    kind: str = OmbudsmanCase.Kind.INDIVIDUAL,
    stage: str = CaseStage.ENQUIRY,
    summary: str = "",
    complaints_unknown: bool = False,
) -> OmbudsmanCase:
    """Record a complaint (or several, for a wider investigation) referred to the Ombudsman.

    ``complaints_unknown`` lets an import of past findings record a case whose complaint the
    file does not name; every screen gives one."""
    reference = _text(reference, "reference", "Enter the Ombudsman's reference").upper()
    referred_on = _day(referred_on, "referred_on")
    complaints = list(complaints)
    if kind not in OmbudsmanCase.Kind.values:
        raise InvalidInput("invalid_kind", "Select the kind of case.", field="kind")
    if stage not in CaseStage.values or stage == CaseStage.CLOSED:
        raise InvalidInput("invalid_stage", "Select the stage the case is at.", field="stage")
    if not complaints and kind == OmbudsmanCase.Kind.INDIVIDUAL and not complaints_unknown:
        raise InvalidInput(
            "no_complaint", "Give the complaint referred to the Ombudsman.", field="complaints"
        )
    if kind == OmbudsmanCase.Kind.INDIVIDUAL and len(complaints) > 1:
        raise InvalidInput(
            "one_complaint",
            "A case about one complaint links one; record several as a wider investigation.",
            field="complaints",
        )
    if OmbudsmanCase.objects.filter(reference=reference).exists():
        raise StepRefused(
            "duplicate_reference",
            f"An Ombudsman case with reference {reference} is already recorded.",
            field="reference",
        )
    try:
        with transaction.atomic():
            case = OmbudsmanCase.objects.create(
                reference=reference,
                kind=kind,
                referred_on=referred_on,
                stage=stage,
                stage_since=referred_on,
                summary=summary.strip(),
            )
    except IntegrityError:  # the same reference recorded at the same moment
        raise StepRefused(
            "duplicate_reference",
            f"An Ombudsman case with reference {reference} is already recorded.",
            field="reference",
        ) from None
    case.complaints.set(complaints)
    _complaints_history(
        case,
        complaints,
        acting_user=acting_user,
        on=referred_on,
        action=ComplaintEvent.Action.OMBUDSMAN_REFERRED,
        summary=f"The Ombudsman's reference is {reference}",
    )
    StageChange.objects.create(case=case, stage=stage, on=referred_on)
    _event(
        case,
        acting_user=acting_user,
        on=referred_on,
        action="case_opened",
        summary=f"Referred to the Ombudsman ({reference})",
        changes={
            "reference": [None, reference],
            "stage": [None, stage],
            "complaints": [None, [c.reference for c in complaints]],
        },
    )
    return case


@transaction.atomic
def case_move(
    *, acting_user: Any, case: OmbudsmanCase, stage: str, on: date | None = None
) -> OmbudsmanCase:
    """Move the case to the Ombudsman's next stage (a dated stage change)."""
    case = _lock(case)
    on = _day(on)
    if stage not in CaseStage.values:
        raise InvalidInput("invalid_stage", "Select a stage.", field="stage")
    if stage == CaseStage.DETERMINATION:
        raise StepRefused(
            "use_determination",
            "Record the determination with its date instead; the stage moves with it.",
            field="stage",
        )
    if stage not in STAGE_MOVES[case.stage]:
        raise StepRefused(
            "stage_out_of_order",
            f"The case is at {case.get_stage_display().lower()}, so it cannot move to "
            f"{CaseStage(stage).label.lower()}.",
            field="stage",
        )
    _not_before(on, case.stage_since, "the last change of stage")
    old = case.stage
    case.stage, case.stage_since = stage, on
    case.save(update_fields=["stage", "stage_since", "updated_at"])
    StageChange.objects.create(case=case, stage=stage, on=on)
    _event(
        case,
        acting_user=acting_user,
        on=on,
        action="stage_changed",
        summary=f"Stage: {CaseStage(stage).label}",
        changes={"stage": [old, stage]},
    )
    return case


@transaction.atomic
def determination_record(*, acting_user: Any, case: OmbudsmanCase, on: date) -> OmbudsmanCase:
    """The Ombudsman's determination: its date, and the case moves to determination."""
    case = _lock(case)
    on = _day(on)
    if case.stage not in DETERMINABLE:
        raise StepRefused(
            "not_determinable",
            f"The case is at {case.get_stage_display().lower()}, so no determination can be "
            "recorded.",
        )
    _not_before(on, case.stage_since, "the last change of stage")
    old = case.determined_on
    case.stage, case.stage_since, case.determined_on = CaseStage.DETERMINATION, on, on
    case.save(update_fields=["stage", "stage_since", "determined_on", "updated_at"])
    StageChange.objects.create(case=case, stage=CaseStage.DETERMINATION, on=on)
    _event(
        case,
        acting_user=acting_user,
        on=on,
        action="determined",
        summary=f"Determination of {long_date(on)}",
        changes={"determined_on": [old and old.isoformat(), on.isoformat()]},
    )
    _complaints_history(
        case,
        case.complaints.all(),
        acting_user=acting_user,
        on=on,
        action=ComplaintEvent.Action.OMBUDSMAN_DETERMINED,
        summary=f"The Ombudsman's decision on its case {case.reference}",
    )
    return case


@transaction.atomic
def finding_add(
    *,
    acting_user: Any,
    case: OmbudsmanCase,
    element: str,
    outcome: str,
    category: Category | None = None,
    complaint: Complaint | None = None,
) -> Finding:
    """One finding per complaint element. A finding of failure opens the case review."""
    case = _lock(case)
    if case.determined_on is None:
        raise StepRefused("not_determined", "Record the determination before its findings.")
    element = _text(element, "element", "Enter the complaint element the finding is about")
    if outcome not in Outcome.values:
        raise InvalidInput("invalid_outcome", "Select the finding.", field="outcome")
    if complaint is not None and not case.complaints.filter(pk=complaint.pk).exists():
        raise InvalidInput(
            "complaint_not_on_case",
            f"Complaint {complaint.reference} is not linked to this Ombudsman case.",
            field="complaint",
        )
    if case.findings.filter(element__iexact=element).exists():
        raise StepRefused(
            "duplicate_element",
            "There is already a finding on this complaint element.",
            field="element",
        )
    finding = Finding.objects.create(
        case=case, element=element, outcome=outcome, category=category, complaint=complaint
    )
    _event(
        case,
        acting_user=acting_user,
        on=case.determined_on,
        action="finding_added",
        summary=f"Finding: {Outcome(outcome).label} on {element}",
        changes={
            "finding": [None, finding.pk],
            "outcome": [None, outcome],
            "category": [None, category and category.name],
        },
    )
    if outcome in malrate.FAILURES and not CaseReview.objects.filter(case=case).exists():
        CaseReview.objects.create(case=case, opened_on=case.determined_on)
        _event(
            case,
            acting_user=acting_user,
            on=case.determined_on,
            action="review_opened",
            summary="Case review opened: the Ombudsman found failure",
        )
    return finding


# Requests for information -----------------------------------------------------------------------


@transaction.atomic
def request_record(
    *, acting_user: Any, case: OmbudsmanCase, what: str, requested_on: date, due_on: date
) -> InformationRequest:
    case = _lock(case)
    _open(case, "no request can be recorded")
    what = _text(what, "what", "Enter what the Ombudsman asked for")
    requested_on = _day(requested_on, "requested_on")
    _not_before(requested_on, case.referred_on, "the referral", field="requested_on")
    if not isinstance(due_on, date):
        raise InvalidInput("invalid_date", "Give the date the Ombudsman set.", field="due_on")
    _not_before(due_on, requested_on, "the request", field="due_on")
    row = InformationRequest.objects.create(
        case=case, what=what, requested_on=requested_on, due_on=due_on
    )
    _event(
        case,
        acting_user=acting_user,
        on=requested_on,
        action="request_recorded",
        summary=f"Information requested, due {long_date(due_on)}",
        changes={"request": [None, row.pk], "due_on": [None, due_on.isoformat()]},
    )
    return row


@transaction.atomic
def request_provide(
    *, acting_user: Any, request: InformationRequest, on: date | None = None
) -> InformationRequest:
    row = InformationRequest.objects.select_for_update().get(pk=request.pk)
    if row.provided_on is not None:
        raise StepRefused("already_provided", "This information is already recorded as sent.")
    on = _day(on)
    _not_before(on, row.requested_on, "the request")
    row.provided_on = on
    row.save(update_fields=["provided_on", "updated_at"])
    _event(
        row.case,
        acting_user=acting_user,
        on=on,
        action="request_provided",
        summary="Information sent " + ("in time" if row.in_time else "late"),
        changes={"request": [row.pk, row.pk], "provided_on": [None, on.isoformat()]},
    )
    return row


# Orders and recommendations ---------------------------------------------------------------------


def _determined(case: OmbudsmanCase, what: str) -> None:
    if case.determined_on is None:
        raise StepRefused("not_determined", f"Record the determination before its {what}.")


@transaction.atomic
def order_record(
    *, acting_user: Any, case: OmbudsmanCase, what: str, due_on: date, compensation_pence: int = 0
) -> Order:
    """An order, with the date the determination set for it (stored, never computed)."""
    case = _lock(case)
    _determined(case, "orders")
    what = _text(what, "what", "Enter what the Ombudsman ordered")
    if not isinstance(due_on, date):
        raise InvalidInput("invalid_date", "Give the date the order set.", field="due_on")
    _not_before(due_on, case.determined_on, "the determination", field="due_on")
    if not isinstance(compensation_pence, int) or compensation_pence < 0:
        raise InvalidInput(
            "invalid_amount", "Enter the compensation ordered, or 0.", field="compensation_pence"
        )
    row = Order.objects.create(
        case=case, what=what, due_on=due_on, compensation_pence=compensation_pence
    )
    _event(
        case,
        acting_user=acting_user,
        on=case.determined_on,
        action="order_recorded",
        summary=f"Order due {long_date(due_on)}",
        changes={"order": [None, row.pk], "compensation_pence": [None, compensation_pence]},
    )
    return row


@transaction.atomic
def order_comply(*, acting_user: Any, order: Order, evidence: str, on: date | None = None) -> Order:
    row = Order.objects.select_for_update().select_related("case").get(pk=order.pk)
    if row.complied_on is not None:
        raise StepRefused("already_complied", "This order is already recorded as complied with.")
    evidence = _text(evidence, "evidence", "Describe the evidence of compliance sent")
    on = _day(on)
    _not_before(on, row.case.determined_on, "the determination")
    row.evidence, row.complied_on = evidence, on
    row.save(update_fields=["evidence", "complied_on", "updated_at"])
    _event(
        row.case,
        acting_user=acting_user,
        on=on,
        action="order_complied",
        summary="Order complied with " + ("in time" if row.in_time else "late"),
        changes={"order": [row.pk, row.pk], "complied_on": [None, on.isoformat()]},
    )
    return row


@transaction.atomic
def order_link_compensation(*, acting_user: Any, order: Order, compensation: Compensation) -> Order:
    """Link the payment in the register that meets an order's compensation. The payment is
    recorded through putright.redress (a financial remedy offered with ombudsman "ordered"), so
    the register counts it once."""
    row = Order.objects.select_for_update().select_related("case").get(pk=order.pk)
    if not row.compensation_pence:
        raise StepRefused("no_compensation", "This order carries no compensation.")
    if row.compensation_id is not None:
        raise StepRefused("already_linked", "A payment is already linked to this order.")
    if not row.case.complaints.filter(pk=compensation.complaint_id).exists():
        raise InvalidInput(
            "compensation_not_on_case",
            "That payment is for a complaint not linked to this case.",
            field="compensation",
        )
    if compensation.ombudsman != Compensation.Ombudsman.ORDERED:
        raise InvalidInput(
            "not_ordered",
            "Link a payment the register records as ordered by the Ombudsman.",
            field="compensation",
        )
    if Order.objects.filter(compensation=compensation).exists():
        raise StepRefused(
            "payment_taken", "That payment is linked to another order.", field="compensation"
        )
    row.compensation = compensation
    row.save(update_fields=["compensation", "updated_at"])
    _event(
        row.case,
        acting_user=acting_user,
        on=clock.today(),
        action="order_payment_linked",
        summary="Payment linked to the order",
        changes={"order": [row.pk, row.pk], "compensation": [None, compensation.pk]},
    )
    return row


@transaction.atomic
def recommendation_record(*, acting_user: Any, case: OmbudsmanCase, what: str) -> Recommendation:
    case = _lock(case)
    _determined(case, "recommendations")
    what = _text(what, "what", "Enter what the Ombudsman recommended")
    row = Recommendation.objects.create(case=case, what=what)
    _event(
        case,
        acting_user=acting_user,
        on=case.determined_on,
        action="recommendation_recorded",
        summary="Recommendation recorded",
        changes={"recommendation": [None, row.pk]},
    )
    return row


@transaction.atomic
def recommendation_decide(
    *,
    acting_user: Any,
    recommendation: Recommendation,
    accepted: bool,
    reason: str = "",
    on: date | None = None,
) -> Recommendation:
    row = (
        Recommendation.objects.select_for_update().select_related("case").get(pk=recommendation.pk)
    )
    if row.accepted is not None:
        raise StepRefused("already_decided", "Whether it was accepted is already recorded.")
    on = _day(on)
    _not_before(on, row.case.determined_on, "the determination")
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise InvalidInput(
            "reason_missing", "Say why the recommendation was not accepted.", field="reason"
        )
    row.accepted, row.reason, row.decided_on = bool(accepted), reason, on
    row.save(update_fields=["accepted", "reason", "decided_on", "updated_at"])
    _event(
        row.case,
        acting_user=acting_user,
        on=on,
        action="recommendation_decided",
        summary="Recommendation " + ("accepted" if accepted else "not accepted"),
        changes={"recommendation": [row.pk, row.pk], "accepted": [None, bool(accepted)]},
    )
    return row


@transaction.atomic
def recommendation_done(
    *, acting_user: Any, recommendation: Recommendation, on: date | None = None
) -> Recommendation:
    row = (
        Recommendation.objects.select_for_update().select_related("case").get(pk=recommendation.pk)
    )
    if row.accepted is not True:
        raise StepRefused("not_accepted", "Only an accepted recommendation can be done.")
    if row.done_on is not None:
        raise StepRefused("already_done", "This recommendation is already recorded as done.")
    on = _day(on)
    _not_before(on, row.decided_on, "its acceptance")
    row.done_on = on
    row.save(update_fields=["done_on", "updated_at"])
    _event(
        row.case,
        acting_user=acting_user,
        on=on,
        action="recommendation_done",
        summary="Recommendation done",
        changes={"done_on": [None, on.isoformat()]},
    )
    return row


# Failure orders and notices ---------------------------------------------------------------------


@transaction.atomic
def failure_order_record(
    *,
    acting_user: Any,
    kind: str,
    issued_on: date,
    reason: str,
    order_type: str = "",
    case: OmbudsmanCase | None = None,
) -> FailureOrder:
    if kind not in FailureOrder.Kind.values:
        raise InvalidInput("invalid_kind", "Select an order or a notice.", field="kind")
    if order_type not in FailureOrder.OrderType.values:
        raise InvalidInput("invalid_type", "Select the type of order.", field="order_type")
    if kind == FailureOrder.Kind.NOTICE and order_type:
        raise InvalidInput(
            "notice_has_no_type", "A notice has no type; only orders do.", field="order_type"
        )
    reason = _text(reason, "reason", "Enter the reason the Ombudsman gave")
    issued_on = _day(issued_on, "issued_on")
    row = FailureOrder.objects.create(
        case=case, kind=kind, order_type=order_type, issued_on=issued_on, reason=reason
    )
    _event(
        case,
        acting_user=acting_user,
        on=issued_on,
        action="failure_order_recorded",
        summary=f"{row.get_kind_display()} issued",
        failure_order=row,
        changes={"kind": [None, kind], "order_type": [None, order_type]},
    )
    return row


@transaction.atomic
def failure_order_respond(
    *, acting_user: Any, failure_order: FailureOrder, response: str, on: date | None = None
) -> FailureOrder:
    row = FailureOrder.objects.select_for_update().get(pk=failure_order.pk)
    if row.responded_on is not None:
        raise StepRefused("already_responded", "The landlord's response is already recorded.")
    response = _text(response, "response", "Enter the landlord's response")
    on = _day(on)
    _not_before(on, row.issued_on, "the order or notice")
    row.response, row.responded_on = response, on
    row.save(update_fields=["response", "responded_on", "updated_at"])
    _event(
        row.case,
        acting_user=acting_user,
        on=on,
        action="failure_order_responded",
        summary="Response to the failure order or notice",
        failure_order=row,
        changes={"responded_on": [None, on.isoformat()]},
    )
    return row


# The case review --------------------------------------------------------------------------------


@transaction.atomic
def case_review_complete(
    *,
    acting_user: Any,
    review: CaseReview,
    what_went_wrong: str,
    on: date | None = None,
    lesson_title: str = "",
    learning_text: str = "",
    root_cause: str = "",
) -> CaseReview:
    """Complete the case review; with a lesson title, it starts a lesson (putright.learning)
    linked to the case's complaints."""
    row = CaseReview.objects.select_for_update().select_related("case").get(pk=review.pk)
    if row.completed_on is not None:
        raise StepRefused("already_completed", "This case review is already completed.")
    what_went_wrong = _text(what_went_wrong, "what_went_wrong", "Describe what went wrong")
    on = _day(on)
    _not_before(on, row.opened_on, "the review's opening")
    lesson = None
    if lesson_title.strip():
        first = row.case.findings.exclude(category=None).select_related("category").first()
        lesson = learning.lesson_record(
            acting_user=acting_user,
            title=lesson_title.strip(),
            what_happened=what_went_wrong,
            root_cause=root_cause or "other",
            learning=_text(learning_text, "learning_text", "Enter what was learned"),
            owner=acting_user,
            identified_on=on,
            category=first.category if first else None,
            complaints=list(row.case.complaints.all()),
        )
    row.what_went_wrong, row.completed_on, row.lesson = what_went_wrong, on, lesson
    row.save(update_fields=["what_went_wrong", "completed_on", "lesson", "updated_at"])
    _event(
        row.case,
        acting_user=acting_user,
        on=on,
        action="review_completed",
        summary="Case review completed" + (f"; lesson {lesson.reference}" if lesson else ""),
        changes={"completed_on": [None, on.isoformat()], "lesson": [None, lesson and lesson.pk]},
    )
    return row
