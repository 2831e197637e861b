"""Reading email in: the triage queue and one message with its attachments."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from putright.inbound.models import InboundMessage, MessageStatus


def triage_queue() -> QuerySet[InboundMessage]:
    """Messages waiting for someone to decide what they are, oldest first (the Code's clock
    started when each arrived). Bodies are left out: the queue shows only who, when and what."""
    return (
        InboundMessage.objects.filter(status=MessageStatus.TRIAGE)
        .defer("text", "html", "to")
        .annotate(attachment_count=Count("attachments"))
        .order_by("received_at", "id")
    )


def message_with_attachments(pk: int) -> InboundMessage:
    """One message with what it became and its attachments (raises DoesNotExist)."""
    return (
        InboundMessage.objects.select_related("complaint", "handled_by")
        .prefetch_related("attachments__document")
        .get(pk=pk)
    )
