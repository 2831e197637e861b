"""``putright import``: bring records in from files.

    putright import ombudsman-findings FILE [--skip-invalid]

FILE is CSV or XLSX, one row per finding (see ``putright.ombudsman.imports``). Every row is
checked first; nothing is written unless all are clean, or ``--skip-invalid`` is given.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from putright.ombudsman.imports import ImportFileError, import_findings


class Command(BaseCommand):
    help = "Import records from a file: ombudsman-findings."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="WHAT")
        findings = kinds.add_parser(
            "ombudsman-findings", help="The Ombudsman's findings, one row per complaint element."
        )
        findings.add_argument("file", metavar="FILE", help="A .csv or .xlsx file.")
        findings.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Write the clean rows and report the others, instead of writing nothing.",
        )

    def handle(self, *args, kind: str, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        try:
            result = import_findings(path, skip_invalid=options["skip_invalid"])
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for problem in result.problems:
            self.stderr.write(str(problem))
        if not result.written:
            raise CommandError(
                f"{len(result.problems)} problem(s) found; nothing was imported. Correct the "
                "file, or run again with --skip-invalid to import the clean rows."
            )
        self.stdout.write(
            f"Cases opened: {result.cases_opened}. Findings added: {result.findings_added}. "
            f"Already recorded: {result.findings_unchanged}. Rows skipped: {result.rows_skipped}."
        )
