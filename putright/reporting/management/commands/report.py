"""``putright report annual|quarter``: a period's figures as JSON or CSV, to a file or stdout.

    putright report annual --year 2024-25 --format json --out report.json
    putright report quarter --year 2024-25 --quarter 3 --format csv

The JSON holds every figure (``putright.reporting.annual.figures``); the CSV holds the report's
tables one after another, as the page shows them.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from putright.reporting import tables
from putright.reporting.annual import figures
from putright.reporting.periods import parse_year, quarter, reporting_year

FORMATS = ("json", "csv")


class Command(BaseCommand):
    help = "Write a reporting year's or a quarter's complaint figures as JSON or CSV."

    def add_arguments(self, parser) -> None:
        periods = parser.add_subparsers(dest="period", required=True, metavar="annual|quarter")
        for name, text in (("annual", "a reporting year"), ("quarter", "one quarter of it")):
            sub = periods.add_parser(name, help=f"The figures for {text}.")
            sub.add_argument("--year", required=True, help="The reporting year, e.g. 2024-25.")
            if name == "quarter":
                sub.add_argument("--quarter", required=True, type=int, choices=(1, 2, 3, 4))
            sub.add_argument("--format", choices=FORMATS, default="json")
            sub.add_argument("--out", help="A file to write; without it, standard output.")

    def handle(self, *args, period: str, year: str, format: str, out: str | None, **options):
        try:
            number = parse_year(year)
            if period == "annual":
                chosen = reporting_year(number)
            else:
                chosen = quarter(number, options["quarter"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        this, before = figures(chosen), figures(chosen.year_before())
        text = json.dumps(this, indent=2) + "\n" if format == "json" else _csv(this, before)
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote the {chosen.label} figures to {out}")
        else:
            self.stdout.write(text, ending="")


def _csv(this: dict, before: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for table in [*tables.sections(this, before), tables.tsm_table(this)]:
        writer.writerow([table.title])
        writer.writerow(table.columns)
        writer.writerows(table.rows)
        writer.writerow([])
    return buffer.getvalue()
