"""Background tasks for email in, run by the worker (``putright worker``)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from putright.inbound.mailbox import mailbox_poll
from putright.inbound.services import messages_sweep_anonymised


@task()
def poll_mailbox() -> int:
    """Take in what is waiting in the complaints mailbox; how many messages were moved to the
    filed folder. Does nothing when no mailbox is configured (``PUTRIGHT_IMAP_HOST`` empty)."""
    host = getattr(settings, "PUTRIGHT_IMAP_HOST", "")
    if not host:
        return 0
    return mailbox_poll(
        host=host,
        port=int(getattr(settings, "PUTRIGHT_IMAP_PORT", 993)),
        username=getattr(settings, "PUTRIGHT_IMAP_USER", ""),
        password=getattr(settings, "PUTRIGHT_IMAP_PASSWORD", ""),
        folder=getattr(settings, "PUTRIGHT_IMAP_FOLDER", "INBOX"),
        filed_folder=getattr(settings, "PUTRIGHT_IMAP_FILED_FOLDER", "PutRight/Filed"),
        ssl=bool(getattr(settings, "PUTRIGHT_IMAP_SSL", True)),
    )


@task()
def anonymise_filed_email() -> int:
    """Remove the personal details of emails filed on complaints anonymised for retention;
    how many messages were anonymised."""
    return messages_sweep_anonymised()
