"""The outbox's services one step at a time, with the time given: what is checked before an email
is saved, the back-off, sending again, and recording on the complaint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from putright.complaints import services as complaint_services
from putright.complaints.models import Correspondence, Party
from putright.core.errors import InvalidInput, StepRefused
from putright.outbox.models import EmailStatus, OutgoingEmail
from putright.outbox.services import (
    email_deliver,
    email_enqueue,
    email_resend,
    retry_delay,
)
from tests.outbox.conftest import letter_email
from tests.people.factories import ResidentFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

NINE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_the_wait_doubles_after_each_failed_attempt(settings):
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    settings.PUTRIGHT_OUTBOX_RETRY_SECONDS = 10
    assert retry_delay(3) == timedelta(seconds=40)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"to": []}, "recipient_missing"),
        ({"to": ["rita.resident@example.com", "not an address"]}, "invalid_recipient"),
        ({"subject": "  "}, "subject_missing"),
        ({"subject": "Your complaint\nBcc: everyone@example.com"}, "invalid_subject"),
        ({"text": ""}, "body_missing"),
        ({"party": "landlord"}, "invalid_party"),
        ({"stage_number": 1}, "stage_without_complaint"),
    ],
)
def test_an_email_that_cannot_be_sent_is_refused_before_it_is_saved(changes, code):
    with pytest.raises(InvalidInput) as refused:
        email_enqueue(**letter_email(**changes))
    assert refused.value.code == code
    assert OutgoingEmail.objects.count() == 0


def test_what_it_will_be_recorded_against_must_fit_the_complaint(complaint, letter_pdf, officer):
    with pytest.raises(StepRefused) as refused:
        email_enqueue(**letter_email(complaint=complaint, stage_number=2))
    assert refused.value.code == "no_such_stage"

    other = complaint_services.complaint_log(
        acting_user=officer,
        complainant=ResidentFactory(),
        channel="phone",
        received_at=complaint.received_at,
        description="Another matter.",
    )
    with pytest.raises(StepRefused) as refused:
        email_enqueue(**letter_email(complaint=other, attachment=letter_pdf))
    assert refused.value.code == "document_mismatch"


def test_an_email_is_saved_queued_with_a_lasting_message_id(complaint, officer, settings):
    settings.DEFAULT_FROM_EMAIL = "Greenway Homes <complaints@greenway-homes.example>"
    email = email_enqueue(**letter_email(to="  rita.resident@example.com ", acting_user=officer))
    email.refresh_from_db()
    assert email.to == ["rita.resident@example.com"]
    assert (email.status, email.attempts, email.created_by) == (EmailStatus.QUEUED, 0, officer)
    assert email.message_id.startswith("<") and email.message_id.endswith(
        "@greenway-homes.example>"
    )
    assert email.next_attempt_at is not None


def test_the_back_off_is_counted_from_each_attempt(smtp, settings):
    smtp.stop()
    email = email_enqueue(to="someone@example.com", subject="Update", text="Hello")
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=NINE)

    assert email_deliver(email_id=email.pk, now=NINE) == "retrying"
    email.refresh_from_db()
    assert (email.attempts, email.next_attempt_at) == (1, NINE + timedelta(seconds=60))

    # A task arriving early (a duplicate, or the sweep's) tries nothing.
    assert email_deliver(email_id=email.pk, now=NINE + timedelta(seconds=59)) == "skipped"
    assert email_deliver(email_id=email.pk, now=NINE + timedelta(seconds=60)) == "retrying"
    email.refresh_from_db()
    assert (email.attempts, email.next_attempt_at) == (2, NINE + timedelta(seconds=180))

    settings.PUTRIGHT_OUTBOX_MAX_ATTEMPTS = 3
    assert email_deliver(email_id=email.pk, now=NINE + timedelta(seconds=180)) == "failed"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.failed_at) == (
        EmailStatus.FAILED,
        3,
        NINE + timedelta(seconds=180),
    )


def test_an_email_without_a_complaint_goes_on_no_record(smtp):
    email = email_enqueue(to="someone@example.com", subject="Your password", text="Hello")
    assert email_deliver(email_id=email.pk) == "sent"
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.correspondence is None
    assert Correspondence.objects.count() == 0
    assert len(smtp.received) == 1


def test_an_email_to_a_representative_is_recorded_as_such(smtp, complaint):
    email = email_enqueue(
        **letter_email(
            complaint=complaint,
            party=Party.REPRESENTATIVE,
            correspondence_summary="Acknowledgement letter emailed to the resident's advocate",
        )
    )
    email_deliver(email_id=email.pk)
    record = Correspondence.objects.get(complaint=complaint)
    assert record.party == "representative"
    assert record.summary == "Acknowledgement letter emailed to the resident's advocate"
    assert record.document is None


def test_a_sent_email_the_record_refuses_stays_sent_and_says_so(smtp, complaint, set_today):
    email = email_enqueue(**letter_email(complaint=complaint))
    set_today(complaint.received_on - timedelta(days=1))  # the record would refuse this date

    assert email_deliver(email_id=email.pk) == "sent"
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.last_error.startswith("Sent, but not put on the complaint's record:")
    assert len(smtp.received) == 1
    assert email_deliver(email_id=email.pk) == "skipped"


def test_only_a_failed_email_can_be_sent_again(smtp, complaint):
    manager = StaffUserFactory()
    email = email_enqueue(**letter_email(complaint=complaint))
    with pytest.raises(StepRefused) as refused:
        email_resend(email_id=email.pk, acting_user=manager)
    assert refused.value.code == "email_waiting"

    email_deliver(email_id=email.pk)
    with pytest.raises(StepRefused) as refused:
        email_resend(email_id=email.pk, acting_user=manager)
    assert refused.value.code == "email_sent"
    assert refused.value.message == "The email to rita.resident@example.com has been sent."


def test_sending_again_starts_the_attempts_afresh_and_records_who_asked(smtp, complaint):
    smtp.mailbox.refuse_rcpt = "550 5.1.1 No such mailbox"
    email = email_enqueue(**letter_email(complaint=complaint))
    assert email_deliver(email_id=email.pk) == "failed"

    manager = StaffUserFactory()
    resent = email_resend(email_id=email.pk, acting_user=manager, now=NINE)
    resent.refresh_from_db()
    assert (resent.status, resent.attempts, resent.next_attempt_at) == (
        EmailStatus.QUEUED,
        0,
        NINE,
    )
    assert (resent.resent_by, resent.resent_at, resent.resend_count) == (manager, NINE, 1)
