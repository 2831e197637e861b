"""``putright report annual|quarter``: a period's figures as JSON, or its report as HTML, PDF,
XLSX or CSV, to a file or (JSON, HTML and CSV) standard output.

    putright report annual --year 2024-25 --format json --out report.json
    putright report annual --year 2024-25 --format pdf --out report.pdf
    putright report quarter --year 2024-25 --quarter 3 --format csv

The JSON holds every figure (``putright.reporting.annual.figures``). The other formats draw the
report itself (``reporting.contents.build``, then ``reporting.formats.render``): the annual report
for a year, the board report for a quarter, under the landlord's name from the organisation's
settings and without commentary, as a draft.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from putright.organisation.selectors import organisation_name
from putright.reporting import contents, formats
from putright.reporting.annual import figures, figures_of
from putright.reporting.periods import parse_year, quarter, reporting_year

FORMATS = ("json", *formats.FORMATS)
# Bytes a terminal cannot show: these go to a file or nowhere.
BINARY = ("pdf", "xlsx")


class Command(BaseCommand):
    help = "Write a reporting year's or a quarter's complaint figures or report."

    def add_arguments(self, parser) -> None:
        periods = parser.add_subparsers(dest="period", required=True, metavar="annual|quarter")
        for name, text in (("annual", "a reporting year"), ("quarter", "one quarter of it")):
            sub = periods.add_parser(name, help=f"The figures or report for {text}.")
            sub.add_argument("--year", required=True, help="The reporting year, e.g. 2024-25.")
            if name == "quarter":
                sub.add_argument("--quarter", required=True, type=int, choices=(1, 2, 3, 4))
            sub.add_argument("--format", choices=FORMATS, default="json")
            sub.add_argument(
                "--out", help="A file to write; without it, standard output (not for pdf, xlsx)."
            )

    def handle(self, *args, period: str, year: str, format: str, out: str | None, **options):
        if format in BINARY and not out:
            raise CommandError(f"A {format.upper()} report is a file: name it with --out PATH.")
        try:
            number = parse_year(year)
            if period == "annual":
                chosen = reporting_year(number)
            else:
                chosen = quarter(number, options["quarter"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        if format == "json":
            content = (json.dumps(figures(chosen), indent=2) + "\n").encode("utf-8")
        else:
            document = contents.build(
                contents.ANNUAL if period == "annual" else contents.QUARTER,
                chosen,
                *figures_of(chosen, chosen.year_before()),
                landlord=organisation_name(),
            )
            content = formats.render(document, format).content
        if out:
            Path(out).write_bytes(content)
            self.stdout.write(f"Wrote the {chosen.label} {format.upper()} to {out}")
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
