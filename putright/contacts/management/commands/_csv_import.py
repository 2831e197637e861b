"""The shared body of the two CSV import commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from putright.contacts.imports import ImportResult


class CsvImportCommand(BaseCommand):
    importer: Callable[..., ImportResult]
    what = "rows"

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file (UTF-8, with a header row).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and write nothing."
        )

    def handle(self, *args, path: str, dry_run: bool, **options):
        try:
            with Path(path).open(newline="", encoding="utf-8-sig") as handle:
                result = type(self).importer(handle, dry_run=dry_run)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        if result.errors:
            for line, reason in result.errors:
                self.stderr.write(f"Line {line}: {reason}")
            raise CommandError(
                f"{len(result.errors)} bad row(s): nothing was imported. Correct them and run "
                "the import again."
            )
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(
            f"{verb} {self.what}: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} already recorded."
        )
