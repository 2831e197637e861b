"""``putright privacy``: personal data tasks from the command line.

    putright privacy export-subject-access R-000123 --output r-000123.zip [--by staff@example.org]

The ZIP holds everything about the person (open ``index.html`` in it). It is written readable by
its owner only, and the export is recorded in the person's history and the security log.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from putright.people.models import Resident
from putright.privacy.services import subject_access_export

COMMAND_LINE = "Command line (putright privacy export-subject-access)"


class Command(BaseCommand):
    help = "Personal data tasks: export-subject-access."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = actions.add_parser(
            "export-subject-access",
            help="Write everything held about a resident to a ZIP file.",
        )
        export.add_argument("reference", metavar="RESIDENT_REFERENCE")
        export.add_argument("--output", required=True, metavar="FILE", help="The ZIP to write.")
        export.add_argument(
            "--by",
            metavar="EMAIL",
            help="The member of staff making the export, for the history (default: the "
            "command line).",
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "export-subject-access":
            self.export(options["reference"], Path(options["output"]), options.get("by"))

    def export(self, reference: str, output: Path, by: str | None) -> None:
        resident = Resident.objects.filter(reference=reference.strip()).first()
        if resident is None:
            raise CommandError(f"Nobody has the reference {reference!r}.")
        acting_user = COMMAND_LINE
        if by:
            acting_user = get_user_model().objects.filter(email__iexact=by.strip()).first()
            if acting_user is None:
                raise CommandError(f"No member of staff has the email address {by!r}.")
        if output.exists():
            raise CommandError(f"{output} already exists; choose another name.")
        archive = subject_access_export(resident, acting_user=acting_user)
        # Personal data: readable by the owner only, created that way (no moment when it is not).
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(archive)
        self.stdout.write(f"Wrote {output} ({len(archive):,} bytes): open index.html inside it.")
