"""``putright workdays``: answer working-day questions with the calendar deadlines use.

    putright workdays add 2025-12-22 5              -> 2025-12-31
    putright workdays between 2025-12-22 2025-12-31 -> 5

Closure days stored in the database count unless ``--no-closures`` is given; with ``-v 2`` the
closure days used are listed on standard error, so the answer can be checked by hand.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from putright.organisation.selectors import calendar_for, current_calendar
from putright.rules.calendar import WorkingDayCalendar


def _parse_date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"{what} {value!r} is not a date: write it as YYYY-MM-DD, for example 2025-12-22."
        ) from None


def _parse_count(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise CommandError(
            f"{value!r} is not a whole number of working days (for example 5, or -5 to count back)."
        ) from None


class Command(BaseCommand):
    help = (
        "Count working days (Monday to Friday, less England and Wales bank holidays and the "
        "organisation's closure days) the way complaint deadlines are counted."
    )
    # A quick calculation; the project's system checks (static files and so on) are not needed.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            choices=["add", "between"],
            help="add DATE N: the N-th working day after DATE. "
            "between DATE1 DATE2: working days after DATE1 up to and including DATE2.",
        )
        parser.add_argument("first", metavar="DATE", help="A date, YYYY-MM-DD.")
        parser.add_argument(
            "second", metavar="N_OR_DATE", help="Working days to add (add), or a date (between)."
        )
        parser.add_argument(
            "--no-closures",
            action="store_true",
            help="Ignore the closure days stored in the database (bank holidays still count).",
        )

    def handle(self, *args, action: str, first: str, second: str, **options) -> None:
        start = _parse_date(first, "The date")
        if options["no_closures"]:
            calendar: WorkingDayCalendar = calendar_for(frozenset())
        else:
            try:
                calendar = current_calendar()
            except DatabaseError as error:
                raise CommandError(
                    f"Could not read the closure days from the database ({error}). Run "
                    "'putright migrate' first, or add --no-closures to count without them."
                ) from error
        if options["verbosity"] >= 2:
            used = ", ".join(d.isoformat() for d in sorted(calendar.closures)) or "none"
            self.stderr.write(f"Closure days counted: {used}")
        try:
            if action == "add":
                answer = calendar.add(start, _parse_count(second)).isoformat()
            else:
                answer = str(calendar.between(start, _parse_date(second, "The second date")))
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(answer)
