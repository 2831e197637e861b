"""Sending email without losing any: save the email first, send it from the worker, retry with
back-off, and keep what could not be sent for someone to send again.

- ``email_enqueue`` saves the email in the caller's transaction and enqueues its send task when
  that commits: a step rolled back sends nothing, and a process that dies after the commit leaves
  the row behind for ``emails_retry_due`` to pick up.
- ``email_deliver`` (the task) claims the row, sends it with no transaction open (SQLite's
  IMMEDIATE transactions would otherwise hold every writer back for as long as the mail server
  takes), then records the outcome: sent, with the complaint's correspondence entry in the same
  transaction, or another attempt later, or failed after the last one.
- ``email_resend`` puts a failed email back on the queue.

Status moves follow ``TRANSITIONS``. ``now`` arguments exist so tests can fix the time.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import make_msgid
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from putright.complaints.models import (
    Complaint,
    CorrespondenceChannel,
    Direction,
    Document,
    Party,
    Stage,
)
from putright.complaints.services import correspondence_record
from putright.core import clock
from putright.core.errors import DomainError, InvalidInput, StepRefused
from putright.outbox.models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)

ERROR_LENGTH = 2000  # enough for a server's reply and a traceback's last line
SUBJECT_LENGTH = 255

# (from, to) status moves allowed; anything else is a bug or a race, refused.
TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (EmailStatus.QUEUED, EmailStatus.SENDING),  # a worker claims it
        (EmailStatus.SENDING, EmailStatus.SENT),
        (EmailStatus.SENDING, EmailStatus.QUEUED),  # failed, another attempt later
        (EmailStatus.SENDING, EmailStatus.FAILED),  # last attempt failed, or the worker died
        (EmailStatus.FAILED, EmailStatus.QUEUED),  # sent again by a person
        # A send that outlived the stalled-send limit went after all: record the truth.
        (EmailStatus.FAILED, EmailStatus.SENT),
        (EmailStatus.QUEUED, EmailStatus.SENT),
    }
)

STALLED_MESSAGE = (
    "The worker stopped while sending this email, so it may or may not have arrived. "
    "Check with the recipient before sending it again."
)


# Settings ---------------------------------------------------------------------------------------


def max_attempts() -> int:
    return int(getattr(settings, "PUTRIGHT_OUTBOX_MAX_ATTEMPTS", 5))


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: the base delay, doubled for
    each attempt after the first (60 s, 2, 4, 8 minutes with the defaults)."""
    base = float(getattr(settings, "PUTRIGHT_OUTBOX_RETRY_SECONDS", 60))
    return timedelta(seconds=base * 2 ** max(attempts - 1, 0))


def _sweep_grace() -> timedelta:
    """How long a due email may wait for its task before the sweep enqueues another: longer
    than a worker round, so a task merely waiting its turn is not doubled."""
    return timedelta(seconds=float(getattr(settings, "PUTRIGHT_OUTBOX_SWEEP_GRACE_SECONDS", 300)))


def _stalled_after() -> timedelta:
    """How long a send may take before the worker is taken to have died mid-send: well beyond
    ``EMAIL_TIMEOUT``."""
    return timedelta(seconds=float(getattr(settings, "PUTRIGHT_OUTBOX_STALLED_SECONDS", 900)))


# Helpers ----------------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


def _move(email: OutgoingEmail, status: str) -> None:
    if (email.status, status) not in TRANSITIONS:
        raise StepRefused(
            "email_status",
            f"An email that is {EmailStatus(email.status).label.lower()} cannot become "
            f"{EmailStatus(status).label.lower()}.",
        )
    email.status = status


def _enqueue_on_commit(email_id: int, *, run_after: datetime | None = None) -> None:
    """Enqueue the send task once the current transaction commits. ``robust``: if enqueuing
    fails, the caller's step has still happened and the row waits for the sweep."""

    def enqueue() -> None:
        from putright.outbox.tasks import deliver_email  # tasks import this module

        task = deliver_email if run_after is None else deliver_email.using(run_after=run_after)
        task.enqueue(email_id=email_id)

    transaction.on_commit(enqueue, robust=True)


