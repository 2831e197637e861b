"""``putright flush`` (Django's own, and its test teardown): empty every table, history included.

A flush is the one legitimate way to remove history rows wholesale: on SQLite it is a DELETE,
which the history guards refuse, so Django's command runs here under the ``empty`` unlock,
inside one transaction. PostgreSQL flushes by TRUNCATE, which the row triggers do not see.
"""

from __future__ import annotations

from django.core.management.commands import flush
from django.db import connections

from putright.privacy.append_only import Purpose, is_installed, unlocked


class Command(flush.Command):
    def handle(self, **options) -> None:
        database = options["database"]
        if not is_installed(connections[database]):  # before migrate: nothing is guarded yet
            return super().handle(**options)
        with unlocked(Purpose.EMPTY, using=database):
            return super().handle(**options)
