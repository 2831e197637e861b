"""Every step of a financial remedy, through the services: the offer split by heads of loss,
the resident's answer, approval within a limit, payment, and every step refused out of order."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.complaints.models import ComplaintEvent, RemedyKind
from putright.core.errors import InvalidInput, StepRefused
from putright.redress import services
from putright.redress.models import Compensation
from tests.people.factories import StaffUserFactory
from tests.redress.conftest import financial, offer, respond_with

D = dt.date
Status = Compensation.Status


def events(compensation: Compensation) -> list[str]:
    return list(
        ComplaintEvent.objects.filter(
            complaint_id=compensation.complaint_id, action__startswith="compensation_"
        )
        .order_by("id")
        .values_list("action", flat=True)
    )


# The offer --------------------------------------------------------------------------------------


def test_the_offer_is_split_by_heads_of_loss_and_recorded_on_the_case(remedy, handler):
    row = offer(remedy, handler)

    assert row.status == Status.OFFERED
    assert row.amount_pence == 35_000
    assert row.heads() == {
        "distress_pence": 25_000,
        "time_trouble_pence": 0,
        "complaint_handling_pence": 10_000,
        "costs_pence": 0,
        "other_pence": 0,
    }
    assert row.offered_on == D(2026, 1, 20)  # the date the response was issued
    assert row.offered_by == handler
    assert row.complaint_id == remedy.stage.complaint_id
    event = ComplaintEvent.objects.filter(action="compensation_offered").get()
    assert event.actor == handler
    assert event.stage_number == 1
    assert event.changes["amount_pence"] == [None, 35_000]
    assert event.changes["distress_pence"] == [None, 25_000]


def test_heads_that_do_not_add_up_to_the_amount_are_refused(remedy, handler):
    with pytest.raises(InvalidInput) as error:
        offer(remedy, handler, heads={"distress_pence": 25_000, "costs_pence": 9_999})
    assert error.value.code == "heads_do_not_add_up"
    assert "£349.99" in error.value.message and "£350.00" in error.value.message
    assert not Compensation.objects.exists()
    assert not ComplaintEvent.objects.filter(action="compensation_offered").exists()


@pytest.mark.parametrize(
    ("heads", "code"),
    [
        ({"distress_pence": -1, "other_pence": 35_001}, "invalid_head"),
        ({"distress_pence": 350.0}, "invalid_head"),
        ({"happiness_pence": 35_000}, "unknown_head"),
    ],
)
def test_malformed_heads_are_refused(remedy, handler, heads, code):
    with pytest.raises(InvalidInput) as error:
        offer(remedy, handler, heads=heads)
    assert error.value.code == code


def test_a_remedy_is_offered_once(offered, remedy, handler):
    with pytest.raises(StepRefused) as error:
        offer(remedy, handler)
    assert error.value.code == "already_offered"


def test_only_a_financial_remedy_is_offered_as_compensation(handler):
    stage = respond_with(handler, [{"kind": "apology", "description": "A written apology."}])
    with pytest.raises(StepRefused) as error:
        offer(stage.remedies.get(), handler, heads={})
    assert error.value.code == "not_financial"


def test_an_offer_cannot_be_dated_before_the_response(remedy, handler):
    with pytest.raises(InvalidInput) as error:
        offer(remedy, handler, on=D(2026, 1, 19))
    assert error.value.code == "date_out_of_order"


def test_the_ombudsman_order_is_recorded(remedy, handler):
    row = offer(remedy, handler, ombudsman=Compensation.Ombudsman.ORDERED)
    assert row.ombudsman == "ordered"
    with pytest.raises(InvalidInput):
        services.compensation_offer(
            acting_user=handler,
            remedy=respond_with(handler, [financial(1_000)]).remedies.get(),
            heads={"other_pence": 1_000},
            ombudsman="suggested",
        )


# The whole way, in order ------------------------------------------------------------------------


def test_offered_accepted_approved_paid(paid, manager):
    paid.refresh_from_db()
    assert paid.status == Status.PAID
    assert paid.decided_on == D(2026, 1, 22)
    assert paid.approved_by == manager
    assert paid.approved_on == D(2026, 1, 23)
    assert paid.approved_at is not None
    assert paid.paid_on == D(2026, 1, 26)
    assert paid.method == "bank_transfer"
    assert paid.payment_reference == "BACS-0001"
    assert events(paid) == [
        "compensation_offered",
        "compensation_accepted",
        "compensation_approved",
        "compensation_paid",
    ]


def test_a_declined_offer_stays_on_the_record(offered, handler):
    row = services.compensation_decline(
        acting_user=handler, compensation=offered, on=D(2026, 1, 21), note="Wants more."
    )
    assert row.status == Status.DECLINED
    assert row.decision_note == "Wants more."
    assert events(row) == ["compensation_offered", "compensation_declined"]


# Every step refused out of order ----------------------------------------------------------------

STEPS = {
    "accept": lambda row, user: services.compensation_accept(acting_user=user, compensation=row),
    "decline": lambda row, user: services.compensation_decline(acting_user=user, compensation=row),
    "approve": lambda row, user: services.compensation_approve(acting_user=user, compensation=row),
    "pay": lambda row, user: services.compensation_pay(
        acting_user=user, compensation=row, method="bank_transfer", reference="R1"
    ),
}
ALLOWED = {
    ("offered", "accept"),
    ("offered", "decline"),
    ("accepted", "approve"),
    ("approved", "pay"),
}
REFUSED = [
    (status, step) for status in Status.values for step in STEPS if (status, step) not in ALLOWED
]


def test_the_transition_table_is_the_one_tested():
    allowed = {
        (status, step) for step, (sources, _) in services.TRANSITIONS.items() for status in sources
    }
    assert allowed == ALLOWED


@pytest.mark.parametrize(("status", "step"), REFUSED)
def test_a_step_out_of_order_is_refused_and_changes_nothing(offered, status, step):
    manager = StaffUserFactory(role="Complaints manager")
    Compensation.objects.filter(pk=offered.pk).update(
        status=status,
        paid_on=D(2026, 1, 26) if status == "paid" else None,
    )
    before = list(Compensation.objects.filter(pk=offered.pk).values())
    count = ComplaintEvent.objects.count()

    with pytest.raises(StepRefused) as error:
        STEPS[step](offered, manager)

    assert error.value.code == "step_out_of_order"
    assert Status(status).label.lower() in error.value.message
    assert list(Compensation.objects.filter(pk=offered.pk).values()) == before
    assert ComplaintEvent.objects.count() == count


# Approval limits --------------------------------------------------------------------------------


@pytest.fixture
def limits(settings):
    settings.PUTRIGHT_COMPENSATION_APPROVAL_LIMITS = {
        "Case handler": 25_000,
        "Complaints manager": 100_000,
    }


def test_above_the_handlers_limit_it_waits_for_someone_whose_limit_covers_it(
    limits, accepted, handler, manager
):
    # £350 against a handler's £250 limit.
    with pytest.raises(StepRefused) as error:
        services.compensation_approve(acting_user=handler, compensation=accepted)
    assert error.value.code == "above_approval_limit"
    assert "£350.00 is above your approval limit of £250.00" in error.value.message
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED
    assert accepted.approved_by is None

    row = services.compensation_approve(
        acting_user=manager, compensation=accepted, on=D(2026, 1, 23)
    )

    assert row.status == Status.APPROVED
    assert row.approved_by == manager
    assert row.approved_on == D(2026, 1, 23)
    event = ComplaintEvent.objects.get(action="compensation_approved")
    assert event.actor == manager
    assert event.changes["approval_limit_pence"] == [None, 100_000]


def test_an_amount_exactly_at_the_limit_is_within_it(limits, handler):
    remedy = respond_with(handler, [financial(25_000)]).remedies.get()
    row = offer(remedy, handler, heads={"time_trouble_pence": 25_000})
    row = services.compensation_accept(acting_user=handler, compensation=row)
    assert services.compensation_approve(acting_user=handler, compensation=row).status == (
        "approved"
    )


def test_the_limit_is_the_highest_of_a_persons_roles(limits, db):
    both = StaffUserFactory(role="Case handler")
    both.groups.add(StaffUserFactory(role="Complaints manager").groups.get())
    assert services.approval_limit(both) == 100_000
    assert services.approval_limit(StaffUserFactory(role="Board member")) == 0
    assert services.approval_limit(StaffUserFactory(is_superuser=True)) == 100_000


# Payment ----------------------------------------------------------------------------------------


def test_offsetting_against_rent_arrears_without_the_residents_agreement_is_refused(
    approved, handler
):
    with pytest.raises(StepRefused) as error:
        services.compensation_pay(
            acting_user=handler,
            compensation=approved,
            method=Compensation.Method.RENT_ARREARS_OFFSET,
        )
    assert error.value.code == "offset_not_agreed"
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


def test_offsetting_with_the_residents_agreement_is_recorded(approved, handler):
    row = services.compensation_pay(
        acting_user=handler,
        compensation=approved,
        method=Compensation.Method.RENT_ARREARS_OFFSET,
        offset_agreed=True,
        on=D(2026, 1, 27),
    )
    assert row.status == Status.PAID
    assert row.offset_agreed is True


def test_a_payment_needs_its_reference_and_a_known_method(approved, handler):
    with pytest.raises(InvalidInput) as error:
        services.compensation_pay(acting_user=handler, compensation=approved, method="cheque")
    assert error.value.code == "reference_missing"
    with pytest.raises(InvalidInput) as error:
        services.compensation_pay(
            acting_user=handler, compensation=approved, method="crypto", reference="x"
        )
    assert error.value.code == "invalid_method"


def test_a_payment_cannot_be_dated_before_its_approval(approved, handler):
    with pytest.raises(InvalidInput) as error:
        services.compensation_pay(
            acting_user=handler,
            compensation=approved,
            method="cheque",
            reference="000123",
            on=D(2026, 1, 22),
        )
    assert error.value.code == "date_out_of_order"


# Remedies of every Code 7.1 kind, with what will happen and by when -----------------------------


def test_every_code_kind_is_kept_with_its_date_and_the_residents_agreement(handler):
    kinds = [
        "apology",
        "acknowledgement",
        "explanation",
        "action_on_delay",
        "reconsider_decision",
        "record_amended",
        "service_change",
    ]
    stage = respond_with(
        handler,
        [
            {
                "kind": kind,
                "description": f"{kind} described",
                "due_on": D(2026, 2, 2),
                "resident_agreed": "yes" if i % 2 else "no",
            }
            for i, kind in enumerate(kinds[:5])
        ],
    )
    rows = list(stage.remedies.order_by("id"))
    assert [row.kind for row in rows] == kinds[:5]
    assert {row.due_on for row in rows} == {D(2026, 2, 2)}
    assert [row.resident_agreed for row in rows] == ["no", "yes", "no", "yes", "no"]


def test_the_code_kinds_are_all_there_and_the_old_ones_still_valid():
    assert {
        "apology",
        "acknowledgement",
        "explanation",
        "action_on_delay",
        "reconsider_decision",
        "record_amended",
        "compensation",
        "service_change",
        "repair",
        "other",
    } == set(RemedyKind.values)


def test_the_response_letter_says_by_when_a_remedy_will_happen(handler):
    from putright.letters.compose import _remedy_line
    from putright.letters.wording import BUILT_IN

    line = _remedy_line(
        BUILT_IN, "action_on_delay", "We will finish the repair.", None, D(2026, 2, 2)
    )
    assert line == "Action on delay: We will finish the repair. We will do this by 2 February 2026."


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"due_on": "next week"}, "invalid_remedy_due"),
        ({"due_on": dt.datetime(2026, 2, 2, 9)}, "invalid_remedy_due"),
        ({"resident_agreed": "maybe"}, "invalid_resident_agreed"),
    ],
)
def test_a_remedys_date_and_agreement_are_checked(handler, extra, code):
    from putright.complaints import services as complaint_services
    from tests.casework.test_response_support import DECISIONS, acknowledge, log_complaint

    complaint = acknowledge(handler, log_complaint(handler))
    with pytest.raises(InvalidInput) as error:
        complaint_services.response_draft_submit(
            acting_user=handler,
            complaint=complaint,
            decisions=DECISIONS,
            remedies=[{"kind": "apology", "description": "Sorry.", **extra}],
            on=D(2026, 1, 15),
        )
    assert error.value.code == code
    assert error.value.context == {"remedy": 1}


def test_a_drafts_remedy_keeps_its_date_as_text_and_only_what_was_given(handler):
    from putright.complaints import services as complaint_services
    from tests.casework.test_response_support import DECISIONS, acknowledge, log_complaint

    complaint = acknowledge(handler, log_complaint(handler))
    complaint_services.response_draft_submit(
        acting_user=handler,
        complaint=complaint,
        decisions=DECISIONS,
        remedies=[
            {"kind": "apology", "description": "Sorry.", "due_on": D(2026, 1, 30)},
            {"kind": "explanation", "description": "Why.", "resident_agreed": "yes"},
        ],
        on=D(2026, 1, 15),
    )
    stage = complaint.stages.get()
    assert stage.draft["remedies"] == [
        {"kind": "apology", "description": "Sorry.", "amount_pence": None, "due_on": "2026-01-30"},
        {
            "kind": "explanation",
            "description": "Why.",
            "amount_pence": None,
            "resident_agreed": "yes",
        },
    ]
