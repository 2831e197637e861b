"""Reading the outbox: what failed to send, and every email a complaint has had."""

from __future__ import annotations

from django.db.models import QuerySet

from putright.complaints.models import Complaint
from putright.outbox.models import EmailStatus, OutgoingEmail


def failed_emails() -> QuerySet[OutgoingEmail]:
    """Emails that could not be sent after their last attempt, newest failure first (the
    ``outbox_failed_idx`` index), with each one's complaint for its reference; page it."""
    return (
        OutgoingEmail.objects.filter(status=EmailStatus.FAILED)
        .select_related("complaint")
        .only(
            "to",
            "subject",
            "attempts",
            "last_error",
            "failed_at",
            "status",
            "resend_count",
            "complaint__reference",
            "complaint__is_confidential",
            "complaint__handler_id",
        )
        .order_by("-failed_at", "-id")
    )


def deliveries_for_complaint(*, complaint: Complaint) -> QuerySet[OutgoingEmail]:
    """Every email sent, waiting or failed for ``complaint``, newest first, for the case page:
    each row's ``status`` (``get_status_display``), ``to``, ``subject``, ``sent_at``,
    ``failed_at``, ``last_error`` and ``attachment`` (the file sent, if any)."""
    return (
        OutgoingEmail.objects.filter(complaint=complaint)
        .select_related("attachment")
        .order_by("-created_at", "-id")
    )
