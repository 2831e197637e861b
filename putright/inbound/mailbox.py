"""Reading the complaints mailbox over IMAP (imap-tools).

Every message in the folder is read without marking it seen, kept through ``message_receive``
in its own transaction, and only once that has committed moved to the filed folder. So nothing
leaves the inbox before PutRight holds it: a message that fails stays where it was, untouched,
and is tried again on the next poll; a message kept but not moved (the connection dropped) is
recognised by its Message-ID next time and only moved.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from django.db import transaction
from django.utils import timezone
from imap_tools import BaseMailBox, MailBox, MailBoxUnencrypted, MailMessage

from putright.inbound.models import Source
from putright.inbound.services import message_id_or_digest, message_receive

logger = logging.getLogger(__name__)

_UID = re.compile(rb"UID (\d+)")
_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')


def mailbox_poll(
    *,
    host: str,
    port: int,
    username: str,
    password: str,
    folder: str = "INBOX",
    filed_folder: str = "PutRight/Filed",
    ssl: bool = True,
    limit: int = 200,
    timeout: float = 60,
) -> int:
    """Take in up to ``limit`` messages from ``folder``; how many were moved to ``filed_folder``
    (new ones and any already kept, such as a second copy of the same Message-ID).

    Must not run inside a transaction: each message is committed before it is moved.
    """
    box_class = MailBox if ssl else MailBoxUnencrypted
    taken = 0
    with box_class(host, port, timeout=timeout).login(
        username, password, initial_folder=folder
    ) as mailbox:
        uids = mailbox.uids("ALL")[:limit]
        if not uids:
            return 0
        if not mailbox.folder.exists(filed_folder):
            mailbox.folder.create(filed_folder)
        arrived = _arrival_times(mailbox, uids)
        for mail in mailbox.fetch(uid_list=uids, mark_seen=False):
            try:
                with transaction.atomic(durable=True):
                    message = message_receive(**_fields(mail, arrived.get(mail.uid)))
            except Exception:
                logger.exception(
                    "Email UID %s in %s could not be taken in; it stays there", mail.uid, folder
                )
                continue
            mailbox.move(mail.uid, filed_folder)
            taken += 1
            refused = message.attachments.exclude(refused="").count()
            if refused:
                logger.warning(
                    "%s attachment(s) of email %s could not be kept on complaint %s",
                    refused,
                    message.message_id,
                    message.complaint.reference if message.complaint_id else "",
                )
    return taken


def _arrival_times(mailbox: BaseMailBox, uids: list[str]) -> dict[str, datetime]:
    """Each message's INTERNALDATE: when the mail server received it (imap-tools' fetch does not
    ask for it, so one extra command asks for all of them)."""
    status, data = mailbox.client.uid("FETCH", ",".join(uids), "(UID INTERNALDATE)")
    if status != "OK":
        return {}
    times = {}
    for item in data:
        if not isinstance(item, bytes):
            continue
        uid, internal = _UID.search(item), _INTERNALDATE.search(item)
        if uid is None or internal is None:
            continue
        try:
            value = internal[1].decode().strip()  # the day may be space-padded
            times[uid[1].decode()] = datetime.strptime(value, "%d-%b-%Y %H:%M:%S %z")
        except ValueError:
            continue
    return times


def _sent_at(mail: MailMessage) -> datetime | None:
    """The Date header (the sender's clock), aware, or None when missing or unreadable."""
    try:
        sent = parsedate_to_datetime(mail.date_str)
    except (TypeError, ValueError):
        return None
    return sent.replace(tzinfo=UTC) if timezone.is_naive(sent) else sent


def _fields(mail: MailMessage, arrived: datetime | None) -> dict:
    """``message_receive``'s arguments for one fetched message."""
    sender = mail.from_values
    message_ids = mail.headers.get("message-id") or ("",)
    return {
        "message_id": message_id_or_digest(message_ids[0], bytes(mail.obj)),
        "received_at": arrived or _sent_at(mail) or timezone.now(),
        "from_address": sender.email if sender else "",
        "from_name": sender.name if sender else "",
        "to": ", ".join(mail.to),
        "subject": mail.subject,
        "text": mail.text,
        "html": mail.html,
        "attachments": [
            (attachment.filename, attachment.content_type, attachment.payload)
            for attachment in mail.attachments
        ],
        "source": Source.IMAP,
    }
