"""Outbox throughput: emails a second from ``email_enqueue`` to delivered, through a real SMTP
server (an aiosmtpd sink on this machine) and the real worker (``putright worker --once``).

Two kinds of email, 500 of each (``PUTRIGHT_BENCH_EMAILS``):

- ``letter``: a letter's 30 KB PDF attached, on a complaint, so each send also writes the
  complaint's correspondence entry and history event, as a letter emailed to a resident does;
- ``plain``: text and HTML, no attachment, no complaint (a notification).

Each email is enqueued in its own transaction, as the steps that ask for one do; the worker then
sends the lot in rounds. The benchmark runs in a child process with its own throwaway SQLite
database and media folder (``PUTRIGHT_VAR_DIR``), so it leaves no Django set-up behind for the
other benchmarks (casework sets Django up on its own database) and never touches
``DATABASE_URL``'s database. Run alone: ``python benchmarks/run.py outbox``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EMAILS = int(os.environ.get("PUTRIGHT_BENCH_EMAILS", "500"))
ATTACHMENT_BYTES = 30 * 1024
MARKER = "BENCH-OUTBOX-RESULT "


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="putright-bench-outbox-") as folder:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env |= {
            "PUTRIGHT_VAR_DIR": folder,
            "DJANGO_SETTINGS_MODULE": "putright.settings",
            "DEBUG": "false",
        }
        completed = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_outbox", str(EMAILS)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    for line in completed.stdout.splitlines():
        if line.startswith(MARKER):
            return json.loads(line.removeprefix(MARKER))
    raise RuntimeError(f"the outbox benchmark failed:\n{completed.stdout}\n{completed.stderr}")


def summary(result: dict[str, Any]) -> list[str]:
    lines = [f"  {result['emails']} emails of each kind, {result['database']}"]
    for kind in ("letter", "plain"):
        row = result[kind]
        lines.append(
            f"  {kind:<6}: enqueue {row['enqueue_per_second']:>7.1f}/s, "
            f"deliver {row['deliver_per_second']:>6.1f}/s, "
            f"end to end {row['end_to_end_per_second']:>6.1f}/s "
            f"({row['received']} received, {row['rounds']} worker round(s))"
        )
    return lines


# The child process ------------------------------------------------------------------------------


class Sink:
    """An SMTP server's handler that counts what it accepts and keeps nothing."""

    def __init__(self) -> None:
        self.received = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received += 1
        self.bytes += len(envelope.content)
        return "250 Message accepted for delivery"


def _pdf() -> bytes:
    head, tail = b"%PDF-1.4\n", b"\n%%EOF\n"
    return head + b"0" * (ATTACHMENT_BYTES - len(head) - len(tail)) + tail


def _world() -> tuple[Any, Any, Any]:
    """A member of staff, a complaint and a letter's PDF on its record."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from putright.accounts.models import User
    from putright.complaints import services
    from putright.people.services import resident_create

    officer = User.objects.create_user(
        email="officer@bench.putright.test", password=None, full_name="Bench Officer"
    )
    resident = resident_create(
        acting_user=officer, first_name="Rita", last_name="Resident", email="rita@example.com"
    )
    complaint = services.complaint_log(
        acting_user=officer,
        handler=officer,
        complainant=resident,
        channel="email",
        received_at=timezone.now() - timedelta(days=1),
        description="The damp is back.",
    )
    document = services.document_upload(
        acting_user=officer,
        complaint=complaint,
        uploaded_file=SimpleUploadedFile("acknowledgement.pdf", _pdf()),
        kind="letter",
    )
    return officer, complaint, document


def _worker_round() -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("worker", "--once", stdout=StringIO())


def _measure(count: int, sink: Sink, email: dict[str, Any]) -> dict[str, Any]:
    from putright.outbox.models import EmailStatus, OutgoingEmail
    from putright.outbox.services import email_enqueue

    before = sink.received
    started = time.perf_counter()
    ids = [email_enqueue(**email).pk for _ in range(count)]  # one transaction each
    enqueued = time.perf_counter()
    rounds = 0
    pending = OutgoingEmail.objects.filter(pk__in=ids).exclude(status=EmailStatus.SENT)
    while pending.exists() and rounds < 10:
        _worker_round()
        rounds += 1
    finished = time.perf_counter()
    sent = OutgoingEmail.objects.filter(pk__in=ids, status=EmailStatus.SENT).count()
    received = sink.received - before
    if sent != count or received != count:
        raise RuntimeError(f"lost email: {count} enqueued, {sent} sent, {received} received")
    return {
        "received": received,
        "rounds": rounds,
        "enqueue_seconds": round(enqueued - started, 3),
        "deliver_seconds": round(finished - enqueued, 3),
        "enqueue_per_second": round(count / (enqueued - started), 1),
        "deliver_per_second": round(count / (finished - enqueued), 1),
        "end_to_end_per_second": round(count / (finished - started), 1),
        "ms_per_email": round((finished - started) / count * 1000, 2),
    }


def child(count: int) -> dict[str, Any]:
    """Set Django up on the throwaway database, build it, and time both kinds of email."""
    import socket

    import django

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from putright.complaints.models import Correspondence

    migrate_started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - migrate_started

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    server = Controller(sink, hostname="127.0.0.1", port=port)
    server.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_TIMEOUT=10,
        ):
            officer, complaint, document = _world()
            _worker_round()  # today's periodic jobs, claimed now so they are not timed
            body = "Please find your letter attached.\n" * 20
            letter = _measure(
                count,
                sink,
                {
                    "to": ["rita@example.com"],
                    "subject": "We have received your complaint",
                    "text": body,
                    "html": f"<p>{body}</p>",
                    "attachment": document,
                    "complaint": complaint,
                    "stage_number": 1,
                    "acting_user": officer,
                },
            )
            letter["correspondence_entries"] = Correspondence.objects.filter(
                complaint=complaint
            ).count()
            plain = _measure(
                count,
                sink,
                {
                    "to": ["someone@example.com"],
                    "subject": "A case has been allocated to you",
                    "text": body,
                    "html": f"<p>{body}</p>",
                },
            )
    finally:
        server.stop()
    return {
        "emails": count,
        "attachment_bytes": ATTACHMENT_BYTES,
        "database": f"SQLite {connection.Database.sqlite_version}, WAL, throwaway file",
        "migrate_seconds": round(migrate_seconds, 1),
        "letter": letter,
        "plain": plain,
        "received_megabytes": round(sink.bytes / 1e6, 1),
    }


if __name__ == "__main__":
    result = child(int(sys.argv[1]) if len(sys.argv) > 1 else EMAILS)
    print(MARKER + json.dumps(result), flush=True)
