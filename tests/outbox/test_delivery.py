"""Delivery without loss (issue 19, item 6): every email is saved before it is sent, sent by the
worker through a real SMTP server, retried with back-off while the server is down, kept on the
failed list after the last attempt, and sent by "Send again" once the server is back."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from putright.complaints.models import Correspondence
from putright.outbox import services
from putright.outbox.models import EmailStatus, OutgoingEmail
from putright.outbox.selectors import deliveries_for_complaint, failed_emails
from putright.outbox.services import (
    email_deliver,
    email_enqueue,
    emails_fail_stalled,
    emails_retry_due,
)
from putright.outbox.tasks import deliver_email, retry_due_emails
from tests.outbox.conftest import PDF, TODAY, attachments, letter_email
from tests.people.factories import StaffUserFactory

# The worker runs tasks as a deployment does, outside any transaction of the test's; and an email
# is enqueued only when the step that wrote it commits.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_worker() -> None:
    """One round of ``putright worker``: every task that is due, through django-tasks-db."""
    call_command("worker", "--once", stdout=StringIO())


def time_passes(delta: timedelta) -> None:
    """As if ``delta`` had passed: every stored time the outbox and the task queue compare
    with now moves back by ``delta`` (no clock to wind: the worker asks the database)."""
    DBTaskResult.objects.filter(status="READY").exclude(run_after=get_date_max()).update(
        run_after=F("run_after") - delta
    )
    OutgoingEmail.objects.update(
        next_attempt_at=F("next_attempt_at") - delta,
        last_attempt_at=F("last_attempt_at") - delta,
        enqueued_at=F("enqueued_at") - delta,
    )


def send_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith="deliver_email"))


def test_while_the_mail_server_is_down_an_email_is_retried_then_failed_then_sent_again(
    smtp, complaint, letter_pdf, officer, client
):
    smtp.stop()  # nothing listening on the port
    with transaction.atomic():
        email = email_enqueue(
            **letter_email(
                attachment=letter_pdf, complaint=complaint, stage_number=1, acting_user=officer
            )
        )
    assert [task.status for task in send_tasks()] == ["READY"]

    # Attempt 1: the connection is refused. The email stays queued, due again in 60 seconds.
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.QUEUED, 1)
    assert email.last_error.startswith("ConnectionRefusedError")
    assert email.next_attempt_at - email.last_attempt_at == timedelta(seconds=60)
    (waiting,) = DBTaskResult.objects.filter(status="READY")
    assert waiting.run_after == email.next_attempt_at
    run_worker()  # the back-off has not passed: nothing is tried
    email.refresh_from_db()
    assert email.attempts == 1

    # The server is up but defers every message (451): the wait doubles each time.
    smtp.mailbox.refuse_rcpt = "451 4.3.0 Mailbox temporarily unavailable"
    smtp.start()
    for attempt, wait in [(2, 120), (3, 240), (4, 480)]:
        time_passes(email.next_attempt_at - email.last_attempt_at)
        run_worker()
        email.refresh_from_db()
        assert (email.status, email.attempts) == (EmailStatus.QUEUED, attempt)
        assert email.next_attempt_at - email.last_attempt_at == timedelta(seconds=wait)
    assert "451 4.3.0 Mailbox temporarily unavailable" in email.last_error

    # Attempt 5 of 5 fails too: the email goes on the failed list and on the case page as failed.
    time_passes(timedelta(seconds=480))
    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 5)
    assert email.failed_at is not None and email.next_attempt_at is None
    assert list(failed_emails()) == [email]
    assert [(row.pk, row.status) for row in deliveries_for_complaint(complaint=complaint)] == [
        (email.pk, EmailStatus.FAILED)
    ]
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert smtp.received == []
    assert not Correspondence.objects.filter(complaint=complaint).exists()

    # The server takes mail again; a complaints manager sends the email again from the list.
    smtp.mailbox.refuse_rcpt = None
    manager = StaffUserFactory()
    manager.user_permissions.add(Permission.objects.get(codename="resend_outgoingemail"))
    client.force_login(manager)
    response = client.post(reverse("outbox:resend", args=[email.pk]), follow=True)
    assert "will be sent again" in response.content.decode()
    run_worker()

    email.refresh_from_db()
    assert (email.status, email.attempts, email.resend_count) == (EmailStatus.SENT, 1, 1)
    assert email.resent_by == manager and email.sent_at is not None
    assert email.last_error == ""
    (message,) = smtp.received
    assert message["To"] == "rita.resident@example.com"
    assert message["From"] == "complaints@greenway-homes.example"
    assert message["Subject"] == "We have received your complaint"
    assert message["Message-ID"] == email.message_id
    assert message.get_body(("plain",)).get_content().strip() == (
        "Please find your acknowledgement letter attached."
    )
    assert "<p>Please find" in message.get_body(("html",)).get_content()
    assert attachments(message) == [("acknowledgement.pdf", "application/pdf", PDF)]

    # Sent, so on the complaint's record: once, with the letter it carried.
    record = Correspondence.objects.get(complaint=complaint)
    assert (record.direction, record.channel, record.party) == ("out", "email", "resident")
    assert (record.happened_on, record.stage_number, record.document) == (TODAY, 1, letter_pdf)
    assert record.summary == (
        "Email sent to rita.resident@example.com: We have received your complaint"
    )
    assert record.recorded_by == officer
    assert email.correspondence == record
    assert list(failed_emails()) == []

    run_worker()
    assert len(smtp.received) == 1


def test_a_rolled_back_step_sends_nothing(smtp, complaint):
    with pytest.raises(RuntimeError), transaction.atomic():
        email_enqueue(**letter_email(complaint=complaint))
        raise RuntimeError("the step failed after asking for the email")

    run_worker()
    assert OutgoingEmail.objects.count() == 0
    assert send_tasks() == []
    assert smtp.received == []


def test_a_send_task_run_twice_sends_once(smtp, complaint):
    email = email_enqueue(**letter_email(complaint=complaint))
    deliver_email.enqueue(email_id=email.pk)  # a second task for the same email

    run_worker()
    assert len(smtp.received) == 1
    assert sorted(task.return_value for task in send_tasks()) == ["sent", "skipped"]
    assert email_deliver(email_id=email.pk) == "skipped"
    assert len(smtp.received) == 1
    assert Correspondence.objects.filter(complaint=complaint).count() == 1


def test_an_email_whose_task_was_lost_is_enqueued_again_by_the_sweep(smtp, complaint):
    email = email_enqueue(**letter_email(complaint=complaint))
    DBTaskResult.objects.all().delete()  # the process died between the commit and the enqueue
    run_worker()
    assert smtp.received == []

    now = timezone.now()
    assert emails_retry_due(now=now) == 0  # its task may still be on its way
    assert retry_due_emails.call() == {"enqueued": 0, "stalled": 0}
    later = now + timedelta(minutes=6)
    assert emails_retry_due(now=later) == 1
    assert emails_retry_due(now=later) == 0  # run again, it enqueues nothing more
    run_worker()

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(smtp.received) == 1


def test_an_email_a_dead_worker_was_sending_goes_to_the_failed_list(smtp, complaint):
    email = email_enqueue(**letter_email(complaint=complaint))
    services._claim(email.pk, timezone.now())  # the worker claims it, then dies mid-send
    run_worker()  # the task finds it already being sent, and leaves it
    assert smtp.received == []

    assert emails_fail_stalled() == 0  # a slow server is not a dead worker
    assert emails_fail_stalled(now=timezone.now() + timedelta(minutes=16)) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert email.last_error == services.STALLED_MESSAGE
    assert list(failed_emails()) == [email]
    assert not Correspondence.objects.filter(complaint=complaint).exists()


def test_a_refused_address_fails_at_once_without_retries(smtp, complaint):
    smtp.mailbox.refuse_rcpt = "550 5.1.1 No such mailbox"
    email = email_enqueue(**letter_email(complaint=complaint))

    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 1)
    assert "550 5.1.1 No such mailbox" in email.last_error
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_server_that_drops_the_message_is_tried_again(smtp, settings):
    settings.PUTRIGHT_OUTBOX_RETRY_SECONDS = 0  # every retry due at once: one round runs them all
    smtp.mailbox.refuse_data = "421 4.3.2 Service shutting down"
    email = email_enqueue(to="someone@example.com", subject="Your update", text="Hello")

    run_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 5)
    assert email.last_error.startswith("SMTPDataError: 421 4.3.2 Service shutting down")
    assert smtp.received == []
