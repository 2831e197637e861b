"""``putright demo``: fill an empty database with a fictional landlord's data to try PutRight."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from putright.core import clock
from putright.demo.generator import BASE_HOMES, DemoGenerator
from putright.demo.organisation import long_date
from putright.demo.staff import SIGN_INS
from putright.people.models import Property, Resident


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date; give it as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Fill an empty database with demo data for a fictional landlord (Greenway Homes): homes, "
        "residents and tenancies over the last two reporting years, stock counts, and one staff "
        "sign-in per role. The same seed (and --as-at date) always gives the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=f"Size of the landlord: 1.0 is about {BASE_HOMES:,} homes (default 1.0).",
        )
        parser.add_argument("--seed", type=int, default=2024, help="Random seed (default 2024).")
        parser.add_argument(
            "--as-at",
            type=_date,
            default=None,
            help="The demo's 'today' (YYYY-MM-DD, not in the future): history runs from the start "
            "of the reporting year two years before it, and the live caseload (new, due, overdue, "
            "awaiting a quality check) is as it stands on that date. Default: today.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (successfully) if the database already holds residents.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the demo data even though the database already holds residents or homes.",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though DEBUG is off. The demo's staff accounts (an administrator "
            "among them) share a published password: never use this on a live installation.",
        )

    def handle(
        self,
        *args,
        scale: float,
        seed: int,
        as_at,
        if_empty: bool,
        force: bool,
        allow_production: bool,
        **kw,
    ):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "DEBUG is off, so this looks like a live installation, and the demo would add "
                f"{len(SIGN_INS)} staff accounts, an administrator among them, whose password is "
                "printed in the README. Run the demo on a trial machine with DEBUG=true (as "
                "`make run` does), or add --allow-production if you really mean to put it here; "
                "`putright check --deploy` then fails until the demo accounts are deleted."
            )
        if scale <= 0:
            raise CommandError("--scale must be more than 0")
        if as_at is not None and as_at > clock.today():
            raise CommandError(
                f"--as-at {as_at.isoformat()} is in the future; the demo runs up to a date that "
                "has happened (give today or an earlier date)."
            )
        if Resident.objects.exists():
            if if_empty:
                self.stdout.write("Residents already exist: leaving the data as it is.")
                return
            if not force:
                raise CommandError(
                    "This database already holds residents. The demo fills an empty database: "
                    "use --if-empty to skip quietly, or --force to add the demo data anyway."
                )
        elif Property.objects.exists() and not (force or if_empty):
            raise CommandError(
                "This database already holds homes. Use --force to add the demo data anyway."
            )
        options = {"seed": seed, "scale": scale, "stdout": self.stdout}
        if as_at is not None:
            options["as_at"] = as_at
        generator = DemoGenerator(**options)
        self.stdout.write(
            f"Making demo data: scale {scale:g} (about {round(BASE_HOMES * scale):,} homes), "
            f"seed {seed}, as at {long_date(generator.as_at)}."
        )
        generator.run()
