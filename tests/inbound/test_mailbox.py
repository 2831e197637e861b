"""Polling a real IMAP server (pymap, started per test): each message kept once, filed on the
complaint it names or left in triage, and moved out of the inbox only once it is kept."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.complaints.models import Correspondence, Document, Party
from putright.inbound import mailbox as mailbox_module
from putright.inbound.mailbox import mailbox_poll
from putright.inbound.models import InboundMessage, MessageStatus, Source
from putright.inbound.tasks import poll_mailbox
from tests.inbound.helpers import PDF, UTC, complaint, email, png

pytestmark = pytest.mark.django_db

FILED = "PutRight/Filed"


def poll(server) -> int:
    return mailbox_poll(
        host=server.host,
        port=server.port,
        username=server.username,
        password=server.password,
        ssl=False,
    )


@pytest.fixture
def cases(db):
    return (
        complaint(email_address="ada@example.org"),
        complaint(email_address="bert@example.org"),
    )


@pytest.fixture
def delivered(imap_server, cases):
    """Five messages as they reach the complaints mailbox."""
    ada_case, bert_case = cases
    deliveries = [
        (
            email(
                message_id="<reply-1@example.org>",
                subject=f"Re: your complaint {ada_case.reference}",
                body="Here is the surveyor's report, and the damp photo.\nAda",
                attachments=(
                    ("surveyor.pdf", "application/pdf", PDF),
                    ("damp.png", "image/png", png()),
                    ("run-me.exe", "application/octet-stream", b"MZ\x90\x00 not a document"),
                ),
            ),
            dt.datetime(2026, 6, 2, 8, 15, tzinfo=UTC),
        ),
        (
            email(
                message_id="<reply-2@example.org>",
                sender="Citizens Advice <adviser@example.net>",
                subject="Following up for my client",
                body=f"Writing about complaint {bert_case.reference.lower()}, as promised.",
                attachments=(("authority.pdf", "application/pdf", PDF),),
            ),
            dt.datetime(2026, 6, 2, 9, 0, tzinfo=UTC),
        ),
        (
            email(
                message_id="<new-1@example.org>",
                sender="Cleo Nwosu <cleo@example.org>",
                subject="Mould in the flat",
                body="The mould is back in the bathroom and nobody has come.",
                # The sender's clock is an hour out: the server's arrival time counts.
                sent=dt.datetime(2026, 6, 1, 22, 30, tzinfo=UTC),
            ),
            dt.datetime(2026, 6, 1, 23, 30, tzinfo=UTC),
        ),
        (
            email(
                message_id="<new-1@example.org>",  # the same email delivered twice
                sender="Cleo Nwosu <cleo@example.org>",
                subject="Mould in the flat (copy)",
                body="The mould is back in the bathroom and nobody has come.",
            ),
            dt.datetime(2026, 6, 1, 23, 31, tzinfo=UTC),
        ),
        (
            email(
                message_id="<unknown-ref@example.org>",
                subject="About C-2026-09999",  # no such complaint
                body="Please call me back.",
            ),
            dt.datetime(2026, 6, 2, 10, 0, tzinfo=UTC),
        ),
    ]
    imap_server.deliver(*deliveries)
    return deliveries


def test_a_reference_in_the_subject_files_the_email_and_its_attachments_on_that_case(
    imap_server, cases, delivered
):
    ada_case, _ = cases
    poll(imap_server)

    message = InboundMessage.objects.get(message_id="<reply-1@example.org>")
    assert (message.status, message.complaint, message.source) == (
        MessageStatus.FILED,
        ada_case,
        Source.IMAP,
    )
    assert message.received_at == dt.datetime(2026, 6, 2, 8, 15, tzinfo=UTC)
    entry = Correspondence.objects.get(complaint=ada_case)
    assert message.correspondence == entry
    assert (entry.direction, entry.channel, entry.party, entry.happened_on) == (
        "in",
        "email",
        Party.RESIDENT,  # sent from the complainant's own address
        dt.date(2026, 6, 2),
    )
    assert entry.summary.startswith(f"Email: Re: your complaint {ada_case.reference}\nHere is")
    documents = Document.objects.filter(complaint=ada_case).order_by("original_name")
    assert [(d.original_name, d.content_type, d.kind) for d in documents] == [
        ("damp.png", "image/png", "photo"),
        ("surveyor.pdf", "application/pdf", "evidence"),
    ]
    assert documents[1].file.read() == PDF
    # The file the type check refused stays on the message, with the reason.
    refused = message.attachments.get(name="run-me.exe")
    assert refused.document is None
    assert "not a file type that can be kept" in refused.refused
    assert refused.file.read() == b"MZ\x90\x00 not a document"


def test_a_reference_in_the_body_files_the_email_on_that_case(imap_server, cases, delivered):
    _, bert_case = cases
    poll(imap_server)

    message = InboundMessage.objects.get(message_id="<reply-2@example.org>")
    assert (message.status, message.complaint) == (MessageStatus.FILED, bert_case)
    entry = Correspondence.objects.get(complaint=bert_case)
    assert entry.party == Party.OTHER  # not the complainant's address
    assert [d.original_name for d in bert_case.documents.all()] == ["authority.pdf"]


def test_an_email_without_a_known_reference_waits_in_triage_with_its_arrival_time(
    imap_server, cases, delivered
):
    poll(imap_server)

    new = InboundMessage.objects.get(message_id="<new-1@example.org>")
    assert new.status == MessageStatus.TRIAGE
    assert new.complaint is None
    # The mail server's arrival time (INTERNALDATE), not the sender's Date header.
    assert new.received_at == dt.datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    assert (new.from_name, new.from_address, new.subject) == (
        "Cleo Nwosu",
        "cleo@example.org",
        "Mould in the flat",
    )
    assert new.text.strip() == "The mould is back in the bathroom and nobody has come."
    unknown = InboundMessage.objects.get(message_id="<unknown-ref@example.org>")
    assert unknown.status == MessageStatus.TRIAGE


def test_the_same_message_id_twice_is_kept_once_and_both_copies_leave_the_inbox(
    imap_server, cases, delivered
):
    assert poll(imap_server) == 5

    assert InboundMessage.objects.count() == 4
    assert InboundMessage.objects.get(message_id="<new-1@example.org>").subject == (
        "Mould in the flat"
    )
    assert imap_server.subjects("INBOX") == []
    assert len(imap_server.subjects(FILED)) == 5


def test_polling_again_changes_nothing(imap_server, cases, delivered):
    poll(imap_server)
    before = list(InboundMessage.objects.order_by("id").values())

    assert poll(imap_server) == 0
    assert list(InboundMessage.objects.order_by("id").values()) == before
    assert Correspondence.objects.count() == 2


def test_a_message_that_cannot_be_kept_stays_in_the_inbox_untouched(
    imap_server, cases, monkeypatch, caplog
):
    imap_server.deliver(
        (
            email(message_id="<good@example.org>", subject="Kept", body="Fine."),
            dt.datetime(2026, 6, 3, 9, 0, tzinfo=UTC),
        ),
        (
            email(message_id="<bad@example.org>", subject="Broken", body="Fails."),
            dt.datetime(2026, 6, 3, 9, 5, tzinfo=UTC),
        ),
    )
    receive = mailbox_module.message_receive

    def failing_for_broken(**fields):
        if fields["subject"] == "Broken":
            raise OSError("disk full")
        return receive(**fields)

    monkeypatch.setattr(mailbox_module, "message_receive", failing_for_broken)

    assert poll(imap_server) == 1

    assert list(InboundMessage.objects.values_list("subject", flat=True)) == ["Kept"]
    assert imap_server.subjects("INBOX") == ["Broken"]
    assert imap_server.subjects(FILED) == ["Kept"]
    assert "could not be taken in" in caplog.text
    with imap_server.connect() as mailbox:
        assert [mail.flags for mail in mailbox.fetch(mark_seen=False)] == [()]  # still unread


def test_an_empty_inbox_is_left_as_it_is(imap_server):
    assert poll(imap_server) == 0
    with imap_server.connect() as mailbox:
        assert not mailbox.folder.exists(FILED)


def test_the_scheduled_task_polls_the_mailbox_named_in_the_settings(imap_server, settings):
    settings.PUTRIGHT_IMAP_HOST = imap_server.host
    settings.PUTRIGHT_IMAP_PORT = imap_server.port
    settings.PUTRIGHT_IMAP_USER = imap_server.username
    settings.PUTRIGHT_IMAP_PASSWORD = imap_server.password
    settings.PUTRIGHT_IMAP_SSL = False
    imap_server.deliver(
        (
            email(message_id="<task@example.org>", subject="By the task", body="Hello."),
            dt.datetime(2026, 6, 3, 9, 0, tzinfo=UTC),
        )
    )

    assert poll_mailbox.call() == 1
    assert InboundMessage.objects.get().subject == "By the task"


def test_the_task_does_nothing_when_no_mailbox_is_configured(settings):
    settings.PUTRIGHT_IMAP_HOST = ""
    assert poll_mailbox.call() == 0