def _check_recipients(to: str | Sequence[str]) -> list[str]:
    addresses = [to] if isinstance(to, str) else list(to)
    addresses = [str(address).strip() for address in addresses if str(address).strip()]
    if not addresses:
        raise InvalidInput("recipient_missing", "Give an email address to send to.", field="to")
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise InvalidInput(
                "invalid_recipient",
                f"{address} is not a valid email address.",
                field="to",
            ) from None
    return addresses


def _check_subject(subject: str) -> str:
    subject = (subject or "").strip()
    if not subject:
        raise InvalidInput("subject_missing", "Give the email a subject.", field="subject")
    if "\n" in subject or "\r" in subject:
        raise InvalidInput("invalid_subject", "A subject must be one line.", field="subject")
    if len(subject) > SUBJECT_LENGTH:
        raise InvalidInput(
            "subject_too_long",
            f"A subject must be {SUBJECT_LENGTH} characters or fewer.",
            field="subject",
        )
    return subject


def _check_record(
    *,
    complaint: Complaint | None,
    stage_number: int | None,
    attachment: Document | None,
    party: str,
) -> None:
    """What the email will be recorded against must fit, so recording it after sending cannot
    be refused."""
    if party not in Party.values:
        raise InvalidInput("invalid_party", "Choose who the email is to.", field="party")
    if complaint is None:
        if stage_number is not None:
            raise InvalidInput(
                "stage_without_complaint",
                "A stage can only be given with its complaint.",
                field="stage_number",
            )
        return
    if (
        stage_number is not None
        and not Stage.objects.filter(complaint=complaint, number=stage_number).exists()
    ):
        raise StepRefused(
            "no_such_stage",
            f"Complaint {complaint.reference} has no stage {stage_number}.",
            field="stage_number",
        )
    if attachment is not None and attachment.complaint_id != complaint.pk:
        raise StepRefused(
            "document_mismatch",
            f"{attachment.original_name} is on another complaint's record, not "
            f"{complaint.reference}'s.",
            field="attachment",
        )


