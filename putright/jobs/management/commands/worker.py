"""``putright worker``: the one process to run beside the web server.

It claims each day's periodic jobs (``putright.jobs.schedule``) and runs every queued task
(email, reminders, the daily sweeps) through django-tasks-db's worker, then sleeps and repeats.
``--once`` does a single round and exits, for a cron line or a systemd timer instead of a
long-running process.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from putright.inbound.tasks import poll_mailbox
from putright.jobs import schedule
from putright.outbox.tasks import retry_due_emails


class Command(BaseCommand):
    help = "Run PutRight's scheduled jobs and queued tasks (run beside the web server)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=60.0,
            help="Seconds to wait between rounds (default 60).",
        )
        parser.add_argument(
            "--once", action="store_true", help="Do one round (claim jobs, run tasks) and exit."
        )

    def handle(self, *args, interval: float, once: bool, **options) -> None:
        worker_id = get_random_string(32)
        try:
            while True:
                self.round(worker_id)
                if once:
                    return
                time.sleep(interval)
        except KeyboardInterrupt:
            self.stdout.write("Worker stopped.")

    def round(self, worker_id: str) -> None:
        for name in schedule.enqueue_due():
            self.stdout.write(f"Enqueued today's {name}.")
        # Every round, not daily: emails whose send task was lost go back in the queue, and
        # sends a dead worker left half-done go on the "Failed to send" list.
        retry_due_emails.call()
        if settings.PUTRIGHT_IMAP_HOST:
            poll_mailbox.enqueue()  # email in every round, not once a day
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,  # run every ready task, then return
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        ).run()