def _message_id_domain() -> str:
    """The sender's domain for Message-ID headers (asking the machine for its name can stall on
    a host without DNS)."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "putright.invalid"


def _is_permanent(error: BaseException) -> bool:
    """A 5xx reply will be the same next time (a refused address, a rejected message), so the
    email goes straight to the failed list instead of waiting out every retry."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _reply(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def _describe(error: BaseException) -> str:
    """The error as a person reads it on the failed list: its kind and the server's reply."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(
            f"{address}: {code} {_reply(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
    elif isinstance(error, smtplib.SMTPResponseException):
        detail = f"{error.smtp_code} {_reply(error.smtp_error)}"
    else:
        detail = str(error) or repr(error)
    return f"{type(error).__name__}: {detail}"[:ERROR_LENGTH]


# Enqueue ----------------------------------------------------------------------------------------


@transaction.atomic
def email_enqueue(
    *,
    to: str | Sequence[str],
    subject: str,
    text: str,
    html: str = "",
    attachment: Document | None = None,
    complaint: Complaint | None = None,
    stage_number: int | None = None,
    party: str = Party.RESIDENT,
    correspondence_summary: str = "",
    acting_user: Any = None,
) -> OutgoingEmail:
    """Save an email to send and enqueue its send task for when the caller's transaction
    commits. With a ``complaint``, sending it puts an outgoing email on the complaint's record
    (``correspondence_summary``, default the subject and recipients)."""
    addresses = _check_recipients(to)
    subject = _check_subject(subject)
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("body_missing", "Write the email.", field="text")
    _check_record(
        complaint=complaint, stage_number=stage_number, attachment=attachment, party=party
    )
    now = timezone.now()
    summary = (correspondence_summary or "").strip() or (
        f"Email sent to {', '.join(addresses)}: {subject}"
    )
    email = OutgoingEmail.objects.create(
        to=addresses,
        subject=subject,
        text=text,
        html=html or "",
        attachment=attachment,
        complaint=complaint,
        stage_number=stage_number,
        party=party,
        correspondence_summary=summary if complaint is not None else correspondence_summary,
        message_id=make_msgid(domain=_message_id_domain()),
        next_attempt_at=now,
        enqueued_at=now,
        created_by=acting_user if getattr(acting_user, "pk", None) is not None else None,
    )
    _enqueue_on_commit(email.pk)
    return email


# Deliver ----------------------------------------------------------------------------------------


def email_deliver(*, email_id: int, now: datetime | None = None) -> str:
    """Send one queued email (what the send task runs); returns what happened: ``"sent"``,
    ``"retrying"``, ``"failed"`` or ``"skipped"`` (not queued, not yet due, or gone).

    Claiming the row first (queued -> sending, under a row lock) means a second run of the task,
    or a second worker, finds nothing to do: an email is never sent twice.
    """
    email = _claim(email_id, _now(now))
    if email is None:
        return "skipped"
    try:
        _send(email)
    except Exception as error:  # any backend's failure (SMTP, network, provider API) is retried
        return _record_failure(email_id, error, _now(now))
    return _record_sent(email_id, _now(now))


@transaction.atomic
def _claim(email_id: int, now: datetime) -> OutgoingEmail | None:
    email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
    if email is None or email.status != EmailStatus.QUEUED:
        return None
    if email.next_attempt_at is not None and email.next_attempt_at > now:
        return None  # an early or duplicate task: the one due at next_attempt_at will come
    _move(email, EmailStatus.SENDING)
    email.attempts += 1
    email.last_attempt_at = now
    email.save(update_fields=["status", "attempts", "last_attempt_at", "updated_at"])
    return email


def _send(email: OutgoingEmail) -> None:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        to=list(email.to),
        headers={"Message-ID": email.message_id},
        connection=get_connection(fail_silently=False),
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    if email.attachment_id is not None:
        document = email.attachment
        with document.file.open("rb") as stored:
            message.attach(document.original_name, stored.read(), document.content_type)
    if not message.send():
        raise smtplib.SMTPException("The mail server accepted no recipient.")


def _record_sent(email_id: int, now: datetime) -> str:
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().get(pk=email_id)
        _move(email, EmailStatus.SENT)
        email.sent_at = now
        email.next_attempt_at = None
        email.last_error = ""
        if email.complaint_id is not None:
            try:
                with transaction.atomic():  # a savepoint: a refusal keeps the "sent" below
                    email.correspondence = correspondence_record(
                        acting_user=email.created_by,
                        complaint=email.complaint,
                        direction=Direction.OUT,
                        channel=CorrespondenceChannel.EMAIL,
                        party=email.party,
                        summary=email.correspondence_summary,
                        on=clock.today(),
                        stage_number=email.stage_number,
                        document=email.attachment,
                    )
            except DomainError as error:
                # It went: saying otherwise would send it again. Say what is missing instead.
                logger.error("Email %s sent but not recorded on its complaint: %s", email_id, error)
                email.last_error = f"Sent, but not put on the complaint's record: {error.message}"
        email.save(
            update_fields=[
                "status",
                "sent_at",
                "next_attempt_at",
                "last_error",
                "correspondence",
                "updated_at",
            ]
        )
    return "sent"


def _record_failure(email_id: int, error: BaseException, now: datetime) -> str:
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().get(pk=email_id)
        if email.status != EmailStatus.SENDING:
            return "skipped"  # the sweep took it for stalled meanwhile and said so
        email.last_error = _describe(error)
        if _is_permanent(error) or email.attempts >= max_attempts():
            _move(email, EmailStatus.FAILED)
            email.failed_at = now
            email.next_attempt_at = None
            outcome = "failed"
        else:
            _move(email, EmailStatus.QUEUED)
            # Counted from the attempt's start, so the wait does not stretch with a slow server.
            email.next_attempt_at = (email.last_attempt_at or now) + retry_delay(email.attempts)
            email.enqueued_at = now
            _enqueue_on_commit(email.pk, run_after=email.next_attempt_at)
            outcome = "retrying"
        email.save(
            update_fields=[
                "status",
                "last_error",
                "failed_at",
                "next_attempt_at",
                "enqueued_at",
                "updated_at",
            ]
        )
    logger.warning(
        "Email %s not sent (attempt %s, %s): %s",
        email_id,
        email.attempts,
        outcome,
        email.last_error,
    )
    return outcome


# Resend and sweep -------------------------------------------------------------------------------


@transaction.atomic
def email_resend(*, email_id: int, acting_user: Any, now: datetime | None = None) -> OutgoingEmail:
    """Put an email that failed to send back on the queue, with its attempts counted afresh,
    recording who asked and when."""
    now = _now(now)
    email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
    if email is None:
        raise StepRefused("no_such_email", "That email no longer exists.")
    if email.status == EmailStatus.SENT:
        raise StepRefused("email_sent", f"The email to {', '.join(email.to)} has been sent.")
    if email.status != EmailStatus.FAILED:
        raise StepRefused(
            "email_waiting",
            f"The email to {', '.join(email.to)} is already waiting to be sent.",
        )
    _move(email, EmailStatus.QUEUED)
    email.attempts = 0
    email.next_attempt_at = now
    email.enqueued_at = now
    email.resent_at = now
    email.resent_by = acting_user if getattr(acting_user, "pk", None) is not None else None
    email.resend_count += 1
    email.save(
        update_fields=[
            "status",
            "attempts",
            "next_attempt_at",
            "enqueued_at",
            "resent_at",
            "resent_by",
            "resend_count",
            "updated_at",
        ]
    )
    _enqueue_on_commit(email.pk)
    return email


def emails_retry_due(*, now: datetime | None = None) -> int:
    """Enqueue a send task for every queued email that is due and whose task has had time to
    run (a task lost to a crash between commit and enqueue). Idempotent: an email it enqueues
    is left alone until the grace has passed again, and a task too many finds nothing to do.
    Returns how many it enqueued."""
    now = _now(now)
    cutoff = now - _sweep_grace()
    due = OutgoingEmail.objects.filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=cutoff),
        status=EmailStatus.QUEUED,
        next_attempt_at__lte=cutoff,
    )
    with transaction.atomic():
        ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True))
        OutgoingEmail.objects.filter(pk__in=ids).update(enqueued_at=now, updated_at=now)
        for email_id in ids:
            _enqueue_on_commit(email_id)
    return len(ids)


def emails_fail_stalled(*, now: datetime | None = None) -> int:
    """Move to the failed list every email left "sending" by a worker that died mid-send: it
    may have gone, so a person decides whether to send it again. Returns how many."""
    now = _now(now)
    stalled = OutgoingEmail.objects.filter(
        status=EmailStatus.SENDING, last_attempt_at__lte=now - _stalled_after()
    )
    with transaction.atomic():
        ids = list(stalled.select_for_update(skip_locked=True).values_list("pk", flat=True))
        count = OutgoingEmail.objects.filter(pk__in=ids, status=EmailStatus.SENDING).update(
            status=EmailStatus.FAILED,
            failed_at=now,
            next_attempt_at=None,
            last_error=STALLED_MESSAGE,
            updated_at=now,
        )
    if count:
        logger.warning("%s email(s) left sending by a stopped worker moved to failed", count)
    return count
